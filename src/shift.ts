import { canonicalJson } from './canonical.ts';
import { type Cents, assertCents, isCents } from './money.ts';
import { formatDocumentNumber, parseDocumentNumber } from './numbering.ts';
import type { OrderEvent, OrderPayment } from './order.ts';
import type { CompletedReturn } from './returns.ts';
import type { CompletedSale, Tender } from './sale.ts';
import { VAT_CLASSES, VAT_RATE_BP, type VatClass } from './vat.ts';

/**
 * Shifts: the cash drawer of one register from opening (a starting float) to closing (cash
 * counted per denomination), with the cash moved in and out between, and the X report (mid-shift)
 * and Z report (at closing) of what the register took in it.
 *
 * Like sales, a shift is recorded as immutable events (`opened`, `cash`, `closed`) numbered on
 * the register's own shift sequence (`SHF-1001-02-000004`). Which sales, order events and
 * returns belong to a shift is decided by the register's sequence numbers, never by clocks:
 * `opened` records the sequences reached when it opened, `closed` those reached when it closed,
 * and the shift holds every record numbered above the first and up to the second. HQ can
 * therefore recompute a Z report from the records it holds (`shiftReport`).
 */

/** Dutch cash: the euro notes and the coins a till holds (1 and 2 cents are not used: cash is rounded to 5). */
export const DENOMINATIONS_CENTS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5] as const;
export type Denomination = (typeof DENOMINATIONS_CENTS)[number];

/** The starting float a shift opens with unless the cashier counts another. */
export const DEFAULT_FLOAT_CENTS = 15000;

export const CASH_IN_REASONS = ['float_top_up', 'change_from_bank', 'other'] as const;
export const CASH_OUT_REASONS = ['safe_drop', 'bank_deposit', 'petty_cash', 'other'] as const;
export type CashInReason = (typeof CASH_IN_REASONS)[number];
export type CashOutReason = (typeof CASH_OUT_REASONS)[number];

/** The register's sequences reached at a moment: the last sale, order event and return numbered. */
export interface SequenceMarks {
  sales: number;
  orderEvents: number;
  returns: number;
}
const MARK_KINDS = ['sales', 'orderEvents', 'returns'] as const;

export interface CashCountLine {
  denominationCents: Denomination;
  count: number;
}

interface ShiftEventBase {
  /** SHF-<store>-<register>-<seq> on the register's shift sequence. */
  id: string;
  /** The shift: its `opened` event's id. */
  shiftNo: string;
  storeId: string;
  registerId: string;
  seq: number;
  /** The register's clock, for people. Never used to decide what belongs to a shift. */
  createdAt: string;
  operatorId: string;
}

export interface ShiftOpened extends ShiftEventBase {
  type: 'opened';
  floatCents: Cents;
  marks: SequenceMarks;
}

export interface CashMoved extends ShiftEventBase {
  type: 'cash';
  direction: 'in' | 'out';
  amountCents: Cents;
  reason: CashInReason | CashOutReason;
  note: string;
}

export interface ShiftClosed extends ShiftEventBase {
  type: 'closed';
  marks: SequenceMarks;
  counted: CashCountLine[];
  countedCents: Cents;
  expectedCents: Cents;
  /** counted − expected: negative, the drawer is short. */
  differenceCents: Cents;
  /** The Z report as the register computed it when it closed. */
  report: ShiftReport;
}

export type ShiftEvent = ShiftOpened | CashMoved | ShiftClosed;

export function shiftEventId(storeId: string, registerId: string, seq: number): string {
  return `SHF-${formatDocumentNumber(storeId, registerId, seq)}`;
}

export class ShiftError extends Error {}

// ---- the report --------------------------------------------------------------------------------

export interface TenderTotals {
  /** Money taken in with this tender (sales, order payments). */
  inCents: Cents;
  /** Money given back with it (returns, order cancellations). */
  outCents: Cents;
  netCents: Cents;
}

