import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ORDER_SETTINGS, type CreatedEvent, type NewOrderLine, createOrder, orderDue } from '../../src/order.ts';
import { type ReturnInputLine, type ReturnOrigin, completeReturn, planBlindRefund, planRefund } from '../../src/returns.ts';
import { CHANGES_CHANNEL, type HqAlert } from '../../sync/hq/store.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import type { OrderEventDoc, ReturnDoc, SaleDoc, StockDoc, StoreDoc } from '../../sync/protocol/docs.ts';
import { generateRegisterKeys, signReceipt, verifyReceiptCode } from '../../sync/protocol/receipt-code.ts';
import type { Checkpoint, EnrolResponse, PullResponse, ReturnsResponse, SaleLookupResponse } from '../../sync/protocol/wire.ts';
import { availableBackends } from '../support/backends.ts';
import { makeSale, pushRows } from '../support/sales.ts';

// Returns at HQ, on both storage backends, spoken to as a register speaks to it: returns pushed
// like sales (validated with the field named, each stored once, conflicts kept as alerts), the
// goods booked back into the stock of the store that took them, the double-return guard across
// stores whatever order the sale and its returns arrive in, returns without a receipt flagged for
// review, the pull scope (the store that took it and the store it was bought at), the registers'
// public keys for receipt codes, the chain-wide sale lookup, and enrolment's return numbering.

const backends = await availableBackends();
const ADMIN = 'returns-admin-token';
const PRICE = 1295;

/** Every register numbers its sales and its returns itself; this hands out the next numbers. */
const sequences = new Map<string, number>();
const next = (key: string): number => {
  const n = (sequences.get(key) ?? 0) + 1;
  sequences.set(key, n);
  return n;
};

/** A sale of `quantity` of one product at PRICE, paid in cash, as the register makes it. */
function sale(storeId: string, registerId: string, productId = '1000003', quantity = 3): SaleDoc {
  return makeSale(storeId, registerId, next(`sale:${storeId}-${registerId}`), { productId, quantity, priceCents: PRICE });
}

const at = (storeId: string, registerId: string) => ({
  storeId,
  registerId,
  seq: next(`return:${storeId}-${registerId}`),
  createdAt: new Date(Date.UTC(2026, 10, 26, 10, 0, 0)).toISOString(),
  operatorId: '100',
});

/** A return of `quantity` of line 1 of `s` at a register of another store (from the receipt's code), refunded as it was paid. */
function returnOf(s: SaleDoc, storeId: string, registerId: string, quantity: number, lineNo = 1): ReturnDoc {
  const line = s.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw new Error(`sale ${s.id} has no line ${lineNo}`);
  const origin: ReturnOrigin = { kind: 'sale', receiptNo: s.receiptNo, storeId: s.storeId, registerId: s.registerId, verifiedBy: 'code' };
  const lines: ReturnInputLine[] = [
    { originalLineNo: lineNo, productId: line.productId, itemNumber: line.itemNumber, barcode: line.barcode, name: line.name, quantity, unitPriceCents: line.unitPriceCents, vat: line.vat, reason: 'defective' },
  ];
  const r = completeReturn({ origin, lines, refunds: planRefund(line.unitPriceCents * quantity, s.tenders, []), approval: null }, at(storeId, registerId));
  return { ...r, _deleted: false };
}

/** A return without a receipt, approved by the demo manager, refunded in cash up to the limit. */
function blindReturn(storeId: string, registerId: string, productId: string, quantity: number): ReturnDoc {
  const amount = PRICE * quantity;
  const r = completeReturn(
    {
      origin: { kind: 'none' },
      lines: [{ originalLineNo: null, productId, itemNumber: productId, barcode: null, name: 'Vlieland Theedoek geruit groen 2 stuks', quantity, unitPriceCents: PRICE, vat: 'high', reason: 'changed_mind' }],
      refunds: planBlindRefund(amount, true),
      approval: { managerId: '900', reason: 'regular customer, no receipt' },
    },
    at(storeId, registerId),
  );
  return { ...r, _deleted: false };
}

