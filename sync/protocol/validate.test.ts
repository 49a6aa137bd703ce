import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SellableProduct, addToCart, emptyCart, overridePrice, removeLine, setQuantity } from '../../src/cart.ts';
import { type SaleContext, type TenderInput, completeSale } from '../../src/sale.ts';
import { seal } from '../../src/chain.ts';
import { type ShiftEvent, closeShift, moveCash, openShift } from '../../src/shift.ts';
import type { SaleDoc, ShiftEventDoc } from './docs.ts';
import {
  type ValidationProblem,
  type Validated,
  canonicalJson,
  fastSaleShape,
  saleDocSchema,
  validateEnrol,
  validatePushRows,
  validateSale,
  validateShiftEvent,
} from './validate.ts';
import { MAX_PUSH_ROWS, type PushRow } from './wire.ts';

// ---------------------------------------------------------------------------------------------
// Building valid sales the way the register does: a cart, tenders, completeSale.

const COFFEE: SellableProduct = {
  id: '1000001',
  itemNumber: '1000001',
  barcode: '8710000000011',
  name: 'Zwanenberg Koffiebonen espresso 500 g',
  priceCents: 799,
  vat: 'low',
  inAssortment: true,
};
const PAN: SellableProduct = {
  id: '1000002',
  itemNumber: '1000002',
  barcode: null,
  name: 'Tulp Koekenpan rvs 24 cm',
  priceCents: 2999,
  vat: 'high',
  inAssortment: false,
};
const GIFT: SellableProduct = {
  id: '1000003',
  itemNumber: '1000003',
  barcode: '8710000000035',
  name: 'Cadeaukaart algemeen 25 euro',
  priceCents: 2500,
  vat: 'zero',
  inAssortment: true,
};

function ctx(seq: number): SaleContext {
  return { storeId: '1001', registerId: '01', seq, createdAt: '2025-03-14T10:15:00.000Z', operatorId: 'op-7' };
}

/** A cash sale of two lines (low + high VAT) with rounding and change. */
function cashSale(seq = 1): SaleDoc {
  let cart = addToCart(emptyCart, COFFEE, 3);
  cart = addToCart(cart, PAN);
  // 3 × 7.99 + 29.99 = 53.96 → cash 53.95, rounding −1, change 46.05 from 100.
  return { ...seal(completeSale(cart, [{ kind: 'cash', tenderedCents: 10_000 }], ctx(seq)), null), _deleted: false };
}

/** A card-then-cash sale over all three VAT classes. */
function mixedSale(seq = 2): SaleDoc {
  let cart = addToCart(emptyCart, COFFEE);
  cart = addToCart(cart, PAN, 2);
  cart = addToCart(cart, GIFT);
  const tenders: TenderInput[] = [
    { kind: 'card', amountCents: 5000, reference: 'PIN-0042' },
    { kind: 'cash', tenderedCents: 5000 },
  ];
  return { ...seal(completeSale(cart, tenders, ctx(seq)), null), _deleted: false };
}

/** A card sale with a manager's approvals: coffee at 6,99 instead of 7,99, the gift card voided, one of 3 pans voided. */
function approvedSale(seq = 3): SaleDoc {
  const manager = { managerId: '900', reason: 'damaged box' };
  let cart = addToCart(addToCart(addToCart(emptyCart, COFFEE, 2), PAN, 3), GIFT);
  cart = overridePrice(cart, 0, 699, manager);
  cart = removeLine(cart, 2, { managerId: '900', reason: 'customer changed their mind' });
  cart = setQuantity(cart, 1, 2, manager);
  return { ...seal(completeSale(cart, [{ kind: 'card', amountCents: 2 * 699 + 2 * 2999, reference: null as never }], ctx(seq)), null), _deleted: false };
}

function row(doc: unknown): PushRow<unknown> {
  return { newDocumentState: doc, assumedMasterState: null };
}

function problemsOf<T>(result: Validated<T>): ValidationProblem[] {
  if (result.ok) throw new Error(`expected a rejection, got ok: ${JSON.stringify(result.value).slice(0, 200)}`);
  return result.problems;
}

/** Rejected, every problem has a non-empty reason, and one of them names exactly `field`. */
function expectRejected<T>(result: Validated<T>, field: string, reason?: RegExp): ValidationProblem {
  const problems = problemsOf(result);
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) {
    expect(typeof p.field).toBe('string');
    expect(p.reason.trim()).not.toBe('');
  }
  const hit = problems.find((p) => p.field === field);
  expect(hit, `no problem for ${field} in ${JSON.stringify(problems)}`).toBeDefined();
  if (reason) expect(hit!.reason).toMatch(reason);
  return hit!;
}

/** Pushes `doc` (as a mutated copy of a valid sale) as the only row. */
function pushOne(doc: unknown): Validated<SaleDoc[]> {
  return validatePushRows('sales', [row(doc)]);
}