export interface VatTotals {
  vat: VatClass;
  rateBp: number;
  /** Gross of the sales at this rate. */
  salesGrossCents: Cents;
  /** Gross of the returns at this rate. */
  returnsGrossCents: Cents;
  /** Sales less returns. */
  netGrossCents: Cents;
  /** VAT of sales less VAT of returns, as their receipts state it. */
  vatCents: Cents;
}

export interface ShiftReport {
  kind: 'X' | 'Z';
  shiftNo: string;
  storeId: string;
  registerId: string;
  openedAt: string;
  /** When the report was made (the closing, for a Z report). */
  at: string;
  operators: string[];
  floatCents: Cents;
  tenders: { cash: TenderTotals; card: TenderTotals; storeCredit: TenderTotals };
  vat: VatTotals[];
  sales: { count: number; totalCents: Cents; roundingCents: Cents };
  returns: { count: number; totalCents: Cents; withoutReceipt: number };
  orders: {
    /** Payments at order creation and later deposits: money taken before goods left. */
    depositsCount: number;
    depositsCents: Cents;
    /** Balances taken at pick-up. */
    pickUpsCount: number;
    pickUpsCents: Cents;
    cancellationsCount: number;
    cancellationRefundsCents: Cents;
  };
  outOfAssortment: { lines: number; amountCents: Cents };
  /**
   * Sale lines sold at a price a manager approved instead of the shelf price, and
   * Σ (new − original) × quantity: negative, sold below the shelf price.
   */
  overrides: { lines: number; differenceCents: Cents };
  /** Voids in the shift's sales (items taken off a cart after scanning) and Σ quantity × unit price. */
  voids: { count: number; amountCents: Cents };
  cashMoves: { inCents: Cents; outCents: Cents; count: number };
  /** Records in the shift, per kind. */
  records: { sales: number; orderEvents: number; returns: number; cashMoves: number };
  /** Float + cash taken − cash given back + cash in − cash out. */
  expectedCashCents: Cents;
}

export interface ShiftRecords {
  sales: readonly CompletedSale[];
  orderEvents: readonly OrderEvent[];
  returns: readonly CompletedReturn[];
  /** The shift's cash moves (other event types are ignored). */
  shiftEvents: readonly ShiftEvent[];
}

/** Whether a record numbered `seq` falls in the shift: above the opening mark, up to the closing one. */
export function inShift(seq: number, from: number, to: number | null): boolean {
  return seq > from && (to === null || seq <= to);
}

function tenderTotals(): TenderTotals {
  return { inCents: 0, outCents: 0, netCents: 0 };
}

/**
 * The X report (no `closing`) or the Z report of a shift, from the register's records. Records
 * outside the shift's sequence ranges, or of another register, are ignored, so the caller may
 * pass more than the shift's.
 */
