import { type Cart, type CartLine, MAX_MANAGER_ID, MAX_REASON, type PriceOverride, type VoidedItems, cartTotals, lineAmount } from './cart.ts';
import { type Cents, MoneyError, assertCents, isCents, multiplyCents } from './money.ts';
import { formatDocumentNumber, parseDocumentNumber } from './numbering.ts';
import { roundCash } from './rounding.ts';
import { type VatLine, isVatClass, vatBreakdown } from './vat.ts';

/** What the cashier records at the register. */
export type TenderInput =
  | { kind: 'card'; amountCents: Cents; reference?: string }
  | { kind: 'cash'; tenderedCents: Cents };

/** A tender as it stands on the completed sale. */
export type Tender =
  | { kind: 'card'; amountCents: Cents; reference: string | null }
  | { kind: 'cash'; amountCents: Cents; tenderedCents: Cents; changeCents: Cents };

export interface PaymentState {
  totalCents: Cents;
  /** Rounding applied to the part paid in cash (Dutch 5-cent rule). */
  roundingCents: Cents;
  /** What the customer pays: total plus rounding. */
  payableCents: Cents;
  tenders: Tender[];
  /** Still to pay (≥ 0). For a cash remainder this is already rounded. */
  remainingCents: Cents;
  changeCents: Cents;
  complete: boolean;
}

/**
 * Applies tenders in order. Card tenders pay an exact amount, never more than what remains.
 * A cash tender pays the rest, rounded to 5 cents; what was handed over beyond that is change.
 */
export function applyTenders(totalCents: Cents, inputs: readonly TenderInput[]): PaymentState {
  assertCents(totalCents, 'total');
  if (totalCents < 0) throw new MoneyError('a sale total cannot be negative');
  let remaining = totalCents;
  let rounding = 0;
  let change = 0;
  const tenders: Tender[] = [];
  for (const t of inputs) {
    if (remaining === 0) throw new MoneyError('the sale is already paid');
    if (t.kind === 'card') {
      assertCents(t.amountCents, 'card amount');
      if (t.amountCents <= 0) throw new MoneyError('card amount must be positive');
      if (t.amountCents > remaining) throw new MoneyError('card amount exceeds what remains to pay');
      tenders.push({ kind: 'card', amountCents: t.amountCents, reference: t.reference ?? null });
      remaining -= t.amountCents;
    } else {
      assertCents(t.tenderedCents, 'cash tendered');
      const due = roundCash(remaining);
      if (t.tenderedCents < due) {
        throw new MoneyError(`cash tendered ${t.tenderedCents} is less than the ${due} due`);
      }
      rounding = due - remaining;
      change = t.tenderedCents - due;
      tenders.push({ kind: 'cash', amountCents: due, tenderedCents: t.tenderedCents, changeCents: change });
      remaining = 0;
    }
  }
  return {
    totalCents,
    roundingCents: rounding,
    payableCents: totalCents + rounding,
    tenders,
    remainingCents: remaining,
    changeCents: change,
    complete: remaining === 0,
  };
}

/** What a cash payment of the remaining amount would need: the rounded amount due. */
export function cashDue(totalCents: Cents, paidByCardCents: Cents = 0): Cents {
  return roundCash(totalCents - paidByCardCents);
}

export interface SaleLine {
  lineNo: number;
  productId: string;
  itemNumber: string;
  barcode: string | null;
  name: string;
  quantity: number;
  unitPriceCents: Cents;
  amountCents: Cents;
  vat: CartLine['vat'];
  outOfAssortment: boolean;
  /**
   * The price a manager approved instead of the shelf price (`unitPriceCents` is the price sold
   * at). Written only on a line whose price was changed; absent on every other line and on sales
   * made before overrides existed. HQ accepts null as "none" too.
   */
  priceOverride?: PriceOverride | null;
}

