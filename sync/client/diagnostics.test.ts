import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { type SellableProduct, addToCart, emptyCart } from '../../src/cart.ts';
import type { OperatorDoc } from '../protocol/docs.ts';
import type { RegisterClient } from './api.ts';
import { databaseName, openRegisterDatabase } from './database.ts';
import { openRegister } from './register.ts';
import type { AckDoc } from './schemas.ts';

// The register's diagnostics (Support screen): counts, sync state, numbering, HQ's refusals —
// and never the token, a PIN hash or the private key.

const storageOn = (factory: IDBFactory): RxStorage<unknown, unknown> => getRxStorageDexie({ indexedDB: factory, IDBKeyRange }) as RxStorage<unknown, unknown>;
const TOKEN = 'register-token-that-must-not-leak';

const open: RegisterClient[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

describe('diagnostics', () => {
  it('counts the replica, lists the latest refusals, and holds no secret', async () => {
    const factory = new IDBFactory();
    const db = await openRegisterDatabase(databaseName('1001', '01'), storageOn(factory));
    const operator: Omit<OperatorDoc, '_deleted'> = { id: '900', name: 'Manager', role: 'manager', storeId: null, pinHash: 'secret-hash', pinSalt: 'secret-salt', pinIterations: 1000 };
    await db.operators.insert(operator);
    const acks: AckDoc[] = Array.from({ length: 25 }, (_, i) => ({
      id: `s${String(i).padStart(2, '0')}`,
      kind: 'sales',
      status: i === 3 ? 'conflict' : 'refused',
      message: `invalid ${i}`,
      at: new Date(Date.UTC(2026, 10, 25, 12, i)).toISOString(),
    }));
    await db.acks.bulkInsert([...acks, { id: 'ok1', kind: 'sales', status: 'ok', message: '', at: '2026-11-25T13:00:00.000Z' }]);
    await db.close();

    const c = await openRegister(
      { hqUrl: 'http://127.0.0.1:9', storeId: '1001', registerId: '01', registerToken: TOKEN, tokenExpiresAt: '2027-02-23T00:00:00.000Z', lastSequence: 7 },
      { storage: storageOn(factory), live: false, now: () => new Date('2026-11-25T14:02:00.000Z') },
    );
    open.push(c);
    const product: SellableProduct = { id: 'p1', itemNumber: '1', barcode: null, name: 'Puzzel', priceCents: 1000, vat: 'high', inAssortment: true };
    await c.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 1000 }], 'cashier');

    const d = await c.diagnostics();
    expect(d.generatedAt).toBe('2026-11-25T14:02:00.000Z');
    expect(d.register).toEqual({ storeId: '1001', registerId: '01', hqUrl: 'http://127.0.0.1:9', tokenPresent: true, tokenExpiresAt: '2027-02-23T00:00:00.000Z' });
    expect(d.replica.databaseName).toBe('kassa-1001-01');
    expect(Object.keys(d.replica.documents).sort()).toEqual(
      ['acks', 'assortment', 'operators', 'orderEvents', 'orders', 'products', 'returns', 'sales', 'settings', 'shiftEvents', 'stock', 'stores'],
    );
    expect(d.replica.documents.sales).toBe(1);
    expect(d.replica.documents.operators).toBe(1);
    expect(d.replica.documents.acks).toBe(26);
    expect(d.sequences.sales).toEqual({ last: 8, hqAtEnrolment: 7 });
    expect(d.sync.firstSyncDone).toBe(false);
    // The 20 newest refusals and conflicts, newest first; the ok ack is not one.
    expect(d.problems).toHaveLength(20);
    expect(d.problems[0]).toEqual({ id: 's24', kind: 'sales', status: 'refused', message: 'invalid 24', at: '2026-11-25T12:24:00.000Z' });
    expect(d.problems.map((p) => p.id)).toContain('s05');
    expect(d.problems.map((p) => p.id)).not.toContain('s04');
    const text = JSON.stringify(d);
    for (const secret of [TOKEN, 'secret-hash', 'secret-salt', 'privateJwk', '"d":']) expect(text).not.toContain(secret);
    if (d.receiptKey) expect(d.receiptKey.keyId).toBeTruthy();
  });
});
