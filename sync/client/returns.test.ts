import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { type RxStorage, createRxDatabase } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/cart.ts';
import type { NewOrderLine } from '../../src/order.ts';
import { type CompletedReturn, type ReturnInputLine, completeReturn, planBlindRefund, planRefund } from '../../src/returns.ts';
import type { CompletedSale } from '../../src/sale.ts';
import type { ProductDoc, ReturnDoc, StoreDoc } from '../protocol/docs.ts';
import { generateRegisterKeys, signReceipt } from '../protocol/receipt-code.ts';
import type { RegisterClient, ReturnSource, SyncStatus } from './api.ts';
import { databaseName, openRegisterDatabase } from './database.ts';
import { openRegister } from './register.ts';
import { parseReturnInput } from './returns.ts';
import { type AckDoc, storeSchema } from './schemas.ts';

// Returns in the register's sync client, on RxDB over Dexie on fake-indexeddb, with a small
// fake HQ (node:http) where HQ must answer. The real HQ is in tests/integration. A register has
// 11 RxDB collections and RxDB's open-source edition allows 13 per process: one open at a time.

const storageOn = (factory: IDBFactory): RxStorage<unknown, unknown> => getRxStorageDexie({ indexedDB: factory, IDBKeyRange }) as RxStorage<unknown, unknown>;

type Row<T> = Omit<T, '_deleted'>;

const product = (id: string, priceCents: number, name = `Product ${id}`) => ({ id, itemNumber: `I${id}`, barcode: null, name, priceCents, vat: 'high' as const, inAssortment: true });
const catalog = (id: string, priceCents: number, name = `Product ${id}`): Row<ProductDoc> => ({ id, itemNumber: `I${id}`, barcode: `87${id.padStart(11, '0')}`, name, category: 'Keuken', priceCents, vat: 'high' });
const store = (id: string, registerKeys: Record<string, string[]> = {}): Row<StoreDoc> => ({ id, name: `Store ${id}`, town: 'Utrecht', kind: 'store', registers: ['01', '02'], groups: [], lat: null, lon: null, registerKeys });

/** 2 × P1 at 12.99 and 1 × P2 at 3.50 (29.48): 10.00 by card, the rest in cash. */
const cartOf = () => addToCart(addToCart(emptyCart, product('P1', 1299), 2), product('P2', 350));
const TENDERS = [{ kind: 'card' as const, amountCents: 1000 }, { kind: 'cash' as const, tenderedCents: 2000 }];

/** The return of `quantity` of a source's line, at the price paid. */
const back = (source: ReturnSource, lineNo: number, quantity: number): ReturnInputLine => {
  const l = source.lines.find((x) => x.lineNo === lineNo)!;
  return { originalLineNo: l.lineNo, productId: l.productId, itemNumber: l.itemNumber, barcode: l.barcode, name: l.name, quantity, unitPriceCents: l.unitPriceCents, vat: l.vat, reason: 'defective' };
};
const refundFor = (source: ReturnSource, lines: ReturnInputLine[]) =>
  planRefund(lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0), source.tenders, source.priorRefunds);

async function seed(factory: IDBFactory, storeId: string, registerId: string, docs: { stores?: Row<StoreDoc>[]; products?: Row<ProductDoc>[]; returns?: Row<ReturnDoc>[] }): Promise<void> {
  const db = await openRegisterDatabase(databaseName(storeId, registerId), storageOn(factory));
  if (docs.stores) await db.stores.bulkInsert(docs.stores);
  if (docs.products) await db.products.bulkInsert(docs.products);
  if (docs.returns) await db.returns.bulkInsert(docs.returns);
  await db.close();
}

/** A register's public key, as HQ would hand it to every register (read from its closed database). */
async function publicKeyOf(factory: IDBFactory, storeId: string, registerId: string): Promise<{ publicKey: string; registeredAt: string | null }> {
  const db = await openRegisterDatabase(databaseName(storeId, registerId), storageOn(factory));
  const doc = await db.getLocal<{ publicKey: string; registeredAt: string | null }>('register-keys');
  await db.close();
  if (!doc) throw new Error('no key');
  return { publicKey: doc.get('publicKey'), registeredAt: doc.get('registeredAt') };
}

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

