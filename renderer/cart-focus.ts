import type { CartLine } from '../src/cart.ts';

/**
 * Which cart line the cashier's last action should bring into view: a line just added, or one
 * whose quantity was raised (the same product scanned again, far up a long cart). A removal,
 * a lowered quantity or a price change keeps the cashier's place: null.
 */
export function lineToShow(before: readonly CartLine[], after: readonly CartLine[]): number | null {
  const had = new Map(before.map((l) => [l.productId, l.quantity]));
  for (let i = 0; i < after.length; i++) {
    const line = after[i] as CartLine;
    const was = had.get(line.productId);
    if (was === undefined || line.quantity > was) return i;
  }
  return null;
}
