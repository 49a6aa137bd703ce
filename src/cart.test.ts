import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { type Cart, MAX_LINE_QUANTITY, type SellableProduct, addToCart, cartTotals, emptyCart, lineAmount, removeLine, setQuantity } from './cart.ts';
import { MoneyError } from './money.ts';
import { type VatClass, vatBreakdown } from './vat.ts';

function product(id: string, priceCents: number, vat: VatClass = 'high', inAssortment = true): SellableProduct {
  return { id, itemNumber: `IT-${id}`, barcode: '8710000000000', name: `Product ${id}`, priceCents, vat, inAssortment };
}

const coffee = product('coffee', 449, 'low');
const soap = product('soap', 199, 'high');
const stamps = product('stamps', 1000, 'zero');

describe('addToCart', () => {
  it('adds a new line carrying the product data', () => {
    const cart = addToCart(emptyCart, coffee, 2);
    expect(cart.lines).toEqual([
      {
        productId: 'coffee',
        itemNumber: 'IT-coffee',
        barcode: '8710000000000',
        name: 'Product coffee',
        unitPriceCents: 449,
        vat: 'low',
        quantity: 2,
        outOfAssortment: false,
      },
    ]);
  });

  it('defaults to one item and does not touch the original cart', () => {
    const cart = addToCart(emptyCart, soap);
    expect(cart.lines[0]?.quantity).toBe(1);
    expect(emptyCart.lines).toHaveLength(0);
  });

  it('merges a second scan of the same product into its line', () => {
    const once = addToCart(addToCart(emptyCart, coffee), soap);
    const twice = addToCart(once, coffee, 3);
    expect(twice.lines).toHaveLength(2);
    expect(twice.lines.map((l) => [l.productId, l.quantity])).toEqual([
      ['coffee', 4],
      ['soap', 1],
    ]);
    expect(once.lines[0]?.quantity).toBe(1);
  });

  it('flags a product outside the store assortment on its line', () => {
    const cart = addToCart(emptyCart, product('odd', 300, 'high', false));
    expect(cart.lines[0]?.outOfAssortment).toBe(true);
    expect(addToCart(emptyCart, soap).lines[0]?.outOfAssortment).toBe(false);
  });

  it('enforces MAX_LINE_QUANTITY, also when scans are merged', () => {
    expect(addToCart(emptyCart, soap, MAX_LINE_QUANTITY).lines[0]?.quantity).toBe(MAX_LINE_QUANTITY);
    expect(() => addToCart(emptyCart, soap, MAX_LINE_QUANTITY + 1)).toThrow(MoneyError);
    const full = addToCart(emptyCart, soap, MAX_LINE_QUANTITY);
    expect(() => addToCart(full, soap)).toThrow(MoneyError);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses quantity %s', (q) => {
    expect(() => addToCart(emptyCart, soap, q)).toThrow(MoneyError);
  });

  it('refuses a negative, fractional or absurd price and an unknown VAT class', () => {
    expect(() => addToCart(emptyCart, product('x', -1))).toThrow(MoneyError);
    expect(() => addToCart(emptyCart, product('x', 1.99))).toThrow(MoneyError);
    expect(() => addToCart(emptyCart, product('x', 2e9))).toThrow(MoneyError);
    expect(() => addToCart(emptyCart, { ...soap, vat: 'reduced' as VatClass })).toThrow(/VAT class/);
  });

  it('accepts a free product', () => {
    expect(cartTotals(addToCart(emptyCart, product('gift', 0))).totalCents).toBe(0);
  });
});

