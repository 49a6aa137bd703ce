import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/cart.ts';
import { type ReturnInputLine, planBlindRefund, planRefund, returnable } from '../../src/returns.ts';
import type { CompletedSale } from '../../src/sale.ts';
import { generateRegisterKeys, signReceipt } from '../../sync/protocol/receipt-code.ts';
import type { SaleLookupResponse } from '../../sync/protocol/wire.ts';
import type { ReturnSource } from '../../sync/client/api.ts';
import { databaseName, openRegisterDatabase } from '../../sync/client/database.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { productInAssortment } from '../support/demo-product.ts';
import { freePort, waitFor } from '../support/hq-process.ts';
import { type Till, enrolTill, storageOn, until, usingTill } from '../support/tills.ts';

// Returns across stores: real registers (sync/client: RxDB on Dexie over fake-indexeddb)
// against a real HQ on PGlite, in-process. A sale made at 1001-01 comes back at 1002-01 while HQ
// is down, verified from the signed code on the receipt alone; once HQ is back, the store that
// sold the goods sees the return and shows what HQ shows as still returnable.
//
// A register has 11 RxDB collections and RxDB's open-source edition allows 13 open in one
// process, so the registers here take turns: each keeps its own IndexedDB and is opened,
// used and closed (a register restarting), never two at once.

const PRODUCTS = 300;
const ADMIN = 'returns-it-admin';

const back = (source: ReturnSource, lineNo: number, quantity: number): ReturnInputLine => {
  const l = source.lines.find((x) => x.lineNo === lineNo)!;
  return { originalLineNo: l.lineNo, productId: l.productId, itemNumber: l.itemNumber, barcode: l.barcode, name: l.name, quantity, unitPriceCents: l.unitPriceCents, vat: l.vat, reason: 'defective' };
};

