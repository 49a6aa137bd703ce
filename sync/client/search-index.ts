import { type AssortmentLine, assortmentOn, localDay } from '../../src/assortment.ts';
import type { ProductDoc, StockDoc } from '../protocol/docs.ts';
import type { ProductHit, SearchScope } from './api.ts';

type Product = Omit<ProductDoc, '_deleted'>;
type Stock = Omit<StockDoc, '_deleted'>;

// Printable ASCII and the usual whitespace; anything else goes through decomposition.
const ASCII = /^[\t\n\r\x20-\x7e]*$/;

/** Lowercase and without accents: "Crème Brûlée" → "creme brulee". */
export function normalize(text: string): string {
  // Most names are plain ASCII: nothing to decompose (a million names at every start).
  if (ASCII.test(text)) return text.toLowerCase();
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
 * A product in the index. `key` is its normalized name, a NUL, and its id: name order without a
 * collator per comparison, and the text a typed word is matched against (two fields per
 * product, so a million products stay affordable).
 */
interface Entry {
  p: Product;
  key: string;
}

const isWordChar = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 48 && code <= 57);

/** Whether a word of the entry's name starts with `w` (a normalized typed word). */
function hasWordPrefix(e: Entry, w: string): boolean {
  const end = e.key.indexOf('\u0000');
  for (let at = e.key.indexOf(w); at !== -1 && at + w.length <= end; at = e.key.indexOf(w, at + 1)) {
    if (at === 0 || !isWordChar(e.key.charCodeAt(at - 1))) return true;
  }
  return false;
}

const byKey = (a: Entry, b: Entry): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Up to this many candidates, a search goes through the rarest typed word's products and keeps
 * the first page by name; above it (a short prefix such as "s", which matches a good part of
 * the catalog, so matches come early) it walks the scope in name order and stops at a full page.
 */
export const COLLECT_LIMIT = 100_000;

/**
 * The register's in-memory search index over its replica: exact lookups by barcode and item
 * number, and name search where every word typed is the prefix of a word of the name, in any
 * order, first page in name order. Kept current from the replica's change streams: each word
 * keeps the set of products whose name has it; the sorted word list and the name order are
 * rebuilt lazily after a change. Assortment is evaluated on the register's local day, so the
 * answer changes at midnight without a sync.
 */
