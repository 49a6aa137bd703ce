import { randomBytes } from 'node:crypto';
import type {
  AssortmentDoc,
  Checkpoint,
  OperatorDoc,
  OrderDoc,
  OrderEventDoc,
  PullCollection,
  ProductDoc,
  ReturnDoc,
  SaleDoc,
  SettingsDoc,
  ShiftEventDoc,
  StockDoc,
  StoreDoc,
} from '../protocol/index.ts';
import { type HoldingsResponse, MAX_HOLDINGS_ALERTS, MAX_HOLDINGS_EXCEPTION_ORDERS } from '../protocol/holdings.ts';
import type { ZReportEntry } from '../protocol/z-reports.ts';
import { verifyChain } from '../../src/chain.ts';
import { type OrderSettings, type OrderState, foldOrder } from '../../src/order.ts';
import { saleChainPayload } from '../protocol/sale-payload.ts';
import { HqError } from './errors.ts';
import {
  HQ_STORE,
  ORDER_COLUMNS,
  ORDER_WRITE_COLUMNS,
  type OrderExceptionsEntry,
  eventOf,
  exceptionsEntryFromRow,
  orderDocFromRow,
  orderRow,
  orderSearch,
  shipmentEvent,
} from './orders.ts';
import {
  MAX_KEYS_PER_REGISTER,
  RETURN_COLUMNS,
  type OriginRef,
  doubleReturnAlerts,
  orderLines,
  originOf,
  originStoreOf,
  receiptRegister,
  registerKeysOf,
  returnDocFromRow,
  reviewAlert,
  saleLines,
  withUnknownLines,
} from './returns.ts';
import { ALERT_AMOUNT_SQL, type HeldRecords, cashDifferenceAlert, holdingsExceptions, jsonBody, zReportEntry } from './shifts.ts';
import { type Queryable, type Sql, type SqlParam, toPgArray } from './sql.ts';
import { canonicalBodyHash, sha256Hex } from './hash.ts';

export { toPgArray } from './sql.ts';

export interface RegisterPrincipal {
  storeId: string;
  registerId: string;
}

/** The channel HQ NOTIFYs on inside every transaction that changes pulled tables. */
export const CHANGES_CHANNEL = 'kassa_changes';

type Row = Record<string, unknown>;

interface PullSpec {
  table: string;
  columns: string;
  /** SQL condition scoping rows to the register's store (`$store` stands for its id), or null for chain-wide data. */
  scope: string | null;
  toDoc(row: Row): unknown;
}

const str = (v: unknown): string => String(v);
const isoDate = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

/** The stock row's booked marks as numbers (PostgreSQL's jsonb arrives parsed; PGlite's too). */
function bookedMarks(v: unknown): Record<string, number> {
  const raw: unknown = typeof v === 'string' ? JSON.parse(v) : v;
  const out: Record<string, number> = {};
  if (raw && typeof raw === 'object') for (const [k, n] of Object.entries(raw)) out[k] = Number(n);
  return out;
}

const PULL: Record<PullCollection, PullSpec> = {
  stores: {
    table: 'stores',
    columns: 'id, name, town, kind, registers, groups, lat, lon, register_keys, deleted',
    scope: null,
    toDoc: (r): StoreDoc => ({
      id: str(r.id),
      name: str(r.name),
      town: str(r.town),
      kind: r.kind === 'warehouse' ? 'warehouse' : 'store',
      registers: (r.registers as string[] | null) ?? [],
      groups: (r.groups as string[] | null) ?? [],
      lat: r.lat === null || r.lat === undefined ? null : Number(r.lat),
      lon: r.lon === null || r.lon === undefined ? null : Number(r.lon),
      registerKeys: registerKeysOf(r.register_keys),
      _deleted: Boolean(r.deleted),
    }),
  },
  products: {
    table: 'products',
    columns: 'id, item_number, barcode, name, category, price_cents, vat, deleted',
    scope: null,
    toDoc: (r): ProductDoc => ({
      id: str(r.id),
      itemNumber: str(r.item_number),
      barcode: r.barcode === null ? null : str(r.barcode),
      name: str(r.name),
      category: str(r.category),
      priceCents: Number(r.price_cents),
      vat: r.vat as ProductDoc['vat'],
      _deleted: Boolean(r.deleted),
    }),
  },
  assortment: {
    table: 'assortment',
    columns: "id, store_id, group_id, product_id, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to, deleted",
    // The store's own lines and every group line (few; the register applies its store's groups).
    scope: '(store_id = $store OR group_id IS NOT NULL)',
    toDoc: (r): AssortmentDoc => ({
      id: str(r.id),
      storeId: r.store_id === null || r.store_id === undefined ? null : str(r.store_id),
      groupId: r.group_id === null || r.group_id === undefined ? null : str(r.group_id),
      productId: str(r.product_id),
      validFrom: isoDate(r.valid_from) ?? '',
      validTo: isoDate(r.valid_to),
      _deleted: Boolean(r.deleted),
    }),
  },
  stock: {
    table: 'stock',
    columns: 'id, location_id, product_id, on_hand, reserved, as_of, booked, deleted',
    // Every location's stock: a register shows availability at other stores and warehouses,
    // offline too, with the age of each figure.
    scope: null,
    toDoc: (r): StockDoc => ({
      id: str(r.id),
      locationId: str(r.location_id),
      productId: str(r.product_id),
      onHand: Number(r.on_hand),
      reserved: Number(r.reserved),
      asOf: r.as_of instanceof Date ? r.as_of.toISOString() : new Date(str(r.as_of)).toISOString(),
      booked: bookedMarks(r.booked),
      _deleted: Boolean(r.deleted),
    }),
  },
  orders: {
    table: 'orders',
    columns: ORDER_COLUMNS,
    // Orders made at the store, to be picked up there, or acted on there (see orders.ts).
    scope: '$store = ANY(stores)',
    toDoc: orderDocFromRow,
  },
  settings: {
    table: 'chain_settings',
    columns: 'id, body, deleted',
    scope: null,
    toDoc: (r): SettingsDoc => ({
      ...(typeof r.body === 'string' ? (JSON.parse(r.body) as OrderSettings) : (r.body as OrderSettings)),
      id: str(r.id),
      _deleted: Boolean(r.deleted),
    }),
  },
  operators: {
    table: 'operators',
    columns: 'id, name, role, store_id, pin_hash, pin_salt, pin_iterations, deleted',
    // Chain-wide operators and the store's own.
    scope: '(store_id IS NULL OR store_id = $store)',
    toDoc: (r): OperatorDoc => ({
      id: str(r.id),
      name: str(r.name),
      role: r.role === 'manager' ? 'manager' : 'cashier',
      storeId: r.store_id === null || r.store_id === undefined ? null : str(r.store_id),
      pinHash: str(r.pin_hash),
      pinSalt: str(r.pin_salt),
      pinIterations: Number(r.pin_iterations),
      _deleted: Boolean(r.deleted),
    }),
  },
  returns: {
    table: 'returns',
    columns: RETURN_COLUMNS,
    // The store that took the goods back and the store they were bought at: both need to know
    // what is left returnable.
    scope: '(store_id = $store OR origin_store_id = $store)',
    toDoc: returnDocFromRow,
  },
};

export function hashToken(token: string): string {
  return sha256Hex(token);
}

interface Alert {
  kind: string;
  recordId: string;
  body: unknown;
  message: string;
}

