import { type AssortmentDoc, type OperatorDoc, type ProductDoc, type StockDoc, type StoreDoc, hashPin } from '../protocol/index.ts';
import { type DemoOptions, demoAssortment, demoLocations, demoProducts, demoStock } from '../../resources/demo/generate.ts';
import { HqStore, multiInsert } from './store.ts';
import type { Queryable, Sql, SqlParam } from './sql.ts';

const BATCH = 1000;

async function insertBatches<T>(
  sql: Sql,
  table: string,
  columns: readonly string[],
  rows: Iterable<T>,
  toParams: (row: T) => SqlParam[],
  onProgress?: (table: string, n: number) => void,
): Promise<number> {
  let batch: SqlParam[][] = [];
  let n = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const [text, params] = multiInsert(table, columns, batch);
    await sql.query(text, params);
    n += batch.length;
    batch = [];
    onProgress?.(table, n);
  };
  for (const row of rows) {
    batch.push(toParams(row));
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return n;
}

export interface SeedResult {
  locations: number;
  products: number;
  assortment: number;
  stock: number;
  operators: number;
  ms: number;
}

/** The demo chain's operators: they work at every store. The PINs are for the demo only and are stored hashed. */
export const DEMO_OPERATORS: readonly (Pick<OperatorDoc, 'id' | 'name' | 'role'> & { pin: string })[] = [
  { id: '100', name: 'Kassa Medewerker', role: 'cashier', pin: '1234' },
  { id: '900', name: 'Bedrijfsleider', role: 'manager', pin: '9999' },
];

/** The demo operators' rows, PINs hashed (slow on purpose: done before any transaction). */
async function demoOperatorRows(): Promise<SqlParam[][]> {
  return Promise.all(
    DEMO_OPERATORS.map(async (o) => {
      const h = await hashPin(o.pin);
      return [o.id, o.name, o.role, null, h.pinHash, h.pinSalt, h.pinIterations];
    }),
  );
}

/** Inserts operator rows (an operator HQ holds already is kept); returns how many were new. */
async function insertOperators(tx: Queryable, rows: SqlParam[][]): Promise<number> {
  const [text, params] = multiInsert('operators', ['id', 'name', 'role', 'store_id', 'pin_hash', 'pin_salt', 'pin_iterations'], rows, 'ON CONFLICT (id) DO NOTHING RETURNING id');
  const inserted = await tx.query(text, params);
  if (inserted.length) await HqStore.notifyChanged(tx, ['operators']);
  return inserted.length;
}

/**
 * When the demo's stock was counted: 06:00 UTC on the day it is seeded for, or the moment of
 * seeding when that is earlier (HQ started after midnight). A figure is never from the future:
 * the register shows its age, and booking a sale sets it to now.
 */
export function countedBy(today: string, now: Date): string {
  const morning = `${today}T06:00:00.000Z`;
  return Date.parse(morning) <= now.getTime() ? morning : now.toISOString();
}

/**
 * Seeds the demo chain into an empty database. When stores exist it seeds nothing, except the
 * demo operators into a demo chain seeded before operators existed (its operators table is
 * empty), so the demo can still be signed in to.
 */
export async function seedDemo(sql: Sql, opts: DemoOptions, onProgress?: (table: string, n: number) => void): Promise<SeedResult | null> {
  const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM stores');
  if (Number(row?.n ?? 0) > 0) {
    const [ops] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM operators');
    if (Number(ops?.n ?? 0) === 0) {
      const rows = await demoOperatorRows();
      await sql.transaction((tx) => insertOperators(tx, rows));
    }
    return null;
  }
  const started = Date.now();
  // A seed cut off half-way left no stores behind: start over from empty tables.
  await sql.exec('TRUNCATE products, assortment, stock');
  const locations: Omit<StoreDoc, '_deleted'>[] = demoLocations();
  const products = await insertBatches(
    sql,
    'products',
    ['id', 'item_number', 'barcode', 'name', 'category', 'price_cents', 'vat'],
    demoProducts(opts),
    (p: Omit<ProductDoc, '_deleted'>) => [p.id, p.itemNumber, p.barcode, p.name, p.category, p.priceCents, p.vat],
    onProgress,
  );
  const assortment = await insertBatches(
    sql,
    'assortment',
    ['id', 'store_id', 'product_id', 'valid_from', 'valid_to'],
    demoAssortment(opts, locations),
    (a: Omit<AssortmentDoc, '_deleted'>) => [a.id, a.storeId, a.productId, a.validFrom, a.validTo],
    onProgress,
  );
  const stock = await insertBatches(
    sql,
    'stock',
    ['id', 'location_id', 'product_id', 'on_hand', 'reserved', 'as_of'],
    demoStock({ ...opts, stockAsOf: opts.stockAsOf ?? countedBy(opts.today, new Date()) }, locations),
    (s: Omit<StockDoc, '_deleted'>) => [s.id, s.locationId, s.productId, s.onHand, s.reserved, s.asOf],
    onProgress,
  );
  // Stores last: "stores exist" means the seed is complete. The chain's order settings are
  // there already (migrate writes them); the operators come with the stores.
  const operatorRows = await demoOperatorRows();
  const operators = await sql.transaction(async (tx) => {
    const [text, params] = multiInsert(
      'stores',
      ['id', 'name', 'town', 'kind', 'registers', 'groups', 'lat', 'lon', 'register_keys'],
      locations.map((l) => [l.id, l.name, l.town, l.kind, `{${l.registers.join(',')}}`, `{${l.groups.join(',')}}`, l.lat, l.lon, JSON.stringify(l.registerKeys)]),
    );
    await tx.query(text, params);
    const n = await insertOperators(tx, operatorRows);
    await HqStore.notifyChanged(tx, ['stores', 'products', 'assortment', 'stock', 'settings']);
    return n;
  });
  return { locations: locations.length, products, assortment, stock, operators, ms: Date.now() - started };
}
