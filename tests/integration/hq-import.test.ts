import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../sync/hq/import.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { availableBackends } from '../support/backends.ts';

// Master data from files, as IT feeds it from an ERP: applied whole, or refused whole with
// every bad row's line number and reason.

const backends = await availableBackends();
const ADMIN = 'import-admin';

describe('CSV reading', () => {
  it('reads quoted fields, doubled quotes, CRLF and line breaks inside quotes, with line numbers', () => {
    const rows = parseCsv('a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\n\n3,4\n');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['multi\nline', '2'] },
      { line: 6, cells: ['3', '4'] },
    ]);
  });
});

describe.each(backends)('importing master data on $name', (backend) => {
  let hq: RunningHq;
  let cleanup: () => Promise<void>;
  let databaseUrl: string | undefined;

  const post = async (kind: string, type: string, body: string, token = ADMIN) => {
    const res = await fetch(`${hq.url}/api/import/${kind}`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}` }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const product = async (id: string) => (await hq.store.sql.query<{ name: string; price_cents: number }>('SELECT name, price_cents FROM products WHERE id = $1', [id]))[0];

  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    databaseUrl = prepared.databaseUrl;
    hq = await startHq({ ...(databaseUrl ? { databaseUrl } : { memory: true }), adminToken: ADMIN, demoProducts: 100 });
  });
  afterAll(async () => {
    await hq?.close();
    await cleanup?.();
  });

  it('imports products from CSV and prices from JSON, and registers are told to pull', async () => {
    const token = ((await (await fetch(`${hq.url}/api/registers`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ storeId: '1001', registerId: '01' }) })).json()) as { registerToken: string }).registerToken;
    const ctrl = new AbortController();
    const stream = await fetch(`${hq.url}/api/replication/stream`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    const told = (async () => {
      while (!seen.includes('"products"')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
    })();

    const csv = 'id,itemNumber,barcode,name,category,priceCents,vat\n9000001,9000001,8719999000019,"Tulp Stroopwafels, reep",Levensmiddelen/Zoet,249,low\n9000002,9000002,,Kaars wit,Wonen/Decoratie,395,high\n';
    expect((await post('products', 'text/csv', csv)).body).toEqual({ kind: 'products', rows: 2 });
    expect(await product('9000001')).toMatchObject({ name: 'Tulp Stroopwafels, reep', price_cents: 249 });
    expect((await post('prices', 'application/json', JSON.stringify([{ productId: '9000001', priceCents: 259 }]))).status).toBe(200);
    expect((await product('9000001'))?.price_cents).toBe(259);
    await Promise.race([told, new Promise((r) => setTimeout(r, 5000))]);
    ctrl.abort();
    expect(seen).toContain('"products"');
  });

  it('refuses a file with a bad row: every problem with its line, and nothing of the file applied', async () => {
    const csv = [
      'id,itemNumber,barcode,name,category,priceCents,vat',
      '9000010,9000010,,Goede regel,Test/Test,100,high',
      '9000011,9000011,,Slechte prijs,Test/Test,12.50,high',
      '9000012,9000012,123,Slechte barcode,Test/Test,100,medium',
      '9000013,9000013,,Te weinig velden',
    ].join('\n');
    const res = await post('products', 'text/csv', csv);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_file');
    const problems = res.body.problems as { line: number; field: string; reason: string }[];
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'priceCents'],
      [4, 'barcode'],
      [4, 'vat'],
      [5, ''],
    ]);
    expect(await product('9000010')).toBeUndefined();

    // References to unknown products or stores are refused the same way, after parsing.
    const stock = await post('stock', 'application/json', JSON.stringify([{ locationId: '1001', productId: '1000001', onHand: 5 }, { locationId: '7777', productId: '1000001', onHand: 5 }]));
    expect(stock.status).toBe(400);
    expect(stock.body.problems).toEqual([{ line: 2, field: 'locationId', reason: 'no store or warehouse 7777' }]);
    const [row] = await hq.store.sql.query<{ on_hand: number }>("SELECT on_hand FROM stock WHERE id = '1001:1000001'");
    expect(row?.on_hand).not.toBe(5);
  });

  it('imports assortment lines and stock, and needs the admin token and a known kind', async () => {
    expect((await post('assortment', 'application/json', JSON.stringify([{ storeId: '1002', productId: '1000001', validFrom: '2027-01-01' }]))).status).toBe(200);
    const [line] = await hq.store.sql.query<{ valid_from: unknown }>("SELECT valid_from::text AS valid_from FROM assortment WHERE id = '1002:1000001'");
    expect(line?.valid_from).toBe('2027-01-01');
    expect((await post('stock', 'text/csv', 'locationId,productId,onHand,reserved\n9001,1000001,120,4\n')).body).toEqual({ kind: 'stock', rows: 1 });
    expect((await post('stock', 'text/csv', 'locationId,productId,onHand\n9001,1000001,1\n', 'not-admin')).status).toBe(401);
    expect((await post('customers', 'text/csv', 'a\n1\n')).status).toBe(404);
    expect((await post('stock', 'application/xml', '<x/>')).status).toBe(415);
  });

  it('imports store groups and group lines: members get the group’s lines by pull, other stores do not, and bad references are refused', async () => {
    const enrol = async (storeId: string) =>
      ((await (await fetch(`${hq.url}/api/registers`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ storeId, registerId: '03' }) })).json()) as { registerToken: string }).registerToken;
    const pullAll = async (token: string, collection: string) => {
      const out: Record<string, unknown>[] = [];
      let q = 'limit=1000';
      for (;;) {
        const page = (await (await fetch(`${hq.url}/api/replication/${collection}/pull?${q}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
          documents: Record<string, unknown>[];
          checkpoint: { xid: string; id: string } | null;
        };
        out.push(...page.documents);
        if (!page.checkpoint || page.documents.length === 0) return out;
        q = `limit=1000&xid=${page.checkpoint.xid}&id=${page.checkpoint.id}`;
      }
    };
    // Membership: the file gives each group it names its complete list of stores.
    expect((await post('store-groups', 'text/csv', 'groupId,storeId\nSTAD,1003\nSTAD,1004\n')).body).toEqual({ kind: 'store-groups', rows: 2 });
    expect((await post('store-groups', 'text/csv', 'groupId,storeId\nSTAD,1004\nSTAD,1005\n')).status).toBe(200);
    const groups = await hq.store.sql.query<{ id: string; groups: string[] }>("SELECT id, groups FROM stores WHERE id IN ('1003', '1004', '1005') ORDER BY id");
    expect(groups.map((g) => [g.id, g.groups])).toEqual([['1003', []], ['1004', ['STAD']], ['1005', ['STAD']]]);

    // A product no store carries yet.
    expect((await post('products', 'text/csv', 'id,itemNumber,name,category,priceCents,vat\n9000030,9000030,Koepeltent 3 personen,Vrije tijd/Kamperen,8995,high\n')).status).toBe(200);
    const lines = JSON.stringify([{ groupId: 'STAD', productId: '9000030', validFrom: '2024-01-01' }, { storeId: '1004', productId: '9000030', validFrom: '2024-01-01', validTo: '2024-12-31' }]);
    expect((await post('assortment', 'application/json', lines)).status).toBe(200);
    const member = await pullAll(await enrol('1005'), 'assortment');
    const outsider = await pullAll(await enrol('1003'), 'assortment');
    expect(member.filter((d) => d.productId === '9000030')).toEqual([
      expect.objectContaining({ id: 'group:STAD:9000030', storeId: null, groupId: 'STAD', validFrom: '2024-01-01', validTo: null }),
    ]);
    // Group lines go to every register (it decides by its store's groups); other stores' own lines do not.
    expect(outsider.filter((d) => d.productId === '9000030').map((d) => d.id)).toEqual(['group:STAD:9000030']);
    expect(outsider.every((d) => d.storeId === '1003' || d.groupId !== null)).toBe(true);
    const stores = await pullAll(await enrol('1005'), 'stores');
    expect(stores.find((s) => s.id === '1005')).toMatchObject({ groups: ['STAD'] });

    // A line for both or neither, an unknown group, a warehouse as a store: refused with the line, nothing applied.
    const bad = await post('assortment', 'text/csv', [
      'storeId,groupId,productId,validFrom,validTo',
      '1003,STAD,1000008,2024-01-01,',
      ',,1000008,2024-01-01,',
      ',NOPE,1000008,2024-01-01,',
      '1003,,1000008,2024-03-01,2024-02-01',
    ].join('\n'));
    expect(bad.status).toBe(400);
    expect((bad.body.problems as { line: number; field: string }[]).map((p) => [p.line, p.field])).toEqual([
      [2, 'storeId'],
      [3, 'storeId'],
      [5, 'validTo'],
    ]);
    const unknownGroup = await post('assortment', 'text/csv', 'groupId,productId,validFrom\nNOPE,1000008,2024-01-01\n');
    expect(unknownGroup.body.problems).toEqual([{ line: 2, field: 'groupId', reason: 'no store group NOPE' }]);
    const warehouse = await post('store-groups', 'text/csv', 'groupId,storeId\nSTAD,9001\n');
    expect(warehouse.body.problems).toEqual([{ line: 2, field: 'storeId', reason: 'no store 9001' }]);
    expect(await hq.store.sql.query("SELECT id FROM assortment WHERE product_id = '1000008' AND id LIKE 'group:%'")).toEqual([]);
  });

  it('imports from the command line the same way, and exits 1 naming the line of a bad row', async () => {
    if (!databaseUrl) return; // PGlite in memory has no second process to share it with; the PostgreSQL run covers the command.
    const dir = mkdtempSync(join(tmpdir(), 'kassa-import-'));
    const good = join(dir, 'prices.csv');
    writeFileSync(good, 'productId,priceCents\n1000002,777\n');
    const bad = join(dir, 'prices.json');
    writeFileSync(bad, JSON.stringify([{ productId: '1000002', priceCents: 1 }, { productId: '1000003', priceCents: -1 }]));
    const run = (file: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'sync/hq/cli.ts', 'import', file], { cwd: resolve(import.meta.dirname, '../..'), env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8' });
    const ok = run(good);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Imported 1 prices rows');
    expect((await product('1000002'))?.price_cents).toBe(777);
    const refused = run(bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/nothing imported.*\n.*line 2, priceCents/);
    expect((await product('1000002'))?.price_cents).toBe(777);
  });
});
