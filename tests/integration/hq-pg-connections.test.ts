import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { CHANGES_CHANNEL } from '../../sync/hq/store.ts';
import { BACKENDS, PG_ADMIN_URL, postgresReachable } from '../support/backends.ts';
import { waitFor } from '../support/hq-process.ts';
import { makeChain, pushRows } from '../support/sales.ts';

// PostgreSQL restarting, or an administrator terminating HQ's backends, must not take HQ down
// (an unhandled connection error ends a Node process), lose or double a pushed sale, or leave
// the registers' live stream silent for good (HQ listens for change notices on one connection).

const postgres = (await postgresReachable()) ? BACKENDS.filter((b) => b.name === 'postgres') : [];

describe.each(postgres)('HQ losing its database connections on $name', (backend) => {
  let hq: RunningHq;
  let cleanup: () => Promise<void>;
  let databaseUrl = '';
  const admin = 'listen-admin';
  /** What HQ would print to its log about its connections. */
  const events: string[] = [];
  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    databaseUrl = prepared.databaseUrl ?? '';
    hq = await startHq({ databaseUrl, adminToken: admin, demoProducts: 100, onDatabaseEvent: (m) => events.push(m) });
  });
  afterAll(async () => {
    await hq?.close();
    await cleanup?.();
  });
  const enrol = async (storeId: string, registerId: string): Promise<string> => {
    const res = await fetch(`${hq.url}/api/registers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ storeId, registerId }),
    });
    return ((await res.json()) as { registerToken: string }).registerToken;
  };
  /** Ends every backend of HQ's database but the caller's own, as a PostgreSQL restart does. */
  const terminateAll = (client: pg.Client) => client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');

  it('stays up while its connections are ended mid-push, and every sale sent again lands once', async () => {
    const token = await enrol('1002', '01');
    const chain = makeChain('1002', '01', 2000);
    const batches = Array.from({ length: 20 }, (_, i) => chain.slice(i * 100, i * 100 + 100));
    const refusedOnce = { n: 0 };
    // Four registers' worth of pushes at once; a push that fails (HQ answers 500, or the
    // connection drops) is sent again, as the register does.
    const pushAll = async (worker: number) => {
      for (let i = worker; i < batches.length; i += 4) {
        for (;;) {
          const res = await fetch(`${hq.url}/api/replication/sales/push`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(pushRows(batches[i] ?? [])),
          }).catch(() => null);
          if (res?.status === 200) {
            expect(await res.json()).toEqual([]);
            break;
          }
          refusedOnce.n++;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const pushing = Promise.all([0, 1, 2, 3].map(pushAll));
      let ended = 0;
      for (let k = 0; k < 4; k++) {
        await new Promise((r) => setTimeout(r, 150));
        ended += (await terminateAll(client)).rowCount ?? 0;
      }
      await pushing;
      expect(ended).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
    const [held] = await hq.store.sql.query<{ n: number; distinct: number }>("SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct FROM sales WHERE store_id = '1002' AND register_id = '01'");
    expect(held).toEqual({ n: 2000, distinct: 2000 });
    expect((await fetch(`${hq.url}/api/health`)).status).toBe(200);
  });

  it('listens again, tells the open streams to pull everything, and passes later changes on', async () => {
    const registerToken = await enrol('1001', '01');
    const abort = new AbortController();
    const res = await fetch(`${hq.url}/api/replication/stream`, { headers: { authorization: `Bearer ${registerToken}` }, signal: abort.signal });
    expect(res.status).toBe(200);
    let heard = '';
    const reading = (async () => {
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        heard += decoder.decode(value, { stream: true });
      }
    })().catch(() => undefined);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const listening = async () =>
        (await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()")).rows;
      const before = await waitFor('HQ listening', async () => ((await listening()).length > 0 ? await listening() : null));
      // Down for a while, as during a restart: no new connection is taken either, so HQ's
      // attempts to listen again fail and are retried.
      const name = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? '';
      const server = new pg.Client({ connectionString: PG_ADMIN_URL });
      await server.connect();
      try {
        await server.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await terminateAll(client);
        await new Promise((r) => setTimeout(r, 1500));
        expect((await fetch(`${hq.url}/api/stores`)).status).toBe(500);
        expect((await fetch(`${hq.url}/api/health`)).status).toBe(200);
        // Not ready, and says why (for a load balancer or IT's monitor).
        const notReady = await fetch(`${hq.url}/api/ready`);
        expect(notReady.status).toBe(503);
        expect(((await notReady.json()) as { error: string; message: string }).message).toMatch(/^HQ cannot reach its database \(postgres\): /);
      } finally {
        await server.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        await server.end();
      }

      // Back on a new backend, and the stream is told to pull everything (notices may be lost).
      await waitFor('a new listening connection', async () => (await listening()).some((r) => !before.some((b) => b.pid === r.pid)), 15_000);
      await waitFor('the catch-up change on the stream', async () => heard.includes('data: {"collections":[]}'), 15_000);
      // Later changes come through again.
      await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, 'stores']);
      await waitFor('a later change on the stream', async () => heard.includes('data: {"collections":["stores"]}'), 15_000);
      expect((await fetch(`${hq.url}/api/health`)).status).toBe(200);
      expect(await (await fetch(`${hq.url}/api/ready`)).json()).toEqual({ status: 'ok', database: 'postgres' });
      // HQ's log says what happened: lost, not yet, and listening again.
      expect(events.some((m) => m.startsWith('lost the connection listening for change notices'))).toBe(true);
      expect(events.some((m) => m.startsWith('cannot listen for change notices yet'))).toBe(true);
      expect(events.some((m) => /^listening for change notices again \(attempt [2-9]\d*\)/.test(m))).toBe(true);
    } finally {
      abort.abort();
      await reading;
      await client.end();
    }
  });
});