/** A deep copy of a valid sale, as plain JSON, to break at will. */
function json(doc: SaleDoc = cashSale()): Record<string, unknown> & { lines: Record<string, unknown>[]; tenders: Record<string, unknown>[]; vat: Record<string, unknown>[] } {
  return JSON.parse(JSON.stringify(doc)) as ReturnType<typeof json>;
}

// ---------------------------------------------------------------------------------------------

describe('the sales built for these tests', () => {
  it('are what completeSale makes: rounding, change, VAT per class', () => {
    const sale = cashSale();
    expect(sale.totalCents).toBe(5396);
    expect(sale.roundingCents).toBe(-1);
    expect(sale.payableCents).toBe(5395);
    expect(sale.changeCents).toBe(4605);
    expect(sale.vat.map((v) => v.vat)).toEqual(['high', 'low']);
    expect(mixedSale().vat.map((v) => v.vat)).toEqual(['high', 'low', 'zero']);
  });
});

describe('validatePushRows: valid pushes', () => {
  it('accepts one row of a cash sale and returns the document', () => {
    const sale = cashSale();
    const result = validatePushRows('sales', [row(sale)]);
    expect(result).toEqual({ ok: true, value: [sale] });
  });

  it('accepts several rows, card and cash tenders, all VAT classes, in order', () => {
    const sales = [cashSale(1), mixedSale(2), cashSale(3)];
    const result = validatePushRows('sales', sales.map(row));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.map((s) => s.receiptNo)).toEqual(['1001-01-000001', '1001-01-000002', '1001-01-000003']);
  });

  it('accepts an empty push', () => {
    expect(validatePushRows('sales', [])).toEqual({ ok: true, value: [] });
  });

  it(`accepts exactly MAX_PUSH_ROWS (${MAX_PUSH_ROWS}) rows`, () => {
    const rows = Array.from({ length: MAX_PUSH_ROWS }, (_, i) => row(cashSale(i + 1)));
    const result = validatePushRows('sales', rows);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toHaveLength(MAX_PUSH_ROWS);
  });

  it('ignores assumedMasterState (sales are immutable) but keeps the sale as sent', () => {
    const sale = cashSale();
    const result = validatePushRows('sales', [{ newDocumentState: sale, assumedMasterState: { whatever: true } }]);
    expect(result).toEqual({ ok: true, value: [sale] });
  });

  it('accepts a createdAt with a UTC offset', () => {
    expect(pushOne({ ...cashSale(), createdAt: '2025-03-14T11:15:00+01:00' }).ok).toBe(true);
  });

  it('accepts a line without a barcode', () => {
    const sale = cashSale();
    expect(sale.lines[1]!.barcode).toBeNull();
    expect(pushOne(sale).ok).toBe(true);
  });
});

describe('validatePushRows: the body', () => {
  it.each([
    ['an object', { newDocumentState: {} }],
    ['a string', '[]'],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
  ])('rejects %s: the body must be an array', (_what, body) => {
    const hit = expectRejected(validatePushRows('sales', body), '', /array/);
    expect(hit.reason).not.toBe('');
  });

  it(`rejects more than MAX_PUSH_ROWS (${MAX_PUSH_ROWS}) rows, saying the limit and the count`, () => {
    const sale = cashSale();
    const body = Array.from({ length: MAX_PUSH_ROWS + 1 }, () => row(sale));
    const hit = expectRejected(validatePushRows('sales', body), '');
    expect(hit.reason).toContain(String(MAX_PUSH_ROWS));
    expect(hit.reason).toContain(String(MAX_PUSH_ROWS + 1));
  });

  it.each([
    ['null', null],
    ['a number', 7],
    ['a string', 'sale'],
    ['an object without newDocumentState', { assumedMasterState: null }],
    ['a bare sale instead of a push row', { id: 'x' }],
  ])('rejects a row that is %s, naming the row', (_what, bad) => {
    expectRejected(validatePushRows('sales', [row(cashSale(1)), bad]), '[1]', /newDocumentState/);
  });

  it('names the index of the bad row among good ones', () => {
    const bad = { ...cashSale(3), totalCents: 1 };
    const result = validatePushRows('sales', [row(cashSale(1)), row(cashSale(2)), row(bad), row(cashSale(4))]);
    expectRejected(result, '[2].newDocumentState.totalCents');
    expect(problemsOf(result).every((p) => p.field.startsWith('[2].'))).toBe(true);
  });

  it('rejects a row whose newDocumentState is not an object, naming newDocumentState itself', () => {
    expectRejected(validatePushRows('sales', [row(null)]), '[0].newDocumentState');
    expectRejected(validatePushRows('sales', [row('sale')]), '[0].newDocumentState');
    expectRejected(validatePushRows('sales', [row([])]), '[0].newDocumentState');
  });
});

