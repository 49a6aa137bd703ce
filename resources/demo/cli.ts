import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { localDay } from '../../src/assortment.ts';
import type { AssortmentDoc, ProductDoc, StockDoc, StoreDoc } from '../../sync/protocol/docs.ts';
import { type DemoOptions, demoAssortment, demoLocations, demoProducts, demoStock } from './generate.ts';

/**
 * `npm run demo:generate -- [--products N] [--seed S] [--out DIR] [--today YYYY-MM-DD]`
 *
 * Writes the generated demo chain as NDJSON, one protocol document (with `_deleted: false`)
 * per line: stores.ndjson (stores and warehouses), products.ndjson, assortment.ndjson and
 * stock.ndjson in DIR. The generators are streamed into the files with backpressure, so a
 * million products never sit in memory. Each file is written under a temporary name and
 * renamed when complete; existing files of the same name are replaced.
 *
 * Exit codes: 0 done, 1 writing failed, 2 bad arguments.
 */

export const USAGE = `Usage: npm run demo:generate -- [options]

Writes the demo chain as NDJSON: stores.ndjson, products.ndjson, assortment.ndjson, stock.ndjson.

Options:
  --products N         number of products, 1 to 100000000 (default 20000; _ separators allowed)
  --seed S             random seed, 0 to 4294967295 (default 1)
  --out DIR            output directory, created if missing (default ./data/demo)
  --today YYYY-MM-DD   the day assortment dates are relative to (default: today, local time)
  -h, --help           show this help`;

export const DEFAULTS = { products: 20_000, seed: 1, out: './data/demo' } as const;
/** Far beyond any demo, and well within what item numbers and barcodes can tell apart. */
export const MAX_PRODUCTS = 100_000_000;
const MAX_SEED = 0xffff_ffff;

export interface CliOptions {
  products: number;
  seed: number;
  out: string;
  today: string;
}

export type ParsedArgs =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'help' }
  | { kind: 'error'; arg: string; message: string };

function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\d+(_\d+)*$/.test(text)) return null;
  const n = Number(text.replace(/_/g, ''));
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/** True for a real calendar day written YYYY-MM-DD (2025-02-30 is not one). */
export function isIsoDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * Parses the arguments after the script name. Pure: the default for --today is the
 * `defaultToday` argument (the caller passes today's local date). Accepts `--flag value` and
 * `--flag=value`; every option at most once.
 */
export function parseArgs(argv: readonly string[], defaultToday: string = localDay(new Date())): ParsedArgs {
  const values = new Map<string, string>();
  const known = new Set(['--products', '--seed', '--out', '--today']);
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--help' || token === '-h') return { kind: 'help' };
    const eq = token.indexOf('=');
    const flag = token.startsWith('--') && eq > 0 ? token.slice(0, eq) : token;
    if (!known.has(flag)) {
      return token.startsWith('-')
        ? { kind: 'error', arg: flag, message: `unknown option ${flag}` }
        : { kind: 'error', arg: token, message: `unexpected argument ${JSON.stringify(token)}` };
    }
    if (values.has(flag)) return { kind: 'error', arg: flag, message: `${flag} given more than once` };
    let value: string | undefined;
    if (flag !== token) value = token.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return { kind: 'error', arg: flag, message: `${flag} needs a value` };
      i++;
    }
    values.set(flag, value);
  }

  let products: number = DEFAULTS.products;
  const productsText = values.get('--products');
  if (productsText !== undefined) {
    const n = wholeNumber(productsText, 1, MAX_PRODUCTS);
    if (n === null) {
      return { kind: 'error', arg: '--products', message: `--products must be a whole number from 1 to ${MAX_PRODUCTS}, got ${JSON.stringify(productsText)}` };
    }
    products = n;
  }

  let seed: number = DEFAULTS.seed;
  const seedText = values.get('--seed');
  if (seedText !== undefined) {
    const n = wholeNumber(seedText, 0, MAX_SEED);
    if (n === null) return { kind: 'error', arg: '--seed', message: `--seed must be a whole number from 0 to ${MAX_SEED}, got ${JSON.stringify(seedText)}` };
    seed = n;
  }

  const out = values.get('--out') ?? DEFAULTS.out;
  if (out.trim() === '') return { kind: 'error', arg: '--out', message: '--out must name a directory' };

  const today = values.get('--today') ?? defaultToday;
  if (!isIsoDay(today)) return { kind: 'error', arg: '--today', message: `--today must be a date YYYY-MM-DD, got ${JSON.stringify(today)}` };

  return { kind: 'run', options: { products, seed, out, today } };
}

