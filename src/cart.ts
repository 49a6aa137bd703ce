import { type Cents, MoneyError, assertCents, multiplyCents, sumCents } from './money.ts';
import { type VatClass, type VatLine, isVatClass, vatBreakdown } from './vat.ts';

/** What the cart needs to know of a product. */
export interface SellableProduct {
  id: string;
  itemNumber: string;
  barcode: string | null;
  name: string;
  priceCents: Cents;
  vat: VatClass;
  /** False when the product is outside this store's assortment today. */
  inAssortment: boolean;
}

/** A manager's approval, given with their id and PIN at this register, and why. */
export interface ManagerApproval {
  managerId: string;
  reason: string;
}

/**
 * A unit price the cashier changed on a line (lower or higher), approved by a manager. The line's
 * `unitPriceCents` is the new price; this keeps the price it had before (the shelf price).
 */
export interface PriceOverride {
  originalUnitPriceCents: Cents;
  managerId: string;
  reason: string;
}

/**
 * A void: items taken off the cart after they were scanned (a line removed, or its quantity
 * lowered), approved by a manager. `unitPriceCents` is the price the line had then.
 */
export interface VoidedItems {
  productId: string;
  name: string;
  quantity: number;
  unitPriceCents: Cents;
  managerId: string;
  reason: string;
}

export interface CartLine {
  productId: string;
  itemNumber: string;
  barcode: string | null;
  name: string;
  unitPriceCents: Cents;
  vat: VatClass;
  quantity: number;
  outOfAssortment: boolean;
  /** Present only when a manager approved another price for this line. */
  priceOverride?: PriceOverride;
}

export interface Cart {
  lines: readonly CartLine[];
  /** What was voided from this cart, in the order it happened (absent: nothing). */
  voids?: readonly VoidedItems[];
}

/** A cart rule was broken: a void or a price change without a manager's approval, a bad price. */
export class CartError extends MoneyError {
  constructor(message: string) {
    super(message);
    this.name = 'CartError';
  }
}

/** Longest manager id and reason HQ stores (sync/protocol/validate.ts). */
export const MAX_MANAGER_ID = 32;
export const MAX_REASON = 200;

export interface CartTotals {
  totalCents: Cents;
  itemCount: number;
  vat: VatLine[];
}

export const MAX_LINE_QUANTITY = 9_999;

export const emptyCart: Cart = { lines: [] };

function checkQuantity(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
    throw new MoneyError(`quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}, got ${quantity}`);
  }
}

/** Adds a product; scanning the same product again raises the quantity of its line. */
export function addToCart(cart: Cart, product: SellableProduct, quantity = 1): Cart {
  checkQuantity(quantity);
  assertCents(product.priceCents, 'price');
  if (product.priceCents < 0) throw new MoneyError('price cannot be negative');
  if (!isVatClass(product.vat)) throw new MoneyError(`unknown VAT class ${String(product.vat)}`);
  const existing = cart.lines.findIndex((l) => l.productId === product.id);
  if (existing >= 0) {
    const line = cart.lines[existing]!;
    return setQuantity(cart, existing, line.quantity + quantity);
  }
  const line: CartLine = {
    productId: product.id,
    itemNumber: product.itemNumber,
    barcode: product.barcode,
    name: product.name,
    unitPriceCents: product.priceCents,
    vat: product.vat,
    quantity,
    outOfAssortment: !product.inAssortment,
  };
  return { ...cart, lines: [...cart.lines, line] };
}

/** The approval trimmed; refused when it names no manager or gives no reason. */
export function checkApproval(approval: ManagerApproval | undefined, what: string): ManagerApproval {
  const managerId = typeof approval?.managerId === 'string' ? approval.managerId.trim() : '';
  const reason = typeof approval?.reason === 'string' ? approval.reason.trim() : '';
  if (managerId === '') throw new CartError(`${what} needs a manager's approval`);
  if (managerId.length > MAX_MANAGER_ID) throw new CartError(`a manager id has at most ${MAX_MANAGER_ID} characters`);
  if (reason === '') throw new CartError(`${what} needs a reason`);
  if (reason.length > MAX_REASON) throw new CartError(`a reason has at most ${MAX_REASON} characters`);
  return { managerId, reason };
}

