import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { localDay } from '../../src/assortment.ts';
import { type AppOptions, buildApp } from './app.ts';
import { migrate } from './migrations.ts';
import { type SeedResult, seedDemo } from './seed.ts';
import type { Sql } from './sql.ts';
import { openPglite } from './sql-pglite.ts';
import { openPostgres } from './sql-postgres.ts';
import { DEFAULT_TOKEN_TTL_DAYS, HqStore } from './store.ts';

export interface HqOptions {
  port?: number;
  host?: string;
  /** PGlite data folder. Ignored when databaseUrl is set. */
  dataDir?: string;
  /** PGlite in memory (tests). */
  memory?: boolean;
  /** PostgreSQL instead of PGlite. */
  databaseUrl?: string;
  /** Fixed admin (enrolment) token; otherwise one is generated once and kept in the database. */
  adminToken?: string;
  /** Seed a demo chain with this many products when the database is empty; 0 = no demo. */
  demoProducts?: number;
  rendererDir?: string;
  log?: boolean;
  heartbeatMs?: number;
  /** Register token lifetime in days (default 365). */
  tokenTtlDays?: number;
  enrolRate?: AppOptions['enrolRate'];
  authFailureRate?: AppOptions['authFailureRate'];
  onSeedProgress?: (table: string, n: number) => void;
  /** What happened to HQ's PostgreSQL connections (lost, listening again), for HQ's log. */
  onDatabaseEvent?: (message: string) => void;
}

export interface RunningHq {
  url: string;
  adminToken: string;
  store: HqStore;
  seeded: SeedResult | null;
  close(): Promise<void>;
}

export async function openDatabase(opts: Pick<HqOptions, 'databaseUrl' | 'dataDir' | 'memory' | 'onDatabaseEvent'>): Promise<Sql> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, 10, opts.onDatabaseEvent);
  if (opts.memory) return openPglite();
  const dir = resolve(opts.dataDir ?? 'data');
  mkdirSync(dir, { recursive: true });
  return openPglite(resolve(dir, 'pglite'));
}

export async function startHq(opts: HqOptions = {}): Promise<RunningHq> {
  const sql = await openDatabase(opts);
  try {
    await migrate(sql);
    const seeded = opts.demoProducts
      ? await seedDemo(sql, { products: opts.demoProducts, today: localDay(new Date()) }, opts.onSeedProgress)
      : null;
    const store = new HqStore(sql, (opts.tokenTtlDays ?? DEFAULT_TOKEN_TTL_DAYS) * 86_400_000);
    const adminToken = opts.adminToken ?? (await store.ensureSetting('admin_token', randomBytes(18).toString('base64url')));
    const app = await buildApp({
      store,
      adminToken,
      ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}),
      ...(opts.log !== undefined ? { log: opts.log } : {}),
      ...(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {}),
      ...(opts.enrolRate ? { enrolRate: opts.enrolRate } : {}),
      ...(opts.authFailureRate ? { authFailureRate: opts.authFailureRate } : {}),
    });
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ port: opts.port ?? 0, host });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : opts.port;
    return {
      url: `http://${host}:${port}`,
      adminToken,
      store,
      seeded,
      async close() {
        await app.close();
        await sql.close();
      },
    };
  } catch (e) {
    await sql.close().catch(() => undefined);
    throw e;
  }
}
