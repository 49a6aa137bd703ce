import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainHead } from '../../src/chain.ts';
import { type CreatedEvent, DEFAULT_ORDER_SETTINGS, type EventContext, type NewOrderLine, type OrderEvent, cancel, createOrder, foldOrder, orderDue, pickUp } from '../../src/order.ts';
import { type CompletedReturn, completeReturn, planRefund } from '../../src/returns.ts';
import type { TenderInput } from '../../src/sale.ts';
import {
  type CashCountLine,
  type SequenceMarks,
  type ShiftClosed,
  type ShiftEvent,
  type ShiftOpened,
  DENOMINATIONS_CENTS,
  closeShift,
  moveCash,
  openShift,
  shiftReport,
} from '../../src/shift.ts';
import type { HqAlert } from '../../sync/hq/store.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import type { SaleDoc, ShiftEventDoc } from '../../sync/protocol/docs.ts';
import type { HoldingsResponse } from '../../sync/protocol/holdings.ts';
import type { EnrolResponse } from '../../sync/protocol/wire.ts';
import type { ZReportEntry, ZReportsResponse } from '../../sync/protocol/z-reports.ts';
import { availableBackends } from '../support/backends.ts';
import { makeSale } from '../support/sales.ts';

// Shifts at HQ, on both storage backends, spoken to as a register speaks to it: shift events
// pushed like sales (validated with the field named, each stored once, another body under an id
// a conflict and an alert, only the register's own), a shift closed with a difference raising a
// cash_difference alert, the store's Z reports with HQ's check (matches when it holds the
// shift's records, incomplete while one is missing, differs when the report was altered), what
// HQ holds of a register for its end-of-day screen, and enrolment's shift numbering.

const backends = await availableBackends();
const ADMIN = 'shifts-admin-token';
const AT = new Date(Date.UTC(2026, 10, 26, 8, 0, 0)).toISOString();
const LATER = new Date(Date.UTC(2026, 10, 26, 18, 0, 0)).toISOString();

type Enrolled = EnrolResponse & { lastShiftSequence: number };

/**
 * One register as the tests drive it: its own numbering per kind, its chain head, and every
 * record it made (what the register would hand shiftReport).
 */
class Till {
  private readonly seqs = { sales: 0, orderEvents: 0, returns: 0, shift: 0 };
  private head: ChainHead | null = null;
  readonly sales: SaleDoc[] = [];
  readonly orderEvents: OrderEvent[] = [];
  readonly returns: CompletedReturn[] = [];
  readonly shiftEvents: ShiftEvent[] = [];

  constructor(
    readonly storeId: string,
    readonly registerId: string,
  ) {}

  marks(): SequenceMarks {
    return { sales: this.seqs.sales, orderEvents: this.seqs.orderEvents, returns: this.seqs.returns };
  }
  private ctx(kind: keyof Till['seqs'], operatorId = '100', createdAt = AT) {
    return { storeId: this.storeId, registerId: this.registerId, seq: ++this.seqs[kind], createdAt, operatorId };
  }
  eventCtx(): EventContext {
    return this.ctx('orderEvents');
  }

