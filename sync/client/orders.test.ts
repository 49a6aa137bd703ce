import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/cart.ts';
import { type Customer, type NewOrderLine, type OrderEvent, createOrder, foldOrder, pickUp } from '../../src/order.ts';
import type { OperatorDoc, OrderDoc, SettingsDoc } from '../protocol/docs.ts';
import { hashPin } from '../protocol/pin.ts';
import type { NewOrder, RegisterClient, SyncStatus } from './api.ts';
import { databaseName, openRegisterDatabase } from './database.ts';
import { customerKey, customerMatches, orderMatches } from './orders.ts';
import { openRegister } from './register.ts';
import type { AckDoc } from './schemas.ts';

// Customer orders in the register's sync client, on RxDB over Dexie on fake-indexeddb, with a
// small fake HQ (node:http) where HQ must answer. The real HQ is in tests/integration.

const storageOn = (factory: IDBFactory): RxStorage<unknown, unknown> => getRxStorageDexie({ indexedDB: factory, IDBKeyRange }) as RxStorage<unknown, unknown>;

const ann: Customer = { name: 'Ann de Vries', phone: '06-1234 5678', email: 'ann@example.nl', addresses: [] };
const bob: Customer = { name: 'Bob Jansen', phone: '+31 30 555 0101', email: null, addresses: [] };

const line = (storeId: string, priceCents = 1000, quantity = 1): NewOrderLine => ({
  productId: '1000001',
  itemNumber: '1000001',
  barcode: null,
  name: 'Legpuzzel molens',
  quantity,
  unitPriceCents: priceCents,
  vat: 'high',
  outOfAssortment: false,
  fulfilment: { mode: 'pickup', storeId },
});

const newOrder = (customer: Customer, pickupAt: string, depositCents = 200): NewOrder => ({
  customer,
  lines: [line(pickupAt)],
  depositCents,
  override: null,
  tenders: depositCents ? [{ kind: 'card', amountCents: depositCents }] : [],
});

/** An order as HQ would hold it, made at another register. */
function hqOrder(storeId: string, registerId: string, seq: number, customer: Customer, pickupAt: string, extra: (e: OrderEvent[]) => OrderEvent[] = () => []): Omit<OrderDoc, '_deleted'> {
  const created = createOrder(
    { customer, lines: [line(pickupAt)], settings: { depositBp: 2000 }, depositCents: 200, override: null, tenders: [{ kind: 'card', amountCents: 200 }] },
    { storeId, registerId, seq, createdAt: `2026-11-0${seq % 9}T10:00:00.000Z`, operatorId: '100' },
  );
  const events: OrderEvent[] = [created, ...extra([created])];
  const state = foldOrder(created.orderNo, events);
  return {
    id: created.orderNo,
    storeId,
    stores: [...new Set([storeId, pickupAt])],
    customerName: customer.name,
    customerPhone: customer.phone,
    status: state.status,
    pickupStores: state.pickupStores,
    exceptions: state.exceptions.length,
    createdAt: created.createdAt,
    events,
  };
}

async function seed(factory: IDBFactory, storeId: string, registerId: string, docs: { orders?: Omit<OrderDoc, '_deleted'>[]; settings?: Omit<SettingsDoc, '_deleted'>[]; operators?: Omit<OperatorDoc, '_deleted'>[] }): Promise<void> {
  const db = await openRegisterDatabase(databaseName(storeId, registerId), storageOn(factory));
  if (docs.orders) await db.orders.bulkInsert(docs.orders);
  if (docs.settings) await db.settings.bulkInsert(docs.settings);
  if (docs.operators) await db.operators.bulkInsert(docs.operators);
  await db.close();
}

const identity = (storeId: string, registerId: string, hqUrl = 'http://127.0.0.1:9') => ({ hqUrl, storeId, registerId, registerToken: 'test-token' });

