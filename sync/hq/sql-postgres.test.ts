import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openPostgres, whereIs } from './sql-postgres.ts';

// What IT reads when HQ cannot reach its PostgreSQL: where it looked, never the password.

describe('openPostgres without a PostgreSQL to reach', () => {
  it('says where it looked and why, without the user or password', async () => {
    // A port nothing listens on: bound, then closed again.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const e = await openPostgres(`postgres://kassa:s3cret-pw@127.0.0.1:${port}/kassa_hq`).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(new RegExp(`^cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}/kassa_hq \\(DATABASE_URL\\): .*ECONNREFUSED`));
    expect((e as Error).message).not.toContain('s3cret-pw');
    expect((e as Error).message).not.toContain('kassa:');
  });

  it('names host, port and database of any connection string', () => {
    expect(whereIs('postgres://u:p@db.example:6543/hq')).toBe('db.example:6543/hq');
    expect(whereIs('postgresql://db.example/hq')).toBe('db.example:5432/hq');
    expect(whereIs('not a url')).toBe('(a DATABASE_URL that is not a URL)');
  });
});
