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