async function waitUntil<T>(what: string, fn: () => Promise<T | null | false | undefined> | T | null | false | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const open: RegisterClient[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function register(factory: IDBFactory, storeId: string, registerId: string, extra: { lastOrderSequence?: number; lastSequence?: number; hqUrl?: string; live?: boolean } = {}): Promise<RegisterClient> {
  const { hqUrl, live, ...numbers } = extra;
  const c = await openRegister({ ...identity(storeId, registerId, hqUrl), ...numbers }, { storage: storageOn(factory), live: live ?? false });
  open.push(c);
  return c;
}

describe('order matching', () => {
  const order = { orderNo: 'ORD-1001-01-000042', customerName: 'Ann de Vries', customerPhone: '06-1234 5678' };
  it('finds by number (lenient), name part in any case, and phone digits', () => {
    expect(orderMatches('ord-1001-01-42', order)).toBe(true);
    expect(orderMatches('1001-01-000042', order)).toBe(true);
    expect(orderMatches('000042', order)).toBe(true);
    expect(orderMatches('DE VRIES', order)).toBe(true);
    expect(orderMatches('0612345678', order)).toBe(true);
    expect(orderMatches('1234 56', order)).toBe(true);
    expect(orderMatches('', order)).toBe(true);
    expect(orderMatches('Jansen', order)).toBe(false);
    expect(orderMatches('ord-1001-01-43', order)).toBe(false);
    expect(orderMatches('99', order)).toBe(false);
  });

  it('matches customers by name, e-mail or phone, and keys them by all three', () => {
    expect(customerMatches('ann', ann)).toBe(true);
    expect(customerMatches('EXAMPLE.NL', ann)).toBe(true);
    expect(customerMatches('5550101', bob)).toBe(true);
    expect(customerMatches('', ann)).toBe(false);
    expect(customerKey({ ...ann, name: ' ann  de vries ', phone: '0612345678' })).toBe(customerKey(ann));
    expect(customerKey({ ...ann, email: null })).not.toBe(customerKey(ann));
  });
});

describe('orders on the register (no HQ)', () => {
  it('numbers order events on their own sequence, above HQ’s, and leaves the sales chain without gaps', async () => {
    const idb = new IDBFactory();
    const c = await register(idb, '1001', '01', { lastOrderSequence: 41 });
    const made = await c.createOrder(newOrder(ann, '1002'), '100');
    expect(made.state.orderNo).toBe('ORD-1001-01-000042');
    expect(made.source).toBe('replica');
    expect(made.state.complete).toBe(true);
    expect(made.pendingEventIds).toEqual(['EVT-1001-01-000042']);
    expect(made.state.pickupStores).toEqual(['1002']);
    const product = { id: '1000001', itemNumber: '1000001', barcode: null, name: 'Testproduct', priceCents: 250, vat: 'high' as const, inAssortment: true };
    const sale = await c.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 500 }], '100');
    expect(sale.seq).toBe(1);
    const deposit = await c.addDeposit('ORD-1001-01-000042', 300, [{ kind: 'cash', tenderedCents: 300 }], '100');
    expect(deposit.pendingEventIds).toEqual(['EVT-1001-01-000042', 'EVT-1001-01-000043']);
    expect(deposit.state.heldCents).toBe(500);
    expect(deposit.state.events.at(-1)?.clock).toBe(2);
    // Both kinds wait for HQ.
    await waitUntil('three records waiting', () => c.getStatus().pending === 3);
    await c.close();
    open.splice(0);

    // After a restart the order sequence goes on from where it was; so does the sales sequence.
    const again = await register(idb, '1001', '01', { lastOrderSequence: 41 });
    expect((await again.createOrder(newOrder(bob, '1001'), '100')).state.orderNo).toBe('ORD-1001-01-000044');
    expect((await again.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 500 }], '100')).seq).toBe(2);
  });

  it('refuses what the domain refuses, writes nothing, and uses no number', async () => {
    const c = await register(new IDBFactory(), '1001', '02');
    // Below the required deposit (20 % of 1000 = 200) without a manager.
    await expect(c.createOrder(newOrder(ann, '1001', 100), '100')).rejects.toThrow(/at least 200/);
    await expect(c.createOrder({ ...newOrder(ann, '1001'), tenders: [] }, '100')).rejects.toThrow(/remain/);
    expect(await c.findOrders('')).toEqual([]);
    const made = await c.createOrder(newOrder(ann, '1001'), '100');
    expect(made.state.orderNo).toBe('ORD-1001-02-000001');
    // Picking up a line twice, an unknown line, an unknown order.
    const picked = await c.pickUpOrder(made.state.orderNo, [1], [{ kind: 'card', amountCents: 800 }], '100');
    expect(picked.state.status).toBe('completed');
    await expect(c.pickUpOrder(made.state.orderNo, [1], [{ kind: 'card', amountCents: 800 }], '100')).rejects.toThrow(/already handed out/);
    await expect(c.cancelOrder(made.state.orderNo, [7], 'cash', 'changed mind', '100')).rejects.toThrow(/no line 7/);
    await expect(c.order('not an order')).resolves.toBeNull();
    expect((await c.order(made.state.orderNo))?.state.events.map((e) => e.seq)).toEqual([1, 2]);
    expect((await c.createOrder(newOrder(bob, '1001'), '100')).state.orderNo).toBe('ORD-1001-02-000003');
  });

  it('takes a manager’s override for a lower deposit', async () => {
    const c = await register(new IDBFactory(), '1001', '03');
    const made = await c.createOrder({ ...newOrder(ann, '1001', 0), override: { managerId: '900', reason: 'regular customer' } }, '100');
    expect(made.state.depositOverride).toEqual({ managerId: '900', reason: 'regular customer' });
    expect(made.state.balanceCents).toBe(1000);
  });

  it('folds HQ’s events with its own, searches, lists pick-ups here, and finds customers', async () => {
    const idb = new IDBFactory();
    // Ann ordered twice; the newer order (seq 7: created on the 7th) has her address.
    const forHere = hqOrder('1001', '01', 7, { ...ann, addresses: [{ street: 'Laan 1', postcode: '3511 AA', town: 'Utrecht', country: 'NL' }] }, '1002');
    const forHere2 = hqOrder('1003', '02', 3, ann, '1002');
    const pickedUpAlready = hqOrder('1001', '01', 8, bob, '1002', ([created]) => [
      pickUp(foldOrder(created!.orderNo, [created!]), [1], [{ kind: 'card', amountCents: 800 }], { storeId: '1002', registerId: '01', seq: 1, createdAt: '2026-11-09T10:00:00.000Z', operatorId: '100' }),
    ]);
    await seed(idb, '1002', '02', {
      orders: [forHere, forHere2, pickedUpAlready],
      settings: [{ id: 'orders', depositBp: 5000, cancelChargeBp: 1000, deliveryModes: [] }],
    });
    const c = await register(idb, '1002', '02');
    expect(await c.orderSettings()).toEqual({ depositBp: 5000, cancelChargeBp: 1000, deliveryModes: [] });

    const pickups = await c.ordersForPickup();
    expect(pickups.map((o) => o.orderNo).sort()).toEqual([forHere.id, forHere2.id].sort());
    expect(pickups[0]).toMatchObject({ pickupHere: 1, balanceCents: 800, status: 'open' });

    // By number (lenient), by name, by phone digits; newest first.
    expect((await c.findOrders('ord-1001-01-7')).map((o) => o.orderNo)).toEqual([forHere.id]);
    expect((await c.findOrders('de vries')).map((o) => o.orderNo)).toEqual([forHere.id, forHere2.id]);
    expect((await c.findOrders('5550101')).map((o) => o.orderNo)).toEqual([pickedUpAlready.id]);
    expect((await c.findOrders('')).length).toBe(3);

    // Picked up here: the view folds HQ's events with this register's, which wait for HQ.
    const picked = await c.pickUpOrder('ord 1001-01-7', [1], [{ kind: 'cash', tenderedCents: 1000 }], '101');
    expect(picked.state.status).toBe('completed');
    expect(picked.source).toBe('replica');
    expect(picked.pendingEventIds).toEqual(['EVT-1002-02-000001']);
    expect(picked.state.events.map((e) => e.type)).toEqual(['created', 'pickedUp']);
    expect((await c.ordersForPickup()).map((o) => o.orderNo)).toEqual([forHere2.id]);
    expect((await c.findOrders('de vries'))[0]).toMatchObject({ orderNo: forHere.id, status: 'completed', pickupHere: 0 });

    // The cancellation charge comes from the replica's settings (10 % of 1000 = 100 of the 200 held).
    const cancelled = await c.cancelOrder(forHere2.id, [1], 'cash', 'too late', '101');
    expect(cancelled.state.lines[0]).toMatchObject({ status: 'cancelled', chargeCents: 100 });
    expect(cancelled.state.refundedCents).toBe(100);

    // Customers: de-duplicated (the newest order's details), by name, phone or e-mail.
    const customers = await c.findCustomers('ann');
    expect(customers).toHaveLength(1);
    expect(customers[0]?.addresses).toHaveLength(1);
    expect(await c.findCustomers('0612345678')).toHaveLength(1);
    expect((await c.findCustomers('jansen')).map((x) => x.name)).toEqual(['Bob Jansen']);
    expect(await c.findCustomers('nobody')).toEqual([]);
  });

  it('approves a manager of this store (or of every store) by PIN, offline', async () => {
    const idb = new IDBFactory();
    const pin = async (p: string) => hashPin(p, 1000);
    await seed(idb, '1001', '01', {
      operators: [
        { id: '900', name: 'Marieke (manager)', role: 'manager', storeId: null, ...(await pin('9999')) },
        { id: '901', name: 'Other store manager', role: 'manager', storeId: '1002', ...(await pin('9999')) },
        { id: '902', name: 'Own store manager', role: 'manager', storeId: '1001', ...(await pin('4321')) },
        { id: '100', name: 'Kees (cashier)', role: 'cashier', storeId: null, ...(await pin('1234')) },
      ],
    });
    const c = await register(idb, '1001', '01');
    expect(await c.approveAsManager('900', '0000')).toBeNull();
    expect(await c.approveAsManager('900', '9999')).toEqual({ managerId: '900', name: 'Marieke (manager)' });
    expect(await c.approveAsManager('902', '4321')).toEqual({ managerId: '902', name: 'Own store manager' });
    expect(await c.approveAsManager('901', '9999')).toBeNull();
    expect(await c.approveAsManager('100', '1234')).toBeNull();
    expect(await c.approveAsManager('555', '9999')).toBeNull();
  });

  it('tells the UI when orders change', async () => {
    const c = await register(new IDBFactory(), '1001', '01');
    let calls = 0;
    c.subscribeReplica(() => calls++);
    await c.createOrder(newOrder(ann, '1001'), '100');
    await waitUntil('replica listener called', () => calls > 0, 2000);
  });

  it('says so when an order is not here and HQ cannot be reached', async () => {
    const c = await register(new IDBFactory(), '1003', '01');
    await expect(c.order('ORD-1001-01-000009')).rejects.toThrow(/not on this register and HQ cannot be reached/);
    // With a code and the order's number, which the screens say in the register's language.
    await expect(c.order('ORD-1001-01-000009')).rejects.toMatchObject({ code: 'order_unreachable', subject: 'ORD-1001-01-000009' });
    await expect(c.cancelOrder('ORD-1001-01-000009', [1], 'cash', 'x', '100')).rejects.toThrow(/HQ cannot be reached/);
    expect(c.getStatus().pending).toBe(0);
  });
});