  sale(quantity: number, tender?: TenderInput): SaleDoc {
    const s = makeSale(this.storeId, this.registerId, ++this.seqs.sales, { productId: '1000003', quantity, priceCents: 1295, ...(tender ? { tender } : {}), prev: this.head });
    this.head = { seq: s.seq, hash: s.hash };
    this.sales.push(s);
    return s;
  }
  returnOf(s: SaleDoc, quantity: number): CompletedReturn {
    const l = s.lines[0]!;
    const r = completeReturn(
      {
        origin: { kind: 'sale', receiptNo: s.receiptNo, storeId: s.storeId, registerId: s.registerId, verifiedBy: 'replica' },
        lines: [{ originalLineNo: 1, productId: l.productId, itemNumber: l.itemNumber, barcode: l.barcode, name: l.name, quantity, unitPriceCents: l.unitPriceCents, vat: l.vat, reason: 'defective' }],
        refunds: planRefund(l.unitPriceCents * quantity, s.tenders, []),
        approval: null,
      },
      this.ctx('returns'),
    );
    this.returns.push(r);
    return r;
  }
  order(pickupStoreId: string, cashDeposit: boolean): CreatedEvent {
    const lines: NewOrderLine[] = [
      { productId: '1000004', itemNumber: '1000004', barcode: null, name: 'Texel Dekbedovertrek 140x200', quantity: 2, unitPriceCents: 1295, vat: 'high', outOfAssortment: false, fulfilment: { mode: 'pickup', storeId: pickupStoreId } },
    ];
    const due = orderDue(lines, DEFAULT_ORDER_SETTINGS);
    const tenders: TenderInput[] = cashDeposit ? [{ kind: 'cash', tenderedCents: 1000 }] : [{ kind: 'card', amountCents: due.depositRequiredCents }];
    const e = createOrder(
      { customer: { name: 'Jan de Vries', phone: null, email: null, addresses: [] }, lines, settings: DEFAULT_ORDER_SETTINGS, depositCents: due.depositRequiredCents, override: null, tenders },
      this.eventCtx(),
    );
    this.orderEvents.push(e);
    return e;
  }
  event<E extends OrderEvent>(e: E): E {
    this.orderEvents.push(e);
    return e;
  }
  open(floatCents: number): ShiftOpened {
    const e = openShift(floatCents, this.marks(), this.ctx('shift'));
    this.shiftEvents.push(e);
    return e;
  }
  move(opened: ShiftOpened, direction: 'in' | 'out', amountCents: number) {
    const e = moveCash(opened, { direction, amountCents, reason: direction === 'in' ? 'float_top_up' : 'safe_drop', note: '' }, this.ctx('shift'));
    this.shiftEvents.push(e);
    return e;
  }
  /** Closes the shift with the drawer counted at the expected cash plus `offCents` (a multiple of 5). */
  close(opened: ShiftOpened, offCents = 0): ShiftClosed {
    const records = { sales: this.sales, orderEvents: this.orderEvents, returns: this.returns, shiftEvents: this.shiftEvents };
    const expected = shiftReport(opened, records, LATER, { marks: this.marks() }).expectedCashCents;
    const e = closeShift(opened, records, this.marks(), countOf(expected + offCents), this.ctx('shift', '900', LATER));
    this.shiftEvents.push(e);
    return e;
  }
}

/** The notes and coins of an amount (a multiple of 5 cents), largest first. */
function countOf(cents: number): CashCountLine[] {
  let rest = cents;
  const out: CashCountLine[] = [];
  for (const d of DENOMINATIONS_CENTS) {
    const count = Math.floor(rest / d);
    if (count > 0) out.push({ denominationCents: d, count });
    rest -= count * d;
  }
  if (rest !== 0) throw new Error(`${cents} is not a multiple of 5 cents`);
  return out;
}

const rows = <T>(docs: readonly T[]) => docs.map((d) => ({ newDocumentState: { ...d, _deleted: false }, assumedMasterState: null }));