describe('returns between registers and HQ', () => {
  let hq: RunningHq;
  let port: number;
  const dataDir = mkdtempSync(join(tmpdir(), 'kassa-returns-'));
  const startOurHq = async () => startHq({ port, dataDir, adminToken: ADMIN, demoProducts: PRODUCTS, heartbeatMs: 500 });
  const till = (storeId: string, registerId: string): Promise<Till> => enrolTill(hq.url, storeId, registerId, ADMIN);
  /** HQ's keys of a register (what every register gets with the stores). */
  const keysAtHq = async (storeId: string, registerId: string): Promise<string[]> =>
    (await hq.store.listStores()).find((s) => s.id === storeId)?.registerKeys[registerId] ?? [];

  beforeAll(async () => {
    port = await freePort();
    hq = await startOurHq();
  });
  afterAll(async () => {
    await hq?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes a return at another store from the receipt code while HQ is down; afterwards the selling register shows what HQ shows', async () => {
    const seller = await till('1001', '01');
    const taker = await till('1002', '01');
    const p = productInAssortment('1001', PRODUCTS);
    const q = productInAssortment('1001', PRODUCTS, 1);

    // 1001-01 sells 3 × p and 1 × q, by card and cash, and prints the code; its key reaches HQ.
    const { sale, code } = await usingTill(seller, async (c) => {
      await waitFor('1001-01 key at HQ', async () => (await keysAtHq('1001', '01')).length === 1, 30_000);
      const cart = addToCart(addToCart(emptyCart, { ...p, itemNumber: p.id, vat: 'high', inAssortment: true }, 3), { ...q, itemNumber: q.id, vat: 'high', inAssortment: true });
      const made = await c.completeSale(cart, [{ kind: 'card', amountCents: p.priceCents }, { kind: 'cash', tenderedCents: cart.lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0) + 100 }], '100');
      const receiptCode = await c.receiptCode(made);
      await until(c, 'sale acknowledged', (s) => s.pending === 0 && s.refused === 0);
      return { sale: made as CompletedSale, code: receiptCode! };
    });
    expect(code).toMatch(/^KR1\./);

    // 1002-01 syncs once: the stores bring 1001-01's public key (and the manager's PIN hash).
    await usingTill(taker, async (c) => {
      await waitFor('1001-01 key in 1002-01’s replica', async () => ((await c.locations()).find((l) => l.id === '1001')?.registerKeys['01'] ?? []).length === 1, 30_000);
      await waitFor('operators replicated', async () => (await c.approveAsManager('900', '9999')) !== null, 30_000);
    });

    // HQ goes away. 1002-01 takes back 2 of the 3 from the code alone.
    await hq.close();
    const returnNo = await usingTill(taker, async (c) => {
      await until(c, '1002-01 offline', (s) => !s.online && s.offlineSince !== null);
      // Not on this register, and HQ cannot be asked: the number alone is not enough.
      await expect(c.findReturnSource(sale.receiptNo)).rejects.toThrow(/scan the code on the receipt/);
      const source = await c.findReturnSource(code);
      expect(source.origin).toEqual({ kind: 'sale', receiptNo: sale.receiptNo, storeId: '1001', registerId: '01', verifiedBy: 'code' });
      expect(source.lines.map((l) => [l.productId, l.name, l.quantity, l.returnable])).toEqual([[p.id, p.name, 3, 3], [q.id, q.name, 1, 1]]);
      expect(source.tenders.map((t) => [t.kind, t.amountCents])).toEqual(sale.tenders.map((t) => [t.kind, t.amountCents]));
      expect(source.caveat).not.toBeNull();
      const lines = [back(source, 1, 2)];
      const refunds = planRefund(p.priceCents * 2, source.tenders, source.priorRefunds);
      const r = await c.completeReturn({ source, lines, refunds, approval: null }, '100');
      expect(r.returnNo).toBe('RET-1002-01-000001');
      expect(r.refunds[0]).toEqual({ kind: 'card', amountCents: p.priceCents, reference: null });
      expect((await c.findReturnSource(code)).lines.map((l) => l.returnable)).toEqual([1, 1]);

      // A forged code (the quantity changed) and a code signed by a key the chain does not know.
      const [prefix, body, sig] = code.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { l: unknown[][] };
      payload.l[0]![3] = 30;
      await expect(c.findReturnSource(`${prefix}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`)).rejects.toThrow(/was altered/);
      await expect(c.findReturnSource(await signReceipt(sale, await generateRegisterKeys()))).rejects.toThrow(/not signed by a register this chain knows/);

      // Without a receipt: only with a manager's approval (checked offline), flagged for review.
      const blind: ReturnInputLine = { ...back(source, 2, 1), originalLineNo: null, reason: 'changed_mind' };
      await expect(c.completeReturn({ source: null, lines: [blind], refunds: planBlindRefund(q.priceCents, true), approval: null }, '100')).rejects.toThrow(/manager/);
      const manager = await c.approveAsManager('900', '9999');
      expect(manager).not.toBeNull();
      const blindReturn = await c.completeReturn({ source: null, lines: [blind], refunds: planBlindRefund(q.priceCents, true), approval: { managerId: manager!.managerId, reason: 'no receipt, regular customer' } }, '100');
      expect(blindReturn).toMatchObject({ returnNo: 'RET-1002-01-000002', review: true, origin: { kind: 'none' } });
      await until(c, 'two returns waiting', (s) => s.pending === 2);
      return r.returnNo;
    }, { hqUp: false });

    // HQ is back: the returns go out.
    hq = await startOurHq();
    await usingTill(taker, async (c) => {
      await until(c, 'returns acknowledged', (s) => s.pending === 0 && s.refused === 0);
    });
    expect((await hq.store.returnsOf(sale.receiptNo)).map((r) => r.id)).toEqual([returnNo]);

    // The selling register gets the return by the pull (goods bought at its store) and shows the same as HQ.
    await usingTill(seller, async (c) => {
      const source = await waitFor('the return at 1001-01', async () => {
        const s = await c.findReturnSource(sale.receiptNo);
        return s.lines[0]!.returned === 2 ? s : null;
      }, 30_000);
      expect(source.origin.verifiedBy).toBe('replica');
      expect(source.caveat).toBeNull();
      const res = await fetch(`${hq.url}/api/sales/${sale.receiptNo}`, { headers: { authorization: `Bearer ${seller.identity.registerToken}` } });
      expect(res.status).toBe(200);
      const atHq = (await res.json()) as SaleLookupResponse;
      expect(atHq.returns.map((r) => r.id)).toEqual([returnNo]);
      const hqReturnable = returnable(atHq.sale.lines, atHq.returns);
      expect(source.lines.map((l) => [l.lineNo, l.returned, l.returnable])).toEqual(hqReturnable.map((l) => [l.lineNo, l.returned, l.returnable]));
      expect(source.lines.map((l) => l.returnable)).toEqual([1, 1]);
      expect(source.priorRefunds).toEqual(atHq.returns.flatMap((r) => r.refunds));
      // Nothing of 1002-01's returns counts as waiting here.
      expect(c.getStatus()).toMatchObject({ pending: 0, refused: 0 });
    });
  });

  it('continues return numbers above HQ’s after a reinstall, and takes its earlier returns back from HQ', async () => {
    const before = await till('1003', '02');
    expect(before.identity.lastReturnSequence).toBe(0);
    const p = productInAssortment('1003', PRODUCTS);
    const blind: ReturnInputLine = { originalLineNo: null, productId: p.id, itemNumber: p.id, barcode: p.barcode, name: p.name, quantity: 1, unitPriceCents: p.priceCents, vat: 'high', reason: 'defective' };
    await usingTill(before, async (c) => {
      const approval = { managerId: '900', reason: 'test' };
      for (let i = 0; i < 2; i++) await c.completeReturn({ source: null, lines: [blind], refunds: planBlindRefund(p.priceCents, false), approval }, '100');
      await until(c, 'returns acknowledged', (s) => s.pending === 0 && s.refused === 0);
    });

    // The register is reinstalled: enrolled again, with an empty replica and a new key.
    const after = await till('1003', '02');
    expect(after.identity).toMatchObject({ lastReturnSequence: 2, lastSequence: 0 });
    await usingTill(after, async (c) => {
      await waitFor('a second key at HQ', async () => (await keysAtHq('1003', '02')).length === 2, 30_000);
      const next = await c.completeReturn({ source: null, lines: [blind], refunds: planBlindRefund(p.priceCents, false), approval: { managerId: '900', reason: 'test' } }, '100');
      expect(next.returnNo).toBe('RET-1003-02-000003');
      const sale = await c.completeSale(addToCart(emptyCart, { ...p, itemNumber: p.id, vat: 'high', inAssortment: true }), [{ kind: 'card', amountCents: p.priceCents }], '100');
      expect(sale.receiptNo).toBe('1003-02-000001');
      await until(c, 'return and sale acknowledged', (s) => s.pending === 0 && s.refused === 0);
    });
    // The earlier returns came back with the pull (taken at this store), acknowledged: nothing waited.
    const db = await openRegisterDatabase(databaseName('1003', '02'), storageOn(after.idb));
    const ids = (await db.returns.find().exec()).map((r) => r.id).sort();
    const acked = (await db.acks.find({ selector: { kind: 'returns' } }).exec()).map((a) => [a.id, a.status]).sort();
    await db.close();
    expect(ids).toEqual(['RET-1003-02-000001', 'RET-1003-02-000002', 'RET-1003-02-000003']);
    expect(acked).toEqual(ids.map((id) => [id, 'ok']));
  });
});