describe('validatePushRows: money must be whole cents', () => {
  it.each(['totalCents', 'payableCents', 'changeCents'])('rejects a float %s', (field) => {
    const doc = json();
    doc[field] = (doc[field] as number) + 0.5;
    expectRejected(pushOne(doc), `[0].newDocumentState.${field}`, /int/);
  });

  it('rejects a float roundingCents', () => {
    expectRejected(pushOne({ ...json(), roundingCents: -0.5 }), '[0].newDocumentState.roundingCents');
  });

  it.each(['unitPriceCents', 'amountCents'])('rejects a float line %s', (field) => {
    const doc = json();
    doc.lines[0]![field] = 7.99;
    expectRejected(pushOne(doc), `[0].newDocumentState.lines[0].${field}`);
  });

  it.each(['amountCents', 'tenderedCents', 'changeCents'])('rejects a float cash tender %s', (field) => {
    const doc = json();
    doc.tenders[0]![field] = 0.1;
    expectRejected(pushOne(doc), `[0].newDocumentState.tenders[0].${field}`);
  });

  it.each(['grossCents', 'vatCents', 'netCents'])('rejects a float %s in the VAT breakdown', (field) => {
    const doc = json();
    doc.vat[1]![field] = 1.5;
    expectRejected(pushOne(doc), `[0].newDocumentState.vat[1].${field}`);
  });

  it('rejects NaN and Infinity', () => {
    expectRejected(pushOne({ ...json(), totalCents: Number.NaN }), '[0].newDocumentState.totalCents');
    expectRejected(pushOne({ ...json(), payableCents: Number.POSITIVE_INFINITY }), '[0].newDocumentState.payableCents');
  });

  it('rejects amounts beyond MAX_CENTS', () => {
    const doc = json();
    doc.lines[0]!.unitPriceCents = 1_000_000_001;
    expectRejected(pushOne(doc), '[0].newDocumentState.lines[0].unitPriceCents');
  });

  it('rejects negative amounts', () => {
    expectRejected(pushOne({ ...json(), totalCents: -5396 }), '[0].newDocumentState.totalCents');
    const doc = json();
    doc.lines[1]!.unitPriceCents = -2999;
    expectRejected(pushOne(doc), '[0].newDocumentState.lines[1].unitPriceCents');
  });

  it('rejects a rounding beyond ±2 cents', () => {
    expectRejected(pushOne({ ...json(), roundingCents: 3 }), '[0].newDocumentState.roundingCents');
  });
});

describe('validatePushRows: quantities', () => {
  it.each([
    ['negative', -1],
    ['zero', 0],
    ['fractional', 1.5],
    ['above 9999', 10_000],
  ])('rejects a %s quantity', (_what, quantity) => {
    const doc = json();
    doc.lines[0]!.quantity = quantity;
    expectRejected(pushOne(doc), '[0].newDocumentState.lines[0].quantity');
  });

  it('rejects a negative quantity on the second line of the third row', () => {
    const doc = json(cashSale(3));
    doc.lines[1]!.quantity = -2;
    const result = validatePushRows('sales', [row(cashSale(1)), row(cashSale(2)), row(doc)]);
    expectRejected(result, '[2].newDocumentState.lines[1].quantity');
  });
});

describe('validatePushRows: missing and unknown fields', () => {
  const topLevel = [
    'id', 'receiptNo', 'storeId', 'registerId', 'seq', 'createdAt', 'operatorId', 'lines', 'totalCents',
    'roundingCents', 'payableCents', 'changeCents', 'vat', 'tenders', 'prevSeq', 'prevHash', 'hash', '_deleted',
  ];

  it('the list of required fields covers every field of a sale', () => {
    expect(Object.keys(cashSale()).sort()).toEqual([...topLevel].sort());
  });

  it.each(topLevel)('rejects a sale without %s, naming the field', (field) => {
    const doc = json();
    delete doc[field];
    expectRejected(pushOne(doc), `[0].newDocumentState.${field}`);
  });

  it.each(['lineNo', 'productId', 'itemNumber', 'barcode', 'name', 'quantity', 'unitPriceCents', 'amountCents', 'vat', 'outOfAssortment'])(
    'rejects a line without %s',
    (field) => {
      const doc = json();
      delete doc.lines[1]![field];
      expectRejected(pushOne(doc), `[0].newDocumentState.lines[1].${field}`);
    },
  );

  it.each(['amountCents', 'tenderedCents', 'changeCents'])('rejects a cash tender without %s', (field) => {
    const doc = json();
    delete doc.tenders[0]![field];
    expectRejected(pushOne(doc), `[0].newDocumentState.tenders[0].${field}`);
  });

  it('rejects a card tender without reference (null is required, not absent)', () => {
    const doc = json(mixedSale());
    delete doc.tenders[0]!.reference;
    expectRejected(pushOne(doc), '[0].newDocumentState.tenders[0].reference');
  });

  it('rejects an unknown field on the sale, naming the key as the field', () => {
    expectRejected(pushOne({ ...json(), discountCents: 100 }), '[0].newDocumentState.discountCents', /not a field/);
  });

  it('rejects an unknown field on a line', () => {
    const doc = json();
    doc.lines[1]!.discountCents = 100;
    expectRejected(pushOne(doc), '[0].newDocumentState.lines[1].discountCents', /not a field/);
  });

  it('rejects an unknown field on a tender and on a VAT line', () => {
    const a = json();
    a.tenders[0]!.tip = 50;
    expectRejected(pushOne(a), '[0].newDocumentState.tenders[0].tip', /not a field/);
    const b = json();
    b.vat[0]!.label = '21%';
    expectRejected(pushOne(b), '[0].newDocumentState.vat[0].label', /not a field/);
  });

  it('rejects a cash-only field on a card tender', () => {
    const doc = json(mixedSale());
    doc.tenders[0]!.tenderedCents = 5000;
    expectRejected(pushOne(doc), '[0].newDocumentState.tenders[0].tenderedCents', /not a field/);
  });

  it('rejects a sale without lines or without tenders', () => {
    expectRejected(pushOne({ ...json(), lines: [] }), '[0].newDocumentState.lines');
    expectRejected(pushOne({ ...json(), tenders: [] }), '[0].newDocumentState.tenders');
  });
});

