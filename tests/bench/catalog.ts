/**
 * `npm run bench:catalog`: the register at catalog scale, in Chromium, against a real HQ.
 *
 * For each `--products` size (default 100000,1000000, smallest first), on a fresh PostgreSQL
 * database `kassa_bench_<random>` with HQ (`sync/hq/cli.ts serve`, tests/support/hq-process.ts)
 * seeding the demo chain of that size (seeding is printed, not part of any figure):
 *
 *   1. sync_ms: the real register UI (dist/renderer, served by HQ) in Chromium on a profile folder
 *      of its own: from pressing "Enrol register" to the sale screen being ready to scan (the
 *      "Search products" field visible and enabled), with the demo cashier's sign-in and the
 *      opening of a shift scripted on the way (the PIN check counts, typing does not). The
 *      first-sync progress, the renderer's JS heap and RSS are logged every 10 s.
 *   1b. image_build_ms: after the first sync the register's worker builds the catalog image
 *      (sync/client/catalog-image.ts) that cold starts load; the bench waits for its
 *      `kassa:catalog-image` mark (detail: reading, indexing and writing times) before anything
 *      else, so the worker competes with nothing timed. Not part of sync_ms.
 *   2. raw_idb_ms: the docs the register receives (stores, products, this store's assortment,
 *      stock; pulled from HQ's pull endpoints with a second register token of the same store),
 *      written with plain IndexedDB in the same browser, on another origin (localhost instead of
 *      127.0.0.1, so its folder is separate from the register's): one object store per
 *      collection, keyPath 'id', chunks of 1,000 docs (the register's pull batch), one readwrite
 *      transaction with durability 'strict' per chunk, one chunk after the other. Timed: from
 *      handing the first chunk to the page until the last chunk's transaction completed, i.e.
 *      the transfer into the page (page.evaluate with the chunk as JSON text), JSON.parse, the
 *      puts and the commits. Fetching from HQ is not timed.
 *   3. cold start (--cold-starts times, median): the register's page is closed and a new one on
 *      the same profile opens HQ's address; timed from navigation to ready to scan, with the
 *      sign-in scripted (the shift stays open across restarts); whether it loaded the catalog
 *      image (its `kassa:catalog-image-loaded` mark) is counted. After each,
 *      one barcode is scanned at once, and the moment its lookup ended (from the page's own
 *      navigation start) is reported, as a cashier would feel it.
 *   4. Lookups, measured inside the page: the sale screen records User Timing measures around
 *      the replica lookup (renderer/screens/Sell.tsx: `kassa:barcode` around findByCode when a
 *      code + Enter is entered, `kassa:search` around each type-ahead searchProducts call, detail
 *      `{ query, hits }`). The bench types --scans random catalog barcodes + Enter into the
 *      search field (the cart is emptied every 20 scans), then --queries name queries in this
 *      store's scope (1–2 words of a real product name, each cut to a prefix, typed one key at a
 *      time, every keystroke's search counted; each key waits for its search, so the 60 ms
 *      type-ahead pause never swallows one), then --catalog-queries in "All products".
 *   5. heap_mb: the register page's JS heap in use after a forced GC (CDP), after cold start and
 *      the lookups. disk_mb: the register origin's IndexedDB folder in the profile.
 *
 * Where the time goes: CPU seconds per phase by process and thread (/proc): the renderer's main
 * thread (JS, DOM), its IO thread (IPC) and helpers (GC), the browser process's thread pool (where
 * Chromium runs IndexedDB/LevelDB), its IO thread, HQ, the PostgreSQL backends of the bench
 * database, the bench itself, and the rest of the machine (other people's work on a shared machine
 * shows there). The register build measured (dist/renderer's script and its time) is printed, and
 * a rebuild during the run is reported.
 *
 * Prints human-readable lines per size and, for each size, a labelled JSON line; the last line
 * is the JSON of the largest size. A failure of one size (sync not finished in --sync-minutes,
 * renderer crash, …) is reported with what was seen, its JSON has nulls, and the next size runs.
 * Exits 1 when any figure could not be measured. Progress goes to stderr.
 *
 * Options: --products 100000,1000000 --scans 300 --queries 300 --catalog-queries 100
 *          --cold-starts 3 --sync-minutes 30
 *          --cpu-prof (CPU profile of the register page during the first sync and the first cold
 *          start, written to a folder that is printed and summarised: self time by package or
 *          project file, mapped back through dist/renderer's source map, and the top functions)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { type BrowserContext, type CDPSession, type Locator, type Page, chromium } from 'playwright-core';
import { prng } from '../../resources/demo/generate.ts';
import { PULL_COLLECTIONS, type PullCollection } from '../../sync/protocol/docs.ts';
import { MAX_PULL_LIMIT, type EnrolResponse, type PullResponse } from '../../sync/protocol/wire.ts';
import { PG_ADMIN_URL } from '../support/backends.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, approveAsManager, inEnglish, readyToSell } from '../support/browser.ts';
import { type HqProcess, createHqProcess } from '../support/hq-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const STORE = '1001';
/** The register the UI enrols, and a second register of the same store whose token pulls the raw docs. */
const REGISTER = '01';
const RAW_REGISTER = '02';
const CHUNK = 1000; // the register's pull batch (sync/client/replication.ts)
const RAW_DB = 'kassa-raw-idb';
const CART_CLEAR_EVERY = 20;

// ---- options ----------------------------------------------------------------------------

