import { createHash, randomBytes } from 'node:crypto';
import type {
  AssortmentDoc,
  Checkpoint,
  PullCollection,
  ProductDoc,
  SaleDoc,
  StockDoc,
  StoreDoc,
} from '../protocol/index.ts';
import { canonicalJson } from '../protocol/validate.ts';
import { HqError } from './errors.ts';
import type { Queryable, Sql, SqlParam } from './sql.ts';

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
  /** Column that scopes rows to the register's store, or null for chain-wide data. */
  scope: string | null;
  toDoc(row: Row): unknown;
}

const str = (v: unknown): string => String(v);
const isoDate = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

const PULL: Record<PullCollection, PullSpec> = {
  stores: {
    table: 'stores',
    columns: 'id, name, town, kind, registers, deleted',
    scope: null,
    toDoc: (r): StoreDoc => ({
      id: str(r.id),
      name: str(r.name),
      town: str(r.town),
      kind: r.kind === 'warehouse' ? 'warehouse' : 'store',
      registers: (r.registers as string[] | null) ?? [],
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
    columns: "id, store_id, product_id, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to, deleted",
    scope: 'store_id',
    toDoc: (r): AssortmentDoc => ({
      id: str(r.id),
      storeId: str(r.store_id),
      productId: str(r.product_id),
      validFrom: isoDate(r.valid_from) ?? '',
      validTo: isoDate(r.valid_to),
      _deleted: Boolean(r.deleted),
    }),
  },
  stock: {
    table: 'stock',
    columns: 'id, location_id, product_id, on_hand, reserved, as_of, deleted',
    scope: 'location_id',
    toDoc: (r): StockDoc => ({
      id: str(r.id),
      locationId: str(r.location_id),
      productId: str(r.product_id),
      onHand: Number(r.on_hand),
      reserved: Number(r.reserved),
      asOf: r.as_of instanceof Date ? r.as_of.toISOString() : new Date(str(r.as_of)).toISOString(),
      _deleted: Boolean(r.deleted),
    }),
  },
};

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function bodyHash(doc: unknown): string {
  return createHash('sha256').update(canonicalJson(doc)).digest('hex');
}

/** Multi-row INSERT: `rows` of equal length, `columns` named; returns text and flat params. */
export function multiInsert(table: string, columns: readonly string[], rows: readonly SqlParam[][], suffix = ''): [string, SqlParam[]] {
  const params: SqlParam[] = [];
  const values = rows.map((row) => {
    const ph = row.map((v) => {
      params.push(v);
      return `$${params.length}`;
    });
    return `(${ph.join(', ')})`;
  });
  return [`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ${suffix}`, params];
}

export class HqStore {
  constructor(readonly sql: Sql) {}

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
      scope = `AND ${spec.scope} = $4`;
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
      where += ` AND ${spec.scope} = $1`;
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
    const sorted = [...docs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const unique = sorted.filter((d, i) => i === 0 || sorted[i - 1]?.id !== d.id);
    return this.sql.transaction(async (tx) => {
      const hashes = new Map(unique.map((d) => [d.id, bodyHash(d)]));
      const [text, params] = multiInsert(
        'sales',
        ['id', 'store_id', 'register_id', 'seq', 'receipt_no', 'total_cents', 'body', 'body_hash'],
        unique.map((d) => [d.id, d.storeId, d.registerId, d.seq, d.receiptNo, d.totalCents, JSON.stringify(d), hashes.get(d.id) ?? '']),
        'ON CONFLICT (id) DO NOTHING RETURNING id',
      );
      const inserted = new Set((await tx.query<{ id: string }>(text, params)).map((r) => r.id));
      const existingIds = unique.filter((d) => !inserted.has(d.id)).map((d) => d.id);
      if (existingIds.length === 0) return [];
      const existing = await tx.query<{ id: string; body: SaleDoc; body_hash: string }>(
        'SELECT id, body, body_hash FROM sales WHERE id = ANY($1::text[])',
        [toPgArray(existingIds)],
      );
      const conflicts: SaleDoc[] = [];
      for (const row of existing) {
        if (row.body_hash === hashes.get(row.id)) continue;
        const refused = unique.find((d) => d.id === row.id);
        conflicts.push(row.body);
        await tx.query(
          'INSERT INTO alerts (kind, record_id, store_id, register_id, body, message) VALUES ($1, $2, $3, $4, $5, $6)',
          [
            'conflicting_record',
            row.id,
            who.storeId,
            who.registerId,
            JSON.stringify(refused ?? null),
            `sale ${row.id} was sent again with another body; HQ keeps the first and refused this one`,
          ],
        );
      }
      return conflicts;
    });
  }

  async listSales(storeId: string, limit: number): Promise<(SaleDoc & { receivedAt: string })[]> {
    const rows = await this.sql.query<{ body: SaleDoc; received_at: Date | string }>(
      'SELECT body, received_at FROM sales WHERE store_id = $1 ORDER BY received_at DESC, seq DESC, id DESC LIMIT $2',
      [storeId, limit],
    );
    return rows.map((r) => ({ ...r.body, receivedAt: new Date(r.received_at).toISOString() }));
  }

  async alerts(): Promise<{ kind: string; recordId: string; message: string; body: unknown }[]> {
    const rows = await this.sql.query<Row>('SELECT kind, record_id, message, body FROM alerts ORDER BY id');
    return rows.map((r) => ({ kind: str(r.kind), recordId: str(r.record_id), message: str(r.message), body: r.body }));
  }

  // ---- registers and tokens ------------------------------------------------------------

  /** Issues a new register token (stored hashed) and revokes the register's earlier ones. */
  async enrol(storeId: string, registerId: string): Promise<{ registerToken: string; lastSequence: number }> {
    const [store] = await this.sql.query<{ registers: string[]; kind: string }>(
      'SELECT registers, kind FROM stores WHERE id = $1 AND NOT deleted',
      [storeId],
    );
    if (!store) throw new HqError(404, 'unknown_store', `no store ${storeId}`, 'storeId');
    if (!store.registers.includes(registerId)) {
      throw new HqError(404, 'unknown_register', `store ${storeId} has no register ${registerId}`, 'registerId');
    }
    const registerToken = randomBytes(32).toString('base64url');
    return this.sql.transaction(async (tx) => {
      await tx.query(
        'UPDATE register_tokens SET revoked_at = now() WHERE store_id = $1 AND register_id = $2 AND revoked_at IS NULL',
        [storeId, registerId],
      );
      await tx.query('INSERT INTO register_tokens (token_hash, store_id, register_id) VALUES ($1, $2, $3)', [
        hashToken(registerToken),
        storeId,
        registerId,
      ]);
      const [row] = await tx.query<{ last: number | string }>(
        'SELECT coalesce(max(seq), 0) AS last FROM sales WHERE store_id = $1 AND register_id = $2',
        [storeId, registerId],
      );
      return { registerToken, lastSequence: Number(row?.last ?? 0) };
    });
  }

  async authenticate(token: string): Promise<RegisterPrincipal | null> {
    const [row] = await this.sql.query<{ store_id: string; register_id: string }>(
      'SELECT store_id, register_id FROM register_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
      [hashToken(token)],
    );
    return row ? { storeId: row.store_id, registerId: row.register_id } : null;
  }

  async revokeRegisterTokens(storeId: string, registerId: string): Promise<void> {
    await this.sql.query('UPDATE register_tokens SET revoked_at = now() WHERE store_id = $1 AND register_id = $2', [storeId, registerId]);
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

/** A text[] literal for `= ANY($1::text[])`. */
export function toPgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
