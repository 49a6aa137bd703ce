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
  /** When the stock figures were counted (ISO): by default 06:00 UTC that day. */
  stockAsOf?: string;
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
    { id: '1001', name: 'Kassa Utrecht Centrum', town: 'Utrecht', kind: 'store', registers: regs, groups: ['GROOT'], lat: 52.0907, lon: 5.1214, registerKeys: {} },
    { id: '1002', name: 'Kassa Amersfoort', town: 'Amersfoort', kind: 'store', registers: regs, groups: ['GROOT'], lat: 52.1561, lon: 5.3878, registerKeys: {} },
    { id: '1003', name: 'Kassa Zeist', town: 'Zeist', kind: 'store', registers: regs, groups: [], lat: 52.0894, lon: 5.2331, registerKeys: {} },
    { id: '1004', name: 'Kassa Nieuwegein', town: 'Nieuwegein', kind: 'store', registers: regs, groups: [], lat: 52.0296, lon: 5.0806, registerKeys: {} },
    { id: '1005', name: 'Kassa Houten', town: 'Houten', kind: 'store', registers: regs, groups: [], lat: 52.0283, lon: 5.1681, registerKeys: {} },
    { id: '1006', name: 'Kassa Hilversum', town: 'Hilversum', kind: 'store', registers: regs, groups: ['GROOT'], lat: 52.2292, lon: 5.1669, registerKeys: {} },
    { id: '9001', name: 'Distributiecentrum Nieuwegein', town: 'Nieuwegein', kind: 'warehouse', registers: [], groups: [], lat: 52.0145, lon: 5.0914, registerKeys: {} },
    { id: '9002', name: 'Distributiecentrum Tilburg', town: 'Tilburg', kind: 'warehouse', registers: [], groups: [], lat: 51.5555, lon: 5.0913, registerKeys: {} },
  ];
}

interface Kind {
  type: string;
  variants: readonly string[];
  sizes: readonly string[];
  /** Price range in cents. */
  price: readonly [number, number];
  /** Sizes are face values ("25 euro") and the price is that value (gift cards). */
  faceValue?: boolean;
}

interface Family {
  category: string;
  vat: VatClass;
  kinds: readonly Kind[];
}

// Made-up house brands: the demo chain sells no real company's products.
const BRANDS = ['Zwanenberg', 'Tulp', 'Dijkstra', 'Oranjehof', 'Polderman', 'Delfts Blauw', 'Vlieland', 'Noorderlicht', 'Brabants Huis', 'Zeeuwse Stroom', 'Veluwezoom', 'Kroonluchter', 'De Molen', 'Goudse Waag'];

