import type { RxJsonSchema } from 'rxdb';
import type { OrderEvent } from '../../src/order.ts';
import type { ShiftEvent } from '../../src/shift.ts';
import type { AssortmentDoc, OperatorDoc, OrderDoc, ProductDoc, PushCollection, ReturnDoc, SaleDoc, SettingsDoc, StockDoc, StoreDoc } from '../protocol/docs.ts';

/**
 * The register's collections. Schemas are versioned from the start: a change to a schema bumps
 * its `version` and adds a migration strategy in database.ts (MIGRATIONS), so a register keeps
 * its unsent records across an update.
 *
 * Twelve collections, under RxDB's open-source limit of 13 (a limit per process: two registers
 * cannot be open in one process).
 */

type Doc<T> = Omit<T, '_deleted'>;

/** Local only: HQ's answer for each record this register pushed. */
export interface AckDoc {
  id: string;
  /**
   * Which pushed collection the record belongs to. (Not called `collection`: RxDB documents
   * already have a `collection` property, and a field of that name breaks document creation.)
   */
  kind: PushCollection;
  /** ok: stored at HQ; conflict: HQ holds another body under this id; refused: HQ rejected it (message says why). */
  status: 'ok' | 'conflict' | 'refused';
  message: string;
  at: string;
}

const id = { type: 'string', maxLength: 64 } as const;

/**
 * Version 1 added the store's groups and coordinates (lat, lon; null when HQ has none).
 * Version 2 added `registerKeys` (register id → its public keys for receipt codes).
 */
export const storeSchema: RxJsonSchema<Doc<StoreDoc>> = {
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    name: { type: 'string' },
    town: { type: 'string' },
    kind: { type: 'string' },
    registers: { type: 'array', items: { type: 'string' } },
    groups: { type: 'array', items: { type: 'string' } },
    lat: { type: ['number', 'null'] },
    lon: { type: ['number', 'null'] },
    registerKeys: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
  },
  required: ['id', 'name', 'town', 'kind', 'registers'],
};

export const productSchema: RxJsonSchema<Doc<ProductDoc>> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    itemNumber: { type: 'string' },
    barcode: { type: ['string', 'null'] },
    name: { type: 'string' },
    category: { type: 'string' },
    priceCents: { type: 'integer' },
    vat: { type: 'string' },
  },
  required: ['id', 'itemNumber', 'name', 'category', 'priceCents', 'vat'],
};

/** Version 1: a line is for a store (storeId) or a store group (groupId). */
export const assortmentSchema: RxJsonSchema<Doc<AssortmentDoc>> = {
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    storeId: { type: ['string', 'null'] },
    groupId: { type: ['string', 'null'] },
    productId: { type: 'string' },
    validFrom: { type: 'string' },
    validTo: { type: ['string', 'null'] },
  },
  required: ['id', 'productId', 'validFrom'],
};

/** Version 1 added `booked`: which of each register's sales HQ has booked into the figure. */
export const stockSchema: RxJsonSchema<Doc<StockDoc>> = {
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    locationId: { type: 'string' },
    productId: { type: 'string' },
    onHand: { type: 'integer' },
    reserved: { type: 'integer' },
    asOf: { type: 'string' },
    booked: { type: 'object', additionalProperties: { type: 'integer' } },
  },
  required: ['id', 'locationId', 'productId', 'onHand', 'reserved', 'asOf', 'booked'],
};

/**
 * Version 1 added the chain (prevSeq, prevHash, hash) and an index on seq; the migration in
 * database.ts seals version-0 sales as chain starts, which HQ flags as restarts (nothing lost).
 * Version 2 added a manager's approvals: `voids` (items taken off the cart before payment) and a
 * line's `priceOverride`; both optional, so a version-1 sale migrates unchanged (same hash).
 */
export const saleSchema: RxJsonSchema<Doc<SaleDoc>> = {
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    receiptNo: { type: 'string' },
    storeId: { type: 'string' },
    registerId: { type: 'string' },
    seq: { type: 'integer', minimum: 1, maximum: 1_000_000_000_000, multipleOf: 1 },
    createdAt: { type: 'string' },
    operatorId: { type: 'string' },
    lines: { type: 'array', items: { type: 'object', properties: { priceOverride: { type: ['object', 'null'] } } } },
    totalCents: { type: 'integer' },
    roundingCents: { type: 'integer' },
    payableCents: { type: 'integer' },
    changeCents: { type: 'integer' },
    vat: { type: 'array', items: { type: 'object' } },
    tenders: { type: 'array', items: { type: 'object' } },
    voids: { type: 'array', items: { type: 'object' } },
    prevSeq: { type: ['integer', 'null'] },
    prevHash: { type: ['string', 'null'] },
    hash: { type: 'string' },
  },
  required: ['id', 'receiptNo', 'storeId', 'registerId', 'seq', 'createdAt', 'lines', 'totalCents', 'tenders', 'prevSeq', 'prevHash', 'hash'],
  indexes: ['seq'],
};

export const ackSchema: RxJsonSchema<AckDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    kind: { type: 'string' },
    status: { type: 'string' },
    message: { type: 'string' },
    at: { type: 'string' },
  },
  required: ['id', 'kind', 'status', 'message', 'at'],
};

/**
 * HQ's orders that concern this register's store (made here, to be picked up here, or acted on
 * here), each with every event HQ holds. Pulled; the register folds them with its own events.
 */