export class ProductIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly byBarcode = new Map<string, Entry>();
  private readonly byItemNumber = new Map<string, Entry>();
  /** Word → the products whose name has it (arrays: a fraction of a Set's memory). */
  private readonly postings = new Map<string, Entry[]>();
  /** The distinct words, sorted; rebuilt when a word appears or disappears. */
  private sortedWords: string[] = [];
  private wordsDirty = false;
  /** Every product in name order, and this store's carried ones; rebuilt after a change. */
  private nameOrder: Entry[] = [];
  private nameOrderDirty = false;
  private carriedOrder: Entry[] | null = null;
  private readonly assortmentLines = new Map<string, AssortmentLine & { id: string }>();
  /**
   * This register's own sales HQ may not have booked yet: productId → sale seq → quantity.
   * They are subtracted from this store's figure until the figure's booked mark passes them.
   */
  private readonly ownSold = new Map<string, Map<number, number>>();
  /** Every location's figure per product: productId → locationId → stock. */
  private readonly stockAll = new Map<string, Map<string, Stock>>();
  private carriedDay = '';
  /** The store groups this store belongs to (from its store document). */
  private groups: readonly string[] = [];
  private carried = new Set<string>();
  private carriedDirty = true;
  /** Browse lists by "scope|category", in name order; dropped on any change. */
  private browseCache = new Map<string, Entry[]>();
  private treeCache = new Map<SearchScope, CategoryNode[]>();
  private browseDay = '';

  constructor(
    private readonly storeId: string,
    private readonly now: () => Date = () => new Date(),
    /** This register, whose own sales lower this store's figure at once (see addOwnSale). */
    private readonly registerId: string | null = null,
    /** See COLLECT_LIMIT (tests lower it to exercise both ways on a small catalog). */
    private readonly collectLimit = COLLECT_LIMIT,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  upsertProduct(p: Product): void {
    const old = this.entries.get(p.id);
    if (old && old.p.name === p.name) {
      // Same name (a price or code change): same words and place in name order.
      this.unlinkCodes(old);
      old.p = p;
      this.linkCodes(old);
    } else {
      if (old) this.unlink(old);
      const entry: Entry = { p, key: `${normalize(p.name)}\u0000${p.id}` };
      this.entries.set(p.id, entry);
      this.linkCodes(entry);
      for (const w of new Set(tokens(p.name))) {
        const list = this.postings.get(w);
        if (list) list.push(entry);
        else {
          this.postings.set(w, [entry]);
          this.wordsDirty = true;
        }
      }
      this.nameOrderDirty = true;
    }
    this.dropBrowse();
  }

  removeProduct(id: string): void {
    const old = this.entries.get(id);
    if (!old) return;
    this.unlink(old);
    this.nameOrderDirty = true;
    this.dropBrowse();
  }

  private linkCodes(e: Entry): void {
    if (e.p.barcode) this.byBarcode.set(e.p.barcode, e);
    this.byItemNumber.set(e.p.itemNumber, e);
  }

  private unlinkCodes(e: Entry): void {
    if (e.p.barcode && this.byBarcode.get(e.p.barcode) === e) this.byBarcode.delete(e.p.barcode);
    if (this.byItemNumber.get(e.p.itemNumber) === e) this.byItemNumber.delete(e.p.itemNumber);
  }

  private unlink(e: Entry): void {
    this.unlinkCodes(e);
    this.entries.delete(e.p.id);
    for (const w of new Set(tokens(e.p.name))) {
      const list = this.postings.get(w);
      const at = list ? list.indexOf(e) : -1;
      if (!list || at === -1) continue;
      list.splice(at, 1);
      if (list.length === 0) {
        this.postings.delete(w);
        this.wordsDirty = true;
      }
    }
  }

  private dropBrowse(): void {
    this.browseCache.clear();
    this.treeCache.clear();
  }

  upsertAssortment(line: AssortmentLine & { id: string }): void {
    this.assortmentLines.set(line.id, line);
    this.carriedDirty = true;
    this.dropBrowse();
  }

  /** This store's groups changed (its store document): their lines count for it from now on. */
  setGroups(groups: readonly string[]): void {
    if (groups.join('\u0000') === this.groups.join('\u0000')) return;
    this.groups = [...groups];
    this.carriedDirty = true;
    this.dropBrowse();
  }

  removeAssortment(id: string): void {
    this.assortmentLines.delete(id);
    this.carriedDirty = true;
    this.dropBrowse();
  }

  upsertStock(s: Stock): void {
    if (s.locationId === this.storeId) this.forgetBooked(s);
    this.dropBrowseOf('elsewhere');
    let byLocation = this.stockAll.get(s.productId);
    if (!byLocation) {
      byLocation = new Map();
      this.stockAll.set(s.productId, byLocation);
    }
    byLocation.set(s.locationId, s);
  }

  /** Forgets the browse lists of one scope (stock moves only change what is available elsewhere). */
  private dropBrowseOf(scope: SearchScope): void {
    for (const key of this.browseCache.keys()) if (key.startsWith(`${scope}|`)) this.browseCache.delete(key);
    this.treeCache.delete(scope);
  }

  removeStock(s: Pick<Stock, 'locationId' | 'productId'>): void {
    this.dropBrowseOf('elsewhere');
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
      this.carriedOrder = null;
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
    const e = this.entryByCode(code);
    return e ? this.hit(e.p) : null;
  }

  private entryByCode(code: string): Entry | undefined {
    const c = code.trim();
    return this.byBarcode.get(c) ?? this.byItemNumber.get(c);
  }

  /** Builds what the first search would build (word list, name order), so no cashier waits for it. */
  warm(): void {
    this.words();
    this.carriedByName();
  }

  private words(): string[] {
    if (this.wordsDirty) {
      this.sortedWords = [...this.postings.keys()].sort();
      this.wordsDirty = false;
    }
    return this.sortedWords;
  }

  /** Every product in name order. */
  private byName(): Entry[] {
    if (this.nameOrderDirty) {
      this.nameOrder = [...this.entries.values()].sort(byKey);
      this.nameOrderDirty = false;
      this.carriedOrder = null;
    }
    return this.nameOrder;
  }

  /** This store's carried products today, in name order. */
  private carriedByName(): Entry[] {
    const carried = this.carriedToday();
    const all = this.byName();
    if (!this.carriedOrder) this.carriedOrder = all.filter((e) => carried.has(e.p.id));
    return this.carriedOrder;
  }

  /** The range of sorted words starting with `prefix`, and how many products they hold together. */
  private prefixRange(prefix: string): { lo: number; hi: number; count: number } {
    const words = this.words();
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((words[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    let count = 0;
    while (end < words.length && (words[end] as string).startsWith(prefix)) count += this.postings.get(words[end++] as string)?.length ?? 0;
    return { lo, hi: end, count };
  }

  /**
   * Search by name words, item number or barcode, within a scope (see SearchScope); an exact
   * code match in the scope is always shown first, then the first `limit` matches by name.
   */
  search(query: string, limit = 20, scope: SearchScope = 'store'): ProductHit[] {
    const q = query.trim();
    if (!q) return [];
    const results: ProductHit[] = [];
    const exact = this.entryByCode(q);
    if (exact && this.inScope(exact.p.id, scope)) results.push(this.hit(exact.p));
    const typed = tokens(q);
    if (typed.length === 0) return results;
    const matchesAll = (e: Entry): boolean => typed.every((w) => hasWordPrefix(e, w));
    // The typed word with the fewest products drives the search.
    const ranges = typed.map((w) => this.prefixRange(w));
    const driver = ranges.reduce((a, b) => (b.count < a.count ? b : a));
    if (driver.count === 0) return results;
    const want = limit - results.length;
    if (want <= 0) return results;
    if (driver.count <= this.collectLimit) {
      // The first `want` by name, kept sorted; a candidate after the last kept one is dropped
      // before it is even matched. (A product can be under two words of the range: kept once.)
      const best: Entry[] = [];
      const words = this.words();
      for (let i = driver.lo; i < driver.hi; i++) {
        for (const e of this.postings.get(words[i] as string) ?? []) {
          if (best.length === want && e.key >= (best[want - 1] as Entry).key) continue;
          if (e === exact || best.includes(e) || !this.inScope(e.p.id, scope) || !matchesAll(e)) continue;
          let at = best.length;
          while (at > 0 && (best[at - 1] as Entry).key > e.key) at--;
          best.splice(at, 0, e);
          if (best.length > want) best.pop();
        }
      }
      for (const e of best) results.push(this.hit(e.p));
    } else {
      // Many candidates: walk the scope in name order; matches come early.
      for (const e of scope === 'store' ? this.carriedByName() : this.byName()) {
        if (results.length >= limit) break;
        if (e !== exact && (scope !== 'elsewhere' || this.inScope(e.p.id, scope)) && matchesAll(e)) results.push(this.hit(e.p));
      }
    }
    return results;
  }

  /** Products of a category (and its subcategories) in the scope, in name order, built once per change. */
  private inCategory(path: string, scope: SearchScope): Entry[] {
    this.carriedToday();
    if (this.browseDay !== this.carriedDay) {
      this.dropBrowse();
      this.browseDay = this.carriedDay;
    }
    const key = `${scope}|${path}`;
    let list = this.browseCache.get(key);
    if (!list) {
      const base = scope === 'store' ? this.carriedByName() : this.byName();
      list = base.filter(
        (e) =>
          (path === '' || e.p.category === path || e.p.category.startsWith(`${path}/`)) &&
          (scope !== 'elsewhere' || this.inScope(e.p.id, scope)),
      );
      this.browseCache.set(key, list);
    }
    return list;
  }

  /** The category tree ("Keuken/Textiel" is Textiel under Keuken) with product counts. */
  categories(scope: SearchScope): CategoryNode[] {
    this.inCategory('', scope); // drops stale trees when the day changed
    const cached = this.treeCache.get(scope);
    if (cached) return cached;
    type Building = { name: string; path: string; count: number; children: Map<string, Building> };
    const roots = new Map<string, Building>();
    // Count per category string first: few distinct categories, many products.
    const perCategory = new Map<string, number>();
    for (const e of this.inCategory('', scope)) perCategory.set(e.p.category, (perCategory.get(e.p.category) ?? 0) + 1);
    for (const [category, n] of perCategory) {
      let level = roots;
      let path = '';
      for (const part of category.split('/').filter(Boolean)) {
        path = path ? `${path}/${part}` : part;
        let node = level.get(part);
        if (!node) level.set(part, (node = { name: part, path, count: 0, children: new Map() }));
        node.count += n;
        level = node.children;
      }
    }
    const collator = new Intl.Collator('nl');
    const finish = (m: Map<string, Building>): CategoryNode[] =>
      [...m.values()]
        .sort((a, b) => collator.compare(a.name, b.name))
        .map((n) => ({ name: n.name, path: n.path, count: n.count, children: finish(n.children) }));
    const tree = finish(roots);
    this.treeCache.set(scope, tree);
    return tree;
  }

  /** One page of a category's products. */
  browse(path: string, offset: number, limit: number, scope: SearchScope): { total: number; hits: ProductHit[] } {
    const list = this.inCategory(path, scope);
    return { total: list.length, hits: list.slice(offset, offset + limit).map((e) => this.hit(e.p)) };
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

