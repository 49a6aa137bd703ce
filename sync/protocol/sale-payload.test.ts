import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addToCart, emptyCart, overridePrice, removeLine, setQuantity } from '../../src/cart.ts';
import { chainPayload, seal } from '../../src/chain.ts';
import { completeSale } from '../../src/sale.ts';
import type { SaleDoc } from './docs.ts';
import { saleChainPayload } from './sale-payload.ts';

describe('saleChainPayload', () => {
  it('writes exactly the generic canonical chain payload, for any sale', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            price: fc.integer({ min: 0, max: 100_000 }),
            qty: fc.integer({ min: 1, max: 20 }),
            vat: fc.constantFrom('high' as const, 'low' as const, 'zero' as const),
            name: fc.string({ minLength: 1, maxLength: 30 }),
            barcode: fc.option(fc.constant('8710000000000'), { nil: null }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.boolean(),
        fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
        fc.option(fc.record({ seq: fc.constant(1), hash: fc.constant('a'.repeat(64)) }), { nil: null }),
        (lines, card, reference, head) => {
          let cart = emptyCart;
          lines.forEach((l, i) => {
            cart = addToCart(cart, { id: String(1000 + i), itemNumber: String(1000 + i), barcode: l.barcode, name: l.name, priceCents: l.price, vat: l.vat, inAssortment: i % 2 === 0 }, l.qty);
          });
          const total = lines.reduce((s, l) => s + l.price * l.qty, 0);
          const tenders =
            total === 0 ? [] : card ? [{ kind: 'card' as const, amountCents: total, ...(reference !== undefined ? { reference } : {}) }] : [{ kind: 'cash' as const, tenderedCents: total + 1000 }];
          const sale = { ...seal(completeSale(cart, tenders, { storeId: '1001', registerId: '01', seq: 2, createdAt: '2026-11-25T10:00:00.000Z', operatorId: 'cashier' }), head), _deleted: false } as SaleDoc;
          const wire = JSON.parse(JSON.stringify(sale)) as SaleDoc;
          expect(saleChainPayload(wire)).toBe(chainPayload(wire));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes exactly the generic one for sales with price overrides and voids, and for null / [] sent as none', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            price: fc.integer({ min: 0, max: 100_000 }),
            qty: fc.integer({ min: 1, max: 20 }),
            newPrice: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
            voidQty: fc.integer({ min: 0, max: 25 }),
            reason: fc.string({ minLength: 1, maxLength: 40 }).filter((r) => r.trim() !== ''),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.boolean(),
        (lines, asNull) => {
          let cart = emptyCart;
          lines.forEach((l, i) => {
            cart = addToCart(cart, { id: String(1000 + i), itemNumber: String(1000 + i), barcode: null, name: `P ${i}`, priceCents: l.price, vat: 'high', inAssortment: true }, l.qty);
            const approval = { managerId: '900', reason: l.reason };
            if (l.newPrice !== null && l.newPrice !== l.price) cart = overridePrice(cart, cart.lines.length - 1, l.newPrice, approval);
            if (l.voidQty >= l.qty) cart = removeLine(cart, cart.lines.length - 1, approval);
            else if (l.voidQty > 0) cart = setQuantity(cart, cart.lines.length - 1, l.qty - l.voidQty, approval);
          });
          fc.pre(cart.lines.length > 0);
          const total = cart.lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
          const made = completeSale(cart, total === 0 ? [] : [{ kind: 'card', amountCents: total }], { storeId: '1001', registerId: '01', seq: 3, createdAt: '2026-11-25T10:00:00.000Z', operatorId: 'cashier' });
          const sale = asNull ? { ...made, voids: made.voids ?? [], lines: made.lines.map((l) => ({ ...l, priceOverride: l.priceOverride ?? null })) } : made;
          const wire = JSON.parse(JSON.stringify({ ...seal(sale, null), _deleted: false })) as SaleDoc;
          expect(saleChainPayload(wire)).toBe(chainPayload(wire));
        },
      ),
      { numRuns: 500 },
    );
  });
});
