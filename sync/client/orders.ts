import type { Cents } from '../../src/money.ts';
import {
  type Customer,
  DEFAULT_ORDER_SETTINGS,
  type EventContext,
  type OrderEvent,
  type OrderSettings,
  type OrderState,
  addDeposit,
  cancel,
  createOrder,
  foldOrder,
  normalizeOrderNumber,
  pickUp,
} from '../../src/order.ts';
import type { TenderInput } from '../../src/sale.ts';
import type { OrderDoc } from '../protocol/docs.ts';
import { verifyPin } from '../protocol/pin.ts';
import type { Approval, NewOrder, OrderSource, OrderSummary, OrderView, RegisterClient } from './api.ts';
import { type RegisterDatabase, readAll } from './database.ts';
import { RegisterError } from './errors.ts';
import { HqResponseError, HqUnreachableError, type HqHttp } from './http.ts';

/**
 * Customer orders at the register: the local view of an order is foldOrder over HQ's events of
 * it (the replicated `orders` document, or one fetched from HQ just now) and this register's
 * own events (`orderEvents`, pushed like sales). Every action writes one event in one local
 * write, numbered from the register's own order sequence.
 */

/** The register's order numbering: `next()` proposes, `reserve(seq)` persists before the write. */
export interface OrderSequence {
  next(): number;
  reserve(seq: number): Promise<void>;
}

export interface OrderDeps {
  db: RegisterDatabase;
  storeId: string;
  registerId: string;
  /** For orders never replicated here (GET /api/orders/:orderNo). */
  http: HqHttp;
  now: () => Date;
  /** The register's write queue (shared with sales). */
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  sequence: OrderSequence;
}

export type OrderMethods = Pick<
  RegisterClient,
  | 'orderSettings'
  | 'findCustomers'
  | 'createOrder'
  | 'findOrders'
  | 'ordersForPickup'
  | 'order'
  | 'pickUpOrder'
  | 'cancelOrder'
  | 'addDeposit'
  | 'approveAsManager'
>;

type OrderRow = Omit<OrderDoc, '_deleted'>;

/** What a list needs of an order before folding it. */
interface Candidate {
  orderNo: string;
  /** HQ's events (replica or fetched), none when only this register's events exist. */
  hqEvents: readonly OrderEvent[];
  own: OrderEvent[];
  customerName: string;
  customerPhone: string | null;
  createdAt: string;
  storeId: string;
}

const digitsOf = (text: string | null | undefined): string => (text ?? '').replace(/\D/g, '');

/** Open pick-up lines of the order at `storeId`. */
export function pickupLinesAt(state: OrderState, storeId: string): number {
  return state.lines.filter((l) => l.status === 'open' && l.fulfilment.mode === 'pickup' && l.fulfilment.storeId === storeId).length;
}

export function summarize(state: OrderState, storeId: string, fallback: { customerName: string; customerPhone: string | null; createdAt: string; storeId: string }): OrderSummary {
  return {
    orderNo: state.orderNo,
    customerName: state.customer?.name ?? fallback.customerName,
    customerPhone: state.customer ? state.customer.phone : fallback.customerPhone,
    status: state.status,
    pickupStores: state.pickupStores,
    pickupHere: pickupLinesAt(state, storeId),
    balanceCents: state.balanceCents,
    exceptions: state.exceptions.length,
    createdAt: state.createdAt || fallback.createdAt,
    storeId: state.storeId || fallback.storeId,
  };
}

/**
 * Whether an order matches what was typed: its number (lenient: "ord-1001-1-42", or a part of
 * it), a part of the customer's name (any case), or of the phone number (digits only, 3 or more).
 * An empty query matches everything.
 */
export function orderMatches(query: string, order: { orderNo: string; customerName: string; customerPhone: string | null }): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (normalizeOrderNumber(q) === order.orderNo) return true;
  if (order.orderNo.toLowerCase().includes(q)) return true;
  if (order.customerName.toLowerCase().includes(q)) return true;
  const digits = digitsOf(q);
  return digits.length >= 3 && digitsOf(order.customerPhone).includes(digits);
}