export function shiftReport(opened: ShiftOpened, records: ShiftRecords, at: string, closing?: { marks: SequenceMarks }): ShiftReport {
  const mine = <T extends { storeId: string; registerId: string; seq: number }>(r: T, from: number, to: number | null): boolean =>
    r.storeId === opened.storeId && r.registerId === opened.registerId && inShift(r.seq, from, to);
  const to = closing?.marks ?? null;
  const sales = records.sales.filter((s) => mine(s, opened.marks.sales, to?.sales ?? null));
  const events = records.orderEvents.filter((e) => mine(e, opened.marks.orderEvents, to?.orderEvents ?? null));
  const returns = records.returns.filter((r) => mine(r, opened.marks.returns, to?.returns ?? null));
  const moves = records.shiftEvents.filter((e): e is CashMoved => e.type === 'cash' && e.shiftNo === opened.shiftNo);

  const cash = tenderTotals();
  const card = tenderTotals();
  const storeCredit = tenderTotals();
  const takeIn = (tenders: readonly Tender[]): void => {
    for (const t of tenders) (t.kind === 'cash' ? cash : card).inCents += t.amountCents;
  };
  const operators = new Set<string>([opened.operatorId]);
  const vat = new Map<VatClass, { salesGross: Cents; returnsGross: Cents; vat: Cents }>();
  const vatOf = (c: VatClass) => {
    let v = vat.get(c);
    if (!v) vat.set(c, (v = { salesGross: 0, returnsGross: 0, vat: 0 }));
    return v;
  };

  const report = {
    sales: { count: sales.length, totalCents: 0, roundingCents: 0 },
    returns: { count: returns.length, totalCents: 0, withoutReceipt: 0 },
    orders: { depositsCount: 0, depositsCents: 0, pickUpsCount: 0, pickUpsCents: 0, cancellationsCount: 0, cancellationRefundsCents: 0 },
    outOfAssortment: { lines: 0, amountCents: 0 },
    overrides: { lines: 0, differenceCents: 0 },
    voids: { count: 0, amountCents: 0 },
    cashMoves: { inCents: 0, outCents: 0, count: moves.length },
  };

  for (const s of sales) {
    operators.add(s.operatorId);
    report.sales.totalCents += s.totalCents;
    report.sales.roundingCents += s.roundingCents;
    takeIn(s.tenders);
    for (const v of s.vat) {
      const acc = vatOf(v.vat);
      acc.salesGross += v.grossCents;
      acc.vat += v.vatCents;
    }
    for (const l of s.lines) {
      if (l.priceOverride) {
        report.overrides.lines += 1;
        report.overrides.differenceCents += (l.unitPriceCents - l.priceOverride.originalUnitPriceCents) * l.quantity;
      }
      if (!l.outOfAssortment) continue;
      report.outOfAssortment.lines += 1;
      report.outOfAssortment.amountCents += l.amountCents;
    }
    for (const v of s.voids ?? []) {
      report.voids.count += 1;
      report.voids.amountCents += v.quantity * v.unitPriceCents;
    }
  }

  for (const r of returns) {
    operators.add(r.operatorId);
    report.returns.totalCents += r.totalCents;
    if (r.origin.kind === 'none') report.returns.withoutReceipt += 1;
    for (const refund of r.refunds) {
      if (refund.kind === 'cash') cash.outCents += refund.paidOutCents;
      else if (refund.kind === 'card') card.outCents += refund.amountCents;
      else storeCredit.outCents += refund.amountCents;
    }
    for (const v of r.vat) {
      const acc = vatOf(v.vat);
      acc.returnsGross += v.grossCents;
      acc.vat -= v.vatCents;
    }
  }

  const paid = (p: OrderPayment | null): Cents => {
    if (!p) return 0;
    takeIn(p.tenders);
    return p.tenders.reduce((sum, t) => sum + t.amountCents, 0);
  };
  for (const e of events) {
    operators.add(e.operatorId);
    if (e.type === 'created' || e.type === 'deposit') {
      const cents = paid(e.payment);
      if (cents > 0) {
        report.orders.depositsCount += 1;
        report.orders.depositsCents += cents;
      }
    } else if (e.type === 'pickedUp') {
      report.orders.pickUpsCount += 1;
      report.orders.pickUpsCents += paid(e.payment);
    } else if (e.type === 'cancelled') {
      report.orders.cancellationsCount += 1;
      if (e.refund) {
        report.orders.cancellationRefundsCents += e.refund.amountCents;
        if (e.refund.method === 'cash') cash.outCents += e.refund.paidOutCents;
        else card.outCents += e.refund.amountCents;
      }
    }
  }

  for (const m of moves) {
    operators.add(m.operatorId);
    if (m.direction === 'in') report.cashMoves.inCents += m.amountCents;
    else report.cashMoves.outCents += m.amountCents;
  }

  for (const t of [cash, card, storeCredit]) t.netCents = t.inCents - t.outCents;

  return {
    kind: closing ? 'Z' : 'X',
    shiftNo: opened.shiftNo,
    storeId: opened.storeId,
    registerId: opened.registerId,
    openedAt: opened.createdAt,
    at,
    operators: [...operators].sort(),
    floatCents: opened.floatCents,
    tenders: { cash, card, storeCredit },
    vat: VAT_CLASSES.filter((c) => vat.has(c)).map((c) => {
      const v = vatOf(c);
      return {
        vat: c,
        rateBp: VAT_RATE_BP[c],
        salesGrossCents: v.salesGross,
        returnsGrossCents: v.returnsGross,
        netGrossCents: v.salesGross - v.returnsGross,
        vatCents: v.vat,
      };
    }),
    ...report,
    records: { sales: sales.length, orderEvents: events.length, returns: returns.length, cashMoves: moves.length },
    expectedCashCents: opened.floatCents + cash.netCents + report.cashMoves.inCents - report.cashMoves.outCents,
  };
}