/**
 * Sets a line's quantity. Raising it needs nothing; lowering it is a void of the difference and
 * needs a manager's approval, which the cart records (`voids`).
 */
export function setQuantity(cart: Cart, index: number, quantity: number, approval?: ManagerApproval): Cart {
  checkQuantity(quantity);
  const line = cart.lines[index];
  if (!line) throw new RangeError(`no cart line ${index}`);
  if (quantity < line.quantity) return voidItems(cart, index, line.quantity - quantity, checkApproval(approval, `lowering the quantity of ${line.name}`));
  return { ...cart, lines: cart.lines.map((l, i) => (i === index ? { ...l, quantity } : l)) };
}

/** Removes a line: a void of its whole quantity, with a manager's approval. */
export function removeLine(cart: Cart, index: number, approval: ManagerApproval): Cart {
  const line = cart.lines[index];
  if (!line) throw new RangeError(`no cart line ${index}`);
  return voidItems(cart, index, line.quantity, checkApproval(approval, `removing ${line.name}`));
}

function voidItems(cart: Cart, index: number, quantity: number, approval: ManagerApproval): Cart {
  const line = cart.lines[index]!;
  const voided: VoidedItems = {
    productId: line.productId,
    name: line.name,
    quantity,
    unitPriceCents: line.unitPriceCents,
    managerId: approval.managerId,
    reason: approval.reason,
  };
  const left = line.quantity - quantity;
  return {
    ...cart,
    lines: left > 0 ? cart.lines.map((l, i) => (i === index ? { ...l, quantity: left } : l)) : cart.lines.filter((_, i) => i !== index),
    voids: [...(cart.voids ?? []), voided],
  };
}

/**
 * Sells a line at another unit price (lower or higher, whole cents, 0 or more), with a manager's
 * approval recorded on the line. The original is always the shelf price the line was scanned at:
 * changing an overridden price again keeps it, and setting the shelf price back ends the override.
 */
export function overridePrice(cart: Cart, index: number, unitPriceCents: Cents, approval: ManagerApproval): Cart {
  const line = cart.lines[index];
  if (!line) throw new RangeError(`no cart line ${index}`);
  assertCents(unitPriceCents, 'price');
  if (unitPriceCents < 0) throw new CartError('a price cannot be negative');
  if (unitPriceCents === line.unitPriceCents) throw new CartError(`${line.name} is at that price already`);
  const a = checkApproval(approval, `changing the price of ${line.name}`);
  multiplyCents(unitPriceCents, line.quantity);
  const originalUnitPriceCents = line.priceOverride?.originalUnitPriceCents ?? line.unitPriceCents;
  const { priceOverride: _previous, ...rest } = line;
  const next: CartLine =
    unitPriceCents === originalUnitPriceCents
      ? { ...rest, unitPriceCents }
      : { ...rest, unitPriceCents, priceOverride: { originalUnitPriceCents, managerId: a.managerId, reason: a.reason } };
  return { ...cart, lines: cart.lines.map((l, i) => (i === index ? next : l)) };
}

export function lineAmount(line: Pick<CartLine, 'unitPriceCents' | 'quantity'>): Cents {
  return multiplyCents(line.unitPriceCents, line.quantity);
}

export function cartTotals(cart: Cart): CartTotals {
  const amounts = cart.lines.map((l) => ({ vat: l.vat, amountCents: lineAmount(l) }));
  return {
    totalCents: sumCents(amounts.map((a) => a.amountCents)),
    itemCount: cart.lines.reduce((n, l) => n + l.quantity, 0),
    vat: vatBreakdown(amounts),
  };
}
