/**
 * Token buckets per key (a client address): `capacity` requests at once, refilled at
 * `perMinute` a minute. Used for enrolment and for failed token attempts, so a stolen-laptop
 * script cannot guess or spray. In memory per HQ process; with several HQ processes behind a
 * balancer each holds its own buckets (the limit is then per process).
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
