import { describe, expect, it } from 'vitest';
import { type NewOrderLine, createOrder, foldOrder, orderDue, pickUp } from '../../src/order.ts';
import { validatePushRows } from './validate.ts';

const customer = { name: 'A. Jansen', phone: '0301234567', email: 'a@example.nl', addresses: [] };
const lines: NewOrderLine[] = [
  { productId: 'P1', itemNumber: '100001', barcode: '8712345678906', name: 'Theedoek', quantity: 2, unitPriceCents: 499, vat: 'high', outOfAssortment: true, fulfilment: { mode: 'pickup', storeId: '1002' } },
];
const ctx = (storeId: string, registerId: string, seq: number) => ({ storeId, registerId, seq, createdAt: '2026-11-25T09:00:00.000Z', operatorId: 'cashier' });
const due = orderDue(lines, { depositBp: 2000 });
const created = { ...createOrder({ customer, lines, settings: { depositBp: 2000 }, depositCents: due.depositRequiredCents, override: null, tenders: [{ kind: 'cash', tenderedCents: 500 }] }, ctx('1001', '01', 7)), _deleted: false };
const row = (doc: unknown) => ({ newDocumentState: doc, assumedMasterState: null });

describe('validatePushRows: order events', () => {
  it('accepts what src/order.ts makes', () => {
    const picked = { ...pickUp(foldOrder(created.orderNo, [created]), [1], [{ kind: 'card', amountCents: 798 }], ctx('1002', '01', 3)), _deleted: false };
    const result = validatePushRows('orderEvents', [row(created), row(picked)]);
    expect(result.ok).toBe(true);
  });
  it('names the field of a bad event and the reason', () => {
    const problems = (doc: unknown) => {
      const r = validatePushRows('orderEvents', [row(created), row(doc)]);
      return r.ok ? [] : r.problems;
    };
    expect(problems({ ...created, type: 'teleported' })[0]?.field).toBe('[1].newDocumentState.type');
    expect(problems({ ...created, lines: [{ ...created.lines[0]!, quantity: -1 }] })[0]?.field).toBe('[1].newDocumentState.lines[0].quantity');
    expect(problems({ ...created, lines: [{ ...created.lines[0]!, amountCents: 1000 }] })[0]).toEqual({ field: '[1].newDocumentState.lines[0].amountCents', reason: 'must be quantity × unit price' });
    expect(problems({ ...created, payment: { ...created.payment!, dueCents: 1 } }).map((p) => p.field)).toContain('[1].newDocumentState.payment.dueCents');
    expect(problems({ ...created, customer: { ...customer, email: 'nope' } })[0]?.field).toBe('[1].newDocumentState.customer.email');
    expect(problems({ ...created, lines: [{ ...created.lines[0]!, fulfilment: { mode: 'pickup', storeId: 'utrecht' } }] })[0]?.field).toBe('[1].newDocumentState.lines[0].fulfilment.storeId');
    expect(problems({ ...created, extra: 1 })[0]?.field).toBe('[1].newDocumentState.extra');
    expect(problems({ ...created, clock: 0 })[0]?.field).toBe('[1].newDocumentState.clock');
    // Price overrides are for sales: an order line takes the shelf price and has no such field.
    const priceOverride = { originalUnitPriceCents: 599, managerId: '900', reason: 'x' };
    expect(problems({ ...created, lines: [{ ...created.lines[0]!, priceOverride }] })[0]?.field).toBe('[1].newDocumentState.lines[0].priceOverride');
  });
});
