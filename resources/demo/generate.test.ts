import { describe, expect, it } from 'vitest';
import { lineValidOn } from '../../src/assortment.ts';
import { MAX_CENTS } from '../../src/money.ts';
import { isLocationId } from '../../src/numbering.ts';
import { VAT_CLASSES } from '../../src/vat.ts';
import {
  type DemoOptions,
  assortmentSize,
  demoAssortment,
  demoLocations,
  demoProducts,
  demoStock,
  ean13CheckDigit,
  isValidEan13,
  itemNumberOf,
  prng,
} from './generate.ts';

const TODAY = '2025-06-15';
const OPTS: DemoOptions = { products: 20_000, seed: 1, today: TODAY };

// Generated once and shared: the generators are deterministic, so reuse is safe.
const locations = demoLocations();
const stores = locations.filter((l) => l.kind === 'store');
const warehouses = locations.filter((l) => l.kind === 'warehouse');
const products = [...demoProducts(OPTS)];
const assortment = [...demoAssortment(OPTS, locations)];

function countBy<T>(items: Iterable<T>, key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}

describe('ean13CheckDigit and isValidEan13', () => {
  // Real, published EAN-13s: Wikipedia's EAN-13 example (Stabilo), GS1's example number,
  // the ISBN-13 example of ISBN 0-306-40615-2, and UPC-A 012345678905 written as EAN-13.
  it.each([
    ['4006381333931', 1],
    ['5901234123457', 7],
    ['9780306406157', 7],
    ['0012345678905', 5],
    ['4012345678901', 1],
    ['8712345678906', 6],
  ])('%s has check digit %i', (code, digit) => {
    expect(ean13CheckDigit(code.slice(0, 12))).toBe(digit);
    expect(isValidEan13(code)).toBe(true);
  });

  it('gives 0 when the weighted sum is already a multiple of ten', () => {
    expect(ean13CheckDigit('000000000000')).toBe(0);
    expect(isValidEan13('0000000000000')).toBe(true);
  });

  it.each([
    ['a wrong check digit', '4006381333932'],
    ['a wrong check digit (looks Dutch, is not valid)', '8710398503925'],
    ['swapped digits', '4006383133931'],
    ['12 digits', '400638133393'],
    ['14 digits', '40063813339310'],
    ['a letter', '400638133393X'],
    ['spaces', '4006381 333931'],
    ['an empty string', ''],
  ])('rejects %s', (_what, code) => {
    expect(isValidEan13(code)).toBe(false);
  });

  it('refuses anything but 12 digits', () => {
    expect(() => ean13CheckDigit('40063813339')).toThrow(RangeError);
    expect(() => ean13CheckDigit('4006381333931')).toThrow(RangeError);
    expect(() => ean13CheckDigit('40063813339a')).toThrow(RangeError);
  });

  it('catches every single-digit error (all ten substitutions at every position)', () => {
    const code = '5901234123457';
    for (let pos = 0; pos < 13; pos++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === code[pos]) continue;
        const wrong = `${code.slice(0, pos)}${d}${code.slice(pos + 1)}`;
        expect(isValidEan13(wrong), wrong).toBe(false);
      }
    }
  });
});

