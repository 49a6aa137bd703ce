import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MAX_CENTS, MoneyError } from './money.ts';
import { roundCash } from './rounding.ts';

describe('roundCash: Dutch rounding of a cash total to 5 cents', () => {
  it.each([
    [1000, 1000],
    [1001, 1000],
    [1002, 1000],
    [1003, 1005],
    [1004, 1005],
    [1005, 1005],
    [1006, 1005],
    [1007, 1005],
    [1008, 1010],
    [1009, 1010],
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 5],
    [99_999, 100_000],
  ])('rounds %i cents to %i', (cents, rounded) => {
    expect(roundCash(cents)).toBe(rounded);
  });

  it('rounds refunds symmetrically', () => {
    expect(roundCash(-1001)).toBe(-1000);
    expect(roundCash(-1003)).toBe(-1005);
    expect(roundCash(-1007)).toBe(-1005);
    expect(roundCash(-1008)).toBe(-1010);
  });

  it('refuses amounts that are not cents', () => {
    expect(() => roundCash(10.03)).toThrow(MoneyError);
    expect(() => roundCash(Number.NaN)).toThrow(MoneyError);
    expect(() => roundCash(MAX_CENTS + 1)).toThrow(MoneyError);
  });

  it('lands on a multiple of 5 at most 2 cents away, and is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_CENTS + 5, max: MAX_CENTS - 5 }), (x) => {
        const r = roundCash(x);
        expect(Math.abs(r % 5)).toBe(0);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(2);
        expect(roundCash(r) + 0).toBe(r + 0);
        expect(roundCash(-x) + 0).toBe(-r + 0); // + 0 folds -0 into 0
      }),
    );
  });

  it('is monotonic: paying more never rounds to less (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_CENTS + 5, max: MAX_CENTS - 6 }), (x) => {
        expect(roundCash(x + 1)).toBeGreaterThanOrEqual(roundCash(x));
      }),
    );
  });
});
