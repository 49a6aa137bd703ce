import {
  type OrderEvent,
  type OrderException,
  type OrderState,
  type ShippedEvent,
  normalizeOrderNumber,
  verifyOrderEvent,
} from '../../src/order.ts';
import type { OrderDoc, OrderEventDoc } from '../protocol/index.ts';
import { HqError } from './errors.ts';
import { type SqlParam, toPgArray } from './sql.ts';

/**
 * Customer orders at HQ: the pieces that need no database. HQ stores every order event a
 * register pushes (order_events) and keeps, per order, its fold (src/order.ts foldOrder) in the
 * `orders` table, which registers pull. store.ts does the SQL.
 */

/** The store id of the events HQ records itself (shipping). It is not a store: no register replicates by it. */
export const HQ_STORE = 'HQ';

type Row = Record<string, unknown>;

/** The columns an OrderDoc is read from. */
export const ORDER_COLUMNS = 'id, store_id, stores, customer_name, customer_phone, status, pickup_stores, exception_count, created_at, events, deleted';

/** The columns writeOrders sets, in the order of orderRow's values. */
export const ORDER_WRITE_COLUMNS = [
  'id',
  'store_id',
  'stores',
  'customer_name',
  'customer_phone',
  'status',
  'pickup_stores',
  'exception_count',
  'exceptions',
  'created_at',
  'events',
] as const;

/** jsonb arrives parsed from both backends; a text value (a cast somewhere) is parsed here. */
function json<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

const STATUSES: readonly OrderDoc['status'][] = ['open', 'partly', 'completed', 'cancelled'];

export function orderDocFromRow(r: Row): OrderDoc {
  const status = STATUSES.find((s) => s === r.status) ?? 'open';
  return {
    id: String(r.id),
    storeId: String(r.store_id),
    stores: (r.stores as string[] | null) ?? [],
    customerName: String(r.customer_name),
    customerPhone: r.customer_phone === null || r.customer_phone === undefined ? null : String(r.customer_phone),
    status,
    pickupStores: (r.pickup_stores as string[] | null) ?? [],
    exceptions: Number(r.exception_count ?? 0),
    createdAt: String(r.created_at),
    events: json<OrderEvent[]>(r.events, []),
    _deleted: Boolean(r.deleted),
  };
}

/** An order with its exceptions, for a manager (GET /api/orders/exceptions). */
export interface OrderExceptionsEntry {
  id: string;
  storeId: string;
  stores: string[];
  customerName: string;
  customerPhone: string | null;
  status: OrderDoc['status'];
  pickupStores: string[];
  createdAt: string;
  exceptions: OrderException[];
}

export function exceptionsEntryFromRow(r: Row): OrderExceptionsEntry {
  const { id, storeId, stores, customerName, customerPhone, status, pickupStores, createdAt } = orderDocFromRow(r);
  return { id, storeId, stores, customerName, customerPhone, status, pickupStores, createdAt, exceptions: json<OrderException[]>(r.exceptions, []) };
}

/** The event as the fold and the OrderDoc carry it: without RxDB's `_deleted`. */
export function eventOf(doc: OrderEventDoc): OrderEvent {
  const { _deleted: _ignored, ...event } = doc;
  return event as OrderEvent;
}

/**
 * Every store that replicates the order: where it was made, the pick-up store of every line
 * (open or not), and every store that made an event on it (a store that cancelled an order
 * made elsewhere gets it from then on). HQ's own events add no store.
 */
export function orderStores(state: OrderState): string[] {
  const stores = new Set<string>([state.storeId]);
  for (const l of state.lines) if (l.fulfilment.mode === 'pickup') stores.add(l.fulfilment.storeId);
  for (const e of state.events) if (e.storeId !== HQ_STORE) stores.add(e.storeId);
  return [...stores].sort();
}

/** The values of ORDER_WRITE_COLUMNS for a complete order's fold. */
export function orderRow(state: OrderState): SqlParam[] {
  return [
    state.orderNo,
    state.storeId,
    toPgArray(orderStores(state)),
    state.customer?.name ?? '',
    state.customer?.phone ?? null,
    state.status,
    toPgArray(state.pickupStores),
    state.exceptions.length,
    JSON.stringify(state.exceptions),
    state.createdAt,
    JSON.stringify(state.events),
  ];
}

/**
 * The `shipped` event HQ records for open ship lines of an order, or a 409 naming the line
 * that is not one. HQ's events are numbered per order: SHP-<order>-<n>, n = HQ's events on
 * the order so far + 1; the clock is above every event HQ holds of it.
 */
export function shipmentEvent(state: OrderState, lineNos: readonly number[], now: Date): ShippedEvent {
  lineNos.forEach((lineNo, i) => {
    const field = `lines[${i}]`;
    const line = state.lines.find((l) => l.lineNo === lineNo);
    if (!line) throw new HqError(409, 'not_shippable', `order ${state.orderNo} has no line ${lineNo}`, field);
    if (line.fulfilment.mode !== 'ship') throw new HqError(409, 'not_shippable', `line ${lineNo} of ${state.orderNo} is a ${line.fulfilment.mode} line, not shipped`, field);
    if (line.status !== 'open') {
      throw new HqError(409, 'not_shippable', `line ${lineNo} of ${state.orderNo} was already ${line.status === 'handedOut' ? 'handed out' : 'cancelled'}`, field);
    }
  });
  const n = state.events.filter((e) => e.storeId === HQ_STORE).length + 1;
  const event: ShippedEvent = {
    type: 'shipped',
    id: `SHP-${state.orderNo}-${n}`,
    orderNo: state.orderNo,
    storeId: HQ_STORE,
    registerId: HQ_STORE,
    seq: n,
    clock: state.clock + 1,
    createdAt: now.toISOString(),
    operatorId: 'hq',
    lines: lineNos.map((lineNo) => ({ lineNo })),
  };
  const problems = verifyOrderEvent(event);
  if (problems.length) throw new Error(`HQ made a shipped event that does not verify: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`);
  return event;
}

/** What a search text can mean: an order number (lenient), part of a name, a phone number (digits). */
export interface OrderSearch {
  /** The trimmed text; '' lists the newest orders. */
  term: string;
  orderNo: string | null;
  /** ILIKE pattern with % and _ escaped. */
  namePattern: string;
  /** The text's digits ('' when it has none): compared with the phone's digits. */
  phoneDigits: string;
}

export function orderSearch(q: string): OrderSearch {
  const term = q.trim();
  return {
    term,
    orderNo: term ? normalizeOrderNumber(term) : null,
    namePattern: `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    phoneDigits: term.replace(/\D/g, ''),
  };
}
