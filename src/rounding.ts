import { type Cents, assertCents } from './money.ts';

/**
 * Dutch cash rounding ("afronden op 5 cent"): a cash total is rounded to the nearest 5 cents.
 * Endings 1,2 → 0; 3,4 → 5; 6,7 → 5; 8,9 → 10. Symmetric for negative amounts (refunds).
 * Card payments are never rounded.
 */
export function roundCash(cents: Cents): Cents {
  assertCents(cents);
  const sign = cents < 0 ? -1 : 1;
  const abs = Math.abs(cents);
  const rest = abs % 5;
  const down = abs - rest;
  return sign * (rest >= 3 ? down + 5 : down);
}