// ---- making the events ---------------------------------------------------------------------------

export interface ShiftContext {
  storeId: string;
  registerId: string;
  seq: number;
  createdAt: string;
  operatorId: string;
}

export function openShift(floatCents: Cents, marks: SequenceMarks, ctx: ShiftContext): ShiftOpened {
  assertCents(floatCents, 'float');
  if (floatCents < 0) throw new ShiftError('the float cannot be negative');
  const id = shiftEventId(ctx.storeId, ctx.registerId, ctx.seq);
  return { id, shiftNo: id, type: 'opened', ...ctx, floatCents, marks: { ...marks } };
}

export function moveCash(
  opened: ShiftOpened,
  move: { direction: 'in' | 'out'; amountCents: Cents; reason: CashInReason | CashOutReason; note: string },
  ctx: ShiftContext,
): CashMoved {
  assertCents(move.amountCents, 'amount');
  if (move.amountCents <= 0) throw new ShiftError('the amount must be more than zero');
  const reasons: readonly string[] = move.direction === 'in' ? CASH_IN_REASONS : CASH_OUT_REASONS;
  if (!reasons.includes(move.reason)) throw new ShiftError(`"${move.reason}" is not a reason to move cash ${move.direction}`);
  if (move.reason === 'other' && move.note.trim() === '') throw new ShiftError('say what the cash was for');
  return {
    id: shiftEventId(ctx.storeId, ctx.registerId, ctx.seq),
    shiftNo: opened.shiftNo,
    type: 'cash',
    ...ctx,
    direction: move.direction,
    amountCents: move.amountCents,
    reason: move.reason,
    note: move.note.trim(),
  };
}

/** The cash counted: Σ denomination × count. Every count a whole number, 0 or more. */
export function countedCents(counted: readonly CashCountLine[]): Cents {
  let sum = 0;
  const seen = new Set<number>();
  for (const c of counted) {
    if (!(DENOMINATIONS_CENTS as readonly number[]).includes(c.denominationCents)) throw new ShiftError(`${c.denominationCents} cents is not a euro note or coin`);
    if (seen.has(c.denominationCents)) throw new ShiftError(`${c.denominationCents} cents is counted twice`);
    seen.add(c.denominationCents);
    if (!Number.isSafeInteger(c.count) || c.count < 0) throw new ShiftError(`the count of ${c.denominationCents} cents must be a whole number, 0 or more`);
    sum += c.denominationCents * c.count;
  }
  if (!isCents(sum)) throw new ShiftError('the counted cash is not an amount we accept');
  return sum;
}

export function closeShift(opened: ShiftOpened, records: ShiftRecords, marks: SequenceMarks, counted: readonly CashCountLine[], ctx: ShiftContext): ShiftClosed {
  for (const k of MARK_KINDS) {
    // The register's sequences only grow: a closing mark below the opening one would leave the shift empty.
    if (!Number.isSafeInteger(marks[k]) || marks[k] < opened.marks[k]) throw new ShiftError(`the ${k} reached (${marks[k]}) cannot be below the shift's opening (${opened.marks[k]})`);
  }
  const countedTotal = countedCents(counted);
  const report = shiftReport(opened, records, ctx.createdAt, { marks });
  return {
    id: shiftEventId(ctx.storeId, ctx.registerId, ctx.seq),
    shiftNo: opened.shiftNo,
    type: 'closed',
    ...ctx,
    marks: { ...marks },
    counted: counted.filter((c) => c.count > 0).map((c) => ({ ...c })),
    countedCents: countedTotal,
    expectedCents: report.expectedCashCents,
    differenceCents: countedTotal - report.expectedCashCents,
    report,
  };
}