export const orderSchema: RxJsonSchema<Doc<OrderDoc>> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    storeId: { type: 'string' },
    stores: { type: 'array', items: { type: 'string' } },
    customerName: { type: 'string' },
    customerPhone: { type: ['string', 'null'] },
    status: { type: 'string' },
    pickupStores: { type: 'array', items: { type: 'string' } },
    exceptions: { type: 'integer' },
    createdAt: { type: 'string' },
    events: { type: 'array', items: { type: 'object' } },
  },
  required: ['id', 'storeId', 'stores', 'customerName', 'status', 'pickupStores', 'exceptions', 'createdAt', 'events'],
};

type AllKeys<T> = T extends unknown ? keyof T : never;
/** Every field any order event type has (the schema lists them all; most are type-specific). */
type OrderEventFields = { [K in AllKeys<OrderEvent>]: unknown };

/**
 * The order events this register made (src/order.ts), immutable, pushed to HQ. Indexed by
 * order number: an order's view folds HQ's events with these.
 */
export const orderEventSchema: RxJsonSchema<OrderEventFields> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    type: { type: 'string' },
    orderNo: { type: 'string', maxLength: 64 },
    storeId: { type: 'string' },
    registerId: { type: 'string' },
    seq: { type: 'integer', minimum: 1, maximum: 1_000_000_000_000, multipleOf: 1 },
    clock: { type: 'integer' },
    createdAt: { type: 'string' },
    operatorId: { type: 'string' },
    customer: { type: 'object' },
    lines: { type: 'array', items: { type: 'object' } },
    depositBp: { type: 'integer' },
    depositRequiredCents: { type: 'integer' },
    override: { type: ['object', 'null'] },
    allocations: { type: 'array', items: { type: 'object' } },
    payment: { type: ['object', 'null'] },
    refund: { type: ['object', 'null'] },
    reason: { type: 'string' },
  },
  required: ['id', 'type', 'orderNo', 'storeId', 'registerId', 'seq', 'clock', 'createdAt', 'operatorId'],
  indexes: ['orderNo'],
};

/** The chain's settings (one document, id "orders": deposit share, cancellation charge, delivery modes). */
export const settingsSchema: RxJsonSchema<Doc<SettingsDoc>> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    depositBp: { type: 'integer' },
    cancelChargeBp: { type: 'integer' },
    deliveryModes: { type: 'array', items: { type: 'object' } },
  },
  required: ['id', 'depositBp', 'cancelChargeBp', 'deliveryModes'],
};

/** Operators of this store (and chain-wide ones), with the PIN as a slow hash only. */
export const operatorSchema: RxJsonSchema<Doc<OperatorDoc>> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    name: { type: 'string' },
    role: { type: 'string' },
    storeId: { type: ['string', 'null'] },
    pinHash: { type: 'string' },
    pinSalt: { type: 'string' },
    pinIterations: { type: 'integer' },
  },
  required: ['id', 'name', 'role', 'pinHash', 'pinSalt', 'pinIterations'],
};

/**
 * Returns (src/returns.ts), immutable, in one collection replicated both ways: this register's
 * own returns are pushed (acknowledged in `acks` like sales); HQ's returns taken at this store or
 * of goods bought at this store are pulled into the same collection, so the register knows what
 * is left returnable of its store's sales.
 */
export const returnSchema: RxJsonSchema<Doc<ReturnDoc>> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    returnNo: { type: 'string' },
    storeId: { type: 'string' },
    registerId: { type: 'string' },
    seq: { type: 'integer', minimum: 1, maximum: 1_000_000_000_000, multipleOf: 1 },
    createdAt: { type: 'string' },
    operatorId: { type: 'string' },
    origin: { type: 'object' },
    lines: { type: 'array', items: { type: 'object' } },
    totalCents: { type: 'integer' },
    vat: { type: 'array', items: { type: 'object' } },
    refunds: { type: 'array', items: { type: 'object' } },
    approval: { type: ['object', 'null'] },
    review: { type: 'boolean' },
  },
  required: ['id', 'returnNo', 'storeId', 'registerId', 'seq', 'createdAt', 'operatorId', 'origin', 'lines', 'totalCents', 'vat', 'refunds', 'review'],
};

type ShiftEventFields = { [K in AllKeys<ShiftEvent>]: unknown };

/**
 * This register's shift events (src/shift.ts): opened, cash in/out, closed with the Z report.
 * Immutable, pushed to HQ. Indexed by shift: a shift's view reads its events.
 */
export const shiftEventSchema: RxJsonSchema<ShiftEventFields> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    type: { type: 'string' },
    shiftNo: { type: 'string', maxLength: 64 },
    storeId: { type: 'string' },
    registerId: { type: 'string' },
    seq: { type: 'integer', minimum: 1, maximum: 1_000_000_000_000, multipleOf: 1 },
    createdAt: { type: 'string' },
    operatorId: { type: 'string' },
    floatCents: { type: 'integer' },
    marks: { type: 'object' },
    direction: { type: 'string' },
    amountCents: { type: 'integer' },
    reason: { type: 'string' },
    note: { type: 'string' },
    counted: { type: 'array', items: { type: 'object' } },
    countedCents: { type: 'integer' },
    expectedCents: { type: 'integer' },
    differenceCents: { type: 'integer' },
    report: { type: 'object' },
  },
  required: ['id', 'type', 'shiftNo', 'storeId', 'registerId', 'seq', 'createdAt', 'operatorId'],
  indexes: ['shiftNo'],
};
