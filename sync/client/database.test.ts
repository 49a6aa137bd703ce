import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { describe, expect, it } from 'vitest';
import type { ProductDoc } from '../protocol/docs.ts';
import { dexieInternals, openRegisterDatabase, readAll } from './database.ts';

// readAll reads a collection at start (the whole catalog): on RxDB's Dexie storage it goes by
// primary-key pages straight from the table. It must give exactly the live documents, as
// documents (no RxDB bookkeeping, booleans as booleans), in id order, across pages.

const storage = (): RxStorage<unknown, unknown> => getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }) as RxStorage<unknown, unknown>;

const product = (i: number): Omit<ProductDoc, '_deleted'> => ({
  id: String(1_000_000 + i),
  itemNumber: String(1_000_000 + i),
  barcode: i % 3 === 0 ? null : `87${String(i).padStart(11, '0')}`,
  name: `Product ${i}`,
  category: 'Keuken/Textiel',
  priceCents: 100 + i,
  vat: 'high',
} as Omit<ProductDoc, '_deleted'>);

describe('readAll', () => {
  it('reads every live document once, in id order, across pages, without RxDB bookkeeping', async () => {
    const db = await openRegisterDatabase('kassa-readall-01', storage());
    try {
      expect(await dexieInternals(db.products)).not.toBeNull();
      const docs = Array.from({ length: 257 }, (_, i) => product(i));
      // Inserted out of order; some deleted afterwards (RxDB keeps them as _deleted rows).
      await db.products.bulkInsert([...docs].reverse());
      const gone = new Set(docs.filter((_, i) => i % 10 === 7).map((d) => d.id));
      await db.products.bulkRemove([...gone]);

      const pages: number[] = [];
      const read: Omit<ProductDoc, '_deleted'>[] = [];
      const n = await readAll(db.products, (page) => {
        pages.push(page.length);
        read.push(...page);
      }, 50);

      const expected = docs.filter((d) => !gone.has(d.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(n).toBe(expected.length);
      expect(read).toEqual(expected);
      expect(pages.length).toBeGreaterThan(5);
      for (const d of read) expect(Object.keys(d).some((k) => k.startsWith('_'))).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('gives the same documents as RxDB’s own query', async () => {
    const db = await openRegisterDatabase('kassa-readall-02', storage());
    try {
      await db.assortment.bulkInsert([
        { id: '1001:1', storeId: '1001', groupId: null, productId: '1', validFrom: '2026-01-01', validTo: null },
        { id: 'G:2', storeId: null, groupId: 'GROOT', productId: '2', validFrom: '2026-01-01', validTo: '2026-12-31' },
      ] as never);
      const fast: unknown[] = [];
      await readAll(db.assortment, (p) => fast.push(...p));
      const viaQuery = (await db.assortment.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => {
        const { _deleted: _d, ...rest } = d.toJSON() as Record<string, unknown>;
        return rest;
      });
      expect(fast).toEqual(viaQuery);
    } finally {
      await db.close();
    }
  });
});
