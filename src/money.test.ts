import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  MAX_CENTS,
  MoneyError,
  assertCents,
  centsToInput,
  divRound,
  formatCents,
  isCents,
  multiplyCents,
  parseCents,
  sumCents,
} from './money.ts';

const nonNegCents = fc.integer({ min: 0, max: MAX_CENTS });

describe('parseCents: what a cashier types', () => {
  it.each([
    ['12,50', 1250],
    ['12.5', 1250],
    ['12,5', 1250],
    ['12.05', 1205],
    ['12', 1200],
    ['0', 0],
    ['0,01', 1],
    ['€ 3,05', 305],
    ['€3,05', 305],
    ['  7,99  ', 799],
    ['10000000', MAX_CENTS],
  ])('reads %j as %i cents', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each([
    '1,234', // three decimals: a thousands separator or a typo, never silently 12.34 euro
    '1.234,56', // grouping is not accepted either
    'abc',
    '-1', // a cashier never types a negative amount received
    '',
    '   ',
    '€',
    ',50',
    '12,',
    '12,5a',
    '1 000',
    '123456789', // nine digits of euros
  ])('rejects %j', (text) => {
    expect(parseCents(text)).toBeNull();
  });

  it('rejects amounts above MAX_CENTS instead of returning an amount nothing else accepts', () => {
    expect(parseCents('10000000,01')).toBeNull();
    expect(parseCents('99999999')).toBeNull();
  });

  it('returns whole cents for every accepted input (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom(',', '.'), (euros, c, sep) => {
        const parsed = parseCents(`${euros}${sep}${String(c).padStart(2, '0')}`);
        const expected = euros * 100 + c;
        if (expected > MAX_CENTS) expect(parsed).toBeNull();
        else expect(parsed).toBe(expected);
      }),
    );
  });
});

describe('formatCents: amounts for people', () => {
  it('formats Dutch style with grouping and a decimal comma', () => {
    expect(formatCents(123456)).toBe('€ 1.234,56');
    expect(formatCents(123456, 'nl-NL')).toBe('€ 1.234,56');
    expect(formatCents(1234)).toBe('€ 12,34');
    expect(formatCents(5)).toBe('€ 0,05');
    expect(formatCents(0)).toBe('€ 0,00');
    expect(formatCents(MAX_CENTS)).toBe('€ 10.000.000,00');
  });

  it('puts the minus sign before the euro sign for refunds', () => {
    expect(formatCents(-123456)).toBe('-€ 1.234,56');
    expect(formatCents(-5)).toBe('-€ 0,05');
  });

  it('formats English style without a space after the euro sign', () => {
    expect(formatCents(123456, 'en-US')).toBe('€1,234.56');
  });

  it('formats British English (the register in English) the same way', () => {
    expect(formatCents(1234, 'en-GB')).toBe('€12.34');
    expect(formatCents(123456, 'en-GB')).toBe('€1,234.56');
    expect(formatCents(-5, 'en-GB')).toBe('-€0.05');
  });

  it('refuses what is not cents', () => {
    expect(() => formatCents(12.5)).toThrow(MoneyError);
    expect(() => formatCents(MAX_CENTS + 1)).toThrow(MoneyError);
  });
});

describe('centsToInput', () => {
  it('writes cents the way a cashier would type them', () => {
    expect(centsToInput(1250)).toBe('12,50');
    expect(centsToInput(1250, '.')).toBe('12.50');
    expect(centsToInput(5)).toBe('0,05');
    expect(centsToInput(0)).toBe('0,00');
    expect(centsToInput(123456)).toBe('1234,56');
    expect(centsToInput(-305)).toBe('-3,05');
  });

  it('round-trips through parseCents for every non-negative amount (property)', () => {
    fc.assert(
      fc.property(nonNegCents, fc.constantFrom<',' | '.'>(',', '.'), (cents, sep) => {
        expect(parseCents(centsToInput(cents, sep))).toBe(cents);
      }),
    );
  });
});

