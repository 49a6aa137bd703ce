import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The two storage backends HQ runs on. PGlite needs nothing; PostgreSQL is the server on the
 * machine (KASSA_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres). Each test
 * file gets a database of its own, dropped afterwards.
 */
export const PG_ADMIN_URL = process.env.KASSA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<boolean> | null = null;

/** Whether the PostgreSQL server answers. Under CI=true it must: a silent skip would hide a broken CI. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (e) {
      if (process.env.CI === 'true') throw new Error(`PostgreSQL at ${PG_ADMIN_URL} is required under CI=true: ${String(e)}`);
      console.warn(`PostgreSQL at ${PG_ADMIN_URL} is not reachable (${String(e)}): the PostgreSQL tests are skipped.`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database and returns its URL and a function that drops it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kassa_it_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export interface Backend {
  name: 'pglite' | 'postgres';
  /** HQ options selecting this backend; `cleanup` removes what `prepare` made. */
  prepare(): Promise<{ databaseUrl?: string; memory?: boolean; cleanup(): Promise<void> }>;
}

export const BACKENDS: Backend[] = [
  { name: 'pglite', prepare: async () => ({ memory: true, cleanup: async () => undefined }) },
  {
    name: 'postgres',
    prepare: async () => {
      const db = await createTestDatabase();
      return { databaseUrl: db.url, cleanup: db.drop };
    },
  },
];

/** Top-level await in a test file: the backends to run against, PostgreSQL only when reachable. */
export async function availableBackends(): Promise<Backend[]> {
  return (await postgresReachable()) ? BACKENDS : BACKENDS.filter((b) => b.name !== 'postgres');
}
