/**
 * `npm run bench:sync`: HQ ingesting a day of sales from many registers that were offline.
 *
 *   1. A fresh PostgreSQL database; `--hq` real HQ processes (`sync/hq/cli.ts serve`) on it, started
 *      one after the other: the first seeds the demo chain (`--products`), the others find it seeded.
 *   2. `--registers` registers are enrolled (POST /api/registers). The demo chain has 6 stores with
 *      registers 01–03 and HQ refuses register ids a store does not list, so for more than 18
 *      registers the bench lists more register ids on the demo stores (SQL, before enrolling).
 *      Each register talks to HQ from its own loopback address (127.0.x.y), as registers on
 *      their own machines do; HQ rate-limits enrolment per address.
 *   3. All sales are built up front with `makeChain` (tests/support/sales.ts), `--sales` per register,
 *      and serialised as the register's push bodies (`--batch` rows each). Not timed.
 *   4. Push phase (timed): registers push concurrently, `--concurrency` pushes in flight, each
 *      register one push at a time and in order (as the register's queue does), each push to the
 *      next HQ process in turn. Per-push latency, HQ's RSS, and CPU per process are sampled.
 *   5. Pull phase: one register pulls the whole catalog; `--changes` product prices change at HQ
 *      (SQL, one transaction); then every register pulls `products` from that checkpoint.
 *   6. Baseline: the same rows, in the same batches and with the same concurrency, inserted with
 *      `pg` as plain multi-row `INSERT … ON CONFLICT (id) DO NOTHING` into a table made `LIKE sales
 *      INCLUDING ALL`. The rows are the ones HQ stored (every column HQ sets, as text), so the
 *      baseline keeps matching whatever columns `sales` gains.
 *   7. Verification: every sale made is at HQ once, with the body the register sent.
 *
 * Prints a table (progress goes to stderr), then one JSON line, always the last line. Exits 1 when a
 * sale is lost, duplicated or stored with another body, when HQ answered these valid, chained
 * sales with a conflict or an alert, when a pull got the wrong products, or when a request failed.
 * CPU per process (/proc) is reported per phase; "rest of machine" is everything else that ran,
 * other people's work included, so numbers from a shared machine say how busy it was.
 *
 * Options: --registers 200 --sales 300 --batch 100 --hq 2 --concurrency 16 --products 20000
 *          --changes 1000 --cpu-prof (profile the HQ processes; prints where their CPU time went
 *          during the push phase; the profiler slows HQ down, so take throughput from a run without)
 *          --floor (after the baseline: HQ's store, the code behind the push endpoint, called in
 *          this process on a fresh database with the same batches, order and concurrency; no HTTP,
 *          no JSON parsing, no validation, no second process. What its SQL costs PostgreSQL there
 *          is a floor under any HQ that keeps the same records, checks and stock in the push)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Checkpoint, PullResponse } from '../../sync/protocol/wire.ts';
import type { ChainHead } from '../../src/chain.ts';
import type { ProductDoc, SaleDoc } from '../../sync/protocol/docs.ts';
import { canonicalJson, validatePushRows } from '../../sync/protocol/validate.ts';
import { bodyHash, HqStore, multiInsert } from '../../sync/hq/store.ts';
import type { Sql, SqlParam } from '../../sync/hq/sql.ts';
import { migrate } from '../../sync/hq/migrations.ts';
import { openPostgres } from '../../sync/hq/sql-postgres.ts';
import { seedDemo } from '../../sync/hq/seed.ts';
import { localDay } from '../../src/assortment.ts';
import { createTestDatabase } from '../support/backends.ts';
import { freePort, waitFor } from '../support/hq-process.ts';
import { itemNumberOf } from '../../resources/demo/generate.ts';
import { makeChain, pushRows } from '../support/sales.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ADMIN_TOKEN = `bench-admin-${Math.random().toString(36).slice(2)}`;
const STORES = ['1001', '1002', '1003', '1004', '1005', '1006'];
const DEMO_REGISTERS_PER_STORE = 3;
const PULL_LIMIT = 1000; // what the register asks for (sync/client/replication.ts)
const CLK_TCK = 100;

// ---- options ----------------------------------------------------------------------------

interface Options {
  registers: number;
  sales: number;
  batch: number;
  hq: number;
  concurrency: number;
  products: number;
  changes: number;
  cpuProf: boolean;
  floor: boolean;
}

function parseArgs(argv: string[]): Options {
  const defaults: Options = { registers: 200, sales: 300, batch: 100, hq: 2, concurrency: 16, products: 20_000, changes: 1000, cpuProf: false, floor: false };
  const limits: Record<string, [number, number]> = {
    registers: [1, 6 * 99],
    sales: [1, 999_999],
    batch: [1, 500],
    hq: [1, 8],
    concurrency: [1, 256],
    products: [1, 2_000_000],
    changes: [0, 2_000_000],
  };
  const opts = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--cpu-prof' || arg === '--floor') {
      opts[arg === '--floor' ? 'floor' : 'cpuProf'] = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const key = m?.[1];
    if (!m || !key || !(key in limits)) usage(`unknown argument ${arg}`);
    const text = m[2] ?? argv[++i];
    const n = Number(String(text).replace(/_/g, ''));
    const [min, max] = limits[key] ?? [0, 0];
    if (!Number.isSafeInteger(n) || n < min || n > max) usage(`--${key} must be a whole number from ${min} to ${max}, got ${text}`);
    (opts as unknown as Record<string, number>)[key] = n;
  }
  opts.changes = Math.min(opts.changes, opts.products);
  return opts;
}

function usage(problem: string): never {
  console.error(`${problem}\nusage: tsx tests/bench/sync.ts [--registers 200] [--sales 300] [--batch 100] [--hq 2] [--concurrency 16] [--products 20000] [--changes 1000] [--cpu-prof] [--floor]`);
  process.exit(2);
}

const log = (msg: string): void => {
  process.stderr.write(`[bench:sync ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

// ---- small helpers ----------------------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

const round = (n: number, digits = 1): number => Number(n.toFixed(digits));
const fmt = (n: number): string => Math.round(n).toLocaleString('en');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `lanes` loops that each take the next item until none is left. */
async function lanes(count: number, next: () => Promise<boolean>): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async () => {
      while (await next());
    }),
  );
}

