import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type OriginalLine,
  type ReturnInputLine,
  BLIND_RETURN_POLICY,
  completeReturn,
  planBlindRefund,
  planRefund,
  returnExcess,
  returnable,
  verifyReturn,
} from './returns.ts';
import type { Tender } from './sale.ts';

const sold: OriginalLine[] = [
  { lineNo: 1, productId: 'P1', itemNumber: '1', barcode: null, name: 'Theedoek', quantity: 3, unitPriceCents: 499, vat: 'high' },
  { lineNo: 2, productId: 'P2', itemNumber: '2', barcode: null, name: 'Koffie', quantity: 1, unitPriceCents: 789, vat: 'low' },
];
const ctx = (storeId: string, seq: number) => ({ storeId, registerId: '01', seq, createdAt: '2026-11-25T10:00:00.000Z', operatorId: 'cashier' });
const origin = { kind: 'sale' as const, receiptNo: '1001-01-000007', storeId: '1001', registerId: '01', verifiedBy: 'replica' as const };
const back = (lineNo: number, quantity: number): ReturnInputLine => {
  const l = sold[lineNo - 1]!;
  return { originalLineNo: lineNo, productId: l.productId, itemNumber: l.itemNumber, barcode: null, name: l.name, quantity, unitPriceCents: l.unitPriceCents, vat: l.vat, reason: 'defective' };
};

describe('what can come back', () => {
  it('is sold minus returned, per line, across returns', () => {
    const r1 = completeReturn({ origin, lines: [back(1, 2)], refunds: planRefund(998, [], []), approval: null }, ctx('1001', 1));
    const r2 = completeReturn({ origin, lines: [back(1, 1), back(2, 1)], refunds: planRefund(1288, [], []), approval: null }, ctx('1002', 1));
    expect(returnable(sold, [r1]).map((l) => l.returnable)).toEqual([1, 1]);
    expect(returnable(sold, [r1, r2]).map((l) => l.returnable)).toEqual([0, 0]);
  });
  it('a return above what can still come back is refused', () => {
    expect(() => completeReturn({ origin, lines: [back(1, 4)], refunds: planRefund(1996, [], []), approval: null, available: new Map([[1, 3]]) }, ctx('1001', 1))).toThrow(/only 3/);
  });
  it('HQ finds the excess of two offline returns of the same goods, with its value', () => {
    const a = completeReturn({ origin, lines: [back(1, 2)], refunds: planRefund(998, [], []), approval: null }, ctx('1001', 1));
    const b = completeReturn({ origin, lines: [back(1, 2)], refunds: planRefund(998, [], []), approval: null }, ctx('1002', 1));
    expect(returnExcess(sold, [a])).toEqual([]);
    expect(returnExcess(sold, [a, b])).toEqual([{ lineNo: 1, sold: 3, returned: 4, excess: 1, excessCents: 499, returnIds: [a.id, b.id] }]);
  });
});

describe('refunds follow the original tenders', () => {
  const tenders: Tender[] = [{ kind: 'card', amountCents: 1000, reference: null }, { kind: 'cash', amountCents: 1285, tenderedCents: 1500, changeCents: 215 }];
  it('card first up to what the card paid and was not refunded, the rest cash rounded to 5 cents', () => {
    expect(planRefund(1288, tenders, [])).toEqual([{ kind: 'card', amountCents: 1000, reference: null }, { kind: 'cash', amountCents: 288, paidOutCents: 290, roundingCents: 2 }]);
    expect(planRefund(998, tenders, [{ kind: 'card', amountCents: 600, reference: null }])).toEqual([{ kind: 'card', amountCents: 400, reference: null }, { kind: 'cash', amountCents: 598, paidOutCents: 600, roundingCents: 2 }]);
  });
  it('always adds up to the refund, never refunds a card beyond what it paid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (amount, card, before) => {
        const plan = planRefund(amount, [{ kind: 'card', amountCents: card, reference: null }], [{ kind: 'card', amountCents: Math.min(before, card), reference: null }]);
        expect(plan.reduce((s, t) => s + t.amountCents, 0)).toBe(amount);
        const toCard = plan.find((t) => t.kind === 'card')?.amountCents ?? 0;
        expect(toCard).toBeLessThanOrEqual(card - Math.min(before, card));
        for (const t of plan) if (t.kind === 'cash') expect(t.paidOutCents % 5).toBe(0);
      }),
    );
  });
  it('without a receipt: cash up to the chain’s limit, the rest store credit', () => {
    expect(planBlindRefund(7000, true)).toEqual([
      { kind: 'cash', amountCents: BLIND_RETURN_POLICY.cashLimitCents, paidOutCents: 5000, roundingCents: 0 },
      { kind: 'storeCredit', amountCents: 2000 },
    ]);
    expect(planBlindRefund(1234, false)).toEqual([{ kind: 'storeCredit', amountCents: 1234 }]);
  });
});

describe('returns without a receipt', () => {
  const line: ReturnInputLine = { originalLineNo: null, productId: 'P1', itemNumber: '1', barcode: null, name: 'Theedoek', quantity: 1, unitPriceCents: 499, vat: 'high', reason: 'changed_mind' };
  it('need a manager, and are flagged for review', () => {
    expect(() => completeReturn({ origin: { kind: 'none' }, lines: [line], refunds: planBlindRefund(499, true), approval: null }, ctx('1001', 1))).toThrow(/manager/);
    const r = completeReturn({ origin: { kind: 'none' }, lines: [line], refunds: planBlindRefund(499, true), approval: { managerId: '900', reason: 'regular customer' } }, ctx('1001', 1));
    expect(r.review).toBe(true);
    expect(r.returnNo).toBe('RET-1001-01-000001');
    expect(verifyReturn(r)).toEqual([]);
    expect(verifyReturn({ ...r, approval: null }).map((p) => p.field)).toContain('approval');
    expect(verifyReturn({ ...r, refunds: [{ kind: 'card', amountCents: 499, reference: null }] }).map((p) => p.field)).toContain('refunds');
  });
});

describe('verifyReturn', () => {
  it('accepts what completeReturn makes and names what was altered', () => {
    const r = completeReturn({ origin, lines: [back(1, 2), back(2, 1)], refunds: planRefund(1787, [], []), approval: null }, ctx('1001', 3));
    expect(verifyReturn(r)).toEqual([]);
    expect(verifyReturn({ ...r, totalCents: 1 }).map((p) => p.field)).toContain('totalCents');
    expect(verifyReturn({ ...r, lines: r.lines.map((l, i) => (i === 0 ? { ...l, amountCents: 1 } : l)) }).map((p) => p.field)).toContain('lines[0].amountCents');
    expect(verifyReturn({ ...r, returnNo: 'RET-1001-01-000009' }).map((p) => p.field)).toContain('returnNo');
    expect(verifyReturn({ ...r, refunds: [] }).map((p) => p.field)).toContain('refunds');
  });
});
