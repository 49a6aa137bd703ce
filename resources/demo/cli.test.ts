import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS, FILES, type Io, MAX_PRODUCTS, type ParsedArgs, isIsoDay, main, parseArgs, writeDemo } from './cli.ts';
import { assortmentSize, demoLocations, isValidEan13 } from './generate.ts';

const TODAY = '2025-06-15';
const ROOT = resolve(import.meta.dirname, '../..');

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kassa-demo-'));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function readNdjson(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function captureIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

function expectError(parsed: ParsedArgs, arg: string): string {
  expect(parsed.kind).toBe('error');
  if (parsed.kind !== 'error') throw new Error('not an error');
  expect(parsed.arg).toBe(arg);
  expect(parsed.message).toContain(arg);
  return parsed.message;
}

describe('parseArgs', () => {
  it('defaults to 20,000 products, seed 1, ./data/demo and the given today', () => {
    expect(parseArgs([], TODAY)).toEqual({ kind: 'run', options: { products: 20_000, seed: 1, out: './data/demo', today: TODAY } });
    expect(DEFAULTS).toEqual({ products: 20_000, seed: 1, out: './data/demo' });
  });

  it('defaults today to a real local date when none is passed', () => {
    const parsed = parseArgs([]);
    expect(parsed.kind).toBe('run');
    if (parsed.kind === 'run') expect(isIsoDay(parsed.options.today)).toBe(true);
  });

  it('reads every option, as "--flag value" and as "--flag=value"', () => {
    const expected = { kind: 'run', options: { products: 1_000_000, seed: 42, out: '/tmp/x', today: '2024-02-29' } };
    expect(parseArgs(['--products', '1000000', '--seed', '42', '--out', '/tmp/x', '--today', '2024-02-29'], TODAY)).toEqual(expected);
    expect(parseArgs(['--products=1_000_000', '--seed=42', '--out=/tmp/x', '--today=2024-02-29'], TODAY)).toEqual(expected);
    expect(parseArgs(['--today', '2024-02-29', '--out', '/tmp/x', '--seed', '42', '--products', '1_000_000'], TODAY)).toEqual(expected);
  });

  it('accepts the limits', () => {
    expect(parseArgs(['--products', '1', '--seed', '0'], TODAY)).toMatchObject({ options: { products: 1, seed: 0 } });
    expect(parseArgs(['--products', String(MAX_PRODUCTS), '--seed', '4294967295'], TODAY)).toMatchObject({
      options: { products: MAX_PRODUCTS, seed: 4294967295 },
    });
  });

  it('answers --help and -h', () => {
    expect(parseArgs(['--help'], TODAY)).toEqual({ kind: 'help' });
    expect(parseArgs(['--products', '5', '-h'], TODAY)).toEqual({ kind: 'help' });
  });

  it.each([
    ['abc'], ['0'], ['-5'], ['1.5'], ['1e6'], [''], [' 100'], ['100_'], ['1__0'], ['0x10'], [String(MAX_PRODUCTS + 1)], ['99999999999999999999'],
  ])('rejects --products %j', (value) => {
    expectError(parseArgs(['--products', value], TODAY), '--products');
    expectError(parseArgs([`--products=${value}`], TODAY), '--products');
  });

  it.each([['-1'], ['x'], ['4294967296'], ['1.5'], ['']])('rejects --seed %j', (value) => {
    expectError(parseArgs([`--seed=${value}`], TODAY), '--seed');
  });

  it.each([['2025-02-30'], ['2025-13-01'], ['2025-6-15'], ['15-06-2025'], ['2025-06-15T00:00:00Z'], ['today'], ['']])('rejects --today %j', (value) => {
    expectError(parseArgs([`--today=${value}`], TODAY), '--today');
  });

  it('rejects an empty --out', () => {
    expectError(parseArgs(['--out', ''], TODAY), '--out');
    expectError(parseArgs(['--out=  '], TODAY), '--out');
  });

  it('rejects an option without its value', () => {
    expect(expectError(parseArgs(['--products'], TODAY), '--products')).toMatch(/needs a value/);
    expect(expectError(parseArgs(['--out', '--seed', '3'], TODAY), '--out')).toMatch(/needs a value/);
  });

  it('rejects unknown options and stray arguments, naming them', () => {
    expectError(parseArgs(['--product', '5'], TODAY), '--product');
    expectError(parseArgs(['--verbose'], TODAY), '--verbose');
    expectError(parseArgs(['--bogus=1'], TODAY), '--bogus');
    expectError(parseArgs(['-p', '5'], TODAY), '-p');
    expectError(parseArgs(['500'], TODAY), '500');
  });

  it('rejects an option given twice', () => {
    expect(expectError(parseArgs(['--seed', '1', '--seed=2'], TODAY), '--seed')).toMatch(/more than once/);
  });

  it('is pure: the same arguments give the same answer and argv is left alone', () => {
    const argv = Object.freeze(['--products', '10', '--out', 'x']);
    expect(parseArgs(argv, TODAY)).toEqual(parseArgs(argv, TODAY));
    expect(argv).toEqual(['--products', '10', '--out', 'x']);
  });
});

