import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CreatedEvent,
  type Customer,
  DEFAULT_ORDER_SETTINGS,
  type EventContext,
  type NewOrderLine,
  type OrderEvent,
  type OrderException,
  addDeposit,
  cancel,
  createOrder,
  foldOrder,
  orderDue,
  pickUp,
  verifyOrderEvent,
} from '../../src/order.ts';
import { localDay } from '../../src/assortment.ts';
import type { OrderExceptionsEntry } from '../../sync/hq/orders.ts';
import { seedDemo } from '../../sync/hq/seed.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { CHANGES_CHANNEL } from '../../sync/hq/store.ts';
import type { OperatorDoc, OrderDoc, OrderEventDoc, SettingsDoc } from '../../sync/protocol/docs.ts';
import { verifyPin } from '../../sync/protocol/pin.ts';
import type { Checkpoint, EnrolResponse, OrdersResponse, PullResponse } from '../../sync/protocol/wire.ts';
import { availableBackends } from '../support/backends.ts';

// Customer orders at HQ, on both storage backends, spoken to as a register speaks to it: order
// events pushed like sales (validated, each stored once, conflicts kept as alerts), every order
// a new event touches folded again in the same transaction and pulled by the stores it concerns,
// whatever order the events arrived in. Plus the chain's order settings, the operators (PINs
// only hashed), HQ's shipments, the chain-wide search, and enrolment's order numbering.

const backends = await availableBackends();
const ADMIN = 'orders-admin-token';

const CUSTOMER: Customer = { name: 'Jan de Vries', phone: '06-12345678', email: null, addresses: [] };
const ADDRESS = { street: 'Oudegracht 1', postcode: '3511 AA', town: 'Utrecht', country: 'NL' };

function pickupLine(storeId: string, quantity = 2, unitPriceCents = 1295): NewOrderLine {
  return {
    productId: '1000001',
    itemNumber: '1000001',
    barcode: null,
    name: 'Vlieland Theedoek geruit groen 2 stuks',
    quantity,
    unitPriceCents,
    vat: 'high',
    outOfAssortment: false,
    fulfilment: { mode: 'pickup', storeId },
  };
}

function shipLine(unitPriceCents = 2495): NewOrderLine {
  return {
    ...pickupLine('1001', 1, unitPriceCents),
    productId: '1000002',
    itemNumber: '1000002',
    name: 'Texel Dekbedovertrek 140x200',
    fulfilment: { mode: 'ship', fromLocationId: '9001', address: ADDRESS, deliveryMode: 'standard', chargeCents: 495 },
  };
}

/** Every register numbers its events itself; this hands out the next number per register. */
const sequences = new Map<string, number>();
function ctx(storeId: string, registerId: string): EventContext {
  const key = `${storeId}-${registerId}`;
  const seq = (sequences.get(key) ?? 0) + 1;
  sequences.set(key, seq);
  return { storeId, registerId, seq, createdAt: new Date(Date.UTC(2026, 10, 25, 10, 0, seq % 60)).toISOString(), operatorId: '100' };
}

/** An order as a register makes it: the required deposit (and ship lines in full), paid by card. */
function newOrder(at: EventContext, lines: NewOrderLine[], customer: Customer = CUSTOMER): CreatedEvent {
  const due = orderDue(lines, DEFAULT_ORDER_SETTINGS);
  const total = due.fullCents + due.depositRequiredCents;
  return createOrder(
    {
      customer,
      lines,
      settings: DEFAULT_ORDER_SETTINGS,
      depositCents: due.depositRequiredCents,
      override: null,
      tenders: total > 0 ? [{ kind: 'card', amountCents: total }] : [],
    },
    at,
  );
}

const doc = (e: OrderEvent): OrderEventDoc => ({ ...e, _deleted: false });
const rows = (events: readonly OrderEvent[]) => events.map((e) => ({ newDocumentState: doc(e), assumedMasterState: null }));

/** What two folds of the same story have in common, whatever their order numbers and event ids. */
function shape(o: OrderDoc) {
  return {
    status: o.status,
    stores: o.stores,
    pickupStores: o.pickupStores,
    exceptions: o.exceptions,
    events: o.events.map((e) => [e.type, e.storeId, e.clock]),
  };
}