/** A completed cash-and-carry sale. Immutable: HQ stores it once and never changes it. */
export interface CompletedSale {
  id: string;
  receiptNo: string;
  storeId: string;
  registerId: string;
  seq: number;
  /** The register's clock, for people to read. Never used for ordering. */
  createdAt: string;
  operatorId: string;
  lines: SaleLine[];
  totalCents: Cents;
  roundingCents: Cents;
  payableCents: Cents;
  changeCents: Cents;
  vat: VatLine[];
  tenders: Tender[];
  /**
   * What was voided from the cart before it was paid (lines removed, quantities lowered), each
   * with the manager who approved it. Written only when something was voided; absent on other
   * sales and on sales made before voids were recorded. Voids are not part of the total.
   */
  voids?: VoidedItems[];
}

export interface SaleContext {
  storeId: string;
  registerId: string;
  seq: number;
  createdAt: string;
  operatorId: string;
}

export function completeSale(cart: Cart, inputs: readonly TenderInput[], ctx: SaleContext): CompletedSale {
  if (cart.lines.length === 0) throw new MoneyError('the cart is empty');
  const totals = cartTotals(cart);
  const payment = applyTenders(totals.totalCents, inputs);
  if (!payment.complete) throw new MoneyError(`${payment.remainingCents} cents remain to be paid`);
  const receiptNo = formatDocumentNumber(ctx.storeId, ctx.registerId, ctx.seq);
  return {
    id: receiptNo,
    receiptNo,
    storeId: ctx.storeId,
    registerId: ctx.registerId,
    seq: ctx.seq,
    createdAt: ctx.createdAt,
    operatorId: ctx.operatorId,
    lines: cart.lines.map((l, i) => ({
      lineNo: i + 1,
      productId: l.productId,
      itemNumber: l.itemNumber,
      barcode: l.barcode,
      name: l.name,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      amountCents: lineAmount(l),
      vat: l.vat,
      outOfAssortment: l.outOfAssortment,
      ...(l.priceOverride ? { priceOverride: { ...l.priceOverride } } : {}),
    })),
    totalCents: totals.totalCents,
    roundingCents: payment.roundingCents,
    payableCents: payment.payableCents,
    changeCents: payment.changeCents,
    vat: totals.vat,
    tenders: payment.tenders,
    ...(cart.voids && cart.voids.length > 0 ? { voids: cart.voids.map((v) => ({ ...v })) } : {}),
  };
}

export interface SaleProblem {
  field: string;
  reason: string;
}

/**
 * Checks that a sale adds up, from its lines to its tenders, the way completeSale built it.
 * HQ runs this on every pushed sale; a register that sends a sale that does not add up is
 * told which field is wrong.
 */
