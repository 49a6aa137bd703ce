import { type Cents, MoneyError, assertCents, isCents, multiplyCents } from './money.ts';
import { formatDocumentNumber } from './numbering.ts';
import { roundCash } from './rounding.ts';
import { type SaleLine, type Tender, type TenderInput, applyTenders } from './sale.ts';
import { isVatClass } from './vat.ts';

/**
 * Customer orders as immutable events.
 *
 * A register never edits an order: it records what happened (created, deposit, picked up,
 * cancelled; HQ records shipped) as an event with its own number. The order's state is a pure
 * function of its set of events — `foldOrder` — computed the same way at HQ and on every
 * register, so every replica that holds the same events shows the same order, whatever order
 * the events arrived in.
 *
 * The rule for two stores acting on one order while apart (see foldOrder):
 *  - events are ordered by a Lamport clock (each event's clock is above every event its register
 *    knew of that order), ties by event id: causally later events always come later;
 *  - hand-outs (carry-out, pick-up, shipping) are facts: they are applied before cancellations,
 *    so a cancellation that meets a line already handed out loses, whichever arrived first;
 *  - whatever an event did that its line no longer allows (a second hand-out, a cancellation of
 *    a line handed out or already cancelled, money for a closed line, a refund or balance that
 *    differs from what the line held) is kept as an exception for a manager, with its amount.
 *
 * Money: every line holds the money paid for it (`heldCents`). At all times
 *   paid − refunded = value handed out + cancellation charges kept + held on open lines + Σ exceptions
 * (exception amounts are signed: positive = the chain holds money the customer is owed,
 * negative = the chain is short). foldOrder keeps that identity; the property test checks it.
 */

export interface Address {
  street: string;
  postcode: string;
  town: string;
  country: string;
}

export interface Customer {
  name: string;
  phone: string | null;
  email: string | null;
  addresses: Address[];
}

export interface DeliveryMode {
  id: string;
  name: string;
  chargeCents: Cents;
}

/** The chain's order settings (HQ publishes them to every register). */
export interface OrderSettings {
  /** Required deposit as a share of the value of the lines to be picked up, in basis points (2000 = 20 %). */
  depositBp: number;
  /** Cancellation charge as a share of a cancelled line's value, in basis points; never more than the line held. */
  cancelChargeBp: number;
  deliveryModes: DeliveryMode[];
}

export const DEFAULT_ORDER_SETTINGS: OrderSettings = {
  depositBp: 2000,
  cancelChargeBp: 500,
  deliveryModes: [
    { id: 'standard', name: 'Standard (2-3 days)', chargeCents: 495 },
    { id: 'express', name: 'Express (next day)', chargeCents: 995 },
  ],
};

export type Fulfilment =
  | { mode: 'carry' }
  | { mode: 'pickup'; storeId: string }
  | { mode: 'ship'; fromLocationId: string; address: Address; deliveryMode: string; chargeCents: Cents };

/** A sale's line (amountCents = quantity × unit price) with what happens to it. */
export interface OrderLine extends SaleLine {
  fulfilment: Fulfilment;
}

/** Money taken: `dueCents` counts for the order; cash rounding and change are the till's. */
export interface OrderPayment {
  dueCents: Cents;
  roundingCents: Cents;
  payableCents: Cents;
  changeCents: Cents;
  tenders: Tender[];
}

/** Money given back. Cash is paid out rounded to 5 cents; `amountCents` counts for the order. */
export interface OrderRefund {
  amountCents: Cents;
  method: 'cash' | 'card';
  paidOutCents: Cents;
  roundingCents: Cents;
}

export interface DepositOverride {
  /** The manager who approved it (their PIN was checked at the register). */
  managerId: string;
  reason: string;
}

interface EventBase {
  /** EVT-<store>-<register>-<seq>: unique without HQ. */
  id: string;
  orderNo: string;
  /** Where and by whom. HQ's own events (shipping) have storeId "HQ". */
  storeId: string;
  registerId: string;
  seq: number;
  /** Lamport clock: above every event of this order the register knew when it acted. */
  clock: number;
  /** The register's clock, for people. Never used for ordering. */
  createdAt: string;
  operatorId: string;
}