interface Options {
  products: number[];
  scans: number;
  queries: number;
  catalogQueries: number;
  coldStarts: number;
  syncMinutes: number;
  cpuProf: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { products: [100_000, 1_000_000], scans: 300, queries: 300, catalogQueries: 100, coldStarts: 3, syncMinutes: 30, cpuProf: false };
  const limits: Record<string, [number, number]> = {
    products: [1, 2_000_000],
    scans: [1, 10_000],
    queries: [0, 10_000],
    'catalog-queries': [0, 10_000],
    'cold-starts': [1, 20],
    'sync-minutes': [1, 24 * 60],
  };
  const number = (key: string, text: string | undefined): number => {
    const n = Number(String(text).replace(/_/g, ''));
    const [min, max] = limits[key] ?? [0, 0];
    if (!Number.isSafeInteger(n) || n < min || n > max) usage(`--${key} must be a whole number from ${min} to ${max}, got ${text}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--cpu-prof') {
      opts.cpuProf = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const key = m?.[1];
    if (!m || !key || !(key in limits)) usage(`unknown argument ${arg}`);
    const text = m[2] ?? argv[++i];
    if (key === 'products') {
      const sizes = String(text).split(',').map((s) => number(key, s.trim()));
      opts.products = [...new Set(sizes)].sort((a, b) => a - b);
    } else if (key === 'scans') opts.scans = number(key, text);
    else if (key === 'queries') opts.queries = number(key, text);
    else if (key === 'catalog-queries') opts.catalogQueries = number(key, text);
    else if (key === 'cold-starts') opts.coldStarts = number(key, text);
    else opts.syncMinutes = number(key, text);
  }
  return opts;
}

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: tsx tests/bench/catalog.ts [--products 100000,1000000] [--scans 300] [--queries 300] [--catalog-queries 100] [--cold-starts 3] [--sync-minutes 30] [--cpu-prof]`,
  );
  process.exit(2);
}

const log = (msg: string): void => {
  process.stderr.write(`[bench:catalog ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

// ---- small helpers ----------------------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

interface Stats {
  n: number;
  median: number;
  p95: number;
  max: number;
}

function stats(values: readonly number[]): Stats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted[sorted.length - 1] ?? 0 };
}

const round = (n: number, digits = 1): number => Number(n.toFixed(digits));
const fmt = (n: number): string => Math.round(n).toLocaleString('en');
const ms = (n: number): string => (n >= 100 ? `${fmt(n)} ms` : `${n.toFixed(1)} ms`);
const mb = (bytes: number): number => bytes / 1024 / 1024;
const errorText = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e));
/** An error's first line and where it came from, without Playwright's browser log. */
const failureText = (e: unknown): string =>
  e instanceof Error ? [errorText(e), ...(e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 3)].join('\n') : String(e);

/** Set when the bench is stopped by a signal: what fails after it is the cleanup's doing. */
let interruptedBy: string | null = null;

/** The promise's value, or null when it takes longer than `timeoutMs` (it is left to settle). */
async function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((r) => {
    timer = setTimeout(() => r(null), timeoutMs);
  });
  try {
    return await Promise.race([promise.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Bytes of every file under `dir` (0 when it does not exist). */
function folderBytes(dir: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const path = join(dir, name);
    try {
      const s = statSync(path);
      total += s.isDirectory() ? folderBytes(path) : s.size;
    } catch {
      // Removed meanwhile (LevelDB compaction): not there any more.
    }
  }
  return total;
}

/** IndexedDB folders of an origin in a Chromium profile, e.g. Default/IndexedDB/http_127.0.0.1_7400.indexeddb.leveldb. */
function originIdbBytes(profileDir: string, origin: string): { bytes: number; folders: string[] } {
  const prefix = origin.replace('://', '_').replace(/:(\d+)$/, '_$1');
  const base = join(profileDir, 'Default', 'IndexedDB');
  let names: string[] = [];
  try {
    names = readdirSync(base).filter((n) => n.startsWith(`${prefix}.`));
  } catch {
    names = [];
  }
  return { bytes: names.reduce((sum, n) => sum + folderBytes(join(base, n)), 0), folders: names.map((n) => join(base, n)) };
}

/** Which register build HQ serves: the script dist/renderer/index.html loads, and when it was built. */
function rendererBuild(): string {
  const dir = join(ROOT, 'dist/renderer');
  try {
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(readFileSync(join(dir, 'index.html'), 'utf8'))?.[1];
    if (!script) return 'dist/renderer/index.html loads no script';
    return `dist/renderer/${script} built ${statSync(join(dir, script)).mtime.toISOString().slice(0, 19)}Z`;
  } catch {
    return 'dist/renderer is not built (npm run build:renderer)';
  }
}

// ---- processes: memory and CPU (/proc) ----------------------------------------------

const CLK_TCK = 100;

interface ProcInfo {
  pid: number;
  ppid: number;
  cmdline: string;
  /** CPU seconds used so far (user + system). */
  cpu: number;
}

function processes(): ProcInfo[] {
  const list: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      list.push({ pid: Number(name), ppid: Number(fields[1]), cmdline, cpu: (Number(fields[11]) + Number(fields[12])) / CLK_TCK });
    } catch {
      // Gone meanwhile.
    }
  }
  return list;
}

function rssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The Chromium running on `profileDir`: its browser process and every process below it. */
function chromiumTree(profileDir: string, all: readonly ProcInfo[]): ProcInfo[] {
  const root = all.find((p) => p.cmdline.includes(`--user-data-dir=${profileDir}`) && !p.cmdline.includes('--type='));
  if (!root) return [];
  const children = new Map<number, ProcInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const tree: ProcInfo[] = [];
  const walk = (p: ProcInfo): void => {
    tree.push(p);
    for (const c of children.get(p.pid) ?? []) walk(c);
  };
  walk(root);
  return tree;
}

/** RSS of the Chromium running on `profileDir`: the largest renderer, and all its processes together. */
function chromiumRss(profileDir: string): { rendererMb: number; totalMb: number } {
  let rendererMb = 0;
  let totalMb = 0;
  for (const p of chromiumTree(profileDir, processes())) {
    const rss = rssMb(p.pid);
    totalMb += rss;
    if (p.cmdline.includes('--type=renderer')) rendererMb = Math.max(rendererMb, rss);
  }
  return { rendererMb, totalMb };
}

/** Busy and total CPU seconds of the whole machine. */
function machineCpu(): { busy: number; total: number } {
  const v = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - (v[3] ?? 0) - (v[4] ?? 0)) / CLK_TCK, total: total / CLK_TCK };
}

/**
 * The parts CPU time is accounted to, by process and thread. Chromium runs IndexedDB (LevelDB) in
 * the browser process's thread pool; the IO threads carry the IPC between renderer and browser.
 */
const PARTS = [
  'renderer main thread (JS, DOM)',
  'renderer IO thread (IPC)',
  'renderer other threads (GC, compiling)',
  'browser thread pool (IndexedDB)',
  'browser IO thread (IPC)',
  'browser main thread',
  'other Chromium processes',
  'HQ',
  'PostgreSQL',
  'bench',
] as const;
type Part = (typeof PARTS)[number];

/** CPU seconds of each thread of a process, with its name. */
function threadsOf(pid: number): { tid: number; comm: string; cpu: number }[] {
  const list: { tid: number; comm: string; cpu: number }[] = [];
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return list;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      list.push({ tid: Number(tid), comm, cpu: (Number(fields[11]) + Number(fields[12])) / CLK_TCK });
    } catch {
      // Thread gone meanwhile.
    }
  }
  return list;
}

function chromiumPart(p: ProcInfo, thread: { tid: number; comm: string }): Part {
  const renderer = p.cmdline.includes('--type=renderer');
  const browser = !p.cmdline.includes('--type=');
  if (!renderer && !browser) return 'other Chromium processes';
  const io = /IOT|IOThread/.test(thread.comm);
  if (renderer) return thread.tid === p.pid ? 'renderer main thread (JS, DOM)' : io ? 'renderer IO thread (IPC)' : 'renderer other threads (GC, compiling)';
  if (thread.tid === p.pid) return 'browser main thread';
  return io ? 'browser IO thread (IPC)' : thread.comm.startsWith('ThreadPool') ? 'browser thread pool (IndexedDB)' : 'browser main thread';
}

interface CpuSnapshot {
  at: number;
  /** By process id, or by thread id for Chromium. */
  perPid: Map<number, { part: Part; cpu: number }>;
  machine: { busy: number; total: number };
}

/** CPU seconds a process has used, or null when it is gone. */
function procCpu(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/**
 * The PostgreSQL backends serving one database, polled (HQ's pool closes idle connections, so a
 * backend may live and die within a phase): the CPU each was last seen with, dead ones included.
 */
class PgBackends {
  readonly lastCpu = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly monitor: pg.Client,
    private readonly dbName: string,
  ) {
    this.timer = setInterval(() => void this.poll(), 500);
  }

  /** Polls now (after any poll under way). */
  poll(): Promise<void> {
    this.polling = this.polling.then(async () => {
      const { rows } = await this.monitor
        .query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.dbName])
        .catch(() => ({ rows: [] as { pid: number }[] }));
      for (const { pid } of rows) {
        const cpu = procCpu(pid);
        if (cpu !== null) this.lastCpu.set(pid, cpu);
      }
    });
    return this.polling;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }
}

/** What runs for one size, for CPU accounting. */
interface Watched {
  profileDir: string;
  hqPort: number;
  pg: PgBackends;
}

async function cpuSnapshot(w: Watched): Promise<CpuSnapshot> {
  const all = processes();
  const perPid = new Map<number, { part: Part; cpu: number }>();
  // Chromium per thread (ids of threads and processes never collide on Linux).
  for (const p of chromiumTree(w.profileDir, all)) {
    for (const t of threadsOf(p.pid)) perPid.set(t.tid, { part: chromiumPart(p, t), cpu: t.cpu });
  }
  for (const p of all) {
    if (!p.cmdline.includes('sync/hq/cli.ts serve')) continue;
    let environ = '';
    try {
      environ = readFileSync(`/proc/${p.pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (environ.split('\0').includes(`PORT=${w.hqPort}`)) perPid.set(p.pid, { part: 'HQ', cpu: p.cpu });
  }
  await w.pg.poll();
  for (const [pid, cpu] of w.pg.lastCpu) perPid.set(pid, { part: 'PostgreSQL', cpu });
  const own = process.cpuUsage();
  perPid.set(process.pid, { part: 'bench', cpu: (own.user + own.system) / 1e6 });
  return { at: performance.now(), perPid, machine: machineCpu() };
}

/** CPU seconds per part between two snapshots (a process or thread born in between counts whole), and how busy the machine was. */
function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): string {
  const sums = new Map<Part, number>();
  for (const [pid, { part, cpu }] of b.perPid) sums.set(part, (sums.get(part) ?? 0) + cpu - (a.perPid.get(pid)?.cpu ?? 0));
  const seconds = (b.at - a.at) / 1000;
  const busy = b.machine.busy - a.machine.busy;
  const cores = (b.machine.total - a.machine.total) / Math.max(seconds, 1e-9);
  const known = [...sums.values()].reduce((x, y) => x + y, 0);
  const parts = PARTS.filter((p) => (sums.get(p) ?? 0) >= 0.05).map((p) => `${p} ${(sums.get(p) ?? 0).toFixed(1)} s`);
  return `${parts.join(', ')}, rest of machine ${Math.max(0, busy - known).toFixed(1)} s; over ${seconds.toFixed(0)} s the machine was ${((busy / Math.max(b.machine.total - a.machine.total, 1e-9)) * 100).toFixed(0)} % busy of ${cores.toFixed(1)} cores`;
}

// ---- CPU profiles of the page -----------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

async function startProfile(cdp: CDPSession, intervalUs: number): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await cdp.send('Profiler.start');
}

