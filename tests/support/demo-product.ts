import { demoAssortment, demoLocations, demoProducts } from '../../resources/demo/generate.ts';
import { lineValidOn, localDay } from '../../src/assortment.ts';

/** A product a demo store carries today, found with the same generator HQ seeded from. */
export function productInAssortment(storeId: string, demoProductCount: number, skip = 0): { id: string; barcode: string; name: string; priceCents: number } {
  const today = localDay(new Date());
  const opts = { products: demoProductCount, today };
  const carried = new Set<string>();
  for (const line of demoAssortment(opts, demoLocations())) {
    if (line.storeId === storeId && lineValidOn(line, today)) carried.add(line.productId);
    if (carried.size > 50 + skip) break;
  }
  let seen = 0;
  for (const p of demoProducts(opts)) {
    if (carried.has(p.id) && p.barcode && seen++ >= skip) return { id: p.id, barcode: p.barcode, name: p.name, priceCents: p.priceCents };
  }
  throw new Error(`demo store ${storeId} carries no product with a barcode`);
}

/** A released product a demo store does not carry today (neither now nor by a line from tomorrow). */
export function productOutsideAssortment(storeId: string, demoProductCount: number): { id: string; itemNumber: string; barcode: string; name: string; priceCents: number } {
  const today = localDay(new Date());
  const opts = { products: demoProductCount, today };
  const listed = new Set<string>();
  for (const line of demoAssortment(opts, demoLocations())) if (line.storeId === storeId) listed.add(line.productId);
  const names = new Map<string, number>();
  const all = [...demoProducts(opts)];
  for (const p of all) names.set(p.name, (names.get(p.name) ?? 0) + 1);
  // One whose name is unique, so a search by name finds exactly it.
  for (const p of all) {
    if (!listed.has(p.id) && p.barcode && names.get(p.name) === 1) {
      return { id: p.id, itemNumber: p.itemNumber, barcode: p.barcode, name: p.name, priceCents: p.priceCents };
    }
  }
  throw new Error(`every demo product is in store ${storeId}'s assortment`);
}