export const FILES = ['stores', 'products', 'assortment', 'stock'] as const;
export type DemoFile = (typeof FILES)[number];

export interface FileSummary {
  file: DemoFile;
  path: string;
  lines: number;
  bytes: number;
  ms: number;
}

export interface WriteSummary {
  dir: string;
  files: FileSummary[];
  ms: number;
}

/** Joins documents into NDJSON chunks of about `chunkChars`, counting them as they pass. */
function* ndjsonChunks(docs: Iterable<object>, counter: { lines: number }, chunkChars = 256 * 1024): Generator<string> {
  let chunk = '';
  for (const doc of docs) {
    chunk += `${JSON.stringify(doc)}\n`;
    counter.lines++;
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

function* withDeleted<T extends object>(docs: Iterable<T>): Generator<T & { _deleted: false }> {
  for (const d of docs) yield { ...d, _deleted: false };
}

/**
 * Streams one file: a pull-based Readable over the generator, piped into a write stream, so
 * the generator runs only as fast as the disk takes the data (backpressure). Written under a
 * temporary name and renamed when complete; removed again if anything fails.
 */
async function writeNdjson(path: string, docs: Iterable<object>): Promise<{ lines: number; bytes: number }> {
  const partial = `${path}.partial`;
  const counter = { lines: 0 };
  try {
    await pipeline(Readable.from(ndjsonChunks(docs, counter)), createWriteStream(partial, { encoding: 'utf8' }));
    await rename(partial, path);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
  return { lines: counter.lines, bytes: (await stat(path)).size };
}

/** Writes the four NDJSON files of the demo chain into `options.out` (created if missing). */
export async function writeDemo(options: CliOptions, onFile?: (summary: FileSummary) => void): Promise<WriteSummary> {
  const started = performance.now();
  const dir = resolve(options.out);
  await mkdir(dir, { recursive: true });
  const opts: DemoOptions = { products: options.products, seed: options.seed, today: options.today };
  const locations = demoLocations();
  const sources: Record<DemoFile, () => Iterable<object>> = {
    stores: () => withDeleted<Omit<StoreDoc, '_deleted'>>(locations) satisfies Iterable<StoreDoc>,
    products: () => withDeleted<Omit<ProductDoc, '_deleted'>>(demoProducts(opts)) satisfies Iterable<ProductDoc>,
    assortment: () => withDeleted<Omit<AssortmentDoc, '_deleted'>>(demoAssortment(opts, locations)) satisfies Iterable<AssortmentDoc>,
    stock: () => withDeleted<Omit<StockDoc, '_deleted'>>(demoStock(opts, locations)) satisfies Iterable<StockDoc>,
  };
  const files: FileSummary[] = [];
  for (const file of FILES) {
    const fileStarted = performance.now();
    const path = join(dir, `${file}.ndjson`);
    const { lines, bytes } = await writeNdjson(path, sources[file]());
    const summary: FileSummary = { file, path, lines, bytes, ms: performance.now() - fileStarted };
    files.push(summary);
    onFile?.(summary);
  }
  return { dir, files, ms: performance.now() - started };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: Io = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** The command: parses, writes, reports. Returns the exit code. */
export async function main(argv: readonly string[], io: Io = consoleIo, defaultToday?: string): Promise<number> {
  const parsed = parseArgs(argv, defaultToday);
  if (parsed.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(`demo:generate: ${parsed.message}`);
    io.err('Run with --help for the options.');
    return 2;
  }
  const o = parsed.options;
  io.out(`Generating the demo chain: ${o.products.toLocaleString('en')} products, seed ${o.seed}, today ${o.today}, into ${resolve(o.out)}`);
  try {
    const summary = await writeDemo(o, (f) => {
      io.out(`  ${`${f.file}.ndjson`.padEnd(18)} ${f.lines.toLocaleString('en').padStart(11)} lines  ${formatBytes(f.bytes).padStart(10)}  ${(f.ms / 1000).toFixed(1)} s`);
    });
    const lines = summary.files.reduce((n, f) => n + f.lines, 0);
    const bytes = summary.files.reduce((n, f) => n + f.bytes, 0);
    io.out(`Done in ${(summary.ms / 1000).toFixed(1)} s: ${lines.toLocaleString('en')} lines, ${formatBytes(bytes)}.`);
    return 0;
  } catch (e) {
    io.err(`demo:generate: writing to ${resolve(o.out)} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  process.exitCode = await main(process.argv.slice(2));
}
