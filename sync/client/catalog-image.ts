import type { ProductDoc, StockDoc } from '../protocol/docs.ts';
import { normalize, tokens } from './words.ts';

type Product = Omit<ProductDoc, '_deleted'>;
type Stock = Omit<StockDoc, '_deleted'>;

/**
 * The catalog image: the register's search index over products and stock, as a few long
 * strings and typed arrays in one IndexedDB record beside the replica. A cold start loads it in
 * one read instead of reading 1.5 million rows and indexing them again, and then applies only
 * the replica's changes since the image was taken (its checkpoints). Built off the page's main
 * thread (see catalog-image-worker.ts) from the replica itself; pure data, structured-cloneable.
 *
 * Strings are stored joined, with an offsets array of n + 1 entries: item i is
 * `text.slice(off[i], off[i + 1])`. Products are in id order (the replica's primary-key order,
 * which is JavaScript's string order), so an id is found by binary search.
 */
export interface CatalogImage {
  format: typeof IMAGE_FORMAT;
  builtAt: string;
  /** The replica's position each part was taken at: changes after it are applied at start. */
  checkpoints: { products: Checkpoint | null; stock: Checkpoint | null };
  products: {
    n: number;
    ids: string;
    idOff: Uint32Array;
    names: string;
    nameOff: Uint32Array;
    itemNumbers: string;
    itemOff: Uint32Array;
    /** '' for a product without a barcode. */
    barcodes: string;
    barcodeOff: Uint32Array;
    priceCents: Float64Array;
    vat: Uint8Array;
    vats: string[];
    category: Uint32Array;
    categories: string[];
    /** Every product in name order (normalized name, then id). */
    byName: Uint32Array;
    /** Products with a barcode, in barcode order; every product in item-number order. */
    byBarcode: Uint32Array;
    byItemNumber: Uint32Array;
    /** Each product's stock group (see stock), or −1 when no location has a figure for it. */
    stockGroup: Int32Array;
    /** The distinct name words, sorted; word w's products (in name order) are post[postOff[w] .. postOff[w + 1]]. */
    words: string[];
    postOff: Uint32Array;
    post: Uint32Array;
  };
  stock: {
    /** Figures sorted by product id, then location: product group g is rows gStart[g] .. gStart[g + 1]. */
    n: number;
    groupIds: string;
    groupOff: Uint32Array;
    gStart: Uint32Array;
    ids: string;
    idOff: Uint32Array;
    location: Uint32Array;
    locations: string[];
    onHand: Float64Array;
    reserved: Float64Array;
    asOf: Uint32Array;
    asOfs: string[];
    /** JSON of each figure's booked marks, by distinct value. */
    booked: Uint32Array;
    bookeds: string[];
  };
}

/** Bumped whenever the image's shape or the index's reading of it changes: an older image is rebuilt. */
export const IMAGE_FORMAT = 2;

/** A position in a collection's change order, as RxDB's storage keeps it (last write time, then id). */
export interface Checkpoint {
  id: string;
  lwt: number;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function joined(values: readonly string[]): { text: string; off: Uint32Array } {
  const off = new Uint32Array(values.length + 1);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    at += (values[i] as string).length;
    off[i + 1] = at;
  }
  return { text: values.join(''), off };
}

/** Distinct values and each item's index into them. */
function dictionary(values: readonly string[]): { index: Uint32Array; distinct: string[] } {
  const at = new Map<string, number>();
  const index = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    let k = at.get(v);
    if (k === undefined) at.set(v, (k = at.size));
    index[i] = k;
  }
  return { index, distinct: [...at.keys()] };
}

/**
 * Builds the image from every live product and stock figure of the replica (any order) and the
 * checkpoints they were read at. Pure: the worker runs it, and so do the tests.
 */