describe.each(backends)('customer orders at HQ on $name', (backend) => {
  let hq: RunningHq;
  let cleanup: () => Promise<void>;
  const tokens = new Map<string, string>();

  const call = async <T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, opts: { token?: string | null; body?: unknown; type?: string; raw?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = opts.type ?? 'application/json';
    const res = await fetch(`${hq.url}${path}`, {
      method,
      headers,
      ...(opts.raw !== undefined ? { body: opts.raw } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const enrol = async (storeId: string, registerId: string): Promise<EnrolResponse> => {
    const res = await call<EnrolResponse>('POST', '/api/registers', { token: ADMIN, body: { storeId, registerId } });
    expect(res.status).toBe(201);
    tokens.set(`${storeId}-${registerId}`, res.body.registerToken);
    return res.body;
  };
  const token = (storeId: string, registerId = '01'): string => {
    const t = tokens.get(`${storeId}-${registerId}`);
    if (!t) throw new Error(`register ${storeId}-${registerId} is not enrolled`);
    return t;
  };
  const push = (storeId: string, events: readonly OrderEvent[], registerId = '01') =>
    call<OrderEventDoc[] & { error?: string; field?: string }>('POST', '/api/replication/orderEvents/push', { token: token(storeId, registerId), body: rows(events) });
  const pushOk = async (storeId: string, events: readonly OrderEvent[], registerId = '01') => {
    expect(await push(storeId, events, registerId)).toEqual({ status: 200, body: [] });
  };
  /** A pull from `checkpoint` (null: from the start) to the end, as the register pages it. */
  const pull = async <T extends { id: string }>(collection: string, storeId: string, from: Checkpoint | null = null) => {
    const docs = new Map<string, T>();
    let cp = from;
    for (;;) {
      const q = new URLSearchParams({ limit: '2', ...(cp ? { xid: cp.xid, id: cp.id } : {}) });
      const res = await call<PullResponse & { documents: T[] }>('GET', `/api/replication/${collection}/pull?${q}`, { token: token(storeId) });
      expect(res.status).toBe(200);
      for (const d of res.body.documents) docs.set(d.id, d);
      if (res.body.documents.length === 0 || !res.body.checkpoint) return { docs, checkpoint: cp };
      cp = res.body.checkpoint;
    }
  };
  const pulledOrders = async (storeId: string, from: Checkpoint | null = null) => pull<OrderDoc>('orders', storeId, from);
  const count = async (collection: string, storeId: string) =>
    (await call<{ total: number }>('GET', `/api/replication/${collection}/count`, { token: token(storeId) })).body.total;
  const rowsIn = async (table: string) => (await hq.store.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n ?? -1;
  const getOrder = async (orderNo: string) => {
    const res = await call<OrderDoc>('GET', `/api/orders/${orderNo}`, { token: ADMIN });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    sequences.clear(); // every backend is a new chain
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    hq = await startHq({
      ...(prepared.databaseUrl ? { databaseUrl: prepared.databaseUrl } : { memory: true }),
      adminToken: ADMIN,
      demoProducts: 100,
      enrolRate: { capacity: 50, perMinute: 1 },
    });
    for (const storeId of ['1001', '1002', '1003', '1004', '1006']) await enrol(storeId, '01');
  });
  afterAll(async () => {
    await hq?.close();
    await cleanup?.();
  });

  it('publishes the chain’s order settings to every register', async () => {
    const { docs } = await pull<SettingsDoc>('settings', '1003');
    expect([...docs.values()]).toEqual([{ id: 'orders', ...DEFAULT_ORDER_SETTINGS, _deleted: false }]);
    expect(await count('settings', '1003')).toBe(1);
  });

  it('publishes chain-wide operators to every store and a store’s own only there, with the PIN only as a slow hash', async () => {
    const csv = 'id,name,role,storeId,pin\n201,Anna Jansen,cashier,1002,4321\n';
    expect(await call('POST', '/api/import/operators', { token: ADMIN, type: 'text/csv', raw: csv })).toEqual({ status: 200, body: { kind: 'operators', rows: 1 } });
    const at1002 = (await pull<OperatorDoc>('operators', '1002')).docs;
    const at1003 = (await pull<OperatorDoc>('operators', '1003')).docs;
    expect([...at1002.keys()].sort()).toEqual(['100', '201', '900']);
    expect([...at1003.keys()].sort()).toEqual(['100', '900']);
    expect(await count('operators', '1002')).toBe(3);
    expect(await count('operators', '1003')).toBe(2);
    expect(at1003.get('100')).toMatchObject({ name: 'Kassa Medewerker', role: 'cashier', storeId: null, _deleted: false });
    expect(at1003.get('900')).toMatchObject({ name: 'Bedrijfsleider', role: 'manager', storeId: null });
    expect(at1002.get('201')).toMatchObject({ name: 'Anna Jansen', role: 'cashier', storeId: '1002' });
    for (const op of at1002.values()) {
      expect(Object.keys(op).sort()).toEqual(['_deleted', 'id', 'name', 'pinHash', 'pinIterations', 'pinSalt', 'role', 'storeId']);
      expect(op.pinHash).toMatch(/^[0-9a-f]{64}$/);
      expect(op.pinIterations).toBeGreaterThanOrEqual(100_000);
    }
    const op = (id: string): OperatorDoc => {
      const o = at1002.get(id);
      if (!o) throw new Error(`no operator ${id}`);
      return o;
    };
    expect(await verifyPin('1234', op('100'))).toBe(true);
    expect(await verifyPin('9999', op('900'))).toBe(true);
    expect(await verifyPin('4321', op('201'))).toBe(true);
    expect(await verifyPin('1234', op('900'))).toBe(false);
    // No column of HQ's table holds a PIN either.
    const columns = await hq.store.sql.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'operators'");
    expect(columns.map((c) => c.column_name).filter((c) => c.includes('pin')).sort()).toEqual(['pin_hash', 'pin_iterations', 'pin_salt']);
  });

  it('refuses an operators file with a bad role or PIN, naming the line, and imports nothing of it', async () => {
    const before = await rowsIn('operators');
    const csv = 'id,name,role,storeId,pin\n202,Piet,boss,,1111\n203,Kees,cashier,,12a4\n204,Els,manager,7777,5555\n205,Ria,cashier,,2222\n205,Ria,cashier,,3333\n';
    const res = await call<{ error: string; message: string; problems: { line: number; field: string; reason: string }[] }>('POST', '/api/import/operators', { token: ADMIN, type: 'text/csv', raw: csv });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_file');
    expect(res.body.problems.map((p) => [p.line, p.field])).toEqual([[2, 'role'], [3, 'pin']]);
    // The answer never repeats a PIN.
    expect(JSON.stringify(res.body)).not.toContain('12a4');
    // Rows that parse are checked against HQ's data as a whole: an unknown store, an id twice.
    const second = await call<{ problems: { line: number; field: string }[] }>('POST', '/api/import/operators', {
      token: ADMIN,
      type: 'application/json',
      raw: JSON.stringify([{ id: '204', name: 'Els', role: 'manager', storeId: '7777', pin: 5555 }, { id: '205', name: 'Ria', role: 'cashier', pin: '2222' }, { id: '205', name: 'Ria', role: 'cashier', pin: '3333' }]),
    });
    expect(second.status).toBe(400);
    expect(second.body.problems.map((p) => [p.line, p.field])).toEqual([[3, 'id']]);
    const third = await call<{ problems: { line: number; field: string }[] }>('POST', '/api/import/operators', { token: ADMIN, type: 'text/csv', raw: 'id,name,role,storeId,pin\n204,Els,manager,7777,5555\n' });
    expect(third.status).toBe(400);
    expect(third.body.problems.map((p) => [p.line, p.field])).toEqual([[2, 'storeId']]);
    expect(await rowsIn('operators')).toBe(before);
  });

  it('sends an order made at 1001 for pick-up at 1002 to 1001 and 1002, not to 1003, and wakes the registers', async () => {
    const told: string[] = [];
    const unlisten = await hq.store.sql.listen(CHANGES_CHANNEL, (payload) => told.push(payload));
    const before1003 = await count('orders', '1003');
    const created = newOrder(ctx('1001', '01'), [pickupLine('1002')]);
    await pushOk('1001', [created]);

    const at1002 = (await pulledOrders('1002')).docs.get(created.orderNo);
    expect(at1002).toMatchObject({
      id: created.orderNo,
      storeId: '1001',
      stores: ['1001', '1002'],
      customerName: 'Jan de Vries',
      customerPhone: '06-12345678',
      status: 'open',
      pickupStores: ['1002'],
      exceptions: 0,
      createdAt: created.createdAt,
      _deleted: false,
    });
    // The events travel without RxDB's flag, exactly as made: a register folds them itself.
    expect(at1002?.events).toEqual([created]);
    expect((await pulledOrders('1001')).docs.has(created.orderNo)).toBe(true);
    expect((await pulledOrders('1003')).docs.has(created.orderNo)).toBe(false);
    expect(await count('orders', '1003')).toBe(before1003);
    await expect.poll(() => told.some((p) => p.split(',').includes('orders'))).toBe(true);
    await unlisten();
  });

  it('completes the order with a pick-up pushed by a 1002 register, and the next pull brings the change; the same events again change nothing', async () => {
    const created = newOrder(ctx('1001', '01'), [pickupLine('1002')]);
    await pushOk('1001', [created]);
    const { checkpoint } = await pulledOrders('1002');
    const state = foldOrder(created.orderNo, [created]);
    const pickup = pickUp(state, [1], [{ kind: 'card', amountCents: state.balanceCents }], ctx('1002', '01'));
    await pushOk('1002', [pickup]);

    const changed = await pulledOrders('1002', checkpoint);
    expect([...changed.docs.keys()]).toEqual([created.orderNo]);
    const order = changed.docs.get(created.orderNo);
    expect(order).toMatchObject({ status: 'completed', pickupStores: [], exceptions: 0, stores: ['1001', '1002'] });
    expect(order?.events).toEqual([created, pickup]);
    expect((await pulledOrders('1001')).docs.get(created.orderNo)?.status).toBe('completed');

    // Sent again (an answer lost on the way): acknowledged, nothing stored, nothing rewritten.
    const events = await rowsIn('order_events');
    await pushOk('1001', [created]);
    await pushOk('1002', [pickup, pickup]);
    expect(await rowsIn('order_events')).toBe(events);
    expect((await pulledOrders('1002', changed.checkpoint)).docs.size).toBe(0);
    expect(await getOrder(created.orderNo)).toEqual(order);
  });

  it('ends a pick-up at 1002 and a cancellation at 1003 made from the same state the same, whichever arrives first, with one exception; 1003 then has the order', async () => {
    const made = [newOrder(ctx('1001', '01'), [pickupLine('1002')]), newOrder(ctx('1001', '01'), [pickupLine('1002')])] as const;
    await pushOk('1001', [...made]);
    const stories = made.map((created) => {
      const state = foldOrder(created.orderNo, [created]);
      return {
        created,
        pickup: pickUp(state, [1], [{ kind: 'card', amountCents: state.balanceCents }], ctx('1002', '01')),
        cancellation: cancel(state, [1], DEFAULT_ORDER_SETTINGS, 'cash', 'klant wil niet meer', ctx('1003', '01')),
      };
    });
    const [first, second] = stories;
    if (!first || !second) throw new Error('two stories');

    // The first: pick-up, then the cancellation.
    await pushOk('1002', [first.pickup]);
    expect((await pulledOrders('1003')).docs.has(first.created.orderNo)).toBe(false);
    await pushOk('1003', [first.cancellation]);
    // The second: the cancellation first (1003 sees it cancelled), then the pick-up.
    await pushOk('1003', [second.cancellation]);
    expect((await pulledOrders('1003')).docs.get(second.created.orderNo)?.status).toBe('cancelled');
    await pushOk('1002', [second.pickup]);

    const at1003 = (await pulledOrders('1003')).docs;
    const a = at1003.get(first.created.orderNo);
    const b = at1003.get(second.created.orderNo);
    if (!a || !b) throw new Error('1003 replicates both orders once it acted on them');
    // The hand-out is a fact: the line stays handed out, the refund is an exception for a manager.
    expect(shape(a)).toEqual(shape(b));
    expect(shape(a)).toMatchObject({ status: 'completed', stores: ['1001', '1002', '1003'], pickupStores: [], exceptions: 1 });
    for (const [order, story] of [[a, first], [b, second]] as const) {
      expect(order.events).toEqual(foldOrder(order.id, [story.cancellation, story.pickup, story.created]).events);
      expect(await getOrder(order.id)).toEqual(order);
    }
    expect(await count('orders', '1003')).toBeGreaterThanOrEqual(2);

    const listed = await call<{ orders: OrderExceptionsEntry[] }>('GET', '/api/orders/exceptions?storeId=1003', { token: ADMIN });
    expect(listed.status).toBe(200);
    for (const story of stories) {
      const entry = listed.body.orders.find((o) => o.id === story.created.orderNo);
      const refund = story.cancellation.lines[0]?.refundCents ?? 0;
      expect(refund).toBeGreaterThan(0);
      expect(entry?.exceptions).toEqual([
        {
          kind: 'cancelled_after_handout',
          lineNo: 1,
          eventId: story.cancellation.id,
          otherEventId: story.pickup.id,
          storeId: '1003',
          amountCents: -refund,
          message: expect.stringContaining('cancelled at 1003') as string,
        },
      ] satisfies OrderException[]);
    }
    // Only orders with exceptions, and only those the store replicates.
    const at1004 = await call<{ orders: OrderExceptionsEntry[] }>('GET', '/api/orders/exceptions?storeId=1004', { token: ADMIN });
    expect(at1004.body.orders).toEqual([]);
    expect((await call('GET', '/api/orders/exceptions', { token: token('1003') })).status).toBe(401);
    expect((await call('GET', '/api/orders/exceptions?storeId=10-3', { token: ADMIN })).body).toMatchObject({ error: 'invalid', field: 'storeId' });
  });

  it('loses no event when two stores push to one order at the same time', async () => {
    // Each push folds the order again from every event HQ holds; without the per-order lock the
    // later fold misses the other push's event on PostgreSQL (tried: it fails in the first round).
    for (let round = 0; round < 5; round++) {
      const created = newOrder(ctx('1001', '01'), [pickupLine('1002'), pickupLine('1002', 1, 999)]);
      await pushOk('1001', [created]);
      const state = foldOrder(created.orderNo, [created]);
      const pickup = pickUp(state, [1, 2], [{ kind: 'card', amountCents: state.balanceCents }], ctx('1002', '01'));
      const cancellation = cancel(state, [2], DEFAULT_ORDER_SETTINGS, 'card', 'te laat', ctx('1003', '01'));
      await Promise.all([pushOk('1002', [pickup]), pushOk('1003', [cancellation])]);
      const order = await getOrder(created.orderNo);
      expect(order.events.map((e) => e.id).sort()).toEqual([created.id, pickup.id, cancellation.id].sort());
      expect(order).toMatchObject({ status: 'completed', exceptions: 1, stores: ['1001', '1002', '1003'] });
    }
  });

  it('keeps an event that comes before its order’s creation, and folds it in when the creation arrives', async () => {
    await enrol('1001', '02');
    const created = newOrder(ctx('1001', '02'), [pickupLine('1001')]);
    const deposit = addDeposit(foldOrder(created.orderNo, [created]), 500, [{ kind: 'cash', tenderedCents: 500 }], ctx('1001', '02'));
    await pushOk('1001', [deposit], '02');
    expect((await call('GET', `/api/orders/${created.orderNo}`, { token: ADMIN })).body).toMatchObject({ error: 'unknown_order' });
    expect((await pulledOrders('1001')).docs.has(created.orderNo)).toBe(false);
    await pushOk('1001', [created], '02');
    const order = await getOrder(created.orderNo);
    expect(order.events).toEqual([created, deposit]);
    expect(order.status).toBe('open');
  });

  it('refuses the same event id with another body: returns HQ’s, keeps it, raises an alert', async () => {
    const created = newOrder(ctx('1004', '01'), [pickupLine('1004')]);
    await pushOk('1004', [created]);
    const other: CreatedEvent = { ...created, operatorId: '101' };
    expect(verifyOrderEvent(other)).toEqual([]);
    expect(await push('1004', [other])).toEqual({ status: 200, body: [doc(created)] });
    // Two bodies under one id in one push: the first is kept, the second refused.
    const fresh = newOrder(ctx('1004', '01'), [pickupLine('1004')]);
    expect(await push('1004', [fresh, { ...fresh, operatorId: '101' }])).toEqual({ status: 200, body: [doc(fresh)] });

    const alerts = (await call<{ alerts: { kind: string; recordId: string; storeId: string; body: OrderEventDoc }[] }>('GET', '/api/alerts?storeId=1004', { token: ADMIN })).body.alerts;
    expect(alerts.filter((x) => x.kind === 'conflicting_record').map((x) => [x.recordId, x.storeId, x.body.operatorId])).toEqual([
      [created.id, '1004', '101'],
      [fresh.id, '1004', '101'],
    ]);
    expect((await getOrder(created.orderNo)).events).toEqual([created]);
    expect((await getOrder(fresh.orderNo)).events).toEqual([fresh]);
  });

  it('refuses a bad event with a 4xx naming the field, and writes nothing of that push', async () => {
    const before = { events: await rowsIn('order_events'), orders: await rowsIn('orders'), alerts: await rowsIn('alerts') };
    const good = newOrder(ctx('1006', '01'), [pickupLine('1006')]);
    const made = newOrder(ctx('1006', '01'), [pickupLine('1006')]);
    const badLine = made.lines[0];
    if (!badLine) throw new Error('a line');
    // Totals that do not add up: the line's amount is not quantity × price.
    const bad: CreatedEvent = { ...made, lines: [{ ...badLine, amountCents: badLine.amountCents + 1 }] };
    expect(await push('1006', [good, bad])).toMatchObject({ status: 400, body: { error: 'invalid', field: '[1].newDocumentState.lines[0].amountCents' } });
    // The schema: a customer without a name.
    expect(await push('1006', [{ ...good, customer: { ...CUSTOMER, name: '' } }])).toMatchObject({ status: 400, body: { field: '[0].newDocumentState.customer.name' } });
    // An unknown field is named itself.
    const extra = { newDocumentState: { ...doc(good), note: 'x' }, assumedMasterState: null };
    expect(await call('POST', '/api/replication/orderEvents/push', { token: token('1006'), body: [extra] })).toMatchObject({ status: 400, body: { field: '[0].newDocumentState.note' } });
    // A pick-up made at register 1002-01, pushed with 1001-01's token.
    const state = foldOrder(good.orderNo, [good]);
    const elsewhere = pickUp(state, [1], [{ kind: 'card', amountCents: state.balanceCents }], { ...ctx('1002', '01'), seq: 999 });
    expect(await push('1001', [elsewhere])).toMatchObject({ status: 403, body: { error: 'forbidden', field: '[0].newDocumentState.storeId' } });
    // HQ's own events cannot be pushed by a register.
    const { seq: _seq, ...base } = ctx('1006', '01');
    const hqEvent: OrderEvent = { ...base, seq: 1, type: 'shipped', id: `SHP-${good.orderNo}-1`, orderNo: good.orderNo, storeId: 'HQ', registerId: 'HQ', clock: 2, lines: [{ lineNo: 1 }] };
    expect(await push('1006', [hqEvent])).toMatchObject({ status: 403, body: { field: '[0].newDocumentState.storeId' } });
    expect(await call('POST', '/api/replication/orderEvents/push', { token: token('1006'), body: { not: 'rows' } })).toMatchObject({ status: 400 });
    expect((await call('POST', '/api/replication/orderEvents/push', { body: rows([good]) })).status).toBe(401);
    expect((await call('GET', '/api/replication/orderEvents/pull', { token: token('1006') })).status).toBe(405);
    expect((await call('POST', '/api/replication/orders/push', { token: token('1006'), body: rows([good]) })).status).toBe(405);
    expect({ events: await rowsIn('order_events'), orders: await rowsIn('orders'), alerts: await rowsIn('alerts') }).toEqual(before);
  });

  it('records a shipment at HQ for open ship lines only, and registers pull it', async () => {
    const created = newOrder(ctx('1001', '01'), [shipLine(), shipLine(1995), pickupLine('1001')]);
    await pushOk('1001', [created]);
    const path = `/api/orders/${created.orderNo}/shipped`;
    expect((await call('POST', path, { token: token('1001'), body: { lines: [1] } })).status).toBe(401);
    for (const [body, field] of [
      [{}, 'lines'],
      [{ lines: [] }, 'lines'],
      [{ lines: 1 }, 'lines'],
      [{ lines: ['1'] }, 'lines[0]'],
      [{ lines: [1, 1.5] }, 'lines[1]'],
      [{ lines: [1, 1] }, 'lines[1]'],
      [{ lines: [1], note: 'x' }, 'note'],
    ] as const) {
      expect(await call('POST', path, { token: ADMIN, body })).toMatchObject({ status: 400, body: { error: 'invalid', field } });
    }
    expect(await call('POST', '/api/orders/ORD-1001-01-999999/shipped', { token: ADMIN, body: { lines: [1] } })).toMatchObject({ status: 404, body: { error: 'unknown_order' } });
    expect(await call('POST', '/api/orders/nonsense/shipped', { token: ADMIN, body: { lines: [1] } })).toMatchObject({ status: 400, body: { field: 'orderNo' } });

    const shipped = await call<OrderDoc>('POST', path, { token: ADMIN, body: { lines: [1] } });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ id: created.orderNo, status: 'partly', stores: ['1001'], exceptions: 0 });
    const event = shipped.body.events[1];
    expect(event).toMatchObject({ type: 'shipped', id: `SHP-${created.orderNo}-1`, orderNo: created.orderNo, storeId: 'HQ', registerId: 'HQ', seq: 1, clock: 2, operatorId: 'hq', lines: [{ lineNo: 1 }] });
    if (!event) throw new Error('the shipped event');
    expect(verifyOrderEvent(event)).toEqual([]);
    expect(Math.abs(Date.parse(event.createdAt) - Date.now())).toBeLessThan(60_000);

    // Line 1 has gone, line 3 is picked up in the store, line 4 does not exist: 409 naming the line.
    for (const lines of [[1], [2, 3], [4]]) {
      const res = await call('POST', path, { token: ADMIN, body: { lines } });
      expect(res).toMatchObject({ status: 409, body: { error: 'not_shippable', field: `lines[${lines.length - 1}]` } });
    }
    const again = await call<OrderDoc>('POST', path, { token: ADMIN, body: { lines: [2] } });
    expect(again.body.events.slice(1).map((e) => [e.id, e.seq, e.clock])).toEqual([
      [`SHP-${created.orderNo}-1`, 1, 2],
      [`SHP-${created.orderNo}-2`, 2, 3],
    ]);
    expect(again.body.status).toBe('partly');
    const pulled = (await pulledOrders('1001')).docs.get(created.orderNo);
    expect(pulled).toEqual(again.body);
    expect(foldOrder(created.orderNo, pulled?.events ?? []).lines.map((l) => l.status)).toEqual(['handedOut', 'handedOut', 'open']);
  });

  it('finds orders chain-wide by order number, customer name or phone, for any register and the admin', async () => {
    const fatima = newOrder(ctx('1004', '01'), [pickupLine('1004')], { name: 'Fatima El Amrani', phone: '+31 (0)6 9876-5432', email: null, addresses: [] });
    const firm = newOrder(ctx('1004', '01'), [pickupLine('1004')], { name: '100%_Korting BV', phone: null, email: null, addresses: [] });
    await pushOk('1004', [fatima, firm]);
    const search = async (q: string, t: string | null = token('1006')) => {
      const res = await call<OrdersResponse>('GET', `/api/orders?${new URLSearchParams({ q })}`, { token: t });
      expect(res.status).toBe(200);
      return res.body.orders.map((o) => o.id);
    };
    // 1006 replicates neither order, yet finds them: a customer may come to any store.
    expect(await search(fatima.orderNo)).toEqual([fatima.orderNo]);
    expect(await search(` ${fatima.orderNo.toLowerCase().replace('ord-', 'ord ')} `)).toEqual([fatima.orderNo]);
    expect(await search('el amrani')).toEqual([fatima.orderNo]);
    expect(await search('+31 (0)6 98765432')).toEqual([fatima.orderNo]);
    expect(await search('310698765432', ADMIN)).toEqual([fatima.orderNo]);
    // % and _ are letters in a name, not wildcards.
    expect(await search('%_k')).toEqual([firm.orderNo]);
    expect(await search('0%')).toEqual([firm.orderNo]);
    expect(await search('nobody by this name')).toEqual([]);
    // Newest first (HQ's arrival; the firm's order was written after Fatima's).
    const newest = await call<OrdersResponse>('GET', '/api/orders?limit=2', { token: ADMIN });
    expect(newest.body.orders.map((o) => o.id)).toEqual([firm.orderNo, fatima.orderNo]);
    const byName = (await call<OrdersResponse>('GET', `/api/orders?q=Jan+de+Vries&limit=200`, { token: ADMIN })).body.orders;
    expect(byName.length).toBeGreaterThan(3);
    expect(byName.every((o) => o.customerName === 'Jan de Vries')).toBe(true);

    expect((await call('GET', '/api/orders?q=jan')).status).toBe(401);
    expect((await call('GET', '/api/orders?q=jan', { token: 'wrong' })).status).toBe(401);
    for (const [query, field] of [
      [`q=${'x'.repeat(101)}`, 'q'],
      ['q=a%00b', 'q'],
      ['q=a&q=b', 'q'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=1e2', 'limit'],
    ] as const) {
      expect(await call('GET', `/api/orders?${query}`, { token: ADMIN })).toMatchObject({ status: 400, body: { error: 'invalid', field } });
    }

    // One order by its number, in any form normalizeOrderNumber takes.
    const one = await call<OrderDoc>('GET', `/api/orders/${fatima.orderNo.toLowerCase()}`, { token: token('1006') });
    expect(one).toMatchObject({ status: 200, body: { id: fatima.orderNo, customerPhone: '+31 (0)6 9876-5432' } });
    expect(await call('GET', '/api/orders/ORD-1004-01-999999', { token: ADMIN })).toMatchObject({ status: 404, body: { error: 'unknown_order' } });
    expect(await call('GET', '/api/orders/ORD-10x', { token: ADMIN })).toMatchObject({ status: 400, body: { field: 'orderNo' } });
    expect((await call('GET', `/api/orders/${fatima.orderNo}`)).status).toBe(401);
  });

  it('tells an enrolling register where its order numbering stands at HQ', async () => {
    const first = await enrol('1003', '02');
    expect(first.lastOrderSequence).toBe(0);
    const created = newOrder(ctx('1003', '02'), [pickupLine('1003')]);
    ctx('1003', '02'); // a number a crash left unused
    const deposit = addDeposit(foldOrder(created.orderNo, [created]), 1000, [{ kind: 'card', amountCents: 1000 }], ctx('1003', '02'));
    expect(deposit.seq).toBe(3);
    await pushOk('1003', [created, deposit], '02');
    const again = await enrol('1003', '02');
    expect(again).toMatchObject({ lastOrderSequence: 3, lastSequence: 0, lastHash: null });
    // Another register's numbering is its own.
    expect((await enrol('1003', '03')).lastOrderSequence).toBe(0);
  });

  it('gives a demo chain seeded before operators existed its demo operators, and leaves a chain that has operators alone', async () => {
    const today = localDay(new Date());
    const before = await rowsIn('operators');
    expect(await seedDemo(hq.store.sql, { products: 100, today })).toBeNull();
    expect(await rowsIn('operators')).toBe(before);
    await hq.store.sql.query('DELETE FROM operators');
    expect(await seedDemo(hq.store.sql, { products: 100, today })).toBeNull();
    const { docs } = await pull<OperatorDoc>('operators', '1002');
    expect([...docs.keys()].sort()).toEqual(['100', '900']);
    expect(await verifyPin('1234', docs.get('100') ?? { pinHash: '', pinSalt: '', pinIterations: 1 })).toBe(true);
  });
});