async function insertAlerts(tx: Queryable, who: RegisterPrincipal, alerts: readonly Alert[]): Promise<void> {
  if (alerts.length === 0) return;
  const [text, params] = multiInsert(
    'alerts',
    ['kind', 'record_id', 'store_id', 'register_id', 'body', 'message'],
    alerts.map((a) => [a.kind, a.recordId, who.storeId, who.registerId, JSON.stringify(a.body), a.message]),
  );
  await tx.query(text, params);
}

/** What HQ computes of a sale before it touches the database: its chain hash and its body hash, from one canonical text. */
interface SaleDigest {
  /** SHA-256 of the chain payload (everything but hash and _deleted): must equal the sale's own hash. */
  contentHash: string;
  /** Identifies the whole body, hash included: "the same sale again" vs "another body". */
  bodyHash: string;
}

function digestSale(d: SaleDoc): SaleDigest {
  const contentHash = sha256Hex(saleChainPayload(d));
  // The body is its content plus the hash it claims: both hashes identify it.
  return { contentHash, bodyHash: sha256Hex(`${contentHash}:${d.hash}`) };
}

/** The body hash HQ stores with a sale (see SaleDigest). */
export function bodyHash(doc: SaleDoc): string {
  return digestSale(doc).bodyHash;
}

/** Records a register makes once and never changes: sales, order events, returns, shift events. */
interface ImmutableTable<T> {
  table: string;
  /** What one record is called in a conflict's message. */
  noun: string;
  columns: readonly string[];
  values(doc: T, bodyHash: string): SqlParam[];
}

/** A pushed batch, hashed before the transaction so that it holds no connection for CPU work. */
interface Batch<T, D> {
  /** The first body of each id, with its digest. */
  firsts: Map<string, { doc: T; digest: D }>;
  /** Another body under an id earlier in the same batch: a conflict like any other, never silently dropped. */
  others: T[];
  /** The first bodies in id order (rows are inserted, and so locked, in one order). */
  unique: T[];
}

function prepareBatch<T extends { id: string }, D extends { bodyHash: string }>(docs: readonly T[], digest: (d: T) => D): Batch<T, D> {
  const firsts = new Map<string, { doc: T; digest: D }>();
  const others: T[] = [];
  for (const d of docs) {
    const dg = digest(d);
    const first = firsts.get(d.id);
    if (!first) firsts.set(d.id, { doc: d, digest: dg });
    else if (first.digest.bodyHash !== dg.bodyHash) others.push(d);
  }
  const unique = [...firsts.values()].map((f) => f.doc).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { firsts, others, unique };
}

/**
 * Inserts a batch of immutable records of one register, each once (`ON CONFLICT (id) DO
 * NOTHING`), calls `onFresh` with those newly stored, and returns the conflicts: for an id HQ
 * already holds with another body (or sent twice in the batch with two bodies) the stored record,
 * with the refused body kept as an alert. The same body again is acknowledged again.
 */
async function storeImmutable<T extends { id: string }, D extends { bodyHash: string }>(
  tx: Queryable,
  who: RegisterPrincipal,
  spec: ImmutableTable<T>,
  batch: Batch<T, D>,
  onFresh: (fresh: T[]) => Promise<void>,
): Promise<T[]> {
  const hashOf = (id: string): string => batch.firsts.get(id)?.digest.bodyHash ?? '';
  const [text, params] = multiInsert(
    spec.table,
    spec.columns,
    batch.unique.map((d) => spec.values(d, hashOf(d.id))),
    'ON CONFLICT (id) DO NOTHING RETURNING id',
  );
  const inserted = new Set((await tx.query<{ id: string }>(text, params)).map((r) => r.id));
  const fresh = batch.unique.filter((d) => inserted.has(d.id));
  if (fresh.length) await onFresh(fresh);
  const existingIds = batch.unique.filter((d) => !inserted.has(d.id)).map((d) => d.id);
  const conflicts: T[] = [];
  const alerts: Alert[] = [];
  const refuse = (kept: T, refused: T): void => {
    if (!conflicts.some((c) => c.id === kept.id)) conflicts.push(kept);
    alerts.push({
      kind: 'conflicting_record',
      recordId: kept.id,
      body: refused,
      message: `${spec.noun} ${kept.id} was sent again with another body; HQ keeps the first and refused this one`,
    });
  };
  const held = new Map<string, T>();
  if (existingIds.length) {
    const existing = await tx.query<{ id: string; body: T; body_hash: string }>(
      `SELECT id, body, body_hash FROM ${spec.table} WHERE id = ANY($1::text[])`,
      [toPgArray(existingIds)],
    );
    for (const row of existing) {
      held.set(row.id, row.body);
      const candidate = batch.firsts.get(row.id)?.doc;
      if (candidate && row.body_hash !== hashOf(row.id)) refuse(row.body, candidate);
    }
  }
  for (const other of batch.others) {
    const kept = held.get(other.id) ?? batch.firsts.get(other.id)?.doc;
    if (kept) refuse(kept, other);
  }
  await insertAlerts(tx, who, alerts);
  return conflicts;
}

/** How a sale is stored (exported for `npm run bench:push-cpu`, which times building its INSERT). */
export const SALES_TABLE: ImmutableTable<SaleDoc> = {
  table: 'sales',
  noun: 'sale',
  columns: ['id', 'store_id', 'register_id', 'seq', 'receipt_no', 'total_cents', 'body', 'body_hash', 'prev_seq', 'hash'],
  values: (d, hash) => [d.id, d.storeId, d.registerId, d.seq, d.receiptNo, d.totalCents, JSON.stringify(d), hash, d.prevSeq, d.hash],
};

const ORDER_EVENTS_TABLE: ImmutableTable<OrderEventDoc> = {
  table: 'order_events',
  noun: 'order event',
  columns: ['id', 'order_no', 'store_id', 'register_id', 'seq', 'body', 'body_hash'],
  values: (d, hash) => [d.id, d.orderNo, d.storeId, d.registerId, d.seq, JSON.stringify(d), hash],
};

const RETURNS_TABLE: ImmutableTable<ReturnDoc> = {
  table: 'returns',
  noun: 'return',
  columns: ['id', 'return_no', 'store_id', 'register_id', 'seq', 'origin_kind', 'origin_no', 'origin_store_id', 'review', 'body', 'body_hash'],
  values: (d, hash) => [d.id, d.returnNo, d.storeId, d.registerId, d.seq, d.origin.kind, originOf(d)?.no ?? null, originStoreOf(d), d.review, JSON.stringify(d), hash],
};

const SHIFT_EVENTS_TABLE: ImmutableTable<ShiftEventDoc> = {
  table: 'shift_events',
  noun: 'shift event',
  columns: ['id', 'shift_no', 'store_id', 'register_id', 'seq', 'type', 'body', 'body_hash'],
  values: (d, hash) => [d.id, d.shiftNo, d.storeId, d.registerId, d.seq, d.type, JSON.stringify(d), hash],
};

/** Advisory-lock namespace of orders (the first key of pg_advisory_xact_lock(int, int)). */
const ORDER_LOCK_SPACE = 0x4f52; // "OR"

/**
 * Serializes the writers of these orders until the transaction ends: one lock per order (by the
 * hash of its number), taken in hash order, so two pushes touching the same orders cannot
 * deadlock. The fold that follows reads every event committed before the lock was granted.
 */
async function lockOrders(tx: Queryable, orderNos: readonly string[]): Promise<void> {
  await lockKeys(tx, ORDER_LOCK_SPACE, orderNos);
}

/**
 * Advisory-lock namespace of a register's sales and of the returns of them ("RT"), one lock per
 * issuing register (the store-register part of the receipt number). A push of sales takes its
 * register's lock after it stored them, a push of returns the lock of every register whose
 * receipts it returns goods of, after it stored them. Whichever comes second sees what the
 * first committed, so the double-return guard runs whatever order a sale and its returns
 * arrive in, concurrently too.
 */
