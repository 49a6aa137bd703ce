import { z } from 'zod';
import { MAX_CENTS } from '../../src/money.ts';
import { type OrderEvent, verifyOrderEvent } from '../../src/order.ts';
import { RETURN_REASONS, type CompletedReturn, verifyReturn } from '../../src/returns.ts';
import { type CompletedSale, verifySale } from '../../src/sale.ts';
import { CASH_IN_REASONS, CASH_OUT_REASONS, DENOMINATIONS_CENTS, type ShiftEvent, verifyShiftEvent } from '../../src/shift.ts';
import type { CollectionDocs, OrderEventDoc, PushCollection, ReturnDoc, SaleDoc, ShiftEventDoc } from './docs.ts';
import { MAX_PUSH_ROWS } from './wire.ts';

const cents = z.int().min(-MAX_CENTS).max(MAX_CENTS);
const nonNegCents = z.int().min(0).max(MAX_CENTS);
/** Text a database can store and a person can read: no NUL, no control characters, no lone surrogates. */
export function isStorableText(value: string): boolean {
  return (
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value) &&
    !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)
  );
}
const text = (min: number, max: number) =>
  z.string().min(min).max(max).refine(isStorableText, 'must be text without control characters or broken characters');

/** A store, warehouse or register id, everywhere HQ takes one: 1-8 capitals or digits. */
export const LOCATION_ID = /^[A-Z0-9]{1,8}$/;
const locationId = z.string().regex(LOCATION_ID, 'must be 1-8 capitals or digits');
const vat = z.enum(['high', 'low', 'zero']);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hash (64 hex digits)');

const saleLineBase = z.strictObject({
  lineNo: z.int().min(1).max(1000),
  productId: text(1, 64),
  itemNumber: text(1, 32),
  barcode: z.string().regex(/^\d{8,14}$/, 'must be 8-14 digits').nullable(),
  name: text(1, 200),
  quantity: z.int().min(1).max(9999),
  unitPriceCents: nonNegCents,
  amountCents: nonNegCents,
  vat,
  outOfAssortment: z.boolean(),
});
const managerId = text(1, 32);
const approvalReason = text(1, 200);
/** A price a manager approved instead of the shelf price (src/cart.ts PriceOverride). Optional: older registers send none. */
const priceOverride = z.strictObject({ originalUnitPriceCents: nonNegCents, managerId, reason: approvalReason });
const saleLine = saleLineBase.extend({ priceOverride: priceOverride.nullable().optional() });
/** Items voided from the cart before payment (src/cart.ts VoidedItems). Optional: older registers send none. */
const saleVoid = z.strictObject({
  productId: text(1, 64),
  name: text(1, 200),
  quantity: z.int().min(1).max(9999),
  unitPriceCents: nonNegCents,
  managerId,
  reason: approvalReason,
});

const tender = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('card'), amountCents: nonNegCents, reference: text(0, 64).nullable() }),
  z.strictObject({
    kind: z.literal('cash'),
    amountCents: nonNegCents,
    tenderedCents: nonNegCents,
    changeCents: nonNegCents,
  }),
]);

export const saleDocSchema = z.strictObject({
  id: text(1, 40),
  receiptNo: text(1, 40),
  storeId: locationId,
  registerId: locationId,
  seq: z.int().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  operatorId: text(1, 32),
  lines: z.array(saleLine).min(1).max(500),
  totalCents: nonNegCents,
  roundingCents: z.int().min(-2).max(2),
  payableCents: nonNegCents,
  changeCents: nonNegCents,
  vat: z
    .array(
      z.strictObject({
        vat,
        rateBp: z.int().min(0).max(10_000),
        grossCents: cents,
        vatCents: cents,
        netCents: cents,
      }),
    )
    .max(3),
  // A sale of free items (total 0) has no tender; otherwise verifySale requires tenders = payable.
  tenders: z.array(tender).max(10),
  voids: z.array(saleVoid).max(1000).optional(),
  // The register's chain (src/chain.ts): HQ checks the links and flags breaks; it never refuses
  // a record for them, so no sale is lost over a broken link.
  prevSeq: z.int().min(1).nullable(),
  prevHash: sha256.nullable(),
  hash: sha256,
  _deleted: z.literal(false),
});