describe('setQuantity / removeLine', () => {
  const cart = addToCart(addToCart(emptyCart, coffee), soap);

  it('sets the quantity of one line only', () => {
    const next = setQuantity(cart, 1, 5);
    expect(next.lines.map((l) => l.quantity)).toEqual([1, 5]);
    expect(cart.lines[1]?.quantity).toBe(1);
  });

  it.each([0, -3, 2.5, MAX_LINE_QUANTITY + 1])('refuses quantity %s (a line is removed with removeLine, not set to 0)', (q) => {
    expect(() => setQuantity(cart, 0, q)).toThrow(MoneyError);
  });

  it('refuses a line that does not exist', () => {
    expect(() => setQuantity(cart, 2, 1)).toThrow(RangeError);
    expect(() => setQuantity(cart, -1, 1)).toThrow(RangeError);
  });

  it('removes the line at the index and keeps the order of the rest', () => {
    const three = addToCart(cart, stamps);
    expect(removeLine(three, 1).lines.map((l) => l.productId)).toEqual(['coffee', 'stamps']);
    expect(removeLine(removeLine(three, 0), 0).lines.map((l) => l.productId)).toEqual(['stamps']);
    expect(three.lines).toHaveLength(3);
  });

  it('refuses to remove a line that does not exist', () => {
    expect(() => removeLine(cart, 2)).toThrow(RangeError);
    expect(() => removeLine(emptyCart, 0)).toThrow(RangeError);
  });
});

describe('cartTotals', () => {
  it('totals an empty cart as zero with no VAT lines', () => {
    expect(cartTotals(emptyCart)).toEqual({ totalCents: 0, itemCount: 0, vat: [] });
  });

  it('adds quantity × price per line and shows VAT per rate', () => {
    let cart: Cart = addToCart(emptyCart, coffee, 2); // 898 low
    cart = addToCart(cart, soap, 3); // 597 high
    cart = addToCart(cart, stamps); // 1000 zero
    const totals = cartTotals(cart);
    expect(totals.totalCents).toBe(898 + 597 + 1000);
    expect(totals.itemCount).toBe(6);
    expect(totals.vat).toEqual([
      { vat: 'high', rateBp: 2100, grossCents: 597, vatCents: 104, netCents: 493 },
      { vat: 'low', rateBp: 900, grossCents: 898, vatCents: 74, netCents: 824 },
      { vat: 'zero', rateBp: 0, grossCents: 1000, vatCents: 0, netCents: 1000 },
    ]);
  });

  it('computes a line amount without floats', () => {
    expect(lineAmount({ unitPriceCents: 33, quantity: 3 })).toBe(99);
    expect(() => lineAmount({ unitPriceCents: 1_000_000_000, quantity: 2 })).toThrow(MoneyError);
  });

  const scan = fc.record({
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
    price: fc.integer({ min: 0, max: 50_000 }),
    vat: fc.constantFrom<VatClass>('high', 'low', 'zero'),
    quantity: fc.integer({ min: 1, max: 20 }),
    inAssortment: fc.boolean(),
  });

  it('total is the sum of line amounts, item count the sum of quantities, VAT matches the lines (property)', () => {
    fc.assert(
      fc.property(fc.array(scan, { maxLength: 25 }), (scans) => {
        // Prices and VAT are per product id: the first scan of an id decides them.
        const first = new Map<string, (typeof scans)[number]>();
        let cart: Cart = emptyCart;
        for (const s of scans) {
          const p = first.get(s.id) ?? s;
          first.set(s.id, p);
          cart = addToCart(cart, product(s.id, p.price, p.vat, p.inAssortment), s.quantity);
        }
        const totals = cartTotals(cart);
        const amounts = cart.lines.map((l) => l.unitPriceCents * l.quantity);
        expect(totals.totalCents).toBe(amounts.reduce((a, b) => a + b, 0));
        expect(totals.itemCount).toBe(scans.reduce((n, s) => n + s.quantity, 0));
        expect(new Set(cart.lines.map((l) => l.productId)).size).toBe(cart.lines.length);
        expect(cart.lines.map((l) => l.productId)).toEqual([...first.keys()]);
        for (const l of cart.lines) expect(l.outOfAssortment).toBe(!first.get(l.productId)?.inAssortment);
        expect(totals.vat).toEqual(vatBreakdown(cart.lines.map((l, i) => ({ vat: l.vat, amountCents: amounts[i] ?? 0 }))));
        expect(totals.vat.reduce((s, v) => s + v.grossCents, 0)).toBe(totals.totalCents);
      }),
    );
  });
});
