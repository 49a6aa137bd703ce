import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

describe('rate limiter', () => {
  it('allows a burst up to capacity, then refuses with the wait until the next request', () => {
    const limiter = new RateLimiter(3, 6); // 3 at once, one more every 10 s
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('10.0.0.1', t0).ok)).toEqual([true, true, true]);
    const refused = limiter.take('10.0.0.1', t0);
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterMs).toBe(10_000);
    expect(limiter.take('10.0.0.1', t0 + 9_999).ok).toBe(false);
    expect(limiter.take('10.0.0.1', t0 + 20_000).ok).toBe(true);
  });

  it('keeps clients apart', () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('a', 0).ok).toBe(false);
    expect(limiter.take('b', 0).ok).toBe(true);
  });

  it('checks without spending, and never holds more than capacity after a long pause', () => {
    const limiter = new RateLimiter(2, 60);
    expect(limiter.check('a', 0).ok).toBe(true);
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.check('a', 0).ok).toBe(false);
    const later = 3_600_000;
    expect([1, 2, 3].map(() => limiter.take('a', later).ok)).toEqual([true, true, false]);
  });

  it('forgets the oldest clients beyond its key limit', () => {
    const limiter = new RateLimiter(1, 1, 2);
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0);
    // 'a' was forgotten: it starts with a full bucket again.
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('c', 0).ok).toBe(false);
  });
});