// ---- the fast path ------------------------------------------------------------------------
// HQ validates every sale it ingests. Most are valid; zod builds a deep copy of each and costs
// most of HQ's time per sale. This check accepts only what the schema above accepts (it is
// stricter where that is simpler) and copies nothing; whatever it does not accept goes through
// zod, which names the field and the reason. The fuzz and protocol tests hold the two together.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const isText = (v: unknown, min: number, max: number): boolean => typeof v === 'string' && v.length >= min && v.length <= max && isStorableText(v);
const SHA = /^[0-9a-f]{64}$/;
const BARCODE = /^\d{8,14}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const VATS = new Set(['high', 'low', 'zero']);

/** The required keys, each optional key at most once, and nothing else. */
function hasKeysAnd(o: Obj, keys: readonly string[], optional: readonly string[]): boolean {
  let extra = 0;
  for (const k of optional) if (Object.prototype.hasOwnProperty.call(o, k)) extra++;
  return hasKeys(o, keys.length + extra, [...keys, ...optional.filter((k) => Object.prototype.hasOwnProperty.call(o, k))]);
}

/** Exactly these keys, no more, no fewer. */
function hasKeys(o: Obj, count: number, keys: readonly string[]): boolean {
  let n = 0;
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) return false;
    n++;
  }
  if (n !== count || Object.getOwnPropertySymbols(o).length > 0) return false;
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(o, k)) return false;
  return true;
}

const SALE_KEYS = ['id', 'receiptNo', 'storeId', 'registerId', 'seq', 'createdAt', 'operatorId', 'lines', 'totalCents', 'roundingCents', 'payableCents', 'changeCents', 'vat', 'tenders', 'prevSeq', 'prevHash', 'hash', '_deleted'] as const;
const LINE_KEYS = ['lineNo', 'productId', 'itemNumber', 'barcode', 'name', 'quantity', 'unitPriceCents', 'amountCents', 'vat', 'outOfAssortment'] as const;
const VAT_KEYS = ['vat', 'rateBp', 'grossCents', 'vatCents', 'netCents'] as const;
const CARD_KEYS = ['kind', 'amountCents', 'reference'] as const;
const CASH_KEYS = ['kind', 'amountCents', 'tenderedCents', 'changeCents'] as const;
const OVERRIDE_KEYS = ['originalUnitPriceCents', 'managerId', 'reason'] as const;
const VOID_KEYS = ['productId', 'name', 'quantity', 'unitPriceCents', 'managerId', 'reason'] as const;
const SALE_OPTIONAL = ['voids'] as const;
const LINE_OPTIONAL = ['priceOverride'] as const;

