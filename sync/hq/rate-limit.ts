import { randomUUID } from 'node:crypto';
import type { Sql } from './sql.ts';

/**
 * Token buckets per key (a client address): `capacity` requests at once, refilled at
 * `perMinute` a minute. Used for enrolment and for failed token attempts, so a stolen-laptop
 * script cannot guess or spray. Checked in memory; HQ processes on one database tell each
 * other what they spend (`shareLimiters`), so the limit holds across them.
 */
export interface RateDecision {
  ok: boolean;
  /** When not ok: how long until one more request is allowed. */
  retryAfterMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly capacity: number,
    readonly perMinute: number,
    private readonly maxKeys = 10_000,
  ) {}

  private refill(key: string, now: number): { tokens: number; at: number } {
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    const elapsed = Math.max(0, now - b.at);
    b.tokens = Math.min(this.capacity, b.tokens + (elapsed * this.perMinute) / 60_000);
    b.at = now;
    return b;
  }

  /** Spends one token when there is one. */
  take(key: string, now = Date.now()): RateDecision {
    const decision = this.check(key, now);
    if (decision.ok) {
      const b = this.buckets.get(key);
      if (b) b.tokens -= 1;
    }
    return decision;
  }

  /** Whether a request would be allowed, without spending. */
  check(key: string, now = Date.now()): RateDecision {
    const b = this.refill(key, now);
    this.remember(key, b);
    return b.tokens >= 1 ? { ok: true, retryAfterMs: 0 } : { ok: false, retryAfterMs: Math.ceil(((1 - b.tokens) * 60_000) / this.perMinute) };
  }

  private remember(key: string, b: { tokens: number; at: number }): void {
    this.buckets.delete(key);
    this.buckets.set(key, b);
    // Forget the least recently seen keys beyond the limit (their buckets were full anyway, mostly).
    while (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}

/** The channel on which HQ processes tell each other the rate-limit tokens they spent. */
export const RATE_CHANNEL = 'kassa_rate_limits';

export interface SharedLimiters<N extends string> {
  /** Spends one token of `name`'s bucket for `key` here, and tells the other HQ processes. */
  spend(name: N, key: string): Promise<RateDecision>;
  close(): Promise<void>;
}

/**
 * Keeps the limiters of every HQ process on one database in step: a token spent here is spent
 * in the others' buckets too (PostgreSQL NOTIFY; in-process on PGlite), so a guesser spreading
 * tries over two processes behind a balancer gets the budget of one. Only spending is told,
 * so the check on every request stays in memory. A process that starts, or misses a notice
 * while its listening connection is down, counts only what it sees from then on.
 */
export async function shareLimiters<N extends string>(sql: Sql, limiters: Record<N, RateLimiter>, onError: (e: unknown) => void = () => undefined): Promise<SharedLimiters<N>> {
  const me = randomUUID();
  const unlisten = await sql.listen(RATE_CHANNEL, (payload) => {
    let notice: { p?: unknown; l?: unknown; k?: unknown };
    try {
      notice = JSON.parse(payload) as typeof notice;
    } catch {
      return;
    }
    if (notice.p === me || typeof notice.k !== 'string' || typeof notice.l !== 'string' || !Object.hasOwn(limiters, notice.l)) return;
    limiters[notice.l as N].take(notice.k);
  });
  return {
    async spend(name, key) {
      const decision = limiters[name].take(key);
      if (decision.ok) await sql.query('SELECT pg_notify($1, $2)', [RATE_CHANNEL, JSON.stringify({ p: me, l: name, k: key })]).catch(onError);
      return decision;
    },
    close: unlisten,
  };
}
