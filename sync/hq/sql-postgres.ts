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

/** After the listening connection was lost: first wait before listening again, and the longest. */
const LISTEN_RETRY_MS = 500;
const LISTEN_RETRY_MAX_MS = 10_000;

/** Host, port and database of a connection string, for messages: never its user or password. */
export function whereIs(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}/${decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)'}`;
  } catch {
    return '(a DATABASE_URL that is not a URL)';
  }
}

/** PostgreSQL through a connection pool (`DATABASE_URL=postgres://...`). */
export async function openPostgres(connectionString: string, max = 10, onEvent: (message: string) => void = () => undefined): Promise<Sql> {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => {
    /* an idle client died (e.g. the server restarted); the pool replaces it */
  });
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot reach PostgreSQL at ${whereIs(connectionString)} (DATABASE_URL): ${e instanceof Error ? e.message : String(e)}`);
  }
  // One connection holds every LISTEN of this process (the change feed, the rate limits), so
  // listening takes one client from the pool, not one per channel. When it is lost (PostgreSQL
  // restarted, the backend terminated) a new one listens again, and every listener hears an
  // empty payload: notices may have been missed meanwhile.
  let listener: Promise<pg.PoolClient> | null = null;
  let closed = false;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const tell = (channel: string, payload: string): void => {
    for (const onNotify of handlers.get(channel) ?? []) {
      try {
        onNotify(payload);
      } catch {
        // A listener's own failure is its own: it must not end HQ from a connection's event.
      }
    }
  };
  const connectListener = async (): Promise<pg.PoolClient> => {
    const client = await pool.connect();
    let gone = false;
    const lost = (retry = true, why?: unknown): void => {
      if (gone) return;
      gone = true;
      if (!closed && retry) onEvent(`lost the connection listening for change notices (${why instanceof Error ? why.message : 'closed'}); listening again on a new one`);
      try {
        client.release(true);
      } catch {
        // Already given back (close() released it before the pool ended it).
      }
      if (closed || !retry) return;
      listener = null;
      if (handlers.size > 0) void relisten(LISTEN_RETRY_MS);
    };
    // Without an error handler a lost connection would be an uncaught exception: HQ would exit.
    client.on('error', (e) => lost(true, e));
    client.on('end', () => lost());
    client.on('notification', (msg) => tell(msg.channel, msg.payload ?? ''));
    try {
      for (const channel of handlers.keys()) await client.query(`LISTEN ${channel}`);
    } catch (e) {
      lost(false);
      throw e;
    }
    return client;
  };
  const relisten = async (waitMs: number, attempt = 1): Promise<void> => {
    await new Promise((r) => setTimeout(r, waitMs));
    if (closed || listener) return;
    try {
      await listening();
    } catch (e) {
      const next = Math.min(waitMs * 2, LISTEN_RETRY_MAX_MS);
      onEvent(`cannot listen for change notices yet (${e instanceof Error ? e.message : String(e)}); trying again in ${next / 1000} s`);
      void relisten(next, attempt + 1);
      return;
    }
    onEvent(`listening for change notices again (attempt ${attempt}); the registers' streams are told to pull everything`);
    for (const channel of handlers.keys()) tell(channel, '');
  };
  const listening = (): Promise<pg.PoolClient> =>
    (listener ??= connectListener().catch((e: unknown) => {
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
      // A connection lost mid-transaction (PostgreSQL restarting) is emitted as an error event
      // too: unheard, it would end HQ. The transaction fails with it (the push answers 500 and
      // the register sends again), and the client is destroyed, not handed back to the pool.
      let lost: Error | null = null;
      const onError = (e: Error): void => {
        lost = e;
      };
      client.on('error', onError);
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
        if (!lost) await client.query('ROLLBACK').catch(() => undefined);
        else onEvent(`a transaction lost its connection (${(lost as Error).message}); its request failed`);
        throw e;
      } finally {
        client.off('error', onError);
        client.release(lost ?? undefined);
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
        // On the connection listening now: it may be a new one since this listen began.
        const current = await listener?.catch(() => null);
        await current?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      };
    },
    async close() {
      closed = true;
      const client = listener;
      listener = null;
      handlers.clear();
      if (client) {
        await client.then(
          (c) => {
            try {
              c.release();
            } catch {
              // Lost and given back already.
            }
          },
          () => undefined,
        );
      }
      await pool.end();
    },
  };
}