export function buildCatalogImage(productsIn: readonly Product[], stockIn: readonly Stock[], checkpoints: CatalogImage['checkpoints'], builtAt = new Date()): CatalogImage {
  const products = [...productsIn].sort((a, b) => byString(a.id, b.id));
  const n = products.length;
  const ids = joined(products.map((p) => p.id));
  const names = joined(products.map((p) => p.name));
  const items = joined(products.map((p) => p.itemNumber));
  const barcodes = joined(products.map((p) => p.barcode ?? ''));
  const priceCents = new Float64Array(n);
  for (let i = 0; i < n; i++) priceCents[i] = (products[i] as Product).priceCents;
  const vat = dictionary(products.map((p) => p.vat));
  const category = dictionary(products.map((p) => p.category));

  const keys = products.map((p) => `${normalize(p.name)}\u0000${p.id}`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => byString(keys[a] as string, keys[b] as string));
  const byName = Uint32Array.from(order);
  // Going through products in name order, every word's list comes out in name order too.
  const postings = new Map<string, number[]>();
  for (const i of order) {
    for (const w of new Set(tokens((products[i] as Product).name))) {
      const list = postings.get(w);
      if (list) list.push(i);
      else postings.set(w, [i]);
    }
  }
  const words = [...postings.keys()].sort(byString);
  const postOff = new Uint32Array(words.length + 1);
  let total = 0;
  for (let w = 0; w < words.length; w++) {
    total += (postings.get(words[w] as string) as number[]).length;
    postOff[w + 1] = total;
  }
  const post = new Uint32Array(total);
  for (let w = 0; w < words.length; w++) post.set(postings.get(words[w] as string) as number[], postOff[w] as number);

  const withBarcode: number[] = [];
  for (let i = 0; i < n; i++) if ((products[i] as Product).barcode) withBarcode.push(i);
  withBarcode.sort((a, b) => byString((products[a] as Product).barcode as string, (products[b] as Product).barcode as string));
  const byItem = Array.from({ length: n }, (_, i) => i).sort((a, b) => byString((products[a] as Product).itemNumber, (products[b] as Product).itemNumber));

  const stock = [...stockIn].sort((a, b) => byString(a.productId, b.productId) || byString(a.locationId, b.locationId));
  const groupIds: string[] = [];
  const gStart: number[] = [];
  stock.forEach((s, r) => {
    if (r === 0 || (stock[r - 1] as Stock).productId !== s.productId) {
      groupIds.push(s.productId);
      gStart.push(r);
    }
  });
  gStart.push(stock.length);
  const groups = joined(groupIds);
  // Both in id order: one merge pass.
  const stockGroup = new Int32Array(n).fill(-1);
  for (let i = 0, g = 0; i < n && g < groupIds.length; ) {
    const id = (products[i] as Product).id;
    const gid = groupIds[g] as string;
    if (id === gid) stockGroup[i++] = g++;
    else if (id < gid) i++;
    else g++;
  }
  const stockIds = joined(stock.map((s) => s.id));
  const location = dictionary(stock.map((s) => s.locationId));
  const asOf = dictionary(stock.map((s) => s.asOf));
  const booked = dictionary(stock.map((s) => JSON.stringify(s.booked ?? {})));

  return {
    format: IMAGE_FORMAT,
    builtAt: builtAt.toISOString(),
    checkpoints,
    products: {
      n,
      ids: ids.text,
      idOff: ids.off,
      names: names.text,
      nameOff: names.off,
      itemNumbers: items.text,
      itemOff: items.off,
      barcodes: barcodes.text,
      barcodeOff: barcodes.off,
      priceCents,
      vat: Uint8Array.from(vat.index),
      vats: vat.distinct,
      category: category.index,
      categories: category.distinct,
      byName,
      byBarcode: Uint32Array.from(withBarcode),
      byItemNumber: Uint32Array.from(byItem),
      stockGroup,
      words,
      postOff,
      post,
    },
    stock: {
      n: stock.length,
      groupIds: groups.text,
      groupOff: groups.off,
      gStart: Uint32Array.from(gStart),
      ids: stockIds.text,
      idOff: stockIds.off,
      location: location.index,
      locations: location.distinct,
      onHand: Float64Array.from(stock.map((s) => s.onHand)),
      reserved: Float64Array.from(stock.map((s) => s.reserved)),
      asOf: asOf.index,
      asOfs: asOf.distinct,
      booked: booked.index,
      bookeds: booked.distinct,
    },
  };
}

/** Whether a value read back from storage is an image this code can use. */
export function isUsableImage(value: unknown): value is CatalogImage {
  const v = value as Partial<CatalogImage> | null | undefined;
  return !!v && v.format === IMAGE_FORMAT && !!v.products && !!v.stock && v.products.byName instanceof Uint32Array;
}

const at = (text: string, off: Uint32Array, i: number): string => text.slice(off[i], off[i + 1]);