/**
 * Sends every register's batches as registers push them: `concurrency` pushes in flight, each
 * register one batch at a time and in order, the registers taking turns. `push(r, i)` sends
 * register r's batch i.
 */
async function inRegisterOrder(registers: readonly Register[], concurrency: number, push: (r: Register, batch: number) => Promise<void>): Promise<void> {
  const next = registers.map(() => 0);
  const ready = registers.map((r) => r.index);
  let head = 0;
  await lanes(concurrency, async () => {
    if (head >= ready.length) return false;
    const r = registers[ready[head++] ?? 0] as Register;
    const batch = next[r.index] ?? 0;
    next[r.index] = batch + 1;
    await push(r, batch);
    if (batch + 1 < r.bodies.length) ready.push(r.index);
    return true;
  });
}

// ---- /proc: memory and CPU of processes -------------------------------------------------

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used, or null when it is gone or unreadable. */
function procCpu(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Busy and total CPU seconds of the whole machine. */
function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

interface CpuReport {
  seconds: number;
  hq: number[];
  postgres: number | null;
  bench: number;
  machineBusy: number;
  machineTotal: number;
}

/**
 * CPU used during a phase: each HQ process, the PostgreSQL backends serving this database
 * (polled from pg_stat_activity, so short-lived backends are counted from when first seen),
 * this process, and the machine as a whole (other work on the machine included).
 */
class CpuMeter {
  private readonly hqStart: number[];
  private readonly benchStart = process.cpuUsage();
  private readonly machineStart = machineCpu();
  private readonly started = performance.now();
  private readonly backends = new Map<number, { first: number; last: number }>();
  private readonly timer: NodeJS.Timeout;
  private polling: Promise<void> = Promise.resolve();
  private pgReadable = true;

  constructor(
    private readonly hqPids: readonly number[],
    private readonly monitor: pg.Client,
  ) {
    this.hqStart = hqPids.map((pid) => procCpu(pid) ?? 0);
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll());
    }, 250);
    this.polling = this.poll();
  }

  private async poll(): Promise<void> {
    const { rows } = await this.monitor
      .query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')
      .catch(() => ({ rows: [] as { pid: number }[] }));
    for (const { pid } of rows) {
      const cpu = procCpu(pid);
      if (cpu === null) {
        this.pgReadable = false;
        continue;
      }
      const seen = this.backends.get(pid);
      if (seen) seen.last = cpu;
      else this.backends.set(pid, { first: cpu, last: cpu });
    }
  }

  async stop(): Promise<CpuReport> {
    clearInterval(this.timer);
    await this.polling;
    await this.poll();
    const bench = process.cpuUsage(this.benchStart);
    const machine = machineCpu();
    let pgCpu = 0;
    for (const b of this.backends.values()) pgCpu += b.last - b.first;
    return {
      seconds: (performance.now() - this.started) / 1000,
      hq: this.hqPids.map((pid, i) => (procCpu(pid) ?? 0) - (this.hqStart[i] ?? 0)),
      postgres: this.pgReadable ? pgCpu : null,
      bench: (bench.user + bench.system) / 1e6,
      machineBusy: machine.busy - this.machineStart.busy,
      machineTotal: machine.total - this.machineStart.total,
    };
  }
}

/** Peak RSS of each process, polled, in MB. */
class RssSampler {
  readonly peak: number[];
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly pids: readonly number[]) {
    this.peak = pids.map(() => 0);
    this.timer = setInterval(() => this.sample(), 100);
    this.sample();
  }
  sample(): void {
    this.pids.forEach((pid, i) => {
      this.peak[i] = Math.max(this.peak[i] ?? 0, procStatus(pid, 'VmRSS'));
    });
  }
  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

// ---- HQ processes -----------------------------------------------------------------------

interface Hq {
  index: number;
  port: number;
  pid: number;
  child: ChildProcess;
  agent: http.Agent;
  output(): string;
  /** VmHWM right after start-up (the first process's includes seeding the demo chain). */
  startupPeakMb: number;
}