async function register(factory: IDBFactory, storeId: string, registerId: string, extra: { lastReturnSequence?: number; hqUrl?: string; live?: boolean } = {}): Promise<RegisterClient> {
  const { hqUrl, live, ...numbers } = extra;
  const c = await openRegister({ hqUrl: hqUrl ?? 'http://127.0.0.1:9', storeId, registerId, registerToken: 'test-token', ...numbers }, { storage: storageOn(factory), live: live ?? false });
  open.push(c);
  return c;
}
const closeAll = async (): Promise<void> => {
  for (const c of open.splice(0)) await c.close();
};

/** A sale at `storeId`-`registerId` with its receipt code; the register is closed afterwards. */
async function saleWithCode(idb: IDBFactory, storeId: string, registerId: string): Promise<{ sale: CompletedSale; code: string }> {
  const c = await register(idb, storeId, registerId);
  const sale = await c.completeSale(cartOf(), TENDERS, '100');
  const code = await c.receiptCode(sale);
  await closeAll();
  if (!code) throw new Error('no receipt code');
  return { sale, code };
}

describe('reading what the cashier typed or scanned', () => {
  it('tells receipt numbers, order numbers, return numbers and codes apart, leniently', () => {
    expect(parseReturnInput(' 1001-01-000042 ')).toEqual({ kind: 'sale', receiptNo: '1001-01-000042' });
    expect(parseReturnInput('1001-01-42')).toEqual({ kind: 'sale', receiptNo: '1001-01-000042' });
    expect(parseReturnInput('1001 1 42')).toEqual({ kind: 'sale', receiptNo: '1001-1-000042' });
    expect(parseReturnInput('ord 1001-01-7')).toEqual({ kind: 'order', orderNo: 'ORD-1001-01-000007' });
    expect(parseReturnInput('ORD-1001-01-000007')).toEqual({ kind: 'order', orderNo: 'ORD-1001-01-000007' });
    expect(parseReturnInput('ret-1002-01-3')).toEqual({ kind: 'return', returnNo: 'RET-1002-01-000003' });
    expect(parseReturnInput('KR1.abc.def')).toEqual({ kind: 'code', text: 'KR1.abc.def' });
    expect(parseReturnInput('theedoek')).toBeNull();
    expect(parseReturnInput('ORD-x')).toBeNull();
  });
});

