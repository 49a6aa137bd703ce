import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint, PullResponse, SalesListResponse } from '../../sync/protocol/wire.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { availableBackends } from '../support/backends.ts';
import { makeSale, pushRows } from '../support/sales.ts';

// HQ's HTTP API on both storage backends, spoken to exactly as a register speaks to it.

const backends = await availableBackends();
const DEMO_PRODUCTS = 2_000;

describe.each(backends)('HQ replication on $name', (backend) => {
  let hq: RunningHq;
  let cleanup: () => Promise<void>;
  let token1001: string;
  let token1002: string;

  const call = async (method: 'GET' | 'POST', path: string, opts: { token?: string; body?: unknown; raw?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${hq.url}${path}`, {
      method,
      headers,
      ...(opts.raw !== undefined ? { body: opts.raw } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & unknown[] };
  };

  const enrol = async (storeId: string, registerId: string): Promise<string> => {
    const res = await call('POST', '/api/registers', { token: hq.adminToken, body: { storeId, registerId } });
    expect(res.status).toBe(201);
    return (res.body as unknown as { registerToken: string }).registerToken;
  };

  const salesOf = async (storeId: string) =>
    ((await call('GET', `/api/stores/${storeId}/sales?limit=1000`, { token: hq.adminToken })).body as unknown as SalesListResponse).sales;

  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    hq = await startHq({
      ...(prepared.databaseUrl ? { databaseUrl: prepared.databaseUrl } : { memory: true }),
      adminToken: 'it-admin-token',
      demoProducts: DEMO_PRODUCTS,
      heartbeatMs: 200,
    });
    token1001 = await enrol('1001', '01');
    token1002 = await enrol('1002', '01');
  });

  afterAll(async () => {
    await hq?.close();
    await cleanup?.();
  });

  it('answers health and lists the chain: at least 5 stores in different towns and 2 warehouses', async () => {
    expect((await call('GET', '/api/health')).body).toEqual({ status: 'ok' });
    expect((await call('GET', '/api/ready')).body).toEqual({ status: 'ok', database: backend.name });
    const stores = (await call('GET', '/api/stores')).body as unknown as { kind: string; town: string }[];
    const shops = stores.filter((s) => s.kind === 'store');
    expect(shops.length).toBeGreaterThanOrEqual(5);
    expect(new Set(shops.map((s) => s.town)).size).toBe(shops.length);
    expect(stores.filter((s) => s.kind === 'warehouse').length).toBeGreaterThanOrEqual(2);
  });

  it('searches released products by name, item number and barcode', async () => {
    const byName = (await call('GET', '/api/products?q=theedoek&limit=5')).body as unknown as { name: string; itemNumber: string; barcode: string }[];
    expect(byName.length).toBeGreaterThan(0);
    for (const p of byName) expect(p.name.toLowerCase()).toContain('theedoek');
    const one = byName[0];
    const byItem = (await call('GET', `/api/products?q=${one?.itemNumber}`)).body as unknown as { itemNumber: string }[];
    expect(byItem.map((p) => p.itemNumber)).toContain(one?.itemNumber);
    const byBarcode = (await call('GET', `/api/products?q=${one?.barcode}`)).body as unknown as { barcode: string }[];
    expect(byBarcode[0]?.barcode).toBe(one?.barcode);
  });

  it('enrols only with the admin token and names the bad field', async () => {
    expect((await call('POST', '/api/registers', { body: { storeId: '1001', registerId: '02' } })).status).toBe(401);
    expect((await call('POST', '/api/registers', { token: token1001, body: { storeId: '1001', registerId: '02' } })).status).toBe(401);
    const bad = await call('POST', '/api/registers', { token: hq.adminToken, body: { storeId: '1001', registerId: 7 } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('registerId');
    const unknownStore = await call('POST', '/api/registers', { token: hq.adminToken, body: { storeId: '4242', registerId: '01' } });
    expect(unknownStore.status).toBeGreaterThanOrEqual(400);
    expect(unknownStore.status).toBeLessThan(500);
    expect(unknownStore.body.field).toBe('storeId');
  });

  it('refuses replication without a valid register token', async () => {
    expect((await call('GET', '/api/replication/products/pull')).status).toBe(401);
    expect((await call('GET', '/api/replication/products/pull', { token: 'not-a-token' })).status).toBe(401);
    expect((await call('POST', '/api/replication/sales/push', { body: [] })).status).toBe(401);
  });

  it('re-enrolling a register revokes its old token and tells it where its numbering stands', async () => {
    const first = await enrol('1003', '02');
    const sale = makeSale('1003', '02', 7);
    expect((await call('POST', '/api/replication/sales/push', { token: first, body: pushRows([sale]) })).status).toBe(200);
    const again = await call('POST', '/api/registers', { token: hq.adminToken, body: { storeId: '1003', registerId: '02' } });
    expect(again.body.lastSequence).toBe(7);
    expect((await call('GET', '/api/replication/stores/pull', { token: first })).status).toBe(401);
  });

  it('stores the same sale pushed twice once, and acknowledges both pushes', async () => {
    const sale = makeSale('1001', '01', 1);
    const first = await call('POST', '/api/replication/sales/push', { token: token1001, body: pushRows([sale]) });
    expect(first.status).toBe(200);
    expect(first.body).toEqual([]);
    const second = await call('POST', '/api/replication/sales/push', { token: token1001, body: pushRows([sale, sale]) });
    expect(second.status).toBe(200);
    expect(second.body).toEqual([]);
    const held = (await salesOf('1001')).filter((s) => s.id === sale.id);
    expect(held).toHaveLength(1);
    expect(held[0]?.totalCents).toBe(sale.totalCents);
  });

  it('refuses the same id with another body: returns the stored sale, keeps the first, raises an alert', async () => {
    const original = makeSale('1001', '01', 2, { priceCents: 500 });
    const forged = makeSale('1001', '01', 2, { priceCents: 900 });
    await call('POST', '/api/replication/sales/push', { token: token1001, body: pushRows([original]) });
    const res = await call('POST', '/api/replication/sales/push', { token: token1001, body: pushRows([forged]) });
    expect(res.status).toBe(200);
    const conflicts = res.body as unknown as { id: string; totalCents: number }[];
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ id: original.id, totalCents: 500 });
    const held = (await salesOf('1001')).filter((s) => s.id === original.id);
    expect(held.map((s) => s.totalCents)).toEqual([500]);
    const alerts = await hq.store.alerts();
    const alert = alerts.find((a) => a.recordId === original.id && a.kind === 'conflicting_record');
    expect(alert?.kind).toBe('conflicting_record');
    expect((alert?.body as { totalCents: number }).totalCents).toBe(900);
  });

  it('refuses a second body under the same id within one push, too', async () => {
    const a = makeSale('1001', '01', 40, { priceCents: 500 });
    const b = makeSale('1001', '01', 40, { priceCents: 900 });
    const res = await call('POST', '/api/replication/sales/push', { token: token1001, body: pushRows([a, b]) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ id: a.id, totalCents: 500 })]);
    expect((await salesOf('1001')).filter((s) => s.id === a.id).map((s) => s.totalCents)).toEqual([500]);
    const alert = (await hq.store.alerts()).find((x) => x.recordId === a.id && x.kind === 'conflicting_record');
    expect((alert?.body as { totalCents: number }).totalCents).toBe(900);
  });

  it('never lets a register write another store or register’s sales, and writes nothing of such a push', async () => {
    const mine = makeSale('1001', '01', 3);
    const theirs = makeSale('1002', '01', 1);
    const res = await call('POST', '/api/replication/sales/push', { token: token1001, body: pushRows([mine, theirs]) });
    expect(res.status).toBe(403);
    expect(res.body.field).toBe('[1].newDocumentState.storeId');
    const otherRegister = await call('POST', '/api/replication/sales/push', { token: token1001, body: pushRows([makeSale('1001', '02', 1)]) });
    expect(otherRegister.status).toBe(403);
    expect(otherRegister.body.field).toBe('[0].newDocumentState.registerId');
    expect((await salesOf('1001')).some((s) => s.id === mine.id)).toBe(false);
    expect((await salesOf('1002')).some((s) => s.id === theirs.id)).toBe(false);
    // A register reads only its own store's sales.
    expect((await call('GET', '/api/stores/1002/sales', { token: token1001 })).status).toBe(403);
    expect((await call('GET', '/api/stores/1001/sales', { token: token1001 })).status).toBe(200);
  });

  it('rejects bad sales with a 4xx naming the field and the reason, and writes nothing', async () => {
    const good = makeSale('1001', '01', 10);
    const cases: { name: string; body?: unknown; raw?: string; field: string | RegExp }[] = [
      { name: 'malformed JSON', raw: '{"newDocumentState": ', field: /.*/ },
      { name: 'not an array', body: { newDocumentState: good }, field: /.*/ },
      { name: 'float amount', body: pushRows([{ ...good, totalCents: 12.5 }]), field: '[0].newDocumentState.totalCents' },
      { name: 'negative quantity', body: pushRows([{ ...good, lines: good.lines.map((l) => ({ ...l, quantity: -1 })) }]), field: /^\[0\]\.newDocumentState\.lines/ },
      { name: 'totals that do not add up', body: pushRows([{ ...good, totalCents: good.totalCents + 1 }]), field: /^\[0\]\.newDocumentState\./ },
      { name: 'unknown field', body: pushRows([{ ...good, discount: 5 } as typeof good]), field: /^\[0\]\.newDocumentState/ },
      { name: 'receipt number of another register', body: pushRows([{ ...good, receiptNo: '1001-02-000010', id: '1001-02-000010' }]), field: /^\[0\]\.newDocumentState\./ },
    ];
    for (const c of cases) {
      const res = await call('POST', '/api/replication/sales/push', {
        token: token1001,
        ...(c.raw !== undefined ? { raw: c.raw } : { body: c.body }),
      });
      expect(res.status, c.name).toBeGreaterThanOrEqual(400);
      expect(res.status, c.name).toBeLessThan(500);
      expect(typeof res.body.error, c.name).toBe('string');
      expect(String(res.body.message), c.name).not.toBe('');
      if (c.field instanceof RegExp) expect(String(res.body.field ?? res.body.message), c.name).toMatch(c.field);
      else expect(res.body.field, c.name).toBe(c.field);
    }
    // A batch with one bad sale writes none of it, not even its good sales.
    const batch = pushRows([makeSale('1001', '01', 11), { ...makeSale('1001', '01', 12), totalCents: -5 }]);
    expect((await call('POST', '/api/replication/sales/push', { token: token1001, body: batch })).status).toBe(400);
    const ids = new Set((await salesOf('1001')).map((s) => s.id));
    for (const id of ['1001-01-000010', '1001-01-000011', '1001-01-000012']) expect(ids.has(id)).toBe(false);
  });

  it('refuses oversized bodies and unknown collections', async () => {
    const huge = pushRows(Array.from({ length: 600 }, (_, i) => makeSale('1001', '01', 1000 + i)));
    const tooMany = await call('POST', '/api/replication/sales/push', { token: token1001, body: huge });
    expect(tooMany.status).toBe(400);
    const big = await call('POST', '/api/replication/sales/push', { token: token1001, raw: `[${'"x",'.repeat(1_500_000)}"x"]` });
    expect(big.status).toBe(413);
    expect((await call('GET', '/api/replication/customers/pull', { token: token1001 })).status).toBe(404);
    expect((await call('POST', '/api/replication/products/push', { token: token1001, body: [] })).status).toBe(405);
    expect((await call('GET', '/api/replication/sales/pull', { token: token1001 })).status).toBe(405);
  });

  it('pages a full pull by checkpoint: every product once, the count matches, then an empty page', async () => {
    const total = (await call('GET', '/api/replication/products/count', { token: token1001 })).body.total;
    expect(total).toBe(DEMO_PRODUCTS);
    const seen = new Set<string>();
    let cp: Checkpoint | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const q = new URLSearchParams({ limit: '300' });
      if (cp) {
        q.set('xid', cp.xid);
        q.set('id', cp.id);
      }
      const page = (await call('GET', `/api/replication/products/pull?${q}`, { token: token1001 })).body as unknown as PullResponse;
      if (page.documents.length === 0) {
        expect(page.checkpoint).toBeNull();
        break;
      }
      for (const d of page.documents as { id: string }[]) {
        expect(seen.has(d.id)).toBe(false);
        seen.add(d.id);
      }
      cp = page.checkpoint;
    }
    expect(seen.size).toBe(DEMO_PRODUCTS);
  });

  it('scopes assortment to the register’s own store, and sends every location’s stock', async () => {
    const page = (await call('GET', '/api/replication/assortment/pull?limit=5000', { token: token1002 })).body as unknown as PullResponse;
    expect(page.documents.length).toBeGreaterThan(0);
    for (const d of page.documents as { storeId: string }[]) expect(d.storeId).toBe('1002');
    // Stock of stores and warehouses alike: the register shows availability elsewhere, offline too.
    const locations = new Set<string>();
    let cp: Checkpoint | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const q = cp ? `&xid=${cp.xid}&id=${encodeURIComponent(cp.id)}` : '';
      const stock = (await call('GET', `/api/replication/stock/pull?limit=5000${q}`, { token: token1002 })).body as unknown as PullResponse;
      if (stock.documents.length === 0) break;
      for (const d of stock.documents as { locationId: string }[]) locations.add(d.locationId);
      cp = stock.checkpoint;
    }
    expect(locations.has('1002')).toBe(true);
    expect(locations.has('1001')).toBe(true);
    expect(locations.has('9001')).toBe(true);
  });

  it('says "pull now" on the event stream when pulled data changes', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${hq.url}/api/replication/stream`, { headers: { authorization: `Bearer ${token1001}` }, signal: ctrl.signal });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const decoder = new TextDecoder();
    const changed = (async () => {
      while (!text.includes('event: change')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return text;
    })();
    await new Promise((r) => setTimeout(r, 100));
    await hq.store.sql.transaction(async (tx) => {
      await tx.query("UPDATE products SET price_cents = price_cents + 10 WHERE id = '1000001'");
      await tx.query("SELECT pg_notify('kassa_changes', 'products')");
    });
    const seen = await Promise.race([changed, new Promise<string>((r) => setTimeout(() => r('timeout'), 5000))]);
    ctrl.abort();
    expect(seen).toMatch(/event: change\ndata: \{"collections":\["products"\]\}/);
  });

  it('lists a store’s sales newest first with receipt number, lines, totals and tenders', async () => {
    const token = await enrol('1004', '03');
    const a = makeSale('1004', '03', 1);
    const b = makeSale('1004', '03', 2, { tender: { kind: 'card', amountCents: 1295, reference: 'T-1' } });
    await call('POST', '/api/replication/sales/push', { token, body: pushRows([a]) });
    await call('POST', '/api/replication/sales/push', { token, body: pushRows([b]) });
    const list = await salesOf('1004');
    expect(list.map((s) => s.receiptNo)).toEqual(['1004-03-000002', '1004-03-000001']);
    expect(list[0]?.tenders[0]).toMatchObject({ kind: 'card', amountCents: 1295 });
    expect(list[1]?.lines[0]).toMatchObject({ quantity: 1, unitPriceCents: 1295, amountCents: 1295 });
  });
});