describe('validatePushRows: _deleted', () => {
  it('rejects _deleted: true (a sale is never deleted)', () => {
    expectRejected(pushOne({ ...cashSale(), _deleted: true }), '[0].newDocumentState._deleted');
  });

  it('rejects a _deleted that is not a boolean', () => {
    expectRejected(pushOne({ ...cashSale(), _deleted: 'false' }), '[0].newDocumentState._deleted');
    expectRejected(pushOne({ ...cashSale(), _deleted: 0 }), '[0].newDocumentState._deleted');
  });
});

describe('validatePushRows: wrong types and formats', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['seq as a string', { seq: '1' }, 'seq'],
    ['seq zero', { seq: 0 }, 'seq'],
    ['totalCents as a string', { totalCents: '5396' }, 'totalCents'],
    ['lines as an object', { lines: { 0: {} } }, 'lines'],
    ['tenders as null', { tenders: null }, 'tenders'],
    ['vat as a string', { vat: 'high' }, 'vat'],
    ['id as a number', { id: 1 }, 'id'],
    ['an empty id', { id: '' }, 'id'],
    ['a lowercase storeId', { storeId: 'abc' }, 'storeId'],
    ['a storeId with a dash', { storeId: '10-01' }, 'storeId'],
    ['a registerId of 9 characters', { registerId: '012345678' }, 'registerId'],
    ['a createdAt that is not a timestamp', { createdAt: 'yesterday' }, 'createdAt'],
    ['a createdAt without time', { createdAt: '2025-03-14' }, 'createdAt'],
    ['an empty operatorId', { operatorId: '' }, 'operatorId'],
    ['operatorId as null', { operatorId: null }, 'operatorId'],
  ])('rejects %s', (_what, patch, field) => {
    expectRejected(pushOne({ ...json(), ...patch }), `[0].newDocumentState.${field}`);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a barcode with letters', { barcode: '87100000000AB' }, 'barcode'],
    ['a barcode as a number', { barcode: 8710000000011 }, 'barcode'],
    ['an unknown VAT class', { vat: 'medium' }, 'vat'],
    ['outOfAssortment as a string', { outOfAssortment: 'no' }, 'outOfAssortment'],
    ['lineNo zero', { lineNo: 0 }, 'lineNo'],
    ['an empty name', { name: '' }, 'name'],
    ['quantity as a string', { quantity: '3' }, 'quantity'],
  ])('rejects a line with %s', (_what, patch, field) => {
    const doc = json();
    doc.lines[0] = { ...doc.lines[0], ...patch };
    expectRejected(pushOne(doc), `[0].newDocumentState.lines[0].${field}`);
  });

  it('rejects a line that is not an object', () => {
    const doc = json();
    doc.lines[1] = 'coffee' as unknown as Record<string, unknown>;
    expectRejected(pushOne(doc), '[0].newDocumentState.lines[1]');
  });

  it('rejects an unknown tender kind', () => {
    const doc = json();
    doc.tenders[0]!.kind = 'voucher';
    expectRejected(pushOne(doc), '[0].newDocumentState.tenders[0].kind');
  });

  it('rejects a VAT line with an unknown class', () => {
    const doc = json();
    doc.vat[0]!.vat = 'luxury';
    expectRejected(pushOne(doc), '[0].newDocumentState.vat[0].vat');
  });
});