describe('prng', () => {
  it('is deterministic for a seed and stays within [0, 1)', () => {
    const a = prng(42);
    const b = prng(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(b()).toBe(x);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('differs between seeds', () => {
    const a = prng(1);
    const b = prng(2);
    expect(Array.from({ length: 5 }, a)).not.toEqual(Array.from({ length: 5 }, b));
  });
});

describe('demoLocations', () => {
  it('has at least five stores, each in a different town', () => {
    expect(stores.length).toBeGreaterThanOrEqual(5);
    expect(new Set(stores.map((s) => s.town)).size).toBe(stores.length);
  });

  it('has at least two warehouses, without registers', () => {
    expect(warehouses.length).toBeGreaterThanOrEqual(2);
    for (const w of warehouses) expect(w.registers).toEqual([]);
  });

  it('gives every store registers, and every location a unique, valid id and a name', () => {
    expect(new Set(locations.map((l) => l.id)).size).toBe(locations.length);
    for (const l of locations) {
      expect(isLocationId(l.id), l.id).toBe(true);
      expect(l.name.trim()).not.toBe('');
      expect(l.town.trim()).not.toBe('');
    }
    for (const s of stores) {
      expect(s.registers.length).toBeGreaterThan(0);
      expect(new Set(s.registers).size).toBe(s.registers.length);
      for (const r of s.registers) expect(isLocationId(r), r).toBe(true);
    }
  });

  it('is the same every time', () => {
    expect(demoLocations()).toEqual(locations);
  });
});

describe('demoProducts', () => {
  it('yields the number of products asked for', () => {
    expect(products).toHaveLength(OPTS.products);
    expect([...demoProducts({ ...OPTS, products: 0 })]).toEqual([]);
    expect([...demoProducts({ ...OPTS, products: 1 })]).toHaveLength(1);
  });

  it('is deterministic for a seed', () => {
    expect([...demoProducts(OPTS)]).toEqual(products);
  });

  it('defaults the seed to 1', () => {
    expect([...demoProducts({ products: 200, today: TODAY })]).toEqual(products.slice(0, 200));
  });

  it('differs between seeds, but keeps ids and barcodes', () => {
    const other = [...demoProducts({ ...OPTS, products: 200, seed: 2 })];
    const mine = products.slice(0, 200);
    expect(other.map((p) => p.name)).not.toEqual(mine.map((p) => p.name));
    expect(other.map((p) => p.id)).toEqual(mine.map((p) => p.id));
    expect(other.map((p) => p.barcode)).toEqual(mine.map((p) => p.barcode));
  });

  it('does not depend on the catalog size: product i is the same in a smaller catalog', () => {
    expect([...demoProducts({ ...OPTS, products: 500 })]).toEqual(products.slice(0, 500));
  });

  it('streams: the first products of a billion-product catalog come at once', () => {
    const gen = demoProducts({ ...OPTS, products: 1_000_000_000 });
    const first: unknown[] = [];
    for (const p of gen) {
      first.push(p);
      if (first.length === 3) break;
    }
    expect(first).toEqual(products.slice(0, 3));
  });

  it('gives unique ids and item numbers, with id = item number', () => {
    expect(new Set(products.map((p) => p.id)).size).toBe(products.length);
    expect(new Set(products.map((p) => p.itemNumber)).size).toBe(products.length);
    products.forEach((p, i) => {
      if (p.id !== p.itemNumber || p.itemNumber !== itemNumberOf(i)) throw new Error(`product ${i}: ${p.id}/${p.itemNumber}`);
    });
    expect(products[0]!.itemNumber).toBe('1000001');
  });

  it('gives valid, unique EAN-13 barcodes', () => {
    const barcodes = products.map((p) => p.barcode);
    const invalid = barcodes.filter((b) => b === null || !isValidEan13(b));
    expect(invalid).toEqual([]);
    expect(new Set(barcodes).size).toBe(products.length);
  });

  it('keeps barcodes unique and valid for a million products (sampled at the edges)', { timeout: 30_000 }, () => {
    const seen = new Set<string>();
    let n = 0;
    let sampled = 0;
    for (const p of demoProducts({ ...OPTS, products: 1_000_000 })) {
      n++;
      if (n <= 1000 || n > 999_000 || n % 997 === 0) {
        sampled++;
        if (p.barcode === null || !isValidEan13(p.barcode)) throw new Error(`barcode of product ${n}: ${p.barcode}`);
        seen.add(p.barcode);
      }
    }
    expect(n).toBe(1_000_000);
    expect(seen.size).toBe(sampled);
  });

  it('prices in whole cents, above zero and within the largest amount', () => {
    const bad = products.filter((p) => !Number.isSafeInteger(p.priceCents) || p.priceCents <= 0 || p.priceCents > MAX_CENTS);
    expect(bad).toEqual([]);
  });

  it('gives every product a valid VAT class, and uses all three', () => {
    const classes = countBy(products, (p) => p.vat);
    for (const c of classes.keys()) expect(VAT_CLASSES).toContain(c);
    expect([...classes.keys()].sort()).toEqual([...VAT_CLASSES].sort());
  });

  it('prices gift cards at their face value, without VAT', () => {
    const cards = products.filter((p) => p.name.includes('Cadeaukaart'));
    expect(cards.length).toBeGreaterThan(0);
    for (const c of cards) {
      expect(c.vat).toBe('zero');
      const face = /(\d+) euro$/.exec(c.name);
      expect(face, c.name).not.toBeNull();
      expect(c.priceCents).toBe(Number(face![1]) * 100);
    }
  });

  it('fits what a sale line accepts (name, item number, barcode, category)', () => {
    for (const p of products) {
      if (p.name.trim() === '' || p.name.length > 200) throw new Error(`name of ${p.id}: ${p.name}`);
      if (p.itemNumber.length > 32 || p.id.length > 64) throw new Error(`id of ${p.id}`);
      if (p.barcode !== null && !/^\d{8,14}$/.test(p.barcode)) throw new Error(`barcode of ${p.id}`);
      if (!/^[^/]+\/[^/]+$/.test(p.category)) throw new Error(`category of ${p.id}: ${p.category}`);
    }
  });

  it('has a varied catalog: many distinct names and categories', () => {
    expect(new Set(products.map((p) => p.name)).size).toBeGreaterThan(1000);
    expect(countBy(products, (p) => p.category).size).toBeGreaterThanOrEqual(5);
  });
});

describe('assortmentSize', () => {
  it('is a few thousand at 20,000 products, 2 % at a million, everything for a small catalog', () => {
    expect(assortmentSize(20_000)).toBe(4000);
    expect(assortmentSize(1_000_000)).toBe(20_000);
    expect(assortmentSize(500)).toBe(500);
    expect(assortmentSize(0)).toBe(0);
  });
});

describe('demoAssortment', () => {
  const productIds = new Set(products.map((p) => p.id));
  const storeIds = new Set(stores.map((s) => s.id));

  it('is deterministic', () => {
    expect([...demoAssortment(OPTS, locations)]).toEqual(assortment);
  });

  it('gives every store a few thousand lines at 20,000 products, warehouses none', () => {
    const perStore = countBy(assortment, (a) => a.storeId);
    expect([...perStore.keys()].sort()).toEqual([...storeIds].sort());
    for (const [store, n] of perStore) {
      expect(n, store).toBeGreaterThanOrEqual(2000);
      expect(n, store).toBeLessThanOrEqual(10_000);
    }
  });

  it('references existing products and stores only', () => {
    expect(assortment.filter((a) => !productIds.has(a.productId))).toEqual([]);
    expect(assortment.filter((a) => !storeIds.has(a.storeId))).toEqual([]);
  });

  it('has unique ids and one line per store and product', () => {
    expect(new Set(assortment.map((a) => a.id)).size).toBe(assortment.length);
    expect(new Set(assortment.map((a) => `${a.storeId}|${a.productId}`)).size).toBe(assortment.length);
    for (const a of assortment.slice(0, 100)) expect(a.id).toBe(`${a.storeId}:${a.productId}`);
  });

  it('writes ISO dates, with validFrom ≤ validTo', () => {
    const iso = /^\d{4}-\d{2}-\d{2}$/;
    const bad = assortment.filter(
      (a) => !iso.test(a.validFrom) || (a.validTo !== null && (!iso.test(a.validTo) || a.validTo < a.validFrom)),
    );
    expect(bad).toEqual([]);
  });

  it('is date-effective relative to today: per store, some lines not yet valid and some expired', () => {
    for (const s of stores) {
      const lines = assortment.filter((a) => a.storeId === s.id);
      const future = lines.filter((a) => a.validFrom > TODAY);
      const expired = lines.filter((a) => a.validTo !== null && a.validTo < TODAY);
      const endingLater = lines.filter((a) => a.validTo !== null && a.validTo > TODAY);
      const validToday = lines.filter((a) => lineValidOn(a, TODAY));
      expect(future.length, s.id).toBeGreaterThan(0);
      expect(expired.length, s.id).toBeGreaterThan(0);
      expect(endingLater.length, s.id).toBeGreaterThan(0);
      // Most of the assortment is valid today; the exceptions are a few per cent each.
      expect(validToday.length / lines.length, s.id).toBeGreaterThan(0.85);
      expect(future.length / lines.length, s.id).toBeLessThan(0.1);
      expect(expired.length / lines.length, s.id).toBeLessThan(0.1);
      for (const a of future) expect(lineValidOn(a, TODAY)).toBe(false);
      for (const a of expired) expect(lineValidOn(a, TODAY)).toBe(false);
    }
  });

  it('moves with the today option', () => {
    const later = [...demoAssortment({ ...OPTS, products: 200, today: '2030-01-01' }, locations)];
    expect(later.filter((a) => a.validFrom > '2030-01-01').length).toBeGreaterThan(0);
    expect(later.every((a) => a.validFrom >= '2028-12-01')).toBe(true);
  });

  it('does not give every store the same assortment', () => {
    const sets = stores.map((s) => [...new Set(assortment.filter((a) => a.storeId === s.id).map((a) => a.productId))].sort().join());
    expect(new Set(sets).size).toBeGreaterThan(1);
  });

  // Any two stores share the core range; no two carry the same range.
  it('lets every pair of stores overlap without carrying the same assortment', () => {
    const sets = stores.map((s) => new Set(assortment.filter((a) => a.storeId === s.id).map((a) => a.productId)));
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) {
        const [a, b] = [sets[i]!, sets[j]!];
        const shared = [...a].filter((p) => b.has(p)).length;
        expect(shared, `${stores[i]!.id} and ${stores[j]!.id}`).toBeGreaterThan(0);
        expect(shared, `${stores[i]!.id} and ${stores[j]!.id}`).toBeLessThan(a.size);
      }
    }
  });

  it('carries the whole catalog per store when the catalog is small', () => {
    const small = [...demoAssortment({ ...OPTS, products: 500 }, locations)];
    for (const [, n] of countBy(small, (a) => a.storeId)) expect(n).toBe(500);
  });

  it('yields nothing for an empty catalog', () => {
    expect([...demoAssortment({ ...OPTS, products: 0 }, locations)]).toEqual([]);
  });
});

describe('demoStock', () => {
  const stock = [...demoStock(OPTS, locations)];
  const productIds = new Set(products.map((p) => p.id));
  const locationIds = new Set(locations.map((l) => l.id));

  it('is deterministic', () => {
    expect([...demoStock(OPTS, locations)]).toEqual(stock);
  });

  it('has a figure for every assortment line, and a fifth of the catalog per warehouse', () => {
    const byId = new Set(stock.map((s) => s.id));
    expect(assortment.filter((a) => !byId.has(a.id))).toEqual([]);
    const perLocation = countBy(stock, (s) => s.locationId);
    for (const w of warehouses) expect(perLocation.get(w.id)).toBe(OPTS.products / 5);
    expect(stock).toHaveLength(assortment.length + warehouses.length * (OPTS.products / 5));
  });

  it('references existing products and locations, with unique ids', () => {
    expect(stock.filter((s) => !productIds.has(s.productId) || !locationIds.has(s.locationId))).toEqual([]);
    expect(new Set(stock.map((s) => s.id)).size).toBe(stock.length);
  });

  it('has whole, non-negative figures, reserved never above on hand, as of today', () => {
    const bad = stock.filter(
      (s) => !Number.isSafeInteger(s.onHand) || !Number.isSafeInteger(s.reserved) || s.reserved < 0 || s.reserved > s.onHand,
    );
    expect(bad).toEqual([]);
    expect(new Set(stock.map((s) => s.asOf))).toEqual(new Set([`${TODAY}T06:00:00.000Z`]));
    expect(stock.some((s) => s.onHand === 0)).toBe(true);
    expect(stock.some((s) => s.reserved > 0)).toBe(true);
  });
});
