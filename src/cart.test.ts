import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { type Cart, CartError, MAX_LINE_QUANTITY, type SellableProduct, addToCart, cartTotals, emptyCart, lineAmount, overridePrice, removeLine, setQuantity } from './cart.ts';
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
    expect(removeLine(three, 1, MANAGER).lines.map((l) => l.productId)).toEqual(['coffee', 'stamps']);
    expect(removeLine(removeLine(three, 0, MANAGER), 0, MANAGER).lines.map((l) => l.productId)).toEqual(['stamps']);
    expect(three.lines).toHaveLength(3);
  });

  it('refuses to remove a line that does not exist', () => {
    expect(() => removeLine(cart, 2, MANAGER)).toThrow(RangeError);
    expect(() => removeLine(emptyCart, 0, MANAGER)).toThrow(RangeError);
  });
});

const MANAGER = { managerId: '900', reason: 'customer changed their mind' };

describe('voids: removing a line or lowering its quantity after it was scanned', () => {
  const cart = addToCart(addToCart(emptyCart, coffee, 3), soap);

  it('raising a quantity needs nothing and records nothing', () => {
    const more = setQuantity(cart, 0, 5);
    expect(more.lines[0]?.quantity).toBe(5);
    expect(more.voids).toBeUndefined();
  });

  it('lowering a quantity needs a manager, and the cart records what was voided', () => {
    expect(() => setQuantity(cart, 0, 1)).toThrow(CartError);
    expect(() => setQuantity(cart, 0, 1, { managerId: ' ', reason: 'x' })).toThrow(/approval/);
    expect(() => setQuantity(cart, 0, 1, { managerId: '900', reason: '  ' })).toThrow(/reason/);
    const less = setQuantity(cart, 0, 1, { managerId: ' 900 ', reason: ' customer changed their mind ' });
    expect(less.lines.map((l) => l.quantity)).toEqual([1, 1]);
    expect(less.voids).toEqual([{ productId: 'coffee', name: 'Product coffee', quantity: 2, unitPriceCents: 449, ...MANAGER }]);
    // The cart it came from is untouched: cancelling the approval leaves the cart as it was.
    expect(cart.lines[0]?.quantity).toBe(3);
    expect(cart.voids).toBeUndefined();
  });

  it('removing a line voids its whole quantity; voids add up in order, and survive further scans', () => {
    let next = removeLine(cart, 1, MANAGER);
    next = setQuantity(next, 0, 2, { managerId: '901', reason: 'scanned twice' });
    next = addToCart(next, stamps);
    next = addToCart(next, coffee);
    expect(next.lines.map((l) => [l.productId, l.quantity])).toEqual([
      ['coffee', 3],
      ['stamps', 1],
    ]);
    expect(next.voids).toEqual([
      { productId: 'soap', name: 'Product soap', quantity: 1, unitPriceCents: 199, ...MANAGER },
      { productId: 'coffee', name: 'Product coffee', quantity: 1, unitPriceCents: 449, managerId: '901', reason: 'scanned twice' },
    ]);
    expect(cartTotals(next).totalCents).toBe(3 * 449 + 1000);
  });

  it('refuses removal without an approval, also from plain JavaScript', () => {
    expect(() => removeLine(cart, 0, undefined as never)).toThrow(CartError);
    expect(() => removeLine(cart, 0, { managerId: '900', reason: 'x'.repeat(201) })).toThrow(/200/);
  });

  it('voids a line at the price it had, an overridden one too', () => {
    const cheaper = overridePrice(cart, 0, 399, MANAGER);
    expect(removeLine(cheaper, 0, MANAGER).voids?.[0]).toMatchObject({ productId: 'coffee', quantity: 3, unitPriceCents: 399 });
  });
});

describe('overridePrice', () => {
  const cart = addToCart(addToCart(emptyCart, coffee, 2), soap);

  it('sells the line at the new price with the approval and the shelf price recorded; VAT follows', () => {
    const next = overridePrice(cart, 0, 399, { managerId: ' 900 ', reason: ' damaged box ' });
    expect(next.lines[0]).toMatchObject({ unitPriceCents: 399, quantity: 2, priceOverride: { originalUnitPriceCents: 449, managerId: '900', reason: 'damaged box' } });
    expect(next.lines[1]?.priceOverride).toBeUndefined();
    expect(lineAmount(next.lines[0]!)).toBe(798);
    const totals = cartTotals(next);
    expect(totals.totalCents).toBe(798 + 199);
    expect(totals.vat).toEqual(vatBreakdown([{ vat: 'high', amountCents: 199 }, { vat: 'low', amountCents: 798 }]));
    expect(cart.lines[0]?.unitPriceCents).toBe(449);
  });

  it('takes a higher price and a free one', () => {
    expect(overridePrice(cart, 1, 250, MANAGER).lines[1]).toMatchObject({ unitPriceCents: 250, priceOverride: { originalUnitPriceCents: 199 } });
    expect(cartTotals(overridePrice(cart, 1, 0, MANAGER)).totalCents).toBe(898);
  });

  it('keeps the shelf price as the original when changed twice, and ends the override at the shelf price', () => {
    const twice = overridePrice(overridePrice(cart, 0, 399, MANAGER), 0, 350, { managerId: '901', reason: 'second look' });
    expect(twice.lines[0]?.priceOverride).toEqual({ originalUnitPriceCents: 449, managerId: '901', reason: 'second look' });
    const back = overridePrice(twice, 0, 449, MANAGER);
    expect(back.lines[0]).toEqual(cart.lines[0]);
  });

  it('keeps the new price when more of the product is scanned', () => {
    const next = addToCart(overridePrice(cart, 0, 399, MANAGER), coffee);
    expect(next.lines[0]).toMatchObject({ quantity: 3, unitPriceCents: 399, priceOverride: { originalUnitPriceCents: 449 } });
  });

  it('refuses a negative, fractional or absurd price, the same price, no approval and a missing line', () => {
    expect(() => overridePrice(cart, 0, -1, MANAGER)).toThrow(MoneyError);
    expect(() => overridePrice(cart, 0, 3.5, MANAGER)).toThrow(MoneyError);
    expect(() => overridePrice(cart, 0, 600_000_000, MANAGER)).toThrow(MoneyError);
    expect(() => overridePrice(cart, 0, 449, MANAGER)).toThrow(/already/);
    expect(() => overridePrice(cart, 0, 399, { managerId: '', reason: 'x' })).toThrow(CartError);
    expect(() => overridePrice(cart, 0, 399, { managerId: '900', reason: '' })).toThrow(CartError);
    expect(() => overridePrice(cart, 5, 399, MANAGER)).toThrow(RangeError);
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