describe('returns on the register (no HQ)', () => {
  it('signs receipts with its own key, made once and kept, and verifies its own codes before HQ knows the key', async () => {
    const idb = new IDBFactory();
    const c = await register(idb, '1001', '01');
    const sale = await c.completeSale(cartOf(), TENDERS, '100');
    const code = await c.receiptCode(sale);
    expect(code).toMatch(/^KR1\.[\w-]+\.[\w-]+$/);
    const source = await c.findReturnSource(code!);
    expect(source.origin).toEqual({ kind: 'sale', receiptNo: '1001-01-000001', storeId: '1001', registerId: '01', verifiedBy: 'code' });
    await closeAll();
    const key = await publicKeyOf(idb, '1001', '01');
    expect(key.registeredAt).toBeNull();
    // Reopened: the same key (the code of the first sale still verifies with it).
    const again = await register(idb, '1001', '01');
    expect((await again.findReturnSource(code!)).origin.verifiedBy).toBe('code');
    await closeAll();
    expect((await publicKeyOf(idb, '1001', '01')).publicKey).toBe(key.publicKey);
  });

  it('takes a return at another store from the receipt code, offline: lines, names from the catalog, tenders; refuses what cannot come back', async () => {
    const issuing = new IDBFactory();
    const { sale, code } = await saleWithCode(issuing, '1001', '01');
    const { publicKey } = await publicKeyOf(issuing, '1001', '01');
    const idb = new IDBFactory();
    // The other store knows 1001-01's key from its replica of the stores; P2 is not in its catalog.
    await seed(idb, '1002', '01', { stores: [store('1001', { '01': [publicKey] }), store('1002')], products: [catalog('P1', 1399, 'Theedoek')] });
    const c = await register(idb, '1002', '01');

    const source = await c.findReturnSource(code);
    expect(source.origin).toEqual({ kind: 'sale', receiptNo: sale.receiptNo, storeId: '1001', registerId: '01', verifiedBy: 'code' });
    expect(source.lines).toEqual([
      { lineNo: 1, productId: 'P1', itemNumber: 'IP1', barcode: catalog('P1', 0).barcode, name: 'Theedoek', quantity: 2, unitPriceCents: 1299, vat: 'high', returned: 0, returnable: 2 },
      { lineNo: 2, productId: 'P2', itemNumber: 'IP2', barcode: null, name: 'IP2', quantity: 1, unitPriceCents: 350, vat: 'high', returned: 0, returnable: 1 },
    ]);
    expect(source.tenders).toEqual([
      { kind: 'card', amountCents: 1000, reference: null },
      { kind: 'cash', amountCents: 1950, tenderedCents: 1950, changeCents: 0 },
    ]);
    expect(source.createdAt).toBe(sale.createdAt);
    expect(source.priorRefunds).toEqual([]);
    // HQ was not asked (unreachable): returns made elsewhere may be unknown.
    expect(source.caveat).toMatch(/HQ checks for returns made elsewhere/);

    // One unit back, at the price paid (not today's 13.99): to the card first.
    const first = [back(source, 1, 1)];
    const r1 = await c.completeReturn({ source, lines: first, refunds: refundFor(source, first), approval: null }, '100');
    expect(r1).toMatchObject({ returnNo: 'RET-1002-01-000001', storeId: '1002', registerId: '01', totalCents: 1299, review: false, approval: null });
    expect(r1.origin).toEqual(source.origin);
    expect(r1.refunds).toEqual([{ kind: 'card', amountCents: 1000, reference: null }, { kind: 'cash', amountCents: 299, paidOutCents: 300, roundingCents: 1 }]);

    // The return counts at once: one P1 left, the card has been refunded in full.
    const after = await c.findReturnSource(code);
    expect(after.lines.map((l) => [l.returned, l.returnable])).toEqual([[1, 1], [0, 1]]);
    expect(after.priorRefunds).toEqual(r1.refunds);
    expect(refundFor(after, [back(after, 1, 1)])).toEqual([{ kind: 'cash', amountCents: 1299, paidOutCents: 1300, roundingCents: 1 }]);

    // Two more of line 1 cannot come back — not even with the source from before the first
    // return; neither can a line that is not on the receipt or another price. Nothing is written, no number used.
    const two = [back(source, 1, 2)];
    await expect(c.completeReturn({ source, lines: two, refunds: refundFor(source, two), approval: null }, '100')).rejects.toThrow(/only 1 can still be returned/);
    const ghost = { ...back(after, 2, 1), originalLineNo: 9 };
    await expect(c.completeReturn({ source: after, lines: [ghost], refunds: refundFor(after, [ghost]), approval: null }, '100')).rejects.toThrow(/not on the receipt/);
    const dearer = { ...back(after, 2, 1), unitPriceCents: 450 };
    await expect(c.completeReturn({ source: after, lines: [dearer], refunds: refundFor(after, [dearer]), approval: null }, '100')).rejects.toThrow(/price paid/);
    await expect(c.completeReturn({ source: after, lines: [back(after, 2, 1)], refunds: [], approval: null }, '100')).rejects.toThrow(/add up/);
    const rest = [back(after, 1, 1), back(after, 2, 1)];
    const r2 = await c.completeReturn({ source: after, lines: rest, refunds: refundFor(after, rest), approval: null }, '100');
    expect(r2.returnNo).toBe('RET-1002-01-000002');
    expect((await c.findReturnSource(code)).lines.map((l) => l.returnable)).toEqual([0, 0]);
    // Both wait for HQ.
    await waitUntil('two returns waiting', () => c.getStatus().pending === 2);

    // A forged code (a changed quantity) and a code signed by a key the chain does not know.
    const [prefix, body, sig] = code.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { l: unknown[][] };
    payload.l[0]![3] = 5;
    const forged = `${prefix}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    await expect(c.findReturnSource(forged)).rejects.toThrow(/was altered/);
    const stranger = await signReceipt(sale, await generateRegisterKeys());
    await expect(c.findReturnSource(stranger)).rejects.toThrow(/not signed by a register this chain knows/);
    await expect(c.findReturnSource('KR1.abc.def')).rejects.toThrow(/damaged|does not hold/);
    await expect(c.findReturnSource(forged)).rejects.toMatchObject({ code: 'receipt_code_altered', subject: sale.receiptNo });
    await expect(c.findReturnSource(stranger)).rejects.toMatchObject({ code: 'receipt_code_unknown_key', subject: sale.receiptNo });
    await expect(c.findReturnSource('KR1.abc.def')).rejects.toMatchObject({ code: 'receipt_code_malformed', subject: '' });
  });

  it('finds its own sale in the replica (lenient number), numbers returns above HQ’s, and says what it cannot find', async () => {
    const c = await register(new IDBFactory(), '1001', '02', { lastReturnSequence: 6 });
    const sale = await c.completeSale(cartOf(), TENDERS, '100');
    const source = await c.findReturnSource(' 1001-02-1 ');
    expect(source.origin).toEqual({ kind: 'sale', receiptNo: sale.receiptNo, storeId: '1001', registerId: '02', verifiedBy: 'replica' });
    expect(source.lines.map((l) => [l.name, l.quantity, l.returnable])).toEqual([['Product P1', 2, 2], ['Product P2', 1, 1]]);
    expect(source.tenders).toEqual(sale.tenders);
    const lines = [back(source, 2, 1)];
    const r = await c.completeReturn({ source, lines, refunds: refundFor(source, lines), approval: null }, '100');
    expect(r.returnNo).toBe('RET-1001-02-000007');
    // The sales sequence is untouched by returns.
    expect((await c.completeSale(cartOf(), TENDERS, '100')).receiptNo).toBe('1001-02-000002');
    await expect(c.findReturnSource(r.returnNo)).rejects.toThrow(/is a return/);
    await expect(c.findReturnSource('1001-02-000099')).rejects.toThrow(/HQ cannot be reached: scan the code on the receipt instead/);
    await expect(c.findReturnSource('1005-01-000003')).rejects.toThrow(/scan the code/);
    await expect(c.findReturnSource('theedoek')).rejects.toThrow(/not a receipt number, an order number or a receipt code/);
    // Each with a code and its subject, which the screens say in the register's language.
    await expect(c.findReturnSource(r.returnNo)).rejects.toMatchObject({ code: 'is_a_return', subject: r.returnNo });
    await expect(c.findReturnSource('1001-02-000099')).rejects.toMatchObject({ code: 'receipt_unreachable', subject: '1001-02-000099' });
    await expect(c.findReturnSource(' theedoek ')).rejects.toMatchObject({ code: 'not_a_return_source', subject: 'theedoek' });
    await waitUntil('sale, return and sale waiting', () => c.getStatus().pending === 3);
  });

  it('takes a return without a receipt only with a manager’s approval, at most at today’s price, flagged for review', async () => {
    const idb = new IDBFactory();
    await seed(idb, '1001', '01', { products: [catalog('P1', 1299)] });
    const c = await register(idb, '1001', '01');
    const line: ReturnInputLine = { originalLineNo: null, productId: 'P1', itemNumber: 'IP1', barcode: null, name: 'Product P1', quantity: 2, unitPriceCents: 1299, vat: 'high', reason: 'changed_mind' };
    await expect(c.completeReturn({ source: null, lines: [line], refunds: planBlindRefund(2598, true), approval: null }, '100')).rejects.toThrow(/manager/);
    const approval = { managerId: '900', reason: 'regular customer, no receipt' };
    await expect(c.completeReturn({ source: null, lines: [{ ...line, unitPriceCents: 1499 }], refunds: planBlindRefund(2998, true), approval }, '100')).rejects.toThrow(/today's price/);
    await expect(c.completeReturn({ source: null, lines: [line], refunds: [{ kind: 'card', amountCents: 2598, reference: null }], approval }, '100')).rejects.toThrow(/no card/);
    const r = await c.completeReturn({ source: null, lines: [line], refunds: planBlindRefund(2598, true), approval }, '100');
    expect(r).toMatchObject({ returnNo: 'RET-1001-01-000001', origin: { kind: 'none' }, review: true, approval, totalCents: 2598 });
    expect(r.lines[0]?.originalLineNo).toBeNull();
    expect(r.refunds.map((t) => [t.kind, t.amountCents])).toEqual([['cash', 2598]]);
  });

  it('returns what was handed out of a customer order; nothing while it waits to be picked up', async () => {
    const c = await register(new IDBFactory(), '1001', '01');
    const orderLine = (fulfilment: NewOrderLine['fulfilment'], id: string): NewOrderLine => ({ productId: id, itemNumber: `I${id}`, barcode: null, name: `Product ${id}`, quantity: 2, unitPriceCents: 500, vat: 'low', outOfAssortment: false, fulfilment });
    const customer = { name: 'Ann de Vries', phone: null, email: null, addresses: [] };
    // Carried out now (1000) and to be picked up (deposit 20 % of 1000).
    const made = await c.createOrder({ customer, lines: [orderLine({ mode: 'carry' }, 'P1'), orderLine({ mode: 'pickup', storeId: '1001' }, 'P2')], depositCents: 200, override: null, tenders: [{ kind: 'card', amountCents: 1200 }] }, '100');
    const orderNo = made.state.orderNo;
    const source = await c.findReturnSource('ord 1001-01-1');
    expect(orderNo).toBe('ORD-1001-01-000001');
    expect(source.origin).toEqual({ kind: 'order', orderNo, storeId: '1001', verifiedBy: 'replica' });
    expect(source.lines).toEqual([{ lineNo: 1, productId: 'P1', itemNumber: 'IP1', barcode: null, name: 'Product P1', quantity: 2, unitPriceCents: 500, vat: 'low', returned: 0, returnable: 2 }]);
    expect(source.tenders).toEqual([]);
    const lines = [back(source, 1, 2)];
    const r = await c.completeReturn({ source, lines, refunds: refundFor(source, lines), approval: null }, '100');
    expect(r.origin).toEqual(source.origin);
    expect(r.refunds).toEqual([{ kind: 'cash', amountCents: 1000, paidOutCents: 1000, roundingCents: 0 }]);
    await c.pickUpOrder(orderNo, [2], [{ kind: 'card', amountCents: 800 }], '100');
    expect((await c.findReturnSource(orderNo)).lines.map((l) => [l.lineNo, l.returnable])).toEqual([[1, 0], [2, 2]]);

    const waiting = await c.createOrder({ customer, lines: [orderLine({ mode: 'pickup', storeId: '1001' }, 'P3')], depositCents: 200, override: null, tenders: [{ kind: 'card', amountCents: 200 }] }, '100');
    await expect(c.findReturnSource(waiting.state.orderNo)).rejects.toThrow(/Nothing of order .* has been handed out yet/);
    await expect(c.findReturnSource('ORD-1005-01-000001')).rejects.toThrow(/not on this register and HQ cannot be reached/);
    await expect(c.findReturnSource(waiting.state.orderNo)).rejects.toMatchObject({ code: 'nothing_handed_out', subject: waiting.state.orderNo });
    await expect(c.findReturnSource('ORD-1005-01-000001')).rejects.toMatchObject({ code: 'order_unreachable', subject: 'ORD-1005-01-000001' });
  });

  it('tells the UI when returns change', async () => {
    const idb = new IDBFactory();
    await seed(idb, '1001', '01', { products: [catalog('P1', 1299)] });
    const c = await register(idb, '1001', '01');
    let calls = 0;
    c.subscribeReplica(() => calls++);
    const line: ReturnInputLine = { originalLineNo: null, productId: 'P1', itemNumber: 'IP1', barcode: null, name: 'Product P1', quantity: 1, unitPriceCents: 1299, vat: 'high', reason: 'defective' };
    await c.completeReturn({ source: null, lines: [line], refunds: planBlindRefund(1299, false), approval: { managerId: '900', reason: 'x' } }, '100');
    await waitUntil('replica listener called', () => calls > 0, 2000);
  });

  it('migrates stores of schema version 1: registerKeys {}', async () => {
    const idb = new IDBFactory();
    const { registerKeys: _k, ...v1Properties } = storeSchema.properties;
    const db = await createRxDatabase({ name: databaseName('1001', '01'), storage: storageOn(idb), multiInstance: false });
    await db.addCollections({ stores: { schema: { ...storeSchema, version: 1, properties: v1Properties } } });
    const { registerKeys: _r, ...old } = store('1001');
    await db.stores!.insert(old);
    await db.close();
    const migrated = await openRegisterDatabase(databaseName('1001', '01'), storageOn(idb));
    expect((await migrated.stores.findOne('1001').exec())?.toJSON()).toMatchObject({ id: '1001', registerKeys: {}, groups: [] });
    await migrated.close();
  });
});

// ---- with a fake HQ ------------------------------------------------------------------------

interface FakeHq {
  url: string;
  pushed: { collection: string; ids: string[] }[];
  /** Documents served by the pull of each collection. */
  docs: Record<string, readonly { id: string }[]>;
  /** Record ids HQ refuses (400). */
  refuse: Set<string>;
  /** GET /api/sales/:receiptNo answers. */
  sales: Map<string, { sale: CompletedSale; returns: Row<ReturnDoc>[] }>;
  /** GET /api/returns?origin= answers (besides pushed ones). */
  returns: Row<ReturnDoc>[];
  /** Public keys posted; the first `failKeys` posts get a 503. */
  keys: string[];
  failKeys: number;
  notify(collections: string[]): void;
}

async function fakeHq(): Promise<FakeHq> {
  const streams = new Set<ServerResponse>();
  const hq: Omit<FakeHq, 'url'> = {
    pushed: [],
    docs: {},
    refuse: new Set(),
    sales: new Map(),
    returns: [],
    keys: [],
    failKeys: 0,
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
        if (push[1] === 'returns') hq.returns.push(...rows.map((r) => r.newDocumentState as unknown as Row<ReturnDoc>));
        return json(res, 200, []);
      }
      if (url.pathname === '/api/registers/key' && req.method === 'POST') {
        const { publicKey } = (await bodyOf(req)) as { publicKey: string };
        if (hq.failKeys > 0) {
          hq.failKeys--;
          return json(res, 503, { error: 'busy', message: 'try later' });
        }
        hq.keys.push(publicKey);
        return json(res, 200, { ok: true });
      }
      const sale = /^\/api\/sales\/([^/]+)$/.exec(url.pathname);
      if (sale) {
        const found = hq.sales.get(decodeURIComponent(sale[1]!));
        return found
          ? json(res, 200, { sale: { ...found.sale, _deleted: false, receivedAt: found.sale.createdAt }, returns: found.returns.map((r) => ({ ...r, _deleted: false })) })
          : json(res, 404, { error: 'unknown_sale', message: 'no such sale' });
      }
      if (url.pathname === '/api/returns') {
        const origin = url.searchParams.get('origin');
        const returns = hq.returns.filter((r) => (r.origin.kind === 'sale' ? r.origin.receiptNo : r.origin.kind === 'order' ? r.origin.orderNo : null) === origin);
        return json(res, 200, { returns: returns.map((r) => ({ ...r, _deleted: false })) });
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

/** A return made at another register, as HQ holds it. */
function returnMadeAt(storeId: string, registerId: string, seq: number, sale: CompletedSale, lineNo: number, quantity: number): Row<ReturnDoc> {
  const l = sale.lines.find((x) => x.lineNo === lineNo)!;
  const lines: ReturnInputLine[] = [{ originalLineNo: lineNo, productId: l.productId, itemNumber: l.itemNumber, barcode: l.barcode, name: l.name, quantity, unitPriceCents: l.unitPriceCents, vat: l.vat, reason: 'damaged' }];
  return completeReturn(
    { origin: { kind: 'sale', receiptNo: sale.receiptNo, storeId: sale.storeId, registerId: sale.registerId, verifiedBy: 'hq' }, lines, refunds: planRefund(l.unitPriceCents * quantity, [], []), approval: null },
    { storeId, registerId, seq, createdAt: '2026-11-25T12:00:00.000Z', operatorId: '100' },
  );
}

describe('returns replicated with HQ (fake HQ)', () => {
  it('pulls other registers’ returns without pushing them back, pushes its own with acks, counts only its own as waiting', { timeout: 30_000 }, async () => {
    const hq = await fakeHq();
    const idb = new IDBFactory();
    // This register's own sale, made before HQ was reachable.
    const offline = await register(idb, '1002', '01');
    const sale = await offline.completeSale(cartOf(), TENDERS, '100');
    await closeAll();
    // Another store took one P1 back (pulled: bought here); a third return is known only at HQ so far.
    const elsewhere = returnMadeAt('1003', '01', 4, sale, 1, 1);
    const hqOnly = returnMadeAt('1004', '02', 9, sale, 2, 1);
    hq.docs = { returns: [elsewhere] };
    hq.returns.push(hqOnly);

    const c = await register(idb, '1002', '01', { hqUrl: hq.url, live: true });
    await until(c, 'first sync, sale pushed', (s) => s.firstSync.done && s.pending === 0);
    await waitUntil('return pulled', async () => (await c.findReturnSource(sale.receiptNo)).lines[0]!.returned === 1);
    const source = await c.findReturnSource(sale.receiptNo);
    // Replica (the other store's return) and HQ (the one only HQ knows so far), merged by id.
    expect(source.lines.map((l) => [l.returned, l.returnable])).toEqual([[1, 1], [1, 0]]);
    expect(source.caveat).toBeNull();
    expect(source.priorRefunds).toHaveLength(2);
    const lines = [back(source, 1, 1)];
    await expect(c.completeReturn({ source, lines: [back(source, 2, 1)], refunds: refundFor(source, [back(source, 2, 1)]), approval: null }, '100')).rejects.toThrow(/only 0/);
    const own = await c.completeReturn({ source, lines, refunds: refundFor(source, lines), approval: null }, '100');
    await until(c, 'own return acknowledged', (s) => s.pending === 0 && s.refused === 0);
    await c.syncNow();
    // Pushed: the sale and this register's own return — never the pulled one.
    expect(hq.pushed.filter((p) => p.collection === 'returns').flatMap((p) => p.ids)).toEqual([own.id]);
    expect(hq.pushed.filter((p) => p.collection === 'sales').flatMap((p) => p.ids)).toEqual([sale.id]);

    // HQ refuses the next one: kept here, counted as refused, never as another's.
    const second = await c.findReturnSource(sale.receiptNo);
    const blindLine: ReturnInputLine = { ...back(second, 1, 1), originalLineNo: null };
    hq.refuse.add('RET-1002-01-000002');
    await c.completeReturn({ source: null, lines: [blindLine], refunds: planBlindRefund(1299, false), approval: { managerId: '900', reason: 'x' } }, '100');
    await until(c, 'return refused', (s) => s.pending === 0 && s.refused === 1);
    expect(c.getStatus().lastError).toMatch(/refused return RET-1002-01-000002/);
    expect(c.getStatus()).toMatchObject({ lastErrorCode: 'record_refused', lastErrorRecord: { collection: 'returns', id: 'RET-1002-01-000002', others: 0 } });
    await closeAll();
    const db = await openRegisterDatabase(databaseName('1002', '01'), storageOn(idb));
    const acks = (await db.acks.find().exec()).map((a) => a.toJSON() as AckDoc);
    expect((await db.returns.find().exec()).map((r) => r.id).sort()).toEqual([elsewhere.id, own.id, 'RET-1002-01-000002'].sort());
    await db.close();
    expect(acks.map((a) => [a.id, a.kind, a.status]).sort()).toEqual([
      ['1002-01-000001', 'sales', 'ok'],
      ['RET-1002-01-000001', 'returns', 'ok'],
      ['RET-1002-01-000002', 'returns', 'refused'],
    ]);
  });

  it('looks up another register’s sale at HQ, with HQ’s returns of it', { timeout: 30_000 }, async () => {
    const hq = await fakeHq();
    const { sale } = await saleWithCode(new IDBFactory(), '1001', '01');
    const r = returnMadeAt('1003', '01', 1, sale, 1, 2);
    hq.sales.set(sale.receiptNo, { sale, returns: [r] });
    const c = await register(new IDBFactory(), '1002', '01', { hqUrl: hq.url, live: true });
    await until(c, 'first sync', (s) => s.firstSync.done);
    const source = await c.findReturnSource('1001-01-1');
    expect(source.origin).toEqual({ kind: 'sale', receiptNo: sale.receiptNo, storeId: '1001', registerId: '01', verifiedBy: 'hq' });
    expect(source.lines.map((l) => [l.name, l.returnable])).toEqual([['Product P1', 0], ['Product P2', 1]]);
    expect(source.priorRefunds).toEqual(r.refunds);
    expect(source.caveat).toBeNull();
    await expect(c.findReturnSource('1001-01-000404')).rejects.toThrow(/not known at HQ/);
    await expect(c.findReturnSource('1001-01-000404')).rejects.toMatchObject({ code: 'receipt_unknown_at_hq', subject: '1001-01-000404' });
  });

  it('sends its public key until HQ has it, once; after a reinstall it takes its own returns back from HQ, acknowledged, and numbers above HQ’s', { timeout: 30_000 }, async () => {
    const hq = await fakeHq();
    hq.failKeys = 1;
    const idb = new IDBFactory();
    await register(idb, '1001', '01', { hqUrl: hq.url, live: true });
    await new Promise((r) => setTimeout(r, 300));
    await closeAll();
    expect(hq.keys).toEqual([]);
    expect((await publicKeyOf(idb, '1001', '01')).registeredAt).toBeNull();
    // Next start: HQ takes it.
    await register(idb, '1001', '01', { hqUrl: hq.url, live: true });
    await waitUntil('key at HQ', () => hq.keys.length === 1);
    await closeAll();
    const { publicKey, registeredAt } = await publicKeyOf(idb, '1001', '01');
    expect(hq.keys).toEqual([publicKey]);
    expect(registeredAt).not.toBeNull();
    await register(idb, '1001', '01', { hqUrl: hq.url, live: true });
    await new Promise((r) => setTimeout(r, 300));
    await closeAll();
    expect(hq.keys).toHaveLength(1);

    // Reinstalled 1001-01: HQ holds two of its returns; enrolment said 2.
    const sale = (await saleWithCode(new IDBFactory(), '1001', '01')).sale;
    const mine: CompletedReturn[] = [returnMadeAt('1001', '01', 1, sale, 1, 1), returnMadeAt('1001', '01', 2, sale, 2, 1)];
    hq.docs = { returns: mine };
    const fresh = new IDBFactory();
    const c = await register(fresh, '1001', '01', { hqUrl: hq.url, live: true, lastReturnSequence: 2 });
    await until(c, 'first sync', (s) => s.firstSync.done);
    await c.syncNow();
    expect(c.getStatus()).toMatchObject({ pending: 0, refused: 0 });
    expect(hq.pushed.filter((p) => p.collection === 'returns')).toEqual([]);
    // A new key for the new install; HQ keeps both.
    await waitUntil('new key at HQ', () => hq.keys.length === 2);
    const blind: ReturnInputLine = { originalLineNo: null, productId: 'P1', itemNumber: 'IP1', barcode: null, name: 'P1', quantity: 1, unitPriceCents: 100, vat: 'high', reason: 'other' };
    const r = await c.completeReturn({ source: null, lines: [blind], refunds: planBlindRefund(100, true), approval: { managerId: '900', reason: 'x' } }, '100');
    expect(r.returnNo).toBe('RET-1001-01-000003');
    await until(c, 'acknowledged', (s) => s.pending === 0);
  });
});
