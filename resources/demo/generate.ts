import type { AssortmentDoc, ProductDoc, StockDoc, StoreDoc } from '../../sync/protocol/docs.ts';
import type { VatClass } from '../../src/vat.ts';

/**
 * A generated Dutch demo chain: stores in different towns, two warehouses, released products
 * with EAN-13 barcodes and VAT classes, date-effective assortment lines per store, and stock per
 * location. Deterministic for a seed, and streaming, so a million products never sit in memory.
 */
export interface DemoOptions {
  products: number;
  seed?: number;
  /** The day the chain is generated for, YYYY-MM-DD: assortment dates are relative to it. */
  today: string;
}

type Location = Omit<StoreDoc, '_deleted'>;

/** mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A PRNG for item `i` of a stream, so any item can be regenerated without the ones before it. */
function rngFor(seed: number, stream: number, i: number): () => number {
  return prng((seed * 2654435761) ^ (stream * 40503) ^ Math.imul(i + 1, 2246822519));
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

export function ean13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new RangeError('EAN-13 needs 12 digits before the check digit');
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

export function demoLocations(): Location[] {
  const regs = ['01', '02', '03'];
  return [
    { id: '1001', name: 'Kassa Utrecht Centrum', town: 'Utrecht', kind: 'store', registers: regs },
    { id: '1002', name: 'Kassa Amersfoort', town: 'Amersfoort', kind: 'store', registers: regs },
    { id: '1003', name: 'Kassa Zeist', town: 'Zeist', kind: 'store', registers: regs },
    { id: '1004', name: 'Kassa Nieuwegein', town: 'Nieuwegein', kind: 'store', registers: regs },
    { id: '1005', name: 'Kassa Houten', town: 'Houten', kind: 'store', registers: regs },
    { id: '1006', name: 'Kassa Hilversum', town: 'Hilversum', kind: 'store', registers: regs },
    { id: '9001', name: 'Distributiecentrum Nieuwegein', town: 'Nieuwegein', kind: 'warehouse', registers: [] },
    { id: '9002', name: 'Distributiecentrum Tilburg', town: 'Tilburg', kind: 'warehouse', registers: [] },
  ];
}

interface Family {
  category: string;
  vat: VatClass;
  types: readonly string[];
  variants: readonly string[];
  sizes: readonly string[];
  priceRange: readonly [number, number];
}

const BRANDS = ['Hema', 'Blokker', 'Zwanenberg', 'Tulp', 'Dijkstra', 'Oranje', 'Polder', 'Delfts', 'Vlieland', 'Noorder', 'Brabants', 'Zeeuws', 'Veluws', 'Kroon', 'Molen', 'Gouda'];

const FAMILIES: readonly Family[] = [
  { category: 'Keuken/Textiel', vat: 'high', types: ['Theedoek', 'Keukendoek', 'Ovenwant', 'Schort', 'Vaatdoek'], variants: ['katoen blauw', 'katoen rood', 'linnen grijs', 'geruit groen', 'streep wit'], sizes: ['50x70', '60x65', '2 stuks', '5 stuks'], priceRange: [199, 1499] },
  { category: 'Keuken/Koken', vat: 'high', types: ['Koekenpan', 'Braadpan', 'Steelpan', 'Wokpan', 'Snijplank', 'Garde'], variants: ['rvs', 'gietijzer', 'keramisch', 'bamboe', 'antiaanbak'], sizes: ['20 cm', '24 cm', '28 cm', '3 liter', '5 liter'], priceRange: [499, 8999] },
  { category: 'Wonen/Decoratie', vat: 'high', types: ['Kaars', 'Vaas', 'Fotolijst', 'Kussen', 'Plaid'], variants: ['wit', 'okergeel', 'oudroze', 'donkerblauw', 'saliegroen'], sizes: ['klein', 'middel', 'groot', '40x40', '130x170'], priceRange: [149, 3999] },
  { category: 'Verzorging/Lichaam', vat: 'high', types: ['Douchegel', 'Shampoo', 'Bodylotion', 'Handzeep', 'Deodorant'], variants: ['lavendel', 'citrus', 'sensitive', 'kokos', 'munt'], sizes: ['200 ml', '250 ml', '400 ml', '500 ml'], priceRange: [129, 899] },
  { category: 'Levensmiddelen/Zoet', vat: 'low', types: ['Stroopwafels', 'Drop', 'Chocoladereep', 'Pepernoten', 'Speculaas'], variants: ['naturel', 'puur', 'melk', 'zoet', 'zout'], sizes: ['100 g', '200 g', '300 g', '500 g'], priceRange: [99, 599] },
  { category: 'Levensmiddelen/Dranken', vat: 'low', types: ['Koffiebonen', 'Thee', 'Appelsap', 'Chocolademelk', 'Limonadesiroop'], variants: ['rood fruit', 'earl grey', 'troebel', 'espresso', 'framboos'], sizes: ['250 g', '500 g', '1 liter', '20 zakjes'], priceRange: [149, 1299] },
  { category: 'Boeken/Tijdschriften', vat: 'low', types: ['Kookboek', 'Puzzelboek', 'Kleurboek', 'Agenda', 'Leesboek'], variants: ['seizoenen', 'vegetarisch', 'voor kinderen', 'Nederland', 'klassiek'], sizes: ['paperback', 'gebonden', 'A5', 'A4'], priceRange: [499, 2999] },
  { category: 'Kantoor/Papier', vat: 'high', types: ['Schrift', 'Pen', 'Markeerstift', 'Map', 'Notitieblok'], variants: ['gelinieerd', 'geruit', 'blauw', 'zwart', 'neon'], sizes: ['A4', 'A5', '3 stuks', '10 stuks'], priceRange: [99, 1299] },
  { category: 'Speelgoed/Spellen', vat: 'high', types: ['Puzzel', 'Bordspel', 'Knuffel', 'Bouwset', 'Kaartspel'], variants: ['dieren', 'molens', 'ruimte', 'boerderij', 'klassiek'], sizes: ['500 stukjes', '1000 stukjes', 'klein', 'groot'], priceRange: [299, 4999] },
  { category: 'Cadeau/Waardebonnen', vat: 'zero', types: ['Cadeaukaart', 'Waardebon'], variants: ['verjaardag', 'algemeen', 'feestdagen'], sizes: ['10 euro', '25 euro', '50 euro'], priceRange: [1000, 5000] },
];

const ENDINGS = [99, 49, 95, 0, 29, 75];

/** Item number of product i: 7 digits, starting at 1000001. */
export function itemNumberOf(i: number): string {
  return String(1_000_001 + i);
}

export function* demoProducts(opts: DemoOptions): Generator<Omit<ProductDoc, '_deleted'>> {
  const seed = opts.seed ?? 1;
  for (let i = 0; i < opts.products; i++) {
    const rnd = rngFor(seed, 1, i);
    const family = FAMILIES[i % FAMILIES.length] as Family;
    const itemNumber = itemNumberOf(i);
    // Dutch GS1 prefix 87, a company prefix, and the item number make barcodes unique.
    const first12 = `87${String(1_000_000_000 + i).slice(0, 10).padStart(10, '0')}`;
    const barcode = `${first12}${ean13CheckDigit(first12)}`;
    const [lo, hi] = family.priceRange;
    const euros = Math.floor((lo + rnd() * (hi - lo)) / 100);
    const ending = pick(rnd, ENDINGS);
    const priceCents = Math.max(49, euros * 100 + ending);
    yield {
      id: itemNumber,
      itemNumber,
      barcode,
      name: `${pick(rnd, BRANDS)} ${pick(rnd, family.types)} ${pick(rnd, family.variants)} ${pick(rnd, family.sizes)}`,
      category: family.category,
      priceCents,
      vat: family.vat,
    };
  }
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** How many products a store carries: a few thousand for the demo, 2 % at a million. */
export function assortmentSize(products: number): number {
  return Math.min(products, Math.max(Math.min(4000, products), Math.floor(products * 0.02)));
}

/**
 * Per store, a window of the catalog (stores overlap), mostly open-ended lines valid since last
 * year; about 3 % ended yesterday (expired) and 3 % start tomorrow or later (not yet valid).
 */
export function* demoAssortment(opts: DemoOptions, locations: readonly Location[]): Generator<Omit<AssortmentDoc, '_deleted'>> {
  const seed = opts.seed ?? 1;
  const size = assortmentSize(opts.products);
  const stores = locations.filter((l) => l.kind === 'store');
  for (const [s, store] of stores.entries()) {
    const offset = Math.floor((s * opts.products) / (stores.length * 2));
    const stride = Math.max(1, Math.floor(opts.products / size));
    for (let k = 0; k < size; k++) {
      const productIndex = (offset + k * stride) % opts.products;
      const rnd = rngFor(seed, 2 + s, k);
      const r = rnd();
      let validFrom = addDays(opts.today, -365 + Math.floor(rnd() * 300));
      let validTo: string | null = null;
      if (r < 0.03) validTo = addDays(opts.today, -1 - Math.floor(rnd() * 30));
      else if (r < 0.06) validFrom = addDays(opts.today, 1 + Math.floor(rnd() * 14));
      else if (r < 0.1) validTo = addDays(opts.today, 30 + Math.floor(rnd() * 60));
      yield { id: `${store.id}:${itemNumberOf(productIndex)}`, storeId: store.id, productId: itemNumberOf(productIndex), validFrom, validTo };
    }
  }
}

/** Stock for every store's assortment products, and for each warehouse a fifth of the catalog. */
export function* demoStock(opts: DemoOptions, locations: readonly Location[]): Generator<Omit<StockDoc, '_deleted'>> {
  const seed = opts.seed ?? 1;
  const asOf = `${opts.today}T06:00:00.000Z`;
  const figure = (rnd: () => number): { onHand: number; reserved: number } => {
    const onHand = rnd() < 0.1 ? 0 : Math.floor(rnd() * 40);
    return { onHand, reserved: Math.min(onHand, rnd() < 0.8 ? 0 : Math.floor(rnd() * 4)) };
  };
  for (const line of demoAssortment(opts, locations)) {
    const rnd = rngFor(seed, 100, Number(line.productId) ^ Number(line.storeId));
    yield { id: line.id, locationId: line.storeId, productId: line.productId, asOf, ...figure(rnd) };
  }
  for (const [w, wh] of locations.filter((l) => l.kind === 'warehouse').entries()) {
    for (let i = w; i < opts.products; i += 5) {
      const rnd = rngFor(seed, 200 + w, i);
      const f = figure(rnd);
      yield { id: `${wh.id}:${itemNumberOf(i)}`, locationId: wh.id, productId: itemNumberOf(i), asOf, onHand: f.onHand * 10, reserved: f.reserved * 10 };
    }
  }
}