describe('assertCents / isCents', () => {
  it('accepts whole cents within ±MAX_CENTS', () => {
    for (const v of [0, 1, -1, MAX_CENTS, -MAX_CENTS]) {
      expect(isCents(v)).toBe(true);
      expect(() => assertCents(v)).not.toThrow();
    }
  });

  it.each([0.5, 12.34, Number.NaN, Infinity, -Infinity, MAX_CENTS + 1, -MAX_CENTS - 1, '100', null, undefined])(
    'rejects %s',
    (v) => {
      expect(isCents(v)).toBe(false);
      expect(() => assertCents(v)).toThrow(MoneyError);
    },
  );

  it('names the amount in the error', () => {
    expect(() => assertCents(1.5, 'card amount')).toThrow(/card amount/);
  });
});

describe('divRound: integer division, half away from zero', () => {
  it('rounds halves away from zero and mirrors negatives', () => {
    expect(divRound(5, 2)).toBe(3);
    expect(divRound(-5, 2)).toBe(-3);
    expect(divRound(4, 2)).toBe(2);
    expect(divRound(7, 3)).toBe(2);
    expect(divRound(8, 3)).toBe(3);
    expect(divRound(-7, 3)).toBe(-2);
    expect(divRound(0, 7)).toBe(0);
    expect(divRound(15, 10)).toBe(2);
    expect(divRound(14, 10)).toBe(1);
  });

  it('refuses non-integers and non-positive denominators', () => {
    expect(() => divRound(1.5, 2)).toThrow(MoneyError);
    expect(() => divRound(1, 0)).toThrow(MoneyError);
    expect(() => divRound(1, -2)).toThrow(MoneyError);
    expect(() => divRound(1, 2.5)).toThrow(MoneyError);
  });

  it('is within half a denominator of the exact quotient, and exact halves go away from zero (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 1e6 }), (n, d) => {
        const q = divRound(n, d);
        expect(Number.isSafeInteger(q)).toBe(true);
        const err = q * d - n;
        expect(2 * Math.abs(err)).toBeLessThanOrEqual(d);
        // Exactly half way: away from zero, i.e. |q·d| ≥ |n|.
        if (2 * Math.abs(err) === d) expect(Math.abs(q * d)).toBeGreaterThan(Math.abs(n));
        expect(divRound(-n, d) + 0).toBe(-q + 0); // + 0 folds -0 into 0
      }),
    );
  });
});

describe('multiplyCents / sumCents', () => {
  it('multiplies a unit price by a quantity', () => {
    expect(multiplyCents(199, 3)).toBe(597);
    expect(multiplyCents(0, 9999)).toBe(0);
  });

  it('refuses fractional quantities, fractional prices and results beyond MAX_CENTS', () => {
    expect(() => multiplyCents(199, 1.5)).toThrow(MoneyError);
    expect(() => multiplyCents(1.99, 3)).toThrow(MoneyError);
    expect(() => multiplyCents(MAX_CENTS, 2)).toThrow(/line amount/);
  });

  it('sums cents and refuses a float among them', () => {
    expect(sumCents([])).toBe(0);
    expect(sumCents([100, 250, -50])).toBe(300);
    expect(() => sumCents([100, 0.1])).toThrow(MoneyError);
    expect(() => sumCents([100, Number.NaN])).toThrow(MoneyError);
  });

  it('stays integral and exact (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 9999 }), (unit, qty) => {
        const r = multiplyCents(unit, qty);
        expect(Number.isSafeInteger(r)).toBe(true);
        expect(r).toBe(unit * qty);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { maxLength: 50 }), (values) => {
        const s = sumCents(values);
        expect(Number.isSafeInteger(s)).toBe(true);
        expect(s).toBe(values.reduce((a, b) => a + b, 0));
      }),
    );
  });

  it('a refund formats as the sale with a minus sign in front (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_CENTS }), (c) => {
        expect(formatCents(-c)).toBe(`-${formatCents(c)}`);
        expect(centsToInput(-c)).toBe(`-${centsToInput(c)}`);
      }),
    );
  });
});