export interface CreatedEvent extends EventBase {
  type: 'created';
  customer: Customer;
  lines: OrderLine[];
  depositBp: number;
  depositRequiredCents: Cents;
  override: DepositOverride | null;
  /** What was paid now, per line: carry-out and ship lines in full, the deposit spread over pick-up lines. */
  allocations: { lineNo: number; cents: Cents }[];
  payment: OrderPayment | null;
}

export interface DepositEvent extends EventBase {
  type: 'deposit';
  allocations: { lineNo: number; cents: Cents }[];
  payment: OrderPayment;
}

export interface PickedUpEvent extends EventBase {
  type: 'pickedUp';
  /** The lines handed out and the balance taken for each (value less what it held, as the register saw it). */
  lines: { lineNo: number; balanceCents: Cents }[];
  payment: OrderPayment | null;
}

export interface ShippedEvent extends EventBase {
  type: 'shipped';
  lines: { lineNo: number }[];
}

export interface CancelledEvent extends EventBase {
  type: 'cancelled';
  /** Per line: what it held less the charge, given back; the charge kept. */
  lines: { lineNo: number; refundCents: Cents; chargeCents: Cents }[];
  refund: OrderRefund | null;
  reason: string;
}

export type OrderEvent = CreatedEvent | DepositEvent | PickedUpEvent | ShippedEvent | CancelledEvent;
export type OrderEventType = OrderEvent['type'];

// ---- numbers ---------------------------------------------------------------------------------

/** Order numbers and event ids: the register's document number with a prefix, readable aloud. */
export function orderNumber(storeId: string, registerId: string, seq: number): string {
  return `ORD-${formatDocumentNumber(storeId, registerId, seq)}`;
}
export function orderEventId(storeId: string, registerId: string, seq: number): string {
  return `EVT-${formatDocumentNumber(storeId, registerId, seq)}`;
}
/** "ord-1001-02-42 " → "ORD-1001-02-000042"; null when it is not an order number. */
export function normalizeOrderNumber(text: string): string | null {
  // Typed by hand: any case, spaces, the sequence without its leading zeros.
  const m = /^\s*(?:ORD[-\s]?)?([A-Z0-9]{1,8})-([A-Z0-9]{1,8})-(\d{1,16})\s*$/i.exec(text);
  if (!m) return null;
  const seq = Number(m[3]);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  return orderNumber(m[1]!.toUpperCase(), m[2]!.toUpperCase(), seq);
}

// ---- money helpers -----------------------------------------------------------------------------

/** A line's value: its goods, plus the delivery charge of a line shipped. */
export function lineValue(line: OrderLine): Cents {
  return line.amountCents + (line.fulfilment.mode === 'ship' ? line.fulfilment.chargeCents : 0);
}

/** `bp` basis points of `cents`, rounded up to the cent (a deposit or a charge is never a fraction short). */
export function shareOf(cents: Cents, bp: number): Cents {
  assertCents(cents);
  if (!Number.isSafeInteger(bp) || bp < 0 || bp > 10_000) throw new MoneyError(`a share must be 0-10000 basis points, got ${bp}`);
  return Math.ceil((cents * bp) / 10_000);
}

/**
 * Splits `amount` over weights in proportion, in whole cents, by largest remainder (ties to the
 * earlier weight), never giving a part more than its weight. Sums exactly to `amount`.
 */