describe.each(backends)('shifts at HQ on $name', (backend) => {
  let hq: RunningHq;
  let cleanup: () => Promise<void>;
  const tokens = new Map<string, string>();

  const call = async <T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, opts: { token?: string | null; body?: unknown } = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${hq.url}${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const enrol = async (storeId: string, registerId: string): Promise<Enrolled> => {
    const res = await call<Enrolled>('POST', '/api/registers', { token: ADMIN, body: { storeId, registerId } });
    expect(res.status).toBe(201);
    tokens.set(`${storeId}-${registerId}`, res.body.registerToken);
    return res.body;
  };
  const token = (storeId: string, registerId: string): string => {
    const t = tokens.get(`${storeId}-${registerId}`);
    if (!t) throw new Error(`register ${storeId}-${registerId} is not enrolled`);
    return t;
  };
  const push = <T>(collection: string, till: Till, docs: readonly T[], as: Till = till) =>
    call<(T & { _deleted: boolean })[] & { error?: string; field?: string; message?: string }>('POST', `/api/replication/${collection}/push`, {
      token: token(as.storeId, as.registerId),
      body: rows(docs),
    });
  const pushOk = async <T>(collection: string, till: Till, docs: readonly T[]) => expect(await push(collection, till, docs)).toEqual({ status: 200, body: [] });
  const rowsIn = async (table: string) => (await hq.store.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n ?? -1;
  const zReports = async (storeId: string, query = '') => {
    const res = await call<ZReportsResponse>('GET', `/api/stores/${storeId}/z-reports${query}`, { token: ADMIN });
    expect(res.status).toBe(200);
    return res.body.zReports;
  };
  const zReportOf = async (closed: ShiftClosed): Promise<ZReportEntry | undefined> => (await zReports(closed.storeId, `?registerId=${closed.registerId}`)).find((z) => z.shiftNo === closed.shiftNo);
  const alerts = async (storeId: string) => (await call<{ alerts: HqAlert[] }>('GET', `/api/alerts?storeId=${storeId}&open=1`, { token: ADMIN })).body.alerts;
  const holdings = async (till: Till) => {
    const res = await call<HoldingsResponse>('GET', '/api/registers/me/holdings', { token: token(till.storeId, till.registerId) });
    expect(res.status).toBe(200);
    return res.body;
  };

  // Registers: 1001-01 and 1001-02 (Utrecht), 1002-01 (Amersfoort), 1003-01 (Zeist: nothing happens there).
  const u1 = new Till('1001', '01');
  const u2 = new Till('1001', '02');
  const a1 = new Till('1002', '01');
  const z1 = new Till('1003', '01');

  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    hq = await startHq({
      ...(prepared.databaseUrl ? { databaseUrl: prepared.databaseUrl } : { memory: true }),
      adminToken: ADMIN,
      demoProducts: 100,
      enrolRate: { capacity: 50, perMinute: 1 },
    });
    for (const t of [u1, u2, a1, z1]) expect((await enrol(t.storeId, t.registerId)).lastShiftSequence).toBe(0);
  });
  afterAll(async () => {
    await hq?.close();
    await cleanup?.();
  });

  // 1001-01's shift: € 150 float; a cash sale and a card sale; an order with its deposit in cash;
  // one item of the cash sale back in cash; € 50 taken to the safe; counted exactly.
  let u1Shift: { opened: ShiftOpened; closed: ShiftClosed; events: ShiftEvent[] };

  it('stores a shift’s events (opened, cash, closed) once, and lists its Z report as matching the records HQ holds', async () => {
    const opened = u1.open(15_000);
    const cashSale = u1.sale(2);
    const cardSale = u1.sale(1, { kind: 'card', amountCents: 1295 });
    const order = u1.order('1001', true);
    const back = u1.returnOf(cashSale, 1);
    const drop = u1.move(opened, 'out', 5000);
    const closed = u1.close(opened);
    u1Shift = { opened, closed, events: [opened, drop, closed] };
    // 150 + 25,90 + 5,20 deposit − 12,95 back − 50
    expect(closed).toMatchObject({ expectedCents: 15_000 + 2590 + 520 - 1295 - 5000, differenceCents: 0 });

    await pushOk('sales', u1, [cashSale, cardSale]);
    await pushOk('orderEvents', u1, [order]);
    await pushOk('returns', u1, [back]);
    const alertsBefore = await rowsIn('alerts');
    await pushOk('shiftEvents', u1, u1Shift.events);
    expect(await rowsIn('shift_events')).toBe(3);
    // Closed without a difference: no alert.
    expect(await rowsIn('alerts')).toBe(alertsBefore);
    const stored = await hq.store.sql.query<{ id: string; shift_no: string; type: string; seq: number | string }>('SELECT id, shift_no, type, seq FROM shift_events ORDER BY seq');
    expect(stored.map((r) => [r.id, r.shift_no, r.type, Number(r.seq)])).toEqual([
      ['SHF-1001-01-000001', 'SHF-1001-01-000001', 'opened', 1],
      ['SHF-1001-01-000002', 'SHF-1001-01-000001', 'cash', 2],
      ['SHF-1001-01-000003', 'SHF-1001-01-000001', 'closed', 3],
    ]);

    const [z] = await zReports('1001');
    expect(z).toEqual({
      shiftNo: opened.shiftNo,
      closedId: closed.id,
      storeId: '1001',
      registerId: '01',
      openedAt: AT,
      closedAt: LATER,
      openedBy: '100',
      operator: '900',
      floatCents: 15_000,
      countedCents: closed.countedCents,
      expectedCents: closed.expectedCents,
      differenceCents: 0,
      counted: closed.counted,
      report: closed.report,
      receivedAt: expect.any(String),
      check: { status: 'matches', missing: 0, differences: [] },
    });
    expect(z?.report.records).toEqual({ sales: 2, orderEvents: 1, returns: 1, cashMoves: 1 });
  });

  it('acknowledges the same events again without storing them twice', async () => {
    const before = { events: await rowsIn('shift_events'), alerts: await rowsIn('alerts') };
    await pushOk('shiftEvents', u1, u1Shift.events);
    await pushOk('shiftEvents', u1, [u1Shift.closed, u1Shift.closed]);
    // Read back from the database (jsonb reorders keys), the same body is still the same.
    const [row] = await hq.store.sql.query<{ body: ShiftEventDoc }>('SELECT body FROM shift_events WHERE id = $1', [u1Shift.closed.id]);
    await pushOk('shiftEvents', u1, [row?.body]);
    expect({ events: await rowsIn('shift_events'), alerts: await rowsIn('alerts') }).toEqual(before);
  });

  it('answers another body under a stored id with the stored event, keeps it, and raises an alert', async () => {
    const [, drop] = u1Shift.events;
    if (drop?.type !== 'cash') throw new Error('the cash move');
    const other = { ...drop, amountCents: 2500 };
    const res = await push('shiftEvents', u1, [other]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ ...drop, _deleted: false }]);
    const [row] = await hq.store.sql.query<{ body: ShiftEventDoc }>('SELECT body FROM shift_events WHERE id = $1', [drop.id]);
    expect(row?.body).toMatchObject({ amountCents: 5000 });
    const conflict = (await alerts('1001')).filter((a) => a.kind === 'conflicting_record' && a.recordId === drop.id);
    expect(conflict).toHaveLength(1);
    expect(conflict[0]).toMatchObject({ storeId: '1001', registerId: '01', body: { amountCents: 2500 } });
    expect((await zReportOf(u1Shift.closed))?.check.status).toBe('matches');
  });

  it('refuses another register’s events (403) and bad events naming the field (4xx), writing nothing of the push', async () => {
    const before = { events: await rowsIn('shift_events'), alerts: await rowsIn('alerts') };
    const next = u1.open(u1Shift.closed.countedCents);
    const good = { ...next, _deleted: false };
    const closedDoc = { ...u1Shift.closed, _deleted: false };
    const bad: [string, unknown, number, string][] = [
      ['counted total altered', { ...closedDoc, countedCents: closedDoc.countedCents + 500 }, 400, '[1].newDocumentState.countedCents'],
      ['difference altered', { ...closedDoc, differenceCents: 700 }, 400, '[1].newDocumentState.differenceCents'],
      ['a coin no one has', { ...closedDoc, counted: [{ denominationCents: 3, count: 1 }] }, 400, '[1].newDocumentState.counted[0].denominationCents'],
      ['a negative count', { ...closedDoc, counted: [{ denominationCents: 5, count: -1 }] }, 400, '[1].newDocumentState.counted[0].count'],
      ['id not the register’s shift number', { ...good, id: 'SHF-1001-01-000099' }, 400, '[1].newDocumentState.id'],
      ['a shift of another register', { ...u1Shift.events[1], shiftNo: 'SHF-1001-02-000001', _deleted: false }, 400, '[1].newDocumentState.shiftNo'],
      ['an unknown type', { ...good, type: 'paused' }, 400, '[1].newDocumentState.type'],
      ['an unknown field', { ...good, drawer: 2 }, 400, '[1].newDocumentState.drawer'],
      ['another store’s event', { ...openShift(0, u1.marks(), { storeId: '1002', registerId: '01', seq: 9, createdAt: AT, operatorId: '100' }), _deleted: false }, 403, '[1].newDocumentState.storeId'],
      ['another register’s event', { ...openShift(0, u1.marks(), { storeId: '1001', registerId: '02', seq: 9, createdAt: AT, operatorId: '100' }), _deleted: false }, 403, '[1].newDocumentState.registerId'],
    ];
    for (const [name, doc, status, field] of bad) {
      const res = await call<{ error: string; field: string }>('POST', '/api/replication/shiftEvents/push', {
        token: token('1001', '01'),
        body: [good, doc].map((d) => ({ newDocumentState: d, assumedMasterState: null })),
      });
      expect({ name, status: res.status, field: res.body.field }).toEqual({ name, status, field });
    }
    // 1001-02 cannot send 1001-01's shift either.
    expect(await push('shiftEvents', u1, [next], u2)).toMatchObject({ status: 403, body: { field: '[0].newDocumentState.registerId' } });
    expect(await call('POST', '/api/replication/shiftEvents/push', { token: ADMIN, body: rows([next]) })).toMatchObject({ status: 401 });
    expect(await call('POST', '/api/replication/shiftEvents/push', { token: token('1001', '01'), body: { not: 'rows' } })).toMatchObject({ status: 400 });
    expect({ events: await rowsIn('shift_events'), alerts: await rowsIn('alerts') }).toEqual(before);
    await pushOk('shiftEvents', u1, [next]);
  });

  // 1001-02's shift: two cash sales, the first still on its way to HQ; counted € 2,50 short.
  let u2Closed: ShiftClosed;
  let u2FirstSale: SaleDoc;

  it('raises a cash_difference alert for a shift closed short, and lists its Z report as incomplete while a sale is missing', async () => {
    const opened = u2.open(10_000);
    u2FirstSale = u2.sale(1);
    const second = u2.sale(3);
    u2Closed = u2.close(opened, -250);
    expect(u2Closed.differenceCents).toBe(-250);
    await pushOk('sales', u2, [second]);
    await pushOk('shiftEvents', u2, [opened, u2Closed]);

    const raised = (await alerts('1001')).filter((a) => a.kind === 'cash_difference');
    expect(raised).toEqual([
      {
        kind: 'cash_difference',
        recordId: u2Closed.id,
        storeId: '1001',
        registerId: '02',
        message: expect.stringMatching(/SHF-1001-02-000001 .*€ 2,50 short/),
        body: expect.objectContaining({ shiftNo: opened.shiftNo, amountCents: -250, countedCents: u2Closed.countedCents, expectedCents: u2Closed.expectedCents }),
        createdAt: expect.any(String),
        resolvedAt: null,
      },
    ]);
    // Raised once, however often the closing is sent again.
    await pushOk('shiftEvents', u2, [u2Closed]);
    expect((await alerts('1001')).filter((a) => a.kind === 'cash_difference')).toHaveLength(1);

    expect(await zReportOf(u2Closed)).toMatchObject({ differenceCents: -250, check: { status: 'incomplete', missing: 1, differences: [] } });
    await pushOk('sales', u2, [u2FirstSale]);
    expect(await zReportOf(u2Closed)).toMatchObject({ check: { status: 'matches', missing: 0 } });
  });

  it('lists a Z report that was altered as differing, naming the part', async () => {
    const opened = a1.open(5000);
    const s = a1.sale(2, { kind: 'card', amountCents: 2590 });
    const closed = a1.close(opened);
    // The register's report says less was sold than the sales HQ holds: verifyShiftEvent cannot see it, HQ's check can.
    const altered: ShiftClosed = { ...closed, report: { ...closed.report, sales: { ...closed.report.sales, totalCents: closed.report.sales.totalCents - 1295 } } };
    await pushOk('sales', a1, [s]);
    await pushOk('shiftEvents', a1, [opened, altered]);
    expect(await zReportOf(closed)).toMatchObject({ check: { status: 'differs', missing: 0, differences: ['sales'] } });
  });

  it('lists a closing whose opening HQ does not hold yet as incomplete', async () => {
    const opened = a1.open(1000);
    const closed = a1.close(opened);
    await pushOk('shiftEvents', a1, [closed]);
    expect(await zReportOf(closed)).toMatchObject({ openedBy: null, floatCents: 1000, check: { status: 'incomplete', missing: 1 } });
    await pushOk('shiftEvents', a1, [opened]);
    expect(await zReportOf(closed)).toMatchObject({ openedBy: '100', check: { status: 'matches' } });
  });

  it('lists a store’s Z reports newest first, by register and limited, for the admin token only', async () => {
    const all = await zReports('1001');
    expect(all.map((z) => z.shiftNo)).toEqual([u2Closed.shiftNo, u1Shift.closed.shiftNo]);
    expect((await zReports('1001', '?registerId=01')).map((z) => z.shiftNo)).toEqual([u1Shift.closed.shiftNo]);
    expect((await zReports('1001', '?limit=1')).map((z) => z.shiftNo)).toEqual([u2Closed.shiftNo]);
    expect(await zReports('1003')).toEqual([]);
    expect((await zReports('1002')).every((z) => z.storeId === '1002')).toBe(true);
    expect((await call('GET', '/api/stores/1001/z-reports', { token: token('1001', '01') })).status).toBe(401);
    expect((await call('GET', '/api/stores/1001/z-reports')).status).toBe(401);
    expect(await call('GET', '/api/stores/10-1/z-reports', { token: ADMIN })).toMatchObject({ status: 400, body: { field: 'storeId' } });
    expect(await call('GET', '/api/stores/1001/z-reports?registerId=x', { token: ADMIN })).toMatchObject({ status: 400, body: { field: 'registerId' } });
    expect(await call('GET', '/api/stores/1001/z-reports?limit=0', { token: ADMIN })).toMatchObject({ status: 400, body: { field: 'limit' } });
    expect(await call('GET', '/api/stores/1001/z-reports?limit=101', { token: ADMIN })).toMatchObject({ status: 400, body: { field: 'limit' } });
  });

  it('tells a register what HQ holds of it, with its store’s open alerts and order exceptions', async () => {
    // An order made at 1001-02 for pick-up at 1002, handed out at 1002 and cancelled at 1001-02 from the same state: an exception for both stores.
    const created = u2.order('1002', false);
    const state = foldOrder(created.orderNo, [created]);
    const pickup = a1.event(pickUp(state, [1], [{ kind: 'card', amountCents: state.balanceCents }], a1.eventCtx()));
    const cancelled = u2.event(cancel(state, [1], DEFAULT_ORDER_SETTINGS, 'cash', 'changed their mind', u2.eventCtx()));
    await pushOk('orderEvents', u2, [created]);
    await pushOk('orderEvents', a1, [pickup]);
    await pushOk('orderEvents', u2, [cancelled]);

    const mine = await holdings(u1);
    expect(mine).toMatchObject({ storeId: '1001', registerId: '01', at: expect.any(String) });
    // What 1001-01 made and pushed: 2 sales, 1 order event, 1 return, 4 shift events (the next shift's opening too).
    expect(mine.collections).toEqual({
      sales: { count: 2, lastSeq: 2 },
      orderEvents: { count: 1, lastSeq: 1 },
      returns: { count: 1, lastSeq: 1 },
      shiftEvents: { count: 4, lastSeq: 4 },
    });
    expect(mine.collections).toEqual({
      sales: { count: u1.sales.length, lastSeq: u1.marks().sales },
      orderEvents: { count: u1.orderEvents.length, lastSeq: u1.marks().orderEvents },
      returns: { count: u1.returns.length, lastSeq: u1.marks().returns },
      shiftEvents: { count: u1.shiftEvents.length, lastSeq: u1.shiftEvents.length },
    });
    // The store's open alerts, every register's: the drawer short at 1001-02 with its amount, the conflict at 1001-01 without one.
    expect(mine.alerts.find((a) => a.kind === 'cash_difference')).toEqual({
      kind: 'cash_difference',
      recordId: u2Closed.id,
      registerId: '02',
      message: expect.stringMatching(/short/),
      amountCents: -250,
      createdAt: expect.any(String),
    });
    expect(mine.alerts.find((a) => a.kind === 'conflicting_record')).toMatchObject({ registerId: '01', amountCents: null });
    expect(mine.openAlerts).toBe((await alerts('1001')).length);
    expect(mine.alerts.every((a) => !a.kind.startsWith('chain_gap'))).toBe(true); // the gap closed when the sale arrived
    const refund = cancelled.lines[0]?.refundCents ?? 0;
    expect(mine.orderExceptions).toEqual([
      {
        orderNo: created.orderNo,
        orderStatus: 'completed',
        kind: 'cancelled_after_handout',
        lineNo: 1,
        eventId: cancelled.id,
        storeId: '1001',
        amountCents: -refund,
        message: expect.any(String),
      },
    ]);

    // 1001-02 sees the same store-wide lists and its own counts.
    const theirs = await holdings(u2);
    expect(theirs.collections).toEqual({
      sales: { count: 2, lastSeq: 2 },
      orderEvents: { count: 2, lastSeq: 2 },
      returns: { count: 0, lastSeq: 0 },
      shiftEvents: { count: 2, lastSeq: 2 },
    });
    expect(theirs.orderExceptions).toEqual(mine.orderExceptions);
    // Amersfoort: the exception (the order was to be picked up there), not Utrecht's alerts.
    const amersfoort = await holdings(a1);
    expect(amersfoort.orderExceptions.map((x) => x.orderNo)).toEqual([created.orderNo]);
    expect(amersfoort.alerts.some((a) => a.kind === 'cash_difference')).toBe(false);
    // Zeist: nothing.
    expect(await holdings(z1)).toMatchObject({
      collections: { sales: { count: 0, lastSeq: 0 }, orderEvents: { count: 0, lastSeq: 0 }, returns: { count: 0, lastSeq: 0 }, shiftEvents: { count: 0, lastSeq: 0 } },
      alerts: [],
      openAlerts: 0,
      orderExceptions: [],
    });
    expect((await call('GET', '/api/registers/me/holdings')).status).toBe(401);
    expect((await call('GET', '/api/registers/me/holdings', { token: ADMIN })).status).toBe(401);
  });

  it('hands a reinstalled register its last shift number', async () => {
    const again = await enrol('1001', '01');
    expect(again.lastShiftSequence).toBe(4);
    // Shift events are numbered on their own: the other numberings do not move.
    expect(again).toMatchObject({ lastSequence: 2, lastOrderSequence: 1, lastReturnSequence: 1 });
    expect((await enrol('1003', '01')).lastShiftSequence).toBe(0);
  });
});
