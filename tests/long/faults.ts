import { parseArgs } from 'node:util';
import { createTestDatabase, postgresReachable } from '../support/backends.ts';
import { openDatabase } from '../../sync/hq/server.ts';
import { HqStore } from '../../sync/hq/store.ts';
import { DEFAULT_REGISTERS, type ScenarioReport, formatReport, processHq, runFaultScenario } from '../support/fault-scenario.ts';
import { createHqProcess } from '../support/hq-process.ts';

/**
 * The long fault run: registers sell through the fault proxy (drops, delays, duplicates, cuts,
 * offline periods) while HQ — a real process — is killed with SIGKILL at random moments during
 * ingestion and restarted on the same port and data. Then every sale must be at HQ exactly once.
 *
 *   npx tsx tests/long/faults.ts [--sales 1000] [--kills 20] [--backend pglite|postgres|both] [--seed 1]
 *
 * Prints counts per backend (sales made, at HQ, lost, duplicated, the proxy's faults, timings),
 * then kills HQ once more and reads its database directly. Exits 1 on any lost, duplicated,
 * extra or changed sale. Open alerts at HQ (conflicts, chain flags) are printed.
 */

const { values } = parseArgs({
  options: {
    sales: { type: 'string', default: process.env.KASSA_FAULT_SALES ?? '1000' },
    kills: { type: 'string', default: process.env.KASSA_FAULT_KILLS ?? '20' },
    backend: { type: 'string', default: 'both' },
    seed: { type: 'string', default: '1' },
    products: { type: 'string', default: '300' },
    quiet: { type: 'boolean', default: false },
  },
});

function whole(text: string, what: string): number {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`${what} must be a whole number, got ${text}`);
    process.exit(2);
  }
  return n;
}

const sales = whole(values.sales, '--sales');
const kills = whole(values.kills, '--kills');
const seed = whole(values.seed, '--seed');
const products = whole(values.products, '--products');
if (!['pglite', 'postgres', 'both'].includes(values.backend)) {
  console.error(`--backend must be pglite, postgres or both, got ${values.backend}`);
  process.exit(2);
}

const started = Date.now();
const stamp = (): string => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;
const log = (line: string): void => {
  if (!values.quiet) console.log(`${stamp()}  ${line}`);
};

interface Outcome {
  report: ScenarioReport;
  /** Read from HQ's database directly after one more SIGKILL. */
  inDatabase: number;
  distinctInDatabase: number;
  openAlerts: string[];
}

async function runOn(backend: 'pglite' | 'postgres'): Promise<Outcome> {
  const db = backend === 'postgres' ? await createTestDatabase() : null;
  const hq = await createHqProcess({ demoProducts: products, ...(db ? { env: { DATABASE_URL: db.url } } : {}) });
  try {
    await hq.start();
    log(`${backend}: HQ up at ${hq.url}`);
    const report = await runFaultScenario({
      hq: processHq(hq),
      sales,
      seed,
      kills,
      killJitterMs: 400,
      proxy: {
        faults: { drop: 0.08, cut: 0.08, duplicate: 0.08, fail: 0.04, failStatus: 502, delay: 0.3, maxDelayMs: 200, maxStreamMs: 5000 },
        downPeriods: Math.max(2, Math.round(kills / 4)),
        downMs: [500, 2500],
      },
      salePauseMs: [10, 80],
      settleTimeoutMs: 120_000,
      log: (line) => log(`${backend}: ${line}`),
    });
    // One more SIGKILL, then HQ's database itself.
    await hq.kill();
    const sql = await openDatabase(db ? { databaseUrl: db.url } : { dataDir: hq.dataDir });
    try {
      const store = new HqStore(sql);
      const ids = (await Promise.all(DEFAULT_REGISTERS.map(async (r) => (await store.listSales(r.storeId, 1_000_000)).filter((s) => s.registerId === r.registerId))))
        .flat()
        .map((s) => s.id);
      const openAlerts = (await store.alerts({ open: true })).map((a) => `${a.kind} ${a.recordId}: ${a.message}`);
      return { report, inDatabase: ids.length, distinctInDatabase: new Set(ids).size, openAlerts };
    } finally {
      await sql.close();
    }
  } catch (e) {
    console.error(`${backend}: the run failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\nHQ's output (last part):\n${hq.output().slice(-4000)}`);
    throw e;
  } finally {
    await hq.dispose();
    await db?.drop();
  }
}

const backends: ('pglite' | 'postgres')[] = [];
if (values.backend !== 'postgres') backends.push('pglite');
if (values.backend !== 'pglite') {
  if (await postgresReachable()) backends.push('postgres');
  else if (values.backend === 'postgres') {
    console.error('PostgreSQL is not reachable');
    process.exit(2);
  }
}

let failed = false;
for (const backend of backends) {
  try {
    const { report, inDatabase, distinctInDatabase, openAlerts } = await runOn(backend);
    console.log(`\n== ${backend}: ${sales} sales, 3 registers, ${kills} HQ kills ==\n${formatReport(report)}`);
    console.log(`after a final SIGKILL HQ's database holds ${inDatabase} sales of these registers (${distinctInDatabase} distinct); open alerts: ${openAlerts.length}`);
    for (const a of openAlerts.slice(0, 20)) console.log(`  alert ${a}`);
    console.log('');
    if (!report.ok || inDatabase !== sales || distinctInDatabase !== sales) failed = true;
  } catch {
    failed = true;
  }
}
console.log(failed ? `FAILED after ${stamp()}` : `OK: no sale lost or duplicated (${stamp()})`);
process.exit(failed ? 1 : 0);
