import { z } from 'zod';
import { MAX_CENTS } from '../../src/money.ts';
import { PIN_PATTERN, type PinHash, hashPin } from '../protocol/pin.ts';
import { LOCATION_ID, isStorableText } from '../protocol/validate.ts';
import type { PullCollection } from '../protocol/docs.ts';
import { HqError } from './errors.ts';
import type { Queryable, Sql, SqlParam } from './sql.ts';
import { HqStore, multiInsert, toPgArray } from './store.ts';

/**
 * Master data from files, as IT feeds it from an ERP: products, assortment lines (for a store
 * or a store group), prices, stock, store-group membership and operators, as CSV (a header row, comma-separated, "quoted" fields) or JSON (an array of objects).
 * A file is applied whole or not at all: every bad row is reported with its line number, the
 * field and the reason, and then nothing of the file is written.
 */
export const IMPORT_KINDS = ['products', 'assortment', 'prices', 'stock', 'store-groups', 'operators'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportProblem {
  /** CSV: the line in the file (the header is line 1). JSON: the item's position, from 1. */
  line: number;
  field: string;
  reason: string;
}

export class ImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    const first = problems[0];
    super(first ? `line ${first.line}: ${first.field ? `${first.field}: ` : ''}${first.reason}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}` : 'invalid file');
    this.name = 'ImportError';
  }
}

const text = (max: number) => z.string().trim().min(1).max(max).refine(isStorableText, 'must be plain text');
const id = z.string().trim().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes');
const location = z.string().trim().regex(LOCATION_ID, 'must be 1-8 capitals or digits');
const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const int = (min: number, max: number) => z.coerce.number().int('must be a whole number').min(min).max(max);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null || v === undefined ? undefined : v), schema.optional());

const SCHEMAS = {
  products: z.strictObject({
    id,
    itemNumber: id,
    barcode: optional(z.string().trim().regex(/^\d{8,14}$/, 'must be 8-14 digits')),
    name: text(200),
    category: text(100),
    priceCents: int(0, MAX_CENTS),
    vat: z.enum(['high', 'low', 'zero']),
  }),
  assortment: z
    .strictObject({ storeId: optional(location), groupId: optional(location), productId: id, validFrom: day, validTo: optional(day) })
    .refine((r) => (r.storeId === undefined) !== (r.groupId === undefined), { message: 'give either storeId or groupId, not both', path: ['storeId'] })
    .refine((r) => r.validTo === undefined || r.validTo >= r.validFrom, { message: 'must not be before validFrom', path: ['validTo'] }),
  'store-groups': z.strictObject({ groupId: location, storeId: location }),
  prices: z.strictObject({ productId: id, priceCents: int(0, MAX_CENTS) }),
  stock: z.strictObject({ locationId: location, productId: id, onHand: int(-1_000_000, 1_000_000), reserved: optional(int(0, 1_000_000)) }),
  // An operator signs in with the PIN; HQ keeps only its slow hash. No storeId: every store.
  operators: z.strictObject({
    id: z.string().trim().regex(/^[A-Za-z0-9._-]{1,32}$/, 'must be 1-32 letters, digits, dots, dashes'),
    name: text(200),
    role: z.enum(['cashier', 'manager'], { error: 'must be cashier or manager' }),
    storeId: optional(location),
    // A JSON number has no leading zeros to lose, so 1234 is taken as "1234".
    pin: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string({ error: 'must be 4 to 8 digits' }).trim().regex(PIN_PATTERN, 'must be 4 to 8 digits')),
  }),
} as const;

type Rows = { [K in ImportKind]: z.infer<(typeof SCHEMAS)[K]> };
/** A checked row and where it was in the file. */
export interface ImportRow<K extends ImportKind> {
  line: number;
  value: Rows[K];
}

/** RFC 4180-ish CSV: commas, "quoted" fields with "" for a quote, CRLF or LF. Returns rows with their line numbers. */
export function parseCsv(textIn: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const text = textIn.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.length > 1 || cells[0] !== '') out.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) throw new ImportError([{ line: rowLine, field: '', reason: 'a quoted field is not closed' }]);
  cells.push(cell);
  if (cells.length > 1 || cells[0] !== '') out.push({ line: rowLine, cells });
  return out;
}

