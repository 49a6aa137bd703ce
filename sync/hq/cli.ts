import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { localDay } from '../../src/assortment.ts';
import { IMPORT_KINDS, ImportError, type ImportKind, applyImport, importFormat, parseImport } from './import.ts';
import { migrate } from './migrations.ts';
import { DEMO_OPERATORS, seedDemo } from './seed.ts';
import { openDatabase, startHq } from './server.ts';

/**
 * HQ's command line.
 *   serve            HQ + the register at http://127.0.0.1:7400/ (PORT, HOST, KASSA_DATA_DIR,
 *                    DATABASE_URL, KASSA_ADMIN_TOKEN, KASSA_DEMO_PRODUCTS)
 *   start            serve, then open the register in Electron
 *   seed --products N   seed the demo chain into an empty database
 */
const ROOT = resolve(import.meta.dirname, '../..');

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function positiveInt(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`${what} must be a whole number, got ${text}`);
    process.exit(2);
  }
  return n;
}

async function serve(openElectron: boolean): Promise<void> {
  const databaseUrl = env('DATABASE_URL');
  const dataDir = env('KASSA_DATA_DIR') ?? resolve('data');
  const demoProducts = positiveInt(env('KASSA_DEMO_PRODUCTS'), 'KASSA_DEMO_PRODUCTS', 20_000);
  const started = Date.now();
  let lastPrint = 0;
  const hq = await startHq({
    port: positiveInt(env('PORT'), 'PORT', 7400),
    host: env('HOST') ?? '127.0.0.1',
    ...(databaseUrl ? { databaseUrl } : { dataDir }),
    ...(env('KASSA_ADMIN_TOKEN') ? { adminToken: env('KASSA_ADMIN_TOKEN') } : {}),
    demoProducts,
    tokenTtlDays: positiveInt(env('KASSA_TOKEN_DAYS'), 'KASSA_TOKEN_DAYS', 365),
    rendererDir: resolve(ROOT, 'dist/renderer'),
    onDatabaseEvent: (message) => console.warn(`${new Date().toISOString()} PostgreSQL: ${message}`),
    onSeedProgress: (table, n) => {
      if (Date.now() - lastPrint > 2000) {
        lastPrint = Date.now();
        console.log(`seeding demo chain: ${table} ${n.toLocaleString('en')}`);
      }
    },
  });
  if (hq.seeded) {
    const s = hq.seeded;
    console.log(
      `Seeded the demo chain in ${(s.ms / 1000).toFixed(1)} s: ${s.locations} locations, ${s.products.toLocaleString('en')} products, ` +
        `${s.assortment.toLocaleString('en')} assortment lines, ${s.stock.toLocaleString('en')} stock figures, ${s.operators} operators.`,
    );
    if (s.operators) console.log(`  Demo operators: ${DEMO_OPERATORS.map((o) => `${o.role} ${o.id} (PIN ${o.pin})`).join(', ')}`);
  }
  console.log(`Kassa HQ on ${databaseUrl ? 'PostgreSQL' : `PGlite in ${dataDir}`}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  console.log(`  Register:         ${hq.url}/`);
  console.log(`  Enrolment token:  ${hq.adminToken}`);
  console.log('  (paste the token on the register\'s first-start screen; Ctrl+C stops HQ)');

  let closing = false;
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await hq.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  if (openElectron) {
    let electronBinary: string;
    try {
      // In Node, the electron package exports the path of its binary (fetched on first use).
      electronBinary = createRequire(import.meta.url)('electron') as string;
    } catch (e) {
      console.error(`Cannot launch Electron (${(e as Error).message}). HQ keeps running: open ${hq.url}/ in a browser.`);
      return;
    }
    const child = spawn(electronBinary, [resolve(ROOT, 'dist-electron/main.cjs')], {
      stdio: 'inherit',
      env: { ...process.env, KASSA_HQ_URL: hq.url },
    });
    child.on('error', (e) => console.error(`Electron did not start (${e.message}). HQ keeps running: open ${hq.url}/ in a browser.`));
    child.on('exit', (code) => {
      if (code === 0) void shutdown();
      else console.error(`Electron exited with ${code}. HQ keeps running: open ${hq.url}/ in a browser.`);
    });
  }
}

async function seed(args: string[]): Promise<void> {
  const products = positiveInt(argValue(args, '--products'), '--products', 20_000);
  const databaseUrl = env('DATABASE_URL');
  const sql = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: env('KASSA_DATA_DIR') ?? resolve('data') });
  try {
    await migrate(sql);
    const result = await seedDemo(sql, { products, today: localDay(new Date()) }, (table, n) => {
      if (n % 50_000 === 0) console.log(`${table}: ${n.toLocaleString('en')}`);
    });
    if (!result) console.log('The database already holds a chain; nothing seeded.');
    else console.log(`Seeded ${JSON.stringify(result)}`);
  } finally {
    await sql.close();
  }
}

/** `import <file> [--kind products|assortment|prices|stock|store-groups|operators]`: applies a CSV or JSON file whole, or reports every bad row and applies nothing. */
async function importFile(args: string[]): Promise<void> {
  const file = args.find((a) => !a.startsWith('--') && a !== argValue(args, '--kind'));
  if (!file) {
    console.error('usage: npm run hq -- import <file.csv|file.json> [--kind products|assortment|prices|stock|store-groups|operators]');
    process.exit(2);
  }
  const name = basename(file).toLowerCase();
  const kind = argValue(args, '--kind') ?? IMPORT_KINDS.find((k) => name.startsWith(k));
  const format = importFormat(extname(name));
  if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind) || !format) {
    console.error(`cannot tell what ${file} holds: name it products|assortment|prices|stock|store-groups|operators.csv|.json, or pass --kind`);
    process.exit(2);
  }
  const databaseUrl = env('DATABASE_URL');
  const sql = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: env('KASSA_DATA_DIR') ?? resolve('data') });
  try {
    await migrate(sql);
    const rows = parseImport(kind as ImportKind, format, readFileSync(file, 'utf8'));
    const result = await applyImport(sql, kind as ImportKind, rows);
    console.log(`Imported ${result.rows.toLocaleString('en')} ${kind} rows from ${file}.`);
  } catch (e) {
    if (e instanceof ImportError) {
      console.error(`${file}: nothing imported; ${e.problems.length} problem(s):`);
      for (const p of e.problems) console.error(`  line ${p.line}${p.field ? `, ${p.field}` : ''}: ${p.reason}`);
      process.exit(1);
    }
    throw e;
  } finally {
    await sql.close();
  }
}

const [command = 'serve', ...rest] = process.argv.slice(2);
const run: Record<string, () => Promise<void>> = {
  serve: () => serve(false),
  start: () => serve(true),
  seed: () => seed(rest),
  import: () => importFile(rest),
};
const fn = run[command];
if (!fn) {
  console.error(`unknown command ${command}; use serve, start, seed --products N, or import <file>`);
  process.exit(2);
}
fn().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
