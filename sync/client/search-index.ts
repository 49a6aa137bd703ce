import { type AssortmentLine, assortmentOn, localDay } from '../../src/assortment.ts';
import type { ProductDoc, StockDoc } from '../protocol/docs.ts';
import type { ProductHit, SearchScope } from './api.ts';
import type { CatalogBase } from './catalog-image.ts';
import { hasWordPrefix, normalize, tokens } from './words.ts';

type Product = Omit<ProductDoc, '_deleted'>;
type Stock = Omit<StockDoc, '_deleted'>;

export { normalize, tokens } from './words.ts';

/**
 * A product in the index. `key` is its normalized name, a NUL, and its id: name order without a
 * collator per comparison, and the text a typed word is matched against (two fields per
 * product, so a million products stay affordable).
 */
interface Entry {
  p: Product;
  key: string;
}

const byKey = (a: Entry, b: Entry): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Up to this many candidates, a search goes through the rarest typed word's products and keeps
 * the first page by name; above it (a short prefix such as "s", which matches a good part of
 * the catalog, so matches come early) it walks the scope in name order and stops at a full page.
 */
export const COLLECT_LIMIT = 100_000;

/**
 * A product as the index holds it: a number is a product of the base image (its index there),
 * an Entry one added or changed since (the overlay).
 */
type Ref = number | Entry;