describe('validatePushRows: a sale must add up', () => {
  it('rejects a total that is not the sum of the lines', () => {
    const sale = cashSale();
    expectRejected(pushOne({ ...sale, totalCents: sale.totalCents + 1 }), '[0].newDocumentState.totalCents', /sum of the lines = 5396/);
  });

  it('rejects a line amount that is not quantity × unit price', () => {
    const doc = json();
    doc.lines[0]!.amountCents = 2400;
    expectRejected(pushOne(doc), '[0].newDocumentState.lines[0].amountCents', /2397/);
  });

  it('rejects lines numbered out of order', () => {
    const doc = json();
    doc.lines[1]!.lineNo = 3;
    expectRejected(pushOne(doc), '[0].newDocumentState.lines[1].lineNo', /must be 2/);
  });

  it('rejects a VAT breakdown that does not match the lines', () => {
    const doc = json();
    doc.vat[0]!.vatCents = (doc.vat[0]!.vatCents as number) + 1;
    expectRejected(pushOne(doc), '[0].newDocumentState.vat');
  });

  it('rejects a line whose VAT class differs from the breakdown', () => {
    const doc = json();
    doc.lines[0]!.vat = 'high';
    expectRejected(pushOne(doc), '[0].newDocumentState.vat');
  });

  it('rejects a wrong rounding, payable amount or change', () => {
    const sale = cashSale();
    expectRejected(pushOne({ ...sale, roundingCents: 0 }), '[0].newDocumentState.roundingCents', /must be -1/);
    expectRejected(pushOne({ ...sale, payableCents: sale.totalCents }), '[0].newDocumentState.payableCents', /must be 5395/);
    expectRejected(pushOne({ ...sale, changeCents: 0 }), '[0].newDocumentState.changeCents', /must be 4605/);
  });

  it('rejects tenders that do not pay the total', () => {
    const doc = json(mixedSale());
    doc.tenders = [doc.tenders[0]!];
    expectRejected(pushOne(doc), '[0].newDocumentState.tenders', /remain/);
  });

  it('rejects cash tendered below what was due', () => {
    const doc = json();
    doc.tenders[0]!.tenderedCents = 100;
    expectRejected(pushOne(doc), '[0].newDocumentState.tenders', /less than/);
  });

  it('rejects a card tender paying more than the total', () => {
    const doc = json(mixedSale());
    doc.tenders[0]!.amountCents = 1_000_000;
    expectRejected(pushOne(doc), '[0].newDocumentState.tenders', /exceeds/);
  });

  it('rejects tender change that does not match what was handed over', () => {
    const doc = json();
    doc.tenders[0]!.changeCents = 0;
    expectRejected(pushOne(doc), '[0].newDocumentState.tenders', /do not match/);
  });

  it('rejects a receipt number that does not match the store, register or seq', () => {
    const sale = cashSale();
    expectRejected(pushOne({ ...sale, storeId: '1002' }), '[0].newDocumentState.receiptNo', /store/);
    expectRejected(pushOne({ ...sale, registerId: '02' }), '[0].newDocumentState.receiptNo', /register/);
    expectRejected(pushOne({ ...sale, seq: 2 }), '[0].newDocumentState.receiptNo', /sequence/);
    expectRejected(pushOne({ ...sale, receiptNo: 'R-1', id: 'R-1' }), '[0].newDocumentState.receiptNo', /document number/);
  });

  it('rejects an id other than the receipt number', () => {
    expectRejected(pushOne({ ...cashSale(), id: '1001-01-000009' }), '[0].newDocumentState.id', /receiptNo/);
  });
});

describe('validateSale', () => {
  it('accepts a valid sale and names fields from the sale root', () => {
    const sale = mixedSale();
    expect(validateSale(sale)).toEqual({ ok: true, value: sale });
    expectRejected(validateSale({ ...sale, totalCents: 1.5 }), 'totalCents');
    expectRejected(validateSale({ ...sale, totalCents: 1 }), 'totalCents');
    expectRejected(validateSale(null), '');
  });
});

describe('validateEnrol', () => {
  it.each([
    { storeId: '1001', registerId: '01' },
    { storeId: 'A', registerId: 'Z9' },
    { storeId: 'ABCDEF12', registerId: '12345678' },
  ])('accepts %o', (input) => {
    expect(validateEnrol(input)).toEqual({ ok: true, value: input });
  });

  it.each<[string, unknown, string]>([
    ['a missing storeId', { registerId: '01' }, 'storeId'],
    ['a missing registerId', { storeId: '1001' }, 'registerId'],
    ['a lowercase storeId', { storeId: 'abc', registerId: '01' }, 'storeId'],
    ['an empty registerId', { storeId: '1001', registerId: '' }, 'registerId'],
    ['a storeId of 9 characters', { storeId: '123456789', registerId: '01' }, 'storeId'],
    ['a registerId with a space', { storeId: '1001', registerId: '0 1' }, 'registerId'],
    ['a numeric storeId', { storeId: 1001, registerId: '01' }, 'storeId'],
    ['an unknown key', { storeId: '1001', registerId: '01', token: 'x' }, 'token'],
    ['null', null, ''],
    ['an array', ['1001', '01'], ''],
  ])('rejects %s', (_what, input, field) => {
    expectRejected(validateEnrol(input), field);
  });

  it('reports both ids when both are bad', () => {
    const problems = problemsOf(validateEnrol({ storeId: 'x', registerId: 'y' }));
    expect(problems.map((p) => p.field).sort()).toEqual(['registerId', 'storeId']);
  });
});