const FAMILIES: readonly Family[] = [
  { category: 'Keuken/Textiel', vat: 'high', kinds: [
    { type: 'Theedoek', variants: ['katoen blauw', 'linnen grijs', 'geruit groen', 'streep wit'], sizes: ['50x70 cm', '2 stuks', '5 stuks'], price: [199, 1299] },
    { type: 'Ovenwant', variants: ['katoen rood', 'siliconen zwart', 'geruit blauw'], sizes: ['per stuk', 'set van 2'], price: [399, 1499] },
    { type: 'Schort', variants: ['katoen naturel', 'denim', 'linnen zwart'], sizes: ['one size'], price: [999, 2499] },
  ] },
  { category: 'Keuken/Koken', vat: 'high', kinds: [
    { type: 'Koekenpan', variants: ['rvs', 'gietijzer', 'keramisch', 'antiaanbak'], sizes: ['20 cm', '24 cm', '28 cm'], price: [1499, 6999] },
    { type: 'Braadpan', variants: ['gietijzer', 'rvs', 'geëmailleerd'], sizes: ['3 liter', '5 liter'], price: [2999, 8999] },
    { type: 'Snijplank', variants: ['bamboe', 'eiken', 'kunststof'], sizes: ['klein', 'groot', 'set van 3'], price: [499, 2999] },
    { type: 'Garde', variants: ['rvs', 'siliconen'], sizes: ['25 cm', '30 cm'], price: [299, 999] },
  ] },
  { category: 'Wonen/Decoratie', vat: 'high', kinds: [
    { type: 'Kaars', variants: ['wit', 'okergeel', 'oudroze', 'saliegroen'], sizes: ['dinerkaars 4 stuks', 'stompkaars 10 cm', 'stompkaars 15 cm'], price: [149, 999] },
    { type: 'Vaas', variants: ['glas helder', 'keramiek wit', 'aardewerk terra'], sizes: ['klein', 'middel', 'groot'], price: [799, 3999] },
    { type: 'Kussen', variants: ['velours donkerblauw', 'katoen wit', 'gebreid okergeel'], sizes: ['40x40 cm', '45x45 cm', '30x50 cm'], price: [999, 2999] },
    { type: 'Plaid', variants: ['wol grijs', 'fleece saliegroen', 'katoen oudroze'], sizes: ['130x170 cm', '150x200 cm'], price: [1999, 4999] },
  ] },
  { category: 'Verzorging/Lichaam', vat: 'high', kinds: [
    { type: 'Douchegel', variants: ['lavendel', 'citrus', 'sensitive', 'kokos'], sizes: ['250 ml', '500 ml'], price: [129, 699] },
    { type: 'Shampoo', variants: ['normaal haar', 'droog haar', 'anti-roos', 'kids'], sizes: ['250 ml', '400 ml'], price: [199, 899] },
    { type: 'Handzeep', variants: ['lavendel', 'munt', 'sensitive'], sizes: ['300 ml', 'navulling 750 ml'], price: [129, 599] },
  ] },
  { category: 'Levensmiddelen/Zoet', vat: 'low', kinds: [
    { type: 'Stroopwafels', variants: ['naturel', 'karamel', 'honing'], sizes: ['8 stuks', '10 stuks', 'mini 200 g'], price: [149, 499] },
    { type: 'Drop', variants: ['zoet', 'zout', 'dubbelzout', 'honing'], sizes: ['200 g', '400 g'], price: [129, 399] },
    { type: 'Chocoladereep', variants: ['puur 70%', 'melk', 'wit', 'melk hazelnoot'], sizes: ['100 g', '200 g'], price: [99, 449] },
    { type: 'Speculaas', variants: ['roomboter', 'gevuld', 'kruidig'], sizes: ['200 g', '400 g'], price: [179, 549] },
  ] },
  { category: 'Levensmiddelen/Dranken', vat: 'low', kinds: [
    { type: 'Koffiebonen', variants: ['espresso', 'mild', 'donker gebrand', 'cafeïnevrij'], sizes: ['250 g', '500 g', '1 kg'], price: [399, 1499] },
    { type: 'Thee', variants: ['earl grey', 'groen', 'rooibos', 'pepermunt'], sizes: ['20 zakjes', '40 zakjes', 'los 100 g'], price: [149, 599] },
    { type: 'Appelsap', variants: ['troebel', 'helder', 'appel-peer'], sizes: ['1 liter', '1,5 liter'], price: [149, 399] },
    { type: 'Limonadesiroop', variants: ['framboos', 'rood fruit', 'citroen'], sizes: ['0,75 liter', '1 liter'], price: [179, 449] },
  ] },
  { category: 'Boeken/Tijdschriften', vat: 'low', kinds: [
    { type: 'Kookboek', variants: ['vegetarisch', 'Hollandse pot', 'bakken', 'seizoenen'], sizes: ['paperback', 'gebonden'], price: [1499, 3499] },
    { type: 'Puzzelboek', variants: ['kruiswoord', 'sudoku', 'breinbrekers'], sizes: ['A5', 'A4'], price: [399, 999] },
    { type: 'Kleurboek', variants: ['voor kinderen', 'mandala', 'dieren'], sizes: ['A4'], price: [499, 1299] },
  ] },
  { category: 'Kantoor/Papier', vat: 'high', kinds: [
    { type: 'Schrift', variants: ['gelinieerd', 'geruit', 'blanco'], sizes: ['A4', 'A5', '3 stuks'], price: [99, 899] },
    { type: 'Pen', variants: ['balpen blauw', 'balpen zwart', 'gel zwart'], sizes: ['per stuk', '4 stuks', '10 stuks'], price: [99, 1299] },
    { type: 'Markeerstift', variants: ['geel', 'neon assorti', 'pastel'], sizes: ['per stuk', '4 stuks'], price: [129, 699] },
  ] },
  { category: 'Speelgoed/Spellen', vat: 'high', kinds: [
    { type: 'Legpuzzel', variants: ['molens', 'Hollandse meesters', 'dieren', 'grachten'], sizes: ['500 stukjes', '1000 stukjes'], price: [999, 2499] },
    { type: 'Bordspel', variants: ['klassiek', 'familie', 'strategie'], sizes: ['2-4 spelers', '2-6 spelers'], price: [1499, 4999] },
    { type: 'Knuffel', variants: ['konijn', 'beer', 'koe', 'eend'], sizes: ['klein', 'groot'], price: [499, 2499] },
  ] },
  { category: 'Cadeau/Waardebonnen', vat: 'zero', kinds: [
    { type: 'Cadeaukaart', variants: ['verjaardag', 'algemeen', 'feestdagen'], sizes: ['10 euro', '25 euro', '50 euro'], price: [1000, 5000], faceValue: true },
  ] },
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
    const kind = pick(rnd, family.kinds);
    const brand = pick(rnd, BRANDS);
    const variant = pick(rnd, kind.variants);
    const size = pick(rnd, kind.sizes);
    const [lo, hi] = kind.price;
    const euros = Math.floor((lo + Math.floor(rnd() * (hi - lo))) / 100);
    const ending = pick(rnd, ENDINGS);
    const priceCents = kind.faceValue ? Number.parseInt(size, 10) * 100 : Math.max(49, euros * 100 + ending);
    yield {
      id: itemNumber,
      itemNumber,
      barcode,
      name: `${brand} ${kind.type} ${variant} ${size}`,
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
 * Per store: half of the assortment is the chain's core range (the same products in every
 * store), the other half the store's own picks, so any two stores share part of their range
 * and no two carry the same. Lines are mostly open-ended and valid since last year; about 3 %
 * ended yesterday or earlier (expired) and 3 % start tomorrow or later (not yet valid).
 */
/** The demo's lines are all a store's own (store groups exist in the demo, their lines come by import). */
export type DemoAssortmentLine = Omit<AssortmentDoc, '_deleted' | 'storeId' | 'groupId'> & { storeId: string; groupId: null };

export function* demoAssortment(opts: DemoOptions, locations: readonly Location[]): Generator<DemoAssortmentLine> {
  const seed = opts.seed ?? 1;
  const size = assortmentSize(opts.products);
  const stores = locations.filter((l) => l.kind === 'store');
  const half = Math.ceil(size / 2);
  // The catalog is cut into `half` cells of `cell` products: the core takes each cell's first
  // product, a store's own pick is another product of the same cell.
  const cell = Math.floor(opts.products / half);
  for (const [s, store] of stores.entries()) {
    const picks: number[] = [];
    if (cell < 2) {
      for (let i = 0; i < size; i++) picks.push(i);
    } else {
      const own = rngFor(seed, 50 + s, 0);
      for (let k = 0; k < half; k++) {
        picks.push(k * cell);
        if (picks.length < size) picks.push(k * cell + 1 + Math.floor(own() * (cell - 1)));
      }
    }
    for (const [k, productIndex] of picks.entries()) {
      const rnd = rngFor(seed, 2 + s, k);
      const r = rnd();
      let validFrom = addDays(opts.today, -365 + Math.floor(rnd() * 300));
      let validTo: string | null = null;
      if (r < 0.03) validTo = addDays(opts.today, -1 - Math.floor(rnd() * 30));
      else if (r < 0.06) validFrom = addDays(opts.today, 1 + Math.floor(rnd() * 14));
      else if (r < 0.1) validTo = addDays(opts.today, 30 + Math.floor(rnd() * 60));
      yield { id: `${store.id}:${itemNumberOf(productIndex)}`, storeId: store.id, groupId: null, productId: itemNumberOf(productIndex), validFrom, validTo };
    }
  }
}

/** Stock for every store's assortment products, and for each warehouse a fifth of the catalog. */
export function* demoStock(opts: DemoOptions, locations: readonly Location[]): Generator<Omit<StockDoc, '_deleted'>> {
  const seed = opts.seed ?? 1;
  const asOf = opts.stockAsOf ?? `${opts.today}T06:00:00.000Z`;
  const figure = (rnd: () => number): { onHand: number; reserved: number } => {
    const onHand = rnd() < 0.1 ? 0 : Math.floor(rnd() * 40);
    return { onHand, reserved: Math.min(onHand, rnd() < 0.8 ? 0 : Math.floor(rnd() * 4)) };
  };
  for (const line of demoAssortment(opts, locations)) {
    const rnd = rngFor(seed, 100, Number(line.productId) ^ Number(line.storeId));
    yield { id: line.id, locationId: line.storeId, productId: line.productId, asOf, booked: {}, ...figure(rnd) };
  }
  for (const [w, wh] of locations.filter((l) => l.kind === 'warehouse').entries()) {
    for (let i = w; i < opts.products; i += 5) {
      const rnd = rngFor(seed, 200 + w, i);
      const f = figure(rnd);
      yield { id: `${wh.id}:${itemNumberOf(i)}`, locationId: wh.id, productId: itemNumberOf(i), asOf, booked: {}, onHand: f.onHand * 10, reserved: f.reserved * 10 };
    }
  }
}
