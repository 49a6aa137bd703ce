import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MoneyError } from './money.ts';
import { VAT_CLASSES, VAT_RATE_BP, type VatClass, isVatClass, vatBreakdown, vatLabel, vatOfGross } from './vat.ts';

const vatClass = fc.constantFrom<VatClass>(...VAT_CLASSES);
const line = fc.record({ vat: vatClass, amountCents: fc.integer({ min: 0, max: 10_000_000 }) });

describe('Dutch VAT rates', () => {
  it('are 21% high, 9% low and 0% zero', () => {
    expect(VAT_RATE_BP).toEqual({ high: 2100, low: 900, zero: 0 });
    expect(vatLabel('high')).toBe('21%');
    expect(vatLabel('low')).toBe('9%');
    expect(vatLabel('zero')).toBe('0%');
  });

  it('recognises only the three classes', () => {
    for (const c of ['high', 'low', 'zero']) expect(isVatClass(c)).toBe(true);
    for (const c of ['HIGH', 'reduced', '', null, 21, undefined]) expect(isVatClass(c)).toBe(false);
  });
});

describe('vatOfGross: the VAT inside a VAT-inclusive price', () => {
  it('takes 21/121 of a high-rate price', () => {
    expect(vatOfGross(12100, 'high')).toBe(2100);
    expect(vatOfGross(121, 'high')).toBe(21);
    expect(vatOfGross(100, 'high')).toBe(17); // 17.355… → 17
    expect(vatOfGross(1000, 'high')).toBe(174); // 173.55… → 174
  });

  it('takes 9/109 of a low-rate price', () => {
    expect(vatOfGross(10900, 'low')).toBe(900);
    expect(vatOfGross(100, 'low')).toBe(8); // 8.256… → 8
    expect(vatOfGross(250, 'low')).toBe(21); // 20.64… → 21
  });

  it('is nothing at the zero rate', () => {
    expect(vatOfGross(12345, 'zero')).toBe(0);
  });

  it('is mirrored exactly for refunds', () => {
    expect(vatOfGross(-12100, 'high')).toBe(-2100);
    expect(vatOfGross(-1000, 'high')).toBe(-174);
  });

  it('refuses amounts that are not cents', () => {
    expect(() => vatOfGross(12.5, 'high')).toThrow(MoneyError);
    expect(() => vatOfGross(Number.NaN, 'low')).toThrow(MoneyError);
  });

  it('is the rounded exact VAT, never off by more than half a cent (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), vatClass, (gross, vat) => {
        const v = vatOfGross(gross, vat);
        const bp = VAT_RATE_BP[vat];
        expect(Number.isSafeInteger(v)).toBe(true);
        // |v − gross·bp/(10000+bp)| ≤ ½, in integers.
        expect(2 * Math.abs(v * (10_000 + bp) - gross * bp)).toBeLessThanOrEqual(10_000 + bp);
        expect(vatOfGross(-gross, vat) + 0).toBe(-v + 0);
      }),
    );
  });
});

describe('vatBreakdown: the VAT block of a receipt', () => {
  it('groups lines per rate in the order high, low, zero and computes VAT on each rate total', () => {
    const result = vatBreakdown([
      { vat: 'zero', amountCents: 500 },
      { vat: 'high', amountCents: 100 },
      { vat: 'low', amountCents: 250 },
      { vat: 'high', amountCents: 100 },
    ]);
    expect(result).toEqual([
      { vat: 'high', rateBp: 2100, grossCents: 200, vatCents: 35, netCents: 165 },
      { vat: 'low', rateBp: 900, grossCents: 250, vatCents: 21, netCents: 229 },
      { vat: 'zero', rateBp: 0, grossCents: 500, vatCents: 0, netCents: 500 },
    ]);
  });

  it('computes VAT once per rate, not per line (the rate total decides the rounding)', () => {
    // Per line: 3 × vatOfGross(10) = 3 × 2 = 6; on the total: vatOfGross(30) = 5.
    const result = vatBreakdown([
      { vat: 'high', amountCents: 10 },
      { vat: 'high', amountCents: 10 },
      { vat: 'high', amountCents: 10 },
    ]);
    expect(result).toHaveLength(1);
    expect(result[0]?.vatCents).toBe(5);
  });

  it('leaves out rates without lines, and is empty for no lines', () => {
    expect(vatBreakdown([])).toEqual([]);
    expect(vatBreakdown([{ vat: 'low', amountCents: 109 }]).map((l) => l.vat)).toEqual(['low']);
  });

  it('refuses a fractional line amount', () => {
    expect(() => vatBreakdown([{ vat: 'high', amountCents: 1.5 }])).toThrow(MoneyError);
  });

  it('adds up: net + VAT = gross per rate, and the gross of the rates is the total of the lines (property)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const breakdown = vatBreakdown(lines);
        const total = lines.reduce((s, l) => s + l.amountCents, 0);
        expect(breakdown.reduce((s, v) => s + v.grossCents, 0)).toBe(total);
        const seen = new Set<VatClass>();
        for (const v of breakdown) {
          expect(seen.has(v.vat)).toBe(false);
          seen.add(v.vat);
          const ofRate = lines.filter((l) => l.vat === v.vat).reduce((s, l) => s + l.amountCents, 0);
          expect(v.grossCents).toBe(ofRate);
          expect(v.rateBp).toBe(VAT_RATE_BP[v.vat]);
          expect(v.vatCents).toBe(vatOfGross(ofRate, v.vat));
          expect(v.netCents + v.vatCents).toBe(v.grossCents);
          for (const n of [v.grossCents, v.vatCents, v.netCents]) expect(Number.isSafeInteger(n)).toBe(true);
        }
        expect([...seen].sort()).toEqual([...new Set(lines.map((l) => l.vat))].sort());
      }),
    );
  });
});