/** An order made at `storeId` with one carry-out line (handed out at once), paid in full by card. */
function carryOrder(storeId: string, registerId: string, quantity: number): CreatedEvent {
  const line: NewOrderLine = {
    productId: '1000004',
    itemNumber: '1000004',
    barcode: null,
    name: 'Texel Dekbedovertrek 140x200',
    quantity,
    unitPriceCents: PRICE,
    vat: 'high',
    outOfAssortment: false,
    fulfilment: { mode: 'carry' },
  };
  const due = orderDue([line], DEFAULT_ORDER_SETTINGS);
  return createOrder(
    {
      customer: { name: 'Jan de Vries', phone: null, email: null, addresses: [] },
      lines: [line],
      settings: DEFAULT_ORDER_SETTINGS,
      depositCents: 0,
      override: null,
      tenders: [{ kind: 'card', amountCents: due.fullCents }],
    },
    { ...at(storeId, registerId), seq: next(`order:${storeId}-${registerId}`) },
  );
}

function orderReturn(order: CreatedEvent, storeId: string, registerId: string, quantity: number): ReturnDoc {
  const line = order.lines[0];
  if (!line) throw new Error('the order has no line');
  const r = completeReturn(
    {
      origin: { kind: 'order', orderNo: order.orderNo, storeId: order.storeId, verifiedBy: 'hq' },
      lines: [{ originalLineNo: line.lineNo, productId: line.productId, itemNumber: line.itemNumber, barcode: line.barcode, name: line.name, quantity, unitPriceCents: line.unitPriceCents, vat: line.vat, reason: 'damaged' }],
      refunds: planRefund(line.unitPriceCents * quantity, [{ kind: 'card', amountCents: line.amountCents, reference: null }], []),
      approval: null,
    },
    at(storeId, registerId),
  );
  return { ...r, _deleted: false };
}

const rows = <T>(docs: readonly T[]) => docs.map((d) => ({ newDocumentState: d, assumedMasterState: null }));