async function startHqProcess(index: number, databaseUrl: string, products: number, profDir: string | null): Promise<Hq> {
  const port = await freePort();
  // Node writes one profile per thread (tsx's loader has one): a folder per HQ process.
  const args = [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, `hq-${index + 1}`)}`] : []), '--import', 'tsx', 'sync/hq/cli.ts', 'serve'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      KASSA_ADMIN_TOKEN: ADMIN_TOKEN,
      KASSA_DEMO_PRODUCTS: String(products),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`HQ ${index + 1} exited with ${code}:\n${out}`))));
  exited.catch(() => undefined);
  await Promise.race([exited, waitFor(`HQ ${index + 1} health`, async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok, 300_000)]);
  const pid = child.pid ?? 0;
  return {
    index,
    port,
    pid,
    child,
    // Sockets are pooled per source address: each register keeps its own connection.
    agent: new http.Agent({ keepAlive: true }),
    output: () => out,
    startupPeakMb: procStatus(pid, 'VmHWM'),
  };
}

async function stopHq(hq: Hq): Promise<void> {
  hq.agent.destroy();
  if (hq.child.exitCode !== null || hq.child.signalCode !== null) return;
  const gone = new Promise<void>((r) => hq.child.once('exit', () => r()));
  hq.child.kill('SIGTERM');
  const timeout = setTimeout(() => hq.child.kill('SIGKILL'), 15_000);
  await gone;
  clearTimeout(timeout);
}

/** Resets a process's VmHWM to its current RSS (Linux: write 5 to clear_refs). */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

// ---- HTTP ---------------------------------------------------------------------------------

interface HttpResult {
  status: number;
  text: string;
}

/** A request from `from` (the register's own loopback address). */
function request(hq: Hq, from: string, method: 'GET' | 'POST', path: string, token: string, body?: string): Promise<HttpResult> {
  return new Promise((resolveRequest, reject) => {
    const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${token}` };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: '127.0.0.1', port: hq.port, localAddress: from, method, path, headers, agent: hq.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveRequest({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${path}: no answer in 120 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

class Failure extends Error {}

/** A request as the register makes it: network errors and 5xx are retried, 4xx are a bench bug. */
async function call(hq: Hq, from: string, method: 'GET' | 'POST', path: string, token: string, body: string | undefined, retries: { n: number }): Promise<HttpResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await request(hq, from, method, path, token, body);
      if (res.status < 500) {
        if (res.status >= 400) throw new Failure(`${method} ${path} → ${res.status}: ${res.text.slice(0, 500)}`);
        return res;
      }
      if (attempt >= 5) throw new Failure(`${method} ${path} → ${res.status} after ${attempt + 1} attempts: ${res.text.slice(0, 500)}`);
    } catch (e) {
      if (e instanceof Failure || attempt >= 5) throw e;
    }
    retries.n++;
    await sleep(200 * (attempt + 1));
  }
}

// ---- the registers' data ----------------------------------------------------------------

interface Register {
  index: number;
  storeId: string;
  registerId: string;
  /**
   * The register's own source address (127.0.x.y). Each register is a machine of its own, and
   * HQ rate-limits enrolment per client address (10 at once, 10 a minute).
   */
  address: string;
  token: string;
  sales: SaleDoc[];
  /** Push bodies, serialised up front: `--batch` rows each, in sequence order. */
  bodies: string[];
  batchIds: string[][];
}