describe('isIsoDay', () => {
  it('accepts real days only', () => {
    expect(isIsoDay('2024-02-29')).toBe(true);
    expect(isIsoDay('2023-02-29')).toBe(false);
    expect(isIsoDay('2025-04-31')).toBe(false);
    expect(isIsoDay('2025-12-31')).toBe(true);
  });
});

describe('writeDemo', () => {
  it('writes four NDJSON files whose line counts match the summary and parse as JSON', async () => {
    const dir = await tempDir();
    const out = join(dir, 'nested', 'demo');
    const seen: string[] = [];
    const summary = await writeDemo({ products: 500, seed: 1, out, today: TODAY }, (f) => seen.push(f.file));

    expect(summary.dir).toBe(out);
    expect(seen).toEqual([...FILES]);
    expect((await readdir(out)).sort()).toEqual(['assortment.ndjson', 'products.ndjson', 'stock.ndjson', 'stores.ndjson']);

    const docs = Object.fromEntries(await Promise.all(FILES.map(async (f) => [f, await readNdjson(join(out, `${f}.ndjson`))] as const)));
    for (const f of summary.files) {
      expect(docs[f.file], f.file).toHaveLength(f.lines);
      expect(f.bytes).toBe(Buffer.byteLength(await readFile(f.path)));
    }

    const locations = demoLocations();
    const stores = locations.filter((l) => l.kind === 'store');
    const warehouses = locations.filter((l) => l.kind === 'warehouse');
    expect(docs.stores).toHaveLength(locations.length);
    expect(docs.products).toHaveLength(500);
    expect(docs.assortment).toHaveLength(stores.length * assortmentSize(500));
    expect(docs.stock).toHaveLength(stores.length * assortmentSize(500) + warehouses.length * 100);

    // Every line is a whole protocol document.
    for (const list of Object.values(docs)) for (const d of list) expect(d._deleted).toBe(false);
    expect(docs.stores![0]).toEqual({ ...locations[0], _deleted: false });
    const productIds = new Set(docs.products!.map((p) => p.id));
    expect(productIds.size).toBe(500);
    for (const p of docs.products!) expect(isValidEan13(String(p.barcode))).toBe(true);
    for (const a of docs.assortment!) expect(productIds.has(String(a.productId))).toBe(true);
    expect(docs.assortment![0]).toMatchObject({ storeId: stores[0]!.id });
  });

  it('writes the same bytes for the same seed and today, and leaves no temporary files', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await writeDemo({ products: 300, seed: 9, out: a, today: TODAY });
    await writeDemo({ products: 300, seed: 9, out: b, today: TODAY });
    for (const f of FILES) {
      expect(await readFile(join(a, `${f}.ndjson`), 'utf8')).toBe(await readFile(join(b, `${f}.ndjson`), 'utf8'));
    }
    expect((await readdir(a)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('replaces files of an earlier run', async () => {
    const dir = await tempDir();
    await writeDemo({ products: 300, seed: 1, out: dir, today: TODAY });
    await writeDemo({ products: 40, seed: 1, out: dir, today: TODAY });
    expect(await readNdjson(join(dir, 'products.ndjson'))).toHaveLength(40);
  });

  it('fails, leaving nothing half-written, when the directory cannot be made', async () => {
    const dir = await tempDir();
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a directory');
    await expect(writeDemo({ products: 10, seed: 1, out: join(blocker, 'demo'), today: TODAY })).rejects.toThrow();
  });
});

describe('main', () => {
  it('prints counts and elapsed time, and exits 0', async () => {
    const dir = await tempDir();
    const io = captureIo();
    const code = await main(['--products', '500', '--out', dir, '--today', TODAY], io);
    expect(code).toBe(0);
    expect(io.stderr).toEqual([]);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/products\.ndjson\s+500 lines/);
    expect(text).toMatch(/stores\.ndjson\s+8 lines/);
    expect(text).toMatch(/Done in \d+\.\d s: 6,708 lines/);
  });

  it('exits 2 on a bad argument, naming it, and writes nothing', async () => {
    const dir = await tempDir();
    const io = captureIo();
    expect(await main(['--products', 'many', '--out', dir], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('--products');
    expect(io.stdout).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('prints the usage for --help and exits 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/--products N[\s\S]*--seed S[\s\S]*--out DIR[\s\S]*--today YYYY-MM-DD/);
  });

  it('exits 1 when writing fails', async () => {
    const dir = await tempDir();
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const io = captureIo();
    expect(await main(['--products', '10', '--out', join(blocker, 'demo'), '--today', TODAY], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/failed/);
  });
});

describe('the script, run as npm run demo:generate runs it', () => {
  const exec = promisify(execFile);
  const run = (args: string[]) =>
    exec(process.execPath, ['--import', 'tsx', 'resources/demo/cli.ts', ...args], { cwd: ROOT }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('runs main when executed directly and sets the exit code', { timeout: 30_000 }, async () => {
    const dir = await tempDir();
    const ok = await run(['--products', '50', '--out', dir, '--today', TODAY]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Done in/);
    expect(await readNdjson(join(dir, 'products.ndjson'))).toHaveLength(50);

    const bad = await run(['--seed', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--seed');
  });
});
