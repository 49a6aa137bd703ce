import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/cart.ts';
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
});
