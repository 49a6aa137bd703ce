import { IDBFactory } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { type RegisterClient, enrolmentApi, openRegister } from '../../sync/client/index.ts';
import { catalogPullState } from '../../sync/client/catalog-pull.ts';
import { databaseName, openRegisterDatabase } from '../../sync/client/database.ts';
import { freePort, waitFor } from '../support/hq-process.ts';
import { storageOn, until } from '../support/tills.ts';

// The catalog pull of products and stock (sync/client/catalog-pull.ts) against a real HQ on
// PGlite, in Node (RxDB on Dexie over fake-indexeddb): the first sync's bulk pages interrupted
// and resumed, then later changes through RxDB, live.

const PRODUCTS = 1_200;
const ADMIN = 'bulk-it-admin';

describe('the catalog pull', () => {
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

  it('resumes a first sync where it was cut off, holds every product once, and takes later changes through RxDB', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1001', '03', ADMIN);
    const idb = new IDBFactory();
    const open = (): Promise<RegisterClient> => openRegister(identity, { storage: storageOn(idb), catalogPageSizes: { bulk: 100, incremental: 50 } });

    // Cut off: the register closes after a few pages of 100.
    let c = await open();
    await until(c, 'a few pages', (s) => s.firstSync.received >= 300);
    await c.close();
    const replica = await openRegisterDatabase(databaseName('1001', '03'), storageOn(idb));
    const cut = await catalogPullState(replica, 'products');
    await replica.close();
    expect(cut?.bulkDone).toBe(false);
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

      // A product changed at HQ now reaches the register live, written through RxDB (its change stream feeds the index).
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
    expect(await catalogPullState(after, 'products')).toMatchObject({ bulkDone: true });
    expect(await catalogPullState(after, 'stock')).toMatchObject({ bulkDone: true });
    await after.close();
  }, 120_000);

  it('pulls a replica filled before it existed once more from the start, through RxDB', async () => {
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
    expect(await catalogPullState(after, 'products')).toMatchObject({ bulkDone: true });
    expect((await catalogPullState(after, 'products'))?.checkpoint).not.toBeNull();
    await after.close();
  }, 120_000);
});