// ---- with a fake HQ ------------------------------------------------------------------------

interface FakeHq {
  url: string;
  pushed: { collection: string; ids: string[] }[];
  /** Documents served by the pull of each collection (all at once, on the first pull after a change). */
  docs: Record<string, { id: string; [field: string]: unknown }[]>;
  /** Record ids HQ refuses (400). */
  refuse: Set<string>;
  /** Order documents HQ answers GET /api/orders/:orderNo with. */
  orders: Map<string, Omit<OrderDoc, '_deleted'>>;
  /** Tell open event streams to pull these collections now. */
  notify(collections: string[]): void;
}

async function fakeHq(): Promise<FakeHq> {
  const streams = new Set<ServerResponse>();
  const hq: Omit<FakeHq, 'url'> = {
    pushed: [],
    docs: {},
    refuse: new Set(),
    orders: new Map(),
    notify(collections) {
      for (const s of streams) s.write(`event: change\ndata: ${JSON.stringify({ collections })}\n\n`);
    },
  };
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const bodyOf = async (req: IncomingMessage): Promise<unknown> => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return JSON.parse(text);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.headers.authorization !== 'Bearer test-token') return json(res, 401, { error: 'unauthorized', message: 'no' });
      if (url.pathname === '/api/replication/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': hello\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (url.pathname === '/api/replication/products/count') return json(res, 200, { total: 0 });
      const pull = /^\/api\/replication\/(\w+)\/pull$/.exec(url.pathname);
      if (pull) {
        // Checkpoint = how many documents of the list the register has.
        const all = hq.docs[pull[1]!] ?? [];
        const from = Number(url.searchParams.get('xid') ?? '0');
        const documents = all.slice(from).map((d) => ({ ...d, _deleted: false }));
        return json(res, 200, { documents, checkpoint: documents.length ? { xid: String(all.length), id: documents.at(-1)!.id } : null });
      }
      const push = /^\/api\/replication\/(\w+)\/push$/.exec(url.pathname);
      if (push && req.method === 'POST') {
        const rows = (await bodyOf(req)) as { newDocumentState: { id: string } }[];
        const ids = rows.map((r) => r.newDocumentState.id);
        const refused = ids.findIndex((id) => hq.refuse.has(id));
        if (refused >= 0) return json(res, 400, { error: 'invalid', message: 'refused for the test', field: `[${refused}].newDocumentState` });
        hq.pushed.push({ collection: push[1]!, ids });
        return json(res, 200, []);
      }
      const order = /^\/api\/orders\/([^/]+)$/.exec(url.pathname);
      if (order) {
        const doc = hq.orders.get(decodeURIComponent(order[1]!));
        return doc ? json(res, 200, { ...doc, _deleted: false }) : json(res, 404, { error: 'not_found', message: 'no such order' });
      }
      json(res, 404, { error: 'not_found', message: url.pathname });
    })();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return Object.assign(hq, { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` });
}

const until = (c: RegisterClient, what: string, check: (s: SyncStatus) => boolean): Promise<SyncStatus> =>
  waitUntil(what, () => (check(c.getStatus()) ? c.getStatus() : null), 15_000);

describe('orders replicated with HQ (fake HQ)', () => {
  it('pulls orders, settings and operators; pushes order events like sales, isolating a refused one', { timeout: 30_000 }, async () => {
    const hq = await fakeHq();
    const there = hqOrder('1001', '01', 5, ann, '1002');
    hq.docs = {
      orders: [there],
      settings: [{ id: 'orders', depositBp: 1000, cancelChargeBp: 0, deliveryModes: [] }],
      operators: [{ id: '900', name: 'Marieke', role: 'manager', storeId: null, ...(await hashPin('9999', 1000)) }],
    };
    const idb = new IDBFactory();
    const c = await register(idb, '1002', '01', { hqUrl: hq.url, live: true });
    await until(c, 'first sync', (s) => s.firstSync.done);
    expect((await c.order(there.id))?.source).toBe('replica');
    expect((await c.orderSettings()).depositBp).toBe(1000);
    expect(await c.approveAsManager('900', '9999')).toEqual({ managerId: '900', name: 'Marieke' });

    // Three events; HQ refuses the second. The others are acknowledged, it is kept as refused.
    hq.refuse.add('EVT-1002-01-000002');
    await c.createOrder(newOrder(bob, '1002', 100), '100');
    await c.createOrder(newOrder(ann, '1002', 100), '100');
    await c.pickUpOrder(there.id, [1], [{ kind: 'card', amountCents: 800 }], '100');
    await until(c, 'two acknowledged, one refused', (s) => s.pending === 0 && s.refused === 1);
    expect(hq.pushed.filter((p) => p.collection === 'orderEvents').flatMap((p) => p.ids).sort()).toEqual(['EVT-1002-01-000001', 'EVT-1002-01-000003']);
    expect(c.getStatus().lastError).toMatch(/refused order event EVT-1002-01-000002/);
    // The status line names it in the register's words (StatusLine.tsx): the code and the record.
    expect(c.getStatus()).toMatchObject({ lastErrorCode: 'record_refused', lastErrorRecord: { collection: 'orderEvents', id: 'EVT-1002-01-000002', others: 0 } });
    // HQ confirmed the pick-up; its document here is older, but the view no longer calls it pending.
    expect((await c.order(there.id))?.pendingEventIds).toEqual([]);
    expect((await c.order('ORD-1002-01-000002'))?.pendingEventIds).toEqual(['EVT-1002-01-000002']);

    // A sale goes out through the sales push, acknowledged with its own kind.
    const product = { id: '1000001', itemNumber: '1000001', barcode: null, name: 'Testproduct', priceCents: 250, vat: 'high' as const, inAssortment: true };
    await c.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 500 }], '100');
    await until(c, 'sale acknowledged', (s) => s.pending === 0);
    expect(hq.pushed.filter((p) => p.collection === 'sales').flatMap((p) => p.ids)).toEqual(['1002-01-000001']);
    await c.close();
    open.splice(0);
    const db = await openRegisterDatabase(databaseName('1002', '01'), storageOn(idb));
    const acks = (await db.acks.find().exec()).map((a) => a.toJSON() as AckDoc);
    await db.close();
    expect(acks.map((a) => [a.id, a.kind, a.status]).sort()).toEqual([
      ['1002-01-000001', 'sales', 'ok'],
      ['EVT-1002-01-000001', 'orderEvents', 'ok'],
      ['EVT-1002-01-000002', 'orderEvents', 'refused'],
      ['EVT-1002-01-000003', 'orderEvents', 'ok'],
    ]);
  });

  it('finds an order never replicated here at HQ, acts on it, and lets the replica win once the pull brings it', { timeout: 30_000 }, async () => {
    const hq = await fakeHq();
    const elsewhere = hqOrder('1001', '01', 9, ann, '1001');
    hq.orders.set(elsewhere.id, elsewhere);
    const c = await register(new IDBFactory(), '1003', '01', { hqUrl: hq.url, live: true });
    await until(c, 'first sync', (s) => s.firstSync.done);
    expect(await c.order('ORD-1001-01-000404')).toBeNull();

    const found = await c.order('ord-1001-01-9');
    expect(found?.source).toBe('hq');
    expect(found?.state).toMatchObject({ orderNo: elsewhere.id, complete: true, status: 'open' });
    const cancelled = await c.cancelOrder(elsewhere.id, [1], 'card', 'customer called', '100');
    expect(cancelled.source).toBe('hq');
    expect(cancelled.state.status).toBe('cancelled');
    // 5 % of 1000 kept, the rest of the 200 held given back.
    expect(cancelled.state.refundedCents).toBe(150);
    expect(await c.findOrders('vries')).toMatchObject([{ orderNo: elsewhere.id, status: 'cancelled' }]);
    await until(c, 'cancellation at HQ', (s) => s.pending === 0);

    // HQ now replicates it here (this store acted on it), with the cancellation in its events.
    const cancelEvent = cancelled.state.events.find((e) => e.type === 'cancelled')!;
    const updated = { ...elsewhere, stores: ['1001', '1003'], status: 'cancelled' as const, pickupStores: [], events: [...elsewhere.events, cancelEvent] };
    hq.docs = { orders: [updated] };
    hq.orders.delete(elsewhere.id);
    hq.notify(['orders']);
    const replicated = await waitUntil('order replicated', async () => {
      const v = await c.order(elsewhere.id);
      return v?.source === 'replica' ? v : null;
    });
    expect(replicated.state.status).toBe('cancelled');
    expect(replicated.pendingEventIds).toEqual([]);
  });
});