export function fastSaleShape(v: unknown): v is SaleDoc {
  if (!isObj(v) || !hasKeysAnd(v, SALE_KEYS, SALE_OPTIONAL)) return false;
  if (!isText(v.id, 1, 40) || !isText(v.receiptNo, 1, 40) || !isText(v.operatorId, 1, 32)) return false;
  if (typeof v.storeId !== 'string' || !LOCATION_ID.test(v.storeId) || typeof v.registerId !== 'string' || !LOCATION_ID.test(v.registerId)) return false;
  if (!isInt(v.seq, 1, Number.MAX_SAFE_INTEGER)) return false;
  if (typeof v.createdAt !== 'string' || !ISO_UTC.test(v.createdAt)) return false;
  const at = new Date(v.createdAt);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== v.createdAt) return false;
  if (!isInt(v.totalCents, 0, MAX_CENTS) || !isInt(v.roundingCents, -2, 2) || !isInt(v.payableCents, 0, MAX_CENTS) || !isInt(v.changeCents, 0, MAX_CENTS)) return false;
  if (!(v.prevSeq === null || isInt(v.prevSeq, 1, Number.MAX_SAFE_INTEGER))) return false;
  if (!(v.prevHash === null || (typeof v.prevHash === 'string' && SHA.test(v.prevHash)))) return false;
  if (typeof v.hash !== 'string' || !SHA.test(v.hash) || v._deleted !== false) return false;
  const { lines, vat, tenders } = v;
  if (!Array.isArray(lines) || lines.length < 1 || lines.length > 500) return false;
  for (const l of lines as unknown[]) {
    if (!isObj(l) || !hasKeysAnd(l, LINE_KEYS, LINE_OPTIONAL)) return false;
    if (!isInt(l.lineNo, 1, 1000) || !isText(l.productId, 1, 64) || !isText(l.itemNumber, 1, 32) || !isText(l.name, 1, 200)) return false;
    if (!(l.barcode === null || (typeof l.barcode === 'string' && BARCODE.test(l.barcode)))) return false;
    if (!isInt(l.quantity, 1, 9999) || !isInt(l.unitPriceCents, 0, MAX_CENTS) || !isInt(l.amountCents, 0, MAX_CENTS)) return false;
    if (typeof l.vat !== 'string' || !VATS.has(l.vat) || typeof l.outOfAssortment !== 'boolean') return false;
    if (Object.prototype.hasOwnProperty.call(l, 'priceOverride') && l.priceOverride !== null) {
      const o = l.priceOverride;
      if (!isObj(o) || !hasKeys(o, OVERRIDE_KEYS.length, OVERRIDE_KEYS)) return false;
      if (!isInt(o.originalUnitPriceCents, 0, MAX_CENTS) || !isText(o.managerId, 1, 32) || !isText(o.reason, 1, 200)) return false;
    }
  }
  if (Object.prototype.hasOwnProperty.call(v, 'voids')) {
    const voids = v.voids;
    if (!Array.isArray(voids) || voids.length > 1000) return false;
    for (const x of voids as unknown[]) {
      if (!isObj(x) || !hasKeys(x, VOID_KEYS.length, VOID_KEYS)) return false;
      if (!isText(x.productId, 1, 64) || !isText(x.name, 1, 200) || !isInt(x.quantity, 1, 9999) || !isInt(x.unitPriceCents, 0, MAX_CENTS)) return false;
      if (!isText(x.managerId, 1, 32) || !isText(x.reason, 1, 200)) return false;
    }
  }
  if (!Array.isArray(vat) || vat.length > 3) return false;
  for (const x of vat as unknown[]) {
    if (!isObj(x) || !hasKeys(x, VAT_KEYS.length, VAT_KEYS)) return false;
    if (typeof x.vat !== 'string' || !VATS.has(x.vat) || !isInt(x.rateBp, 0, 10_000)) return false;
    if (!isInt(x.grossCents, -MAX_CENTS, MAX_CENTS) || !isInt(x.vatCents, -MAX_CENTS, MAX_CENTS) || !isInt(x.netCents, -MAX_CENTS, MAX_CENTS)) return false;
  }
  if (!Array.isArray(tenders) || tenders.length > 10) return false;
  for (const t of tenders as unknown[]) {
    if (!isObj(t)) return false;
    if (t.kind === 'card') {
      if (!hasKeys(t, CARD_KEYS.length, CARD_KEYS) || !isInt(t.amountCents, 0, MAX_CENTS)) return false;
      if (!(t.reference === null || isText(t.reference, 0, 64))) return false;
    } else if (t.kind === 'cash') {
      if (!hasKeys(t, CASH_KEYS.length, CASH_KEYS)) return false;
      if (!isInt(t.amountCents, 0, MAX_CENTS) || !isInt(t.tenderedCents, 0, MAX_CENTS) || !isInt(t.changeCents, 0, MAX_CENTS)) return false;
    } else return false;
  }
  return true;
}

export interface ValidationProblem {
  field: string;
  reason: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: ValidationProblem[] };

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

function fromZod(error: z.ZodError): ValidationProblem[] {
  return error.issues.flatMap((i) =>
    // An unknown key is named itself, not only the object that holds it.
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ field: pathOf([...i.path, key]), reason: 'is not a field of this record' }))
      : [{ field: pathOf(i.path), reason: i.message }],
  );
}