// ---------------------------------------------------------------------------------------------

/** mulberry32, for reproducible key shuffles driven by a fast-check integer. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same value with the keys of every object in another order (arrays keep their order). */
function shuffleKeys(value: unknown, rnd: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rnd));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  // fromEntries defines own properties, so a "__proto__" key stays a key.
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, rnd)]));
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('writes primitives as JSON does and drops undefined properties', () => {
    expect(canonicalJson('x"y')).toBe('"x\\"y"');
    expect(canonicalJson(12)).toBe('12');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('is independent of key order (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        expect(canonicalJson(shuffleKeys(value, rng(seed)))).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it('is valid JSON for the same value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('tells different values apart (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), fc.string(), fc.integer(), (obj, key, n) => {
        fc.pre(obj[key] !== n);
        const changed = Object.fromEntries([...Object.entries(obj), [key, n]]);
        expect(canonicalJson(changed)).not.toBe(canonicalJson(obj));
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same bytes for a sale however its keys were ordered', () => {
    const sale = mixedSale();
    expect(canonicalJson(shuffleKeys(sale, rng(7)))).toBe(canonicalJson(sale));
  });
});

describe('validatePushRows: edge cases of what completeSale makes', () => {
  it('accepts a card sale completeSale built with an empty card reference', () => {
    const cart = addToCart(emptyCart, COFFEE);
    const sale = { ...seal(completeSale(cart, [{ kind: 'card', amountCents: 799, reference: '' }], ctx(5)), null), _deleted: false };
    expect(sale.tenders[0]).toEqual({ kind: 'card', amountCents: 799, reference: '' });
    expect(pushOne(sale)).toEqual({ ok: true, value: [sale] });
  });

  // parseDocumentNumber is lenient; a stored receipt number must be exactly what completeSale
  // writes, or one register sequence could be stored under two ids.
  it.each(['1001-01-0000001', '1001-01-000001 ', ' 1001-01-000001'])('rejects the non-canonical receipt number %j', (receiptNo) => {
    expectRejected(pushOne({ ...cashSale(1), id: receiptNo, receiptNo }), '[0].newDocumentState.receiptNo');
  });

  it('rejects a line whose quantity × unit price is beyond the largest amount', () => {
    const doc = json();
    doc.lines[0]!.quantity = 9999;
    doc.lines[0]!.unitPriceCents = 1_000_000;
    doc.lines[0]!.amountCents = 1_000_000_000;
    expectRejected(pushOne(doc), '[0].newDocumentState.lines[0].amountCents');
  });

  it('rejects lines whose sum is beyond the largest amount', () => {
    const doc = json();
    doc.lines[0] = { ...doc.lines[0], quantity: 1, unitPriceCents: 600_000_000, amountCents: 600_000_000 };
    doc.lines[1] = { ...doc.lines[1], quantity: 1, unitPriceCents: 600_000_000, amountCents: 600_000_000 };
    doc.totalCents = 1_000_000_000;
    expectRejected(pushOne(doc), '[0].newDocumentState.totalCents');
  });
});

describe('free items', () => {
  // A zero-priced product (a give-away) is sellable: the sale has no tender and HQ takes it.
  it('accepts a zero-total sale completeSale built', () => {
    const cart = addToCart(emptyCart, { ...COFFEE, priceCents: 0 });
    const sale = { ...seal(completeSale(cart, [], ctx(6)), null), _deleted: false };
    expect(pushOne(sale).ok).toBe(true);
  });
});