/** A customer matches by a part of their name or e-mail (any case) or of their phone (digits, 3 or more). */
export function customerMatches(query: string, c: Customer): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return false;
  if (c.name.toLowerCase().includes(q)) return true;
  if ((c.email ?? '').toLowerCase().includes(q)) return true;
  const digits = digitsOf(q);
  return digits.length >= 3 && digitsOf(c.phone).includes(digits);
}

/** Customers are the same when name, phone and e-mail are (ignoring case, spaces and phone punctuation). */
export function customerKey(c: Customer): string {
  return JSON.stringify([c.name.trim().toLowerCase().replace(/\s+/g, ' '), digitsOf(c.phone), (c.email ?? '').trim().toLowerCase()]);
}

const newestFirst = (a: { createdAt: string; orderNo: string }, b: { createdAt: string; orderNo: string }): number =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.orderNo < b.orderNo ? 1 : a.orderNo > b.orderNo ? -1 : 0;

export function createOrderMethods(deps: OrderDeps): OrderMethods {
  const { db, storeId, registerId, http, now, serial, sequence } = deps;
  /** Orders fetched from HQ that are not in the replica; the replica wins once the pull brings them. */
  const fetched = new Map<string, OrderRow>();

  const ownEventsOf = async (orderNo: string): Promise<OrderEvent[]> => {
    const docs = await db.orderEvents.find({ selector: { orderNo: { $eq: orderNo } } }).exec();
    // A deep copy: the view hands events to the UI, RxDB's cached data must stay untouched.
    return docs.map((d) => d.toMutableJSON() as OrderEvent).sort((a, b) => a.seq - b.seq);
  };

  /** Ids of this register's records HQ has acknowledged as stored. */
  const ackedOk = async (ids: string[]): Promise<Set<string>> => {
    if (ids.length === 0) return new Set();
    const acks = await db.acks.findByIds(ids).exec();
    return new Set([...acks.values()].filter((a) => a.status === 'ok').map((a) => a.id));
  };

  const viewOf = async (orderNo: string, hqEvents: readonly OrderEvent[], source: OrderSource, own: OrderEvent[]): Promise<OrderView> => {
    const atHq = new Set(hqEvents.map((e) => e.id));
    const notInDoc = own.filter((e) => !atHq.has(e.id)).map((e) => e.id);
    // HQ acknowledged it but its document here is older: it is at HQ all the same.
    const acked = await ackedOk(notInDoc);
    return {
      state: foldOrder(orderNo, [...hqEvents, ...own]),
      source,
      pendingEventIds: notInDoc.filter((id) => !acked.has(id)),
    };
  };

  /** The order as this register knows it (replica, or fetched earlier), without asking HQ. */
  const localView = async (orderNo: string): Promise<OrderView | null> => {
    const doc = await db.orders.findOne(orderNo).exec();
    const own = await ownEventsOf(orderNo);
    if (doc) {
      fetched.delete(orderNo);
      return viewOf(orderNo, (doc.toMutableJSON() as OrderRow).events, 'replica', own);
    }
    const hqDoc = fetched.get(orderNo);
    if (hqDoc) return viewOf(orderNo, hqDoc.events, 'hq', own);
    return own.length ? viewOf(orderNo, [], 'replica', own) : null;
  };

  const lookup = async (orderNo: string): Promise<OrderView | null> => {
    const local = await localView(orderNo);
    // In the replica whole (HQ's document, or this register made it): no need to ask HQ.
    if (local && local.source === 'replica' && local.state.complete) return local;
    try {
      const doc = await http.get<OrderRow>(`/api/orders/${encodeURIComponent(orderNo)}`);
      if (doc && doc.id === orderNo) fetched.set(orderNo, { ...doc, events: doc.events ?? [] });
      return (await localView(orderNo)) ?? null;
    } catch (e) {
      if (e instanceof HqResponseError && e.status === 404) return local;
      // HQ cannot tell us now: what this register knows (a copy fetched before, its own events) is the answer.
      if (local) return local;
      if (e instanceof HqUnreachableError) {
        throw new RegisterError('order_unreachable', orderNo, `Order ${orderNo} is not on this register and HQ cannot be reached; try again when the register is online.`);
      }
      throw e;
    }
  };

  const orderSettings = async (): Promise<OrderSettings> => {
    const doc = await db.settings.findOne('orders').exec();
    if (!doc) return { ...DEFAULT_ORDER_SETTINGS, deliveryModes: DEFAULT_ORDER_SETTINGS.deliveryModes.map((m) => ({ ...m })) };
    const s = doc.toMutableJSON();
    return { depositBp: s.depositBp, cancelChargeBp: s.cancelChargeBp, deliveryModes: s.deliveryModes };
  };

  const context = (seq: number, operatorId: string): EventContext => ({ storeId, registerId, seq, createdAt: now().toISOString(), operatorId });

  /** Builds an event (the domain refuses by throwing: nothing is written, no number is used), reserves its number, writes it once. */
  const write = async (build: (seq: number, settings: OrderSettings) => OrderEvent): Promise<OrderView> => {
    const settings = await orderSettings();
    const seq = sequence.next();
    const event = build(seq, settings);
    // Reserve the number first: a crash after this leaves a gap, never a duplicate.
    await sequence.reserve(seq);
    // One document, one write: the event is there whole or not at all.
    await db.orderEvents.insert(event);
    const view = await localView(event.orderNo);
    if (!view) throw new Error(`order ${event.orderNo} vanished after it was written`);
    return view;
  };

  /** An action on an existing order: find it (HQ too, when never replicated here), then fold afresh in the queue and write. */
  const act = async (orderNoInput: string, build: (state: OrderState, settings: OrderSettings, ctx: EventContext) => OrderEvent, operatorId: string): Promise<OrderView> => {
    const orderNo = normalizeOrderNumber(orderNoInput);
    if (!orderNo) throw new RegisterError('not_an_order_number', orderNoInput.trim(), `${JSON.stringify(orderNoInput)} is not an order number`);
    if (!(await lookup(orderNo))) throw new RegisterError('order_not_found', orderNo, `Order ${orderNo} was not found`);
    return serial(async () => {
      // Folded again inside the queue: an event written meanwhile counts (its clock, its lines).
      const current = await localView(orderNo);
      if (!current) throw new RegisterError('order_not_found', orderNo, `Order ${orderNo} was not found`);
      return write((seq, settings) => build(current.state, settings, context(seq, operatorId)));
    });
  };

  /** Every order this register knows: the replica's, and those only its own events (or a fetched copy) know. */
  const candidates = async (wanted?: (row: OrderRow) => boolean): Promise<Candidate[]> => {
    const own = new Map<string, OrderEvent[]>();
    await readAll(db.orderEvents, (docs) => {
      for (const e of docs) {
        const list = own.get(e.orderNo);
        if (list) list.push(e);
        else own.set(e.orderNo, [e]);
      }
    });
    const out: Candidate[] = [];
    const seen = new Set<string>();
    await readAll(db.orders, (docs) => {
      for (const d of docs) {
        seen.add(d.id);
        const mine = own.get(d.id) ?? [];
        if (wanted && !wanted(d) && mine.length === 0) continue;
        out.push({ orderNo: d.id, hqEvents: d.events, own: mine, customerName: d.customerName, customerPhone: d.customerPhone, createdAt: d.createdAt, storeId: d.storeId });
      }
    });
    for (const [orderNo, mine] of own) {
      if (seen.has(orderNo)) continue;
      const hqDoc = fetched.get(orderNo);
      const created = [...(hqDoc?.events ?? []), ...mine].find((e) => e.type === 'created');
      out.push({
        orderNo,
        hqEvents: hqDoc?.events ?? [],
        own: mine,
        customerName: created?.type === 'created' ? created.customer.name : (hqDoc?.customerName ?? ''),
        customerPhone: created?.type === 'created' ? created.customer.phone : (hqDoc?.customerPhone ?? null),
        createdAt: created?.createdAt ?? hqDoc?.createdAt ?? '',
        storeId: created?.storeId ?? hqDoc?.storeId ?? '',
      });
    }
    return out;
  };

  const summaryOf = (c: Candidate): OrderSummary => summarize(foldOrder(c.orderNo, [...c.hqEvents, ...c.own]), storeId, c);

  return {
    orderSettings,

    async findCustomers(query: string, limit = 10): Promise<Customer[]> {
      if (!query.trim()) return [];
      const found: { customer: Customer; createdAt: string; seq: number }[] = [];
      const take = (events: readonly OrderEvent[]): void => {
        for (const e of events) if (e.type === 'created' && customerMatches(query, e.customer)) found.push({ customer: e.customer, createdAt: e.createdAt, seq: e.seq });
      };
      await readAll(db.orders, (docs) => {
        for (const d of docs) take(d.events);
      });
      await readAll(db.orderEvents, take);
      // The newest order's details (addresses) for each customer.
      found.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.seq - a.seq));
      const byKey = new Map<string, Customer>();
      for (const f of found) if (!byKey.has(customerKey(f.customer))) byKey.set(customerKey(f.customer), f.customer);
      return [...byKey.values()].slice(0, limit);
    },

    createOrder(order: NewOrder, operatorId: string): Promise<OrderView> {
      return serial(() =>
        write((seq, settings) =>
          createOrder(
            { customer: order.customer, lines: order.lines, settings, depositCents: order.depositCents, override: order.override, tenders: order.tenders },
            context(seq, operatorId),
          ),
        ),
      );
    },

    async findOrders(query: string, limit = 20): Promise<OrderSummary[]> {
      const list = (await candidates()).filter((c) => orderMatches(query, c)).sort(newestFirst);
      return list.slice(0, limit).map(summaryOf);
    },

    async ordersForPickup(limit = 50): Promise<OrderSummary[]> {
      const list = await candidates((row) => row.pickupStores.includes(storeId));
      return list
        .map(summaryOf)
        .filter((s) => s.pickupHere > 0)
        .sort(newestFirst)
        .slice(0, limit);
    },

    async order(orderNoInput: string): Promise<OrderView | null> {
      const orderNo = normalizeOrderNumber(orderNoInput);
      return orderNo ? lookup(orderNo) : null;
    },

    pickUpOrder(orderNo: string, lineNos: number[], tenders: TenderInput[], operatorId: string): Promise<OrderView> {
      return act(orderNo, (state, _settings, ctx) => pickUp(state, lineNos, tenders, ctx), operatorId);
    },

    cancelOrder(orderNo: string, lineNos: number[], method: 'cash' | 'card', reason: string, operatorId: string): Promise<OrderView> {
      return act(orderNo, (state, settings, ctx) => cancel(state, lineNos, settings, method, reason, ctx), operatorId);
    },

    addDeposit(orderNo: string, amountCents: Cents, tenders: TenderInput[], operatorId: string): Promise<OrderView> {
      return act(orderNo, (state, _settings, ctx) => addDeposit(state, amountCents, tenders, ctx), operatorId);
    },

    async approveAsManager(operatorId: string, pin: string): Promise<Approval | null> {
      const doc = await db.operators.findOne(operatorId.trim()).exec();
      if (!doc) return null;
      const op = doc.toMutableJSON();
      if (op.role !== 'manager' || (op.storeId !== null && op.storeId !== undefined && op.storeId !== storeId)) return null;
      if (!(await verifyPin(pin, { pinHash: op.pinHash, pinSalt: op.pinSalt, pinIterations: op.pinIterations }))) return null;
      return { managerId: op.id, name: op.name };
    },
  };
}
