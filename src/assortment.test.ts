import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { type AssortmentLine, assortmentOn, lineAppliesTo, lineValidOn, localDay } from './assortment.ts';

function line(productId: string, validFrom: string, validTo: string | null, storeId = '1001'): AssortmentLine {
  return { storeId, productId, validFrom, validTo };
}

describe('localDay', () => {
  it('is the local calendar day, zero-padded', () => {
    expect(localDay(new Date(2024, 0, 5, 12, 0))).toBe('2024-01-05');
    expect(localDay(new Date(2024, 11, 31, 23, 59, 59, 999))).toBe('2024-12-31');
  });

  it('changes at local midnight, not at UTC midnight', () => {
    expect(localDay(new Date(2024, 2, 9, 23, 59, 59, 999))).toBe('2024-03-09');
    expect(localDay(new Date(2024, 2, 10, 0, 0, 0, 0))).toBe('2024-03-10');
  });

  it('gives an Amsterdam register the Amsterdam day for a moment that is still yesterday in UTC', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Europe/Amsterdam';
    try {
      expect(localDay(new Date('2024-03-09T23:30:00Z'))).toBe('2024-03-10'); // 00:30 CET
      expect(localDay(new Date('2024-07-14T22:00:00Z'))).toBe('2024-07-15'); // 00:00 CEST
      expect(localDay(new Date('2024-07-14T21:59:59.999Z'))).toBe('2024-07-14');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('agrees with the Date it came from (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(2000, 0, 1), max: new Date(2099, 11, 31), noInvalidDate: true }), (d) => {
        const day = localDay(d);
        expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        const [y, m, dd] = day.split('-').map(Number);
        expect([y, m, dd]).toEqual([d.getFullYear(), d.getMonth() + 1, d.getDate()]);
      }),
    );
  });
});

describe('lineValidOn: from validFrom to validTo, both inclusive', () => {
  const today = '2024-06-15';

  it('counts the first and the last day', () => {
    expect(lineValidOn(line('p', '2024-06-15', '2024-06-30'), today)).toBe(true);
    expect(lineValidOn(line('p', '2024-06-01', '2024-06-15'), today)).toBe(true);
    expect(lineValidOn(line('p', '2024-06-15', '2024-06-15'), today)).toBe(true);
  });

  it('does not count today for a line valid from tomorrow', () => {
    expect(lineValidOn(line('p', '2024-06-16', null), today)).toBe(false);
    expect(lineValidOn(line('p', '2024-06-16', null), '2024-06-16')).toBe(true);
  });

  it('does not count today for a line that ended yesterday', () => {
    expect(lineValidOn(line('p', '2024-01-01', '2024-06-14'), today)).toBe(false);
  });

  it('is open-ended without validTo', () => {
    expect(lineValidOn(line('p', '2020-01-01', null), '2099-12-31')).toBe(true);
  });

  it('compares across month and year boundaries', () => {
    expect(lineValidOn(line('p', '2024-12-31', '2025-01-01'), '2025-01-01')).toBe(true);
    expect(lineValidOn(line('p', '2024-12-31', '2025-01-01'), '2025-01-02')).toBe(false);
    expect(lineValidOn(line('p', '2024-09-30', null), '2024-10-01')).toBe(true);
  });

  it.each(['2024-6-15', '15-06-2024', '2024-06-15T00:00:00Z', '', 'today'])('refuses day %j', (day) => {
    expect(() => lineValidOn(line('p', '2024-01-01', null), day)).toThrow(RangeError);
  });

  it('agrees with comparing dates (property)', () => {
    const dayNo = fc.integer({ min: 0, max: 3650 });
    const iso = (n: number): string => new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);
    fc.assert(
      fc.property(dayNo, fc.option(dayNo, { nil: null }), dayNo, (from, to, day) => {
        const expected = from <= day && (to === null || day <= to);
        expect(lineValidOn(line('p', iso(from), to === null ? null : iso(to)), iso(day))).toBe(expected);
      }),
    );
  });
});

describe('assortmentOn', () => {
  const lines: AssortmentLine[] = [
    line('bread', '2024-01-01', null),
    line('milk', '2024-01-01', '2024-06-14'), // ended yesterday
    line('eggs', '2024-06-16', null), // from tomorrow
    line('cheese', '2024-06-15', '2024-06-15'), // today only
    line('wine', '2024-01-01', null, '2002'), // another store
    line('milk', '2024-06-15', null), // milk is back today on a new line
  ];

  it('lists the products a store carries on the day', () => {
    expect([...assortmentOn(lines, '1001', '2024-06-15')].sort()).toEqual(['bread', 'cheese', 'milk']);
  });

  it('does not leak another store’s lines', () => {
    expect([...assortmentOn(lines, '2002', '2024-06-15')]).toEqual(['wine']);
    expect(assortmentOn(lines, '9999', '2024-06-15').size).toBe(0);
  });

  it('follows the calendar', () => {
    expect([...assortmentOn(lines, '1001', '2024-06-16')].sort()).toEqual(['bread', 'eggs', 'milk']);
    expect([...assortmentOn(lines, '1001', '2023-12-31')]).toEqual([]);
  });

  it('takes any iterable', () => {
    function* gen(): Generator<AssortmentLine> {
      yield* lines;
    }
    expect(assortmentOn(gen(), '1001', '2024-06-14').has('milk')).toBe(true);
  });
});

