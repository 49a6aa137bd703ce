import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { type RxStorage, createRxDatabase } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { describe, expect, it } from 'vitest';
import { addToCart, emptyCart, overridePrice, removeLine } from '../../src/cart.ts';
import { recordHash, seal } from '../../src/chain.ts';
import { completeSale } from '../../src/sale.ts';
import { validateSale } from '../protocol/validate.ts';
import { databaseName, openRegisterDatabase } from './database.ts';
import { saleSchema } from './schemas.ts';

// The sales collection's schema versions, migrated the way a register updates: a sale not yet at
// HQ must come through whole, still valid for HQ and still matching its hash.

const storageOn = (factory: IDBFactory): RxStorage<unknown, unknown> => getRxStorageDexie({ indexedDB: factory, IDBKeyRange }) as RxStorage<unknown, unknown>;

const product = (id: string, priceCents: number) => ({ id, itemNumber: `I${id}`, barcode: null, name: `Product ${id}`, priceCents, vat: 'high' as const, inAssortment: true });
const ctx = (seq: number) => ({ storeId: '1001', registerId: '01', seq, createdAt: '2026-11-25T10:00:00.000Z', operatorId: '100' });

/** The sales schema of version 1: no voids, lines without a priceOverride. */
function v1Schema() {
  const { voids: _voids, ...properties } = saleSchema.properties;
  return { ...saleSchema, version: 1, properties: { ...properties, lines: { type: 'array', items: { type: 'object' } } } } as typeof saleSchema;
}

describe('sales: schema migrations', () => {
  it('version 2 added voids and price overrides; an unsent version-1 sale comes through unchanged', async () => {
    const idb = new IDBFactory();
    const first = seal(completeSale(addToCart(emptyCart, product('P1', 1299), 2), [{ kind: 'cash', tenderedCents: 3000 }], ctx(1)), null);
    const second = seal(completeSale(addToCart(emptyCart, product('P2', 350)), [{ kind: 'card', amountCents: 350 }], ctx(2)), first);
    const old = await createRxDatabase({ name: databaseName('1001', '01'), storage: storageOn(idb), multiInstance: false });
    await old.addCollections({ sales: { schema: v1Schema() } });
    await old.sales!.bulkInsert([first, second]);
    await old.close();

    const db = await openRegisterDatabase(databaseName('1001', '01'), storageOn(idb));
    const migrated = (await db.sales.find({ sort: [{ seq: 'asc' }] }).exec()).map((d) => d.toJSON());
    expect(migrated).toEqual([first, second]);
    for (const sale of migrated) {
      expect(recordHash(sale)).toBe(sale.hash);
      expect(validateSale({ ...sale, _deleted: false }).ok).toBe(true);
    }

    // A sale with both new fields is stored and read back whole.
    let cart = addToCart(addToCart(emptyCart, product('P1', 1299), 2), product('P3', 500));
    cart = overridePrice(cart, 0, 999, { managerId: '900', reason: 'damaged box' });
    cart = removeLine(cart, 1, { managerId: '900', reason: 'customer changed their mind' });
    const third = seal(completeSale(cart, [{ kind: 'card', amountCents: 1998 }], ctx(3)), second);
    await db.sales.insert(third);
    const back = (await db.sales.findOne(third.id).exec())!.toJSON();
    expect(back).toEqual(third);
    expect(back.lines[0]?.priceOverride).toEqual({ originalUnitPriceCents: 1299, managerId: '900', reason: 'damaged box' });
    expect(back.voids).toEqual([{ productId: 'P3', name: 'Product P3', quantity: 1, unitPriceCents: 500, managerId: '900', reason: 'customer changed their mind' }]);
    expect(recordHash(back)).toBe(back.hash);
    await db.close();
  });

  it('a version-0 sale (before the chain) goes through both migrations: sealed as a chain start, valid for HQ', async () => {
    const idb = new IDBFactory();
    const { prevSeq: _p, prevHash: _h, hash: _x, ...v0Properties } = v1Schema().properties;
    const old = await createRxDatabase({ name: databaseName('1001', '01'), storage: storageOn(idb), multiInstance: false });
    await old.addCollections({
      sales: { schema: { ...v1Schema(), version: 0, properties: v0Properties, required: ['id', 'receiptNo', 'storeId', 'registerId', 'seq', 'createdAt', 'lines', 'totalCents', 'tenders'] } as never },
    });
    const sale = completeSale(addToCart(emptyCart, product('P1', 1299)), [{ kind: 'card', amountCents: 1299 }], ctx(5));
    await old.sales!.insert(sale);
    await old.close();

    const db = await openRegisterDatabase(databaseName('1001', '01'), storageOn(idb));
    const migrated = (await db.sales.findOne(sale.id).exec())!.toJSON();
    expect(migrated).toEqual(seal(sale, null));
    expect(validateSale({ ...migrated, _deleted: false }).ok).toBe(true);
    await db.close();
  });
});
