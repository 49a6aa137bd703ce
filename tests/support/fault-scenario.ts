import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { type Cart, type SellableProduct, addToCart, cartTotals, emptyCart } from '../../src/cart.ts';
import { type CompletedSale, type TenderInput, cashDue } from '../../src/sale.ts';
import type { SyncStatus } from '../../sync/client/api.ts';
import { databaseName } from '../../sync/client/database.ts';
import { enrolmentApi, openRegister } from '../../sync/client/index.ts';
import { ackSchema } from '../../sync/client/schemas.ts';
import type { SalesListResponse } from '../../sync/protocol/wire.ts';
import { type FaultConfig, type FaultCounts, type FaultProxy, NO_FAULTS, prng, startFaultProxy } from './fault-proxy.ts';

/**
 * The fault scenario shared by tests/integration/faults.test.ts and tests/long/faults.ts:
 * registers (real sync clients: RxDB on fake-indexeddb) sell while the network between them and
 * HQ drops, delays, duplicates and cuts requests and goes fully down now and then (a fault proxy),
 * and/or HQ is killed with SIGKILL at random moments during ingestion and restarted on the same
 * port and data. Afterwards every register must reach pending 0 by itself and HQ must hold every
 * completed sale exactly once, with the body the register made; after every restart, every sale
 * a register had an `ok` acknowledgement for must still be at HQ.
 *
 * Each register runs in a worker thread of its own: RxDB's open-source build allows 13 open
 * collections per JavaScript realm and a register has six, so three registers cannot share one.
 */

export interface RegisterSpec {
  storeId: string;
  registerId: string;
}

export const DEFAULT_REGISTERS: readonly RegisterSpec[] = [
  { storeId: '1001', registerId: '01' },
  { storeId: '1002', registerId: '02' },
  { storeId: '1003', registerId: '03' },
];

/** HQ as the scenario sees it: where it is, its sales, and (when it is a process) kill and start. */
export interface ScenarioHq {
  readonly url: string;
  readonly adminToken: string;
  listSales(storeId: string): Promise<CompletedSale[]>;
  kill?(): Promise<void>;
  start?(): Promise<void>;
}

/** An HQ started in this process (`startHq`). */
export function inProcessHq(hq: { url: string; adminToken: string; store: { listSales(storeId: string, limit: number): Promise<CompletedSale[]> } }): ScenarioHq {
  return { url: hq.url, adminToken: hq.adminToken, listSales: (storeId) => hq.store.listSales(storeId, 1_000_000) };
}