describe('assortmentOn with store groups', () => {
  const groupLine = (productId: string, groupId: string, validFrom: string, validTo: string | null = null): AssortmentLine => ({
    storeId: null,
    groupId,
    productId,
    validFrom,
    validTo,
  });
  const utrecht = { id: '1001', groups: ['GROOT', 'RANDSTAD'] };
  const zeist = { id: '1003', groups: ['KLEIN'] };
  const day = '2024-06-15';

  it('gives a group’s products to every member store, and to no other store', () => {
    const lines = [groupLine('tent', 'GROOT', '2024-01-01'), groupLine('bike', 'RANDSTAD', '2024-06-01')];
    expect([...assortmentOn(lines, utrecht, day)].sort()).toEqual(['bike', 'tent']);
    expect(assortmentOn(lines, zeist, day).size).toBe(0);
    // A plain store id is a store in no group.
    expect(assortmentOn(lines, '1001', day).size).toBe(0);
  });

  it('keeps a group line’s dates: not before it starts, not after it ends', () => {
    const lines = [groupLine('tent', 'GROOT', '2024-06-16'), groupLine('sled', 'GROOT', '2023-11-01', '2024-02-29')];
    expect(assortmentOn(lines, utrecht, day).size).toBe(0);
    expect([...assortmentOn(lines, utrecht, '2024-06-16')]).toEqual(['tent']);
    expect([...assortmentOn(lines, utrecht, '2024-02-29')]).toEqual(['sled']);
  });

  it('lets a store’s own line override its groups’: ending a group product for itself, or carrying it on its own dates', () => {
    const lines = [
      groupLine('tent', 'GROOT', '2024-01-01'),
      line('tent', '2024-01-01', '2024-05-31'), // Utrecht stopped selling tents at the end of May
      groupLine('bike', 'GROOT', '2024-07-01'),
      line('bike', '2024-06-01', null), // Utrecht has bikes a month before the group
    ];
    expect([...assortmentOn(lines, utrecht, day)]).toEqual(['bike']);
    // Another large store without own lines follows the group.
    expect([...assortmentOn(lines, { id: '1002', groups: ['GROOT'] }, day)]).toEqual(['tent']);
  });

  it('tells whose line it is', () => {
    expect(lineAppliesTo(line('p', '2024-01-01', null), utrecht)).toBe('own');
    expect(lineAppliesTo(line('p', '2024-01-01', null, '1002'), utrecht)).toBeNull();
    expect(lineAppliesTo(groupLine('p', 'GROOT', '2024-01-01'), utrecht)).toBe('group');
    expect(lineAppliesTo(groupLine('p', 'GROOT', '2024-01-01'), zeist)).toBeNull();
  });

  it('carries a product exactly when its own lines say so, or, without own lines, when a valid group line does (property)', () => {
    const iso = (n: number): string => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10);
    const arbLine = fc.record({
      product: fc.constantFrom('a', 'b', 'c'),
      target: fc.constantFrom<{ storeId: string | null; groupId: string | null }>(
        { storeId: '1001', groupId: null },
        { storeId: '1002', groupId: null },
        { storeId: null, groupId: 'GROOT' },
        { storeId: null, groupId: 'KLEIN' },
      ),
      from: fc.integer({ min: 0, max: 60 }),
      length: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(arbLine, { maxLength: 12 }), fc.integer({ min: 0, max: 90 }), (raw, dayNo) => {
        const lines: AssortmentLine[] = raw.map((r) => ({
          ...r.target,
          productId: r.product,
          validFrom: iso(r.from),
          validTo: r.length === null ? null : iso(r.from + r.length),
        }));
        const store = { id: '1001', groups: ['GROOT'] };
        const carried = assortmentOn(lines, store, iso(dayNo));
        for (const p of ['a', 'b', 'c']) {
          const own = lines.filter((l) => l.productId === p && l.storeId === '1001');
          const group = lines.filter((l) => l.productId === p && l.groupId === 'GROOT');
          const expected = own.length > 0 ? own.some((l) => lineValidOn(l, iso(dayNo))) : group.some((l) => lineValidOn(l, iso(dayNo)));
          expect(carried.has(p)).toBe(expected);
        }
      }),
    );
  });
});
