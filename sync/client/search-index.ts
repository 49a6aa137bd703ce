import { type AssortmentLine, lineValidOn, localDay } from '../../src/assortment.ts';
import type { ProductDoc, StockDoc } from '../protocol/docs.ts';
import type { ProductHit } from './api.ts';

type Product = Omit<ProductDoc, '_deleted'>;
type Stock = Omit<StockDoc, '_deleted'>;

/** Lowercase and without accents: "Crème Brûlée" → "creme brulee". */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export function tokens(text: string): string[] {
  return normalize(text)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * The register's in-memory search index over its replica: exact lookups by barcode and item
 * number, and name search where every word typed is the prefix of a word of the name, in any
 * order. Kept current from the replica's change streams; the word list is re-sorted lazily
 * on the first search after a change. Assortment is evaluated on the register's local day, so
 * the answer changes at midnight without a sync.
 */
export class ProductIndex {
  private readonly products = new Map<string, Product>();
  private readonly byBarcode = new Map<string, string>();
  private readonly byItemNumber = new Map<string, string>();
  private readonly assortmentLines = new Map<string, AssortmentLine & { id: string }>();
  /**
   * This register's own sales HQ may not have booked yet: productId → sale seq → quantity.
   * They are subtracted from this store's figure until the figure's booked mark passes them.
   */
  private readonly ownSold = new Map<string, Map<number, number>>();
  /** Every location's figure per product: productId → locationId → stock. */
  private readonly stockAll = new Map<string, Map<string, Stock>>();
  /** Sorted "word\u0000productId" keys; rebuilt when dirty. */
  private words: string[] = [];
  private wordsDirty = false;
  private carriedDay = '';
  private carried = new Set<string>();
  private carriedDirty = true;
  /** Browse lists by "scope|category", sorted by name; dropped on any change. */
  private browseCache = new Map<string, Product[]>();
  private browseDay = '';

  constructor(
    private readonly storeId: string,
    private readonly now: () => Date = () => new Date(),
    /** This register, whose own sales lower this store's figure at once (see addOwnSale). */
    private readonly registerId: string | null = null,
  ) {}

  get size(): number {
    return this.products.size;
  }

  upsertProduct(p: Product): void {
    const old = this.products.get(p.id);
    if (old?.barcode) this.byBarcode.delete(old.barcode);
    if (old) this.byItemNumber.delete(old.itemNumber);
    this.products.set(p.id, p);
    if (p.barcode) this.byBarcode.set(p.barcode, p.id);
    this.byItemNumber.set(p.itemNumber, p.id);
    this.wordsDirty = true;
    this.browseCache.clear();
  }

  removeProduct(id: string): void {
    const old = this.products.get(id);
    if (!old) return;
    if (old.barcode) this.byBarcode.delete(old.barcode);
    this.byItemNumber.delete(old.itemNumber);
    this.products.delete(id);
    this.wordsDirty = true;
    this.browseCache.clear();
  }

  upsertAssortment(line: AssortmentLine & { id: string }): void {
    this.assortmentLines.set(line.id, line);
    this.carriedDirty = true;
    this.browseCache.clear();
  }

  removeAssortment(id: string): void {
    this.assortmentLines.delete(id);
    this.carriedDirty = true;
    this.browseCache.clear();
  }

  upsertStock(s: Stock): void {
    if (s.locationId === this.storeId) this.forgetBooked(s);
    let byLocation = this.stockAll.get(s.productId);
    if (!byLocation) {
      byLocation = new Map();
      this.stockAll.set(s.productId, byLocation);
    }
    byLocation.set(s.locationId, s);
  }

  removeStock(s: Pick<Stock, 'locationId' | 'productId'>): void {
    this.stockAll.get(s.productId)?.delete(s.locationId);
  }

  /**
   * A sale made at this register: its quantities come off this store's figure at once (offline
   * too) and stay off until HQ's figure says it has booked the sale (its booked mark for this
   * register reaches the sale's sequence). Adding the same sale twice changes nothing.
   */
  addOwnSale(sale: { seq: number; lines: readonly { productId: string; quantity: number }[] }): void {
    const perProduct = new Map<string, number>();
    for (const l of sale.lines) perProduct.set(l.productId, (perProduct.get(l.productId) ?? 0) + l.quantity);
    for (const [productId, qty] of perProduct) {
      if (sale.seq <= this.bookedMark(productId)) continue;
      let bySeq = this.ownSold.get(productId);
      if (!bySeq) this.ownSold.set(productId, (bySeq = new Map()));
      bySeq.set(sale.seq, qty);
    }
  }

  private bookedMark(productId: string): number {
    if (this.registerId === null) return 0;
    return this.stockAll.get(productId)?.get(this.storeId)?.booked[this.registerId] ?? 0;
  }

  private forgetBooked(s: Stock): void {
    const bySeq = this.ownSold.get(s.productId);
    if (!bySeq || this.registerId === null) return;
    const mark = s.booked[this.registerId] ?? 0;
    for (const seq of bySeq.keys()) if (seq <= mark) bySeq.delete(seq);
    if (bySeq.size === 0) this.ownSold.delete(s.productId);
  }

  /** Units this register sold that this store's figure from HQ does not include yet. */
  soldNotBooked(productId: string): number {
    let n = 0;
    for (const qty of this.ownSold.get(productId)?.values() ?? []) n += qty;
    return n;
  }

  /** On hand at this store as this register knows it: HQ's figure less its own sales HQ has not booked. */
  onHandHere(productId: string): number | null {
    const figure = this.stockAll.get(productId)?.get(this.storeId);
    const pending = this.soldNotBooked(productId);
    if (!figure && pending === 0) return null;
    return (figure?.onHand ?? 0) - pending;
  }

  /** A product's figures at every location HQ sent one for. */
  stockOf(productId: string): Stock[] {
    return [...(this.stockAll.get(productId)?.values() ?? [])];
  }

  /** Products this store carries today. */
  private carriedToday(): Set<string> {
    const day = localDay(this.now());
    if (this.carriedDirty || day !== this.carriedDay) {
      const set = new Set<string>();
      for (const line of this.assortmentLines.values()) {
        if (line.storeId === this.storeId && lineValidOn(line, day)) set.add(line.productId);
      }
      this.carried = set;
      this.carriedDay = day;
      this.carriedDirty = false;
    }
    return this.carried;
  }

  private hit(p: Product): ProductHit {
    return { ...p, inAssortment: this.carriedToday().has(p.id), onHandHere: this.onHandHere(p.id) };
  }

  /** Exact barcode or item number: the scanner's lookup. Finds any released product. */
  findByCode(code: string): ProductHit | null {
    const c = code.trim();
    const id = this.byBarcode.get(c) ?? this.byItemNumber.get(c);
    const p = id ? this.products.get(id) : undefined;
    return p ? this.hit(p) : null;
  }

  private sortedWords(): string[] {
    if (this.wordsDirty) {
      const list: string[] = [];
      for (const p of this.products.values()) {
        for (const w of new Set(tokens(p.name))) list.push(`${w}\u0000${p.id}`);
      }
      list.sort();
      this.words = list;
      this.wordsDirty = false;
    }
    return this.words;
  }

  /** Ids of products with a name word starting with `prefix`. */
  private idsWithPrefix(prefix: string): Set<string> {
    const words = this.sortedWords();
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((words[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    const ids = new Set<string>();
    for (let i = lo; i < words.length; i++) {
      const w = words[i] as string;
      if (!w.startsWith(prefix)) break;
      ids.add(w.slice(w.indexOf('\u0000') + 1));
    }
    return ids;
  }

  /**
   * Search by name words, item number or barcode. With `onlyAssortment`, only products this
   * store carries today; an exact code match is always shown first.
   */
  search(query: string, limit = 20, onlyAssortment = true): ProductHit[] {
    const q = query.trim();
    if (!q) return [];
    const results: ProductHit[] = [];
    const exact = this.findByCode(q);
    if (exact && (!onlyAssortment || exact.inAssortment)) results.push(exact);
    const words = tokens(q);
    if (words.length === 0) return results;
    // Start from the rarest word's candidates, then require every other word.
    const sets = words.map((w) => this.idsWithPrefix(w)).sort((a, b) => a.size - b.size);
    const [first, ...rest] = sets;
    if (!first) return results;
    const carried = this.carriedToday();
    const matches: Product[] = [];
    for (const id of first) {
      if (onlyAssortment && !carried.has(id)) continue;
      if (exact && exact.id === id) continue;
      if (rest.every((s) => s.has(id))) {
        const p = this.products.get(id);
        if (p) matches.push(p);
      }
    }
    matches.sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.id.localeCompare(b.id));
    for (const p of matches) {
      if (results.length >= limit) break;
      results.push(this.hit(p));
    }
    return results;
  }

  /** Products of a category (and its subcategories), sorted by name, built once per change. */
  private inCategory(path: string, onlyAssortment: boolean): Product[] {
    const carried = this.carriedToday();
    if (this.browseDay !== this.carriedDay) {
      this.browseCache.clear();
      this.browseDay = this.carriedDay;
    }
    const key = `${onlyAssortment ? 'store' : 'catalog'}|${path}`;
    let list = this.browseCache.get(key);
    if (!list) {
      list = [];
      for (const p of this.products.values()) {
        if (onlyAssortment && !carried.has(p.id)) continue;
        if (path === '' || p.category === path || p.category.startsWith(`${path}/`)) list.push(p);
      }
      list.sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.id.localeCompare(b.id));
      this.browseCache.set(key, list);
    }
    return list;
  }

  /** The category tree ("Keuken/Textiel" is Textiel under Keuken) with product counts. */
  categories(onlyAssortment: boolean): CategoryNode[] {
    type Building = { name: string; path: string; count: number; children: Map<string, Building> };
    const roots = new Map<string, Building>();
    for (const p of this.inCategory('', onlyAssortment)) {
      let level = roots;
      let path = '';
      for (const part of p.category.split('/').filter(Boolean)) {
        path = path ? `${path}/${part}` : part;
        let node = level.get(part);
        if (!node) level.set(part, (node = { name: part, path, count: 0, children: new Map() }));
        node.count++;
        level = node.children;
      }
    }
    const finish = (m: Map<string, Building>): CategoryNode[] =>
      [...m.values()]
        .sort((a, b) => a.name.localeCompare(b.name, 'nl'))
        .map((n) => ({ name: n.name, path: n.path, count: n.count, children: finish(n.children) }));
    return finish(roots);
  }

  /** One page of a category's products. */
  browse(path: string, offset: number, limit: number, onlyAssortment: boolean): { total: number; hits: ProductHit[] } {
    const list = this.inCategory(path, onlyAssortment);
    return { total: list.length, hits: list.slice(offset, offset + limit).map((p) => this.hit(p)) };
  }
}

export interface CategoryNode {
  name: string;
  /** Full path, e.g. "Keuken/Textiel". */
  path: string;
  /** Products in it and below it. */
  count: number;
  children: CategoryNode[];
}