export function allocate(amount: Cents, weights: readonly Cents[]): Cents[] {
  assertCents(amount);
  const total = weights.reduce((s, w) => s + w, 0);
  if (amount < 0 || amount > total) throw new MoneyError(`cannot spread ${amount} over ${total}`);
  if (total === 0) return weights.map(() => 0);
  const parts = weights.map((w) => Math.floor((amount * w) / total));
  let rest = amount - parts.reduce((s, p) => s + p, 0);
  const order = weights
    .map((w, i) => ({ i, rem: (amount * w) % total }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (rest === 0) break;
    if (parts[i]! < weights[i]!) {
      parts[i]! += 1;
      rest -= 1;
    }
  }
  return parts;
}

function payment(dueCents: Cents, tenders: readonly TenderInput[]): OrderPayment | null {
  if (dueCents === 0 && tenders.length === 0) return null;
  const p = applyTenders(dueCents, tenders);
  if (!p.complete) throw new MoneyError(`${p.remainingCents} cents remain to be paid`);
  return { dueCents, roundingCents: p.roundingCents, payableCents: p.payableCents, changeCents: p.changeCents, tenders: p.tenders };
}

function refund(amountCents: Cents, method: 'cash' | 'card'): OrderRefund | null {
  if (amountCents === 0) return null;
  const paidOutCents = method === 'cash' ? roundCash(amountCents) : amountCents;
  return { amountCents, method, paidOutCents, roundingCents: paidOutCents - amountCents };
}

// ---- the state -----------------------------------------------------------------------------------

export type LineStatus = 'open' | 'handedOut' | 'cancelled';

export interface LineState extends OrderLine {
  status: LineStatus;
  /** Money held for the line now (0 once handed out or cancelled). */
  heldCents: Cents;
  /** Cancellation charge kept, when cancelled. */
  chargeCents: Cents;
  /** The event that closed it, where (store) and how. */
  closedBy: { eventId: string; type: OrderEventType; storeId: string; registerId: string; createdAt: string } | null;
}

export type OrderExceptionKind =
  | 'handed_out_twice'
  | 'cancelled_after_handout'
  | 'cancelled_twice'
  | 'money_for_closed_line'
  | 'overpaid'
  | 'balance_differs'
  | 'refund_differs'
  | 'wrong_fulfilment'
  | 'unknown_line';

export interface OrderException {
  kind: OrderExceptionKind;
  lineNo: number;
  eventId: string;
  /** The event it collided with, if any. */
  otherEventId: string | null;
  storeId: string;
  /** Positive: the chain holds money the customer is owed. Negative: the chain is short. */
  amountCents: Cents;
  message: string;
}

export type OrderStatus = 'open' | 'partly' | 'completed' | 'cancelled';

export interface OrderState {
  orderNo: string;
  /** False while the created event is missing (an event arrived before it); the rest waits. */
  complete: boolean;
  storeId: string;
  registerId: string;
  createdAt: string;
  operatorId: string;
  customer: Customer | null;
  lines: LineState[];
  status: OrderStatus;
  /** Highest Lamport clock among the events: a new event gets clock + 1. */
  clock: number;
  paidCents: Cents;
  refundedCents: Cents;
  handedOutCents: Cents;
  chargesCents: Cents;
  heldCents: Cents;
  /** What the open lines still need: their value less what they hold. */
  balanceCents: Cents;
  exceptions: OrderException[];
  /** Every event, in the order the fold applied them. */
  events: OrderEvent[];
  depositRequiredCents: Cents;
  depositOverride: DepositOverride | null;
  /** Stores where open lines are to be picked up. */
  pickupStores: string[];
}

const byClock = (a: OrderEvent, b: OrderEvent): number => a.clock - b.clock || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * HQ's rule, applied the same way everywhere: the order's state from its events (any order, any
 * duplicates). See the module comment.
 */
export function foldOrder(orderNo: string, input: readonly OrderEvent[]): OrderState {
  const unique = new Map<string, OrderEvent>();
  for (const e of input) if (e.orderNo === orderNo && !unique.has(e.id)) unique.set(e.id, e);
  const all = [...unique.values()].sort(byClock);
  const created = all.find((e): e is CreatedEvent => e.type === 'created');
  const clock = all.reduce((m, e) => Math.max(m, e.clock), 0);
  const state: OrderState = {
    orderNo,
    complete: Boolean(created),
    storeId: created?.storeId ?? '',
    registerId: created?.registerId ?? '',
    createdAt: created?.createdAt ?? '',
    operatorId: created?.operatorId ?? '',
    customer: created?.customer ?? null,
    lines: [],
    status: 'open',
    clock,
    paidCents: 0,
    refundedCents: 0,
    handedOutCents: 0,
    chargesCents: 0,
    heldCents: 0,
    balanceCents: 0,
    exceptions: [],
    events: all,
    depositRequiredCents: created?.depositRequiredCents ?? 0,
    depositOverride: created?.override ?? null,
    pickupStores: [],
  };
  if (!created) return state;

  const lines = new Map<number, LineState>(created.lines.map((l) => [l.lineNo, { ...l, status: 'open', heldCents: 0, chargeCents: 0, closedBy: null }]));
  const closedBy = (e: OrderEvent): LineState['closedBy'] => ({ eventId: e.id, type: e.type, storeId: e.storeId, registerId: e.registerId, createdAt: e.createdAt });
  const flag = (kind: OrderExceptionKind, lineNo: number, e: OrderEvent, other: string | null, amountCents: Cents, message: string): void => {
    state.exceptions.push({ kind, lineNo, eventId: e.id, otherEventId: other, storeId: e.storeId, amountCents, message });
  };
  const handOut = (line: LineState, e: OrderEvent, addCents: Cents): void => {
    const value = lineValue(line);
    if (line.status === 'open') {
      const held = line.heldCents + addCents;
      if (held !== value) {
        flag('balance_differs', line.lineNo, e, null, held - value, held > value
          ? `line ${line.lineNo} was paid ${held - value} cents more than its value`
          : `line ${line.lineNo} was handed out ${value - held} cents short of its value`);
      }
      state.handedOutCents += value;
      line.heldCents = 0;
      line.status = 'handedOut';
      line.closedBy = closedBy(e);
      return;
    }
    // Goods left the store again (or after a cancellation that lost): they count as handed out;
    // what was taken for them does not cover them.
    state.handedOutCents += value;
    const kind = line.status === 'handedOut' ? 'handed_out_twice' : 'cancelled_after_handout';
    flag(kind, line.lineNo, e, line.closedBy?.eventId ?? null, addCents - value,
      `line ${line.lineNo} was handed out at ${e.storeId} after it was ${line.status === 'handedOut' ? 'handed out' : 'cancelled'} by ${line.closedBy?.eventId ?? '?'}`);
  };

  const apply = (e: OrderEvent): void => {
    switch (e.type) {
      case 'created': {
        state.paidCents += e.payment?.dueCents ?? 0;
        for (const a of e.allocations) {
          const line = lines.get(a.lineNo);
          if (line) line.heldCents += a.cents;
        }
        for (const line of lines.values()) if (line.fulfilment.mode === 'carry') handOut(line, e, 0);
        return;
      }
      case 'deposit': {
        state.paidCents += e.payment.dueCents;
        for (const a of e.allocations) {
          const line = lines.get(a.lineNo);
          if (line?.status === 'open') {
            // Two registers taking a deposit for the same line while apart can pay it beyond its
            // value: the line holds at most its value, the rest is owed to the customer.
            const take = Math.min(a.cents, Math.max(0, lineValue(line) - line.heldCents));
            line.heldCents += take;
            if (take < a.cents) flag('overpaid', a.lineNo, e, null, a.cents - take, `a deposit paid line ${a.lineNo} ${a.cents - take} cents beyond its value: it is owed to the customer`);
          } else flag('money_for_closed_line', a.lineNo, e, line?.closedBy?.eventId ?? null, a.cents, `a deposit of ${a.cents} cents for line ${a.lineNo}, which was already ${line ? 'closed' : 'unknown'}: it is owed to the customer`);
        }
        return;
      }
      case 'pickedUp':
      case 'shipped': {
        const want = e.type === 'pickedUp' ? 'pickup' : 'ship';
        if (e.type === 'pickedUp') state.paidCents += e.payment?.dueCents ?? 0;
        for (const l of e.lines) {
          const add = 'balanceCents' in l ? (l as { balanceCents: Cents }).balanceCents : 0;
          const line = lines.get(l.lineNo);
          if (!line) {
            flag('unknown_line', l.lineNo, e, null, add, `the order has no line ${l.lineNo}`);
            continue;
          }
          if (line.fulfilment.mode !== want) {
            // Recorded all the same: the goods did leave.
            flag('wrong_fulfilment', l.lineNo, e, null, 0, `line ${l.lineNo} is a ${line.fulfilment.mode} line, handed out by ${e.type}`);
          }
          handOut(line, e, add);
        }
        return;
      }
      case 'cancelled': {
        state.refundedCents += e.refund?.amountCents ?? 0;
        for (const l of e.lines) {
          const line = lines.get(l.lineNo);
          if (!line || line.status !== 'open') {
            const kind = !line ? 'unknown_line' : line.status === 'handedOut' ? 'cancelled_after_handout' : 'cancelled_twice';
            flag(kind, l.lineNo, e, line?.closedBy?.eventId ?? null, -l.refundCents,
              !line ? `the order has no line ${l.lineNo}` : `line ${l.lineNo} was cancelled at ${e.storeId} after it was ${line.status === 'handedOut' ? 'handed out' : 'cancelled'} by ${line.closedBy?.eventId ?? '?'}; ${l.refundCents} cents were refunded for it`);
            continue;
          }
          const charge = Math.min(Math.max(0, l.chargeCents), line.heldCents);
          const expected = line.heldCents - charge;
          if (expected !== l.refundCents) {
            flag('refund_differs', l.lineNo, e, null, expected - l.refundCents, expected > l.refundCents
              ? `line ${l.lineNo} held ${line.heldCents} cents; ${expected - l.refundCents} more are owed to the customer`
              : `line ${l.lineNo} was refunded ${l.refundCents - expected} cents more than it held`);
          }
          state.chargesCents += charge;
          line.chargeCents = charge;
          line.heldCents = 0;
          line.status = 'cancelled';
          line.closedBy = closedBy(e);
        }
        return;
      }
    }
  };

  apply(created);
  // Hand-outs and payments first (in clock order), then cancellations: a hand-out is a fact.
  for (const e of all) if (e !== created && e.type !== 'cancelled' && e.type !== 'created') apply(e);
  for (const e of all) if (e.type === 'cancelled') apply(e);
  // A second created event under the same order number cannot be made by a register (the
  // number is its own); it is ignored by the fold and flagged.
  for (const e of all) if (e.type === 'created' && e !== created) flag('unknown_line', 0, e, created.id, 0, `a second creation of ${orderNo} was ignored`);

  state.lines = [...lines.values()].sort((a, b) => a.lineNo - b.lineNo);
  for (const l of state.lines) {
    state.heldCents += l.heldCents;
    if (l.status === 'open') state.balanceCents += Math.max(0, lineValue(l) - l.heldCents);
  }
  const open = state.lines.filter((l) => l.status === 'open');
  state.pickupStores = [...new Set(open.flatMap((l) => (l.fulfilment.mode === 'pickup' ? [l.fulfilment.storeId] : [])))].sort();
  state.status = open.length === state.lines.length
    ? 'open'
    : open.length > 0
      ? 'partly'
      : state.lines.every((l) => l.status === 'cancelled')
        ? 'cancelled'
        : 'completed';
  return state;
}

/** Σ exceptions: what the identity needs besides the lines. */
export function exceptionCents(state: OrderState): Cents {
  return state.exceptions.reduce((s, x) => s + x.amountCents, 0);
}

// ---- making events at the register ---------------------------------------------------------------

export interface EventContext {
  storeId: string;
  registerId: string;
  seq: number;
  createdAt: string;
  operatorId: string;
}

/** A line as the cashier chooses it: createOrder numbers it and works out its amount. */
export type NewOrderLine = Omit<OrderLine, 'lineNo' | 'amountCents'>;

/** What must be paid when the order is made: carry-out and ship lines in full, plus the deposit. */
export function orderDue(lines: readonly NewOrderLine[], settings: Pick<OrderSettings, 'depositBp'>): { fullCents: Cents; pickupCents: Cents; depositRequiredCents: Cents } {
  let fullCents = 0;
  let pickupCents = 0;
  for (const l of lines) {
    const amount = multiplyCents(l.unitPriceCents, l.quantity);
    if (l.fulfilment.mode === 'pickup') pickupCents += amount;
    else fullCents += amount + (l.fulfilment.mode === 'ship' ? l.fulfilment.chargeCents : 0);
  }
  return { fullCents, pickupCents, depositRequiredCents: shareOf(pickupCents, settings.depositBp) };
}

export function createOrder(
  input: {
    customer: Customer;
    lines: readonly NewOrderLine[];
    settings: Pick<OrderSettings, 'depositBp'>;
    /** The deposit taken: at least the required one, unless a manager overrides it. */
    depositCents: Cents;
    override: DepositOverride | null;
    tenders: readonly TenderInput[];
  },
  ctx: EventContext,
): CreatedEvent {
  if (input.lines.length === 0) throw new MoneyError('an order needs at least one line');
  if (!input.customer.name.trim()) throw new MoneyError('the customer needs a name');
  const due = orderDue(input.lines, input.settings);
  assertCents(input.depositCents, 'deposit');
  if (input.depositCents < 0 || input.depositCents > due.pickupCents) throw new MoneyError(`the deposit must be 0 to ${due.pickupCents} cents`);
  if (input.depositCents < due.depositRequiredCents && !input.override) {
    throw new MoneyError(`the deposit must be at least ${due.depositRequiredCents} cents unless a manager overrides it`);
  }
  const lines: OrderLine[] = input.lines.map((l, i) => ({
    lineNo: i + 1,
    productId: l.productId,
    itemNumber: l.itemNumber,
    barcode: l.barcode,
    name: l.name,
    quantity: l.quantity,
    unitPriceCents: l.unitPriceCents,
    amountCents: multiplyCents(l.unitPriceCents, l.quantity),
    vat: l.vat,
    outOfAssortment: l.outOfAssortment,
    fulfilment: l.fulfilment,
  }));
  const pickup = lines.filter((l) => l.fulfilment.mode === 'pickup');
  const spread = allocate(input.depositCents, pickup.map((l) => l.amountCents));
  const allocations = lines.map((l) => ({
    lineNo: l.lineNo,
    cents: l.fulfilment.mode === 'pickup' ? spread[pickup.indexOf(l)]! : lineValue(l),
  }));
  const total = due.fullCents + input.depositCents;
  return {
    type: 'created',
    ...base(orderNumber(ctx.storeId, ctx.registerId, ctx.seq), 1, ctx),
    customer: input.customer,
    lines,
    depositBp: input.settings.depositBp,
    depositRequiredCents: due.depositRequiredCents,
    override: input.depositCents < due.depositRequiredCents ? input.override : null,
    allocations,
    payment: payment(total, input.tenders),
  };
}

function base(orderNo: string, clock: number, ctx: EventContext): EventBase {
  return {
    id: orderEventId(ctx.storeId, ctx.registerId, ctx.seq),
    orderNo,
    storeId: ctx.storeId,
    registerId: ctx.registerId,
    seq: ctx.seq,
    clock,
    createdAt: ctx.createdAt,
    operatorId: ctx.operatorId,
  };
}

function openLines(state: OrderState, lineNos: readonly number[], mode: Fulfilment['mode'][]): LineState[] {
  if (!state.complete) throw new MoneyError(`order ${state.orderNo} is not complete here yet`);
  if (lineNos.length === 0) throw new MoneyError('choose at least one line');
  return [...new Set(lineNos)].map((n) => {
    const line = state.lines.find((l) => l.lineNo === n);
    if (!line) throw new MoneyError(`order ${state.orderNo} has no line ${n}`);
    if (line.status !== 'open') throw new MoneyError(`line ${n} was already ${line.status === 'handedOut' ? 'handed out' : 'cancelled'}`);
    if (!mode.includes(line.fulfilment.mode)) throw new MoneyError(`line ${n} is a ${line.fulfilment.mode} line`);
    return line;
  });
}

/** Hands out pick-up lines: the balance of each (value less what it holds) is paid now. */
export function pickUp(state: OrderState, lineNos: readonly number[], tenders: readonly TenderInput[], ctx: EventContext): PickedUpEvent {
  const lines = openLines(state, lineNos, ['pickup']).map((l) => ({ lineNo: l.lineNo, balanceCents: Math.max(0, lineValue(l) - l.heldCents) }));
  const due = lines.reduce((s, l) => s + l.balanceCents, 0);
  return { type: 'pickedUp', ...base(state.orderNo, state.clock + 1, ctx), lines, payment: payment(due, tenders) };
}

/** What cancelling these lines gives back: per line what it held less the chain's charge (never more than it held). */
export function cancellation(state: OrderState, lineNos: readonly number[], settings: Pick<OrderSettings, 'cancelChargeBp'>): CancelledEvent['lines'] {
  return openLines(state, lineNos, ['pickup', 'ship']).map((l) => {
    const chargeCents = Math.min(l.heldCents, shareOf(lineValue(l), settings.cancelChargeBp));
    return { lineNo: l.lineNo, refundCents: l.heldCents - chargeCents, chargeCents };
  });
}

export function cancel(
  state: OrderState,
  lineNos: readonly number[],
  settings: Pick<OrderSettings, 'cancelChargeBp'>,
  method: 'cash' | 'card',
  reason: string,
  ctx: EventContext,
): CancelledEvent {
  const lines = cancellation(state, lineNos, settings);
  const amount = lines.reduce((s, l) => s + l.refundCents, 0);
  return { type: 'cancelled', ...base(state.orderNo, state.clock + 1, ctx), lines, refund: refund(amount, method), reason };
}

/** A further deposit, spread over the open pick-up lines by what each still needs. */
export function addDeposit(state: OrderState, amountCents: Cents, tenders: readonly TenderInput[], ctx: EventContext): DepositEvent {
  const open = state.lines.filter((l) => l.status === 'open' && l.fulfilment.mode === 'pickup');
  const needs = open.map((l) => Math.max(0, lineValue(l) - l.heldCents));
  assertCents(amountCents, 'deposit');
  if (amountCents <= 0) throw new MoneyError('a deposit must be positive');
  const spread = allocate(amountCents, needs);
  const allocations = open.map((l, i) => ({ lineNo: l.lineNo, cents: spread[i]! })).filter((a) => a.cents > 0);
  const p = payment(amountCents, tenders);
  if (!p) throw new MoneyError('a deposit must be paid');
  return { type: 'deposit', ...base(state.orderNo, state.clock + 1, ctx), allocations, payment: p };
}

// ---- checking an event (HQ runs this on every pushed event) --------------------------------------

export interface OrderProblem {
  field: string;
  reason: string;
}

function checkPayment(p: OrderPayment | null, due: Cents, field: string, bad: (f: string, r: string) => void): void {
  if (p === null) {
    if (due !== 0) bad(field, `is missing; ${due} cents are due`);
    return;
  }
  if (p.dueCents !== due) bad(`${field}.dueCents`, `must be ${due}`);
  try {
    const again = applyTenders(p.dueCents, p.tenders.map((t): TenderInput =>
      t.kind === 'card' ? { kind: 'card', amountCents: t.amountCents, ...(t.reference !== null ? { reference: t.reference } : {}) } : { kind: 'cash', tenderedCents: t.tenderedCents }));
    if (!again.complete) bad(`${field}.tenders`, `do not pay ${p.dueCents}; ${again.remainingCents} cents remain`);
    if (again.roundingCents !== p.roundingCents) bad(`${field}.roundingCents`, `must be ${again.roundingCents}`);
    if (again.payableCents !== p.payableCents) bad(`${field}.payableCents`, `must be ${again.payableCents}`);
    if (again.changeCents !== p.changeCents) bad(`${field}.changeCents`, `must be ${again.changeCents}`);
    if (JSON.stringify(again.tenders) !== JSON.stringify(p.tenders)) bad(`${field}.tenders`, 'amounts or change do not match what was tendered');
  } catch (e) {
    bad(`${field}.tenders`, (e as Error).message);
  }
}

/** Checks that an event is what the functions above make: numbers, arithmetic, money. */
export function verifyOrderEvent(e: OrderEvent): OrderProblem[] {
  const problems: OrderProblem[] = [];
  const bad = (field: string, reason: string): void => {
    problems.push({ field, reason });
  };
  if (e.storeId !== 'HQ') {
    try {
      if (e.id !== orderEventId(e.storeId, e.registerId, e.seq)) bad('id', `must be ${orderEventId(e.storeId, e.registerId, e.seq)}`);
    } catch (err) {
      bad('id', (err as Error).message);
    }
  }
  if (normalizeOrderNumber(e.orderNo) !== e.orderNo) bad('orderNo', 'is not an order number like ORD-1001-01-000001');
  if (!Number.isSafeInteger(e.clock) || e.clock < 1) bad('clock', 'must be a positive whole number');
  switch (e.type) {
    case 'created': {
      if (e.clock !== 1) bad('clock', 'a creation has clock 1');
      if (e.storeId !== 'HQ' && e.orderNo !== orderNumber(e.storeId, e.registerId, e.seq)) bad('orderNo', 'must carry the creating register and sequence');
      if (e.lines.length === 0) bad('lines', 'an order needs at least one line');
      let full = 0;
      let pickupTotal = 0;
      e.lines.forEach((l, i) => {
        const at = `lines[${i}]`;
        if (l.lineNo !== i + 1) bad(`${at}.lineNo`, `must be ${i + 1}`);
        if (!isVatClass(l.vat)) bad(`${at}.vat`, 'must be high, low or zero');
        if (!isCents(l.unitPriceCents * l.quantity) || l.amountCents !== l.unitPriceCents * l.quantity) bad(`${at}.amountCents`, 'must be quantity × unit price');
        const value = lineValue(l);
        const a = e.allocations.find((x) => x.lineNo === l.lineNo)?.cents ?? 0;
        if (l.fulfilment.mode === 'pickup') {
          pickupTotal += l.amountCents;
          if (a < 0 || a > value) bad(`allocations`, `line ${l.lineNo} gets 0 to ${value} cents`);
        } else {
          full += value;
          if (a !== value) bad('allocations', `line ${l.lineNo} (${l.fulfilment.mode}) is paid in full: ${value} cents`);
        }
      });
      if (e.allocations.some((a) => !e.lines.some((l) => l.lineNo === a.lineNo))) bad('allocations', 'name a line the order does not have');
      if (new Set(e.allocations.map((a) => a.lineNo)).size !== e.allocations.length) bad('allocations', 'name a line twice');
      const allocated = e.allocations.reduce((s, a) => s + a.cents, 0);
      const deposit = allocated - full;
      const required = shareOf(pickupTotal, e.depositBp);
      if (e.depositRequiredCents !== required) bad('depositRequiredCents', `must be ${required}`);
      if (deposit < required && !e.override) bad('override', `a deposit of ${deposit} below the required ${required} needs a manager's override`);
      checkPayment(e.payment, allocated, 'payment', bad);
      break;
    }
    case 'deposit': {
      const sum = e.allocations.reduce((s, a) => s + a.cents, 0);
      if (e.allocations.some((a) => a.cents <= 0)) bad('allocations', 'each part must be positive');
      checkPayment(e.payment, sum, 'payment', bad);
      if (sum <= 0) bad('allocations', 'a deposit must be positive');
      break;
    }
    case 'pickedUp': {
      if (e.lines.length === 0) bad('lines', 'name at least one line');
      if (e.lines.some((l) => l.balanceCents < 0)) bad('lines', 'a balance cannot be negative');
      checkPayment(e.payment, e.lines.reduce((s, l) => s + l.balanceCents, 0), 'payment', bad);
      break;
    }
    case 'shipped':
      if (e.lines.length === 0) bad('lines', 'name at least one line');
      break;
    case 'cancelled': {
      if (e.lines.length === 0) bad('lines', 'name at least one line');
      if (e.lines.some((l) => l.refundCents < 0 || l.chargeCents < 0)) bad('lines', 'refunds and charges cannot be negative');
      const amount = e.lines.reduce((s, l) => s + l.refundCents, 0);
      if ((e.refund?.amountCents ?? 0) !== amount) bad('refund.amountCents', `must be the sum of the lines' refunds = ${amount}`);
      if (e.refund) {
        const paidOut = e.refund.method === 'cash' ? roundCash(e.refund.amountCents) : e.refund.amountCents;
        if (e.refund.paidOutCents !== paidOut) bad('refund.paidOutCents', `must be ${paidOut}`);
        if (e.refund.roundingCents !== paidOut - e.refund.amountCents) bad('refund.roundingCents', `must be ${paidOut - e.refund.amountCents}`);
      }
      break;
    }
  }
  const lineNos = 'lines' in e && e.type !== 'created' ? e.lines.map((l) => l.lineNo) : [];
  if (new Set(lineNos).size !== lineNos.length) bad('lines', 'name a line twice');
  return problems;
}

/** Which orders a register replicates: those made at its store, and those with lines to pick up there. */
export function orderConcernsStore(state: Pick<OrderState, 'storeId' | 'lines'>, storeId: string): boolean {
  return state.storeId === storeId || state.lines.some((l) => l.fulfilment.mode === 'pickup' && l.fulfilment.storeId === storeId);
}