const RECEIPT_LOCK_SPACE = 0x5254; // "RT"

/** Takes the advisory locks of `keys` (by their hash) in one order until the transaction ends. */
async function lockKeys(tx: Queryable, space: number, keys: readonly string[]): Promise<void> {
  const distinct = [...new Set(keys)];
  if (distinct.length === 0) return;
  if (distinct.length === 1) {
    await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [space, distinct[0] ?? '']);
    return;
  }
  const hashes = await tx.query<{ h: number }>('SELECT DISTINCT hashtext(o) AS h FROM unnest($1::text[]) AS o ORDER BY h', [toPgArray(distinct)]);
  for (const { h } of hashes) await tx.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [space, Number(h)]);
}

/** Every event HQ holds of these orders, folded (complete or not). */
async function foldStored(tx: Queryable, orderNos: readonly string[]): Promise<Map<string, OrderState>> {
  const rows = await tx.query<{ order_no: string; body: OrderEventDoc | string }>(
    'SELECT order_no, body FROM order_events WHERE order_no = ANY($1::text[])',
    [toPgArray(orderNos)],
  );
  const events = new Map<string, OrderEventDoc[]>(orderNos.map((n) => [n, []]));
  for (const r of rows) events.get(r.order_no)?.push(typeof r.body === 'string' ? (JSON.parse(r.body) as OrderEventDoc) : r.body);
  return new Map([...events].map(([orderNo, docs]) => [orderNo, foldOrder(orderNo, docs.map(eventOf))]));
}

/**
 * Writes the fold of complete orders into `orders` (an order whose created event has not
 * arrived waits: it is written when that event comes). The stores that replicate an order only
 * grow. Returns the written documents.
 */
async function writeOrders(tx: Queryable, states: readonly OrderState[]): Promise<OrderDoc[]> {
  const complete = states.filter((s) => s.complete).sort((a, b) => (a.orderNo < b.orderNo ? -1 : a.orderNo > b.orderNo ? 1 : 0));
  if (complete.length === 0) return [];
  const [text, params] = multiInsert(
    'orders AS o',
    ORDER_WRITE_COLUMNS,
    complete.map(orderRow),
    `ON CONFLICT (id) DO UPDATE SET
       stores = ARRAY(SELECT DISTINCT s FROM unnest(o.stores || EXCLUDED.stores) AS s ORDER BY s),
       store_id = EXCLUDED.store_id,
       customer_name = EXCLUDED.customer_name,
       customer_phone = EXCLUDED.customer_phone,
       status = EXCLUDED.status,
       pickup_stores = EXCLUDED.pickup_stores,
       exception_count = EXCLUDED.exception_count,
       exceptions = EXCLUDED.exceptions,
       created_at = EXCLUDED.created_at,
       events = EXCLUDED.events
     RETURNING ${ORDER_COLUMNS}`,
  );
  const rows = await tx.query<Row>(text, params);
  await HqStore.notifyChanged(tx, ['orders']);
  return rows.map(orderDocFromRow);
}

/**
 * Books newly stored sales into their store's stock, in the sale's own transaction: each
 * product's on-hand drops by the quantity sold (a product HQ had no figure for there gets a
 * negative one: it was sold, so it was there), and the row's booked mark for the register
 * rises to the highest sequence booked. Rows are locked in product order, so two registers of
 * one store pushing at once cannot deadlock. Only fresh sales come here: a sale sent again is
 * never booked twice.
 */
async function bookStock(tx: Queryable, who: RegisterPrincipal, fresh: readonly SaleDoc[]): Promise<void> {
  const perProduct = new Map<string, { qty: number; seq: number }>();
  for (const sale of fresh) {
    for (const line of sale.lines) {
      const p = perProduct.get(line.productId) ?? { qty: 0, seq: 0 };
      p.qty += line.quantity;
      p.seq = Math.max(p.seq, sale.seq);
      perProduct.set(line.productId, p);
    }
  }
  const ids = [...perProduct.keys()].sort();
  // Sets xid itself (so the xid trigger is skipped) and tells the registers in the same statement.
  await tx.query(
    `WITH booked AS (
       INSERT INTO stock AS s (id, location_id, product_id, on_hand, reserved, as_of, booked)
       SELECT $1 || ':' || t.product_id, $1, t.product_id, -t.qty, 0, now(), jsonb_build_object($2::text, t.seq)
         FROM unnest($3::text[], $4::int[], $5::bigint[]) AS t(product_id, qty, seq)
        ORDER BY t.product_id
       ON CONFLICT (id) DO UPDATE SET
         on_hand = s.on_hand + EXCLUDED.on_hand,
         as_of = EXCLUDED.as_of,
         booked = s.booked || jsonb_build_object($2::text,
           GREATEST(COALESCE((s.booked->>$2)::bigint, 0), (EXCLUDED.booked->>$2)::bigint)),
         xid = pg_current_xact_id()
       RETURNING 1)
     SELECT pg_notify('${CHANGES_CHANNEL}', 'stock')`,
    [
      who.storeId,
      who.registerId,
      toPgArray(ids),
      `{${ids.map((id) => perProduct.get(id)?.qty ?? 0).join(',')}}`,
      `{${ids.map((id) => perProduct.get(id)?.seq ?? 0).join(',')}}`,
    ],
  );
}

/**
 * Books newly stored returns into the stock of the store that took the goods back, in the
 * return's own transaction: on-hand rises by the quantity returned (a product that store has
 * no figure for, outside its assortment too, gets one). The booked marks are the sales' and are
 * left alone. Rows are locked in product order, like sales.
 */
async function bookReturnedStock(tx: Queryable, who: RegisterPrincipal, fresh: readonly ReturnDoc[]): Promise<void> {
  const perProduct = new Map<string, number>();
  for (const r of fresh) for (const line of r.lines) perProduct.set(line.productId, (perProduct.get(line.productId) ?? 0) + line.quantity);
  if (perProduct.size === 0) return;
  const ids = [...perProduct.keys()].sort();
  await tx.query(
    `INSERT INTO stock AS s (id, location_id, product_id, on_hand, reserved, as_of)
     SELECT $1 || ':' || t.product_id, $1, t.product_id, t.qty, 0, now()
       FROM unnest($2::text[], $3::int[]) AS t(product_id, qty)
      ORDER BY t.product_id
     ON CONFLICT (id) DO UPDATE SET on_hand = s.on_hand + EXCLUDED.on_hand, as_of = EXCLUDED.as_of`,
    [who.storeId, toPgArray(ids), `{${ids.map((id) => perProduct.get(id) ?? 0).join(',')}}`],
  );
  await HqStore.notifyChanged(tx, ['stock']);
}

/**
 * HQ's guard against double returns, for sales and orders whose returns may have changed (new
 * returns, or the sale or an order event arriving after its returns). Per origin HQ holds: all
 * its returns, chain-wide, against what was sold (src/returns.ts returnExcess); each original
 * line returned beyond it raises one 'double_return' alert (raised once per line; a line the
 * sale or order does not have counts as sold 0 times). A sale or
 * order HQ does not hold yet is checked when it arrives. The caller holds the origins' locks
 * (RECEIPT_LOCK_SPACE for sales, the order locks for orders).
 */