/** Reads and checks a whole file; throws ImportError listing every bad row (up to 100). */
export function parseImport<K extends ImportKind>(kind: K, format: 'csv' | 'json', body: string): ImportRow<K>[] {
  const schema = SCHEMAS[kind];
  let records: { line: number; value: unknown }[];
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      throw new ImportError([{ line: 0, field: '', reason: `not JSON: ${(e as Error).message}` }]);
    }
    if (!Array.isArray(parsed)) throw new ImportError([{ line: 0, field: '', reason: 'must be a JSON array of objects' }]);
    records = parsed.map((value, i) => ({ line: i + 1, value }));
  } else {
    const [header, ...rows] = parseCsv(body);
    if (!header) throw new ImportError([{ line: 1, field: '', reason: 'the file is empty' }]);
    const names = header.cells.map((h) => h.trim());
    records = rows.map((r) => {
      if (r.cells.length !== names.length) return { line: r.line, value: Symbol.for(`has ${r.cells.length} fields, the header ${names.length}`) };
      return { line: r.line, value: Object.fromEntries(names.map((n, i) => [n, r.cells[i]])) };
    });
  }
  if (records.length === 0) throw new ImportError([{ line: 1, field: '', reason: 'the file has no rows' }]);
  const problems: ImportProblem[] = [];
  const rows: ImportRow<K>[] = [];
  for (const r of records) {
    if (typeof r.value === 'symbol') {
      problems.push({ line: r.line, field: '', reason: r.value.description ?? 'wrong number of fields' });
      continue;
    }
    const res = schema.safeParse(r.value);
    if (res.success) rows.push({ line: r.line, value: res.data as Rows[K] });
    else for (const issue of res.error.issues) {
      const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
      problems.push({ line: r.line, field, reason: issue.code === 'unrecognized_keys' ? 'is not a column of this kind of file' : issue.message });
    }
    if (problems.length >= 100) break;
  }
  if (problems.length) throw new ImportError(problems);
  return rows;
}

export function importFormat(contentTypeOrName: string): 'csv' | 'json' | null {
  const s = contentTypeOrName.toLowerCase();
  if (s.includes('json')) return 'json';
  if (s.includes('csv')) return 'csv';
  return null;
}

const CHUNK = 1000;