export function verifySale(sale: CompletedSale): SaleProblem[] {
  const problems: SaleProblem[] = [];
  const bad = (field: string, reason: string): void => {
    problems.push({ field, reason });
  };
  const num = parseDocumentNumber(sale.receiptNo);
  if (!num) bad('receiptNo', 'is not a document number like 1001-01-000001');
  else {
    if (num.storeId !== sale.storeId) bad('receiptNo', 'names another store than storeId');
    if (num.registerId !== sale.registerId) bad('receiptNo', 'names another register than registerId');
    if (num.seq !== sale.seq) bad('receiptNo', 'carries another sequence than seq');
    // parseDocumentNumber is lenient (case, spaces, extra leading zeros); a stored receipt
    // number must be exactly what completeSale made, or one sequence could hide under two ids.
    if (sale.receiptNo !== formatDocumentNumber(num.storeId, num.registerId, num.seq)) {
      bad('receiptNo', 'is not written the way the register numbers receipts');
    }
  }
  if (sale.id !== sale.receiptNo) bad('id', 'must equal receiptNo');
  if (sale.lines.length === 0) bad('lines', 'a sale needs at least one line');
  sale.lines.forEach((l, i) => {
    const at = `lines[${i}]`;
    if (l.lineNo !== i + 1) bad(`${at}.lineNo`, `must be ${i + 1}`);
    const po = l.priceOverride;
    if (po !== undefined && po !== null) {
      if (!isCents(po.originalUnitPriceCents) || po.originalUnitPriceCents < 0) {
        bad(`${at}.priceOverride.originalUnitPriceCents`, 'must be a non-negative whole number of cents');
      } else if (po.originalUnitPriceCents === l.unitPriceCents) {
        bad(`${at}.priceOverride.originalUnitPriceCents`, 'equals unitPriceCents: an override changes the price');
      }
      if (!approvalText(po.managerId, MAX_MANAGER_ID)) bad(`${at}.priceOverride.managerId`, 'must name the manager who approved the price');
      if (!approvalText(po.reason, MAX_REASON)) bad(`${at}.priceOverride.reason`, 'must say why the price was changed');
    }
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1 || l.quantity > 9_999) {
      bad(`${at}.quantity`, 'must be a whole number from 1 to 9999');
      return;
    }
    if (!isCents(l.unitPriceCents) || l.unitPriceCents < 0) {
      bad(`${at}.unitPriceCents`, 'must be a non-negative whole number of cents');
      return;
    }
    if (!isVatClass(l.vat)) bad(`${at}.vat`, 'must be high, low or zero');
    if (!isCents(l.unitPriceCents * l.quantity)) {
      bad(`${at}.amountCents`, 'quantity × unit price is beyond the largest amount accepted');
      return;
    }
    const amount = multiplyCents(l.unitPriceCents, l.quantity);
    if (l.amountCents !== amount) bad(`${at}.amountCents`, `must be quantity × unit price = ${amount}`);
  });
  if (problems.length > 0) return problems;

  const total = sale.lines.reduce((s, l) => s + l.amountCents, 0);
  if (!isCents(total)) {
    bad('totalCents', 'the sum of the lines is beyond the largest amount accepted');
    return problems;
  }
  if (sale.totalCents !== total) bad('totalCents', `must be the sum of the lines = ${total}`);
  const vat = vatBreakdown(sale.lines.map((l) => ({ vat: l.vat, amountCents: l.amountCents })));
  if (JSON.stringify(vat) !== JSON.stringify(sale.vat)) bad('vat', 'does not match the VAT per rate of the lines');

  let payment: PaymentState | null = null;
  try {
    payment = applyTenders(
      total,
      sale.tenders.map((t): TenderInput =>
        t.kind === 'card'
          ? { kind: 'card', amountCents: t.amountCents, ...(t.reference !== null ? { reference: t.reference } : {}) }
          : { kind: 'cash', tenderedCents: t.tenderedCents },
      ),
    );
  } catch (e) {
    bad('tenders', (e as Error).message);
  }
  if (payment) {
    if (!payment.complete) bad('tenders', `do not pay the total; ${payment.remainingCents} cents remain`);
    if (sale.roundingCents !== payment.roundingCents) bad('roundingCents', `must be ${payment.roundingCents}`);
    if (sale.payableCents !== payment.payableCents) bad('payableCents', `must be ${payment.payableCents}`);
    if (sale.changeCents !== payment.changeCents) bad('changeCents', `must be ${payment.changeCents}`);
    if (JSON.stringify(payment.tenders) !== JSON.stringify(sale.tenders)) {
      bad('tenders', 'amounts or change do not match what was tendered');
    }
  }
  // Voids are not in the total; each must say what, how many, at what price, and who approved.
  (sale.voids ?? []).forEach((v, i) => {
    const at = `voids[${i}]`;
    if (!approvalText(v.productId, 64)) bad(`${at}.productId`, 'must name the product voided');
    if (!approvalText(v.name, 200)) bad(`${at}.name`, 'must name the product voided');
    const quantityOk = Number.isSafeInteger(v.quantity) && v.quantity >= 1 && v.quantity <= 9_999;
    if (!quantityOk) bad(`${at}.quantity`, 'must be a whole number from 1 to 9999');
    if (!isCents(v.unitPriceCents) || v.unitPriceCents < 0) bad(`${at}.unitPriceCents`, 'must be a non-negative whole number of cents');
    else if (quantityOk && !isCents(v.unitPriceCents * v.quantity)) bad(`${at}.quantity`, 'quantity × unit price is beyond the largest amount accepted');
    if (!approvalText(v.managerId, MAX_MANAGER_ID)) bad(`${at}.managerId`, 'must name the manager who approved the void');
    if (!approvalText(v.reason, MAX_REASON)) bad(`${at}.reason`, 'must say why it was voided');
  });
  return problems;
}

/** Text that says something: a string, not blank, at most `max` characters. */
function approvalText(v: unknown, max: number): boolean {
  return typeof v === 'string' && v.trim() !== '' && v.length <= max;
}
