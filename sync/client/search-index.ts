import { type AssortmentLine, assortmentOn, localDay } from '../../src/assortment.ts';
import type { ProductDoc, StockDoc } from '../protocol/docs.ts';
import type { ProductHit, SearchScope } from './api.ts';

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
  /** The store groups this store belongs to (from its store document). */
  private groups: readonly string[] = [];
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

  /** This store's groups changed (its store document): their lines count for it from now on. */
  setGroups(groups: readonly string[]): void {
    if (groups.join('\u0000') === this.groups.join('\u0000')) return;
    this.groups = [...groups];
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
    this.dropBrowse('elsewhere');
    let byLocation = this.stockAll.get(s.productId);
    if (!byLocation) {
      byLocation = new Map();
      this.stockAll.set(s.productId, byLocation);
    }
    byLocation.set(s.locationId, s);
  }

  /** Forgets the browse lists of one scope (stock moves only change what is available elsewhere). */
  private dropBrowse(scope: SearchScope): void {
    for (const key of this.browseCache.keys()) if (key.startsWith(`${scope}|`)) this.browseCache.delete(key);
  }

  removeStock(s: Pick<Stock, 'locationId' | 'productId'>): void {
    this.dropBrowse('elsewhere');
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
      this.carried = assortmentOn(this.assortmentLines.values(), { id: this.storeId, groups: this.groups }, day);
      this.carriedDay = day;
      this.carriedDirty = false;
    }
    return this.carried;
  }

  private hit(p: Product): ProductHit {
    const elsewhere = this.elsewhere(p.id);
    return {
      ...p,
      inAssortment: this.carriedToday().has(p.id),
      onHandHere: this.onHandHere(p.id),
      availableElsewhere: elsewhere.available,
      locationsElsewhere: elsewhere.locations,
    };
  }

  /** Available at other locations: the sum of on hand less reserved where that is above 0, and where. */
  private elsewhere(productId: string): { available: number; locations: number } {
    let available = 0;
    let locations = 0;
    for (const s of this.stockAll.get(productId)?.values() ?? []) {
      const free = s.onHand - s.reserved;
      if (s.locationId === this.storeId || free <= 0) continue;
      available += free;
      locations++;
    }
    return { available, locations };
  }

  /** Whether a product belongs to a search scope. */
  private inScope(productId: string, scope: SearchScope): boolean {
    if (scope === 'store') return this.carriedToday().has(productId);
    if (scope === 'elsewhere') return this.elsewhere(productId).locations > 0;
    return true;
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
   * Search by name words, item number or barcode, within a scope (see SearchScope); an exact
   * code match in the scope is always shown first.
   */
  search(query: string, limit = 20, scope: SearchScope = 'store'): ProductHit[] {
    const q = query.trim();
    if (!q) return [];
    const results: ProductHit[] = [];
    const exact = this.findByCode(q);
    if (exact && this.inScope(exact.id, scope)) results.push(exact);
    const words = tokens(q);
    if (words.length === 0) return results;
    // Start from the rarest word's candidates, then require every other word.
    const sets = words.map((w) => this.idsWithPrefix(w)).sort((a, b) => a.size - b.size);
    const [first, ...rest] = sets;
    if (!first) return results;
    const matches: Product[] = [];
    for (const id of first) {
      if (!this.inScope(id, scope)) continue;
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
  private inCategory(path: string, scope: SearchScope): Product[] {
    this.carriedToday();
    if (this.browseDay !== this.carriedDay) {
      this.browseCache.clear();
      this.browseDay = this.carriedDay;
    }
    const key = `${scope}|${path}`;
    let list = this.browseCache.get(key);
    if (!list) {
      list = [];
      for (const p of this.products.values()) {
        if (!this.inScope(p.id, scope)) continue;
        if (path === '' || p.category === path || p.category.startsWith(`${path}/`)) list.push(p);
      }
      list.sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.id.localeCompare(b.id));
      this.browseCache.set(key, list);
    }
    return list;
  }

  /** The category tree ("Keuken/Textiel" is Textiel under Keuken) with product counts. */
  categories(scope: SearchScope): CategoryNode[] {
    type Building = { name: string; path: string; count: number; children: Map<string, Building> };
    const roots = new Map<string, Building>();
    for (const p of this.inCategory('', scope)) {
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
  browse(path: string, offset: number, limit: number, scope: SearchScope): { total: number; hits: ProductHit[] } {
    const list = this.inCategory(path, scope);
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

