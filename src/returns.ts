import { type Cents, MoneyError, assertCents, isCents, multiplyCents } from './money.ts';
import { formatDocumentNumber } from './numbering.ts';
import { roundCash } from './rounding.ts';
import type { SaleLine, Tender } from './sale.ts';
import { type VatLine, isVatClass, vatBreakdown } from './vat.ts';

/**
 * Returns: a customer brings back goods, with a receipt (a sale or a customer order) or
 * without one, at any store. A return is an immutable record like a sale, numbered without HQ
 * (RET-<store>-<register>-<seq>, on the register's own return sequence).
 *
 * With a receipt, only what was sold and not yet returned can come back (`returnable`), and the
 * refund follows the original tenders (`planRefund`): back to the card first, up to what the
 * card paid and was not refunded yet, the rest in cash (rounded to 5 cents). A register that
 * is offline knows only the returns it can see; HQ sees all of them and records an excess
 * (the same goods returned twice at two stores) as an exception with its amount.
 *
 * Without a receipt a manager approves (their PIN), a reason is required, each unit is refunded
 * at most at today's price, as store credit or as cash up to the chain's limit, and HQ flags
 * the return for review.
 */

export const RETURN_REASONS = ['defective', 'damaged', 'wrong_item', 'not_as_described', 'changed_mind', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export function isReturnReason(v: unknown): v is ReturnReason {
  return typeof v === 'string' && (RETURN_REASONS as readonly string[]).includes(v);
}

/** The chain's rule for returns without a receipt. */
export const BLIND_RETURN_POLICY = {
  /** At most this much of a blind return is paid in cash; the rest (or all of it) as store credit. */
  cashLimitCents: 5000,
} as const;

/** Where the returned goods were bought, and how the register knows. */
export type ReturnOrigin =
  | {
      kind: 'sale';
      receiptNo: string;
      storeId: string;
      registerId: string;
      /** replica: this register's own sale; hq: looked up at HQ; code: the signed code on the receipt (offline). */
      verifiedBy: 'replica' | 'hq' | 'code';
    }
  | { kind: 'order'; orderNo: string; storeId: string; verifiedBy: 'replica' | 'hq' }
  | { kind: 'none' };

/**
 * A returned line. `unitPriceCents` is what each unit is refunded at: the price paid (with a
 * receipt) or at most today's price (without one); amountCents = quantity × unit price.
 */
export interface ReturnLine extends OriginalLine {
  /** The line of the sale or order it comes from; null without a receipt. */
  originalLineNo: number | null;
  amountCents: Cents;
  reason: ReturnReason;
}

export type RefundTender =
  | { kind: 'card'; amountCents: Cents; reference: string | null }
  | { kind: 'cash'; amountCents: Cents; paidOutCents: Cents; roundingCents: Cents }
  | { kind: 'storeCredit'; amountCents: Cents };

export interface Approval {
  managerId: string;
  reason: string;
}

export interface CompletedReturn {
  id: string;
  /** RET-1002-01-000003 */
  returnNo: string;
  storeId: string;
  registerId: string;
  seq: number;
  /** The register's clock, for people. */
  createdAt: string;
  operatorId: string;
  origin: ReturnOrigin;
  lines: ReturnLine[];
  totalCents: Cents;
  vat: VatLine[];
  refunds: RefundTender[];
  approval: Approval | null;
  /** Flagged for review at HQ (every return without a receipt). */
  review: boolean;
}

export function returnNumber(storeId: string, registerId: string, seq: number): string {
  return `RET-${formatDocumentNumber(storeId, registerId, seq)}`;
}

// ---- what can come back ----------------------------------------------------------------------------

/** A line of the sale or order goods come back from: a sale's line, without its amount and mark. */
export type OriginalLine = Omit<SaleLine, 'amountCents' | 'outOfAssortment'>;

/** An original line as returns see it: a sale's line, or an order's line with the quantity that left. */
export function originalLine(l: OriginalLine, quantity = l.quantity): OriginalLine {
  return {
    lineNo: l.lineNo,
    productId: l.productId,
    itemNumber: l.itemNumber,
    barcode: l.barcode,
    name: l.name,
    quantity,
    unitPriceCents: l.unitPriceCents,
    vat: l.vat,
  };
}

export interface ReturnableLine extends OriginalLine {
  returned: number;
  returnable: number;
}

/** Per original line: sold, already returned (by the returns given), and what can still come back. */
export function returnable(lines: readonly OriginalLine[], priorReturns: readonly Pick<CompletedReturn, 'lines'>[]): ReturnableLine[] {
  const returned = new Map<number, number>();
  for (const r of priorReturns) {
    for (const l of r.lines) if (l.originalLineNo !== null) returned.set(l.originalLineNo, (returned.get(l.originalLineNo) ?? 0) + l.quantity);
  }
  return lines.map((l) => {
    const back = returned.get(l.lineNo) ?? 0;
    return { ...l, returned: back, returnable: Math.max(0, l.quantity - back) };
  });
}

/**
 * How a refund goes back, following the original tenders: to the card first, up to what cards
 * paid and were not refunded yet; the rest in cash, paid out rounded to 5 cents.
 */
export function planRefund(amountCents: Cents, originalTenders: readonly Tender[], priorRefunds: readonly RefundTender[]): RefundTender[] {
  assertCents(amountCents, 'refund');
  if (amountCents < 0) throw new MoneyError('a refund cannot be negative');
  const cardPaid = originalTenders.reduce((s, t) => s + (t.kind === 'card' ? t.amountCents : 0), 0);
  const cardBack = priorRefunds.reduce((s, t) => s + (t.kind === 'card' ? t.amountCents : 0), 0);
  const toCard = Math.min(amountCents, Math.max(0, cardPaid - cardBack));
  const refunds: RefundTender[] = [];
  if (toCard > 0) refunds.push({ kind: 'card', amountCents: toCard, reference: null });
  const cash = amountCents - toCard;
  if (cash > 0) refunds.push(cashRefund(cash));
  return refunds;
}

export function cashRefund(amountCents: Cents): RefundTender {
  const paidOutCents = roundCash(amountCents);
  return { kind: 'cash', amountCents, paidOutCents, roundingCents: paidOutCents - amountCents };
}

/** A return without a receipt: cash up to the chain's limit, the rest as store credit (or all as store credit). */
export function planBlindRefund(amountCents: Cents, preferCash: boolean): RefundTender[] {
  assertCents(amountCents, 'refund');
  const cash = preferCash ? Math.min(amountCents, BLIND_RETURN_POLICY.cashLimitCents) : 0;
  const refunds: RefundTender[] = [];
  if (cash > 0) refunds.push(cashRefund(cash));
  if (amountCents - cash > 0) refunds.push({ kind: 'storeCredit', amountCents: amountCents - cash });
  return refunds;
}

// ---- making a return ----------------------------------------------------------------------------

export interface ReturnContext {
  storeId: string;
  registerId: string;
  seq: number;
  createdAt: string;
  operatorId: string;
}

/** A line as the cashier chooses it: completeReturn numbers it and works out its amount. */
export type ReturnInputLine = Omit<ReturnLine, 'lineNo' | 'amountCents'>;

/**
 * Builds the return record. With an origin, every line must name an original line and stay
 * within what can still be returned there (`available`: original line → returnable quantity);
 * without one, a manager's approval is required and the return is flagged for review.
 */
export function completeReturn(
  input: {
    origin: ReturnOrigin;
    lines: readonly ReturnInputLine[];
    refunds: readonly RefundTender[];
    approval: Approval | null;
    /** For returns with a receipt: what each original line can still take back. */
    available?: ReadonlyMap<number, number>;
  },
  ctx: ReturnContext,
): CompletedReturn {
  const lines = input.lines.filter((l) => l.quantity > 0);
  if (lines.length === 0) throw new MoneyError('choose at least one item to return');
  const blind = input.origin.kind === 'none';
  if (blind && !input.approval) throw new MoneyError('a return without a receipt needs a manager’s approval');
  const wanted = new Map<number, number>();
  for (const l of lines) {
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1 || l.quantity > 9999) throw new MoneyError(`quantity must be 1 to 9999, got ${l.quantity}`);
    if (!isReturnReason(l.reason)) throw new MoneyError(`a reason is required for ${l.name}`);
    if (!blind) {
      if (l.originalLineNo === null) throw new MoneyError(`${l.name} is not on the receipt`);
      wanted.set(l.originalLineNo, (wanted.get(l.originalLineNo) ?? 0) + l.quantity);
    }
  }
  if (!blind && input.available) {
    for (const [lineNo, qty] of wanted) {
      const can = input.available.get(lineNo) ?? 0;
      if (qty > can) throw new MoneyError(`line ${lineNo}: only ${can} can still be returned`);
    }
  }
  const out: ReturnLine[] = lines.map((l, i) => ({
    lineNo: i + 1,
    originalLineNo: blind ? null : l.originalLineNo,
    productId: l.productId,
    itemNumber: l.itemNumber,
    barcode: l.barcode,
    name: l.name,
    quantity: l.quantity,
    unitPriceCents: l.unitPriceCents,
    amountCents: multiplyCents(l.unitPriceCents, l.quantity),
    vat: l.vat,
    reason: l.reason,
  }));
  const totalCents = out.reduce((s, l) => s + l.amountCents, 0);
  const refunded = input.refunds.reduce((s, r) => s + r.amountCents, 0);
  if (refunded !== totalCents) throw new MoneyError(`the refunds (${refunded}) must add up to the return's total (${totalCents})`);
  if (blind) {
    const cash = input.refunds.reduce((s, r) => s + (r.kind === 'cash' ? r.amountCents : 0), 0);
    if (cash > BLIND_RETURN_POLICY.cashLimitCents) throw new MoneyError(`without a receipt at most ${BLIND_RETURN_POLICY.cashLimitCents} cents in cash`);
    if (input.refunds.some((r) => r.kind === 'card')) throw new MoneyError('without a receipt there is no card to refund to');
  }
  const returnNo = returnNumber(ctx.storeId, ctx.registerId, ctx.seq);
  return {
    id: returnNo,
    returnNo,
    storeId: ctx.storeId,
    registerId: ctx.registerId,
    seq: ctx.seq,
    createdAt: ctx.createdAt,
    operatorId: ctx.operatorId,
    origin: input.origin,
    lines: out,
    totalCents,
    vat: vatBreakdown(out.map((l) => ({ vat: l.vat, amountCents: l.amountCents }))),
    refunds: [...input.refunds],
    approval: input.approval,
    review: blind,
  };
}

