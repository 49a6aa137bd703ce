import { type RxCollection, getChangedDocumentsSince } from 'rxdb';
import type { ProductDoc, StockDoc } from '../protocol/docs.ts';
import type { CatalogImageStatus } from './api.ts';
import { CatalogBase, type Checkpoint } from './catalog-image.ts';
import { type ImageJob, type ImageJobResult, type ReplicaTable, type StoredImage, imageDatabaseName, readImage, runImageJob } from './catalog-image-store.ts';
import { withoutBookkeeping } from './bookkeeping.ts';
import { dexieInternals } from './database.ts';
import type { ProductIndex } from './search-index.ts';

/** Rebuild the image once this many product and stock changes have come after it. */
export const REBUILD_AFTER_CHANGES = 5000;
/** ... and the replica has been quiet this long (a pull writes in bursts). */
export const QUIET_MS = 3000;

type Strip<T> = Omit<T, '_deleted'>;
type Stored<T> = T & { _deleted: boolean; _meta?: unknown; _rev?: unknown; _attachments?: unknown };

const strip = <T,>(d: Stored<T>): Strip<T> => withoutBookkeeping(d) as unknown as Strip<T>;

/** Applies every change of a collection after `checkpoint` (deletions too), in pages; returns how many. */
async function applySince<T>(collection: RxCollection<T>, checkpoint: Checkpoint | null, each: (doc: Stored<T>) => void): Promise<number> {
  let at: Checkpoint | undefined = checkpoint ?? undefined;
  let n = 0;
  for (;;) {
    const page = await getChangedDocumentsSince(collection.storageInstance, 5000, at);
    for (const d of page.documents) each(d as unknown as Stored<T>);
    n += page.documents.length;
    if (page.documents.length < 5000) return n;
    at = page.checkpoint as Checkpoint;
  }
}

/** Runs an image job: in a worker where the page has them and uses the page's own IndexedDB, else right here. */
function defaultRunner(factory: IDBFactory, keyRange: typeof IDBKeyRange): (job: ImageJob) => Promise<ImageJobResult> {
  if (typeof Worker === 'undefined' || typeof indexedDB === 'undefined' || factory !== indexedDB) return (job) => runImageJob(factory, keyRange, job);
  return (job) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./catalog-image-worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (e: MessageEvent<{ ok: true; result: ImageJobResult } | { ok: false; error: string }>) => {
        worker.terminate();
        if (e.data.ok) resolve(e.data.result);
        else reject(new Error(e.data.error));
      };
      worker.onerror = (e) => {
        worker.terminate();
        reject(new Error(e.message || 'the catalog image worker failed to start'));
      };
      worker.postMessage(job);
    });
}

export interface ImageKeeper {
  /**
   * Starts the index from the stored image and applies the replica's changes since it was taken.
   * False when there is no usable image (none yet, of another replica or format, or a storage
   * without one): the caller reads the replica row by row instead.
   */
  load(index: ProductIndex): Promise<boolean>;
  /** A product or stock change reached the index. */
  changed(): void;
  /** The first sync is done: from now on an image may be built. */
  syncDone(): void;
  status(): CatalogImageStatus;
  close(): void;
}

interface Collections {
  products: RxCollection<Strip<ProductDoc>>;
  stock: RxCollection<Strip<StockDoc>>;
}

/**
 * Keeps the catalog image of a register's replica: loads it at start, and (re)builds it off the
 * main thread after the first sync and whenever REBUILD_AFTER_CHANGES changes have come after
 * it, once the replica is quiet. An index that was built row by row (the first sync, or a start
 * without an image) moves onto the image once it is built.
 */
