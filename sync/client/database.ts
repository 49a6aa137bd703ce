import {
  type MigrationStrategies,
  type RxCollection,
  type RxDatabase,
  type RxStorage,
  createRxDatabase,
  normalizeMangoQuery,
  prepareQuery,
} from 'rxdb';
import type { Table } from 'dexie';
import { fromDexieToStorage, getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { addRxPlugin } from 'rxdb/plugins/core';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { seal } from '../../src/chain.ts';
import { withoutBookkeeping } from './bookkeeping.ts';
import type { OrderEvent } from '../../src/order.ts';
import type { ShiftEvent } from '../../src/shift.ts';
import type { AssortmentDoc, OperatorDoc, OrderDoc, ProductDoc, ReturnDoc, SaleDoc, SettingsDoc, StockDoc, StoreDoc } from '../protocol/docs.ts';
import {
  type AckDoc,
  ackSchema,
  assortmentSchema,
  operatorSchema,
  orderEventSchema,
  orderSchema,
  productSchema,
  returnSchema,
  saleSchema,
  settingsSchema,
  shiftEventSchema,
  stockSchema,
  storeSchema,
} from './schemas.ts';

addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

type Doc<T> = Omit<T, '_deleted'>;
/** What RxDB adds to a document it hands a migration strategy. */
type RxFields = { _rev?: string; _attachments?: unknown };

export interface RegisterCollections {
  stores: RxCollection<Doc<StoreDoc>>;
  products: RxCollection<Doc<ProductDoc>>;
  assortment: RxCollection<Doc<AssortmentDoc>>;
  stock: RxCollection<Doc<StockDoc>>;
  sales: RxCollection<Doc<SaleDoc>>;
  acks: RxCollection<AckDoc>;
  /** HQ's orders concerning this store (pulled). */
  orders: RxCollection<Doc<OrderDoc>>;
  /** Order events made at this register (pushed). */
  orderEvents: RxCollection<OrderEvent>;
  /** The chain's settings; one document, id "orders" (pulled). */
  settings: RxCollection<Doc<SettingsDoc>>;
  /** Operators of this store and chain-wide ones, PINs hashed (pulled). */
  operators: RxCollection<Doc<OperatorDoc>>;
  /** Returns: this register's own (pushed) and HQ's taken at or bought at this store (pulled). */
  returns: RxCollection<Doc<ReturnDoc>>;
  /** Shift events made at this register: opened, cash in/out, closed with the Z report (pushed). */
  shiftEvents: RxCollection<ShiftEvent>;
}

export type RegisterDatabase = RxDatabase<RegisterCollections>;

/**
 * Migration strategies per collection and schema version. Version 0 needs none; when a schema
 * gets version 1, add `1: (oldDoc) => newDoc` here. Records not yet at HQ survive the migration.
 */
export const MIGRATIONS: Record<keyof RegisterCollections, MigrationStrategies> = {
  // Coordinates arrive with the store's next change at HQ; until then the town is shown.
  stores: {
    1: (old: Doc<StoreDoc>) => ({ ...old, groups: [], lat: null, lon: null }),
    // Keys arrive with the store's next change at HQ (every register's key registration is one).
    2: (old: Doc<StoreDoc>) => ({ ...old, registerKeys: {} }),
  },
  products: {},
  assortment: { 1: (old: Doc<AssortmentDoc>) => ({ ...old, groupId: null }) },
  // A figure pulled before marks existed: no sale of this register is known to be in it.
  stock: { 1: (old: Doc<StockDoc>) => ({ ...old, booked: {} }) },
  sales: {
    // Sales made before the chain existed become chain starts (HQ notes a restart, keeps them).
    // RxDB hands a strategy its own `_rev` and `_attachments` too: they are not the sale's
    // content, so they stay out of the hash (else HQ would find every such sale altered).
    1: (old: Doc<SaleDoc> & RxFields) => {
      const { _rev, _attachments, prevSeq: _s, prevHash: _p, hash: _h, ...sale } = old;
      return { ...seal(sale, null), _rev, _attachments };
    },
    // Version 2 only added optional fields (voids, a line's priceOverride): a sale stays as it
    // was, byte for byte, so its hash holds and HQ acknowledges it like any other.
    2: (old: Doc<SaleDoc>) => old,
  },
  acks: {},
  orders: {},
  orderEvents: {},
  settings: {},
  operators: {},
  returns: {},
  shiftEvents: {},
};

export function databaseName(storeId: string, registerId: string): string {
  return `kassa-${storeId}-${registerId}`.toLowerCase();
}

/** One database per register, on IndexedDB through Dexie. Tests may pass another storage. */
export async function openRegisterDatabase(name: string, storage?: RxStorage<unknown, unknown>): Promise<RegisterDatabase> {
  const db = await createRxDatabase<RegisterCollections>({
    name,
    // Strict durability: IndexedDB reports a write done only once it is on disk, so a power cut
    // right after "sale complete" cannot lose the sale (Chromium's default is relaxed).
    storage: storage ?? getRxStorageDexie({ chromeTransactionDurability: 'strict' }),
    localDocuments: true,
    multiInstance: false,
    eventReduce: true,
    closeDuplicates: true,
    // The refused-records count filters acks by status; acks stay small, so a scan is fine.
    allowSlowCount: true,
  });
  await db.addCollections({
    stores: { schema: storeSchema, migrationStrategies: MIGRATIONS.stores },
    products: { schema: productSchema, migrationStrategies: MIGRATIONS.products },
    assortment: { schema: assortmentSchema, migrationStrategies: MIGRATIONS.assortment },
    stock: { schema: stockSchema, migrationStrategies: MIGRATIONS.stock },
    sales: { schema: saleSchema, migrationStrategies: MIGRATIONS.sales },
    acks: { schema: ackSchema, migrationStrategies: MIGRATIONS.acks },
    orders: { schema: orderSchema, migrationStrategies: MIGRATIONS.orders },
    orderEvents: { schema: orderEventSchema, migrationStrategies: MIGRATIONS.orderEvents },
    settings: { schema: settingsSchema, migrationStrategies: MIGRATIONS.settings },
    operators: { schema: operatorSchema, migrationStrategies: MIGRATIONS.operators },
    returns: { schema: returnSchema, migrationStrategies: MIGRATIONS.returns },
    shiftEvents: { schema: shiftEventSchema, migrationStrategies: MIGRATIONS.shiftEvents },
  });
  return db;
}

/**
 * Every live document of a collection, as plain data, in pages in id order — straight from the
 * storage, without building an RxDocument per row (a register reads its whole catalog at start,
 * and documents cost time and memory it does not need). `each` gets one page at a time.
 */
export async function readAll<T extends { id: string }>(collection: RxCollection<T>, each: (docs: T[]) => void, pageSize = 5000): Promise<number> {
  const dexie = await dexieInternals(collection);
  if (dexie) return readAllFromDexie(dexie, each, pageSize);
  let after: string | null = null;
  let n = 0;
  for (;;) {
    // `_deleted` first: the storage's primary index is [_deleted, id], so this is a range read.
    const selector = (after === null ? { _deleted: { $eq: false } } : { _deleted: { $eq: false }, id: { $gt: after } }) as never;
    const query = normalizeMangoQuery<T>(collection.schema.jsonSchema, { selector, sort: [{ id: 'asc' } as never], limit: pageSize });
    const { documents } = await collection.storageInstance.query(prepareQuery(collection.schema.jsonSchema, query));
    if (documents.length === 0) return n;
    const live: T[] = [];
    for (const d of documents) {
      if (d._deleted) continue;
      // RxDB's bookkeeping stays in the storage.
      live.push(withoutBookkeeping(d) as unknown as T);
    }
    n += live.length;
    each(live);
    after = (documents[documents.length - 1] as { id: string }).id;
    if (documents.length < pageSize) return n;
  }
}


/**
 * Live documents of a collection, counted by the storage itself. Not RxDB's `count()`: its
 * result is cached and refreshed by RxDB's change events, and the first sync's bulk pages
 * (catalog-pull.ts) are written without any.
 */
export async function countLive<T>(collection: RxCollection<T>): Promise<number> {
  const query = normalizeMangoQuery<T>(collection.schema.jsonSchema, { selector: { _deleted: { $eq: false } } as never });
  const { count } = await collection.storageInstance.count(prepareQuery(collection.schema.jsonSchema, query));
  return count;
}

/** What RxDB's Dexie storage keeps of a collection (its `internals`): the table and the boolean indexes it stores as '1'/'0'. */
interface DexieInternals {
  dexieTable: Table<Record<string, unknown>, string>;
  booleanIndexes: string[];
}

export async function dexieInternals(collection: { storageInstance: unknown }): Promise<DexieInternals | null> {
  // RxDB's Dexie storage instance holds a promise of its internals; any other storage has none.
  const internals = await (collection.storageInstance as unknown as { internals?: Promise<Partial<DexieInternals>> | Partial<DexieInternals> }).internals;
  return internals?.dexieTable && Array.isArray(internals.booleanIndexes) ? (internals as DexieInternals) : null;
}

/**
 * The same read on the Dexie storage, by primary-key ranges: Dexie answers `where(':id').above()
 * .limit()` with one IndexedDB getAll per page, where RxDB's query walks a cursor one row at a
 * time (at 1.5 M rows, the cold start was that cursor). Rows come back as RxDB stores them
 * (booleans of indexed fields as '1'/'0', `|`-prefixed keys escaped): fromDexieToStorage
 * turns them into documents again.
 */
async function readAllFromDexie<T extends { id: string }>(dexie: DexieInternals, each: (docs: T[]) => void, pageSize: number): Promise<number> {
  let after: string | null = null;
  let n = 0;
  for (;;) {
    const rows: Record<string, unknown>[] = await (after === null ? dexie.dexieTable.orderBy(':id') : dexie.dexieTable.where(':id').above(after)).limit(pageSize).toArray();
    if (rows.length === 0) return n;
    const live: T[] = [];
    for (const row of rows) {
      const d = fromDexieToStorage(dexie.booleanIndexes, row) as Record<string, unknown>;
      if (d._deleted) continue;
      live.push(withoutBookkeeping(d) as unknown as T);
    }
    n += live.length;
    each(live);
    after = (rows[rows.length - 1] as { id: string }).id;
    if (rows.length < pageSize) return n;
  }
}
