import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProductDoc, StockDoc } from '../protocol/docs.ts';
import { CatalogBase, buildCatalogImage } from './catalog-image.ts';
import { ProductIndex } from './search-index.ts';

type Product = Omit<ProductDoc, '_deleted'>;
type Stock = Omit<StockDoc, '_deleted'>;

const vocabulary = ['stroopwafel', 'stroop', 'straat', 'appel', 'appelsap', 'peer', 'pan', 'pannenkoek', 'kaas', 'kaars', 'crème', 'brûlée', 'theedoek', 'thee', 'zout', 'zoet'];
const categories = ['Eten/Koek', 'Eten/Kaas', 'Keuken/Textiel', 'Keuken', 'Drank'];
const locations = ['1001', '1002', '1003', 'W01'];

/** A small chain's catalog and stock, then a day of changes: the same for a seed. */
function chain(seed: number) {
  let state = seed;
  const rnd = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const name = (i: number): string => Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(vocabulary)).join(' ') + ` ${i % 97}`;
  const product = (i: number): Product => ({
    id: String(3_000_000 + i),
    itemNumber: String(3_000_000 + i),
    barcode: rnd() < 0.8 ? String(8_710_000_000_000 + i * 7) : null,
    name: name(i),
    category: pick(categories),
    priceCents: 1 + Math.floor(rnd() * 5000),
    vat: rnd() < 0.5 ? 'low' : 'high',
  });
  const figure = (productId: string, locationId: string): Stock => ({
    id: `${locationId}:${productId}`,
    locationId,
    productId,
    onHand: Math.floor(rnd() * 20) - 3,
    reserved: Math.floor(rnd() * 4),
    asOf: `2026-12-0${1 + Math.floor(rnd() * 7)}T06:00:00Z`,
    booked: locationId === '1001' && rnd() < 0.3 ? { '02': Math.floor(rnd() * 40) } : {},
  });
  const products = Array.from({ length: 3000 }, (_, i) => product(i));
  const stock: Stock[] = [];
  for (const p of products) for (const l of locations) if (rnd() < 0.4) stock.push(figure(p.id, l));
  const carried = products.filter(() => rnd() < 0.3).map((p) => p.id);
  // The day's changes after the image: renames, price and barcode changes, removals, new
  // products, figures changed, added and removed (some of products not in the image).
  const changes: ({ kind: 'product'; p: Product } | { kind: 'removeProduct'; id: string } | { kind: 'stock'; s: Stock } | { kind: 'removeStock'; s: Stock })[] = [];
  for (let c = 0; c < 400; c++) {
    const r = rnd();
    const existing = pick(products);
    if (r < 0.2) changes.push({ kind: 'product', p: { ...existing, name: name(c) } });
    else if (r < 0.35) changes.push({ kind: 'product', p: { ...existing, priceCents: existing.priceCents + 1, barcode: rnd() < 0.5 ? null : String(8_720_000_000_000 + c) } });
    else if (r < 0.45) changes.push({ kind: 'removeProduct', id: existing.id });
    else if (r < 0.6) changes.push({ kind: 'product', p: product(3000 + c) });
    else if (r < 0.85) changes.push({ kind: 'stock', s: figure(rnd() < 0.9 ? existing.id : String(3_000_000 + 3000 + c), pick(locations)) });
    else {
      const s = pick(stock);
      changes.push({ kind: 'removeStock', s });
    }
  }
  return { products, stock, carried, changes };
}

function apply(index: ProductIndex, change: ReturnType<typeof chain>['changes'][number]): void {
  if (change.kind === 'product') index.upsertProduct(change.p);
  else if (change.kind === 'removeProduct') index.removeProduct(change.id);
  else if (change.kind === 'stock') index.upsertStock(change.s);
  else index.removeStock(change.s);
}