/** HQ as a separate process (tests/support/hq-process.ts), read over HTTP with the admin token. */
export function processHq(hq: { url: string; adminToken: string; kill(): Promise<void>; start(): Promise<void> }): ScenarioHq {
  const LIMIT = 1000;
  return {
    url: hq.url,
    adminToken: hq.adminToken,
    async listSales(storeId) {
      const res = await fetch(`${hq.url}/api/stores/${storeId}/sales?limit=${LIMIT}`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
      if (!res.ok) throw new Error(`HQ answered ${res.status} for the sales of ${storeId}: ${await res.text()}`);
      const { sales } = (await res.json()) as SalesListResponse;
      if (sales.length >= LIMIT) throw new Error(`store ${storeId} holds ${LIMIT} or more sales: too many to check over HTTP`);
      return sales;
    },
    kill: () => hq.kill(),
    start: () => hq.start(),
  };
}

export interface ScenarioOptions {
  hq: ScenarioHq;
  /** Sales in total, spread over the registers. */
  sales: number;
  registers?: readonly RegisterSpec[];
  seed?: number;
  /** Put a fault proxy between the registers and HQ. */
  proxy?: {
    faults: Partial<FaultConfig>;
    /** Times the proxy goes fully down (offline periods), spread over the selling. */
    downPeriods?: number;
    /** How long one offline period lasts, ms [min, max]. */
    downMs?: readonly [number, number];
  } | null;
  /** SIGKILLs of HQ, spread over the selling (needs `hq.kill` and `hq.start`). */
  kills?: number;
  /** After HQ has acknowledged something again, wait 0..this ms before the next kill. */
  killJitterMs?: number;
  /** Pause between two sales of one register, ms [min, max]. */
  salePauseMs?: readonly [number, number];
  /** How long the registers get to reach pending 0 once the faults stop. */
  settleTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RegisterReport {
  register: string;
  made: number;
  atHq: number;
  pendingAtEnd: number;
  onlineAtEnd: boolean;
  offlineTransitions: number;
}

export interface ScenarioReport {
  /** No sale lost, duplicated, changed or extra; every register at pending 0; nothing refused. */
  ok: boolean;
  problems: string[];
  made: number;
  atHq: number;
  /** Made at a register, not at HQ. */
  missing: string[];
  /** At HQ for these registers, never made (or made twice under one number). */
  extra: string[];
  /** At HQ more than once. */
  duplicated: string[];
  /** At HQ with another body than the register made. */
  changed: string[];
  /** Acknowledged `ok` to a register before a kill, not at HQ after the restart. */
  ackedLost: string[];
  /** Acknowledgements checked against HQ after restarts (sum over restarts). */
  ackedChecked: number;
  /** Acks that are not `ok` (conflict, refused) at the end. */
  notOk: string[];
  kills: number;
  /** Kills made while HQ was acknowledging sales (an ack came in since the restart). */
  killsDuringIngestion: number;
  restartMs: number[];
  proxy: FaultCounts | null;
  registers: RegisterReport[];
  sellingMs: number;
  /** From "faults off" to every register at pending 0. */
  settleMs: number;
  elapsedMs: number;
}

// ---------------------------------------------------------------------------------------------
// Comparing what the registers made with what HQ holds
// ---------------------------------------------------------------------------------------------

function strip(sale: object): Record<string, unknown> {
  const { _deleted: _d, receivedAt: _r, ...rest } = sale as Record<string, unknown>;
  return rest;
}

export interface SalesDiff {
  missing: string[];
  extra: string[];
  duplicated: string[];
  changed: string[];
}

/** Every sale made exactly once at HQ, with the same body; nothing else for these registers. */
export function diffSales(made: readonly CompletedSale[], atHq: readonly CompletedSale[]): SalesDiff {
  const madeBy = new Map<string, CompletedSale>();
  const extra: string[] = [];
  for (const s of made) {
    if (madeBy.has(s.receiptNo)) extra.push(s.receiptNo);
    madeBy.set(s.receiptNo, s);
  }
  const seen = new Map<string, number>();
  const changed: string[] = [];
  for (const s of atHq) {
    seen.set(s.receiptNo, (seen.get(s.receiptNo) ?? 0) + 1);
    const mine = madeBy.get(s.receiptNo);
    if (!mine) extra.push(s.receiptNo);
    else if (seen.get(s.receiptNo) === 1 && !isDeepStrictEqual(strip(mine), strip(s))) changed.push(s.receiptNo);
  }
  return {
    missing: [...madeBy.keys()].filter((r) => !seen.has(r)).sort(),
    extra: extra.sort(),
    duplicated: [...seen].filter(([, n]) => n > 1).map(([r]) => r).sort(),
    changed: changed.sort(),
  };
}

// ---------------------------------------------------------------------------------------------
// One register, in a worker thread
// ---------------------------------------------------------------------------------------------

const WORKER_KIND = 'kassa-fault-register';

interface WorkerInit {
  kind: typeof WORKER_KIND;
  identity: Parameters<typeof openRegister>[0];
  seed: number;
}

type Method = 'firstSync' | 'sale' | 'acks' | 'ackCount' | 'salesCount' | 'close';
type Call = { id: number; method: Method; args: unknown[] };
type FromWorker =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string }
  | { event: 'status'; status: SyncStatus };

export interface AckRow {
  id: string;
  status: string;
}

/** The register's acks as stored (RxDB on Dexie: one IndexedDB database per collection, table `docs`). */
function readAcks(factory: IDBFactory, storeId: string, registerId: string, countOnly: boolean): Promise<AckRow[] | number> {
  const name = `rxdb-dexie-${databaseName(storeId, registerId)}--${ackSchema.version}--acks`;
  return new Promise((resolve, reject) => {
    const open = factory.open(name);
    open.onerror = () => reject(open.error ?? new Error(`cannot open ${name}`));
    open.onsuccess = () => {
      const db = open.result;
      try {
        const store = db.transaction('docs', 'readonly').objectStore('docs');
        const req = countOnly ? store.count() : store.getAll();
        req.onerror = () => {
          db.close();
          reject(req.error ?? new Error(`cannot read ${name}`));
        };
        req.onsuccess = () => {
          db.close();
          const result: unknown = req.result;
          resolve(typeof result === 'number' ? result : (result as AckRow[]).map((d) => ({ id: d.id, status: d.status })));
        };
      } catch (e) {
        db.close();
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
  });
}

const LITERAL_PRODUCT: SellableProduct = {
  id: '1000001',
  itemNumber: '1000001',
  barcode: null,
  name: 'Testproduct',
  priceCents: 1295,
  vat: 'high',
  inAssortment: true,
};

async function registerWorkerMain(init: WorkerInit): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const factory = new IDBFactory();
  const storage = getRxStorageDexie({ indexedDB: factory, IDBKeyRange }) as RxStorage<unknown, unknown>;
  const client = await openRegister(init.identity, { storage });
  const random = prng(init.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  let products: SellableProduct[] = [];
  client.subscribeStatus((status) => port.postMessage({ event: 'status', status } satisfies FromWorker));
  port.postMessage({ event: 'status', status: client.getStatus() } satisfies FromWorker);

  const methods: Record<Method, (...args: unknown[]) => Promise<unknown>> = {
    async firstSync(timeoutMs) {
      const deadline = Date.now() + Number(timeoutMs);
      while (!client.getStatus().firstSync.done) {
        if (Date.now() > deadline) throw new Error(`first sync not done: ${JSON.stringify(client.getStatus())}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // The search index has no "everything" query: collect products by name prefixes.
      const byId = new Map<string, SellableProduct>();
      for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
        for (const p of await client.searchProducts(letter, 10)) byId.set(p.id, p);
        if (byId.size >= 60) break;
      }
      products = [...byId.values()];
      return products.length;
    },
    async sale() {
      let cart: Cart = emptyCart;
      const lines = 1 + Math.floor(random() * 4);
      for (let i = 0; i < lines; i++) cart = addToCart(cart, products.length ? pick(products) : LITERAL_PRODUCT, 1 + Math.floor(random() * 3));
      const total = cartTotals(cart).totalCents;
      const way = random();
      let tenders: TenderInput[];
      if (total === 0) tenders = [];
      else if (way < 0.45) tenders = [{ kind: 'cash', tenderedCents: cashDue(total) + pick([0, 0, 5, 100, 1000]) }];
      else if (way < 0.85 || total < 2) tenders = [{ kind: 'card', amountCents: total, reference: `PIN-${Math.floor(random() * 1e6)}` }];
      else {
        const card = Math.floor(total / 2);
        tenders = [
          { kind: 'card', amountCents: card, reference: 'PIN-split' },
          { kind: 'cash', tenderedCents: cashDue(total, card) + pick([0, 50]) },
        ];
      }
      return client.completeSale(cart, tenders, 'cashier');
    },
    acks: () => readAcks(factory, init.identity.storeId, init.identity.registerId, false),
    ackCount: () => readAcks(factory, init.identity.storeId, init.identity.registerId, true),
    async salesCount() {
      return (await client.recentSales(1_000_000)).length;
    },
    async close() {
      await client.close();
      return null;
    },
  };

  port.on('message', (call: Call) => {
    const fn = methods[call.method];
    fn(...call.args).then(
      (value) => port.postMessage({ id: call.id, ok: true, value } satisfies FromWorker),
      (e: unknown) => port.postMessage({ id: call.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies FromWorker),
    );
  });
}

if (!isMainThread && (workerData as { kind?: unknown } | null)?.kind === WORKER_KIND) {
  registerWorkerMain(workerData as WorkerInit).catch((e: unknown) => {
    console.error('register worker failed:', e);
    process.exit(1);
  });
}

/** The main thread's handle on a register worker. */
class RegisterHandle {
  status: SyncStatus | null = null;
  readonly made: CompletedSale[] = [];
  offlineTransitions = 0;
  private nextId = 1;
  private readonly calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private dead: Error | null = null;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly spec: RegisterSpec,
    private readonly worker: Worker,
  ) {
    worker.on('message', (m: FromWorker) => {
      if ('event' in m) {
        if (this.status?.online && !m.status.online) this.offlineTransitions++;
        this.status = m.status;
        for (const l of this.listeners) l();
        return;
      }
      const call = this.calls.get(m.id);
      if (!call) return;
      this.calls.delete(m.id);
      if (m.ok) call.resolve(m.value);
      else call.reject(new Error(`register ${this.name}: ${m.error}`));
    });
    const die = (e: Error): void => {
      this.dead ??= e;
      for (const c of this.calls.values()) c.reject(e);
      this.calls.clear();
    };
    worker.on('error', (e) => die(new Error(`register ${this.name} worker failed: ${e.message}`)));
    worker.on('exit', (code) => die(new Error(`register ${this.name} worker exited with ${code}`)));
  }

  get name(): string {
    return `${this.spec.storeId}-${this.spec.registerId}`;
  }

  static start(identity: WorkerInit['identity'], seed: number): RegisterHandle {
    // tsx's ESM API (its `import` export; require.resolve finds the `require` one beside it).
    const cjsApi = createRequire(import.meta.url).resolve('tsx/esm/api');
    const esmApi = cjsApi.replace(/\.cjs$/, '.mjs');
    const tsxApi = pathToFileURL(existsSync(esmApi) ? esmApi : cjsApi).href;
    // The worker loads this very file through tsx and becomes a register (see registerWorkerMain).
    const bootstrap =
      `import(${JSON.stringify(tsxApi)})` +
      `.then((api) => { (api.register ?? api.default.register)(); return import(${JSON.stringify(import.meta.url)}); })` +
      `.catch((e) => { console.error(e); process.exit(1); });`;
    const init: WorkerInit = { kind: WORKER_KIND, identity, seed };
    const worker = new Worker(bootstrap, { eval: true, workerData: init });
    return new RegisterHandle({ storeId: identity.storeId, registerId: identity.registerId }, worker);
  }

  call<T>(method: Method, ...args: unknown[]): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies Call);
    });
  }

  /** Resolves when `check` holds for this register's status. */
  until(what: string, check: (s: SyncStatus) => boolean, timeoutMs: number): Promise<SyncStatus> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        if (this.status && check(this.status)) {
          cleanup();
          resolve(this.status);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`register ${this.name}: timed out after ${timeoutMs} ms waiting for ${what}; status ${JSON.stringify(this.status)}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(done);
      };
      this.listeners.add(done);
      done();
    });
  }

  async close(): Promise<void> {
    if (!this.dead) {
      await Promise.race([this.call('close').catch(() => undefined), sleep(10_000)]);
    }
    await this.worker.terminate();
  }
}

// ---------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean, pollMs = 20): Promise<void> {
  while (!check()) await sleep(pollMs);
}

export async function runFaultScenario(opts: ScenarioOptions): Promise<ScenarioReport> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const seed = opts.seed ?? 1;
  const random = prng(seed);
  const between = ([lo, hi]: readonly [number, number]): number => lo + Math.floor(random() * (hi - lo + 1));
  const specs = opts.registers ?? DEFAULT_REGISTERS;
  const hq = opts.hq;
  const kills = opts.kills ?? 0;
  if (kills > 0 && (!hq.kill || !hq.start)) throw new Error('kills need an HQ that can be killed and started');
  const downPeriods = opts.proxy?.downPeriods ?? 0;
  const salePause = opts.salePauseMs ?? [20, 120];
  const problems: string[] = [];

  let proxy: FaultProxy | null = null;
  const registers: RegisterHandle[] = [];
  const ackedLost = new Set<string>();
  let ackedChecked = 0;
  let killsDone = 0;
  let killsDuringIngestion = 0;
  const restartMs: number[] = [];
  let sellingMs = 0;
  let settleMs = 0;
  // Set when any part fails, so the others stop instead of waiting for it.
  let stop = false;
  const guard = async (task: () => Promise<void>): Promise<void> => {
    try {
      await task();
    } catch (e) {
      stop = true;
      throw e;
    }
  };

  try {
    if (opts.proxy) proxy = await startFaultProxy(hq.url, { seed: (seed * 7919 + 1) >>> 0 });
    // Enrol at HQ itself; the registers then talk to HQ through the proxy.
    for (const [i, spec] of specs.entries()) {
      const identity = await enrolmentApi.enrol(hq.url, spec.storeId, spec.registerId, hq.adminToken);
      registers.push(RegisterHandle.start({ ...identity, hqUrl: proxy?.url ?? hq.url }, (seed * 31 + i + 1) >>> 0));
    }
    if (proxy && opts.proxy) proxy.setFaults(opts.proxy.faults);
    const productCounts = await Promise.all(registers.map((r) => r.call<number>('firstSync', 60_000)));
    log(`first sync done (${productCounts.join(', ')} products to sell from); selling ${opts.sales} sales`);

    // ---- selling, with offline periods and kills spread over it ---------------------------
    const quota = specs.map((_, i) => Math.floor(opts.sales / specs.length) + (i < opts.sales % specs.length ? 1 : 0));
    let made = 0;
    const progress = (): number => made / Math.max(1, opts.sales);
    let sellingDone = false;
    const sellStart = Date.now();

    const sellers = registers.map((reg, i) => guard(async () => {
      for (let n = 0; n < (quota[i] ?? 0) && !stop; n++) {
        // Keep the kills spread over the selling: never run more than one kill ahead.
        if (kills > 0) await waitUntil(() => stop || killsDone >= kills || progress() < (killsDone + 2) / (kills + 1));
        if (stop) return;
        const sale = await reg.call<CompletedSale>('sale');
        reg.made.push(sale);
        made++;
        await sleep(between(salePause));
      }
    }));

    const offline = guard(async () => {
      if (!proxy || !opts.proxy) return;
      for (let k = 0; k < downPeriods && !stop; k++) {
        await waitUntil(() => stop || sellingDone || progress() >= (k + 1) / (downPeriods + 1));
        if (stop) return;
        const ms = between(opts.proxy.downMs ?? [500, 1500]);
        log(`proxy down for ${ms} ms (period ${k + 1}/${downPeriods}, ${made} sales made)`);
        await proxy.setDown(true);
        await sleep(ms);
        await proxy.setDown(false);
      }
    });

    const ackTotal = async (): Promise<number> => (await Promise.all(registers.map((r) => r.call<number>('ackCount')))).reduce((a, b) => a + b, 0);

    const killer = guard(async () => {
      if (kills === 0 || !hq.kill || !hq.start) return;
      for (let k = 0; k < kills && !stop; k++) {
        await waitUntil(() => stop || sellingDone || progress() >= (k + 1) / (kills + 1));
        if (stop) return;
        // Kill while HQ is ingesting: wait for an acknowledgement since HQ (re)started, then a
        // random moment more.
        const base = await ackTotal();
        const deadline = Date.now() + 10_000;
        let ingesting = false;
        while (Date.now() < deadline && !stop) {
          if ((await ackTotal()) > base) {
            ingesting = true;
            break;
          }
          await sleep(25);
        }
        await sleep(Math.floor(random() * (opts.killJitterMs ?? 300)));
        await hq.kill();
        killsDone++;
        if (ingesting) killsDuringIngestion++;
        // What the registers hold as acknowledged now, HQ must still hold after the restart.
        const acked = await Promise.all(registers.map((r) => r.call<AckRow[]>('acks')));
        const t = Date.now();
        await hq.start();
        restartMs.push(Date.now() - t);
        let checked = 0;
        for (const [i, reg] of registers.entries()) {
          const atHq = new Set((await hq.listSales(reg.spec.storeId)).filter((s) => s.registerId === reg.spec.registerId).map((s) => s.receiptNo));
          for (const a of acked[i] ?? []) {
            if (a.status !== 'ok') continue;
            checked++;
            if (!atHq.has(a.id)) ackedLost.add(a.id);
          }
        }
        ackedChecked += checked;
        log(`kill ${killsDone}/${kills}${ingesting ? ' during ingestion' : ''}: ${made} sales made, ${checked} acknowledged ones checked at HQ after a ${restartMs.at(-1)} ms restart, ${ackedLost.size} lost so far`);
      }
    });

    const selling = Promise.all(sellers).finally(() => {
      sellingDone = true;
      sellingMs = Date.now() - sellStart;
    });
    const outcome = await Promise.allSettled([selling, offline, killer]);
    for (const o of outcome) if (o.status === 'rejected') throw o.reason;

    // ---- faults off: every register must get everything to HQ by itself -----------------------
    if (proxy) {
      proxy.setFaults(NO_FAULTS);
      await proxy.setDown(false);
    }
    const settleStart = Date.now();
    log(`selling done in ${sellingMs} ms; faults off, waiting for every register to be online with pending 0`);
    const settled = await Promise.allSettled(
      registers.map((r) => r.until('online with pending 0', (s) => s.online && s.pending === 0, opts.settleTimeoutMs ?? 30_000)),
    );
    for (const s of settled) if (s.status === 'rejected') problems.push(String((s.reason as Error).message));
    settleMs = Date.now() - settleStart;

    // ---- compare ------------------------------------------------------------------------------
    const diff: SalesDiff = { missing: [], extra: [], duplicated: [], changed: [] };
    const notOk: string[] = [];
    const perRegister: RegisterReport[] = [];
    let atHqTotal = 0;
    for (const reg of registers) {
      const atHq = (await hq.listSales(reg.spec.storeId)).filter((s) => s.registerId === reg.spec.registerId);
      atHqTotal += atHq.length;
      const d = diffSales(reg.made, atHq);
      diff.missing.push(...d.missing);
      diff.extra.push(...d.extra);
      diff.duplicated.push(...d.duplicated);
      diff.changed.push(...d.changed);
      for (const a of await reg.call<AckRow[]>('acks')) if (a.status !== 'ok') notOk.push(`${a.id}: ${a.status}`);
      const kept = await reg.call<number>('salesCount');
      if (kept !== reg.made.length) problems.push(`register ${reg.name} holds ${kept} sales, made ${reg.made.length}`);
      perRegister.push({
        register: reg.name,
        made: reg.made.length,
        atHq: atHq.length,
        pendingAtEnd: reg.status?.pending ?? -1,
        onlineAtEnd: reg.status?.online ?? false,
        offlineTransitions: reg.offlineTransitions,
      });
    }
    const madeTotal = registers.reduce((a, r) => a + r.made.length, 0);
    if (madeTotal !== opts.sales) problems.push(`made ${madeTotal} sales, meant ${opts.sales}`);
    if (diff.missing.length) problems.push(`missing at HQ: ${diff.missing.join(', ')}`);
    if (diff.extra.length) problems.push(`extra at HQ: ${diff.extra.join(', ')}`);
    if (diff.duplicated.length) problems.push(`duplicated at HQ: ${diff.duplicated.join(', ')}`);
    if (diff.changed.length) problems.push(`changed at HQ: ${diff.changed.join(', ')}`);
    if (ackedLost.size) problems.push(`acknowledged, then lost by a kill: ${[...ackedLost].sort().join(', ')}`);
    if (notOk.length) problems.push(`not acknowledged ok: ${notOk.join(', ')}`);
    if (killsDone !== kills) problems.push(`killed HQ ${killsDone} times, meant ${kills}`);

    return {
      ok: problems.length === 0,
      problems,
      made: madeTotal,
      atHq: atHqTotal,
      ...diff,
      ackedLost: [...ackedLost].sort(),
      ackedChecked,
      notOk,
      kills: killsDone,
      killsDuringIngestion,
      restartMs,
      proxy: proxy?.counts() ?? null,
      registers: perRegister,
      sellingMs,
      settleMs,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await Promise.all(registers.map((r) => r.close()));
    await proxy?.close();
  }
}

/** A few lines for people: counts, faults, timings. */
export function formatReport(r: ScenarioReport): string {
  const p = r.proxy;
  return [
    `sales made ${r.made}, at HQ ${r.atHq}, lost ${new Set([...r.missing, ...r.ackedLost]).size}, duplicated ${r.duplicated.length}, extra ${r.extra.length}, changed ${r.changed.length}, not ok ${r.notOk.length}`,
    `HQ kills ${r.kills} (${r.killsDuringIngestion} during ingestion), restarts ${r.restartMs.length ? `${Math.min(...r.restartMs)}–${Math.max(...r.restartMs)} ms` : '-'}, acknowledgements checked after restarts ${r.ackedChecked}`,
    p
      ? `proxy: ${p.requests} requests, passed ${p.passed}, dropped ${p.dropped}, delayed ${p.delayed}, duplicated ${p.duplicated}, cut ${p.cut}, failed ${p.failed}, upstream errors ${p.upstreamErrors}, streams ${p.streams} (cut ${p.streamsCut}), down ${p.downPeriods}× (killed ${p.killedByDown} connections)` +
        `; pushes: ${p.push.requests}, passed ${p.push.passed}, dropped ${p.push.dropped}, duplicated ${p.push.duplicated}, cut ${p.push.cut}, failed ${p.push.failed}, upstream errors ${p.push.upstreamErrors}`
      : 'proxy: none',
    `registers: ${r.registers.map((x) => `${x.register} made ${x.made} at HQ ${x.atHq} pending ${x.pendingAtEnd} offline ${x.offlineTransitions}×`).join('; ')}`,
    `selling ${(r.sellingMs / 1000).toFixed(1)} s, settling ${(r.settleMs / 1000).toFixed(1)} s, elapsed ${(r.elapsedMs / 1000).toFixed(1)} s`,
    ...(r.problems.length ? ['PROBLEMS:', ...r.problems.map((x) => `  ${x}`)] : []),
  ].join('\n');
}
