/**
 * Money is an integer number of euro cents. Never a float.
 * Every function here refuses a non-integer amount instead of rounding it silently.
 */
export type Cents = number;

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** Largest amount we accept anywhere: 10 million euro. Beyond that is a typo or an attack. */
export const MAX_CENTS = 1_000_000_000;

export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) <= MAX_CENTS;
}

export function assertCents(value: unknown, what = 'amount'): asserts value is Cents {
  if (!isCents(value)) {
    throw new MoneyError(`${what} must be a whole number of cents within ±${MAX_CENTS}, got ${String(value)}`);
  }
}

export function sumCents(values: readonly Cents[]): Cents {
  let total = 0;
  for (const v of values) {
    assertCents(v);
    total += v;
  }
  return total;
}

/** Multiply a unit price by a whole quantity. */
export function multiplyCents(unit: Cents, quantity: number): Cents {
  assertCents(unit, 'unit price');
  if (!Number.isSafeInteger(quantity)) throw new MoneyError(`quantity must be a whole number, got ${quantity}`);
  const result = unit * quantity;
  assertCents(result, 'line amount');
  return result;
}

/**
 * Integer division rounding half away from zero: divRound(5, 2) = 3, divRound(-5, 2) = -3.
 * Used for VAT so that a refund mirrors the sale exactly.
 */
export function divRound(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new MoneyError(`divRound needs integers and a positive denominator, got ${numerator}/${denominator}`);
  }
  const sign = numerator < 0 ? -1 : 1;
  const n = Math.abs(numerator);
  const q = Math.floor(n / denominator);
  const r = n - q * denominator;
  return sign * (2 * r >= denominator ? q + 1 : q);
}

/** Formats cents for people: formatCents(1234, 'nl-NL') → "€ 12,34". Display only. */
export function formatCents(cents: Cents, locale = 'nl-NL'): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100);
  const rest = abs % 100;
  const grouped = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(euros);
  const decimal = locale.startsWith('nl') ? ',' : '.';
  const symbolFirst = locale.startsWith('nl') ? '€ ' : '€';
  return `${sign}${symbolFirst}${grouped}${decimal}${String(rest).padStart(2, '0')}`;
}

/**
 * Parses what a cashier types ("12,50", "12.5", "12") into cents, without floats.
 * Returns null when the text is not an amount.
 */
export function parseCents(text: string): Cents | null {
  const t = text.trim().replace(/^€\s*/, '');
  const m = /^(\d{1,8})(?:[.,](\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const euros = Number(m[1]);
  const frac = m[2] === undefined ? 0 : Number(m[2].padEnd(2, '0'));
  const cents = euros * 100 + frac;
  // Eight digits of euros reach beyond MAX_CENTS: that is not an amount we accept anywhere.
  return isCents(cents) ? cents : null;
}

/** Cents as a cashier would type them, without symbol or grouping: 1250 → "12,50". */
export function centsToInput(cents: Cents, decimal: ',' | '.' = ','): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}${decimal}${String(abs % 100).padStart(2, '0')}`;
}
