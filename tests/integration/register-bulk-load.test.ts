import { IDBFactory } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { type RegisterClient, enrolmentApi, openRegister } from '../../sync/client/index.ts';
import { bulkLoadState } from '../../sync/client/bulk-load.ts';
import { databaseName, openRegisterDatabase } from '../../sync/client/database.ts';
import { freePort, waitFor } from '../support/hq-process.ts';
import { storageOn, until } from '../support/tills.ts';

// The first sync of products and stock by the bulk loader (sync/client/bulk-load.ts) against a
// real HQ on PGlite, in Node (RxDB on Dexie over fake-indexeddb): interrupted and resumed, then
// handed over to RxDB's replication at its checkpoint, which keeps the replica live.

const PRODUCTS = 1_200;
const ADMIN = 'bulk-it-admin';

describe('the first sync’s bulk load', () => {
  let hq: RunningHq;
  const urls: string[] = [];
  const realFetch = globalThis.fetch;
  beforeAll(async () => {
    hq = await startHq({ port: await freePort(), memory: true, adminToken: ADMIN, demoProducts: PRODUCTS, heartbeatMs: 500 });
    // Every request the register makes, to see which pulls it sent.
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      urls.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    });
  });
  afterEach(() => {
    urls.length = 0;
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await hq?.close();
  });

  const productPulls = () => urls.filter((u) => u.includes('/api/replication/products/pull'));

  it('resumes where it was cut off, holds every product once, and RxDB carries on from its checkpoint', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1001', '03', ADMIN);
    const idb = new IDBFactory();
    const open = (): Promise<RegisterClient> => openRegister(identity, { storage: storageOn(idb), bulkPageSize: 100 });

    // Cut off: the register closes after a few pages of 100.
    let c = await open();
    await until(c, 'a few pages', (s) => s.firstSync.received >= 300);
    await c.close();
    const replica = await openRegisterDatabase(databaseName('1001', '03'), storageOn(idb));
    const cut = await bulkLoadState(replica, 'products');
    await replica.close();
    expect(cut?.done).toBe(false);
    expect(cut?.checkpoint).not.toBeNull();

    // Started again: it goes on from the recorded checkpoint, not from the beginning.
    c = await open();
    try {
      await until(c, 'first sync', (s) => s.firstSync.done);
      const diag = await c.diagnostics();
      expect(diag.replica.documents.products).toBe(PRODUCTS);
      expect(diag.replica.documents.stock).toBeGreaterThan(0);
      // One products pull ever started without a checkpoint: the very first page.
      expect(productPulls().filter((u) => !u.includes('xid='))).toHaveLength(1);
      // Search and scanning answer from the bulk-loaded pages.
      const hit = (await c.searchProducts('a', 1, 'catalog'))[0];
      expect(hit).toBeDefined();
      expect((await c.findByCode(hit?.itemNumber ?? ''))?.id).toBe(hit?.id);

      // A product changed at HQ now reaches the register through RxDB's replication, live.
      const res = await fetch(`${hq.url}/api/import/products`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${ADMIN}` },
        body: `id,itemNumber,barcode,name,category,priceCents,vat\n${hit?.id},${hit?.itemNumber},,Bulkgeladen Testartikel,Test,4321,low\n`,
      });
      expect(res.status).toBe(200);
      await waitFor('the change at the register', async () => ((await c.findByCode(hit?.itemNumber ?? ''))?.name === 'Bulkgeladen Testartikel' ? true : null), 30_000);
      expect((await c.diagnostics()).replica.documents.products).toBe(PRODUCTS);
    } finally {
      await c.close();
    }
    const after = await openRegisterDatabase(databaseName('1001', '03'), storageOn(idb));
    expect(await bulkLoadState(after, 'products')).toMatchObject({ done: true });
    expect(await bulkLoadState(after, 'stock')).toMatchObject({ done: true });
    await after.close();
  }, 120_000);

  it('leaves a replica RxDB filled before to RxDB', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1002', '01', ADMIN);
    const idb = new IDBFactory();
    const replica = await openRegisterDatabase(databaseName('1002', '01'), storageOn(idb));
    await replica.products.insert({ id: 'old', itemNumber: 'old', barcode: null, name: 'Oud', category: 'X', priceCents: 1, vat: 'low' });
    await replica.close();
    const c = await openRegister(identity, { storage: storageOn(idb) });
    try {
      await until(c, 'first sync', (s) => s.firstSync.done);
      expect((await c.diagnostics()).replica.documents.products).toBe(PRODUCTS + 1);
    } finally {
      await c.close();
    }
    const after = await openRegisterDatabase(databaseName('1002', '01'), storageOn(idb));
    expect(await bulkLoadState(after, 'products')).toEqual({ checkpoint: null, done: true });
    await after.close();
  }, 120_000);
});