/** First index in [0, n) whose value is not below `key`, for values read by `get` in ascending order. */
function lowerBound(n: number, get: (k: number) => string, key: string): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (get(mid) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The read side of an image: products by index (0 .. n − 1, id order), looked up by id, code,
 * word prefix, and their stock figures. Nothing is decoded until asked for.
 */
export class CatalogBase {
  readonly n: number;
  /** Each product's place in name order. */
  readonly rank: Uint32Array;
  private readonly p: CatalogImage['products'];
  private readonly s: CatalogImage['stock'];
  /** Each product's stock group, or −1 when no location has a figure for it. */
  readonly stockGroupOf: Int32Array;

  constructor(readonly image: CatalogImage) {
    this.p = image.products;
    this.s = image.stock;
    this.n = this.p.n;
    this.rank = new Uint32Array(this.n);
    for (let r = 0; r < this.n; r++) this.rank[this.p.byName[r] as number] = r;
    this.stockGroupOf = this.p.stockGroup;
  }

  id(i: number): string {
    return at(this.p.ids, this.p.idOff, i);
  }

  name(i: number): string {
    return at(this.p.names, this.p.nameOff, i);
  }

  /** Normalized name, a NUL and the id: the same name-order key the live index uses. */
  key(i: number): string {
    return `${normalize(this.name(i))}\u0000${this.id(i)}`;
  }

  category(i: number): string {
    return this.p.categories[this.p.category[i] as number] as string;
  }

  categoryIndex(i: number): number {
    return this.p.category[i] as number;
  }

  get categories(): readonly string[] {
    return this.p.categories;
  }

  get byName(): Uint32Array {
    return this.p.byName;
  }

  product(i: number): Product {
    const barcode = at(this.p.barcodes, this.p.barcodeOff, i);
    return {
      id: this.id(i),
      itemNumber: at(this.p.itemNumbers, this.p.itemOff, i),
      barcode: barcode === '' ? null : barcode,
      name: this.name(i),
      category: this.category(i),
      priceCents: this.p.priceCents[i] as number,
      vat: this.p.vats[this.p.vat[i] as number] as Product['vat'],
    };
  }

  /** The product's index, or −1. */
  indexOf(id: string): number {
    const k = lowerBound(this.n, (m) => this.id(m), id);
    return k < this.n && this.id(k) === id ? k : -1;
  }

  /** Products whose barcode is `code` (normally one). */
  withBarcode(code: string): number[] {
    return this.equalIn(this.p.byBarcode, this.p.barcodes, this.p.barcodeOff, code);
  }

  /** Products whose item number is `code` (normally one). */
  withItemNumber(code: string): number[] {
    return this.equalIn(this.p.byItemNumber, this.p.itemNumbers, this.p.itemOff, code);
  }

  /** The products of `order` (sorted by a joined column) whose value in that column is `code`. */
  private equalIn(order: Uint32Array, text: string, off: Uint32Array, code: string): number[] {
    const get = (m: number): string => at(text, off, order[m] as number);
    const found: number[] = [];
    for (let k = lowerBound(order.length, get, code); k < order.length && get(k) === code; k++) found.push(order[k] as number);
    return found;
  }

  /** The words starting with `prefix` (indexes lo .. hi − 1) and how many products they list together. */
  prefixRange(prefix: string): { lo: number; hi: number; count: number } {
    const words = this.p.words;
    const lo = lowerBound(words.length, (m) => words[m] as string, prefix);
    let hi = lo;
    while (hi < words.length && (words[hi] as string).startsWith(prefix)) hi++;
    return { lo, hi, count: (this.p.postOff[hi] as number) - (this.p.postOff[lo] as number) };
  }

  /** The products (in name order) of word `w`. */
  posting(w: number): Uint32Array {
    return this.p.post.subarray(this.p.postOff[w], this.p.postOff[w + 1]);
  }

  /** The stock group of a product id, or −1. */
  stockGroup(productId: string): number {
    const groups = this.s.gStart.length - 1;
    const get = (m: number): string => at(this.s.groupIds, this.s.groupOff, m);
    const g = lowerBound(groups, get, productId);
    return g < groups && get(g) === productId ? g : -1;
  }

  /** The figures of a stock group. */
  stockRows(g: number): Stock[] {
    const s = this.s;
    const rows: Stock[] = [];
    const productId = at(s.groupIds, s.groupOff, g);
    for (let r = s.gStart[g] as number; r < (s.gStart[g + 1] as number); r++) {
      rows.push({
        id: at(s.ids, s.idOff, r),
        locationId: s.locations[s.location[r] as number] as string,
        productId,
        onHand: s.onHand[r] as number,
        reserved: s.reserved[r] as number,
        asOf: s.asOfs[s.asOf[r] as number] as string,
        booked: JSON.parse(s.bookeds[s.booked[r] as number] as string) as Record<string, number>,
      });
    }
    return rows;
  }

  /**
   * Per product: what other locations than `storeId` have available (on hand less reserved,
   * where above 0) and at how many — the "other stores" scope, without decoding a figure.
   */
  availableElsewhere(storeId: string): { available: Float64Array; locations: Uint32Array } {
    const s = this.s;
    const available = new Float64Array(this.n);
    const locations = new Uint32Array(this.n);
    const here = s.locations.indexOf(storeId);
    for (let i = 0; i < this.n; i++) {
      const g = this.stockGroupOf[i] as number;
      if (g < 0) continue;
      for (let r = s.gStart[g] as number; r < (s.gStart[g + 1] as number); r++) {
        const free = (s.onHand[r] as number) - (s.reserved[r] as number);
        if (s.location[r] === here || free <= 0) continue;
        available[i] = (available[i] as number) + free;
        locations[i] = (locations[i] as number) + 1;
      }
    }
    return { available, locations };
  }
}
