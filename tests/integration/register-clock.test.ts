import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/cart.ts';
import { verifyChain } from '../../src/chain.ts';
import { enrolmentApi, openRegister } from '../../sync/client/index.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { waitFor } from '../support/hq-process.ts';

// A register whose clock is hours wrong, and jumps back and forth (a dead CMOS battery, a
// cashier fixing the time by hand): numbers, chain and HQ's order of arrival stay right,
// because nothing orders by the register's wall clock.

describe('register clock set hours wrong', () => {
  let hq: RunningHq;
  beforeAll(async () => {
    hq = await startHq({ memory: true, adminToken: 'clock-admin', demoProducts: 100 });
  });
  afterAll(async () => {
    await hq?.close();
  });

  it('numbers, chains and lists sales in the order they were made, whatever the clock says', async () => {
    const identity = await enrolmentApi.enrol(hq.url, '1005', '02', 'clock-admin');
    const hour = 3_600_000;
    const real = Date.now();
    // The register's clock for each successive sale: 5 h behind, 7 h ahead, 10 h behind, a day ahead.
    const offsets = [-5 * hour, 7 * hour, -10 * hour, 24 * hour, -1 * hour];
    let clock = offsets[0] ?? 0;
    const client = await openRegister(identity, {
      storage: getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }) as RxStorage<unknown, unknown>,
      now: () => new Date(Date.now() + clock),
    });
    try {
      const product = { id: '1000001', itemNumber: '1000001', barcode: null, name: 'Klokproduct', priceCents: 150, vat: 'high' as const, inAssortment: true };
      const made = [];
      for (const offset of offsets) {
        clock = offset;
        made.push(await client.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 200 }], 'cashier'));
        // Let each go out before the next, so HQ's order of arrival is the order of making.
        await waitFor('sale acknowledged', async () => client.getStatus().pending === 0, 30_000);
      }
      expect(made.map((s) => s.receiptNo)).toEqual(['1005-02-000001', '1005-02-000002', '1005-02-000003', '1005-02-000004', '1005-02-000005']);
      // The clock really was all over the place: the register's own timestamps are out of order.
      const stamps = made.map((s) => Date.parse(s.createdAt));
      expect(stamps.some((t, i) => i > 0 && t < (stamps[i - 1] ?? 0))).toBe(true);
      expect(Math.abs((stamps[3] ?? 0) - real)).toBeGreaterThan(20 * hour);

      expect(verifyChain(made)).toEqual([]);
      const atHq = await hq.store.listSales('1005', 10);
      expect(atHq.map((s) => s.receiptNo)).toEqual(['1005-02-000005', '1005-02-000004', '1005-02-000003', '1005-02-000002', '1005-02-000001']);
      // HQ's received time is its own clock: recent, not the register's.
      for (const s of atHq) expect(Math.abs(Date.parse(s.receivedAt) - Date.now())).toBeLessThan(hour);
      expect((await hq.store.alerts({ storeId: '1005' })).map((a) => a.kind)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
