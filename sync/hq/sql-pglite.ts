import { PGlite } from '@electric-sql/pglite';
import type { Queryable, Sql, SqlParam } from './sql.ts';

/** PGlite: PostgreSQL compiled to WebAssembly, in this process. `dataDir` undefined = in memory. */
export async function openPglite(dataDir?: string): Promise<Sql> {
  const db = dataDir ? new PGlite(dataDir) : new PGlite();
  await db.waitReady;
  const q = async <T>(runner: Pick<PGlite, 'query'>, text: string, params?: readonly SqlParam[]): Promise<T[]> =>
    (await runner.query<T>(text, params ? [...params] : [])).rows;
  return {
    kind: 'pglite',
    query: (text, params) => q(db, text, params),
    async transaction(fn) {
      return db.transaction(async (tx) => {
        const scoped: Queryable = { query: (text, params) => q(tx, text, params) };
        return fn(scoped);
      });
    },
    async exec(text) {
      await db.exec(text);
    },
    async listen(channel, onNotify) {
      const unsub = await db.listen(channel, onNotify);
      return async () => unsub();
    },
    async close() {
      await db.close();
    },
  };
}