async function guardDoubleReturns(tx: Queryable, who: RegisterPrincipal, origins: readonly OriginRef[], folded?: ReadonlyMap<string, OrderState>): Promise<void> {
  const nos = [...new Set(origins.map((o) => o.no))];
  if (nos.length === 0) return;
  const rows = await tx.query<Row>(`SELECT origin_no, ${RETURN_COLUMNS} FROM returns WHERE origin_no = ANY($1::text[]) AND NOT deleted ORDER BY received_at, id`, [toPgArray(nos)]);
  if (rows.length === 0) return;
  const returnsOf = new Map<string, ReturnDoc[]>();
  for (const r of rows) {
    const list = returnsOf.get(str(r.origin_no)) ?? [];
    list.push(returnDocFromRow(r));
    returnsOf.set(str(r.origin_no), list);
  }
  const kinds = new Map(origins.map((o) => [o.no, o.kind]));
  const saleNos = [...returnsOf.keys()].filter((n) => kinds.get(n) === 'sale');
  const orderNos = [...returnsOf.keys()].filter((n) => kinds.get(n) === 'order');
  const alerts: Alert[] = [];
  if (saleNos.length) {
    const sales = await tx.query<{ body: SaleDoc | string }>('SELECT body FROM sales WHERE id = ANY($1::text[])', [toPgArray(saleNos)]);
    for (const row of sales) {
      const sale = typeof row.body === 'string' ? (JSON.parse(row.body) as SaleDoc) : row.body;
      const returns = returnsOf.get(sale.receiptNo) ?? [];
      const sold = withUnknownLines(saleLines(sale), new Set(sale.lines.map((l) => l.lineNo)), returns);
      alerts.push(...doubleReturnAlerts({ kind: 'sale', no: sale.receiptNo, storeId: sale.storeId }, sold, returns));
    }
  }
  if (orderNos.length) {
    const missing = orderNos.filter((n) => !folded?.has(n));
    const states = new Map([...(folded ?? new Map<string, OrderState>()), ...(missing.length ? await foldStored(tx, missing) : new Map<string, OrderState>())]);
    for (const orderNo of orderNos) {
      const state = states.get(orderNo);
      if (!state?.complete) continue;
      const returns = returnsOf.get(orderNo) ?? [];
      const sold = withUnknownLines(orderLines(state), new Set(state.lines.map((l) => l.lineNo)), returns);
      alerts.push(...doubleReturnAlerts({ kind: 'order', no: orderNo, storeId: state.storeId }, sold, returns));
    }
  }
  if (alerts.length === 0) return;
  const raised = await tx.query<{ record_id: string }>("SELECT record_id FROM alerts WHERE kind = 'double_return' AND record_id = ANY($1::text[])", [
    toPgArray(alerts.map((a) => a.recordId)),
  ]);
  const before = new Set(raised.map((r) => r.record_id));
  await insertAlerts(tx, who, alerts.filter((a) => !before.has(a.recordId)));
}

/** A stored sale as the chain check reads it; `prev_hash` only where `prev_seq` is in the read's range. */
interface ChainRow {
  id: string;
  seq: string | number;
  prev_seq: string | number | null;
  hash: string | null;
  prev_hash: string | null;
}

/**
 * The rows HQ holds of this register that a push's chain check needs: those numbered like a
 * pushed sale's predecessor, and those naming a pushed sale or its predecessor as theirs. Read
 * before the push's insert. A push is a run of consecutive numbers, so this is one range on each
 * of the two chain indexes (normally a single row: the predecessor of the first); a push whose
 * numbers lie far apart is read by its exact numbers instead, so no range spans a history.
 */
async function chainNeighbours(tx: Queryable, who: RegisterPrincipal, docs: readonly SaleDoc[]): Promise<ChainRow[]> {
  const prevSeqs = docs.flatMap((d) => (d.prevSeq === null ? [] : [d.prevSeq]));
  const all = [...prevSeqs, ...docs.map((d) => d.seq)];
  if (all.length === 0) return [];
  let lo = all[0] ?? 0;
  let hi = lo;
  for (const n of all) {
    if (n < lo) lo = n;
    if (n > hi) hi = n;
  }
  if (hi - lo <= 2 * docs.length + 16) {
    return tx.query<ChainRow>(
      `SELECT id, seq, prev_seq, hash, CASE WHEN prev_seq BETWEEN $3 AND $4 THEN body->>'prevHash' END AS prev_hash FROM sales
        WHERE store_id = $1 AND register_id = $2 AND (seq BETWEEN $3 AND $4 OR prev_seq BETWEEN $3 AND $4)`,
      [who.storeId, who.registerId, lo, hi],
    );
  }
  return tx.query<ChainRow>(
    `SELECT id, seq, prev_seq, hash, body->>'prevHash' AS prev_hash FROM sales
      WHERE store_id = $1 AND register_id = $2 AND (seq = ANY($3::bigint[]) OR prev_seq = ANY($4::bigint[]))`,
    [who.storeId, who.registerId, toPgArray(prevSeqs.map(String)), toPgArray(all.map(String))],
  );
}

/** Statement texts of multiInsert by shape: a push's insert has the same text every time. */
const insertTexts = new Map<string, string>();

