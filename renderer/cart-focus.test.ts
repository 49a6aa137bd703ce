import { describe, expect, it } from 'vitest';
import { type SellableProduct, addToCart, emptyCart, overridePrice, removeLine, setQuantity } from '../src/cart.ts';
import { lineToShow } from './cart-focus.ts';

const product = (n: number): SellableProduct => ({ id: `p${n}`, itemNumber: `${n}`, barcode: null, name: `Product ${n}`, priceCents: 100 * n, vat: 'high', inAssortment: true });
const cartOf = (count: number) => Array.from({ length: count }, (_, i) => product(i + 1)).reduce((c, p) => addToCart(c, p), emptyCart);

describe('the cart line an action brings into view', () => {
  it('is the line just added, at the end', () => {
    const before = cartOf(6);
    expect(lineToShow(before.lines, addToCart(before, product(7)).lines)).toBe(6);
    expect(lineToShow(emptyCart.lines, addToCart(emptyCart, product(1)).lines)).toBe(0);
  });

  it('is a line far up the cart whose product was scanned again, or raised', () => {
    const before = cartOf(7);
    expect(lineToShow(before.lines, addToCart(before, product(1)).lines)).toBe(0);
    expect(lineToShow(before.lines, setQuantity(before, 2, 5).lines)).toBe(2);
  });

  it('is none after a removal, a lowered quantity or a new price: the cashier keeps their place', () => {
    const before = setQuantity(cartOf(7), 3, 4);
    expect(lineToShow(before.lines, removeLine(before, 6, { managerId: 'm1', reason: 'wrong item' }).lines)).toBeNull();
    expect(lineToShow(before.lines, setQuantity(before, 3, 2, { managerId: 'm1', reason: 'one fewer' }).lines)).toBeNull();
    expect(lineToShow(before.lines, overridePrice(before, 1, 50, { managerId: 'm1', reason: 'damaged' }).lines)).toBeNull();
    expect(lineToShow(before.lines, before.lines)).toBeNull();
  });
});
