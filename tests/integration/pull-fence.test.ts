import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqStore } from '../../sync/hq/store.ts';
import { migrate } from '../../sync/hq/migrations.ts';
import { openDatabase } from '../../sync/hq/server.ts';
import type { Sql } from '../../sync/hq/sql.ts';
import type { Checkpoint } from '../../sync/protocol/wire.ts';
import { availableBackends } from '../support/backends.ts';

// The xid8 fence: a pull running beside writers that hold transactions open for random times
// must never step over a row whose transaction commits late. Without the fence
// (`xid < pg_snapshot_xmin(pg_current_snapshot())`) this test loses rows on PostgreSQL.

const backends = await availableBackends();
const WRITERS = 8;
const ROWS_PER_TXN = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(backends)('pull under concurrent writers on $name', (backend) => {
  let sql: Sql;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    sql = await openDatabase(prepared.databaseUrl ? { databaseUrl: prepared.databaseUrl } : { memory: true });
    await migrate(sql);
  });

  afterAll(async () => {
    await sql?.close();
    await cleanup?.();
  });

  // PGlite runs one transaction at a time, so its writers cannot overlap; a short run suffices.
  const TXNS_PER_WRITER = backend.name === 'pglite' ? 5 : 25;

  it(`skips no row while ${WRITERS} writers commit out of order`, async () => {
    const store = new HqStore(sql);
    const who = { storeId: '1001', registerId: '01' };
    const written = new Set<string>();
    let writing = true;

    const writer = async (w: number): Promise<void> => {
      for (let t = 0; t < TXNS_PER_WRITER; t++) {
        const ids: string[] = [];
        await sql.transaction(async (tx) => {
          for (let r = 0; r < ROWS_PER_TXN; r++) {
            const id = `w${w}-t${String(t).padStart(3, '0')}-r${r}`;
            await tx.query(
              `INSERT INTO products (id, item_number, barcode, name, category, price_cents, vat) VALUES ($1, $1, NULL, 'Fence test', 'Test', 100, 'high')`,
              [id],
            );
            ids.push(id);
            // Hold the transaction open 0–50 ms: later transactions commit first.
            await sleep(Math.floor(Math.random() * 50));
          }
        });
        for (const id of ids) written.add(id);
      }
    };

    const pulled = new Map<string, number>();
    let cp: Checkpoint | null = null;
    const pullOnce = async (): Promise<number> => {
      const page = await store.pull('products', who, cp, 7);
      for (const d of page.documents as { id: string }[]) pulled.set(d.id, (pulled.get(d.id) ?? 0) + 1);
      if (page.checkpoint) cp = page.checkpoint;
      return page.documents.length;
    };
    const reader = async (): Promise<void> => {
      while (writing) {
        await pullOnce();
        await sleep(1);
      }
    };

    const readerDone = reader();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await readerDone;
    // Catch up: after the writers are done, pull until a page comes back empty.
    while ((await pullOnce()) > 0);

    expect(written.size).toBe(WRITERS * TXNS_PER_WRITER * ROWS_PER_TXN);
    const missing = [...written].filter((id) => !pulled.has(id));
    expect(missing).toEqual([]);
    const twice = [...pulled].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
  });
});