/** Shape and arithmetic of a pushed sale: the schema first, then the domain's own check. */
export function validateSale(input: unknown): Validated<SaleDoc> {
  let value: SaleDoc;
  if (fastSaleShape(input)) value = input;
  else {
    const parsed = saleDocSchema.safeParse(input);
    if (!parsed.success) return { ok: false, problems: fromZod(parsed.error) };
    value = parsed.data as SaleDoc;
  }
  const problems = verifySale(value as CompletedSale);
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

// ---- order events (src/order.ts) ------------------------------------------------------------

const address = z.strictObject({ street: text(1, 200), postcode: text(1, 16), town: text(1, 100), country: z.string().regex(/^[A-Z]{2}$/, 'must be a 2-letter country code') });
const customer = z.strictObject({
  name: text(1, 200),
  phone: text(3, 32).nullable(),
  email: z.string().max(200).regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address').nullable(),
  addresses: z.array(address).max(10),
});
const fulfilment = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('carry') }),
  z.strictObject({ mode: z.literal('pickup'), storeId: locationId }),
  z.strictObject({ mode: z.literal('ship'), fromLocationId: locationId, address, deliveryMode: text(1, 32), chargeCents: nonNegCents }),
]);
const orderLine = saleLineBase.extend({ fulfilment });
const orderPayment = z.strictObject({
  dueCents: nonNegCents,
  roundingCents: z.int().min(-2).max(2),
  payableCents: nonNegCents,
  changeCents: nonNegCents,
  tenders: z.array(tender).min(1).max(10),
});
const allocations = z.array(z.strictObject({ lineNo: z.int().min(1).max(1000), cents: nonNegCents })).max(500);
const eventBase = {
  id: text(1, 48),
  orderNo: text(1, 48),
  storeId: locationId,
  registerId: locationId,
  seq: z.int().min(1),
  clock: z.int().min(1).max(1_000_000),
  createdAt: z.iso.datetime({ offset: true }),
  operatorId: text(1, 32),
  _deleted: z.literal(false),
};
export const orderEventDocSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...eventBase,
    type: z.literal('created'),
    customer,
    lines: z.array(orderLine).min(1).max(500),
    depositBp: z.int().min(0).max(10_000),
    depositRequiredCents: nonNegCents,
    override: z.strictObject({ managerId: text(1, 32), reason: text(1, 200) }).nullable(),
    allocations,
    payment: orderPayment.nullable(),
  }),
  z.strictObject({ ...eventBase, type: z.literal('deposit'), allocations: allocations.min(1), payment: orderPayment }),
  z.strictObject({
    ...eventBase,
    type: z.literal('pickedUp'),
    lines: z.array(z.strictObject({ lineNo: z.int().min(1).max(1000), balanceCents: nonNegCents })).min(1).max(500),
    payment: orderPayment.nullable(),
  }),
  z.strictObject({ ...eventBase, type: z.literal('shipped'), lines: z.array(z.strictObject({ lineNo: z.int().min(1).max(1000) })).min(1).max(500) }),
  z.strictObject({
    ...eventBase,
    type: z.literal('cancelled'),
    lines: z.array(z.strictObject({ lineNo: z.int().min(1).max(1000), refundCents: nonNegCents, chargeCents: nonNegCents })).min(1).max(500),
    refund: z.strictObject({ amountCents: nonNegCents, method: z.enum(['cash', 'card']), paidOutCents: nonNegCents, roundingCents: z.int().min(-2).max(2) }).nullable(),
    reason: text(0, 200),
  }),
]);

/** Shape and arithmetic of a pushed order event: the schema, then the domain's own check. */
export function validateOrderEvent(input: unknown): Validated<OrderEventDoc> {
  const parsed = orderEventDocSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: fromZod(parsed.error) };
  const value = parsed.data as OrderEventDoc;
  const problems = verifyOrderEvent(value as OrderEvent);
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

// ---- returns (src/returns.ts) ----------------------------------------------------------------