async function chunked<T>(rows: readonly T[], fn: (chunk: readonly T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await fn(rows.slice(i, i + CHUNK));
}

/** Applies checked rows in one transaction, then wakes the registers' streams. */
export async function applyImport<K extends ImportKind>(sql: Sql, kind: K, parsed: readonly ImportRow<K>[]): Promise<{ kind: K; rows: number }> {
  const lines = parsed.map((r) => r.line);
  const rows = parsed.map((r) => r.value);
  // PINs are hashed (slow on purpose) before the transaction, so it holds no connection meanwhile.
  const pinHashes = kind === 'operators' ? await hashPins((rows as unknown as readonly Rows['operators'][]).map((r) => r.pin)) : [];
  // Rows must name products and locations HQ knows.
  const missingAt = async (tx: Queryable, query: string, refs: readonly { id: string; line: number }[], what: string, field: string) => {
    if (refs.length === 0) return;
    const found = new Set((await tx.query<{ id: string }>(query, [toPgArray([...new Set(refs.map((x) => x.id))])])).map((row) => row.id));
    const problems = refs.flatMap((x) => (found.has(x.id) ? [] : [{ line: x.line, field, reason: `no ${what} ${x.id}` }]));
    if (problems.length) throw new ImportError(problems.slice(0, 100));
  };
  const missing = async (tx: Queryable, table: string, ids: string[], what: string, field: string) => {
    const found = new Set((await tx.query<{ id: string }>(`SELECT id FROM ${table} WHERE id = ANY($1::text[])`, [toPgArray([...new Set(ids)])])).map((r) => r.id));
    const problems = ids.flatMap((x, i) => (found.has(x) ? [] : [{ line: lines[i] ?? 0, field, reason: `no ${what} ${x}` }]));
    if (problems.length) throw new ImportError(problems.slice(0, 100));
  };
  await sql.transaction(async (tx) => {
    const collections: PullCollection[] = [];
    if (kind === 'products') {
      const r = rows as unknown as readonly Rows['products'][];
      await chunked(r, async (c) => {
        const [q, p] = multiInsert('products', ['id', 'item_number', 'barcode', 'name', 'category', 'price_cents', 'vat'], c.map((x) => [x.id, x.itemNumber, x.barcode ?? null, x.name, x.category, x.priceCents, x.vat]),
          'ON CONFLICT (id) DO UPDATE SET item_number = EXCLUDED.item_number, barcode = EXCLUDED.barcode, name = EXCLUDED.name, category = EXCLUDED.category, price_cents = EXCLUDED.price_cents, vat = EXCLUDED.vat, deleted = false');
        await tx.query(q, p);
      });
      collections.push('products');
    } else if (kind === 'prices') {
      const r = rows as unknown as readonly Rows['prices'][];
      await missing(tx, 'products', r.map((x) => x.productId), 'product', 'productId');
      await tx.query('CREATE TEMP TABLE price_import (id text, price_cents bigint) ON COMMIT DROP');
      await chunked(r, async (c) => {
        const [q, p] = multiInsert('price_import', ['id', 'price_cents'], c.map((x) => [x.productId, x.priceCents]));
        await tx.query(q, p);
      });
      await tx.query('UPDATE products SET price_cents = pi.price_cents FROM price_import pi WHERE products.id = pi.id AND products.price_cents <> pi.price_cents');
      collections.push('products');
    } else if (kind === 'assortment') {
      const r = rows as unknown as readonly Rows['assortment'][];
      await missing(tx, 'products', r.map((x) => x.productId), 'product', 'productId');
      const storeRows = r.flatMap((x, i) => (x.storeId === undefined ? [] : [{ id: x.storeId, line: lines[i] ?? 0 }]));
      const groupRows = r.flatMap((x, i) => (x.groupId === undefined ? [] : [{ id: x.groupId, line: lines[i] ?? 0 }]));
      await missingAt(tx, "SELECT id FROM stores WHERE kind = 'store' AND id = ANY($1::text[])", storeRows, 'store', 'storeId');
      // A group exists once a store is in it (a typo would otherwise make a line nobody gets).
      await missingAt(tx, 'SELECT DISTINCT unnest(groups) AS id FROM stores WHERE groups && $1::text[]', groupRows, 'store group', 'groupId');
      await chunked(r, async (c) => {
        const [q, p] = multiInsert('assortment', ['id', 'store_id', 'group_id', 'product_id', 'valid_from', 'valid_to'],
          c.map((x) => [assortmentLineId(x), x.storeId ?? null, x.groupId ?? null, x.productId, x.validFrom, x.validTo ?? null]),
          'ON CONFLICT (id) DO UPDATE SET valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, deleted = false');
        await tx.query(q, p);
      });
      collections.push('assortment');
    } else if (kind === 'store-groups') {
      // The file gives each group it names its complete membership: stores left out leave it.
      const r = rows as unknown as readonly Rows['store-groups'][];
      await missingAt(tx, "SELECT id FROM stores WHERE kind = 'store' AND id = ANY($1::text[])", r.map((x, i) => ({ id: x.storeId, line: lines[i] ?? 0 })), 'store', 'storeId');
      const members = new Map<string, string[]>();
      for (const x of r) members.set(x.groupId, [...(members.get(x.groupId) ?? []), x.storeId]);
      const groups = [...members.keys()];
      const stores = await tx.query<{ id: string; groups: string[] }>('SELECT id, groups FROM stores ORDER BY id');
      for (const s of stores) {
        const kept = s.groups.filter((g) => !members.has(g));
        const joined = groups.filter((g) => members.get(g)?.includes(s.id));
        const next = [...kept, ...joined].sort();
        if (next.join() !== [...s.groups].sort().join()) await tx.query('UPDATE stores SET groups = $1::text[] WHERE id = $2', [toPgArray(next), s.id]);
      }
      collections.push('stores');
    } else if (kind === 'operators') {
      const r = rows as unknown as readonly Rows['operators'][];
      const firstLine = new Map<string, number>();
      const twice = r.flatMap((x, i) => {
        const line = lines[i] ?? 0;
        const first = firstLine.get(x.id);
        if (first === undefined) firstLine.set(x.id, line);
        return first === undefined ? [] : [{ line, field: 'id', reason: `operator ${x.id} is in the file twice (line ${first})` }];
      });
      if (twice.length) throw new ImportError(twice.slice(0, 100));
      await missingAt(tx, "SELECT id FROM stores WHERE kind = 'store' AND id = ANY($1::text[])", r.flatMap((x, i) => (x.storeId === undefined ? [] : [{ id: x.storeId, line: lines[i] ?? 0 }])), 'store', 'storeId');
      const values = r.map((x, i): SqlParam[] => {
        const h = pinHashes[i];
        if (!h) throw new Error('an operator PIN was not hashed');
        return [x.id, x.name, x.role, x.storeId ?? null, h.pinHash, h.pinSalt, h.pinIterations];
      });
      await chunked(values, async (c) => {
        const [q, p] = multiInsert('operators', ['id', 'name', 'role', 'store_id', 'pin_hash', 'pin_salt', 'pin_iterations'], c,
          'ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, store_id = EXCLUDED.store_id, pin_hash = EXCLUDED.pin_hash, pin_salt = EXCLUDED.pin_salt, pin_iterations = EXCLUDED.pin_iterations, deleted = false');
        await tx.query(q, p);
      });
      collections.push('operators');
    } else {
      const r = rows as unknown as readonly Rows['stock'][];
      await missing(tx, 'products', r.map((x) => x.productId), 'product', 'productId');
      await missing(tx, 'stores', r.map((x) => x.locationId), 'store or warehouse', 'locationId');
      await chunked(r, async (c) => {
        const [q, p] = multiInsert('stock', ['id', 'location_id', 'product_id', 'on_hand', 'reserved', 'as_of'], c.map((x) => [`${x.locationId}:${x.productId}`, x.locationId, x.productId, x.onHand, x.reserved ?? 0, new Date().toISOString()]),
          'ON CONFLICT (id) DO UPDATE SET on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved, as_of = EXCLUDED.as_of, deleted = false');
        await tx.query(q, p);
      });
      collections.push('stock');
    }
    await HqStore.notifyChanged(tx, collections);
  });
  return { kind, rows: rows.length };
}

/** Hashes PINs a few at a time (PBKDF2 runs on Node's thread pool). */
async function hashPins(pins: readonly string[]): Promise<PinHash[]> {
  const out: PinHash[] = [];
  for (let i = 0; i < pins.length; i += 8) out.push(...(await Promise.all(pins.slice(i, i + 8).map((pin) => hashPin(pin)))));
  return out;
}

/** A store's own line is "store:product" (as before groups existed); a group's is "group:G:product". */
export function assortmentLineId(line: { storeId?: string | undefined; groupId?: string | undefined; productId: string }): string {
  return line.groupId === undefined ? `${line.storeId ?? ''}:${line.productId}` : `group:${line.groupId}:${line.productId}`;
}

/** For HTTP: an ImportError as HQ's error body, with every problem. */
export function importErrorBody(e: ImportError): { error: string; message: string; field?: string; problems: ImportProblem[] } {
  return { error: 'invalid_file', message: e.message, ...(e.problems[0]?.field ? { field: e.problems[0].field } : {}), problems: e.problems };
}

export function checkKind(kind: string): ImportKind {
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new HqError(404, 'unknown_kind', `import kinds are ${IMPORT_KINDS.join(', ')}`, 'kind');
  return kind as ImportKind;
}
