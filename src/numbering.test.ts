import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { SEQ_DIGITS, formatDocumentNumber, isLocationId, nextSequence, parseDocumentNumber } from './numbering.ts';

const locationId = fc.stringMatching(/^[A-Z0-9]{1,8}$/);
const seq = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });

describe('formatDocumentNumber', () => {
  it('writes store, register and a zero-padded sequence', () => {
    expect(formatDocumentNumber('1001', '02', 42)).toBe('1001-02-000042');
    expect(formatDocumentNumber('A1', 'R9', 1)).toBe('A1-R9-000001');
    expect(formatDocumentNumber('1001', '02', 1_234_567)).toBe('1001-02-1234567');
    expect(SEQ_DIGITS).toBe(6);
  });

  it.each([
    ['', '02', 1],
    ['1001', '', 1],
    ['1001a', '02', 1],
    ['1001', '0-2', 1],
    ['123456789', '02', 1],
    ['1001', '02', 0],
    ['1001', '02', -1],
    ['1001', '02', 1.5],
    ['1001', '02', Number.MAX_SAFE_INTEGER + 1],
  ])('refuses store %j, register %j, sequence %s', (store, register, n) => {
    expect(() => formatDocumentNumber(store, register, n)).toThrow(RangeError);
  });

  it('accepts only 1-8 capitals or digits as a location id', () => {
    expect(isLocationId('1001')).toBe(true);
    expect(isLocationId('ABCDEFGH')).toBe(true);
    expect(isLocationId('ABCDEFGHI')).toBe(false);
    expect(isLocationId('ab')).toBe(false);
    expect(isLocationId('')).toBe(false);
  });
});

describe('parseDocumentNumber', () => {
  it('reads a receipt number back', () => {
    expect(parseDocumentNumber('1001-02-000042')).toEqual({ storeId: '1001', registerId: '02', seq: 42 });
  });

  it('is lenient about case and surrounding spaces, as typed at a returns desk', () => {
    expect(parseDocumentNumber(' a1-r2-000007 ')).toEqual({ storeId: 'A1', registerId: 'R2', seq: 7 });
  });

  it.each([
    '',
    '1001-02',
    '1001-02-42', // fewer than six digits
    '1001-02-000000', // sequence 0
    '1001--000042',
    '1001-02-000042-1',
    '1001_02_000042',
    '123456789-02-000042',
    '1001-02-00004x',
    '1001-02-99999999999999999', // beyond a safe integer
  ])('rejects %j', (text) => {
    expect(parseDocumentNumber(text)).toBeNull();
  });

  it('round-trips every number formatDocumentNumber writes (property)', () => {
    fc.assert(
      fc.property(locationId, locationId, seq, (storeId, registerId, n) => {
        const text = formatDocumentNumber(storeId, registerId, n);
        expect(parseDocumentNumber(text)).toEqual({ storeId, registerId, seq: n });
      }),
    );
  });

  it('keeps numbers distinct: different parts never format the same (property)', () => {
    fc.assert(
      fc.property(locationId, locationId, seq, locationId, locationId, seq, (s1, r1, n1, s2, r2, n2) => {
        fc.pre(s1 !== s2 || r1 !== r2 || n1 !== n2);
        expect(formatDocumentNumber(s1, r1, n1)).not.toBe(formatDocumentNumber(s2, r2, n2));
      }),
    );
  });
});

describe('nextSequence', () => {
  it('continues above both the local and the HQ sequence', () => {
    expect(nextSequence(0, 0)).toBe(1);
    expect(nextSequence(41, 0)).toBe(42);
    expect(nextSequence(5, 120)).toBe(121); // after a reinstall HQ knows more
    expect(nextSequence(-3, -7)).toBe(1);
  });

  it('is above both inputs and never goes back when either grows (property)', () => {
    const n = fc.integer({ min: 0, max: 1e12 });
    fc.assert(
      fc.property(n, n, n, (local, hq, more) => {
        const next = nextSequence(local, hq);
        expect(next).toBeGreaterThan(local);
        expect(next).toBeGreaterThan(hq);
        expect(next).toBe(Math.max(local, hq) + 1);
        expect(nextSequence(local + more, hq)).toBeGreaterThanOrEqual(next);
        expect(nextSequence(local, hq + more)).toBeGreaterThanOrEqual(next);
        // Using the number just issued always yields a higher one.
        expect(nextSequence(next, hq)).toBeGreaterThan(next);
      }),
    );
  });
});