/** Stops the profiler, writes the profile to `file`, and returns the top functions by self time. */
async function stopProfile(cdp: CDPSession, file: string): Promise<string> {
  const { profile } = await cdp.send('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  return summariseProfile(profile, file);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A source map's mappings (version 3, base64 VLQ): generated line and column → original source and line. */
class SourceMap {
  /** Per generated line: segments as [column, source, line] triples. */
  private readonly lines: number[][] = [];

  constructor(private readonly sources: readonly string[], mappings: string) {
    let line: number[] = [];
    let column = 0;
    let source = 0;
    let sourceLine = 0;
    const values: number[] = [];
    let value = 0;
    let shift = 0;
    const endSegment = (): void => {
      if (values.length >= 4) {
        column += values[0] ?? 0;
        source += values[1] ?? 0;
        sourceLine += values[2] ?? 0;
        line.push(column, source, sourceLine);
      } else if (values.length >= 1) column += values[0] ?? 0;
      values.length = 0;
    };
    for (const ch of mappings) {
      if (ch === ',' || ch === ';') {
        endSegment();
        if (ch === ';') {
          this.lines.push(line);
          line = [];
          column = 0;
        }
        continue;
      }
      const digit = BASE64.indexOf(ch);
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        values.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    endSegment();
    this.lines.push(line);
  }

  /** The original source and 1-based line of a 0-based generated position, or null. */
  lookup(lineNumber: number, columnNumber: number): { source: string; line: number } | null {
    const segs = this.lines[lineNumber];
    if (!segs || segs.length === 0) return null;
    let lo = 0;
    let hi = segs.length / 3 - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((segs[mid * 3] ?? 0) <= columnNumber) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return null;
    const source = this.sources[segs[found * 3 + 1] ?? -1];
    return source === undefined ? null : { source: source.replace(/^(\.\.\/)+/, ''), line: (segs[found * 3 + 2] ?? 0) + 1 };
  }
}

/** The source map of a script HQ served from dist/renderer, when it is still there. */
function sourceMapFor(url: string, cache: Map<string, SourceMap | null>): SourceMap | null {
  const path = /^https?:\/\/[^/]+\/(assets\/[^?#]+\.js)/.exec(url)?.[1];
  if (!path) return null;
  if (!cache.has(path)) {
    let map: SourceMap | null = null;
    try {
      const json: unknown = JSON.parse(readFileSync(join(ROOT, 'dist/renderer', `${path}.map`), 'utf8'));
      if (typeof json === 'object' && json !== null && 'sources' in json && 'mappings' in json && Array.isArray(json.sources) && typeof json.mappings === 'string') {
        map = new SourceMap(json.sources.map(String), json.mappings);
      }
    } catch {
      map = null;
    }
    cache.set(path, map);
  }
  return cache.get(path) ?? null;
}

/**
 * Where the page's CPU time went: self time by package or project file (positions mapped back
 * through the bundle's source map), and the functions with the most self time.
 */
function summariseProfile(profile: CpuProfile, file: string): string {
  const maps = new Map<string, SourceMap | null>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const where = new Map<number, { area: string; fn: string }>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const mapped = f.url ? sourceMapFor(f.url, maps)?.lookup(f.lineNumber, f.columnNumber) : null;
    const name = f.functionName || '(anonymous)';
    if (mapped) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(mapped.source)?.[1];
      where.set(n.id, { area: pkg ?? mapped.source, fn: `${name} ${mapped.source}:${mapped.line}` });
    } else if (f.url) {
      where.set(n.id, { area: f.url.replace(/^https?:\/\/[^/]+\//, ''), fn: `${name} ${f.url.replace(/^https?:\/\/[^/]+\//, '')}:${f.lineNumber + 1}` });
    } else {
      where.set(n.id, { area: name.startsWith('(') ? name : '(native)', fn: name });
    }
  }
  const byArea = new Map<string, number>();
  const byFn = new Map<string, number>();
  const samples = profile.samples ?? [];
  let total = 0;
  samples.forEach((id, i) => {
    const node = byId.get(id);
    const w = where.get(id);
    if (!node || !w || node.callFrame.functionName === '(idle)') return;
    const dt = (profile.timeDeltas?.[i] ?? 0) / 1000;
    total += dt;
    byArea.set(w.area, (byArea.get(w.area) ?? 0) + dt);
    byFn.set(w.fn, (byFn.get(w.fn) ?? 0) + dt);
  });
  const top = (m: Map<string, number>, n: number): string[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `      ${fmt(v).padStart(8)} ms  ${((v / Math.max(total, 1e-9)) * 100).toFixed(1).padStart(5)} %  ${k}`);
  return [
    `    CPU profile ${file}: ${fmt(total)} ms of the page's main thread busy (idle left out)`,
    '    self time by package or file:',
    ...top(byArea, 14),
    '    functions with the most self time:',
    ...top(byFn, 20),
  ].join('\n');
}

// ---- HQ and its database ----------------------------------------------------------------

/** A fresh database `kassa_bench_<random>` on the local PostgreSQL, and how to drop it. */
async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kassa_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (text: string): Promise<void> => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function hqJson<T>(hq: HqProcess, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${hq.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path} → ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

interface CatalogSample {
  barcode: string;
  name: string;
}

interface RawDocs {
  /** Per collection, the docs as JSON array text in chunks of CHUNK. */
  chunks: Map<PullCollection, string[]>;
  counts: Map<PullCollection, number>;
  /** A random sample of products with a barcode (reservoir sampling). */
  sample: CatalogSample[];
}

/** Everything a register of STORE receives, pulled from HQ with checkpoint paging as the register pulls. */
async function pullAll(hq: HqProcess, token: string, sampleSize: number, rnd: () => number): Promise<RawDocs> {
  const chunks = new Map<PullCollection, string[]>();
  const counts = new Map<PullCollection, number>();
  const sample: CatalogSample[] = [];
  let seen = 0;
  for (const name of PULL_COLLECTIONS) {
    const texts: string[] = [];
    let count = 0;
    let checkpoint: PullResponse['checkpoint'] = null;
    for (;;) {
      const q = new URLSearchParams({ limit: String(MAX_PULL_LIMIT) });
      if (checkpoint) {
        q.set('xid', checkpoint.xid);
        q.set('id', checkpoint.id);
      }
      const page: PullResponse = await hqJson<PullResponse>(hq, `/api/replication/${name}/pull?${q}`, token);
      if (page.documents.length === 0 || !page.checkpoint) break;
      for (let i = 0; i < page.documents.length; i += CHUNK) texts.push(JSON.stringify(page.documents.slice(i, i + CHUNK)));
      count += page.documents.length;
      if (name === 'products') {
        for (const d of page.documents) {
          if (!('barcode' in d) || typeof d.barcode !== 'string' || !('name' in d) || typeof d.name !== 'string') continue;
          seen++;
          if (sample.length < sampleSize) sample.push({ barcode: d.barcode, name: d.name });
          else {
            const j = Math.floor(rnd() * seen);
            if (j < sampleSize) sample[j] = { barcode: d.barcode, name: d.name };
          }
        }
      }
      checkpoint = page.checkpoint;
    }
    chunks.set(name, texts);
    counts.set(name, count);
  }
  return { chunks, counts, sample };
}

// ---- the register's page ----------------------------------------------------------------

const searchField = (page: Page): Locator => page.getByLabel('Search products');

/**
 * Waits until the sale screen is ready to scan: the search field visible and enabled. On the way
 * the register asks a cashier to sign in (and, the first time, to open a shift): that is scripted
 * here, so the time includes the register's share of it (the PIN check) but no typing.
 */
async function waitReady(page: Page, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const search = await readyToSell(page, { timeoutMs });
  while (!(await search.isEnabled())) {
    if (Date.now() > deadline) throw new Error(`the search field stayed disabled for ${timeoutMs} ms`);
    await page.waitForTimeout(20);
  }
}

/** The first-sync screen's progress (products received / total), or null when it is not shown or the page does not answer. */
async function syncProgress(page: Page): Promise<{ received: number; total: number | null } | null> {
  return within(
    page.evaluate(() => {
      const bar = document.querySelector('progress');
      if (!bar) return null;
      const max = bar.getAttribute('aria-valuemax');
      return { received: Number(bar.getAttribute('aria-valuenow') ?? 0), total: max === null ? null : Number(max) };
    }),
    5000,
  );
}

async function heapUsedMb(cdp: CDPSession): Promise<number | null> {
  const usage = await within(cdp.send('Runtime.getHeapUsage'), 10_000);
  return usage ? mb(usage.usedSize) : null;
}

interface Measured {
  startTime: number;
  duration: number;
  hits: number;
}

/**
 * Waits for the page's next User Timing measure `name` (started after `after`, in page time) whose
 * detail says it looked up `query`, and returns it.
 */
async function nextMeasure(page: Page, name: 'kassa:barcode' | 'kassa:search', query: string, after: number, timeoutMs: number): Promise<Measured> {
  const handle = await page.waitForFunction(
    ({ name, query, after }) => {
      const entries = performance.getEntriesByName(name, 'measure');
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i];
        if (!(e instanceof PerformanceMeasure) || e.startTime <= after) continue;
        const detail: unknown = e.detail;
        if (typeof detail !== 'object' || detail === null || !('query' in detail) || detail.query !== query) continue;
        const hits = 'hits' in detail && typeof detail.hits === 'number' ? detail.hits : -1;
        return { startTime: e.startTime, duration: e.duration, hits };
      }
      return null;
    },
    { name, query, after },
    { polling: 5, timeout: timeoutMs },
  );
  const value: Measured | null = await handle.jsonValue();
  await handle.dispose();
  if (!value) throw new Error(`no ${name} measure for ${query}`);
  return value;
}

/**
 * Removes every cart line (the ✕ buttons) and puts the focus back in the search field. Removing a
 * scanned line is a void: the demo manager approves each (outside the measured lookups).
 */
async function clearCart(page: Page): Promise<void> {
  const removes = page.getByRole('button', { name: /^Remove / });
  while ((await removes.count()) > 0) {
    const name = ((await removes.first().getAttribute('aria-label')) ?? '').replace(/^Remove /, '');
    await removes.first().click();
    await approveAsManager(page, `Void: ${name}`, 'benchmark');
  }
  await searchField(page).focus();
}

/** A cashier's query: 1–2 words of a product name, each cut to a prefix of at least 1 character. */
function makeQuery(name: string, rnd: () => number): string {
  const words = name.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'a';
  const cut = (w: string): string => w.slice(0, 1 + Math.floor(rnd() * w.length));
  const first = Math.floor(rnd() * words.length);
  const picked = [words[first] ?? ''];
  if (rnd() < 0.5 && words.length > 1) picked.push(words[(first + 1 + Math.floor(rnd() * (words.length - 1))) % words.length] ?? '');
  return picked.map(cut).join(' ');
}

/** Groups of keystrokes by the shortest word typed so far: its prefix set is the largest one the index walks. */
const PREFIX_GROUPS = ['1 character', '2 characters', '3 characters', '4 or more'] as const;

interface Typed {
  durations: number[];
  /** Durations per PREFIX_GROUPS entry. */
  byShortestWord: number[][];
  noHits: number;
}

/** Types each query one key at a time and collects every keystroke's search duration. */
async function typeQueries(page: Page, queries: readonly string[], timeoutMs: number): Promise<Typed> {
  const search = searchField(page);
  const durations: number[] = [];
  const byShortestWord: number[][] = PREFIX_GROUPS.map(() => []);
  let noHits = 0;
  let after = await page.evaluate(() => performance.now());
  for (const [qi, query] of queries.entries()) {
    await search.fill('');
    await search.focus();
    let typed = '';
    for (const ch of query) {
      typed += ch;
      await page.keyboard.type(ch);
      const m = await nextMeasure(page, 'kassa:search', typed, after, timeoutMs);
      after = m.startTime;
      durations.push(m.duration);
      const shortest = Math.min(...typed.split(' ').filter(Boolean).map((w) => w.length));
      byShortestWord[Math.min(shortest, PREFIX_GROUPS.length) - 1]?.push(m.duration);
      if (m.hits === 0) noHits++;
    }
    if ((qi + 1) % 50 === 0) log(`  ${qi + 1}/${queries.length} queries, ${durations.length} keystrokes`);
  }
  await search.fill('');
  return { durations, byShortestWord, noHits };
}

// ---- one size ---------------------------------------------------------------------------

interface SizeResult {
  products: number;
  /** The register build measured (rendererBuild()). */
  build: string;
  seedLine: string | null;
  docs: Map<PullCollection, number> | null;
  syncMs: number | null;
  syncSamples: string[];
  rawIdbMs: number | null;
  barcode: Stats | null;
  barcodeMisses: number;
  scanRoundTrip: Stats | null;
  search: Stats | null;
  searchNoHits: number;
  searchQueries: number;
  firstSearch: (Measured & { query: string }) | null;
  catalogSearch: Stats | null;
  /** Per PREFIX_GROUPS entry. */
  searchByPrefix: (Stats | null)[];
  catalogSearchByPrefix: (Stats | null)[];
  coldStarts: number[];
  /** How many cold starts loaded the catalog image (the rest read the replica row by row). */
  coldFromImage: number;
  /** From ready to scan after the first sync until the worker had stored the catalog image, and the worker's own times. */
  imageWaitMs: number | null;
  imageBuild: { products: number; stock: number; readMs: number; buildMs: number; writeMs: number } | null;
  firstScanAtMs: number[];
  heapMb: number | null;
  heapBeforeGcMb: number | null;
  rendererRssMb: number | null;
  diskMb: number | null;
  estimateMb: number | null;
  rawDiskMb: number | null;
  /** CPU seconds per part of the system during each phase. */
  cpu: [string, string][];
  profiles: string[];
  notes: string[];
}

/** Cleanup of the size that is running, also on Ctrl+C. */
const cleanups: (() => Promise<void>)[] = [];

let cleaning: Promise<void> | null = null;

/** Runs the cleanups, newest first; a second caller waits for the same run (a signal during a size's own cleanup). */
function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      await fn?.().catch((e: unknown) => log(`cleanup: ${errorText(e)}`));
    }
  })().finally(() => {
    cleaning = null;
  });
  return cleaning;
}

async function runSize(n: number, opts: Options): Promise<SizeResult> {
  const r: SizeResult = {
    products: n,
    build: rendererBuild(),
    seedLine: null,
    docs: null,
    syncMs: null,
    syncSamples: [],
    rawIdbMs: null,
    barcode: null,
    barcodeMisses: 0,
    scanRoundTrip: null,
    search: null,
    searchNoHits: 0,
    searchQueries: 0,
    firstSearch: null,
    catalogSearch: null,
    searchByPrefix: [],
    catalogSearchByPrefix: [],
    coldStarts: [],
    coldFromImage: 0,
    imageWaitMs: null,
    imageBuild: null,
    firstScanAtMs: [],
    heapMb: null,
    heapBeforeGcMb: null,
    rendererRssMb: null,
    diskMb: null,
    estimateMb: null,
    rawDiskMb: null,
    cpu: [],
    profiles: [],
    notes: [],
  };
  const rnd = prng(20_261_125 + n);
  try {
    // ---- HQ on a fresh PostgreSQL database, seeding the demo chain -----------------------
    const db = await createBenchDatabase();
    cleanups.push(() => db.drop());
    log(`${fmt(n)} products: database ${new URL(db.url).pathname.slice(1)}; HQ seeds the demo chain`);
    const hq = await createHqProcess({ demoProducts: n, env: { DATABASE_URL: db.url } });
    cleanups.push(() => hq.dispose());
    const hqStarted = performance.now();
    await hq.start();
    r.seedLine = /Seeded the demo chain[^\n]*/.exec(hq.output())?.[0] ?? null;
    const monitor = new pg.Client({ connectionString: PG_ADMIN_URL });
    await monitor.connect();
    cleanups.push(() => monitor.end());
    const backends = new PgBackends(monitor, new URL(db.url).pathname.slice(1));
    cleanups.push(() => backends.stop());
    log(`HQ ready in ${((performance.now() - hqStarted) / 1000).toFixed(1)} s: ${r.seedLine ?? 'no seeding line in its output'}`);

    // ---- Chromium on a profile folder of its own -----------------------------------------
    const profileDir = mkdtempSync(join(tmpdir(), 'kassa-bench-profile-'));
    cleanups.push(async () => rmSync(profileDir, { recursive: true, force: true }));
    const context: BrowserContext = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    cleanups.push(() => context.close());
    const watched: Watched = {
      profileDir,
      hqPort: hq.port,
      pg: backends,
    };
    const profDir = opts.cpuProf ? mkdtempSync(join(tmpdir(), `kassa-bench-cpuprof-${n}-`)) : null;
    let page = context.pages()[0] ?? (await context.newPage());
    await inEnglish(page);
    // Set from callbacks (a crash, the progress sampler), hence an object TypeScript does not narrow.
    const seen: { crashed: boolean; progress: { received: number; total: number | null } | null } = { crashed: false, progress: null };
    const watchCrash = (p: Page): void => {
      p.on('crash', () => {
        seen.crashed = true;
        log(`the register's renderer crashed (RSS before: ${fmt(chromiumRss(profileDir).rendererMb)} MB)`);
      });
    };
    watchCrash(page);

    // ---- 1. first sync, from "Enrol register" to ready to scan ---------------------------
    await page.goto(hq.url);
    await page.getByLabel('Store', { exact: true }).selectOption(STORE);
    await page.getByLabel('Register', { exact: true }).selectOption(REGISTER);
    await page.getByLabel('Enrolment token').fill(hq.adminToken);
    let cdp = await context.newCDPSession(page);
    if (profDir) await startProfile(cdp, 2000);
    const syncTimeoutMs = opts.syncMinutes * 60_000;
    const syncCpu = await cpuSnapshot(watched);
    const syncStart = performance.now();
    let lastReceived = 0;
    let sampling = false;
    // HQ must stay up: a sync waiting for an HQ that is gone would only time out.
    let hqDownSince: number | null = null;
    let hqGone: (reason: Error) => void = () => undefined;
    const hqLost = new Promise<never>((_, reject) => {
      hqGone = reject;
    });
    hqLost.catch(() => undefined);
    const sampler = setInterval(() => {
      if (sampling) return;
      sampling = true;
      void (async () => {
        const healthy = await within(fetch(`${hq.url}/api/health`).then((res) => res.ok), 5000);
        hqDownSince = healthy ? null : (hqDownSince ?? performance.now());
        if (hqDownSince !== null && performance.now() - hqDownSince > 30_000) {
          hqGone(new Error(`HQ stopped answering ${((hqDownSince - syncStart) / 1000).toFixed(0)} s into the sync; its output ends:\n${hq.output().trim().slice(-1500)}`));
        }
        const progress = await syncProgress(page);
        const heap = await heapUsedMb(cdp);
        const rss = chromiumRss(profileDir);
        const now = performance.now();
        if (progress) seen.progress = progress;
        const received = progress?.received ?? lastReceived;
        // The count behind the progress bar moves in jumps while the page is busy: the average says more.
        const rate = (received / (now - syncStart)) * 1000;
        const line =
          `${((now - syncStart) / 1000).toFixed(0).padStart(5)} s: ${progress ? `${fmt(received)} / ${progress.total === null ? '…' : fmt(progress.total)} products` : 'no progress bar (page busy or sync done)'}` +
          `, ${fmt(rate)} products/s on average, JS heap ${heap === null ? 'n/a (page busy)' : `${fmt(heap)} MB`}, renderer RSS ${fmt(rss.rendererMb)} MB, Chromium ${fmt(rss.totalMb)} MB`;
        r.syncSamples.push(line);
        log(`  sync ${line}`);
        lastReceived = received;
      })().finally(() => {
        sampling = false;
      });
    }, 10_000);
    try {
      await page.getByRole('button', { name: 'Enrol register' }).click();
      await Promise.race([waitReady(page, syncTimeoutMs), hqLost]);
      r.syncMs = performance.now() - syncStart;
      log(`first sync: ready to scan after ${(r.syncMs / 1000).toFixed(1)} s`);
    } catch (e) {
      if (interruptedBy) throw e;
      const progress = seen.crashed ? seen.progress : ((await syncProgress(page)) ?? seen.progress);
      const received = progress ? `${fmt(progress.received)} of ${progress.total === null ? '?' : fmt(progress.total)} products received` : 'progress unknown';
      const why = seen.crashed
        ? `the renderer crashed after ${((performance.now() - syncStart) / 60_000).toFixed(1)} min`
        : hqDownSince !== null
          ? e instanceof Error ? e.message : String(e)
          : `sync did not finish in ${opts.syncMinutes} min (${errorText(e)})`;
      r.notes.push(`${why}; ${received}`);
      log(r.notes[r.notes.length - 1] ?? '');
    } finally {
      clearInterval(sampler);
      r.cpu.push(['first sync', cpuBetween(syncCpu, await cpuSnapshot(watched))]);
    }
    if (profDir && !seen.crashed) {
      const summary = await within(stopProfile(cdp, join(profDir, 'first-sync.cpuprofile')), 120_000);
      if (summary) r.profiles.push(`  first sync:\n${summary}`);
    }

    // ---- 1b. the catalog image: a worker builds it after the first sync (not part of the
    // first sync's figure). Waited for here, so that it competes with nothing timed below and
    // the cold starts can load it.
    if (r.syncMs !== null && !seen.crashed) {
      const imageStart = performance.now();
      try {
        const handle = await page.waitForFunction(
          () => {
            const mark = performance.getEntriesByName('kassa:catalog-image')[0] as PerformanceMark | undefined;
            return mark ? JSON.stringify(mark.detail) : null;
          },
          undefined,
          { timeout: syncTimeoutMs, polling: 500 },
        );
        r.imageWaitMs = performance.now() - imageStart;
        r.imageBuild = JSON.parse((await handle.jsonValue()) ?? 'null') as SizeResult['imageBuild'];
        log(`catalog image stored ${fmt(r.imageWaitMs)} ms after ready to scan: ${JSON.stringify(r.imageBuild)}`);
      } catch (e) {
        if (interruptedBy) throw e;
        r.notes.push(`no catalog image after the first sync: ${errorText(e)}`);
        log(r.notes[r.notes.length - 1] ?? '');
      }
    }

    // ---- 2. the same docs written with raw IndexedDB, on another origin -----------------
    // Also where the scans and queries come from: a random sample of the catalog's products.
    let sample: CatalogSample[] = [];
    try {
      const enrolled = await hqJson<EnrolResponse>(hq, '/api/registers', hq.adminToken, { storeId: STORE, registerId: RAW_REGISTER });
      const fetchStart = performance.now();
      const raw = await pullAll(hq, enrolled.registerToken, Math.max(opts.scans, opts.queries + opts.catalogQueries) * 2, rnd);
      r.docs = raw.counts;
      sample = raw.sample;
      const total = [...raw.counts.values()].reduce((a, b) => a + b, 0);
      log(`pulled ${fmt(total)} docs from HQ for the raw IndexedDB baseline in ${((performance.now() - fetchStart) / 1000).toFixed(1)} s (not timed)`);
      const rawPage = await context.newPage();
      const rawOrigin = `http://localhost:${hq.port}`;
      // Any document of the origin will do: HQ's health answer.
      await rawPage.goto(`${rawOrigin}/api/health`);
      await rawPage.evaluate(
        async ({ name, stores }) => {
          const db = await new Promise<IDBDatabase>((resolveOpen, reject) => {
            const req = indexedDB.open(name, 1);
            req.onupgradeneeded = () => {
              for (const s of stores) req.result.createObjectStore(s, { keyPath: 'id' });
            };
            req.onsuccess = () => resolveOpen(req.result);
            req.onerror = () => reject(req.error);
          });
          Object.assign(globalThis, { kassaRawDb: db });
        },
        { name: RAW_DB, stores: [...PULL_COLLECTIONS] },
      );
      // Timed: handing each chunk to the page (as JSON text), parsing it there, one readwrite
      // transaction with strict durability per chunk, until that transaction completed; chunk
      // after chunk. Not timed: pulling from HQ (above), opening the database.
      const rawCpu = await cpuSnapshot(watched);
      const rawStart = performance.now();
      for (const [store, texts] of raw.chunks) {
        for (const text of texts) {
          await rawPage.evaluate(
            async ({ store, text }) => {
              const db: unknown = Reflect.get(globalThis, 'kassaRawDb');
              if (!(db instanceof IDBDatabase)) throw new Error('the raw database is not open');
              const docs: unknown = JSON.parse(text);
              if (!Array.isArray(docs)) throw new Error('a chunk is not an array');
              await new Promise<void>((resolveTx, reject) => {
                const tx = db.transaction(store, 'readwrite', { durability: 'strict' });
                const os = tx.objectStore(store);
                for (const d of docs) os.put(d);
                tx.oncomplete = () => resolveTx();
                tx.onerror = () => reject(tx.error);
                tx.onabort = () => reject(tx.error);
              });
            },
            { store, text },
          );
        }
      }
      r.rawIdbMs = performance.now() - rawStart;
      r.cpu.push(['raw IndexedDB', cpuBetween(rawCpu, await cpuSnapshot(watched))]);
      log(`raw IndexedDB: ${fmt(total)} docs in ${(r.rawIdbMs / 1000).toFixed(1)} s`);
      await rawPage.evaluate(() => {
        const db: unknown = Reflect.get(globalThis, 'kassaRawDb');
        if (db instanceof IDBDatabase) db.close();
      });
      await rawPage.close();
      r.rawDiskMb = mb(originIdbBytes(profileDir, rawOrigin).bytes);
    } catch (e) {
      if (interruptedBy) throw e;
      r.notes.push(`raw IndexedDB baseline failed: ${errorText(e)}`);
      log(r.notes[r.notes.length - 1] ?? '');
    }

    if (r.syncMs === null || seen.crashed) {
      if (!seen.crashed) {
        r.heapBeforeGcMb = await heapUsedMb(cdp);
        r.rendererRssMb = chromiumRss(profileDir).rendererMb;
      }
      r.diskMb = mb(originIdbBytes(profileDir, hq.url).bytes);
      r.notes.push('cold start, lookups and heap not measured: the first sync did not complete');
      return r;
    }

    // ---- 3. cold starts on the same profile ---------------------------------------------
    const coldTimeoutMs = Math.max(600_000, syncTimeoutMs / 3);
    const coldCpu = await cpuSnapshot(watched);
    for (let i = 0; i < opts.coldStarts; i++) {
      const next = await context.newPage();
      await inEnglish(next);
      watchCrash(next);
      await page.close();
      page = next;
      const profiling = profDir !== null && i === 0;
      if (profiling) {
        // Same origin first, so the profiler is attached to the process the register will run in.
        await page.goto(`${hq.url}/api/health`);
        cdp = await context.newCDPSession(page);
        await startProfile(cdp, 1000);
      }
      const started = performance.now();
      try {
        await page.goto(hq.url);
        await waitReady(page, coldTimeoutMs);
      } catch (e) {
        if (interruptedBy) throw e;
        r.notes.push(`cold start ${i + 1} not ready in ${coldTimeoutMs / 60_000} min: ${seen.crashed ? 'the renderer crashed' : errorText(e)}`);
        log(r.notes[r.notes.length - 1] ?? '');
        return r;
      }
      const coldMs = performance.now() - started;
      r.coldStarts.push(coldMs);
      const fromImage = await page.evaluate(() => performance.getEntriesByName('kassa:catalog-image-loaded').length > 0);
      if (fromImage) r.coldFromImage++;
      log(`cold start ${i + 1}: ready to scan after ${fmt(coldMs)} ms (${fromImage ? 'from the catalog image' : 'the replica read row by row'})`);
      // A scan right away, as a cashier would: when (since navigation) its lookup ended.
      const code = sample[i % Math.max(1, sample.length)]?.barcode;
      if (code) {
        await searchField(page).focus();
        await page.keyboard.type(code);
        await page.keyboard.press('Enter');
        const m = await nextMeasure(page, 'kassa:barcode', code, 0, coldTimeoutMs);
        r.firstScanAtMs.push(m.startTime + m.duration);
        log(`  a scan right away answered ${fmt(m.startTime + m.duration)} ms after navigation`);
      }
      if (profiling) {
        const summary = await within(stopProfile(cdp, join(profDir, 'cold-start.cpuprofile')), 120_000);
        if (summary) r.profiles.push(`  cold start (navigation to first scan answered):\n${summary}`);
      }
    }
    r.cpu.push([`${opts.coldStarts} cold starts`, cpuBetween(coldCpu, await cpuSnapshot(watched))]);
    if (!page.isClosed()) await clearCart(page);
    cdp = await context.newCDPSession(page);
    if (sample.length === 0) {
      r.notes.push('lookups not measured: no product sample (the pull from HQ failed)');
      return r;
    }

    // ---- 4. lookups, measured in the page ----------------------------------------------
    const lookupCpu = await cpuSnapshot(watched);
    const scanTimeoutMs = 120_000;
    const barcodes: number[] = [];
    const roundTrips: number[] = [];
    let after = await page.evaluate(() => performance.now());
    for (let i = 0; i < opts.scans; i++) {
      const code = sample[Math.floor(rnd() * sample.length)]?.barcode ?? '';
      const t = performance.now();
      await page.keyboard.type(code);
      await page.keyboard.press('Enter');
      const m = await nextMeasure(page, 'kassa:barcode', code, after, scanTimeoutMs);
      roundTrips.push(performance.now() - t);
      after = m.startTime;
      barcodes.push(m.duration);
      if (m.hits !== 1) r.barcodeMisses++;
      if ((i + 1) % CART_CLEAR_EVERY === 0) await clearCart(page);
      if ((i + 1) % 100 === 0) log(`  ${i + 1}/${opts.scans} scans`);
    }
    await clearCart(page);
    r.barcode = stats(barcodes);
    r.scanRoundTrip = stats(roundTrips);
    log(`barcode lookups: median ${r.barcode?.median.toFixed(2)} ms, p95 ${r.barcode?.p95.toFixed(2)} ms`);

    const queries = Array.from({ length: opts.queries }, (_, i) => makeQuery(sample[i % sample.length]?.name ?? 'a', rnd));
    r.searchQueries = queries.length;
    const inStore = await typeQueries(page, queries, scanTimeoutMs);
    r.search = stats(inStore.durations);
    r.searchByPrefix = inStore.byShortestWord.map(stats);
    r.searchNoHits = inStore.noHits;
    log(`search (this store): median ${r.search?.median.toFixed(1)} ms, p95 ${r.search?.p95.toFixed(1)} ms over ${inStore.durations.length} keystrokes`);
    if (opts.catalogQueries > 0) {
      await page.getByRole('radio', { name: 'All products' }).check();
      const catalogQueries = Array.from({ length: opts.catalogQueries }, (_, i) => makeQuery(sample[(opts.queries + i) % sample.length]?.name ?? 'a', rnd));
      const inCatalog = await typeQueries(page, catalogQueries, scanTimeoutMs);
      r.catalogSearch = stats(inCatalog.durations);
      r.catalogSearchByPrefix = inCatalog.byShortestWord.map(stats);
      await page.getByRole('radio', { name: 'This store' }).check();
      log(`search (all products): median ${r.catalogSearch?.median.toFixed(1)} ms, p95 ${r.catalogSearch?.p95.toFixed(1)} ms`);
    }

    r.cpu.push(['lookups (typing included)', cpuBetween(lookupCpu, await cpuSnapshot(watched))]);

    // The page's first type-ahead search with a query since it opened (often digits of a scan):
    // an index built on first use pays for it here.
    r.firstSearch = await page.evaluate(() => {
      for (const e of performance.getEntriesByName('kassa:search', 'measure')) {
        const detail: unknown = e instanceof PerformanceMeasure ? e.detail : null;
        if (typeof detail !== 'object' || detail === null || !('query' in detail) || typeof detail.query !== 'string' || !detail.query.trim()) continue;
        return { startTime: e.startTime, duration: e.duration, hits: 'hits' in detail && typeof detail.hits === 'number' ? detail.hits : -1, query: detail.query };
      }
      return null;
    });

    // ---- 5. heap and disk ---------------------------------------------------------------
    r.heapBeforeGcMb = await heapUsedMb(cdp);
    await within(cdp.send('HeapProfiler.collectGarbage'), 60_000);
    r.heapMb = await heapUsedMb(cdp);
    r.rendererRssMb = chromiumRss(profileDir).rendererMb;
    const estimate = await within(
      page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0),
      30_000,
    );
    r.estimateMb = estimate === null ? null : mb(estimate);
    const disk = originIdbBytes(profileDir, hq.url);
    r.diskMb = disk.folders.length ? mb(disk.bytes) : null;
    if (!disk.folders.length) r.notes.push(`no IndexedDB folder for ${hq.url} under ${profileDir}/Default/IndexedDB`);
    return r;
  } catch (e) {
    r.notes.push(interruptedBy ? `interrupted by ${interruptedBy}` : `failed: ${failureText(e)}`);
    log(r.notes[r.notes.length - 1] ?? '');
    return r;
  } finally {
    const buildNow = rendererBuild();
    if (buildNow !== r.build) r.notes.push(`dist/renderer was rebuilt during the run (${r.build} → ${buildNow}): figures may mix two builds`);
    await runCleanups();
  }
}