describe.each(backends)('returns at HQ on $name', (backend) => {
  let hq: RunningHq;
  let cleanup: () => Promise<void>;
  const tokens = new Map<string, string>();

  const call = async <T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, opts: { token?: string | null; body?: unknown; raw?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
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
  const pushReturns = (docs: readonly ReturnDoc[], registerId?: string) => {
    const first = docs[0];
    if (!first) throw new Error('nothing to push');
    return call<ReturnDoc[] & { error?: string; field?: string; message?: string }>('POST', '/api/replication/returns/push', {
      token: token(first.storeId, registerId ?? first.registerId),
      body: rows(docs),
    });
  };
  const pushReturnsOk = async (docs: readonly ReturnDoc[]) => expect(await pushReturns(docs)).toEqual({ status: 200, body: [] });
  const pushSalesOk = async (docs: readonly SaleDoc[]) => {
    const first = docs[0];
    if (!first) throw new Error('nothing to push');
    expect(await call('POST', '/api/replication/sales/push', { token: token(first.storeId, first.registerId), body: pushRows(docs) })).toEqual({ status: 200, body: [] });
  };
  const pushEventsOk = async (events: readonly CreatedEvent[]) => {
    const first = events[0];
    if (!first) throw new Error('nothing to push');
    const docs: OrderEventDoc[] = events.map((e) => ({ ...e, _deleted: false }));
    expect(await call('POST', '/api/replication/orderEvents/push', { token: token(first.storeId, first.registerId), body: rows(docs) })).toEqual({ status: 200, body: [] });
  };
  /** A pull from `from` (null: the start) to the end, paged as a register pages it. */
  const pull = async <T extends { id: string }>(collection: string, storeId: string, from: Checkpoint | null = null, registerId = '01') => {
    const docs = new Map<string, T>();
    let cp = from;
    for (;;) {
      const q = new URLSearchParams({ limit: collection === 'stock' ? '1000' : '3', ...(cp ? { xid: cp.xid, id: cp.id } : {}) });
      const res = await call<PullResponse & { documents: T[] }>('GET', `/api/replication/${collection}/pull?${q}`, { token: token(storeId, registerId) });
      expect(res.status).toBe(200);
      for (const d of res.body.documents) docs.set(d.id, d);
      if (res.body.documents.length === 0 || !res.body.checkpoint) return { docs, checkpoint: cp };
      cp = res.body.checkpoint;
    }
  };
  const count = async (collection: string, storeId: string) => (await call<{ total: number }>('GET', `/api/replication/${collection}/count`, { token: token(storeId) })).body.total;
  const stockRow = async (id: string): Promise<StockDoc | undefined> => (await pull<StockDoc>('stock', '1002')).docs.get(id);
  const rowsIn = async (table: string) => (await hq.store.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n ?? -1;
  const alertsOf = async (kind: string, recordPrefix: string): Promise<HqAlert[]> =>
    (await call<{ alerts: HqAlert[] }>('GET', '/api/alerts', { token: ADMIN })).body.alerts.filter((a) => a.kind === kind && a.recordId.startsWith(recordPrefix));

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
    for (const [s, r] of [['1001', '01'], ['1001', '02'], ['1002', '01'], ['1002', '02'], ['1003', '01']] as const) await enrol(s, r);
  });
  afterAll(async () => {
    await hq?.close();
    await cleanup?.();
  });

  it('books returned goods into the stock of the store that took them back, a product outside its assortment too, once', async () => {
    // 1000077 is not carried at 1002 and HQ has no figure for it there.
    await hq.store.sql.query("DELETE FROM assortment WHERE store_id = '1002' AND product_id = '1000077'");
    await hq.store.sql.query("DELETE FROM stock WHERE id = '1002:1000077'");
    const sold = sale('1001', '01', '1000003', 3);
    const other = sale('1001', '01', '1000077', 2);
    await pushSalesOk([sold, other]);
    const before = await pull<StockDoc>('stock', '1002');
    const at1002 = before.docs.get('1002:1000003');
    const at1001 = before.docs.get('1001:1000003');
    expect(before.docs.has('1002:1000077')).toBe(false);

    const told: string[] = [];
    const unlisten = await hq.store.sql.listen(CHANGES_CHANNEL, (payload) => told.push(payload));
    const r1 = returnOf(sold, '1002', '01', 2);
    const r2 = returnOf(other, '1002', '01', 1);
    await pushReturnsOk([r1, r2]);
    const after = await pull<StockDoc>('stock', '1002', before.checkpoint);
    expect(after.docs.get('1002:1000003')).toMatchObject({ onHand: (at1002?.onHand ?? 0) + 2, reserved: at1002?.reserved ?? 0, booked: at1002?.booked ?? {} });
    expect(after.docs.get('1002:1000077')).toMatchObject({ locationId: '1002', productId: '1000077', onHand: 1, reserved: 0, booked: {} });
    // The store the goods were bought at keeps its figure (the sale lowered it, the return is not its).
    expect(after.docs.has('1001:1000003')).toBe(false);
    expect((await stockRow('1001:1000003'))?.onHand).toBe(at1001?.onHand);
    await expect.poll(() => told.some((p) => p.split(',').includes('returns')) && told.some((p) => p.split(',').includes('stock'))).toBe(true);
    await unlisten();

    // Sent again (an answer lost on the way): acknowledged, stored and booked once.
    const stored = await rowsIn('returns');
    await pushReturnsOk([r1, r2]);
    await pushReturnsOk([r2]);
    expect(await rowsIn('returns')).toBe(stored);
    expect((await stockRow('1002:1000003'))?.onHand).toBe((at1002?.onHand ?? 0) + 2);
    expect((await stockRow('1002:1000077'))?.onHand).toBe(1);
  });

  // Two returns of 2 of the 3 sold, at two registers of 1002 (from the receipt's code, neither
  // knowing of the other): one too many. Whatever order the sale and the returns reach HQ in.
  const arrivals = [
    ['sale, return, return', ['sale', 'r1', 'r2']],
    ['return, return, sale', ['r1', 'r2', 'sale']],
    ['return, sale, return', ['r2', 'sale', 'r1']],
    ['both returns in one push, then the sale', ['r1+r2', 'sale']],
    ['all at once', ['sale|r1|r2']],
  ] as const;
  it.each(arrivals)('raises exactly one double return with its excess and value: %s', async (_name, steps) => {
    const sold = sale('1001', '02', '1000005', 3);
    const r1 = returnOf(sold, '1002', '01', 2);
    const r2 = returnOf(sold, '1002', '02', 2);
    const send = async (what: string): Promise<void> => {
      if (what === 'sale') return pushSalesOk([sold]);
      if (what === 'r1') return pushReturnsOk([r1]);
      if (what === 'r2') return pushReturnsOk([r2]);
      if (what === 'r1+r2') {
        // One register does not push another's returns: two pushes, sent together.
        await Promise.all([pushReturnsOk([r1]), pushReturnsOk([r2])]);
        return;
      }
      await Promise.all(what.split('|').map(send));
    };
    for (const step of steps) await send(step);
    // Nothing changes it: the same records again, in any order.
    await pushReturnsOk([r2]);
    await pushSalesOk([sold]);

    const alerts = await alertsOf('double_return', `${sold.receiptNo}:`);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert?.recordId).toBe(`${sold.receiptNo}:1`);
    const body = alert?.body as { origin: unknown; lineNo: number; sold: number; returned: number; excess: number; excessCents: number; returnIds: string[] };
    expect({ ...body, returnIds: [...body.returnIds].sort() }).toEqual({
      origin: { kind: 'sale', no: sold.receiptNo, storeId: '1001' },
      lineNo: 1,
      sold: 3,
      returned: 4,
      excess: 1,
      excessCents: PRICE,
      returnIds: [r1.id, r2.id].sort(),
    });
    expect(alert?.message).toContain('1002');
    expect(alert?.message).toContain('1001');
    expect(alert?.message).toContain('€ 12,95');
  });

  it('raises each double return once when many sales and their returns arrive at the same moment', async () => {
    // Every sale's push and both its returns' pushes race; the locks make the second of them see
    // what the first committed, so no double return slips through and none is raised twice.
    const cases = Array.from({ length: 8 }, (_, i) => {
      const sold = sale('1001', i % 2 === 0 ? '01' : '02', i % 2 === 0 ? '1000015' : '1000016', 3);
      return { sold, r1: returnOf(sold, '1002', '01', 2), r2: returnOf(sold, '1002', '02', 2) };
    });
    await Promise.all(cases.flatMap((c) => [pushSalesOk([c.sold]), pushReturnsOk([c.r1]), pushReturnsOk([c.r2])]));
    for (const c of cases) {
      const alerts = await alertsOf('double_return', `${c.sold.receiptNo}:`);
      expect(alerts.map((a) => [a.recordId, (a.body as { excess: number }).excess])).toEqual([[`${c.sold.receiptNo}:1`, 1]]);
    }
  });

  it('raises no double return while what was returned stays within what was sold', async () => {
    const sold = sale('1001', '01', '1000006', 3);
    await pushSalesOk([sold]);
    await pushReturnsOk([returnOf(sold, '1002', '01', 2)]);
    await pushReturnsOk([returnOf(sold, '1003', '01', 1)]);
    expect(await alertsOf('double_return', `${sold.receiptNo}:`)).toEqual([]);
  });

  it('counts goods returned for a line the sale does not have as returned too many', async () => {
    const sold = sale('1001', '01', '1000017', 1);
    await pushSalesOk([sold]);
    const line = sold.lines[0];
    if (!line) throw new Error('no line');
    // A register that made up line 2 (the schema and the arithmetic cannot see it).
    const made = returnOf(sold, '1002', '01', 1);
    const phantom: ReturnDoc = { ...made, lines: made.lines.map((l) => ({ ...l, originalLineNo: 2 })) };
    await pushReturnsOk([phantom]);
    const alerts = await alertsOf('double_return', `${sold.receiptNo}:`);
    expect(alerts.map((a) => [a.recordId, a.body])).toEqual([
      [`${sold.receiptNo}:2`, { origin: { kind: 'sale', no: sold.receiptNo, storeId: '1001' }, lineNo: 2, sold: 0, returned: 1, excess: 1, excessCents: PRICE, returnIds: [phantom.id] }],
    ]);
  });

  it('guards order returns too: a carried line returned twice, the returns before the order itself', async () => {
    const order = carryOrder('1001', '01', 1);
    await pushReturnsOk([orderReturn(order, '1002', '01', 1)]);
    await pushReturnsOk([orderReturn(order, '1003', '01', 1)]);
    expect(await alertsOf('double_return', `${order.orderNo}:`)).toEqual([]);
    await pushEventsOk([order]);
    const alerts = await alertsOf('double_return', `${order.orderNo}:`);
    expect(alerts.map((a) => [a.recordId, (a.body as { excess: number; excessCents: number }).excess, (a.body as { excessCents: number }).excessCents])).toEqual([
      [`${order.orderNo}:1`, 1, PRICE],
    ]);
    expect(alerts[0]?.message).toMatch(/1002 and 1003/);
  });

  it('books a return without a receipt and flags it for a manager’s review', async () => {
    const before = (await stockRow('1002:1000008'))?.onHand ?? 0;
    const blind = blindReturn('1002', '01', '1000008', 2);
    expect(blind.review).toBe(true);
    await pushReturnsOk([blind]);
    await pushReturnsOk([blind]);
    expect((await stockRow('1002:1000008'))?.onHand).toBe(before + 2);
    const review = await alertsOf('return_review', blind.id);
    expect(review).toHaveLength(1);
    expect(review[0]).toMatchObject({ storeId: '1002', registerId: '01', resolvedAt: null });
    expect(review[0]?.message).toContain('€ 25,90');
    expect(review[0]?.message).toContain('900');
    // Seen by the store that took it only: it came from no store.
    expect((await pull<ReturnDoc>('returns', '1002')).docs.get(blind.id)).toEqual(blind);
    expect((await pull<ReturnDoc>('returns', '1001')).docs.has(blind.id)).toBe(false);
  });

  it('sends a return to the store that took it and the store the goods were bought at, not to others', async () => {
    const sold = sale('1001', '01', '1000009', 1);
    await pushSalesOk([sold]);
    const c1001 = await count('returns', '1001');
    const c1002 = await count('returns', '1002');
    const c1003 = await count('returns', '1003');
    const before = { 1001: await pull<ReturnDoc>('returns', '1001'), 1003: await pull<ReturnDoc>('returns', '1003') };
    const r = returnOf(sold, '1002', '02', 1);
    await pushReturnsOk([r]);
    expect((await pull<ReturnDoc>('returns', '1002', null, '01')).docs.get(r.id)).toEqual(r);
    // From where the sold store's register stood: only the new return.
    expect([...(await pull<ReturnDoc>('returns', '1001', before[1001].checkpoint)).docs.keys()]).toEqual([r.id]);
    expect((await pull<ReturnDoc>('returns', '1003', before[1003].checkpoint)).docs.size).toBe(0);
    expect((await pull<ReturnDoc>('returns', '1003')).docs.has(r.id)).toBe(false);
    expect([await count('returns', '1001'), await count('returns', '1002'), await count('returns', '1003')]).toEqual([c1001 + 1, c1002 + 1, c1003]);
  });

  it('looks a sale up for a register of any store, with every return of it, and lists returns by origin', async () => {
    const sold = sale('1001', '02', '1000010', 3);
    await pushSalesOk([sold]);
    const r = returnOf(sold, '1002', '01', 1);
    await pushReturnsOk([r]);
    const res = await call<SaleLookupResponse>('GET', `/api/sales/${sold.receiptNo}`, { token: token('1003') });
    expect(res.status).toBe(200);
    const { receivedAt, ...rest } = res.body.sale;
    expect(rest).toEqual(sold);
    expect(Date.parse(receivedAt)).not.toBeNaN();
    expect(res.body.returns).toEqual([r]);
    expect((await call<SaleLookupResponse>('GET', `/api/sales/${sold.receiptNo.toLowerCase()}`, { token: ADMIN })).body.returns).toEqual([r]);

    expect(await call('GET', '/api/sales/1001-02-999999', { token: token('1003') })).toMatchObject({ status: 404, body: { error: 'unknown_sale', field: 'receiptNo' } });
    expect(await call('GET', '/api/sales/not-a-receipt', { token: token('1003') })).toMatchObject({ status: 400, body: { field: 'receiptNo' } });
    expect(await call('GET', `/api/sales/${sold.receiptNo}`)).toMatchObject({ status: 401 });

    expect(await call<ReturnsResponse>('GET', `/api/returns?origin=${sold.receiptNo}`, { token: token('1003') })).toEqual({ status: 200, body: { returns: [r] } });
    const order = carryOrder('1001', '02', 2);
    await pushEventsOk([order]);
    const ret = orderReturn(order, '1003', '01', 1);
    await pushReturnsOk([ret]);
    expect(await call<ReturnsResponse>('GET', `/api/returns?origin=${encodeURIComponent(order.orderNo.toLowerCase())}`, { token: ADMIN })).toEqual({ status: 200, body: { returns: [ret] } });
    expect(await call<ReturnsResponse>('GET', '/api/returns?origin=1006-01-000001', { token: token('1002') })).toEqual({ status: 200, body: { returns: [] } });
    for (const q of ['', '?origin=', '?origin=abc', '?origin=1001-01-000001&origin=1001-01-000002', `?origin=${'1'.repeat(70)}`]) {
      expect(await call('GET', `/api/returns${q}`, { token: token('1002') })).toMatchObject({ status: 400, body: { field: 'origin' } });
    }
    expect(await call('GET', `/api/returns?origin=${sold.receiptNo}`, { token: 'nope' })).toMatchObject({ status: 401 });
  });

  it('refuses bad returns naming the field, and writes nothing of the push', async () => {
    const sold = sale('1001', '01', '1000011', 3);
    await pushSalesOk([sold]);
    const good = returnOf(sold, '1002', '01', 1);
    const before = { returns: await rowsIn('returns'), alerts: await rowsIn('alerts'), stock: (await stockRow('1002:1000011'))?.onHand };
    const bad: [string, unknown, number, string][] = [
      ['total altered', { ...good, totalCents: good.totalCents + 1 }, 400, '[1].newDocumentState.totalCents'],
      ['line amount altered', { ...good, lines: good.lines.map((l) => ({ ...l, amountCents: l.amountCents + 1 })) }, 400, '[1].newDocumentState.lines[0].amountCents'],
      ['quantity 0', { ...good, lines: good.lines.map((l) => ({ ...l, quantity: 0 })) }, 400, '[1].newDocumentState.lines[0].quantity'],
      ['unknown field', { ...good, discount: 5 }, 400, '[1].newDocumentState.discount'],
      ['unknown reason', { ...good, lines: good.lines.map((l) => ({ ...l, reason: 'bored' })) }, 400, '[1].newDocumentState.lines[0].reason'],
      ['receipt number of another store than the origin', { ...good, origin: { ...good.origin, storeId: '1003' } }, 400, '[1].newDocumentState.origin.storeId'],
      ['receipt number not as registers write it', { ...good, origin: { ...good.origin, receiptNo: '1001-01-0000001' } }, 400, '[1].newDocumentState.origin.receiptNo'],
      ['blind without approval', { ...blindReturn('1002', '01', '1000011', 1), approval: null }, 400, '[1].newDocumentState.approval'],
      ['another store’s return', returnOf(sold, '1003', '01', 1), 403, '[1].newDocumentState.storeId'],
      ['another register’s return', returnOf(sold, '1002', '02', 1), 403, '[1].newDocumentState.registerId'],
    ];
    for (const [name, doc, status, field] of bad) {
      const res = await call<{ error: string; field: string }>('POST', '/api/replication/returns/push', { token: token('1002'), body: rows([good, doc]) });
      expect({ name, status: res.status, field: res.body.field }).toEqual({ name, status, field });
    }
    expect(await call('POST', '/api/replication/returns/push', { token: token('1002'), body: { not: 'rows' } })).toMatchObject({ status: 400 });
    expect(await call('POST', '/api/replication/returns/push', { token: ADMIN, body: rows([good]) })).toMatchObject({ status: 401 });
    expect({ returns: await rowsIn('returns'), alerts: await rowsIn('alerts'), stock: (await stockRow('1002:1000011'))?.onHand }).toEqual(before);
  });

  it('keeps the first body of a return id and answers another body with the stored one and an alert', async () => {
    const sold = sale('1001', '01', '1000012', 3);
    await pushSalesOk([sold]);
    const first = returnOf(sold, '1002', '01', 1);
    await pushReturnsOk([first]);
    const onHand = (await stockRow('1002:1000012'))?.onHand;
    const other: ReturnDoc = { ...first, operatorId: '900' };
    expect(await pushReturns([other])).toEqual({ status: 200, body: [first] });
    const conflicts = (await call<{ alerts: HqAlert[] }>('GET', '/api/alerts?storeId=1002', { token: ADMIN })).body.alerts.filter((a) => a.kind === 'conflicting_record' && a.recordId === first.id);
    expect(conflicts.map((a) => a.body)).toEqual([other]);
    expect((await stockRow('1002:1000012'))?.onHand).toBe(onHand);
  });

  it('keeps each register’s public keys for receipt codes, sends them with the stores, and keeps them on re-enrolment', async () => {
    const first = await generateRegisterKeys();
    const { checkpoint } = await pull<StoreDoc>('stores', '1003');
    const added = await call('POST', '/api/registers/key', { token: token('1002', '02'), body: { publicKey: first.publicKey } });
    expect(added).toEqual({ status: 200, body: { storeId: '1002', registerId: '02', publicKeys: [first.publicKey], added: true } });
    // The same key again: not twice.
    expect((await call('POST', '/api/registers/key', { token: token('1002', '02'), body: { publicKey: first.publicKey } })).body).toMatchObject({ publicKeys: [first.publicKey], added: false });

    // The stores row was rewritten: a register pulling from where it stood gets it.
    const changed = await pull<StoreDoc>('stores', '1003', checkpoint);
    expect(changed.docs.get('1002')?.registerKeys).toEqual({ '02': [first.publicKey] });
    expect((await call<StoreDoc[]>('GET', '/api/stores')).body.find((s) => s.id === '1002')?.registerKeys).toEqual({ '02': [first.publicKey] });
    expect((await call<StoreDoc[]>('GET', '/api/stores')).body.find((s) => s.id === '1001')?.registerKeys).toEqual({});

    // A receipt signed by that register checks out at another store with the keys it pulled.
    const stores = (await pull<StoreDoc>('stores', '1003')).docs;
    const known = (s: string, r: string) => stores.get(s)?.registerKeys[r] ?? [];
    const sold = sale('1002', '02', '1000013', 1);
    expect(await verifyReceiptCode(await signReceipt(sold, first), known)).toMatchObject({ ok: true });

    // Re-enrolled (a reinstall): a new key beside the old one, and old receipts still check out.
    await enrol('1002', '02');
    const second = await generateRegisterKeys();
    expect((await call('POST', '/api/registers/key', { token: token('1002', '02'), body: { publicKey: second.publicKey } })).body).toMatchObject({ publicKeys: [first.publicKey, second.publicKey] });
    const again = (await pull<StoreDoc>('stores', '1001')).docs;
    expect(again.get('1002')?.registerKeys).toEqual({ '02': [first.publicKey, second.publicKey] });
    expect(await verifyReceiptCode(await signReceipt(sold, first), (s, r) => again.get(s)?.registerKeys[r] ?? [])).toMatchObject({ ok: true });

    // Strict about what a key is.
    const notOnCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url');
    const compressed = Buffer.concat([Buffer.from([2]), Buffer.alloc(32, 7)]).toString('base64url');
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = first.publicKey.slice(-1);
    const nonCanonical = `${first.publicKey.slice(0, 86)}${B64URL[B64URL.indexOf(last) | 1]}`;
    const wrongPrefix = Buffer.concat([Buffer.from([5]), Buffer.from(first.publicKey, 'base64url').subarray(1)]).toString('base64url');
    const badBodies: [unknown, string][] = [
      [{ publicKey: first.publicKey.slice(0, 86) }, 'publicKey'],
      [{ publicKey: `${first.publicKey}A` }, 'publicKey'],
      [{ publicKey: `${first.publicKey.slice(0, 86)}=` }, 'publicKey'],
      [{ publicKey: `+${first.publicKey.slice(1)}` }, 'publicKey'],
      [{ publicKey: notOnCurve }, 'publicKey'],
      [{ publicKey: nonCanonical }, 'publicKey'],
      [{ publicKey: compressed }, 'publicKey'],
      [{ publicKey: wrongPrefix }, 'publicKey'],
      [{ publicKey: 42 }, 'publicKey'],
      [{}, 'publicKey'],
      [[first.publicKey], 'publicKey'],
      [{ publicKey: second.publicKey, registerId: '01' }, 'registerId'],
    ];
    for (const [body, field] of badBodies) {
      expect({ body, res: await call('POST', '/api/registers/key', { token: token('1002', '02'), body }) }).toMatchObject({ body, res: { status: 400, body: { error: 'invalid', field } } });
    }
    expect(await call('POST', '/api/registers/key', { token: ADMIN, body: { publicKey: second.publicKey } })).toMatchObject({ status: 401 });
    expect((await pull<StoreDoc>('stores', '1001')).docs.get('1002')?.registerKeys).toEqual({ '02': [first.publicKey, second.publicKey] });
  });

  it('hands a reinstalled register its last return number', async () => {
    expect((await enrol('1003', '02')).lastReturnSequence).toBe(0);
    const sold = sale('1001', '01', '1000014', 2);
    await pushSalesOk([sold]);
    const rets = [returnOf(sold, '1003', '02', 1), returnOf(sold, '1003', '02', 1)];
    await pushReturnsOk(rets);
    const again = await enrol('1003', '02');
    expect(again.lastReturnSequence).toBe(rets[1]?.seq);
    expect(again.lastReturnSequence).toBeGreaterThan(0);
    // Returns are numbered on their own: the sale numbering does not move.
    expect(again.lastSequence).toBe(0);
  });
});
