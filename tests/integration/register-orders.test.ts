import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/cart.ts';
import type { Customer, NewOrderLine } from '../../src/order.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import type { NewOrder, OrderView } from '../../sync/client/api.ts';
import type { RegisterClient } from '../../sync/client/index.ts';
import { productInAssortment } from '../support/demo-product.ts';
import { freePort, waitFor } from '../support/hq-process.ts';
import { type Till, enrolTill, until, usingTill } from '../support/tills.ts';

// Customer orders across stores: real registers (sync/client: RxDB on Dexie over fake-indexeddb)
// against a real HQ on PGlite, in-process. An order is made at one store, replicated to the
// store where it is picked up, picked up there while HQ is away, and every register ends up
// showing the same order; a store that never had the order finds it at HQ and acts on it.
//
// A register has 10 RxDB collections and RxDB's open-source edition allows 13 open in one
// process, so the registers here take turns: each keeps its own IndexedDB and is opened,
// used and closed (a register restarting), never two at once.

const PRODUCTS = 300;
const ADMIN = 'orders-it-admin';

/** Waits until the register's view of the order satisfies `check`. */
async function viewUntil(client: RegisterClient, orderNo: string, what: string, check: (v: OrderView) => boolean): Promise<OrderView> {
  let last = null as OrderView | null;
  try {
    return await waitFor(what, async () => {
      last = await client.order(orderNo);
      return last && check(last) ? last : null;
    }, 30_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last view: ${JSON.stringify(last && { source: last.source, status: last.state.status, pending: last.pendingEventIds })}`);
  }
}

const customer: Customer = { name: 'Anna Bakker', phone: '06 1122 3344', email: 'anna@example.nl', addresses: [] };

function orderFor(pickupAt: string, madeAt: string, depositShare = 0.2): NewOrder & { valueCents: number } {
  const p = productInAssortment(madeAt, PRODUCTS);
  const line: NewOrderLine = {
    productId: p.id,
    itemNumber: p.id,
    barcode: p.barcode,
    name: p.name,
    quantity: 2,
    unitPriceCents: p.priceCents,
    vat: 'high',
    outOfAssortment: false,
    fulfilment: { mode: 'pickup', storeId: pickupAt },
  };
  const valueCents = p.priceCents * 2;
  const depositCents = Math.ceil(valueCents * depositShare);
  return { customer, lines: [line], depositCents, override: null, tenders: depositCents ? [{ kind: 'card', amountCents: depositCents }] : [], valueCents };
}

describe('customer orders between registers and HQ', () => {
  let hq: RunningHq;
  let port: number;
  const dataDir = mkdtempSync(join(tmpdir(), 'kassa-orders-'));
  const startOurHq = async () => startHq({ port, dataDir, adminToken: ADMIN, demoProducts: PRODUCTS, heartbeatMs: 500 });
  const till = (storeId: string, registerId: string): Promise<Till> => enrolTill(hq.url, storeId, registerId, ADMIN);

  beforeAll(async () => {
    port = await freePort();
    hq = await startOurHq();
  });
  afterAll(async () => {
    await hq?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('replicates an order to its pick-up store, which hands it out while HQ is away; afterwards both registers show it completed', async () => {
    const made = await till('1001', '01');
    const pickup = await till('1002', '01');
    const order = orderFor('1002', '1001');
    const balance = order.valueCents - order.depositCents;

    const orderNo = await usingTill(made, async (c) => {
      const created = await c.createOrder(order, '100');
      expect(created.state.orderNo).toBe('ORD-1001-01-000001');
      expect(created.source).toBe('replica');
      // Not yet at HQ — unless the live push was quicker than this read.
      expect(['EVT-1001-01-000001']).toEqual(expect.arrayContaining(created.pendingEventIds));
      expect(created.state).toMatchObject({ status: 'open', pickupStores: ['1002'], heldCents: order.depositCents });
      await until(c, 'order event acknowledged', (s) => s.pending === 0 && s.refused === 0);
      return created.state.orderNo;
    });
    expect((await hq.store.getOrder(orderNo))?.stores).toEqual(expect.arrayContaining(['1001', '1002']));

    // It reaches the pick-up store by replication (not by asking HQ).
    await usingTill(pickup, async (c) => {
      await waitFor('order ready for pick-up at 1002', async () => (await c.ordersForPickup()).some((o) => o.orderNo === orderNo), 30_000);
      const [ready] = (await c.ordersForPickup()).filter((o) => o.orderNo === orderNo);
      expect(ready).toMatchObject({ customerName: 'Anna Bakker', pickupHere: 1, balanceCents: balance, storeId: '1001', status: 'open' });
      expect((await c.findOrders('bakker')).map((o) => o.orderNo)).toContain(orderNo);
      expect((await c.findOrders('0611223344')).map((o) => o.orderNo)).toContain(orderNo);
      expect((await c.findCustomers('anna')).map((x) => x.email)).toEqual(['anna@example.nl']);
      expect((await c.order(orderNo.toLowerCase()))?.source).toBe('replica');
    });

    // HQ goes away. The pick-up store hands the order out all the same.
    await hq.close();
    await usingTill(pickup, async (c) => {
      await until(c, '1002 offline', (s) => !s.online && s.offlineSince !== null);
      const picked = await c.pickUpOrder(orderNo, [1], [{ kind: 'card', amountCents: balance }], '100');
      expect(picked.state.status).toBe('completed');
      expect(picked.state.lines[0]?.closedBy).toMatchObject({ type: 'pickedUp', storeId: '1002' });
      expect(picked.pendingEventIds).toEqual(['EVT-1002-01-000001']);
      await until(c, 'the pick-up waiting', (s) => s.pending === 1);
      expect((await c.ordersForPickup()).map((o) => o.orderNo)).not.toContain(orderNo);
      // Offline, an order this register never had cannot be looked up; it says why.
      await expect(c.order('ORD-1005-01-000001')).rejects.toThrow(/not on this register and HQ cannot be reached/);
    }, { hqUp: false });
    // The store that made it does not know yet.
    await usingTill(made, async (c) => {
      expect((await c.order(orderNo))?.state.status).toBe('open');
    }, { hqUp: false });

    // HQ is back: the pick-up goes out, and both registers show the order completed.
    hq = await startOurHq();
    for (const t of [pickup, made]) {
      await usingTill(t, async (c) => {
        await until(c, 'nothing waiting', (s) => s.pending === 0 && s.refused === 0);
        const view = await viewUntil(c, orderNo, `completed at ${t.identity.storeId}`, (v) => v.state.status === 'completed' && v.state.events.length === 2 && v.pendingEventIds.length === 0);
        expect(view.source).toBe('replica');
        expect(view.state.exceptions).toEqual([]);
        expect(view.state.balanceCents).toBe(0);
        expect(view.state.paidCents).toBe(order.valueCents);
        if (t === pickup) {
          // A sale at the pick-up register still gets receipt number 1: order events have their own sequence.
          const p = productInAssortment('1002', PRODUCTS);
          const sale = await c.completeSale(addToCart(emptyCart, { ...p, itemNumber: p.id, vat: 'high', inAssortment: true }), [{ kind: 'card', amountCents: p.priceCents }], '100');
          expect(sale.receiptNo).toBe('1002-01-000001');
          await until(c, 'sale acknowledged', (s) => s.pending === 0 && s.refused === 0);
        }
      });
    }
    expect((await hq.store.getOrder(orderNo))?.status).toBe('completed');
  });

  it('finds an order never replicated to its store at HQ, and cancels it there', async () => {
    const made = await till('1001', '02');
    const elsewhere = await till('1003', '01');
    const order = orderFor('1001', '1001');
    const orderNo = await usingTill(made, async (c) => {
      const { state } = await c.createOrder(order, '100');
      await until(c, 'order event acknowledged', (s) => s.pending === 0 && s.refused === 0);
      return state.orderNo;
    });
    expect((await hq.store.getOrder(orderNo))?.stores).not.toContain('1003');

    const charge = Math.min(order.depositCents, Math.ceil(order.valueCents * 0.05));
    await usingTill(elsewhere, async (c) => {
      // Not in 1003's replica; HQ has it.
      expect(await c.findOrders(orderNo)).toEqual([]);
      expect(await c.ordersForPickup()).toEqual([]);
      const found = await c.order(orderNo.replace('ORD-', 'ord '));
      expect(found).toMatchObject({ source: 'hq', pendingEventIds: [] });
      expect(found?.state).toMatchObject({ orderNo, status: 'open', complete: true });
      expect(await c.order('ORD-1001-02-009999')).toBeNull();

      const cancelled = await c.cancelOrder(orderNo, [1], 'card', 'customer cancelled by phone', '100');
      expect(cancelled.source).toBe('hq');
      expect(cancelled.state.status).toBe('cancelled');
      expect(cancelled.state.lines[0]?.closedBy).toMatchObject({ type: 'cancelled', storeId: '1003' });
      // The chain keeps its charge (5 % of the value, at most what was held); the rest goes back.
      expect(cancelled.state.chargesCents).toBe(charge);
      expect(cancelled.state.refundedCents).toBe(order.depositCents - charge);
      await until(c, 'cancellation acknowledged', (s) => s.pending === 0 && s.refused === 0);
      expect((await hq.store.getOrder(orderNo))?.status).toBe('cancelled');

      // HQ replicates it to 1003 now (the store acted on it): the replica's copy takes over.
      const replicated = await viewUntil(c, orderNo, 'replicated to 1003', (v) => v.source === 'replica');
      expect(replicated).toMatchObject({ pendingEventIds: [] });
      expect(replicated.state.status).toBe('cancelled');
      expect((await c.findOrders('anna')).map((o) => o.orderNo)).toContain(orderNo);
    });
    await usingTill(made, async (c) => {
      await viewUntil(c, orderNo, 'cancelled at 1001', (v) => v.state.status === 'cancelled' && v.state.chargesCents === charge);
    });
  });

  it('continues order numbers above HQ’s after a reinstall, apart from the receipt numbers', async () => {
    const before = await till('1004', '02');
    expect(before.identity.lastOrderSequence).toBe(0);
    await usingTill(before, async (c) => {
      for (let i = 0; i < 2; i++) await c.createOrder(orderFor('1004', '1004'), '100');
      await until(c, 'orders acknowledged', (s) => s.pending === 0 && s.refused === 0);
    });

    // The register is reinstalled: enrolled again, with an empty replica.
    const after = await till('1004', '02');
    expect(after.identity).toMatchObject({ lastOrderSequence: 2, lastSequence: 0 });
    await usingTill(after, async (c) => {
      const next = await c.createOrder(orderFor('1004', '1004'), '100');
      expect(next.state.orderNo).toBe('ORD-1004-02-000003');
      const p = productInAssortment('1004', PRODUCTS);
      const sale = await c.completeSale(addToCart(emptyCart, { ...p, itemNumber: p.id, vat: 'high', inAssortment: true }), [{ kind: 'card', amountCents: p.priceCents }], '100');
      expect(sale.receiptNo).toBe('1004-02-000001');
      await until(c, 'order and sale acknowledged', (s) => s.pending === 0 && s.refused === 0);
      // The orders made before the reinstall come back with the pull (made at this store).
      await waitFor('earlier orders back', async () => (await c.findOrders('ORD-1004-02')).length === 3, 30_000);
    });
  });

  it('refuses a wrong manager PIN and approves the right one, which overrides a deposit', async () => {
    await usingTill(await till('1005', '01'), async (c) => {
      await waitFor('operators replicated', async () => (await c.approveAsManager('900', '9999')) !== null, 30_000);
      expect(await c.approveAsManager('900', '1234')).toBeNull();
      expect(await c.approveAsManager('900', '99999')).toBeNull();
      // A cashier's right PIN does not make them a manager.
      expect(await c.approveAsManager('100', '1234')).toBeNull();
      const approval = await c.approveAsManager('900', '9999');
      expect(approval).toEqual({ managerId: '900', name: 'Bedrijfsleider' });

      const order = orderFor('1005', '1005', 0);
      await expect(c.createOrder(order, '100')).rejects.toThrow(/manager/);
      const made = await c.createOrder({ ...order, override: { managerId: approval?.managerId ?? '', reason: 'regular customer' } }, '100');
      expect(made.state.orderNo).toBe('ORD-1005-01-000001');
      expect(made.state.depositOverride).toEqual({ managerId: '900', reason: 'regular customer' });
      await until(c, 'accepted by HQ', (s) => s.pending === 0 && s.refused === 0);
      expect((await hq.store.getOrder(made.state.orderNo))?.status).toBe('open');
    });
  });
});
