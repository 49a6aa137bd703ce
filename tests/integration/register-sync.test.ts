import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/cart.ts';
import { verifyChain } from '../../src/chain.ts';
import type { SaleDoc } from '../../sync/protocol/docs.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { hashToken } from '../../sync/hq/store.ts';
import { enrolmentApi, openRegister } from '../../sync/client/index.ts';
import { freePort, waitFor } from '../support/hq-process.ts';
import { makeSale } from '../support/sales.ts';
import { storageOn, until } from '../support/tills.ts';

// The register's sync client (sync/client) against a real HQ on PGlite, in Node: RxDB on Dexie
// over fake-indexeddb. The browser path is covered by the end-to-end test; this one is fast
// and looks at the replica and the queue directly.

const PRODUCTS = 1_500;

describe('register sync client against HQ', () => {
  let hq: RunningHq;
  let port: number;
  const dataDir = mkdtempSync(join(tmpdir(), 'kassa-client-'));
  const startOurHq = async () =>
    startHq({ port, dataDir, adminToken: 'client-it-admin', demoProducts: PRODUCTS, heartbeatMs: 500 });

  beforeAll(async () => {
    port = await freePort();
    hq = await startOurHq();
  });
  afterAll(async () => {
    await hq?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('enrols, replicates the catalog, sells, and HQ acknowledges; offline sales wait and go out when HQ is back', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1001', '02', 'client-it-admin');
    const idb = new IDBFactory();
    const client = await openRegister(identity, { storage: storageOn(idb) });
    try {
      await until(client, 'first sync', (s) => s.firstSync.done);
      expect(client.getStatus().firstSync).toMatchObject({ total: PRODUCTS, received: PRODUCTS, done: true });
      expect((await client.store())?.town).toBe('Utrecht');

      // Search finds products of this store's assortment by name word prefix and by code.
      const hits = await client.searchProducts('stroopw');
      expect(hits.length).toBeGreaterThan(0);
      for (const h of hits) {
        expect(h.name.toLowerCase()).toContain('stroopw');
        expect(h.inAssortment).toBe(true);
      }
      const first = hits[0];
      if (!first?.barcode) throw new Error('no barcode on the demo product');
      expect((await client.findByCode(first.barcode))?.id).toBe(first.id);
      expect((await client.findByCode(first.itemNumber))?.id).toBe(first.id);

      const cart = addToCart(emptyCart, first, 2);
      const sale = await client.completeSale(cart, [{ kind: 'cash', tenderedCents: 100_00 }], 'cashier');
      expect(sale.receiptNo).toBe('1001-02-000001');
      expect(sale.totalCents).toBe(first.priceCents * 2);
      await until(client, 'sale acknowledged', (s) => s.pending === 0 && s.online);
      const atHq = await hq.store.listSales('1001', 10);
      expect(atHq.map((s) => s.receiptNo)).toContain('1001-02-000001');

      // HQ goes away: the register sells on and counts what waits.
      await hq.close();
      const offline = await client.completeSale(cart, [{ kind: 'card', amountCents: sale.totalCents, reference: 'PIN-1' }], 'cashier');
      expect(offline.receiptNo).toBe('1001-02-000002');
      const waiting = await until(client, 'offline with one record waiting', (s) => !s.online && s.pending === 1);
      expect(waiting.offlineSince).not.toBeNull();

      // HQ is back on the same address and data: the record goes out by itself.
      hq = await startOurHq();
      await until(client, 'back online, nothing waiting', (s) => s.online && s.pending === 0);
      const after = await hq.store.listSales('1001', 10);
      expect(after.filter((s) => s.registerId === '02').map((s) => s.receiptNo)).toEqual(['1001-02-000002', '1001-02-000001']);
      expect(after.find((s) => s.receiptNo === '1001-02-000002')?.tenders[0]).toMatchObject({ kind: 'card', reference: 'PIN-1' });
      // Sealed and chained by the register; HQ found nothing wrong with the chain.
      expect(after.find((s) => s.receiptNo === '1001-02-000002')).toMatchObject({ prevSeq: 1, prevHash: sale.hash });
      expect((await hq.store.alerts()).filter((a) => a.recordId.startsWith('1001-02-'))).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('never reuses a receipt number: after a restart, and after re-installing with HQ’s last number', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1002', '03', 'client-it-admin');
    const idb = new IDBFactory();
    const product = { id: '1000001', itemNumber: '1000001', barcode: null, name: 'Testproduct', priceCents: 250, vat: 'high' as const, inAssortment: true };
    const cart = addToCart(emptyCart, product);
    const pay = [{ kind: 'cash' as const, tenderedCents: 500 }];

    const c1 = await openRegister(identity, { storage: storageOn(idb), live: false });
    const numbers = [];
    // Concurrent completions are serialised: each gets its own number.
    numbers.push(...(await Promise.all([1, 2, 3].map(() => c1.completeSale(cart, pay, 'cashier')))).map((s) => s.seq));
    await c1.close();
    const c2 = await openRegister(identity, { storage: storageOn(idb), live: false });
    numbers.push((await c2.completeSale(cart, pay, 'cashier')).seq);
    expect(numbers).toEqual([1, 2, 3, 4]);
    const sales = (await c2.recentSales(10)) as SaleDoc[];
    expect(sales.map((s) => s.seq)).toEqual([4, 3, 2, 1]);
    // One unbroken chain across the restart.
    expect(verifyChain(sales)).toEqual([]);
    expect(sales[0]?.prevHash).toBe(sales[1]?.hash);
    await c2.close();

    // A fresh install (empty replica) of a register whose last number and hash HQ knows continues both.
    const headAtHq = 'a'.repeat(64);
    const reinstalled = await openRegister({ ...identity, lastSequence: 41, lastHash: headAtHq }, { storage: storageOn(new IDBFactory()), live: false });
    const next = (await reinstalled.completeSale(cart, pay, 'cashier')) as SaleDoc;
    expect(next.receiptNo).toBe('1002-03-000042');
    expect(next).toMatchObject({ prevSeq: 41, prevHash: headAtHq });
    await reinstalled.close();
  });

  it('renews its token before it expires, keeps the new one, and syncs on with it', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1004', '03', 'client-it-admin');
    const kept: string[] = [];
    const client = await openRegister(
      { ...identity, tokenExpiresAt: new Date(Date.now() + 5 * 86_400_000).toISOString() },
      { storage: storageOn(new IDBFactory()), onTokenRenewed: async (r) => void kept.push(r.registerToken) },
    );
    try {
      await waitFor('token renewed', async () => kept.length === 1, 20_000);
      expect(client.identity.registerToken).toBe(kept[0]);
      expect(Date.parse(client.identity.tokenExpiresAt ?? '')).toBeGreaterThan(Date.now() + 300 * 86_400_000);
      const product = { id: '1000001', itemNumber: '1000001', barcode: null, name: 'Testproduct', priceCents: 250, vat: 'high' as const, inAssortment: true };
      await client.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 500 }], 'cashier');
      await until(client, 'sale acknowledged with the new token', (s) => s.pending === 0 && s.online);
      // The new token has been used: the old one is retired once requests sent with it before
      // the switch have had their grace (REPLACED_TOKEN_GRACE_MS).
      const [old] = await hq.store.sql.query<{ retiring: boolean }>(
        `SELECT revoked_at > now() AS retiring FROM register_tokens WHERE store_id = '1004' AND register_id = '03' AND token_hash <> $1 AND revoked_at IS NOT NULL`,
        [hashToken(client.identity.registerToken)],
      );
      expect(old?.retiring).toBe(true);
      await hq.store.sql.query(`UPDATE register_tokens SET revoked_at = now() WHERE store_id = '1004' AND register_id = '03' AND revoked_at IS NOT NULL`);
      expect((await hq.store.checkToken(identity.registerToken)).reason).toBe('revoked');
    } finally {
      await client.close();
    }
  });

  it("shows HQ refusing its token on the status line while it lasts, and clears it once HQ takes the token again", async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1005', '03', 'client-it-admin');
    const client = await openRegister(identity, { storage: storageOn(new IDBFactory()) });
    try {
      await until(client, 'first sync', (s) => s.firstSync.done && s.online && s.lastError === null);
      const product = { id: '1000001', itemNumber: '1000001', barcode: null, name: 'Testproduct', priceCents: 250, vat: 'high' as const, inAssortment: true };
      const sell = () => client.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 500 }], 'cashier');
      const tokens = "store_id = '1005' AND register_id = '03'";
      // IT pulls the token (as if retired by mistake): the sale cannot go out, and the status line says why.
      await hq.store.sql.query(`UPDATE register_tokens SET revoked_at = now() WHERE ${tokens}`);
      await sell();
      const refused = await until(client, 'the refusal on the status line', (s) => /revoked/.test(s.lastError ?? ''));
      expect(refused.pending).toBe(1);
      // With HQ's code, so the status line can say it in the register's words (StatusLine.tsx).
      expect(refused.lastErrorCode).toBe('token_revoked');
      // HQ answering with a refusal is no sync: "last sync" stays where it was through the
      // retries (every 3 s), and the register is not called offline either (HQ did answer).
      await new Promise((r) => setTimeout(r, 4000));
      expect(client.getStatus()).toMatchObject({ lastSyncAt: refused.lastSyncAt, online: true, lastErrorCode: 'token_revoked' });
      // The token is taken again: the sale goes out and the message goes, without a restart.
      await hq.store.sql.query(`UPDATE register_tokens SET revoked_at = NULL WHERE ${tokens}`);
      await until(client, 'sale acknowledged and the error cleared', (s) => s.pending === 0 && s.lastError === null && s.lastErrorCode === null);
      // Nothing was refused for good: the end of the day lists no record for the manager.
      expect((await client.endOfDay()).refused).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('hears that HQ withdrew its token while idle: HQ ends its event stream, and the refused reconnect is on the status line', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1004', '02', 'client-it-admin');
    const client = await openRegister(identity, { storage: storageOn(new IDBFactory()) });
    try {
      await until(client, 'first sync', (s) => s.firstSync.done && s.online && s.lastError === null);
      // Nothing to push or pull: only the stream (heartbeat every 500 ms here) can tell.
      await hq.store.revokeRegisterTokens('1004', '02');
      const refused = await until(client, 'the refusal on the status line', (s) => s.lastErrorCode === 'token_revoked');
      expect(refused.online).toBe(true);
      // Taken again (IT's mistake undone): the stream reconnects and the message goes.
      await hq.store.sql.query("UPDATE register_tokens SET revoked_at = NULL WHERE store_id = '1004' AND register_id = '02'");
      await until(client, 'the refusal cleared', (s) => s.lastError === null && s.lastErrorCode === null);
    } finally {
      await client.close();
    }
  });

  it('keeps a sale HQ holds another body of, and names it with its code on the status line', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1006', '02', 'client-it-admin');
    // After enrolment, HQ comes to hold another sale under this register's first number (as
    // from a copy of the register restored elsewhere).
    const other = makeSale('1006', '02', 1, { priceCents: 4321 });
    expect(await hq.store.pushSales({ storeId: '1006', registerId: '02' }, [other])).toEqual([]);
    const client = await openRegister(identity, { storage: storageOn(new IDBFactory()) });
    try {
      await until(client, 'first sync', (s) => s.firstSync.done && s.online);
      const product = { id: '1000001', itemNumber: '1000001', barcode: null, name: 'Testproduct', priceCents: 250, vat: 'high' as const, inAssortment: true };
      const sale = await client.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 500 }], 'cashier');
      expect(sale.id).toBe(other.id);
      const s = await until(client, 'the conflict on the status line', (st) => st.pending === 0 && st.lastErrorCode === 'record_conflict');
      expect(s.lastErrorRecord).toEqual({ collection: 'sales', id: sale.id, others: 0 });
      // Kept here and listed for the manager; HQ keeps the first body.
      expect((await client.endOfDay()).refused.map((r) => r.id)).toEqual([sale.id]);
      expect((await hq.store.getSale(sale.receiptNo))?.totalCents).toBe(other.totalCents);
    } finally {
      await client.close();
    }
  });

  it('remembers when it last synced across a restart: started without HQ, it does not say "never"', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1006', '03', 'client-it-admin');
    const idb = new IDBFactory();
    const first = await openRegister(identity, { storage: storageOn(idb) });
    try {
      await until(first, 'first sync', (s) => s.firstSync.done && s.lastSyncAt !== null);
    } finally {
      await first.close();
    }
    // As of closing: later exchanges of the first sync move it on until then.
    const synced = first.getStatus().lastSyncAt;
    const later = await openRegister(identity, { storage: storageOn(idb), live: false });
    try {
      expect(synced).not.toBeNull();
      expect(later.getStatus().lastSyncAt).toBe(synced);
    } finally {
      await later.close();
    }
  });

  it('writes nothing when the payment does not cover the sale', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1003', '01', 'client-it-admin');
    const client = await openRegister(identity, { storage: storageOn(new IDBFactory()), live: false });
    const product = { id: '1000001', itemNumber: '1000001', barcode: null, name: 'Testproduct', priceCents: 999, vat: 'low' as const, inAssortment: true };
    await expect(client.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 500 }], 'cashier')).rejects.toThrow();
    await expect(client.completeSale(emptyCart, [{ kind: 'cash', tenderedCents: 500 }], 'cashier')).rejects.toThrow();
    expect(await client.recentSales()).toEqual([]);
    // The failed attempts used no number.
    expect((await client.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 1000 }], 'cashier')).seq).toBe(1);
    await client.close();
  });
});