// ---- report -------------------------------------------------------------------------------

/** Search latency per length of the shortest word typed, this store and all products. */
function byPrefix(store: readonly (Stats | null)[], catalog: readonly (Stats | null)[]): string {
  if (store.length === 0) return 'not measured';
  const one = (s: Stats | null | undefined): string => (s ? `${s.median.toFixed(1)}/${s.p95.toFixed(1)} ms (${s.n})` : '–');
  return `median/p95 (keystrokes), this store | all products: ${PREFIX_GROUPS.map((g, i) => `${g} ${one(store[i])} | ${one(catalog[i])}`).join('; ')}`;
}

function report(r: SizeResult, opts: Options): Record<string, number | null> {
  const ratio = r.syncMs !== null && r.rawIdbMs !== null ? r.syncMs / r.rawIdbMs : null;
  const coldSorted = [...r.coldStarts].sort((a, b) => a - b);
  const cold = coldSorted.length ? percentile(coldSorted, 0.5) : null;
  const goal = (ok: boolean | null, text: string): string => (ok === null ? `goal ${text}: not measured` : `goal ${text}: ${ok ? 'met' : 'NOT met'}`);
  const docs = r.docs ? [...r.docs.entries()].map(([k, v]) => `${fmt(v)} ${k}`).join(', ') : 'not pulled';
  const docTotal = r.docs ? [...r.docs.values()].reduce((a, b) => a + b, 0) : 0;
  const lines: [string, string][] = [
    ['demo chain', `${r.seedLine ?? 'not seeded'} (not part of any figure)`],
    ['register receives', docs],
    [
      'first sync',
      r.syncMs === null
        ? `not measured: ${r.notes[0] ?? 'failed'}`
        : `${fmt(r.syncMs)} ms from "Enrol register" to ready to scan (${fmt((docTotal / r.syncMs) * 1000)} docs/s)`,
    ],
    ['raw IndexedDB', r.rawIdbMs === null ? 'not measured' : `${fmt(r.rawIdbMs)} ms for the same ${fmt(docTotal)} docs (${fmt((docTotal / r.rawIdbMs) * 1000)} docs/s; chunks of ${CHUNK}, strict durability)`],
    ['sync ÷ raw', ratio === null ? 'not measured' : `${ratio.toFixed(1)}× (${goal(ratio <= 2, '≤ 2×')})`],
    [
      'barcode lookup',
      r.barcode
        ? `median ${r.barcode.median.toFixed(2)} ms, p95 ${r.barcode.p95.toFixed(2)} ms, max ${r.barcode.max.toFixed(2)} ms over ${r.barcode.n} scans, ${r.barcodeMisses} not found (${goal(r.barcode.p95 < 5, 'p95 < 5 ms')})`
        : 'not measured',
    ],
    [
      'scan round trip',
      r.scanRoundTrip
        ? `median ${ms(r.scanRoundTrip.median)}, p95 ${ms(r.scanRoundTrip.p95)}: typing 13 digits + Enter through Playwright until the lookup's measure is seen (Playwright's cost included; shows a busy page)`
        : 'not measured',
    ],
    [
      'name search',
      r.search
        ? `median ${r.search.median.toFixed(1)} ms, p95 ${r.search.p95.toFixed(1)} ms, max ${ms(r.search.max)} over ${r.search.n} keystrokes of ${r.searchQueries} queries, this store, first 20 (${goal(r.search.p95 < 30, 'p95 < 30 ms')}); ${r.searchNoHits} keystrokes found nothing`
        : 'not measured',
    ],
    [
      'first search',
      r.firstSearch
        ? `${ms(r.firstSearch.duration)} for “${r.firstSearch.query}”, ${fmt(r.firstSearch.startTime)} ms after navigation: the page's first type-ahead search since it opened (an index built lazily would show here)`
        : 'not measured (or its measure was dropped)',
    ],
    [
      'search, all products',
      r.catalogSearch ? `median ${r.catalogSearch.median.toFixed(1)} ms, p95 ${r.catalogSearch.p95.toFixed(1)} ms, max ${ms(r.catalogSearch.max)} over ${r.catalogSearch.n} keystrokes of ${opts.catalogQueries} queries` : 'not measured',
    ],
    ['by shortest word', byPrefix(r.searchByPrefix, r.catalogSearchByPrefix)],
    [
      'cold start',
      cold === null
        ? 'not measured'
        : `median ${fmt(cold)} ms of ${r.coldStarts.map(fmt).join(', ')} ms to ready to scan (${goal(cold < 3000, '< 3 s')}); ${r.coldFromImage} of ${r.coldStarts.length} loaded the catalog image; a scan right away answered at ${r.firstScanAtMs.map(fmt).join(', ')} ms after navigation`,
    ],
    [
      'catalog image',
      r.imageBuild
        ? `stored ${fmt(r.imageWaitMs ?? 0)} ms after the first sync was ready to scan, by a worker: reading the replica ${fmt(r.imageBuild.readMs)} ms, indexing ${fmt(r.imageBuild.buildMs)} ms, writing ${fmt(r.imageBuild.writeMs)} ms (${fmt(r.imageBuild.products)} products, ${fmt(r.imageBuild.stock)} figures; not part of the first sync's figure)`
        : 'not built',
    ],
    [
      'JS heap',
      r.heapMb === null && r.heapBeforeGcMb === null
        ? 'not measured'
        : `${r.heapMb === null ? 'n/a' : fmt(r.heapMb)} MB used after GC (${r.heapBeforeGcMb === null ? 'n/a' : fmt(r.heapBeforeGcMb)} MB before); renderer RSS ${r.rendererRssMb === null ? 'n/a' : fmt(r.rendererRssMb)} MB`,
    ],
    [
      'disk',
      `${r.diskMb === null ? 'n/a' : fmt(r.diskMb)} MB the register origin's IndexedDB folder (navigator.storage.estimate: ${r.estimateMb === null ? 'n/a' : `${fmt(r.estimateMb)} MB`}); the raw database's: ${r.rawDiskMb === null ? 'n/a' : `${fmt(r.rawDiskMb)} MB`}`,
    ],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  console.log(`\nKassa catalog benchmark: ${fmt(r.products)} products (${new Date().toISOString()}, ${process.version}, ${cpus().length} cores, Chromium headless; ${r.build})`);
  for (const [k, v] of lines) console.log(`  ${k.padEnd(width)}  ${v}`);
  if (r.syncSamples.length) {
    console.log(`  first-sync progress (every 10 s):`);
    for (const s of r.syncSamples) console.log(`    ${s}`);
  }
  for (const [phase, text] of r.cpu) console.log(`  CPU, ${phase}: ${text}`);
  for (const p of r.profiles) console.log(p);
  for (const note of r.notes) console.log(`  NOTE: ${note}`);
  return {
    products: r.products,
    sync_ms: r.syncMs === null ? null : Math.round(r.syncMs),
    raw_idb_ms: r.rawIdbMs === null ? null : Math.round(r.rawIdbMs),
    sync_vs_raw: ratio === null ? null : round(ratio),
    barcode_p95_ms: r.barcode ? round(r.barcode.p95) : null,
    search_p95_ms: r.search ? round(r.search.p95) : null,
    cold_start_ms: cold === null ? null : Math.round(cold),
    image_build_ms: r.imageBuild ? r.imageBuild.readMs + r.imageBuild.buildMs + r.imageBuild.writeMs : null,
    heap_mb: r.heapMb === null ? null : round(r.heapMb),
    disk_mb: r.diskMb === null ? null : round(r.diskMb),
    barcode_median_ms: r.barcode ? round(r.barcode.median) : null,
    search_median_ms: r.search ? round(r.search.median) : null,
  };
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const stop = (signal: NodeJS.Signals): void => {
    if (interruptedBy) return;
    interruptedBy = signal;
    log(`${signal}: cleaning up`);
    void runCleanups().finally(() => process.exit(130));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  log(`sizes ${opts.products.map(fmt).join(', ')}; register: ${rendererBuild()}`);
  let incomplete = false;
  for (const n of opts.products) {
    const result = await runSize(n, opts);
    const json = report(result, opts);
    if (Object.values(json).some((v) => v === null)) incomplete = true;
    console.log(`JSON for ${fmt(n)} products:`);
    console.log(JSON.stringify(json));
  }
  return incomplete ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
