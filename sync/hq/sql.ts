/**
 * The seam between HQ's storage logic and its database. Two implementations: PGlite (embedded,
 * the default) and PostgreSQL (`DATABASE_URL`). The storage logic and the migrations are written
 * once, over this interface.
 */
export type SqlParam = string | number | boolean | null | bigint;

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: readonly SqlParam[]): Promise<T[]>;
}

export interface Sql extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: all of it commits, or none of it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements separated by semicolons (migrations). */
  exec(text: string): Promise<void>;
  /**
   * Calls onNotify for NOTIFY on `channel` from any connection/process. An empty payload says
   * notices may have been missed (PostgreSQL: the listening connection was lost and is back).
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A text[] literal for a parameter (`= ANY($1::text[])`, or a text[] column's value). */
export function toPgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