/** Multi-row INSERT: `rows` of equal length, `columns` named; returns text and flat params. */
export function multiInsert(table: string, columns: readonly string[], rows: readonly SqlParam[][], suffix = ''): [string, SqlParam[]] {
  const width = rows[0]?.length ?? 0;
  const params: SqlParam[] = [];
  for (const row of rows) {
    if (row.length !== width) throw new Error(`multiInsert into ${table}: rows of ${width} and ${row.length} values`);
    for (const v of row) params.push(v);
  }
  const key = `${table}(${columns.join(',')})${rows.length}x${width} ${suffix}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const values = rows.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`);
    text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ${suffix}`;
    // Bounded: shapes are few (batch sizes), but never let the map grow without end.
    if (insertTexts.size < 1000) insertTexts.set(key, text);
  }
  return [text, params];
}

export interface HqAlert {
  kind: string;
  recordId: string;
  storeId: string | null;
  registerId: string | null;
  message: string;
  body: unknown;
  createdAt: string;
  /** Set when HQ closed the alert by itself (a chain gap filled by the predecessor). */
  resolvedAt: string | null;
}

export interface TokenCheck {
  principal: RegisterPrincipal | null;
  /** Why there is none: unknown, revoked or expired. */
  reason?: 'unknown' | 'revoked' | 'expired';
  expiresAt?: string;
}

export const DEFAULT_TOKEN_TTL_DAYS = 365;

/**
 * How long a register's old token keeps working once its renewed token has been used: requests
 * sent with the old one just before the register switched arrive after (seen at a first start,
 * where the register renews at once: a catalog pull in flight was refused as revoked). IT's
 * revocations (retiring a register, enrolling it again) take effect at once.
 */
export const REPLACED_TOKEN_GRACE_MS = 2 * 60_000;

export class HqStore {
  constructor(
    readonly sql: Sql,
    /** How long a register token lives; registers renew theirs well before. */
    readonly tokenTtlMs = DEFAULT_TOKEN_TTL_DAYS * 86_400_000,
  ) {}

  // ---- master data, read by anyone -------------------------------------------------------

  async listStores(): Promise<StoreDoc[]> {
    const rows = await this.sql.query<Row>(`SELECT ${PULL.stores.columns} FROM stores WHERE NOT deleted ORDER BY kind, id`);
    return rows.map((r) => PULL.stores.toDoc(r) as StoreDoc);
  }

  async searchProducts(q: string, limit: number): Promise<ProductDoc[]> {
    const term = q.trim();
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.sql.query<Row>(
      `SELECT ${PULL.products.columns} FROM products
       WHERE NOT deleted AND ($1 = '' OR name ILIKE $2 OR item_number = $1 OR barcode = $1)
       ORDER BY (barcode = $1 OR item_number = $1) DESC, name, id LIMIT $3`,
      [term, like, limit],
    );
    return rows.map((r) => PULL.products.toDoc(r) as ProductDoc);
  }

  // ---- replication ---------------------------------------------------------------------

  /**
   * One page of changes after `checkpoint`, never skipping a late commit: only rows written by
   * transactions older than the oldest transaction still running are served, in (xid, id) order.
   */
  async pull(collection: PullCollection, who: RegisterPrincipal, checkpoint: Checkpoint | null, limit: number) {
    const spec = PULL[collection];
    const params: SqlParam[] = [checkpoint?.xid ?? '0', checkpoint?.id ?? '', limit];
    let scope = '';
    if (spec.scope) {
      params.push(who.storeId);
      scope = `AND ${spec.scope.replaceAll('$store', '$4')}`;
    }
    const rows = await this.sql.query<Row>(
      `SELECT ${spec.columns}, xid::text AS xid_text FROM ${spec.table}
       WHERE (xid, id) > ($1::xid8, $2::text)
         AND xid < pg_snapshot_xmin(pg_current_snapshot())
         ${scope}
       ORDER BY xid, id LIMIT $3`,
      params,
    );
    const last = rows[rows.length - 1];
    return {
      documents: rows.map((r) => spec.toDoc(r)),
      checkpoint: last ? { xid: str(last.xid_text), id: str(last.id) } : null,
    };
  }

  async count(collection: PullCollection, who: RegisterPrincipal): Promise<number> {
    const spec = PULL[collection];
    const params: SqlParam[] = [];
    let where = 'NOT deleted';
    if (spec.scope) {
      params.push(who.storeId);
      where += ` AND ${spec.scope.replaceAll('$store', '$1')}`;
    }
    const [row] = await this.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${spec.table} WHERE ${where}`, params);
    return Number(row?.n ?? 0);
  }

  /**
   * Ingests validated sales of one register. Each is inserted once; a sale HQ already holds
   * with the same body is acknowledged again; the same id with another body is refused: the
   * stored sale is returned as the conflict and the refused body kept as an alert.
   */
  async pushSales(who: RegisterPrincipal, docs: readonly SaleDoc[]): Promise<SaleDoc[]> {
    if (docs.length === 0) return [];
    // The CPU work (canonical JSON, hashes) before the transaction, so it holds no connection.
    const batch = prepareBatch(docs, digestSale);
    return this.sql.transaction(async (tx) => {
      // The chain's neighbours, read before the insert: the rows read are then only ones HQ held.
      const neighbours = await chainNeighbours(tx, who, batch.unique);
      return storeImmutable(tx, who, SALES_TABLE, batch, async (fresh) => {
        await this.checkChain(tx, who, fresh, neighbours, (d) => batch.firsts.get(d.id)?.digest.contentHash ?? '');
        await bookStock(tx, who, fresh);
        // Returns of these sales may have arrived first (taken elsewhere, from the receipt's code).
        await lockKeys(tx, RECEIPT_LOCK_SPACE, fresh.map((d) => receiptRegister(d.receiptNo)));
        await guardDoubleReturns(tx, who, fresh.map((d) => ({ kind: 'sale', no: d.receiptNo })));
      });
    });
  }

  /**
   * Ingests validated order events of one register, like sales: each once, the same body again
   * acknowledged, another body under a held id returned as a conflict with an alert. In the
   * same transaction every order a new event touches is folded again from all the events HQ
   * holds of it (orders locked one at a time, in one order) and written to `orders`, which
   * registers pull. Events do not touch stock.
   */
  async pushOrderEvents(who: RegisterPrincipal, docs: readonly OrderEventDoc[]): Promise<OrderEventDoc[]> {
    if (docs.length === 0) return [];
    const batch = prepareBatch(docs, canonicalBodyHash);
    return this.sql.transaction((tx) =>
      storeImmutable(tx, who, ORDER_EVENTS_TABLE, batch, async (fresh) => {
        const orderNos = [...new Set(fresh.map((e) => e.orderNo))].sort();
        await lockOrders(tx, orderNos);
        const folded = await foldStored(tx, orderNos);
        await writeOrders(tx, [...folded.values()]);
        // A hand-out or cancellation may decide lines that were returned already.
        await guardDoubleReturns(tx, who, orderNos.map((no) => ({ kind: 'order', no })), folded);
      }),
    );
  }

  /**
   * Ingests validated returns of one register, like sales: each once, the same body again
   * acknowledged, another body under a held id returned as a conflict with an alert. In the same
   * transaction, for the returns newly stored: the goods go back into the stock of the store
   * that took them; every sale or order they come from is checked for double returns across all
   * stores (see guardDoubleReturns); a return without a receipt is flagged for a manager.
   */
  async pushReturns(who: RegisterPrincipal, docs: readonly ReturnDoc[]): Promise<ReturnDoc[]> {
    if (docs.length === 0) return [];
    const batch = prepareBatch(docs, canonicalBodyHash);
    return this.sql.transaction((tx) =>
      storeImmutable(tx, who, RETURNS_TABLE, batch, async (fresh) => {
        await bookReturnedStock(tx, who, fresh);
        const origins = fresh.flatMap((r) => {
          const o = originOf(r);
          return o ? [o] : [];
        });
        // Locks in one order everywhere: stock rows, then issuing registers, then orders.
        await lockKeys(tx, RECEIPT_LOCK_SPACE, origins.filter((o) => o.kind === 'sale').map((o) => receiptRegister(o.no)));
        await lockOrders(tx, origins.filter((o) => o.kind === 'order').map((o) => o.no));
        await guardDoubleReturns(tx, who, origins);
        await insertAlerts(tx, who, fresh.filter((r) => r.review).map(reviewAlert));
        await HqStore.notifyChanged(tx, ['returns']);
      }),
    );
  }

  /**
   * Ingests validated shift events of one register, like sales: each once, the same body again
   * acknowledged, another body under a held id returned as a conflict with an alert. A shift
   * newly closed with a difference between counted and expected cash raises a `cash_difference`
   * alert (store, register, shift, amount) in the same transaction. Z reports are checked when
   * they are listed (records of the shift may still be on their way).
   */
  async pushShiftEvents(who: RegisterPrincipal, docs: readonly ShiftEventDoc[]): Promise<ShiftEventDoc[]> {
    if (docs.length === 0) return [];
    const batch = prepareBatch(docs, canonicalBodyHash);
    return this.sql.transaction((tx) =>
      storeImmutable(tx, who, SHIFT_EVENTS_TABLE, batch, async (fresh) => {
        const alerts = fresh.flatMap((d) => {
          const a = d.type === 'closed' ? cashDifferenceAlert(d) : null;
          return a ? [a] : [];
        });
        await insertAlerts(tx, who, alerts);
      }),
    );
  }

  /**
   * A store's closed shifts, newest first (HQ's arrival order), each with HQ's check of its Z
   * report against the sales, order events, returns and cash moves HQ holds of that register in
   * the shift's ranges.
   */
  async zReports(storeId: string, opts: { registerId?: string; limit: number }): Promise<ZReportEntry[]> {
    const params: SqlParam[] = [storeId, opts.limit];
    let scope = '';
    if (opts.registerId) {
      params.push(opts.registerId);
      scope = 'AND c.register_id = $3';
    }
    const rows = await this.sql.query<{ closed: unknown; opened: unknown; received_at: Date | string }>(
      `SELECT c.body AS closed, o.body AS opened, c.received_at FROM shift_events c
         LEFT JOIN shift_events o ON o.id = c.shift_no AND o.type = 'opened'
        WHERE c.type = 'closed' AND c.store_id = $1 ${scope}
        ORDER BY c.received_at DESC, c.seq DESC, c.id DESC LIMIT $2`,
      params,
    );
    const out: ZReportEntry[] = [];
    for (const row of rows) {
      const closed = jsonBody<ShiftEventDoc>(row.closed);
      const opened = row.opened === null || row.opened === undefined ? null : jsonBody<ShiftEventDoc>(row.opened);
      const held = opened?.type === 'opened' && closed.type === 'closed' ? await this.shiftRecords(opened, closed) : null;
      out.push(zReportEntry(closed, opened, held, new Date(row.received_at).toISOString()));
    }
    return out;
  }

  /** What HQ holds of a register in a shift's sequence ranges, and the shift's cash moves. */
  private async shiftRecords(opened: ShiftEventDoc & { type: 'opened' }, closed: ShiftEventDoc & { type: 'closed' }): Promise<HeldRecords> {
    const range = (table: string, k: 'sales' | 'orderEvents' | 'returns', extra = '') =>
      this.sql
        .query<{ body: unknown }>(`SELECT body FROM ${table} WHERE store_id = $1 AND register_id = $2 AND seq > $3 AND seq <= $4 ${extra} ORDER BY seq`, [
          opened.storeId,
          opened.registerId,
          opened.marks[k],
          closed.marks[k],
        ])
        .then((rows) => rows.map((r) => jsonBody(r.body)));
    const [sales, orderEvents, returns, cashMoves] = await Promise.all([
      range('sales', 'sales') as Promise<HeldRecords['sales']>,
      range('order_events', 'orderEvents') as Promise<HeldRecords['orderEvents']>,
      range('returns', 'returns', 'AND NOT deleted') as Promise<HeldRecords['returns']>,
      this.sql
        .query<{ body: unknown }>("SELECT body FROM shift_events WHERE shift_no = $1 AND type = 'cash' ORDER BY seq", [opened.shiftNo])
        .then((rows) => rows.map((r) => jsonBody<ShiftEventDoc>(r.body))),
    ]);
    return { sales, orderEvents, returns, cashMoves };
  }

  /**
   * What HQ holds of a register, for its end-of-day screen: per pushed collection the count and
   * highest sequence of its records, the open alerts of its store, and the exceptions of the
   * orders its store replicates.
   */
  async holdings(who: RegisterPrincipal): Promise<HoldingsResponse> {
    const counts = await this.sql.query<{ c: string; n: number | string; last: number | string }>(
      `SELECT 'sales' AS c, count(*)::int AS n, coalesce(max(seq), 0) AS last FROM sales WHERE store_id = $1 AND register_id = $2
       UNION ALL SELECT 'orderEvents', count(*)::int, coalesce(max(seq), 0) FROM order_events WHERE store_id = $1 AND register_id = $2
       UNION ALL SELECT 'returns', count(*)::int, coalesce(max(seq), 0) FROM returns WHERE store_id = $1 AND register_id = $2
       UNION ALL SELECT 'shiftEvents', count(*)::int, coalesce(max(seq), 0) FROM shift_events WHERE store_id = $1 AND register_id = $2`,
      [who.storeId, who.registerId],
    );
    const held = (c: string) => {
      const row = counts.find((r) => r.c === c);
      return { count: Number(row?.n ?? 0), lastSeq: Number(row?.last ?? 0) };
    };
    const alerts = await this.sql.query<Row>(
      `SELECT kind, record_id, register_id, message, created_at, ${ALERT_AMOUNT_SQL} AS amount_cents
         FROM alerts WHERE store_id = $1 AND resolved_at IS NULL ORDER BY id DESC LIMIT $2`,
      [who.storeId, MAX_HOLDINGS_ALERTS],
    );
    const [open] = await this.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts WHERE store_id = $1 AND resolved_at IS NULL', [who.storeId]);
    const exceptions = await this.orderExceptions({ storeId: who.storeId, limit: MAX_HOLDINGS_EXCEPTION_ORDERS });
    return {
      storeId: who.storeId,
      registerId: who.registerId,
      at: new Date().toISOString(),
      collections: { sales: held('sales'), orderEvents: held('orderEvents'), returns: held('returns'), shiftEvents: held('shiftEvents') },
      alerts: alerts.map((r) => ({
        kind: str(r.kind),
        recordId: str(r.record_id),
        registerId: r.register_id === null || r.register_id === undefined ? null : str(r.register_id),
        message: str(r.message),
        amountCents: r.amount_cents === null || r.amount_cents === undefined ? null : Number(r.amount_cents),
        createdAt: new Date(r.created_at as string).toISOString(),
      })),
      openAlerts: Number(open?.n ?? 0),
      orderExceptions: holdingsExceptions(exceptions),
    };
  }

  /**
   * Checks the chain of newly stored sales against what HQ holds of the same register, and
   * flags what does not hold: an altered record, a broken link, a missing predecessor (a gap,
   * closed by itself when the predecessor arrives and fits), skipped numbers, a fork, a
   * restarted chain. Flags are alerts for a manager; the sales are kept regardless.
   */
  private async checkChain(tx: Queryable, who: RegisterPrincipal, fresh: readonly SaleDoc[], neighbours: readonly ChainRow[], contentHash: (d: SaleDoc) => string): Promise<void> {
    // Of the rows HQ held around the push: the fresh sales' predecessors, and the rows that name
    // a fresh sale or a fresh sale's predecessor as theirs.
    const prevSeqs = new Set(fresh.flatMap((d) => (d.prevSeq === null ? [] : [d.prevSeq])));
    const named = new Set([...prevSeqs, ...fresh.map((d) => d.seq)]);
    const around = neighbours.filter((r) => prevSeqs.has(Number(r.seq)) || (r.prev_seq !== null && named.has(Number(r.prev_seq))));
    const known = new Map<number, string>();
    for (const r of around) if (r.hash) known.set(Number(r.seq), r.hash);

    const alerts: Alert[] = [];
    const bySeq = new Map(fresh.map((d) => [d.seq, d]));
    for (const f of verifyChain(fresh, known, contentHash)) {
      const d = bySeq.get(f.seq);
      if (d) alerts.push({ kind: `chain_${f.kind}`, recordId: d.id, body: { seq: d.seq, prevSeq: d.prevSeq, prevHash: d.prevHash, hash: d.hash }, message: `sale ${d.id}: ${f.reason}` });
    }
    // Two records naming the same predecessor: the register's chain forked (e.g. a replica restored
    // from a copy). The other may be held already or be in this push.
    const followers = new Map<number, string[]>();
    const follows = (prevSeq: number, id: string): void => {
      const ids = followers.get(prevSeq);
      if (ids) ids.push(id);
      else followers.set(prevSeq, [id]);
    };
    for (const r of around) if (r.prev_seq !== null) follows(Number(r.prev_seq), r.id);
    for (const d of fresh) if (d.prevSeq !== null) follows(d.prevSeq, d.id);
    for (const d of fresh) {
      if (d.prevSeq === null) continue;
      const twin = followers.get(d.prevSeq)?.find((id) => id !== d.id);
      if (twin !== undefined) alerts.push({ kind: 'chain_fork', recordId: d.id, body: { seq: d.seq, prevSeq: d.prevSeq, other: twin }, message: `sale ${d.id} and ${twin} both follow ${d.prevSeq}` });
    }
    // Records that arrived before these and named them as predecessor: their gap closes, or their link is broken.
    const resolved: string[] = [];
    for (const r of around) {
      if (r.prev_seq === null) continue;
      const pred = bySeq.get(Number(r.prev_seq));
      if (!pred) continue;
      if (pred.hash === r.prev_hash) resolved.push(r.id);
      else alerts.push({ kind: 'chain_broken', recordId: r.id, body: { seq: Number(r.seq), prevSeq: Number(r.prev_seq) }, message: `sale ${r.id}: its predecessor ${pred.id} arrived and is not the record it was chained to` });
    }
    if (resolved.length) {
      await tx.query(`UPDATE alerts SET resolved_at = now() WHERE kind = 'chain_gap' AND resolved_at IS NULL AND record_id = ANY($1::text[])`, [toPgArray(resolved)]);
    }
    await insertAlerts(tx, who, alerts);
  }

  async listSales(storeId: string, limit: number): Promise<(SaleDoc & { receivedAt: string })[]> {
    const rows = await this.sql.query<{ body: SaleDoc; received_at: Date | string }>(
      'SELECT body, received_at FROM sales WHERE store_id = $1 ORDER BY received_at DESC, seq DESC, id DESC LIMIT $2',
      [storeId, limit],
    );
    return rows.map((r) => ({ ...r.body, receivedAt: new Date(r.received_at).toISOString() }));
  }

  /** A sale by its receipt number (any store's), with when HQ received it; null when HQ does not hold it. */
  async getSale(receiptNo: string): Promise<(SaleDoc & { receivedAt: string }) | null> {
    const [row] = await this.sql.query<{ body: SaleDoc | string; received_at: Date | string }>('SELECT body, received_at FROM sales WHERE id = $1', [receiptNo]);
    if (!row) return null;
    const body = typeof row.body === 'string' ? (JSON.parse(row.body) as SaleDoc) : row.body;
    return { ...body, receivedAt: new Date(row.received_at).toISOString() };
  }

  /** Every return of a sale (its receipt number) or an order (its number), chain-wide, in HQ's arrival order. */
  async returnsOf(originNo: string): Promise<ReturnDoc[]> {
    const rows = await this.sql.query<Row>(`SELECT ${RETURN_COLUMNS} FROM returns WHERE origin_no = $1 AND NOT deleted ORDER BY received_at, id LIMIT 1000`, [originNo]);
    return rows.map(returnDocFromRow);
  }

  /** Alerts for managers, oldest first; `open` leaves out those HQ closed by itself. */
  async alerts(opts: { open?: boolean; storeId?: string } = {}): Promise<HqAlert[]> {
    const where: string[] = [];
    const params: SqlParam[] = [];
    if (opts.open) where.push('resolved_at IS NULL');
    if (opts.storeId) {
      params.push(opts.storeId);
      where.push(`store_id = $${params.length}`);
    }
    const rows = await this.sql.query<Row>(
      `SELECT kind, record_id, store_id, register_id, message, body, created_at, resolved_at FROM alerts
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
      params,
    );
    return rows.map((r) => ({
      kind: str(r.kind),
      recordId: str(r.record_id),
      storeId: r.store_id === null ? null : str(r.store_id),
      registerId: r.register_id === null ? null : str(r.register_id),
      createdAt: new Date(r.created_at as string).toISOString(),
      message: str(r.message),
      body: r.body,
      resolvedAt: r.resolved_at ? new Date(r.resolved_at as string).toISOString() : null,
    }));
  }

  // ---- customer orders -----------------------------------------------------------------

  /** Chain-wide: orders by number (exact, lenient input), customer name (part) or phone (its digits); newest first. */
  async searchOrders(q: string, limit: number): Promise<OrderDoc[]> {
    const s = orderSearch(q);
    const rows = await this.sql.query<Row>(
      `SELECT ${ORDER_COLUMNS} FROM orders
        WHERE NOT deleted
          AND ($1 = '' OR id = $2 OR customer_name ILIKE $3
               OR ($4 <> '' AND regexp_replace(coalesce(customer_phone, ''), '[^0-9]', '', 'g') = $4))
        ORDER BY received_at DESC, id DESC LIMIT $5`,
      [s.term, s.orderNo, s.namePattern, s.phoneDigits, limit],
    );
    return rows.map(orderDocFromRow);
  }

  async getOrder(orderNo: string): Promise<OrderDoc | null> {
    const [row] = await this.sql.query<Row>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND NOT deleted`, [orderNo]);
    return row ? orderDocFromRow(row) : null;
  }

  /**
   * HQ records that open ship lines of an order left the warehouse: a `shipped` event of its
   * own (see orders.ts shipmentEvent), folded into the order at once. 404 for an order HQ does
   * not hold, 409 naming a line that is not an open ship line.
   */
  async recordShipment(orderNo: string, lineNos: readonly number[]): Promise<OrderDoc> {
    return this.sql.transaction(async (tx) => {
      await lockOrders(tx, [orderNo]);
      const state = (await foldStored(tx, [orderNo])).get(orderNo);
      if (!state?.complete) throw new HqError(404, 'unknown_order', `HQ holds no order ${orderNo}`, 'orderNo');
      const event = shipmentEvent(state, lineNos, new Date());
      const doc: OrderEventDoc = { ...event, _deleted: false };
      await tx.query(
        'INSERT INTO order_events (id, order_no, store_id, register_id, seq, body, body_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [doc.id, doc.orderNo, HQ_STORE, HQ_STORE, doc.seq, JSON.stringify(doc), canonicalBodyHash(doc).bodyHash],
      );
      const [written] = await writeOrders(tx, [...(await foldStored(tx, [orderNo])).values()]);
      if (!written) throw new Error(`order ${orderNo} was not written after its shipment`);
      return written;
    });
  }

  /** Orders whose fold has exceptions, newest first, each with them; `storeId`: orders that store replicates. */
  async orderExceptions(opts: { storeId?: string; limit: number }): Promise<OrderExceptionsEntry[]> {
    const params: SqlParam[] = [opts.limit];
    let scope = '';
    if (opts.storeId) {
      params.push(opts.storeId);
      scope = 'AND $2 = ANY(stores)';
    }
    const rows = await this.sql.query<Row>(
      `SELECT ${ORDER_COLUMNS}, exceptions FROM orders
        WHERE exception_count > 0 AND NOT deleted ${scope}
        ORDER BY received_at DESC, id DESC LIMIT $1`,
      params,
    );
    return rows.map(exceptionsEntryFromRow);
  }

  // ---- registers and tokens ------------------------------------------------------------

  /** Issues a new register token (stored hashed) and revokes the register's earlier ones. */
  async enrol(
    storeId: string,
    registerId: string,
  ): Promise<{
    registerToken: string;
    lastSequence: number;
    lastHash: string | null;
    lastOrderSequence: number;
    lastReturnSequence: number;
    lastShiftSequence: number;
    expiresAt: string;
  }> {
    const [store] = await this.sql.query<{ registers: string[]; kind: string }>(
      'SELECT registers, kind FROM stores WHERE id = $1 AND NOT deleted',
      [storeId],
    );
    if (!store) throw new HqError(404, 'unknown_store', `no store ${storeId}`, 'storeId');
    if (!store.registers.includes(registerId)) {
      throw new HqError(404, 'unknown_register', `store ${storeId} has no register ${registerId}`, 'registerId');
    }
    return this.sql.transaction(async (tx) => {
      const issued = await this.issueToken(tx, storeId, registerId);
      // Where the register's numbering and chain stand at HQ: a reinstalled register continues both.
      const [row] = await tx.query<{ seq: number | string; hash: string | null }>(
        'SELECT seq, hash FROM sales WHERE store_id = $1 AND register_id = $2 ORDER BY seq DESC LIMIT 1',
        [storeId, registerId],
      );
      const [orders] = await tx.query<{ seq: number | string | null }>(
        'SELECT max(seq) AS seq FROM order_events WHERE store_id = $1 AND register_id = $2',
        [storeId, registerId],
      );
      const [returns] = await tx.query<{ seq: number | string | null }>('SELECT max(seq) AS seq FROM returns WHERE store_id = $1 AND register_id = $2', [storeId, registerId]);
      const [shifts] = await tx.query<{ seq: number | string | null }>('SELECT max(seq) AS seq FROM shift_events WHERE store_id = $1 AND register_id = $2', [storeId, registerId]);
      // Re-enrolment keeps the register's public keys: receipts it signed stay verifiable.
      return {
        ...issued,
        lastSequence: Number(row?.seq ?? 0),
        lastHash: row?.hash ?? null,
        lastOrderSequence: Number(orders?.seq ?? 0),
        lastReturnSequence: Number(returns?.seq ?? 0),
        lastShiftSequence: Number(shifts?.seq ?? 0),
      };
    });
  }

  /**
   * Adds a register's public key for receipt codes to its store's `register_keys` (a key HQ
   * holds already is not added again). Keys are never removed, so receipts signed with an older
   * key stay verifiable. The stores row is rewritten, so its new xid brings the key to every
   * register with the stores pull. Returns the register's keys.
   */
  async addRegisterKey(who: RegisterPrincipal, publicKey: string): Promise<{ storeId: string; registerId: string; publicKeys: string[]; added: boolean }> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query<{ register_keys: unknown }>('SELECT register_keys FROM stores WHERE id = $1 AND NOT deleted FOR UPDATE', [who.storeId]);
      if (!row) throw new HqError(404, 'unknown_store', `no store ${who.storeId}`, 'storeId');
      const mine = registerKeysOf(row.register_keys)[who.registerId] ?? [];
      const answer = { storeId: who.storeId, registerId: who.registerId };
      if (mine.includes(publicKey)) return { ...answer, publicKeys: mine, added: false };
      if (mine.length >= MAX_KEYS_PER_REGISTER) {
        throw new HqError(409, 'too_many_keys', `register ${who.storeId}-${who.registerId} has ${MAX_KEYS_PER_REGISTER} keys already`, 'publicKey');
      }
      const publicKeys = [...mine, publicKey];
      await tx.query('UPDATE stores SET register_keys = register_keys || jsonb_build_object($2::text, $3::jsonb) WHERE id = $1', [
        who.storeId,
        who.registerId,
        JSON.stringify(publicKeys),
      ]);
      await HqStore.notifyChanged(tx, ['stores']);
      return { ...answer, publicKeys, added: true };
    });
  }

  /**
   * A register swaps its token for a fresh one. The old one keeps working until the new one is
   * first used, so a renewal whose answer is lost on the way does not lock the register out, and
   * for REPLACED_TOKEN_GRACE_MS after that: requests the register sent with it just before it
   * switched are still on their way.
   */
  async renew(who: RegisterPrincipal): Promise<{ registerToken: string; expiresAt: string }> {
    return this.sql.transaction((tx) => this.issueToken(tx, who.storeId, who.registerId, { revokeOthers: false }));
  }

  private async issueToken(
    tx: Queryable,
    storeId: string,
    registerId: string,
    opts: { revokeOthers: boolean } = { revokeOthers: true },
  ): Promise<{ registerToken: string; expiresAt: string }> {
    const registerToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.tokenTtlMs).toISOString();
    if (opts.revokeOthers) {
      await tx.query('UPDATE register_tokens SET revoked_at = now() WHERE store_id = $1 AND register_id = $2 AND (revoked_at IS NULL OR revoked_at > now())', [
        storeId,
        registerId,
      ]);
    }
    await tx.query('INSERT INTO register_tokens (token_hash, store_id, register_id, expires_at) VALUES ($1, $2, $3, $4)', [
      hashToken(registerToken),
      storeId,
      registerId,
      expiresAt,
    ]);
    return { registerToken, expiresAt };
  }

  async checkToken(token: string): Promise<TokenCheck> {
    return this.checkTokenHash(hashToken(token));
  }

  /** checkToken for a token hashed already (HQ's request check keys its rate limit by the hash too). */
  async checkTokenHash(hash: string): Promise<TokenCheck> {
    const [row] = await this.sql.query<{ store_id: string; register_id: string; revoked: boolean; expired: boolean; expires_at: Date | string; first_use: boolean }>(
      `SELECT store_id, register_id, (revoked_at <= now()) IS TRUE AS revoked, expires_at <= now() AS expired, expires_at,
              first_used_at IS NULL AS first_use
         FROM register_tokens WHERE token_hash = $1`,
      [hash],
    );
    if (!row) return { principal: null, reason: 'unknown' };
    if (row.revoked) return { principal: null, reason: 'revoked' };
    if (row.expired) return { principal: null, reason: 'expired' };
    if (row.first_use) {
      // The first use of a (renewed) token retires the register's older tokens, after a grace
      // for the requests still on their way with them.
      await this.sql.transaction(async (tx) => {
        await tx.query('UPDATE register_tokens SET first_used_at = now() WHERE token_hash = $1 AND first_used_at IS NULL', [hash]);
        await tx.query(
          `UPDATE register_tokens SET revoked_at = now() + make_interval(secs => $4)
            WHERE store_id = $1 AND register_id = $2 AND token_hash <> $3 AND revoked_at IS NULL
              AND created_at <= (SELECT created_at FROM register_tokens WHERE token_hash = $3)`,
          [row.store_id, row.register_id, hash, REPLACED_TOKEN_GRACE_MS / 1000],
        );
      });
    }
    return { principal: { storeId: row.store_id, registerId: row.register_id }, expiresAt: new Date(row.expires_at).toISOString() };
  }

  /** Of these token hashes, those HQ would take now (known, neither withdrawn nor expired). */
  async validTokenHashes(hashes: readonly string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows = await this.sql.query<{ token_hash: string }>(
      `SELECT token_hash FROM register_tokens
        WHERE token_hash = ANY($1::text[]) AND (revoked_at <= now()) IS NOT TRUE AND expires_at > now()`,
      [toPgArray(hashes)],
    );
    return new Set(rows.map((r) => r.token_hash));
  }

  async authenticate(token: string): Promise<RegisterPrincipal | null> {
    return (await this.checkToken(token)).principal;
  }

  /** Revokes a register's tokens (a stolen or retired register); returns how many were live. */
  async revokeRegisterTokens(storeId: string, registerId: string): Promise<number> {
    const rows = await this.sql.query(
      'UPDATE register_tokens SET revoked_at = now() WHERE store_id = $1 AND register_id = $2 AND (revoked_at IS NULL OR revoked_at > now()) RETURNING token_hash',
      [storeId, registerId],
    );
    return rows.length;
  }

  // ---- settings ------------------------------------------------------------------------

  async getSetting(key: string): Promise<string | null> {
    const [row] = await this.sql.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return row?.value ?? null;
  }

  /** Sets a value unless one is there already; returns the value that holds. */
  async ensureSetting(key: string, value: string): Promise<string> {
    await this.sql.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
    return (await this.getSetting(key)) ?? value;
  }

  /** Wakes every HQ process's change stream; delivered when `tx` commits. */
  static async notifyChanged(tx: Queryable, collections: readonly PullCollection[]): Promise<void> {
    await tx.query(`SELECT pg_notify('${CHANGES_CHANNEL}', $1)`, [collections.join(',')]);
  }
}