/** Where a register stands: the open shift (if any) and its events so far. */
export function currentShift(events: readonly ShiftEvent[]): { opened: ShiftOpened; events: ShiftEvent[] } | null {
  const closed = new Set(events.filter((e) => e.type === 'closed').map((e) => e.shiftNo));
  const open = events.filter((e): e is ShiftOpened => e.type === 'opened' && !closed.has(e.shiftNo)).sort((a, b) => b.seq - a.seq)[0];
  return open ? { opened: open, events: events.filter((e) => e.shiftNo === open.shiftNo) } : null;
}

// ---- checks for HQ ------------------------------------------------------------------------------

export interface ShiftProblem {
  path: string;
  message: string;
}

/**
 * What HQ checks of a shift event beyond its schema: its number, the shift it names (an earlier
 * opening of the same register), a cash move's reason, the counted cash, the difference, and that
 * the Z report adds up to the expected cash. Never throws: every finding is a problem.
 */
export function verifyShiftEvent(e: ShiftEvent): ShiftProblem[] {
  const problems: ShiftProblem[] = [];
  let id: string | null = null;
  try {
    id = shiftEventId(e.storeId, e.registerId, e.seq);
  } catch (err) {
    problems.push({ path: 'id', message: (err as Error).message });
  }
  if (id !== null && e.id !== id) problems.push({ path: 'id', message: `must be ${id} for store ${e.storeId}, register ${e.registerId}, seq ${e.seq}` });
  if (e.type === 'opened' && e.shiftNo !== e.id) problems.push({ path: 'shiftNo', message: 'an opening is its own shift: shiftNo must equal id' });
  if (e.type !== 'opened') {
    const opening = shiftNoParts(e.shiftNo);
    if (e.shiftNo === e.id) problems.push({ path: 'shiftNo', message: 'must name the opening of the shift' });
    else if (!opening || opening.storeId !== e.storeId || opening.registerId !== e.registerId || opening.seq >= e.seq) {
      problems.push({ path: 'shiftNo', message: `must name an earlier opening of register ${e.storeId}-${e.registerId} (SHF-${e.storeId}-${e.registerId}-…)` });
    }
  }
  if (e.type === 'opened' || e.type === 'closed') {
    for (const k of MARK_KINDS) {
      if (!Number.isSafeInteger(e.marks[k]) || e.marks[k] < 0) problems.push({ path: `marks.${k}`, message: 'must be a whole number, 0 or more' });
    }
  }
  if (e.type === 'cash') {
    if (e.amountCents <= 0) problems.push({ path: 'amountCents', message: 'must be more than zero' });
    const reasons: readonly string[] = e.direction === 'in' ? CASH_IN_REASONS : CASH_OUT_REASONS;
    if (!reasons.includes(e.reason)) problems.push({ path: 'reason', message: `must be one of ${reasons.join(', ')} for cash ${e.direction}` });
    if (e.reason === 'other' && e.note.trim() === '') problems.push({ path: 'note', message: 'must say what the cash was for when the reason is other' });
  }
  if (e.type === 'closed') {
    try {
      const sum = countedCents(e.counted);
      if (sum !== e.countedCents) problems.push({ path: 'countedCents', message: `is ${e.countedCents} but the counted notes and coins add up to ${sum}` });
    } catch (err) {
      problems.push({ path: 'counted', message: (err as Error).message });
    }
    if (e.differenceCents !== e.countedCents - e.expectedCents) {
      problems.push({ path: 'differenceCents', message: `must be countedCents − expectedCents = ${e.countedCents - e.expectedCents}` });
    }
    const r = e.report;
    if (r.shiftNo !== e.shiftNo || r.kind !== 'Z' || r.storeId !== e.storeId || r.registerId !== e.registerId) {
      problems.push({ path: 'report', message: 'must be the Z report of this shift' });
    }
    for (const k of ['cash', 'card', 'storeCredit'] as const) {
      const t = r.tenders[k];
      if (t.netCents !== t.inCents - t.outCents) problems.push({ path: `report.tenders.${k}.netCents`, message: `must be inCents − outCents = ${t.inCents - t.outCents}` });
    }
    const expected = r.floatCents + r.tenders.cash.netCents + r.cashMoves.inCents - r.cashMoves.outCents;
    if (r.expectedCashCents !== expected) {
      problems.push({ path: 'report.expectedCashCents', message: `must be float + cash net + cash in − cash out = ${expected}` });
    } else if (r.expectedCashCents !== e.expectedCents) problems.push({ path: 'expectedCents', message: `must equal the report's expected cash ${r.expectedCashCents}` });
  }
  return problems;
}