/**
 * The register's in-memory search index over its replica: exact lookups by barcode and item
 * number, and name search where every word typed is the prefix of a word of the name, in any
 * order, first page in name order. Assortment is evaluated on the register's local day, so the
 * answer changes at midnight without a sync.
 *
 * Two layers. The base is a catalog image (catalog-image.ts): typed arrays loaded in one read at
 * start, never changed. The overlay holds every product and stock figure written since the
 * image was taken, kept current from the replica's change streams: each word keeps the list of
 * products whose name has it; the sorted word list and the name order are rebuilt lazily after
 * a change. A base product changed or removed since is marked dead in the base and, if it still
 * exists, lives in the overlay. Without an image, everything is overlay.
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
  /**
   * Figures written since the image: productId → locationId → stock, or null where a figure of
   * the image was removed. Without an image, every figure.
   */
  private readonly stockAll = new Map<string, Map<string, Stock | null>>();
  private carriedDay = '';
  /** The store groups this store belongs to (from its store document). */
  private groups: readonly string[] = [];
  private carried = new Set<string>();
  private carriedDirty = true;
  /** Browse lists by "scope|category", in name order; dropped on any change. */
  private browseCache = new Map<string, Ref[]>();
  private treeCache = new Map<SearchScope, CategoryNode[]>();
  private browseDay = '';

  // ---- the base image ------------------------------------------------------------------
  private base: CatalogBase | null = null;
  /** Base products changed or removed since the image (1 = look in the overlay instead). */
  private dead = new Uint8Array(0);
  private deadCount = 0;
  /** Base products this store carries today (flags), and those in name order, built lazily. */
  private baseCarried = new Uint8Array(0);
  private baseCarriedOrder: Uint32Array | null = null;
  /** Per base product, what other locations have available, from the image's figures. */
  private baseElsewhere: { available: Float64Array; locations: Uint32Array } | null = null;

  constructor(
    private readonly storeId: string,
    private readonly now: () => Date = () => new Date(),
    /** This register, whose own sales lower this store's figure at once (see addOwnSale). */
    private readonly registerId: string | null = null,
    /** See COLLECT_LIMIT (tests lower it to exercise both ways on a small catalog). */
    private readonly collectLimit = COLLECT_LIMIT,
  ) {}

  /**
   * Starts from a catalog image: its products and figures become the base, and whatever the
   * index held before is dropped (call it first, then apply the replica's changes since the
   * image's checkpoints).
   */
  useImage(base: CatalogBase): void {
    this.entries.clear();
    this.byBarcode.clear();
    this.byItemNumber.clear();
    this.postings.clear();
    this.sortedWords = [];
    this.nameOrder = [];
    this.stockAll.clear();
    this.base = base;
    this.dead = new Uint8Array(base.n);
    this.deadCount = 0;
    this.baseCarried = new Uint8Array(base.n);
    this.baseElsewhere = base.availableElsewhere(this.storeId);
    this.carriedDirty = true;
    this.dropBrowse();
  }

  /** Products in the index: the image's still current ones and those written since. */
  get size(): number {
    return (this.base ? this.base.n - this.deadCount : 0) + this.entries.size;
  }

  /** Products and figures held outside the image (written since it was taken, or all without one). */
  get overlaySize(): { products: number; stockProducts: number } {
    return { products: this.entries.size + this.deadCount, stockProducts: this.stockAll.size };
  }

  /** Marks a base product as superseded by the overlay (or removed). */
  private retireBase(id: string): void {
    if (!this.base) return;
    const i = this.base.indexOf(id);
    if (i < 0 || this.dead[i]) return;
    this.dead[i] = 1;
    this.deadCount++;
  }

  upsertProduct(p: Product): void {
    this.retireBase(p.id);
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

  /**
   * A product as the replica has it now, from any source (a change event, a first-sync page, the
   * changes since the catalog image): removed when deleted, else added or updated. Returns
   * whether it is live.
   */
  applyProduct(p: Product, deleted: boolean): boolean {
    if (deleted) this.removeProduct(p.id);
    else this.upsertProduct(p);
    return !deleted;
  }

  removeProduct(id: string): void {
    this.retireBase(id);
    const old = this.entries.get(id);
    if (old) {
      this.unlink(old);
      this.nameOrderDirty = true;
    }
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
    this.stockOverlay(s.productId).set(s.locationId, s);
  }

  private stockOverlay(productId: string): Map<string, Stock | null> {
    let byLocation = this.stockAll.get(productId);
    if (!byLocation) {
      byLocation = new Map();
      // The image's figures of this product, so that the overlay alone answers for it from now on.
      const g = this.base ? this.base.stockGroup(productId) : -1;
      if (this.base && g >= 0) for (const s of this.base.stockRows(g)) byLocation.set(s.locationId, s);
      this.stockAll.set(productId, byLocation);
    }
    return byLocation;
  }

  /** Forgets the browse lists of one scope (stock moves only change what is available elsewhere). */
  private dropBrowseOf(scope: SearchScope): void {
    for (const key of this.browseCache.keys()) if (key.startsWith(`${scope}|`)) this.browseCache.delete(key);
    this.treeCache.delete(scope);
  }

  /** A stock figure as the replica has it now (see applyProduct). */
  applyStock(s: Stock, deleted: boolean): void {
    if (deleted) this.removeStock(s);
    else this.upsertStock(s);
  }

  removeStock(s: Pick<Stock, 'locationId' | 'productId'>): void {
    this.dropBrowseOf('elsewhere');
    this.stockOverlay(s.productId).delete(s.locationId);
  }

  /** A product's figures: the overlay's once it has any for the product, else the image's. */
  private figures(productId: string): Iterable<Stock> {
    const overlay = this.stockAll.get(productId);
    if (overlay) return [...overlay.values()].filter((s): s is Stock => s !== null);
    const g = this.base ? this.base.stockGroup(productId) : -1;
    return this.base && g >= 0 ? this.base.stockRows(g) : [];
  }

  private figureHere(productId: string): Stock | undefined {
    for (const s of this.figures(productId)) if (s.locationId === this.storeId) return s;
    return undefined;
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
    return this.figureHere(productId)?.booked[this.registerId] ?? 0;
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
    const figure = this.figureHere(productId);
    const pending = this.soldNotBooked(productId);
    if (!figure && pending === 0) return null;
    return (figure?.onHand ?? 0) - pending;
  }

  /** A product's figures at every location HQ sent one for. */
  stockOf(productId: string): Stock[] {
    return [...this.figures(productId)];
  }

  /** Products this store carries today. */
  private carriedToday(): Set<string> {
    const day = localDay(this.now());
    if (this.carriedDirty || day !== this.carriedDay) {
      this.carried = assortmentOn(this.assortmentLines.values(), { id: this.storeId, groups: this.groups }, day);
      this.carriedOrder = null;
      this.carriedDay = day;
      this.carriedDirty = false;
      if (this.base) {
        this.baseCarried.fill(0);
        for (const id of this.carried) {
          const i = this.base.indexOf(id);
          if (i >= 0) this.baseCarried[i] = 1;
        }
        this.baseCarriedOrder = null;
      }
    }
    return this.carried;
  }

  private isCarried(r: Ref): boolean {
    const carried = this.carriedToday();
    return typeof r === 'number' ? this.baseCarried[r] === 1 : carried.has(r.p.id);
  }

  private productOf(r: Ref): Product {
    return typeof r === 'number' ? (this.base as CatalogBase).product(r) : r.p;
  }

  private keyOf(r: Ref): string {
    return typeof r === 'number' ? (this.base as CatalogBase).key(r) : r.key;
  }

  private categoryOf(r: Ref): string {
    return typeof r === 'number' ? (this.base as CatalogBase).category(r) : r.p.category;
  }

  private hit(r: Ref): ProductHit {
    const p = this.productOf(r);
    const elsewhere = this.elsewhere(r);
    return {
      ...p,
      inAssortment: this.isCarried(r),
      onHandHere: this.onHandHere(p.id),
      availableElsewhere: elsewhere.available,
      locationsElsewhere: elsewhere.locations,
    };
  }

  /** Available at other locations: the sum of on hand less reserved where that is above 0, and where. */
  private elsewhere(r: Ref): { available: number; locations: number } {
    if (typeof r === 'number' && this.baseElsewhere && (this.stockAll.size === 0 || !this.stockAll.has((this.base as CatalogBase).id(r)))) {
      return { available: this.baseElsewhere.available[r] as number, locations: this.baseElsewhere.locations[r] as number };
    }
    const productId = typeof r === 'number' ? (this.base as CatalogBase).id(r) : r.p.id;
    let available = 0;
    let locations = 0;
    for (const s of this.figures(productId)) {
      const free = s.onHand - s.reserved;
      if (s.locationId === this.storeId || free <= 0) continue;
      available += free;
      locations++;
    }
    return { available, locations };
  }

  /** Whether a product belongs to a search scope. */
  private inScope(r: Ref, scope: SearchScope): boolean {
    if (scope === 'store') return this.isCarried(r);
    if (scope === 'elsewhere') return this.elsewhere(r).locations > 0;
    return true;
  }

  /** Exact barcode or item number: the scanner's lookup. Finds any released product. */
  findByCode(code: string): ProductHit | null {
    const r = this.refByCode(code);
    return r === undefined ? null : this.hit(r);
  }

  /** A live base product of `candidates`, if any. */
  private liveOf(candidates: number[]): number | undefined {
    return candidates.find((i) => this.dead[i] === 0);
  }

  private refByCode(code: string): Ref | undefined {
    const c = code.trim();
    const base = this.base;
    return (
      this.byBarcode.get(c) ??
      (base ? this.liveOf(base.withBarcode(c)) : undefined) ??
      this.byItemNumber.get(c) ??
      (base ? this.liveOf(base.withItemNumber(c)) : undefined)
    );
  }

  /** Builds what the first search would build (word list, name order), so no cashier waits for it. */
  warm(): void {
    this.words();
    this.carriedByName();
    this.baseCarriedByName();
  }

  private words(): string[] {
    if (this.wordsDirty) {
      this.sortedWords = [...this.postings.keys()].sort();
      this.wordsDirty = false;
    }
    return this.sortedWords;
  }

  /** Every overlay product in name order. */
  private byName(): Entry[] {
    if (this.nameOrderDirty) {
      this.nameOrder = [...this.entries.values()].sort(byKey);
      this.nameOrderDirty = false;
      this.carriedOrder = null;
    }
    return this.nameOrder;
  }

  /** This store's carried overlay products today, in name order. */
  private carriedByName(): Entry[] {
    const carried = this.carriedToday();
    const all = this.byName();
    if (!this.carriedOrder) this.carriedOrder = all.filter((e) => carried.has(e.p.id));
    return this.carriedOrder;
  }

  /** This store's carried base products today, in name order (dead ones included: callers skip them). */
  private baseCarriedByName(): Uint32Array {
    const base = this.base;
    if (!base) return new Uint32Array(0);
    this.carriedToday();
    if (!this.baseCarriedOrder) {
      const list: number[] = [];
      for (let i = 0; i < base.n; i++) if (this.baseCarried[i] === 1) list.push(i);
      list.sort((a, b) => (base.rank[a] as number) - (base.rank[b] as number));
      this.baseCarriedOrder = Uint32Array.from(list);
    }
    return this.baseCarriedOrder;
  }

  /** The range of sorted overlay words starting with `prefix`, and how many products they hold together. */
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

  /** Two lists in name order, merged: the first `limit`. */
  private mergeByKey(a: Ref[], b: Ref[], limit: number): Ref[] {
    if (b.length === 0) return a.slice(0, limit);
    if (a.length === 0) return b.slice(0, limit);
    const out: Ref[] = [];
    let i = 0;
    let j = 0;
    let ka = i < a.length ? this.keyOf(a[i] as Ref) : '';
    let kb = j < b.length ? this.keyOf(b[j] as Ref) : '';
    while (out.length < limit && (i < a.length || j < b.length)) {
      if (j >= b.length || (i < a.length && ka <= kb)) {
        out.push(a[i++] as Ref);
        if (i < a.length) ka = this.keyOf(a[i] as Ref);
      } else {
        out.push(b[j++] as Ref);
        if (j < b.length) kb = this.keyOf(b[j] as Ref);
      }
    }
    return out;
  }

  /**
   * Search by name words, item number or barcode, within a scope (see SearchScope); an exact
   * code match in the scope is always shown first, then the first `limit` matches by name.
   */
  search(query: string, limit = 20, scope: SearchScope = 'store'): ProductHit[] {
    const q = query.trim();
    if (!q) return [];
    const results: ProductHit[] = [];
    const exact = this.refByCode(q);
    if (exact !== undefined && this.inScope(exact, scope)) results.push(this.hit(exact));
    const typed = tokens(q);
    if (typed.length === 0) return results;
    const matchesAll = (key: string): boolean => typed.every((w) => hasWordPrefix(key, w));
    // The typed word with the fewest products (image and overlay together) drives the search.
    const base = this.base;
    const ranges = typed.map((w) => ({ overlay: this.prefixRange(w), base: base ? base.prefixRange(w) : null }));
    const total = (r: (typeof ranges)[number]): number => r.overlay.count + (r.base?.count ?? 0);
    const driver = ranges.reduce((a, b) => (total(b) < total(a) ? b : a));
    if (total(driver) === 0) return results;
    const want = limit - results.length;
    if (want <= 0) return results;
    const fromOverlay: Entry[] = [];
    const fromBase: number[] = [];
    if (total(driver) <= this.collectLimit) {
      // The first `want` by name, kept sorted; a candidate after the last kept one is dropped
      // before it is even matched. (A product can be under two words of the range: kept once.)
      const words = this.words();
      for (let i = driver.overlay.lo; i < driver.overlay.hi; i++) {
        for (const e of this.postings.get(words[i] as string) ?? []) {
          if (fromOverlay.length === want && e.key >= (fromOverlay[want - 1] as Entry).key) continue;
          if (e === exact || fromOverlay.includes(e) || !this.inScope(e, scope) || !matchesAll(e.key)) continue;
          let at = fromOverlay.length;
          while (at > 0 && (fromOverlay[at - 1] as Entry).key > e.key) at--;
          fromOverlay.splice(at, 0, e);
          if (fromOverlay.length > want) fromOverlay.pop();
        }
      }
      if (base && driver.base) {
        const rank = base.rank;
        for (let w = driver.base.lo; w < driver.base.hi; w++) {
          // A word's products come in name order: once past the last kept one, the rest are too.
          for (const i of base.posting(w)) {
            if (fromBase.length === want && (rank[i] as number) >= (rank[fromBase[want - 1] as number] as number)) break;
            if (this.dead[i] === 1 || i === exact || fromBase.includes(i) || !this.inScope(i, scope) || !matchesAll(normalize(base.name(i)))) continue;
            let at = fromBase.length;
            while (at > 0 && (rank[fromBase[at - 1] as number] as number) > (rank[i] as number)) at--;
            fromBase.splice(at, 0, i);
            if (fromBase.length > want) fromBase.pop();
          }
        }
      }
    } else {
      // Many candidates: walk the scope in name order; matches come early.
      for (const e of scope === 'store' ? this.carriedByName() : this.byName()) {
        if (fromOverlay.length >= want) break;
        if (e !== exact && (scope !== 'elsewhere' || this.inScope(e, scope)) && matchesAll(e.key)) fromOverlay.push(e);
      }
      if (base) {
        for (const i of scope === 'store' ? this.baseCarriedByName() : base.byName) {
          if (fromBase.length >= want) break;
          if (this.dead[i] === 0 && i !== exact && (scope !== 'elsewhere' || this.inScope(i, scope)) && matchesAll(normalize(base.name(i)))) fromBase.push(i);
        }
      }
    }
    for (const r of this.mergeByKey(fromBase, fromOverlay, want)) results.push(this.hit(r));
    return results;
  }

  /** Products of a category (and its subcategories) in the scope, in name order, built once per change. */
  private inCategory(path: string, scope: SearchScope): Ref[] {
    this.carriedToday();
    if (this.browseDay !== this.carriedDay) {
      this.dropBrowse();
      this.browseDay = this.carriedDay;
    }
    const key = `${scope}|${path}`;
    let list = this.browseCache.get(key);
    if (!list) {
      const inPath = (category: string): boolean => path === '' || category === path || category.startsWith(`${path}/`);
      const overlay: Ref[] = (scope === 'store' ? this.carriedByName() : this.byName()).filter(
        (e) => inPath(e.p.category) && (scope !== 'elsewhere' || this.inScope(e, scope)),
      );
      const base = this.base;
      if (!base) list = overlay;
      else {
        const categoryIn = base.categories.map(inPath);
        const fromBase: number[] = [];
        for (const i of scope === 'store' ? this.baseCarriedByName() : base.byName) {
          if (this.dead[i] === 0 && categoryIn[base.categoryIndex(i)] && (scope !== 'elsewhere' || this.inScope(i, scope))) fromBase.push(i);
        }
        list = this.mergeAll(fromBase, overlay);
      }
      this.browseCache.set(key, list);
    }
    return list;
  }

  /** A long base list and a (usually short) overlay list, both in name order, merged whole. */
  private mergeAll(fromBase: number[], overlay: Ref[]): Ref[] {
    if (overlay.length === 0) return fromBase;
    const out: Ref[] = [];
    let from = 0;
    for (const e of overlay) {
      // Where e goes among the base list: binary search by key.
      const k = this.keyOf(e);
      let lo = from;
      let hi = fromBase.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.keyOf(fromBase[mid] as number) < k) lo = mid + 1;
        else hi = mid;
      }
      for (let i = from; i < lo; i++) out.push(fromBase[i] as number);
      out.push(e);
      from = lo;
    }
    for (let i = from; i < fromBase.length; i++) out.push(fromBase[i] as number);
    return out;
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
    for (const r of this.inCategory('', scope)) {
      const category = this.categoryOf(r);
      perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
    }
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
    return { total: list.length, hits: list.slice(offset, offset + limit).map((r) => this.hit(r)) };
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