/** One index started from the image and patched with the changes; one fed everything row by row. */
function twins(seed: number, collectLimit?: number) {
  const { products, stock, carried, changes } = chain(seed);
  const clock = () => new Date(2026, 11, 7, 12);
  const fromImage = new ProductIndex('1001', clock, '02', collectLimit);
  const image = buildCatalogImage(products, stock, { products: null, stock: null });
  fromImage.useImage(new CatalogBase(structuredClone(image)));
  const plain = new ProductIndex('1001', clock, '02', collectLimit);
  for (const p of products) plain.upsertProduct(p);
  for (const s of stock) plain.upsertStock(s);
  for (const ix of [fromImage, plain]) {
    for (const id of carried) ix.upsertAssortment({ id: `1001:${id}`, storeId: '1001', productId: id, validFrom: '2025-01-01', validTo: null });
    ix.addOwnSale({ seq: 30, lines: products.slice(0, 50).map((p) => ({ productId: p.id, quantity: 1 })) });
  }
  // Half the changes arrive before the first search, half after (lists already built).
  const half = changes.length / 2;
  for (const c of changes.slice(0, half)) for (const ix of [fromImage, plain]) apply(ix, c);
  return { fromImage, plain, products, rest: changes.slice(half) };
}

const scopes = ['store', 'catalog', 'elsewhere'] as const;

describe('the catalog image: a cold start from it answers as the index built row by row does', () => {
  const prefix = fc.constantFrom(...vocabulary, '1', '42', 's', 'p').chain((w) => fc.integer({ min: 1, max: w.length }).map((n) => w.slice(0, n)));

  for (const collectLimit of [undefined, 500]) {
    it(`search, codes, stock, browsing and the tree, before and after further changes (property; collect limit ${collectLimit ?? 'default'})`, () => {
      const { fromImage, plain, products, rest } = twins(11, collectLimit);
      const compare = (): void => {
        expect(fromImage.size).toBe(plain.size);
        fc.assert(
          fc.property(fc.array(prefix, { minLength: 1, maxLength: 3 }), fc.constantFrom(...scopes), (words, scope) => {
            const query = words.join(' ');
            expect(fromImage.search(query, 20, scope)).toEqual(plain.search(query, 20, scope));
          }),
          { numRuns: 150 },
        );
        for (const p of products.slice(0, 300)) {
          for (const code of [p.id, p.barcode ?? 'none', `${p.id}x`]) expect(fromImage.findByCode(code)).toEqual(plain.findByCode(code));
          expect(fromImage.search(p.itemNumber, 20, 'catalog')).toEqual(plain.search(p.itemNumber, 20, 'catalog'));
          const byLocation = (xs: Stock[]) => [...xs].sort((a, b) => (a.locationId < b.locationId ? -1 : 1));
          expect(byLocation(fromImage.stockOf(p.id))).toEqual(byLocation(plain.stockOf(p.id)));
          expect(fromImage.onHandHere(p.id)).toBe(plain.onHandHere(p.id));
        }
        for (const scope of scopes) {
          expect(fromImage.categories(scope)).toEqual(plain.categories(scope));
          for (const path of ['', 'Eten', 'Keuken', 'Drank']) {
            for (const offset of [0, 20, 400]) expect(fromImage.browse(path, offset, 20, scope)).toEqual(plain.browse(path, offset, 20, scope));
          }
        }
      };
      compare();
      for (const c of rest) for (const ix of [fromImage, plain]) apply(ix, c);
      compare();
    }, 60_000);
  }

  it('holds its arrays as typed arrays and long strings, and survives a structured clone (what IndexedDB stores)', () => {
    const { products, stock } = chain(5);
    const image = buildCatalogImage(products, stock, { products: { id: 'x', lwt: 1 }, stock: null });
    const copy = structuredClone(image);
    expect(copy.products.byName).toBeInstanceOf(Uint32Array);
    expect(copy.products.n).toBe(3000);
    const base = new CatalogBase(copy);
    const i = base.indexOf(products[7]?.id as string);
    expect(base.product(i)).toEqual(products[7]);
    expect(base.indexOf('nope')).toBe(-1);
  });
});