/** The store, register and sequence of a shift number (SHF-1001-02-000004); null when it is not one. */
export function shiftNoParts(shiftNo: string): { storeId: string; registerId: string; seq: number } | null {
  if (!shiftNo.startsWith('SHF-')) return null;
  const n = parseDocumentNumber(shiftNo.slice(4));
  return n && shiftEventId(n.storeId, n.registerId, n.seq) === shiftNo ? n : null;
}

/**
 * HQ's check of a Z report against the records it holds: the report recomputed from them. While
 * records of the shift are still missing at HQ the answer is 'incomplete', not a mismatch.
 */
export function checkZReport(
  closed: ShiftClosed,
  opened: ShiftOpened,
  records: ShiftRecords,
): { status: 'matches' | 'differs' | 'incomplete'; missing: number; differences: string[] } {
  const expectCount = (k: keyof SequenceMarks) => closed.marks[k] - opened.marks[k];
  const mine = (r: { storeId: string; registerId: string; seq: number }, k: keyof SequenceMarks) =>
    r.storeId === opened.storeId && r.registerId === opened.registerId && inShift(r.seq, opened.marks[k], closed.marks[k]);
  // A crash may leave a number unused, so fewer records than numbers is not proof of a loss;
  // the register says how many it had, in the report's record counts.
  const held = {
    sales: records.sales.filter((r) => mine(r, 'sales')).length,
    orderEvents: records.orderEvents.filter((r) => mine(r, 'orderEvents')).length,
    returns: records.returns.filter((r) => mine(r, 'returns')).length,
  };
  // Cash moves carry the shift's number, not a sequence range: the register says how many it made.
  const heldMoves = records.shiftEvents.filter((e) => e.type === 'cash' && e.shiftNo === opened.shiftNo).length;
  const missing =
    MARK_KINDS.reduce((n, k) => n + Math.max(0, Math.min(closed.report.records[k], expectCount(k)) - held[k]), 0) +
    Math.max(0, closed.report.records.cashMoves - heldMoves);
  if (missing > 0) return { status: 'incomplete', missing, differences: [] };
  const recomputed = shiftReport(opened, records, closed.createdAt, { marks: closed.marks });
  const differences: string[] = [];
  // Canonical JSON: a report read back from a database (jsonb) has its keys in another order.
  const compare = (path: string, a: unknown, b: unknown) => {
    if (canonicalJson(a) !== canonicalJson(b)) differences.push(path);
  };
  compare('floatCents', recomputed.floatCents, closed.report.floatCents);
  compare('tenders', recomputed.tenders, closed.report.tenders);
  compare('vat', recomputed.vat, closed.report.vat);
  compare('sales', recomputed.sales, closed.report.sales);
  compare('returns', recomputed.returns, closed.report.returns);
  compare('orders', recomputed.orders, closed.report.orders);
  compare('outOfAssortment', recomputed.outOfAssortment, closed.report.outOfAssortment);
  // A Z report made before overrides and voids were counted has neither: nothing to compare.
  const reported: Partial<Pick<ShiftReport, 'overrides' | 'voids'>> = closed.report;
  if (reported.overrides !== undefined) compare('overrides', recomputed.overrides, reported.overrides);
  if (reported.voids !== undefined) compare('voids', recomputed.voids, reported.voids);
  compare('cashMoves', recomputed.cashMoves, closed.report.cashMoves);
  compare('records', recomputed.records, closed.report.records);
  compare('expectedCashCents', recomputed.expectedCashCents, closed.report.expectedCashCents);
  return { status: differences.length ? 'differs' : 'matches', missing: 0, differences };
}