describe('the fast path of sale validation', () => {
  it('takes the sales registers make', () => {
    expect(fastSaleShape(JSON.parse(JSON.stringify(cashSale())))).toBe(true);
    expect(fastSaleShape(JSON.parse(JSON.stringify(mixedSale())))).toBe(true);
  });

  it('never takes anything the schema refuses (random changes anywhere in a sale)', () => {
    const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
      v && typeof v === 'object'
        ? [at, ...Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => paths(x, [...at, Array.isArray(v) ? Number(k) : k]))]
        : [at];
    const base = JSON.parse(JSON.stringify(mixedSale())) as Record<string, unknown>;
    const all = paths(base).filter((p) => p.length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string(), fc.integer(), fc.double(), fc.constant('\u0000'), fc.constant('\ud800')),
        fc.boolean(),
        (path, value, addKey) => {
          const doc = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
          let target = doc as Record<string | number, unknown>;
          for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
          const last = path[path.length - 1] as string | number;
          if (addKey && typeof target === 'object' && !Array.isArray(target)) target[`x${String(last)}`] = value;
          else if (value === undefined) delete target[last];
          else target[last] = value;
          if (fastSaleShape(doc)) expect(saleDocSchema.safeParse(doc).success).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// A manager's approvals on a sale (src/cart.ts): a line's priceOverride, the sale's voids.

describe('validatePushRows: price overrides and voids', () => {
  type Doc = ReturnType<typeof json> & { voids: Record<string, unknown>[] };
  const approved = (): Doc => json(approvedSale()) as Doc;
  const override = (doc: Doc): Record<string, unknown> => doc.lines[0]!.priceOverride as Record<string, unknown>;

  it('accepts a sale with both, through the fast path and through the schema alike', () => {
    const sale = approvedSale();
    expect(sale.lines[0]!.priceOverride).toEqual({ originalUnitPriceCents: 799, managerId: '900', reason: 'damaged box' });
    expect(sale.voids).toHaveLength(2);
    expect(pushOne(sale)).toEqual({ ok: true, value: [sale] });
    expect(fastSaleShape(JSON.parse(JSON.stringify(sale)))).toBe(true);
    expect(saleDocSchema.safeParse(JSON.parse(JSON.stringify(sale))).success).toBe(true);
  });

  it('accepts a sale of an older register without either field, and null / [] for none', () => {
    const old = json();
    expect('voids' in old || old.lines.some((l) => 'priceOverride' in l)).toBe(false);
    expect(pushOne(old).ok).toBe(true);
    const none = { ...json(), voids: [], lines: json().lines.map((l) => ({ ...l, priceOverride: null })) };
    expect(fastSaleShape(none)).toBe(true);
    expect(pushOne(none).ok).toBe(true);
  });

  it('names an override field that is missing, unknown or of the wrong type', () => {
    for (const field of ['originalUnitPriceCents', 'managerId', 'reason']) {
      const doc = approved();
      delete override(doc)[field];
      expectRejected(pushOne(doc), `[0].newDocumentState.lines[0].priceOverride.${field}`);
    }
    const extra = approved();
    override(extra).approvedAt = '2025-03-14T10:15:00.000Z';
    expectRejected(pushOne(extra), '[0].newDocumentState.lines[0].priceOverride.approvedAt', /not a field/);
    const typed = approved();
    override(typed).originalUnitPriceCents = 7.99;
    expectRejected(pushOne(typed), '[0].newDocumentState.lines[0].priceOverride.originalUnitPriceCents');
    const blank = approved();
    override(blank).managerId = '';
    expectRejected(pushOne(blank), '[0].newDocumentState.lines[0].priceOverride.managerId');
  });

  it('names an override that changes nothing, a blank reason, and a line amount not at the overridden price', () => {
    const same = approved();
    override(same).originalUnitPriceCents = 699;
    expectRejected(pushOne(same), '[0].newDocumentState.lines[0].priceOverride.originalUnitPriceCents', /equals unitPriceCents/);
    const blank = approved();
    override(blank).reason = '   ';
    expectRejected(pushOne(blank), '[0].newDocumentState.lines[0].priceOverride.reason');
    const shelf = approved();
    shelf.lines[0]!.amountCents = 2 * 799;
    expectRejected(pushOne(shelf), '[0].newDocumentState.lines[0].amountCents');
  });

  it('names a void whose quantity is not a positive whole number, or whose fields are missing or unknown', () => {
    for (const quantity of [0, -1, 1.5, '1']) {
      const doc = approved();
      doc.voids[1]!.quantity = quantity;
      expectRejected(pushOne(doc), '[0].newDocumentState.voids[1].quantity');
    }
    for (const field of ['productId', 'name', 'quantity', 'unitPriceCents', 'managerId', 'reason']) {
      const doc = approved();
      delete doc.voids[0]![field];
      expectRejected(pushOne(doc), `[0].newDocumentState.voids[0].${field}`);
    }
    const extra = approved();
    extra.voids[0]!.amountCents = 2500;
    expectRejected(pushOne(extra), '[0].newDocumentState.voids[0].amountCents', /not a field/);
    const blank = approved();
    blank.voids[0]!.reason = ' ';
    expectRejected(pushOne(blank), '[0].newDocumentState.voids[0].reason');
    expectRejected(pushOne({ ...approved(), voids: {} }), '[0].newDocumentState.voids');
  });

  it('the fast path never takes anything the schema refuses (random changes anywhere in such a sale)', () => {
    const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
      v && typeof v === 'object'
        ? [at, ...Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => paths(x, [...at, Array.isArray(v) ? Number(k) : k]))]
        : [at];
    const base = JSON.parse(JSON.stringify(approvedSale())) as Record<string, unknown>;
    const all = paths(base).filter((p) => p.length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constant(null), fc.constant([]), fc.string(), fc.integer(), fc.constant('\u0000')),
        fc.boolean(),
        (path, value, addKey) => {
          const doc = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
          let target = doc as Record<string | number, unknown>;
          for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
          const last = path[path.length - 1] as string | number;
          if (addKey && typeof target === 'object' && !Array.isArray(target)) target[`x${String(last)}`] = value;
          else if (value === undefined) delete target[last];
          else target[last] = value;
          if (fastSaleShape(doc)) expect(saleDocSchema.safeParse(doc).success).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Shift events (src/shift.ts): the schema, then verifyShiftEvent, with the field named.

describe('validatePushRows: shift events', () => {
  const shiftCtx = (seq: number) => ({ storeId: '1001', registerId: '01', seq, createdAt: '2025-03-14T08:00:00.000Z', operatorId: 'op-7' });
  const opened = openShift(15_000, { sales: 0, orderEvents: 0, returns: 0 }, shiftCtx(1));
  const sale = { ...seal(completeSale(addToCart(emptyCart, COFFEE, 3), [{ kind: 'cash', tenderedCents: 5000 }], ctx(1)), null), _deleted: false };
  const moved = moveCash(opened, { direction: 'out', amountCents: 5000, reason: 'safe_drop', note: '' }, shiftCtx(2));
  const closed = closeShift(
    opened,
    { sales: [sale], orderEvents: [], returns: [], shiftEvents: [opened, moved] },
    { sales: 1, orderEvents: 0, returns: 0 },
    [{ denominationCents: 10_000, count: 1 }, { denominationCents: 200, count: 2 }],
    shiftCtx(3),
  );
  const docs = [opened, moved, closed].map((e) => JSON.parse(JSON.stringify({ ...e, _deleted: false })) as ShiftEventDoc);
  const closedDoc = (): ShiftEvent & { type: 'closed' } => JSON.parse(JSON.stringify(docs[2])) as ShiftEvent & { type: 'closed' };
  const push = (...d: unknown[]) => validatePushRows('shiftEvents', d.map(row));

  it('accepts the events the domain makes: opened, cash, closed', () => {
    const result = push(...docs);
    expect(result.ok).toBe(true);
    expect(closed.expectedCents).toBe(15_000 + 2395 - 5000);
    expect(validateShiftEvent(docs[2]).ok).toBe(true);
  });

  it('names a counted total that does not add up', () => {
    const doc = closedDoc();
    doc.countedCents += 100;
    expectRejected(push(docs[0], doc), '[1].newDocumentState.countedCents', /add up to/);
  });

  it('names a difference that is not counted − expected', () => {
    const doc = closedDoc();
    doc.differenceCents = 0;
    expectRejected(push(doc), '[0].newDocumentState.differenceCents');
  });

  it('names a denomination that is no euro note or coin, and a fractional count', () => {
    const doc = closedDoc();
    doc.counted = [{ denominationCents: 300 as never, count: 1 }];
    expectRejected(push(doc), '[0].newDocumentState.counted[0].denominationCents', /euro note or coin/);
    doc.counted = [{ denominationCents: 100, count: 1.5 }];
    expectRejected(push(doc), '[0].newDocumentState.counted[0].count');
  });

  it('names an id that is not the register’s shift number, and a shift of another register', () => {
    expectRejected(push({ ...docs[1], id: 'SHF-1001-01-000009' }), '[0].newDocumentState.id');
    expectRejected(push({ ...docs[1], shiftNo: 'SHF-1001-02-000001' }), '[0].newDocumentState.shiftNo');
  });

  it('names a cash move of nothing, with a reason of the other direction, or an unknown field', () => {
    expectRejected(push({ ...docs[1], amountCents: 0 }), '[0].newDocumentState.amountCents');
    expectRejected(push({ ...docs[1], direction: 'in' }), '[0].newDocumentState.reason');
    expectRejected(push({ ...docs[1], reason: 'lunch' }), '[0].newDocumentState.reason');
    expectRejected(push({ ...docs[1], extra: 1 }), '[0].newDocumentState.extra');
  });

  it('names a Z report whose expected cash does not follow from it, or a report field of the wrong type', () => {
    const doc = closedDoc();
    doc.report.expectedCashCents += 500;
    doc.expectedCents += 500;
    doc.differenceCents -= 500;
    expectRejected(push(doc), '[0].newDocumentState.report.expectedCashCents');
    const typed = closedDoc() as unknown as { report: { sales: { count: unknown } } };
    typed.report.sales.count = '1';
    expectRejected(push(typed), '[0].newDocumentState.report.sales.count');
  });

  it('accepts a Z report with the overrides and voids of its shift, and one made before they were counted', () => {
    expect(closedDoc().report.overrides).toEqual({ lines: 0, differenceCents: 0 });
    expect(closedDoc().report.voids).toEqual({ count: 0, amountCents: 0 });
    const older = closedDoc() as unknown as { report: Record<string, unknown> };
    delete older.report.overrides;
    delete older.report.voids;
    expect(push(older).ok).toBe(true);
    const typed = closedDoc() as unknown as { report: { voids: { count: unknown } } };
    typed.report.voids.count = -1;
    expectRejected(push(typed), '[0].newDocumentState.report.voids.count');
  });

  it('names an unknown type and negative marks', () => {
    expectRejected(push({ ...docs[0], type: 'paused' }), '[0].newDocumentState.type');
    expectRejected(push({ ...docs[0], marks: { sales: -1, orderEvents: 0, returns: 0 } }), '[0].newDocumentState.marks.sales');
  });
});
