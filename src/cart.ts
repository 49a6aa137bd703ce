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

export interface CartLine {
  productId: string;
  itemNumber: string;
  barcode: string | null;
  name: string;
  unitPriceCents: Cents;
  vat: VatClass;
  quantity: number;
  outOfAssortment: boolean;
}

export interface Cart {
  lines: readonly CartLine[];
}

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
  return { lines: [...cart.lines, line] };
}

export function setQuantity(cart: Cart, index: number, quantity: number): Cart {
  checkQuantity(quantity);
  if (!cart.lines[index]) throw new RangeError(`no cart line ${index}`);
  return { lines: cart.lines.map((l, i) => (i === index ? { ...l, quantity } : l)) };
}

export function removeLine(cart: Cart, index: number): Cart {
  if (!cart.lines[index]) throw new RangeError(`no cart line ${index}`);
  return { lines: cart.lines.filter((_, i) => i !== index) };
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