/** Register i: store 1001 + i mod 6, register id 01, 02, … (so the demo's 18 come first). */
function registerSlot(i: number): { storeId: string; registerId: string; address: string } {
  return {
    storeId: STORES[i % STORES.length] ?? '1001',
    registerId: String(Math.floor(i / STORES.length) + 1).padStart(2, '0'),
    address: `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
  };
}

/**
 * A register's day: `count` real sales, built and chained by the domain core through the test
 * support's `makeChain` (so fields a sale gains come with it). Products, prices, quantities and
 * tenders vary: HQ books each sale into its store's stock, and a day's sales spread over the
 * catalog rather than all hitting one stock row.
 */
function buildRegisterSales(storeId: string, registerId: string, count: number, products: number): SaleDoc[] {
  const sales: SaleDoc[] = [];
  let head: ChainHead | null = null;
  for (let seq = 1; seq <= count; seq++) {
    const priceCents = 99 + ((seq * 7919 + Number(storeId) * 31 + Number(registerId) * 17) % 4000);
    const quantity = 1 + (seq % 3);
    const tender = seq % 2 === 0 ? { kind: 'card' as const, amountCents: priceCents * quantity } : { kind: 'cash' as const, tenderedCents: 200_00 };
    const productId = itemNumberOf((seq * 104_729 + Number(storeId) * 7_919 + Number(registerId) * 31) % products);
    const [sale] = makeChain(storeId, registerId, 1, { firstSeq: seq, head, productId, priceCents, quantity, tender });
    if (!sale) throw new Error('makeChain made no sale');
    sales.push(sale);
    head = { seq: sale.seq, hash: sale.hash };
  }
  return sales;
}

// ---- CPU profile summary ----------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where an HQ process spent its time: inclusive ms of project functions, self ms by package. */
/**
 * Where an HQ process spent its CPU time within `window` (µs of the monotonic clock, which V8's
 * profile timestamps and process.hrtime share on Linux), or over its whole life when the
 * profile does not cover the window: inclusive ms of project functions, self ms by package.
 */
function summariseProfile(
  file: string,
  window: [number, number],
): { totalMs: number; wallMs: number; windowed: boolean; inclusive: [string, number][]; selfByArea: [string, number][] } {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const windowed = prof.startTime <= window[0] && prof.endTime >= window[1];
  const [from, to] = windowed ? window : [prof.startTime, prof.endTime];
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const short = (url: string): string => url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
  const area = (n: ProfileNode): string => {
    const url = short(n.callFrame.url);
    const name = n.callFrame.functionName;
    if (!url) return name.startsWith('(') ? name : `(native) ${name || '(anonymous)'}`;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) return pkg[1] ?? url;
    if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').replace(/\/.*$/, '');
    return url;
  };
  // Positions are of tsx's transformed code, so functions are named by name and file only.
  const key = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} (${short(n.callFrame.url)})`;
  const stackKeys = new Map<number, Set<string>>();
  const keysOf = (id: number): Set<string> => {
    const cached = stackKeys.get(id);
    if (cached) return cached;
    const node = byId.get(id);
    const p = parent.get(id);
    const set = new Set(p !== undefined ? keysOf(p) : []);
    if (node && /^(src|sync)\//.test(short(node.callFrame.url))) set.add(key(node));
    stackKeys.set(id, set);
    return set;
  };
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  let total = 0;
  let at = prof.startTime;
  prof.samples.forEach((id, i) => {
    at += prof.timeDeltas[i] ?? 0;
    if (at < from || at > to) return;
    const dt = (prof.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') return;
    total += dt;
    const a = area(node);
    self.set(a, (self.get(a) ?? 0) + dt);
    for (const k of keysOf(id)) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
  });
  const top = (m: Map<string, number>, n: number): [string, number][] => [...m.entries()].sort((x, y) => y[1] - x[1]).slice(0, n);
  return { totalMs: total, wallMs: (to - from) / 1000, windowed, inclusive: top(inclusive, 16), selfByArea: top(self, 14) };
}

// ---- the floor: HQ's store without the server ---------------------------------------------

interface FloorReport {
  perS: number;
  seconds: number;
  cpu: CpuReport;
  stored: number;
  alerts: number;
}

/**
 * `--floor`: the push endpoint's store call (`HqStore.pushSales`) made from this process on a
 * fresh database with the demo chain seeded as HQ seeds it, with the batches the registers pushed (parsed and validated first,
 * not timed), in the push phase's order and concurrency. Each register's batches go one at a
 * time and in order, as in the push phase.
 */
async function runFloor(registers: readonly Register[], concurrency: number, products: number): Promise<FloorReport> {
  const db = await createTestDatabase();
  const monitor = new pg.Client({ connectionString: db.url });
  let sql: Sql | null = null;
  try {
    await monitor.connect();
    sql = await openPostgres(db.url, Math.min(concurrency, 50));
    await migrate(sql);
    // The demo chain HQ seeded, so sales book into the stock figures it holds, as in the push phase.
    await seedDemo(sql, { products, today: localDay(new Date()) });
    const store = new HqStore(sql);
    const batches = registers.map((r) =>
      r.bodies.map((body) => {
        const v = validatePushRows('sales', JSON.parse(body) as unknown);
        if (!v.ok) throw new Error(`a built push does not validate: ${JSON.stringify(v.problems[0])}`);
        return v.value;
      }),
    );
    await monitor.query('CHECKPOINT').catch(() => undefined);
    const cpu = new CpuMeter([], monitor);
    const started = performance.now();
    await inRegisterOrder(registers, concurrency, async (r, batch) => {
      const conflicts = await store.pushSales({ storeId: r.storeId, registerId: r.registerId }, batches[r.index]?.[batch] ?? []);
      if (conflicts.length) throw new Error(`the floor run got ${conflicts.length} conflicts`);
    });
    const seconds = (performance.now() - started) / 1000;
    const report = await cpu.stop();
    const [row] = (await monitor.query<{ n: number; a: number }>('SELECT (SELECT count(DISTINCT id)::int FROM sales) AS n, (SELECT count(*)::int FROM alerts) AS a')).rows;
    const total = registers.reduce((n, r) => n + r.sales.length, 0);
    return { perS: total / seconds, seconds, cpu: report, stored: row?.n ?? 0, alerts: row?.a ?? 0 };
  } finally {
    await monitor.end().catch(() => undefined);
    await sql?.close().catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

// ---- the benchmark ----------------------------------------------------------------------

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const wallStart = performance.now();
  const totalSales = opts.registers * opts.sales;
  log(`${opts.registers} registers × ${opts.sales} sales = ${fmt(totalSales)} sales, batches of ${opts.batch}, ${opts.hq} HQ processes, ${opts.concurrency} pushes in flight`);

  const db = await createTestDatabase();
  const profDir = opts.cpuProf ? mkdtempSync(join(tmpdir(), 'kassa-bench-prof-')) : null;
  const hqs: Hq[] = [];
  const monitor = new pg.Client({ connectionString: db.url });
  let monitorOpen = false;
  let baselinePool: pg.Pool | null = null;
  try {
    // ---- HQ processes, one after the other --------------------------------------------
    for (let i = 0; i < opts.hq; i++) {
      const t = performance.now();
      const hq = await startHqProcess(i, db.url, opts.products, profDir);
      hqs.push(hq);
      const seeded = /Seeded the demo chain/.test(hq.output());
      log(`HQ ${i + 1} (pid ${hq.pid}, port ${hq.port}) ready in ${((performance.now() - t) / 1000).toFixed(1)} s, ${seeded ? 'seeded the demo chain' : 'found the chain seeded'}`);
      if (i > 0 && seeded) throw new Error(`HQ ${i + 1} seeded the database again`);
    }
    await monitor.connect();
    monitorOpen = true;

    // ---- registers: list them on the demo stores, enrol ---------------------------------
    const registers: Register[] = Array.from({ length: opts.registers }, (_, i) => ({
      index: i,
      ...registerSlot(i),
      token: '',
      sales: [],
      bodies: [],
      batchIds: [],
    }));
    const perStore = Math.ceil(opts.registers / STORES.length);
    if (perStore > DEMO_REGISTERS_PER_STORE) {
      for (const storeId of STORES) {
        const ids = Array.from({ length: perStore }, (_, j) => String(j + 1).padStart(2, '0'));
        const { rowCount } = await monitor.query('UPDATE stores SET registers = $2::text[] WHERE id = $1', [storeId, `{${ids.join(',')}}`]);
        if (rowCount !== 1) throw new Error(`the demo chain has no store ${storeId}`);
      }
      log(`listed registers 01–${String(perStore).padStart(2, '0')} on stores ${STORES.join(', ')} (the demo has 01–03)`);
    }
    const noRetries = { n: 0 };
    let enrolNext = 0;
    await lanes(Math.min(8, opts.registers), async () => {
      const r = registers[enrolNext++];
      if (!r) return false;
      const hq = hqs[r.index % hqs.length] as Hq;
      const res = await call(hq, r.address, 'POST', '/api/registers', ADMIN_TOKEN, JSON.stringify({ storeId: r.storeId, registerId: r.registerId }), noRetries);
      const body = JSON.parse(res.text) as { registerToken: string; lastSequence: number };
      if (body.lastSequence !== 0) throw new Error(`register ${r.storeId}-${r.registerId} already has sales at HQ`);
      r.token = body.registerToken;
      return true;
    });
    log(`enrolled ${registers.length} registers`);

    // ---- all sales, up front --------------------------------------------------------------
    let t = performance.now();
    const made = new Map<string, SaleDoc>();
    for (const r of registers) {
      r.sales = buildRegisterSales(r.storeId, r.registerId, opts.sales, opts.products);
      for (let i = 0; i < r.sales.length; i += opts.batch) {
        const batch = r.sales.slice(i, i + opts.batch);
        r.bodies.push(JSON.stringify(pushRows(batch)));
        r.batchIds.push(batch.map((d) => d.id));
      }
      for (const d of r.sales) {
        if (made.has(d.id)) throw new Error(`two sales made with id ${d.id}`);
        made.set(d.id, d);
      }
    }
    const bodyBytes = registers.reduce((n, r) => n + r.bodies.reduce((m, b) => m + Buffer.byteLength(b), 0), 0);
    log(`built ${fmt(made.size)} sales (${(bodyBytes / 1024 / 1024).toFixed(1)} MB of push bodies) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // ---- push phase -------------------------------------------------------------------------
    await monitor.query('CHECKPOINT').catch(() => undefined);
    const hwmReset = hqs.map((h) => resetPeak(h.pid));
    const rss = new RssSampler(hqs.map((h) => h.pid));
    const pushRetries = { n: 0 };
    const latencies: number[] = [];
    const pushesPerHq = hqs.map(() => 0);
    let conflicts = 0;
    let roundRobin = 0;
    log('push phase…');
    const pushCpu = new CpuMeter(
      hqs.map((h) => h.pid),
      monitor,
    );
    const pushStart = performance.now();
    const pushStartUs = Number(process.hrtime.bigint() / 1000n);
    await inRegisterOrder(registers, opts.concurrency, async (r, batch) => {
      const body = r.bodies[batch] as string;
      const hqIndex = roundRobin++ % hqs.length;
      const hq = hqs[hqIndex] as Hq;
      const started = performance.now();
      const res = await call(hq, r.address, 'POST', '/api/replication/sales/push', r.token, body, pushRetries);
      latencies.push(performance.now() - started);
      pushesPerHq[hqIndex] = (pushesPerHq[hqIndex] ?? 0) + 1;
      conflicts += (JSON.parse(res.text) as unknown[]).length;
    });
    const pushSeconds = (performance.now() - pushStart) / 1000;
    const pushWindow: [number, number] = [pushStartUs, Number(process.hrtime.bigint() / 1000n)];
    const pushCpuReport = await pushCpu.stop();
    const salesPerS = totalSales / pushSeconds;
    latencies.sort((a, b) => a - b);
    log(`pushed ${fmt(totalSales)} sales in ${pushSeconds.toFixed(2)} s: ${fmt(salesPerS)} sales/s`);

    // ---- pull phase -------------------------------------------------------------------------
    const pullRetries = { n: 0 };
    const pullPath = (cp: Checkpoint | null): string =>
      `/api/replication/products/pull?limit=${PULL_LIMIT}${cp ? `&xid=${encodeURIComponent(cp.xid)}&id=${encodeURIComponent(cp.id)}` : ''}`;
    t = performance.now();
    let checkpoint: Checkpoint | null = null;
    let catalogCount = 0;
    const first = registers[0] as Register;
    const catalogDeadline = Date.now() + 60_000;
    for (;;) {
      const res = await call(hqs[0] as Hq, first.address, 'GET', pullPath(checkpoint), first.token, undefined, pullRetries);
      const page = JSON.parse(res.text) as PullResponse<'products'>;
      catalogCount += page.documents.length;
      if (page.checkpoint) checkpoint = page.checkpoint;
      if (page.documents.length === PULL_LIMIT) continue;
      if (catalogCount >= opts.products || Date.now() > catalogDeadline) break;
      await sleep(20); // held back by the xid fence (another session's open transaction)
    }
    const fullPullSeconds = (performance.now() - t) / 1000;
    if (catalogCount !== opts.products) throw new Error(`the full catalog pull gave ${catalogCount} products, expected ${opts.products}`);
    log(`full catalog pull: ${fmt(catalogCount)} products in ${fullPullSeconds.toFixed(2)} s`);

    const { rows: changedRows } = await monitor.query<{ id: string }>(
      `WITH picked AS (SELECT id FROM products ORDER BY md5(id) LIMIT $1)
       UPDATE products p SET price_cents = p.price_cents + 10 FROM picked WHERE p.id = picked.id RETURNING p.id`,
      [opts.changes],
    );
    await monitor.query("SELECT pg_notify('kassa_changes', 'products')");
    const changed = new Set(changedRows.map((r) => r.id));
    // Every register held the catalog as of the day before: the checkpoint of that full pull.
    log(`changed ${fmt(changed.size)} product prices; every register pulls products from its checkpoint…`);

    const startCheckpoint = checkpoint;
    const pullTimes: number[] = [];
    let fencedWaits = 0;
    let pullNext = 0;
    let wrongPulls = 0;
    const pullCpu = new CpuMeter(
      hqs.map((h) => h.pid),
      monitor,
    );
    const pullStart = performance.now();
    await lanes(opts.concurrency, async () => {
      const r = registers[pullNext++];
      if (!r) return false;
      const hq = hqs[r.index % hqs.length] as Hq;
      const started = performance.now();
      let cp = startCheckpoint;
      const got = new Map<string, ProductDoc>();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const res = await call(hq, r.address, 'GET', pullPath(cp), r.token, undefined, pullRetries);
        const page = JSON.parse(res.text) as PullResponse<'products'>;
        for (const d of page.documents) got.set(d.id, d);
        if (page.checkpoint) cp = page.checkpoint;
        if (page.documents.length === PULL_LIMIT) continue;
        if (got.size >= changed.size) break;
        // Rows of a transaction are served once every older transaction has ended (the xid8
        // fence); another session's open transaction can hold them back for a moment.
        if (Date.now() > deadline) throw new Error(`register ${r.storeId}-${r.registerId} pulled ${got.size} of ${changed.size} changes in 60 s`);
        fencedWaits++;
        await sleep(20);
      }
      pullTimes.push(performance.now() - started);
      if (got.size !== changed.size || [...got.keys()].some((id) => !changed.has(id))) wrongPulls++;
      return true;
    });
    const pullSeconds = (performance.now() - pullStart) / 1000;
    const pullCpuReport = await pullCpu.stop();
    rss.stop();
    pullTimes.sort((a, b) => a - b);
    log(`pull phase: ${registers.length} registers pulled ${fmt(changed.size)} changes each in ${pullSeconds.toFixed(2)} s`);

    const hwm = hqs.map((h, i) => (hwmReset[i] ? procStatus(h.pid, 'VmHWM') : 0));
    const peakPerHq = hqs.map((_, i) => Math.max(hwm[i] ?? 0, rss.peak[i] ?? 0));
    const hqPeakMb = Math.max(...peakPerHq);

    // ---- verification -------------------------------------------------------------------
    log('verifying…');
    const [counts] = (await monitor.query<{ rows: number; ids: number }>('SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids FROM sales')).rows;
    const stored = (await monitor.query<{ id: string; body_hash: string }>('SELECT id, body_hash FROM sales')).rows;
    let foreign = 0;
    let hashMismatch = 0;
    for (const row of stored) {
      const doc = made.get(row.id);
      if (!doc) foreign++;
      else if (row.body_hash !== bodyHash(doc)) hashMismatch++;
    }
    const storedIds = new Set(stored.map((r) => r.id));
    const distinctMade = [...made.keys()].filter((id) => storedIds.has(id)).length;
    const lost = made.size - distinctMade;
    const duplicated = (counts?.rows ?? 0) - (counts?.ids ?? 0);
    const ids = [...made.keys()];
    const sample = Array.from({ length: Math.min(1000, ids.length) }, (_, i) => ids[Math.floor((i * ids.length) / Math.min(1000, ids.length))] as string);
    const sampled = (await monitor.query<{ id: string; body: unknown }>('SELECT id, body FROM sales WHERE id = ANY($1::text[])', [sample])).rows;
    const bodyMismatch = sampled.filter((row) => canonicalJson(row.body) !== canonicalJson(made.get(row.id))).length + (sample.length - sampled.length);
    const alertKinds = (await monitor.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM alerts GROUP BY kind ORDER BY kind')).rows;
    const alerts = alertKinds.reduce((n, a) => n + a.n, 0);

    // ---- stop HQ; CPU profiles ------------------------------------------------------------
    for (const hq of hqs) await stopHq(hq);
    let profileText = '';
    if (profDir) {
      for (const hq of hqs) {
        const dir = join(profDir, `hq-${hq.index + 1}`);
        // The main thread's profile is the largest; the others are tsx's loader thread.
        const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
        const file = files.map((f) => join(dir, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
        if (!file) continue;
        const s = summariseProfile(file, pushWindow);
        const span = s.windowed ? 'push phase' : 'whole life of the process';
        profileText += `\nCPU profile of HQ ${hq.index + 1}, main thread, ${span}: ${fmt(s.totalMs)} ms on CPU in ${fmt(s.wallMs)} ms (profiler on: slower than unprofiled)\n`;
        profileText += '  self time by package/file:\n';
        for (const [a, ms] of s.selfByArea) profileText += `    ${((ms / s.totalMs) * 100).toFixed(1).padStart(5)} %  ${a}\n`;
        profileText += '  inclusive time of project functions:\n';
        for (const [k, ms] of s.inclusive) profileText += `    ${((ms / s.totalMs) * 100).toFixed(1).padStart(5)} %  ${k}\n`;
      }
    }

    // ---- baseline: the same rows with pg --------------------------------------------------
    log('baseline: the same rows as multi-row INSERT … ON CONFLICT (id) DO NOTHING with pg…');
    await monitor.query('CREATE TABLE sales_baseline (LIKE sales INCLUDING ALL)');
    // Every column HQ sets itself (those without a default); the server fills the others in both.
    const columns = (
      await monitor.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'sales' AND column_default IS NULL ORDER BY ordinal_position`,
      )
    ).rows.map((r) => r.column_name);
    const rowText = new Map<string, SqlParam[]>();
    {
      const list = columns.map((c) => `${JSON.stringify(c)}::text`).join(', ');
      const res = await monitor.query({ text: `SELECT ${list} FROM sales`, rowMode: 'array' });
      const idAt = columns.indexOf('id');
      for (const row of res.rows as (string | null)[][]) rowText.set(String(row[idAt]), row);
    }
    const baselineBatches: SqlParam[][][] = [];
    for (const r of registers) {
      for (const batchIds of r.batchIds) baselineBatches.push([...batchIds].sort().map((id) => rowText.get(id) ?? []));
    }
    rowText.clear();
    // The same order as the push phase: registers round-robin, each register's batches in turn.
    const ordered: SqlParam[][][] = [];
    {
      const cursors = registers.map(() => 0);
      let base = 0;
      const offsets = registers.map((r) => {
        const o = base;
        base += r.batchIds.length;
        return o;
      });
      let left = baselineBatches.length;
      while (left > 0) {
        registers.forEach((r, i) => {
          const c = cursors[i] ?? 0;
          if (c < r.batchIds.length) {
            ordered.push(baselineBatches[(offsets[i] ?? 0) + c] ?? []);
            cursors[i] = c + 1;
            left--;
          }
        });
      }
    }
    // The same pushes in flight, as connections (at most 50: the server allows 100 in all).
    const baselineConnections = Math.min(opts.concurrency, 50);
    baselinePool = new pg.Pool({ connectionString: db.url, max: baselineConnections });
    // An idle connection dropped under the pool (dropping the database at the end can still catch
    // one that end() let go but had not closed) is not the bench's business; unhandled, it crashed
    // the run after the report and before the JSON line.
    baselinePool.on('error', () => undefined);
    await Promise.all(Array.from({ length: baselineConnections }, () => baselinePool?.query('SELECT 1')));
    await monitor.query('CHECKPOINT').catch(() => undefined);
    let baselineNext = 0;
    const baselineLatencies: number[] = [];
    const baseCpu = new CpuMeter([], monitor);
    const baselineStart = performance.now();
    await lanes(opts.concurrency, async () => {
      const rows = ordered[baselineNext++];
      if (!rows) return false;
      const [text, params] = multiInsert('sales_baseline', columns, rows, 'ON CONFLICT (id) DO NOTHING');
      const started = performance.now();
      await (baselinePool as pg.Pool).query(text, params as unknown[]);
      baselineLatencies.push(performance.now() - started);
      return true;
    });
    const baselineSeconds = (performance.now() - baselineStart) / 1000;
    const baseCpuReport = await baseCpu.stop();
    const baselinePerS = totalSales / baselineSeconds;
    baselineLatencies.sort((a, b) => a - b);
    const [baseCount] = (await monitor.query<{ n: number }>('SELECT count(*)::int AS n FROM sales_baseline')).rows;
    if ((baseCount?.n ?? 0) !== totalSales) throw new Error(`the baseline inserted ${baseCount?.n} rows, expected ${totalSales}`);
    log(`baseline: ${fmt(totalSales)} rows in ${baselineSeconds.toFixed(2)} s: ${fmt(baselinePerS)} rows/s`);
    const ratio = baselinePerS / salesPerS;

    let floor: FloorReport | null = null;
    if (opts.floor) {
      log("floor: HQ's store called in this process on a fresh database, the same batches…");
      floor = await runFloor(registers, opts.concurrency, opts.products);
      log(`floor: ${fmt(totalSales)} sales in ${floor.seconds.toFixed(2)} s: ${fmt(floor.perS)} sales/s`);
    }

    // ---- report -------------------------------------------------------------------------
    const wall = (performance.now() - wallStart) / 1000;
    /** CPU seconds by process, and per record (µs) for HQ and PostgreSQL. */
    const cpuLine = (c: CpuReport, records: number, what: string): string => {
      const hqCpu = c.hq.reduce((a, b) => a + b, 0);
      const known = hqCpu + (c.postgres ?? 0) + c.bench;
      const parts = [
        ...(c.hq.length ? [`HQ ${c.hq.map((x) => x.toFixed(2)).join(' + ')} s`] : []),
        `postgres backends ${c.postgres === null ? 'n/a' : `${c.postgres.toFixed(2)} s`}`,
        `bench ${c.bench.toFixed(2)} s`,
        `rest of machine ${Math.max(0, c.machineBusy - known).toFixed(2)} s`,
      ];
      const per = [
        ...(c.hq.length ? [`HQ ${fmt((hqCpu / records) * 1e6)} µs`] : []),
        ...(c.postgres === null ? [] : [`postgres ${fmt((c.postgres / records) * 1e6)} µs`]),
      ];
      const busy = ((c.machineBusy / Math.max(c.machineTotal, 1e-9)) * 100).toFixed(0);
      return `${parts.join(', ')}; machine ${busy} % busy of ${(c.machineTotal / c.seconds).toFixed(1)} cores; per ${what}: ${per.join(', ')}`;
    };
    const table: [string, string][] = [
      ['registers × sales', `${fmt(opts.registers)} × ${fmt(opts.sales)} = ${fmt(totalSales)} sales (${(bodyBytes / 1024 / 1024).toFixed(1)} MB of push bodies)`],
      ['setup', `${opts.hq} HQ processes on PostgreSQL, batches of ${opts.batch}, ${opts.concurrency} pushes in flight, round-robin over HQ`],
      ['push phase', `${pushSeconds.toFixed(2)} s, ${fmt(latencies.length)} pushes (${pushesPerHq.map(fmt).join(' / ')} per HQ), ${pushRetries.n} retried`],
      ['ingested', `${fmt(salesPerS)} sales/s`],
      ['push latency', `p50 ${percentile(latencies, 0.5).toFixed(1)} ms · p95 ${percentile(latencies, 0.95).toFixed(1)} ms · p99 ${percentile(latencies, 0.99).toFixed(1)} ms · max ${(latencies[latencies.length - 1] ?? 0).toFixed(1)} ms`],
      ['push CPU', cpuLine(pushCpuReport, totalSales, 'sale')],
      ['baseline (pg)', `${fmt(baselinePerS)} rows/s (${baselineSeconds.toFixed(2)} s; per INSERT p50 ${percentile(baselineLatencies, 0.5).toFixed(1)} ms, p95 ${percentile(baselineLatencies, 0.95).toFixed(1)} ms; ${columns.length} columns, ${baselineConnections} connections)`],
      ['baseline CPU', cpuLine(baseCpuReport, totalSales, 'row')],
      ['ratio', `${ratio.toFixed(2)} = baseline rows/s ÷ HQ sales/s (HQ is ${ratio.toFixed(2)}× slower; goal ≤ 2: ${ratio <= 2 ? 'met' : 'NOT met'}; goal ≥ 5,000 sales/s: ${salesPerS >= 5000 ? 'met' : 'NOT met'})`],
      ...(floor
        ? ([
            ['floor (store only)', `${fmt(floor.perS)} sales/s, ratio ${(baselinePerS / floor.perS).toFixed(2)} (HQ's store in the bench process: no HTTP, parsing, validation or second process; ${floor.seconds.toFixed(2)} s; stored ${fmt(floor.stored)}, alerts ${floor.alerts})`],
            ['floor CPU', `${cpuLine(floor.cpu, totalSales, 'sale')}, store (bench) ${fmt((floor.cpu.bench / totalSales) * 1e6)} µs`],
          ] as [string, string][])
        : []),
      ['full catalog pull', `${fmt(catalogCount)} products in ${fullPullSeconds.toFixed(2)} s (one register, pages of ${PULL_LIMIT})`],
      ['pull phase', `${fmt(changed.size)} changed products × ${fmt(registers.length)} registers in ${pullSeconds.toFixed(2)} s; per register p50 ${percentile(pullTimes, 0.5).toFixed(0)} ms, p95 ${percentile(pullTimes, 0.95).toFixed(0)} ms; ${fencedWaits} waits at the xid fence, ${pullRetries.n} retried, ${wrongPulls} wrong`],
      ['pull CPU', cpuLine(pullCpuReport, changed.size * registers.length, 'product served')],
      ['HQ peak RSS', `${hqs.map((h, i) => `HQ ${i + 1}: ${fmt(peakPerHq[i] ?? 0)} MB`).join(', ')} during push+pull (start-up incl. seeding: ${hqs.map((h) => `${fmt(h.startupPeakMb)} MB`).join(', ')})`],
      ['verified', `${fmt(storedIds.size)} sales at HQ; lost ${lost}, duplicated ${duplicated}, body hash differs ${hashMismatch}, sampled bodies differ ${bodyMismatch}/${sample.length}, not ours ${foreign}, conflicts ${conflicts}, alerts ${alerts}${alerts ? ` (${alertKinds.map((a) => `${a.kind} ${a.n}`).join(', ')})` : ''}`],
      ['wall time', `${wall.toFixed(1)} s for the whole run`],
    ];
    const width = Math.max(...table.map(([k]) => k.length));
    console.log(`\nKassa sync benchmark (${new Date().toISOString()}, ${process.version}, ${cpus().length} cores)`);
    for (const [k, v] of table) console.log(`  ${k.padEnd(width)}  ${v}`);
    if (profileText) console.log(profileText);

    const floorFailed = floor !== null && (floor.stored !== totalSales || floor.alerts > 0);
    if (floorFailed) console.log(`\nFAILED: the floor run stored ${floor?.stored} of ${totalSales} sales with ${floor?.alerts} alerts.`);
    const failed = floorFailed || lost > 0 || duplicated > 0 || hashMismatch > 0 || bodyMismatch > 0 || conflicts > 0 || alerts > 0 || wrongPulls > 0;
    if (failed) console.log('\nFAILED: HQ did not keep every sale exactly once as sent (see "verified").');
    await baselinePool.end();
    baselinePool = null;
    monitorOpen = false;
    await monitor.end();
    // HQ first: dropping the database under running HQ processes kills their connections.
    for (const hq of hqs) await stopHq(hq).catch(() => undefined);
    await db.drop();
    if (profDir) rmSync(profDir, { recursive: true, force: true });
    console.log(
      JSON.stringify({
        registers: opts.registers,
        sales: totalSales,
        sales_per_s: Math.round(salesPerS),
        baseline_per_s: Math.round(baselinePerS),
        ratio: round(ratio, 2),
        push_p95_ms: round(percentile(latencies, 0.95)),
        hq_peak_mb: round(hqPeakMb),
        lost,
        duplicated,
      }),
    );
    return failed ? 1 : 0;
  } catch (e) {
    for (const hq of hqs) {
      const out = hq.output().trim();
      if (out) log(`HQ ${hq.index + 1} output (last 2000 characters):\n${out.slice(-2000)}`);
    }
    throw e;
  } finally {
    for (const hq of hqs) await stopHq(hq).catch(() => undefined);
    await baselinePool?.end().catch(() => undefined);
    if (monitorOpen) await monitor.end().catch(() => undefined);
    await db.drop().catch(() => undefined);
    if (profDir && existsSync(profDir)) rmSync(profDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
