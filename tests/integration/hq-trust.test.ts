import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHash } from '../../src/chain.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { REPLACED_TOKEN_GRACE_MS } from '../../sync/hq/store.ts';
import type { SaleDoc } from '../../sync/protocol/docs.ts';
import { availableBackends } from '../support/backends.ts';
import { makeChain, makeSale, pushRows } from '../support/sales.ts';

// What makes HQ's books trustworthy: the registers' hash chains checked on ingest, and tokens
// that can expire, be revoked and be renewed, with enrolment and token guessing rate-limited.

const backends = await availableBackends();

describe.each(backends)('HQ trust on $name', (backend) => {
  let hq: RunningHq;
  let cleanup: () => Promise<void>;
  const admin = 'trust-admin-token';

  const post = async (path: string, token: string | null, body: unknown) => {
    const res = await fetch(`${hq.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const enrol = async (storeId: string, registerId: string) => {
    const res = await post('/api/registers', admin, { storeId, registerId });
    expect(res.status).toBe(201);
    return res.body as { registerToken: string; lastSequence: number; lastHash: string | null; expiresAt: string };
  };
  const push = (token: string, docs: SaleDoc[]) => post('/api/replication/sales/push', token, pushRows(docs));
  const openAlerts = async (kind: string) => (await hq.store.alerts({ open: true })).filter((a) => a.kind === kind);

  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    hq = await startHq({
      ...(prepared.databaseUrl ? { databaseUrl: prepared.databaseUrl } : { memory: true }),
      adminToken: admin,
      demoProducts: 100,
      enrolRate: { capacity: 20, perMinute: 1 },
      authFailureRate: { capacity: 8, perMinute: 1 },
    });
  });
  afterAll(async () => {
    await hq?.close();
    await cleanup?.();
  });

  describe('the sale chain', () => {
    it('takes an intact chain without a single alert, and continues it after a reinstall', async () => {
      const { registerToken } = await enrol('1001', '01');
      const chain = makeChain('1001', '01', 5);
      expect((await push(registerToken, chain.slice(0, 3))).status).toBe(200);
      expect((await push(registerToken, chain.slice(3))).status).toBe(200);
      expect((await hq.store.alerts()).filter((a) => a.recordId.startsWith('1001-01-'))).toEqual([]);
      // Re-enrolled (a new disk): HQ tells the register where its numbering and chain stand.
      const again = await enrol('1001', '01');
      expect(again.lastSequence).toBe(5);
      expect(again.lastHash).toBe(chain[4]?.hash);
    });

    it('flags a sale altered after it was sealed, and keeps it', async () => {
      const { registerToken } = await enrol('1001', '02');
      const [a, b] = makeChain('1001', '02', 2);
      if (!a || !b) throw new Error('chain');
      // The amount on line 1 is lowered, totals made to add up again, but the hash is the register's.
      const cheap = makeSale('1001', '02', 2, { priceCents: 1, prev: { seq: a.seq, hash: a.hash } });
      const forged = { ...cheap, hash: b.hash };
      expect((await push(registerToken, [a, forged])).status).toBe(200);
      const altered = await openAlerts('chain_altered');
      expect(altered.map((x) => x.recordId)).toContain('1001-02-000002');
      expect((await hq.store.listSales('1001', 100)).some((s) => s.id === '1001-02-000002')).toBe(true);
    });

    it('flags a missing predecessor as a gap, and closes the gap when it arrives and fits', async () => {
      const { registerToken } = await enrol('1002', '01');
      const chain = makeChain('1002', '01', 3);
      await push(registerToken, [chain[0] as SaleDoc, chain[2] as SaleDoc]);
      expect((await openAlerts('chain_gap')).map((a) => a.recordId)).toContain('1002-01-000003');
      await push(registerToken, [chain[1] as SaleDoc]);
      expect((await openAlerts('chain_gap')).map((a) => a.recordId)).not.toContain('1002-01-000003');
      const closed = (await hq.store.alerts()).find((a) => a.kind === 'chain_gap' && a.recordId === '1002-01-000003');
      expect(closed?.resolvedAt).not.toBeNull();
    });

    it('checks a push whose numbers lie far apart like any other (its neighbours read by number, not by range)', async () => {
      const { registerToken } = await enrol('1003', '02');
      const chain = makeChain('1003', '02', 60);
      const at = (seq: number) => chain[seq - 1] as SaleDoc;
      expect((await push(registerToken, [at(1), at(2), at(3)])).status).toBe(200);
      // 4 follows the held 3; 60's predecessor is missing.
      expect((await push(registerToken, [at(4), at(60)])).status).toBe(200);
      const gaps = async () => (await openAlerts('chain_gap')).map((a) => a.recordId).filter((id) => id.startsWith('1003-02-'));
      expect(await gaps()).toEqual(['1003-02-000060']);
      // 59 arrives, fits 60 and leaves its own gap (58); 60's closes.
      expect((await push(registerToken, [at(59)])).status).toBe(200);
      expect(await gaps()).toEqual(['1003-02-000059']);
      expect((await hq.store.alerts()).filter((a) => a.recordId.startsWith('1003-02-') && a.kind !== 'chain_gap')).toEqual([]);
    });

    it('flags a predecessor that arrives late and does not fit (a record swapped out)', async () => {
      const { registerToken } = await enrol('1002', '02');
      const chain = makeChain('1002', '02', 3);
      await push(registerToken, [chain[0] as SaleDoc, chain[2] as SaleDoc]);
      // Another record 2, properly sealed on record 1, but not the one record 3 was chained to.
      const swapped = makeSale('1002', '02', 2, { priceCents: 5, prev: { seq: 1, hash: chain[0]?.hash ?? '' } });
      await push(registerToken, [swapped]);
      expect((await openAlerts('chain_broken')).map((a) => a.recordId)).toContain('1002-02-000003');
    });

    it('notes numbers a crash left unused, and a fork of the chain', async () => {
      const { registerToken } = await enrol('1003', '01');
      const [a] = makeChain('1003', '01', 1);
      if (!a) throw new Error('chain');
      const afterCrash = makeSale('1003', '01', 3, { prev: { seq: 1, hash: a.hash } });
      const fork = makeSale('1003', '01', 4, { priceCents: 77, prev: { seq: 1, hash: a.hash } });
      await push(registerToken, [a, afterCrash, fork]);
      expect((await openAlerts('chain_numbers_skipped')).map((x) => x.recordId)).toEqual(expect.arrayContaining(['1003-01-000003', '1003-01-000004']));
      expect((await openAlerts('chain_fork')).map((x) => x.recordId)).toEqual(expect.arrayContaining(['1003-01-000004']));
      expect(recordHash(afterCrash)).toBe(afterCrash.hash);
    });
  });

  describe('tokens', () => {
    it('refuses a missing, unknown, revoked or expired token with 401 and says which', async () => {
      const pull = (token: string | null) =>
        fetch(`${hq.url}/api/replication/stores/pull`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { error: string },
        }));
      expect(await pull(null)).toMatchObject({ status: 401, body: { error: 'unauthorized' } });

      const first = await enrol('1004', '01');
      expect((await pull(first.registerToken)).status).toBe(200);
      const renewed = await post('/api/registers/renew', first.registerToken, {});
      expect(renewed.status).toBe(200);
      const second = renewed.body.registerToken as string;
      expect(second).not.toBe(first.registerToken);
      expect(Date.parse(String(renewed.body.expiresAt))).toBeGreaterThan(Date.now() + 300 * 86_400_000);
      // Until the new token is used, the old one still works (the renewal's answer may have been lost).
      expect((await pull(first.registerToken)).status).toBe(200);
      expect((await pull(second)).status).toBe(200);
      // The new token has been used: the old one is retired, after a grace for requests the
      // register sent with it just before it switched (they are still on their way).
      expect((await pull(first.registerToken)).status).toBe(200);
      const [retiring] = await hq.store.sql.query<{ left_s: number }>(
        `SELECT extract(epoch FROM revoked_at - now())::float8 AS left_s FROM register_tokens WHERE store_id = '1004' AND register_id = '01' AND revoked_at IS NOT NULL`,
      );
      expect(retiring?.left_s).toBeGreaterThan(REPLACED_TOKEN_GRACE_MS / 1000 - 30);
      expect(retiring?.left_s).toBeLessThanOrEqual(REPLACED_TOKEN_GRACE_MS / 1000);
      await hq.store.sql.query(`UPDATE register_tokens SET revoked_at = now() - interval '1 second' WHERE store_id = '1004' AND register_id = '01' AND revoked_at IS NOT NULL`);
      expect(await pull(first.registerToken)).toMatchObject({ status: 401, body: { error: 'token_revoked' } });
      expect((await pull(second)).status).toBe(200);

      // Renewed once more and used: the second token is in its grace when IT retires the
      // register, and stops working at once, as the newest does.
      const renewedAgain = await post('/api/registers/renew', second, {});
      const newest = renewedAgain.body.registerToken as string;
      expect((await pull(newest)).status).toBe(200);
      expect((await pull(second)).status).toBe(200);
      const revoked = await post('/api/registers/1004/01/revoke', admin, {});
      expect(revoked.body).toEqual({ revoked: 2 });
      expect(await pull(second)).toMatchObject({ status: 401, body: { error: 'token_revoked' } });
      expect(await pull(newest)).toMatchObject({ status: 401, body: { error: 'token_revoked' } });

      const third = await enrol('1004', '02');
      await hq.store.sql.query(`UPDATE register_tokens SET expires_at = now() - interval '1 minute' WHERE store_id = '1004' AND register_id = '02'`);
      expect(await pull(third.registerToken)).toMatchObject({ status: 401, body: { error: 'token_expired' } });
    });

    it('never lets a register enrol itself, renew another, or revoke', async () => {
      const { registerToken } = await enrol('1005', '01');
      expect((await post('/api/registers', registerToken, { storeId: '1005', registerId: '02' })).status).toBe(401);
      expect((await post('/api/registers/1005/01/revoke', registerToken, {})).status).toBe(401);
      const renewed = await post('/api/registers/renew', registerToken, { storeId: '1001', registerId: '01' });
      expect(renewed.body).toMatchObject({ storeId: '1005', registerId: '01' });
    });
  });

  describe('rate limits', () => {
    it("slows down a withdrawn register that keeps trying on its own token, without locking out its store's address", async () => {
      // A register retired (re-enrolled elsewhere) but left running, beside a working one: the
      // registers of a store reach HQ from one address.
      const retired = (await enrol('1006', '03')).registerToken;
      await enrol('1006', '03');
      const working = (await enrol('1006', '02')).registerToken;
      const pull = (token: string) => fetch(`${hq.url}/api/replication/stores/pull`, { headers: { authorization: `Bearer ${token}` } });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await pull(retired)).status);
      // Refused as revoked (capacity 8 here), then slowed down: that token only.
      expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
      expect(statuses.slice(8)).toEqual([429, 429, 429, 429]);
      expect(((await (await pull(retired)).json()) as { message: string }).message).toMatch(/^too many refused requests with this token; try again in \d+ s$/);
      expect((await pull(working)).status).toBe(200);
      // The address is not locked out: an unknown token is still just unknown.
      expect(((await post('/api/registers/renew', 'never-issued', {})).body as { error?: string }).error).toBe('unauthorized');
    });

    it('slows down token guessing from one address with 429 and Retry-After, also for the right token then', async () => {
      const working = (await enrol('1005', '03')).registerToken;
      const pull = (token: string) => fetch(`${hq.url}/api/replication/stores/pull`, { headers: { authorization: `Bearer ${token}` } });
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 12 && last?.status !== 429; i++) {
        last = await pull(`guess-${i}`);
        statuses.push(last.status);
      }
      // Unknown tokens: 401 until the address's bucket (8 here) is spent, then 429.
      expect(statuses.at(-1)).toBe(429);
      expect(statuses.slice(0, -1).every((st) => st === 401)).toBe(true);
      expect(statuses.length).toBeLessThanOrEqual(9);
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await last?.json()) as { message: string }).message).toMatch(/^too many failed token attempts from this address; try again in \d+ s$/);
      // Locked out for now, whatever the token: a register's, and the admin's.
      expect((await pull(working)).status).toBe(429);
      expect((await post('/api/registers/1005/03/revoke', admin, {})).status).toBe(429);
    });
  });
});