const docNumber = z.string().regex(/^[A-Z0-9]{1,8}-[A-Z0-9]{1,8}-\d{6,16}$/, 'must be a receipt number like 1001-01-000001');
export const returnDocSchema = z.strictObject({
  id: text(1, 48),
  returnNo: text(1, 48),
  storeId: locationId,
  registerId: locationId,
  seq: z.int().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  operatorId: text(1, 32),
  origin: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('sale'), receiptNo: docNumber, storeId: locationId, registerId: locationId, verifiedBy: z.enum(['replica', 'hq', 'code']) }),
    z.strictObject({ kind: z.literal('order'), orderNo: z.string().regex(/^ORD-[A-Z0-9]{1,8}-[A-Z0-9]{1,8}-\d{6,16}$/, 'must be an order number'), storeId: locationId, verifiedBy: z.enum(['replica', 'hq']) }),
    z.strictObject({ kind: z.literal('none') }),
  ]),
  lines: z
    .array(
      z.strictObject({
        lineNo: z.int().min(1).max(1000),
        originalLineNo: z.int().min(1).max(1000).nullable(),
        productId: text(1, 64),
        itemNumber: text(1, 32),
        barcode: z.string().regex(/^\d{8,14}$/, 'must be 8-14 digits').nullable(),
        name: text(1, 200),
        quantity: z.int().min(1).max(9999),
        unitPriceCents: nonNegCents,
        amountCents: nonNegCents,
        vat,
        reason: z.enum(RETURN_REASONS),
      }),
    )
    .min(1)
    .max(500),
  totalCents: nonNegCents,
  vat: z.array(z.strictObject({ vat, rateBp: z.int().min(0).max(10_000), grossCents: cents, vatCents: cents, netCents: cents })).max(3),
  refunds: z
    .array(
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('card'), amountCents: nonNegCents, reference: text(0, 64).nullable() }),
        z.strictObject({ kind: z.literal('cash'), amountCents: nonNegCents, paidOutCents: nonNegCents, roundingCents: z.int().min(-2).max(2) }),
        z.strictObject({ kind: z.literal('storeCredit'), amountCents: nonNegCents }),
      ]),
    )
    .max(10),
  approval: z.strictObject({ managerId: text(1, 32), reason: text(1, 200) }).nullable(),
  review: z.boolean(),
  _deleted: z.literal(false),
});

/** Shape and arithmetic of a pushed return: the schema, then the domain's own check. */
export function validateReturn(input: unknown): Validated<ReturnDoc> {
  const parsed = returnDocSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: fromZod(parsed.error) };
  const value = parsed.data as ReturnDoc;
  const problems = verifyReturn(value as CompletedReturn);
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

// ---- shift events (src/shift.ts) -------------------------------------------------------------

const marks = z.strictObject({ sales: z.int().min(0), orderEvents: z.int().min(0), returns: z.int().min(0) });
/** A count of records in a shift. */
const tally = z.int().min(0).max(100_000_000);
const tenderTotals = z.strictObject({ inCents: nonNegCents, outCents: nonNegCents, netCents: cents });
const iso = z.iso.datetime({ offset: true });
const shiftReportSchema = z.strictObject({
  kind: z.enum(['X', 'Z']),
  shiftNo: text(1, 48),
  storeId: locationId,
  registerId: locationId,
  openedAt: iso,
  at: iso,
  operators: z.array(text(1, 32)).max(1000),
  floatCents: nonNegCents,
  tenders: z.strictObject({ cash: tenderTotals, card: tenderTotals, storeCredit: tenderTotals }),
  vat: z
    .array(z.strictObject({ vat, rateBp: z.int().min(0).max(10_000), salesGrossCents: cents, returnsGrossCents: cents, netGrossCents: cents, vatCents: cents }))
    .max(3),
  sales: z.strictObject({ count: tally, totalCents: cents, roundingCents: cents }),
  returns: z.strictObject({ count: tally, totalCents: cents, withoutReceipt: tally }),
  orders: z.strictObject({
    depositsCount: tally,
    depositsCents: cents,
    pickUpsCount: tally,
    pickUpsCents: cents,
    cancellationsCount: tally,
    cancellationRefundsCents: cents,
  }),
  outOfAssortment: z.strictObject({ lines: tally, amountCents: cents }),
  // Optional: Z reports made before price overrides and voids were counted have neither.
  overrides: z.strictObject({ lines: tally, differenceCents: cents }).optional(),
  voids: z.strictObject({ count: tally, amountCents: cents }).optional(),
  cashMoves: z.strictObject({ inCents: nonNegCents, outCents: nonNegCents, count: tally }),
  records: z.strictObject({ sales: tally, orderEvents: tally, returns: tally, cashMoves: tally }),
  expectedCashCents: cents,
});
const denomination = z.int().refine((d) => (DENOMINATIONS_CENTS as readonly number[]).includes(d), `must be a euro note or coin in cents (${DENOMINATIONS_CENTS.join(', ')})`);
const shiftBase = {
  id: text(1, 48),
  shiftNo: text(1, 48),
  storeId: locationId,
  registerId: locationId,
  seq: z.int().min(1),
  createdAt: iso,
  operatorId: text(1, 32),
  _deleted: z.literal(false),
};
export const shiftEventDocSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...shiftBase, type: z.literal('opened'), floatCents: nonNegCents, marks }),
  z.strictObject({
    ...shiftBase,
    type: z.literal('cash'),
    direction: z.enum(['in', 'out']),
    amountCents: nonNegCents,
    reason: z.enum([...new Set([...CASH_IN_REASONS, ...CASH_OUT_REASONS])] as [string, ...string[]]),
    note: text(0, 500),
  }),
  z.strictObject({
    ...shiftBase,
    type: z.literal('closed'),
    marks,
    counted: z.array(z.strictObject({ denominationCents: denomination, count: z.int().min(0).max(MAX_CENTS) })).max(DENOMINATIONS_CENTS.length),
    countedCents: nonNegCents,
    expectedCents: cents,
    differenceCents: cents,
    report: shiftReportSchema,
  }),
]);