export interface ReturnProblem {
  field: string;
  reason: string;
}

/** Checks a return adds up (HQ runs this on every pushed return). */
export function verifyReturn(r: CompletedReturn): ReturnProblem[] {
  const problems: ReturnProblem[] = [];
  const bad = (field: string, reason: string): void => {
    problems.push({ field, reason });
  };
  try {
    const no = returnNumber(r.storeId, r.registerId, r.seq);
    if (r.returnNo !== no) bad('returnNo', `must be ${no}`);
  } catch (e) {
    bad('returnNo', (e as Error).message);
  }
  if (r.id !== r.returnNo) bad('id', 'must equal returnNo');
  if (r.lines.length === 0) bad('lines', 'a return needs at least one line');
  const blind = r.origin.kind === 'none';
  r.lines.forEach((l, i) => {
    const at = `lines[${i}]`;
    if (l.lineNo !== i + 1) bad(`${at}.lineNo`, `must be ${i + 1}`);
    if (!isVatClass(l.vat)) bad(`${at}.vat`, 'must be high, low or zero');
    if (!isReturnReason(l.reason)) bad(`${at}.reason`, `must be one of ${RETURN_REASONS.join(', ')}`);
    if (blind !== (l.originalLineNo === null)) bad(`${at}.originalLineNo`, blind ? 'must be null without a receipt' : 'must name the original line');
    if (!isCents(l.unitPriceCents * l.quantity) || l.amountCents !== l.unitPriceCents * l.quantity) bad(`${at}.amountCents`, 'must be quantity × unit price');
  });
  if (problems.length) return problems;
  const total = r.lines.reduce((s, l) => s + l.amountCents, 0);
  if (r.totalCents !== total) bad('totalCents', `must be the sum of the lines = ${total}`);
  if (JSON.stringify(vatBreakdown(r.lines.map((l) => ({ vat: l.vat, amountCents: l.amountCents })))) !== JSON.stringify(r.vat)) bad('vat', 'does not match the VAT per rate of the lines');
  const refunded = r.refunds.reduce((s, t) => s + t.amountCents, 0);
  if (refunded !== total) bad('refunds', `must add up to the total = ${total}`);
  r.refunds.forEach((t, i) => {
    if (t.amountCents <= 0) bad(`refunds[${i}].amountCents`, 'must be positive');
    if (t.kind === 'cash') {
      const out = roundCash(t.amountCents);
      if (t.paidOutCents !== out) bad(`refunds[${i}].paidOutCents`, `must be ${out}`);
      if (t.roundingCents !== out - t.amountCents) bad(`refunds[${i}].roundingCents`, `must be ${out - t.amountCents}`);
    }
  });
  if (blind) {
    if (!r.approval) bad('approval', 'a return without a receipt needs a manager’s approval');
    if (!r.review) bad('review', 'a return without a receipt is flagged for review');
    const cash = r.refunds.reduce((s, t) => s + (t.kind === 'cash' ? t.amountCents : 0), 0);
    if (cash > BLIND_RETURN_POLICY.cashLimitCents) bad('refunds', `at most ${BLIND_RETURN_POLICY.cashLimitCents} cents in cash without a receipt`);
    if (r.refunds.some((t) => t.kind === 'card')) bad('refunds', 'no card refund without a receipt');
  }
  return problems;
}

/**
 * HQ's guard against double returns: per original line, the quantity returned across every
 * store beyond what was sold, with its value. Returns are kept (the money was paid out); the
 * excess is an exception for a manager.
 */
export function returnExcess(sold: readonly OriginalLine[], returns: readonly Pick<CompletedReturn, 'id' | 'storeId' | 'lines'>[]): { lineNo: number; sold: number; returned: number; excess: number; excessCents: Cents; returnIds: string[] }[] {
  const out = [];
  for (const line of sold) {
    let returned = 0;
    const ids: string[] = [];
    for (const r of returns) {
      for (const l of r.lines) {
        if (l.originalLineNo !== line.lineNo) continue;
        returned += l.quantity;
        if (!ids.includes(r.id)) ids.push(r.id);
      }
    }
    if (returned > line.quantity) {
      const excess = returned - line.quantity;
      out.push({ lineNo: line.lineNo, sold: line.quantity, returned, excess, excessCents: multiplyCents(line.unitPriceCents, excess), returnIds: ids });
    }
  }
  return out;
}
