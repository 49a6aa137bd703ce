import { fromDexieToStorage } from 'rxdb/plugins/storage-dexie';
import { withoutBookkeeping } from './bookkeeping.ts';
import type { ProductDoc, StockDoc } from '../protocol/docs.ts';
import { type CatalogImage, type Checkpoint, buildCatalogImage, isUsableImage } from './catalog-image.ts';

/**
 * Where a catalog image lives and how it is built from the replica: a plain IndexedDB database
 * of its own beside RxDB's (one object store, one record), so it costs no RxDB collection.
 * The builder reads RxDB's Dexie tables directly, each in one read-only transaction (a
 * consistent snapshot: the image's checkpoint is exactly what it holds), which is what lets a
 * worker build it off the page's main thread.
 */

const STORE = 'image';
const KEY = 'current';

/** A stored image and which replica it was taken of (a replica wiped and synced again gets a new id). */
export interface StoredImage {
  replicaId: string;
  image: CatalogImage;
}

/** One of RxDB's Dexie tables, as a worker can open it: database and object store names, boolean indexes. */
export interface ReplicaTable {
  database: string;
  table: string;
  booleanIndexes: string[];
}

/** What a worker (or the page, where there are no workers) is asked to do. */
export interface ImageJob {
  products: ReplicaTable;
  stock: ReplicaTable;
  imageDatabase: string;
  replicaId: string;
}

export interface ImageJobResult {
  products: number;
  stock: number;
  readMs: number;
  buildMs: number;
  writeMs: number;
}

export const imageDatabaseName = (replicaName: string): string => `${replicaName}-catalog-image`;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function openImageDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  const open = factory.open(name, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  return request(open);
}

/** The stored image, or null when there is none or it is of another format. */
export async function readImage(factory: IDBFactory, name: string): Promise<StoredImage | null> {
  const db = await openImageDatabase(factory, name);
  try {
    const value = (await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY))) as Partial<StoredImage> | undefined;
    return value && typeof value.replicaId === 'string' && isUsableImage(value.image) ? (value as StoredImage) : null;
  } finally {
    db.close();
  }
}

export async function writeImage(factory: IDBFactory, name: string, stored: StoredImage): Promise<void> {
  const db = await openImageDatabase(factory, name);
  try {
    const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
    tx.objectStore(STORE).put(stored, KEY);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('writing the catalog image failed'));
      tx.onabort = () => reject(tx.error ?? new Error('writing the catalog image was aborted'));
    });
  } finally {
    db.close();
  }
}

const PAGE = 10_000;

/**
 * Every live document of one RxDB Dexie table and the checkpoint after the newest write of any
 * (deleted ones included), read in one read-only transaction: requests are chained from each
 * other's success, so the transaction stays open and no write lands in between.
 */
export async function readReplicaTable<T>(factory: IDBFactory, keyRange: typeof IDBKeyRange, source: ReplicaTable): Promise<{ docs: T[]; checkpoint: Checkpoint | null }> {
  const db = await request(factory.open(source.database));
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(source.table, 'readonly');
      const store = tx.objectStore(source.table);
      const keyPath = store.keyPath;
      if (typeof keyPath !== 'string') throw new Error(`${source.database}: unexpected key path`);
      const docs: T[] = [];
      let checkpoint: Checkpoint | null = null;
      const page = (after: IDBValidKey | null): void => {
        const r = store.getAll(after === null ? null : keyRange.lowerBound(after, true), PAGE);
        r.onerror = () => reject(r.error ?? new Error('reading the replica failed'));
        r.onsuccess = () => {
          const rows = r.result as Record<string, unknown>[];
          for (const row of rows) {
            const d = fromDexieToStorage(source.booleanIndexes, row) as Record<string, unknown> & { id: string; _meta: { lwt: number } };
            const lwt = d._meta.lwt;
            if (!checkpoint || lwt > checkpoint.lwt || (lwt === checkpoint.lwt && d.id > checkpoint.id)) checkpoint = { id: d.id, lwt };
            if (d._deleted) continue;
            docs.push(withoutBookkeeping(d) as unknown as T);
          }
          if (rows.length < PAGE) resolve({ docs, checkpoint });
          else page((rows[rows.length - 1] as Record<string, unknown>)[keyPath] as IDBValidKey);
        };
      };
      page(null);
    });
  } finally {
    db.close();
  }
}

/** Reads the replica's products and stock, builds the image and stores it. The worker's whole job. */
export async function runImageJob(factory: IDBFactory, keyRange: typeof IDBKeyRange, job: ImageJob): Promise<ImageJobResult> {
  const t0 = performance.now();
  const products = await readReplicaTable<Omit<ProductDoc, '_deleted'>>(factory, keyRange, job.products);
  const stock = await readReplicaTable<Omit<StockDoc, '_deleted'>>(factory, keyRange, job.stock);
  const t1 = performance.now();
  const image = buildCatalogImage(products.docs, stock.docs, { products: products.checkpoint, stock: stock.checkpoint });
  const t2 = performance.now();
  await writeImage(factory, job.imageDatabase, { replicaId: job.replicaId, image });
  const t3 = performance.now();
  return {
    products: image.products.n,
    stock: image.stock.n,
    readMs: Math.round(t1 - t0),
    buildMs: Math.round(t2 - t1),
    writeMs: Math.round(t3 - t2),
  };
}
