import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProductDoc, StockDoc } from '../protocol/docs.ts';
import type { CatalogImageStatus, RegisterClient } from './api.ts';
import { REBUILD_AFTER_CHANGES } from './catalog-image-keeper.ts';
import { databaseName, openRegisterDatabase } from './database.ts';
import { openRegister } from './register.ts';

// The catalog image through the register's client, on RxDB over Dexie on fake-indexeddb: built
// after the first sync, loaded at the next start and patched with what changed in between.
// (In Node there are no workers: the image is built on the test's thread, the same code.)

const storageOn = (factory: IDBFactory): RxStorage<unknown, unknown> => getRxStorageDexie({ indexedDB: factory, IDBKeyRange }) as RxStorage<unknown, unknown>;
const NAME = databaseName('1001', '01');
const open: RegisterClient[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

const words = ['stroopwafel', 'appelsap', 'theedoek', 'kaas', 'pan', 'zout'];
const product = (i: number): Omit<ProductDoc, '_deleted'> => ({
  id: String(1_000_000 + i),
  itemNumber: String(1_000_000 + i),
  barcode: String(8_710_000_000_000 + i),
  name: `${words[i % words.length]} ${words[Math.floor(i / 6) % words.length]} ${i}`,
  category: i % 2 ? 'Eten' : 'Keuken',
  priceCents: 100 + i,
  vat: 'low',
});
const figure = (i: number, locationId: string, onHand: number): Omit<StockDoc, '_deleted'> => ({
  id: `${locationId}:${1_000_000 + i}`,
  locationId,
  productId: String(1_000_000 + i),
  onHand,
  reserved: 0,
  asOf: '2026-12-07T06:00:00.000Z',
  booked: {},
});

/** A replica as a first sync leaves it: 600 products, stock here and at 1002, this store carries the even ones. */
async function syncedReplica(factory: IDBFactory): Promise<void> {
  const db = await openRegisterDatabase(NAME, storageOn(factory));
  await db.products.bulkInsert(Array.from({ length: 600 }, (_, i) => product(i)));
  await db.stock.bulkInsert([...Array.from({ length: 600 }, (_, i) => figure(i, '1001', i % 9)), ...Array.from({ length: 300 }, (_, i) => figure(i, '1002', 5))]);
  await db.assortment.bulkInsert(
    Array.from({ length: 300 }, (_, k) => ({ id: `1001:${1_000_000 + 2 * k}`, storeId: '1001', groupId: null, productId: String(1_000_000 + 2 * k), validFrom: '2025-01-01', validTo: null })) as never,
  );
  await db.upsertLocal('register-meta', { firstSyncDone: true });
  await db.close();
}

async function register(factory: IDBFactory, imageQuietMs = 10): Promise<RegisterClient> {
  const c = await openRegister({ hqUrl: 'http://127.0.0.1:9', storeId: '1001', registerId: '01', registerToken: 'test-token' }, { storage: storageOn(factory), live: false, imageQuietMs });
  open.push(c);
  return c;
}

async function imageOf(c: RegisterClient): Promise<CatalogImageStatus> {
  return (await c.diagnostics()).catalogImage;
}

async function built(c: RegisterClient): Promise<CatalogImageStatus> {
  for (let i = 0; i < 400; i++) {
    const s = await imageOf(c);
    if (s.lastBuild && !s.building) return s;
    if (s.error) throw new Error(s.error);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no catalog image was built');
}

/** What a cashier sees: searches in every scope, a scan, a category, a product's stock. */
async function answers(c: RegisterClient) {
  return {
    kaas: await c.searchProducts('kaas', 20, 'store'),
    pan: await c.searchProducts('pan zo', 20, 'catalog'),
    elsewhere: await c.searchProducts('the', 20, 'elsewhere'),
    scan: await c.findByCode('8710000000012'),
    browse: await c.browse('Eten', 0, 20, 'catalog'),
    tree: await c.categories('store'),
    availability: await c.availability('1000004'),
  };
}

describe('the catalog image, through the register', () => {
  it('is built after the first sync, used at the next start, and patched with the changes since', async () => {
    const factory = new IDBFactory();
    await syncedReplica(factory);
    // Time to ask before the image is built (the index as read row by row)...
    const first = await register(factory, 1500);
    expect(await imageOf(first)).toMatchObject({ usedAtStart: false, inUse: false });
    const rowByRow = await answers(first);
    const image = await built(first);
    expect(image).toMatchObject({ products: 600, stock: 900, changesSince: 0, error: null });
    // ...and after: the running index moved onto the image, with the same answers.
    expect(image).toMatchObject({ usedAtStart: false, inUse: true });
    const before = await answers(first);
    expect(before).toEqual(rowByRow);
    expect(before.kaas.length).toBe(20);
    await first.close();
    open.splice(0);

    // Changes while the register was closed, as a pull would write them.
    const db = await openRegisterDatabase(NAME, storageOn(factory));
    await db.products.upsert({ ...product(4), name: 'Kaasschaaf deluxe', priceCents: 999 });
    await (await db.products.findOne('1000022').exec())?.remove();
    await db.products.insert(product(600));
    await db.stock.upsert(figure(4, '1002', 0));
    await db.stock.upsert(figure(4, '1003', 7));
    await db.close();

    const second = await register(factory);
    expect(await imageOf(second)).toMatchObject({ usedAtStart: true, inUse: true, products: 600, changesSince: 5 });
    const after = await answers(second);
    // The same register without an image: every row read again (the image is of another replica id).
    const db2 = await openRegisterDatabase(NAME, storageOn(factory));
    await db2.upsertLocal('register-meta', { ...(await db2.getLocal<Record<string, unknown>>('register-meta'))?.toJSON().data, replicaId: 'another-replica' });
    await db2.close();
    await second.close();
    open.splice(0);
    const third = await register(factory);
    expect((await imageOf(third)).usedAtStart).toBe(false);
    expect(after).toEqual(await answers(third));

    // And what changed is what the cashier sees.
    expect(after.kaas[0]).toMatchObject({ id: '1000004', name: 'Kaasschaaf deluxe', priceCents: 999 });
    expect(after.kaas.some((h) => h.id === '1000022')).toBe(false);
    expect(before.kaas.some((h) => h.id === '1000022')).toBe(true);
    // 1002's figure went to 0 and 1003 got 7.
    expect(after.kaas[0]).toMatchObject({ availableElsewhere: 7, locationsElsewhere: 1, onHandHere: 4 });
    expect(await third.findByCode('8710000000600')).toMatchObject({ id: '1000600', inAssortment: false });
  }, 60_000);

  it('is rebuilt once enough changes came after it', async () => {
    expect(REBUILD_AFTER_CHANGES).toBeGreaterThan(0);
    const factory = new IDBFactory();
    await syncedReplica(factory);
    const first = await register(factory);
    const image = await built(first);
    await first.close();
    open.splice(0);
    const writer = await openRegisterDatabase(NAME, storageOn(factory));
    await writer.products.bulkUpsert(Array.from({ length: REBUILD_AFTER_CHANGES }, (_, i) => ({ ...product(i % 600), priceCents: 5000 + i, id: String(2_000_000 + i), itemNumber: String(2_000_000 + i), barcode: null })));
    await writer.close();
    const second = await register(factory);
    // It started from the old image and its 5,000 changes, and so builds a new one at once.
    expect((await imageOf(second)).usedAtStart).toBe(true);
    const rebuilt = await built(second);
    expect(rebuilt.products).toBe(600 + REBUILD_AFTER_CHANGES);
    expect(rebuilt.builtAt && image.builtAt && rebuilt.builtAt >= image.builtAt).toBe(true);
    expect(rebuilt.changesSince).toBe(0);
  }, 60_000);
});
