import pg from 'pg';
import type { Queryable, Sql, SqlParam } from './sql.ts';

// int8 (bigint) columns come back as strings by default; our bigints are cents and counts far
// below 2^53, so read them as numbers. xid8 stays a string (it is cast to text in queries).
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Statements HQ runs again and again (a push's multi-row insert, the chain check) are prepared
 * once per connection: PostgreSQL then skips parsing and planning them on every push.
 */
const names = new Map<string, string>();
function prepared(text: string, params: readonly SqlParam[] | undefined): pg.QueryConfig<SqlParam[]> {
  const values = params ? [...params] : [];
  if (values.length === 0) return { text, values };
  let name = names.get(text);
  if (!name) {
    name = `k${names.size}`;
    // Bounded: statement shapes are few (batch sizes), but never let the map grow without end.
    if (names.size < 1000) names.set(text, name);
    else return { text, values };
  }
  return { name, text, values };
}

/** PostgreSQL through a connection pool (`DATABASE_URL=postgres://...`). */
export async function openPostgres(connectionString: string, max = 10): Promise<Sql> {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => {
    /* an idle client died (e.g. the server restarted); the pool replaces it */
  });
  await pool.query('SELECT 1');
  // One connection holds every LISTEN of this process (the change feed, the rate limits), so
  // listening takes one client from the pool, not one per channel.
  let listener: Promise<pg.PoolClient> | null = null;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const listening = (): Promise<pg.PoolClient> =>
    (listener ??= pool.connect().then((client) => {
      client.on('notification', (msg) => {
        for (const onNotify of handlers.get(msg.channel) ?? []) onNotify(msg.payload ?? '');
      });
      return client;
    }).catch((e: unknown) => {
      listener = null;
      throw e;
    }));
  return {
    kind: 'postgres',
    async query<T>(text: string, params?: readonly SqlParam[]) {
      return (await pool.query(prepared(text, params))).rows as T[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const scoped: Queryable = {
          query: async <T>(text: string, params?: readonly SqlParam[]) =>
            (await client.query(prepared(text, params))).rows as T[],
        };
        const result = await fn(scoped);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async exec(text) {
      await pool.query(text);
    },
    async listen(channel, onNotify) {
      const client = await listening();
      let callbacks = handlers.get(channel);
      if (!callbacks) {
        callbacks = new Set();
        handlers.set(channel, callbacks);
        await client.query(`LISTEN ${channel}`);
      }
      callbacks.add(onNotify);
      const mine = callbacks;
      return async () => {
        mine.delete(onNotify);
        if (mine.size > 0 || handlers.get(channel) !== mine) return;
        handlers.delete(channel);
        await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
      };
    },
    async close() {
      const client = listener;
      listener = null;
      handlers.clear();
      if (client) (await client).release();
      await pool.end();
    },
  };
}
