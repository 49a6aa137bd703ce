import { DEFAULT_ORDER_SETTINGS } from '../../src/order.ts';
import type { Sql } from './sql.ts';

/**
 * The schema, as an ordered list of migrations. The same SQL serves PGlite and PostgreSQL.
 * Never edit an applied migration: add the next one.
 *
 * Every table a register pulls carries `xid xid8`, the id of the transaction that last wrote the
 * row, set by a trigger (also on update). Pulls serve rows ordered by (xid, id) and only rows
 * whose transaction is older than every transaction still running (see store.ts), so a
 * transaction that commits late can never be skipped.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'walking skeleton',
    sql: `
CREATE OR REPLACE FUNCTION kassa_set_xid() RETURNS trigger AS $$
BEGIN
  NEW.xid := pg_current_xact_id();
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TABLE stores (
  id text PRIMARY KEY,
  name text NOT NULL,
  town text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('store', 'warehouse')),
  registers text[] NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE products (
  id text PRIMARY KEY,
  item_number text NOT NULL,
  barcode text,
  name text NOT NULL,
  category text NOT NULL,
  price_cents bigint NOT NULL CHECK (price_cents >= 0),
  vat text NOT NULL CHECK (vat IN ('high', 'low', 'zero')),
  deleted boolean NOT NULL DEFAULT false,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX products_barcode ON products (barcode);
CREATE INDEX products_item_number ON products (item_number);

CREATE TABLE assortment (
  id text PRIMARY KEY,
  store_id text NOT NULL,
  product_id text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  deleted boolean NOT NULL DEFAULT false,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX assortment_store ON assortment (store_id, xid, id);

CREATE TABLE stock (
  id text PRIMARY KEY,
  location_id text NOT NULL,
  product_id text NOT NULL,
  on_hand integer NOT NULL,
  reserved integer NOT NULL DEFAULT 0,
  as_of timestamptz NOT NULL DEFAULT now(),
  deleted boolean NOT NULL DEFAULT false,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX stock_location ON stock (location_id, xid, id);

CREATE INDEX stores_pull ON stores (xid, id);
CREATE INDEX products_pull ON products (xid, id);

CREATE TRIGGER stores_xid BEFORE INSERT OR UPDATE ON stores FOR EACH ROW EXECUTE FUNCTION kassa_set_xid();
CREATE TRIGGER products_xid BEFORE INSERT OR UPDATE ON products FOR EACH ROW EXECUTE FUNCTION kassa_set_xid();
CREATE TRIGGER assortment_xid BEFORE INSERT OR UPDATE ON assortment FOR EACH ROW EXECUTE FUNCTION kassa_set_xid();
CREATE TRIGGER stock_xid BEFORE INSERT OR UPDATE ON stock FOR EACH ROW EXECUTE FUNCTION kassa_set_xid();

CREATE TABLE register_tokens (
  token_hash text PRIMARY KEY,
  store_id text NOT NULL,
  register_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Records from registers: immutable, client-made ids, inserted once.
CREATE TABLE sales (
  id text PRIMARY KEY,
  store_id text NOT NULL,
  register_id text NOT NULL,
  seq bigint NOT NULL,
  receipt_no text NOT NULL,
  total_cents bigint NOT NULL,
  body jsonb NOT NULL,
  body_hash text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX sales_store ON sales (store_id, received_at DESC, id DESC);
CREATE INDEX sales_register ON sales (store_id, register_id, seq);

-- What HQ refused and why, kept whole: nothing a register sends is silently dropped.
CREATE TABLE alerts (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  record_id text NOT NULL,
  store_id text,
  register_id text,
  body jsonb NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'sale chain, token expiry, alert resolution',
    sql: `
-- The register's chain (src/chain.ts): each sale names its predecessor and carries its own hash.
ALTER TABLE sales ADD COLUMN prev_seq bigint;
ALTER TABLE sales ADD COLUMN hash text;
CREATE INDEX sales_prev ON sales (store_id, register_id, prev_seq);

-- Register tokens expire; a register renews its token before that (POST /api/registers/renew).
ALTER TABLE register_tokens ADD COLUMN expires_at timestamptz;
UPDATE register_tokens SET expires_at = created_at + interval '365 days' WHERE expires_at IS NULL;
ALTER TABLE register_tokens ALTER COLUMN expires_at SET NOT NULL;
-- A renewed token replaces the old one only once it has been used: a renewal whose answer was
-- lost on the way leaves the register with a token that still works.
ALTER TABLE register_tokens ADD COLUMN first_used_at timestamptz;

-- An alert HQ could close by itself (a gap filled by the late predecessor) keeps its history.
ALTER TABLE alerts ADD COLUMN resolved_at timestamptz;
CREATE INDEX alerts_open ON alerts (record_id) WHERE resolved_at IS NULL;
`,
  },
  {
    version: 3,
    name: 'store coordinates and groups, group assortment lines, stock booked from sales',
    sql: `
-- Where each store and warehouse is, for the distance beside its stock (null: not known).
ALTER TABLE stores ADD COLUMN lat double precision CHECK (lat BETWEEN -90 AND 90);
ALTER TABLE stores ADD COLUMN lon double precision CHECK (lon BETWEEN -180 AND 180);

-- Store groups ("all large stores"): an assortment line is for one store or for a group.
ALTER TABLE stores ADD COLUMN groups text[] NOT NULL DEFAULT '{}';
ALTER TABLE assortment ALTER COLUMN store_id DROP NOT NULL;
ALTER TABLE assortment ADD COLUMN group_id text;
ALTER TABLE assortment ADD CONSTRAINT assortment_one_target CHECK ((store_id IS NULL) <> (group_id IS NULL));
-- Group lines go to every register (each decides by its store's membership), so a store that
-- joins a group has the group's lines already.
CREATE INDEX assortment_groups ON assortment (xid, id) WHERE group_id IS NOT NULL;

-- HQ books every sale it stores into its store's stock in the same transaction. booked holds,
-- per register, the highest sale sequence booked into the row, so a register knows which of
-- its own sales the figure it pulled already includes.
ALTER TABLE stock ADD COLUMN booked jsonb NOT NULL DEFAULT '{}';
`,
  },
  {
    version: 4,
    name: 'customer orders (events and HQ fold), chain settings, operators',
    sql: `
-- Order events from registers (src/order.ts): immutable, client-made ids, inserted once, like sales.
CREATE TABLE order_events (
  id text PRIMARY KEY,
  order_no text NOT NULL,
  store_id text NOT NULL,
  register_id text NOT NULL,
  seq bigint NOT NULL,
  body jsonb NOT NULL,
  body_hash text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order ON order_events (order_no);
CREATE INDEX order_events_register ON order_events (store_id, register_id, seq);

-- HQ's fold of each order's events (foldOrder), rewritten in the transaction that stores a new
-- event. stores: every store that replicates it (where it was made, its pick-up stores, every
-- store that made an event on it); it only grows, so an order never leaves a register's scope.
CREATE TABLE orders (
  id text PRIMARY KEY,
  store_id text NOT NULL,
  stores text[] NOT NULL,
  customer_name text NOT NULL,
  customer_phone text,
  status text NOT NULL CHECK (status IN ('open', 'partly', 'completed', 'cancelled')),
  pickup_stores text[] NOT NULL DEFAULT '{}',
  exception_count integer NOT NULL DEFAULT 0,
  exceptions jsonb NOT NULL DEFAULT '[]',
  -- The register's clock, for people; lists order by HQ's arrival (received_at).
  created_at text NOT NULL,
  events jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  deleted boolean NOT NULL DEFAULT false,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX orders_pull ON orders (xid, id);
CREATE INDEX orders_received ON orders (received_at DESC, id DESC);
CREATE INDEX orders_exceptions ON orders (received_at DESC, id DESC) WHERE exception_count > 0;
CREATE INDEX orders_phone ON orders (regexp_replace(coalesce(customer_phone, ''), '[^0-9]', '', 'g'));
CREATE TRIGGER orders_xid BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION kassa_set_xid();

-- The chain's settings registers need, one document per id ('orders': OrderSettings). The row
-- 'orders' is written by migrate() from src/order.ts's defaults when it is missing.
CREATE TABLE chain_settings (
  id text PRIMARY KEY,
  body jsonb NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX chain_settings_pull ON chain_settings (xid, id);
CREATE TRIGGER chain_settings_xid BEFORE INSERT OR UPDATE ON chain_settings FOR EACH ROW EXECUTE FUNCTION kassa_set_xid();

-- Operators sign in at a register with a PIN, checked offline: only its PBKDF2 hash is kept.
-- store_id NULL: the operator works at every store.
CREATE TABLE operators (
  id text PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('cashier', 'manager')),
  store_id text,
  pin_hash text NOT NULL,
  pin_salt text NOT NULL,
  pin_iterations integer NOT NULL CHECK (pin_iterations > 0),
  deleted boolean NOT NULL DEFAULT false,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX operators_pull ON operators (xid, id);
CREATE TRIGGER operators_xid BEFORE INSERT OR UPDATE ON operators FOR EACH ROW EXECUTE FUNCTION kassa_set_xid();
`,
  },
  {
    version: 5,
    name: 'returns, register keys for receipt codes',
    sql: `
-- Returns from registers (src/returns.ts): immutable, client-made ids, inserted once, like sales.
-- origin_no is the receipt number (origin sale) or the order number (origin order), null for a
-- return without a receipt; origin_store_id the store the goods were bought at. Registers pull
-- the returns their store took and the returns of goods bought at their store.
CREATE TABLE returns (
  id text PRIMARY KEY,
  return_no text NOT NULL,
  store_id text NOT NULL,
  register_id text NOT NULL,
  seq bigint NOT NULL,
  origin_kind text NOT NULL CHECK (origin_kind IN ('sale', 'order', 'none')),
  origin_no text,
  origin_store_id text,
  body jsonb NOT NULL,
  body_hash text NOT NULL,
  review boolean NOT NULL DEFAULT false,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  deleted boolean NOT NULL DEFAULT false,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  CONSTRAINT returns_origin_named CHECK ((origin_kind = 'none') = (origin_no IS NULL))
);
CREATE INDEX returns_origin ON returns (origin_no);
CREATE INDEX returns_pull ON returns (xid, id);
CREATE INDEX returns_store_pull ON returns (store_id, xid, id);
CREATE INDEX returns_origin_store_pull ON returns (origin_store_id, xid, id);
CREATE INDEX returns_register ON returns (store_id, register_id, seq);
CREATE TRIGGER returns_xid BEFORE INSERT OR UPDATE ON returns FOR EACH ROW EXECUTE FUNCTION kassa_set_xid();

-- Register id -> every public key (P-256, raw, base64url) the register signed receipt codes
-- with. Keys are only added (old receipts stay verifiable); the row is rewritten, so its new xid
-- brings the keys to every register with the stores pull.
ALTER TABLE stores ADD COLUMN register_keys jsonb NOT NULL DEFAULT '{}';

-- HQ raises a double return once per original line: it looks for the alert it raised before.
CREATE INDEX alerts_kind_record ON alerts (kind, record_id);
`,
  },
  {
    version: 6,
    name: 'shift events (cash drawer, Z reports)',
    sql: `
-- Shift events from registers (src/shift.ts): opened, cash moved in or out, closed with the Z
-- report. Immutable, client-made ids (SHF-<store>-<register>-<seq>), inserted once, like sales.
-- shift_no is the opening's id; HQ recomputes a closed shift's Z report from the sales, order
-- events and returns it holds of that register in the shift's sequence ranges.
CREATE TABLE shift_events (
  id text PRIMARY KEY,
  shift_no text NOT NULL,
  store_id text NOT NULL,
  register_id text NOT NULL,
  seq bigint NOT NULL,
  type text NOT NULL CHECK (type IN ('opened', 'cash', 'closed')),
  body jsonb NOT NULL,
  body_hash text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX shift_events_register ON shift_events (store_id, register_id, seq);
CREATE INDEX shift_events_shift ON shift_events (shift_no, type);
-- The Z reports of a store, newest first (GET /api/stores/:storeId/z-reports).
CREATE INDEX shift_events_closed ON shift_events (store_id, received_at DESC, seq DESC, id DESC) WHERE type = 'closed';

-- A register's open alerts at the end of the day (GET /api/registers/me/holdings).
CREATE INDEX alerts_store_open ON alerts (store_id, id) WHERE resolved_at IS NULL;
`,
  },
  {
    version: 7,
    name: 'xid triggers skip rows that carry this transaction already',
    sql: `
-- The trigger only sets NEW.xid to the writing transaction: a row that has it already (an
-- insert taking the column default, an update that sets it) skips the PL/pgSQL call. HQ books
-- every sold product into stock as an upsert, which fired it twice per row.
DROP TRIGGER stores_xid ON stores;
DROP TRIGGER products_xid ON products;
DROP TRIGGER assortment_xid ON assortment;
DROP TRIGGER stock_xid ON stock;
DROP TRIGGER orders_xid ON orders;
DROP TRIGGER chain_settings_xid ON chain_settings;
DROP TRIGGER operators_xid ON operators;
DROP TRIGGER returns_xid ON returns;
CREATE TRIGGER stores_xid BEFORE INSERT OR UPDATE ON stores FOR EACH ROW WHEN (NEW.xid IS DISTINCT FROM pg_current_xact_id()) EXECUTE FUNCTION kassa_set_xid();
CREATE TRIGGER products_xid BEFORE INSERT OR UPDATE ON products FOR EACH ROW WHEN (NEW.xid IS DISTINCT FROM pg_current_xact_id()) EXECUTE FUNCTION kassa_set_xid();
CREATE TRIGGER assortment_xid BEFORE INSERT OR UPDATE ON assortment FOR EACH ROW WHEN (NEW.xid IS DISTINCT FROM pg_current_xact_id()) EXECUTE FUNCTION kassa_set_xid();
CREATE TRIGGER stock_xid BEFORE INSERT OR UPDATE ON stock FOR EACH ROW WHEN (NEW.xid IS DISTINCT FROM pg_current_xact_id()) EXECUTE FUNCTION kassa_set_xid();
CREATE TRIGGER orders_xid BEFORE INSERT OR UPDATE ON orders FOR EACH ROW WHEN (NEW.xid IS DISTINCT FROM pg_current_xact_id()) EXECUTE FUNCTION kassa_set_xid();
CREATE TRIGGER chain_settings_xid BEFORE INSERT OR UPDATE ON chain_settings FOR EACH ROW WHEN (NEW.xid IS DISTINCT FROM pg_current_xact_id()) EXECUTE FUNCTION kassa_set_xid();
CREATE TRIGGER operators_xid BEFORE INSERT OR UPDATE ON operators FOR EACH ROW WHEN (NEW.xid IS DISTINCT FROM pg_current_xact_id()) EXECUTE FUNCTION kassa_set_xid();
CREATE TRIGGER returns_xid BEFORE INSERT OR UPDATE ON returns FOR EACH ROW WHEN (NEW.xid IS DISTINCT FROM pg_current_xact_id()) EXECUTE FUNCTION kassa_set_xid();
`,
  },
];

export async function migrate(sql: Sql): Promise<number> {
  await sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  // One HQ process migrates at a time (two HQ nodes over one PostgreSQL may start together).
  return sql.transaction(async (tx) => {
    await tx.query('LOCK TABLE schema_migrations IN EXCLUSIVE MODE');
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    let applied = 0;
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied++;
    }
    // The chain's order settings start as the domain's defaults (HQ publishes them to every
    // register); a value HQ holds already is kept.
    await tx.query("INSERT INTO chain_settings (id, body) VALUES ('orders', $1) ON CONFLICT (id) DO NOTHING", [JSON.stringify(DEFAULT_ORDER_SETTINGS)]);
    return applied;
  });
}

/** Splits a migration into statements, keeping $$-quoted function bodies whole. */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of text.split('\n')) {
    if (line.trim().startsWith('--') && !inDollar) continue;
    const count = line.split('$$').length - 1;
    if (count % 2 === 1) inDollar = !inDollar;
    current += `${line}\n`;
    if (!inDollar && line.trimEnd().endsWith(';')) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