export async function createImageKeeper(
  db: Collections,
  replicaName: string,
  replicaId: string,
  opts: { firstSyncDone: boolean; run?: (job: ImageJob) => Promise<ImageJobResult>; now?: () => Date; quietMs?: number; onChange?: () => void },
): Promise<ImageKeeper> {
  const now = opts.now ?? (() => new Date());
  const products = await dexieInternals(db.products);
  const stock = await dexieInternals(db.stock);
  const deps = (products?.dexieTable.db as unknown as { _deps?: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } } | undefined)?._deps;
  const factory = deps?.indexedDB ?? null;
  const keyRange = deps?.IDBKeyRange ?? null;
  const imageName = imageDatabaseName(replicaName);
  const table = (d: NonNullable<typeof products>): ReplicaTable => ({ database: d.dexieTable.db.name, table: d.dexieTable.name, booleanIndexes: d.booleanIndexes });
  const run = factory && keyRange ? (opts.run ?? defaultRunner(factory, keyRange)) : null;

  const state: CatalogImageStatus = {
    available: Boolean(products && stock && factory && keyRange),
    builtAt: null,
    products: 0,
    stock: 0,
    usedAtStart: false,
    inUse: false,
    changesSince: 0,
    building: false,
    lastBuild: null,
    error: null,
  };
  let syncDone = opts.firstSyncDone;
  /** The index this register searches (given to load()). */
  let running: ProductIndex | null = null;

  /**
   * Puts the index on a stored image: the image becomes its base and the replica's changes since
   * the image's checkpoints are applied. Returns how many changes that was.
   */
  const standOn = async (index: ProductIndex, stored: StoredImage): Promise<number> => {
    index.useImage(new CatalogBase(stored.image));
    state.inUse = true;
    let n = await applySince<Strip<ProductDoc>>(db.products, stored.image.checkpoints.products, (d) => index.applyProduct(strip(d), d._deleted));
    n += await applySince<Strip<StockDoc>>(db.stock, stored.image.checkpoints.stock, (d) => index.applyStock(strip(d), d._deleted));
    return n;
  };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const build = async (): Promise<void> => {
    if (!run || !products || !stock || state.building || closed) return;
    state.building = true;
    const changesBefore = state.changesSince;
    const started = now();
    try {
      const result = await run({ products: table(products), stock: table(stock), imageDatabase: imageName, replicaId });
      state.builtAt = started.toISOString();
      state.products = result.products;
      state.stock = result.stock;
      state.changesSince = Math.max(0, state.changesSince - changesBefore);
      state.lastBuild = { at: started.toISOString(), ...result };
      state.error = null;
      if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark('kassa:catalog-image', { detail: result });
      // An index built row by row (the first sync, or a start without an image) moves onto the
      // image: its object-per-product structures (at a million products most of the page's
      // heap) are let go. Changes written meanwhile are applied again; applying one twice is
      // harmless.
      if (running && !state.inUse && factory && !closed) {
        const stored = await readImage(factory, imageName);
        if (stored && stored.replicaId === replicaId && !closed) await standOn(running, stored);
      }
    } catch (e) {
      state.error = e instanceof Error ? e.message : String(e);
    } finally {
      state.building = false;
      opts.onChange?.();
    }
  };

  const due = (): boolean => syncDone && run !== null && (state.builtAt === null || state.changesSince >= REBUILD_AFTER_CHANGES) && state.error === null;
  const schedule = (): void => {
    if (closed || !due()) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (due()) void build();
    }, opts.quietMs ?? QUIET_MS);
  };

  return {
    async load(index) {
      running = index;
      if (!factory || !products || !stock) return false;
      let stored;
      try {
        stored = await readImage(factory, imageName);
      } catch (e) {
        state.error = `reading the catalog image: ${e instanceof Error ? e.message : String(e)}`;
        return false;
      }
      if (!stored || stored.replicaId !== replicaId) {
        schedule();
        return false;
      }
      state.builtAt = stored.image.builtAt;
      state.products = stored.image.products.n;
      state.stock = stored.image.stock.n;
      state.usedAtStart = true;
      state.changesSince += await standOn(index, stored);
      if (typeof performance !== 'undefined' && typeof performance.mark === 'function') {
        performance.mark('kassa:catalog-image-loaded', { detail: { products: state.products, stock: state.stock, changesSince: state.changesSince } });
      }
      schedule();
      return true;
    },
    changed() {
      state.changesSince++;
      if (timer || state.changesSince >= REBUILD_AFTER_CHANGES || state.builtAt === null) schedule();
    },
    syncDone() {
      syncDone = true;
      schedule();
    },
    status: () => ({ ...state, lastBuild: state.lastBuild ? { ...state.lastBuild } : null }),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