/** Shape and arithmetic of a pushed shift event: the schema, then the domain's own check (verifyShiftEvent). */
export function validateShiftEvent(input: unknown): Validated<ShiftEventDoc> {
  const parsed = shiftEventDocSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: fromZod(parsed.error) };
  const value = parsed.data as ShiftEventDoc;
  const problems = verifyShiftEvent(value as ShiftEvent);
  return problems.length ? { ok: false, problems: problems.map((p) => ({ field: p.path, reason: p.message })) } : { ok: true, value };
}

const validators: { [C in PushCollection]: (input: unknown) => Validated<CollectionDocs[C]> } = {
  sales: validateSale,
  orderEvents: validateOrderEvent,
  returns: validateReturn,
  shiftEvents: validateShiftEvent,
};

export function validatePushRows<C extends PushCollection>(collection: C, body: unknown): Validated<CollectionDocs[C][]> {
  if (!Array.isArray(body)) return { ok: false, problems: [{ field: '', reason: 'body must be an array of push rows' }] };
  if (body.length > MAX_PUSH_ROWS) {
    return { ok: false, problems: [{ field: '', reason: `at most ${MAX_PUSH_ROWS} rows per push, got ${body.length}` }] };
  }
  const docs: CollectionDocs[C][] = [];
  const validate = validators[collection] as (input: unknown) => Validated<CollectionDocs[C]>;
  for (let i = 0; i < body.length; i++) {
    const row: unknown = body[i];
    if (typeof row !== 'object' || row === null || !('newDocumentState' in row)) {
      return { ok: false, problems: [{ field: `[${i}]`, reason: 'must be { newDocumentState, assumedMasterState }' }] };
    }
    const result = validate((row as { newDocumentState: unknown }).newDocumentState);
    if (!result.ok) {
      return {
        ok: false,
        problems: result.problems.map((p) => ({ field: `[${i}].newDocumentState${p.field ? `.${p.field}` : ''}`, reason: p.reason })),
      };
    }
    docs.push(result.value);
  }
  return { ok: true, value: docs };
}

export const enrolSchema = z.strictObject({ storeId: locationId, registerId: locationId });

export function validateEnrol(input: unknown): Validated<z.infer<typeof enrolSchema>> {
  const parsed = enrolSchema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: fromZod(parsed.error) };
}

/** Canonical JSON (sorted keys) so that "the same body" means the same bytes on both ends. */
export { canonicalJson } from '../../src/canonical.ts';
