import { type RxCollection, createRevision, now } from 'rxdb';
import { fromStorageToDexie } from 'rxdb/plugins/storage-dexie';
import type { Checkpoint, PullResponse } from '../protocol/wire.ts';
import { MAX_PULL_LIMIT } from '../protocol/wire.ts';
import { type RegisterDatabase, dexieInternals } from './database.ts';
import { type HqHttp, HqResponseError } from './http.ts';

/**
 * The pull of the catalog's big collections, products and stock (1.5 million documents at a
 * million products), without RxDB's replication. RxDB's downstream reads every document it is
 * about to write, twice (its fork state, then the storage's conflict check), before writing it;
 * and its upstream, which runs for pull-only replications too, reads the collection back from
 * its own checkpoint at every resync. At a catalog's first sync there is nothing to read, and
 * nothing here is ever pushed.
 *
 * The same fenced pull from HQ, the same checkpoint order ({xid, id}). Two ways of writing:
 *  - **bulk** (the first sync, while the collection is new): pages of 5,000 put straight into
 *    RxDB's Dexie table in RxDB's own row format, one transaction each (the replica's strict
 *    durability), while the next page is fetched. These writes do not pass through RxDB's change
 *    stream: `onBulkPage` hands each page to the caller (the search index, the progress).
 *  - **incremental** (afterwards): RxDB's `bulkUpsert` / `bulkRemove`, so RxDB's change stream,
 *    document cache and queries see every change as before.
 * After each page the checkpoint is recorded in a local document, after the page's own
 * transaction completed; after a crash the pull resumes there (a page put again changes nothing).
 */

export interface CatalogPullState {
  /** HQ's checkpoint after the last page written. */
  checkpoint: Checkpoint | null;
  /** The first sync's bulk load is over: from here on, pages go through RxDB. */
  bulkDone: boolean;
}

export type CatalogCollection = 'products' | 'stock';

const BULK_PAGE = MAX_PULL_LIMIT;
const PAGE = 1000;
const RETRY_MS = 3000;

const stateId = (name: string): string => `catalog-pull-${name}`;

/** The database's part the puller uses: its token (for revisions) and its local documents. */
type Db = Pick<RegisterDatabase, 'token' | 'getLocal' | 'upsertLocal'>;

export async function catalogPullState(db: Db, name: CatalogCollection): Promise<CatalogPullState | null> {
  const doc = await db.getLocal<CatalogPullState>(stateId(name));
  return doc ? (doc.toJSON().data as CatalogPullState) : null;
}

export interface CatalogPull {
  /** Pull now (HQ said something changed, or the stream reconnected). */
  resync(): void;
  /** Resolves once the collection caught up with HQ for the first time. */
  awaitInitial(): Promise<void>;
  /** Resolves when no pull is running or asked for. */
  awaitInSync(): Promise<void>;
  /** Stops pulling; resolves once a page being written is written. */
  stop(): Promise<void>;
}

type Doc = { id: string; _deleted?: boolean };

export function startCatalogPull<T extends { id: string }>(
  db: Db,
  collection: RxCollection<T>,
  name: CatalogCollection,
  http: HqHttp,
  opts: {
    onBulkPage: (docs: Doc[]) => void;
    /** A pull failed (HQ refused it, or the replica could not write): for the status line. */
    onError?: (message: string, code?: string) => void;
    /** A page was pulled and written: whatever onError reported has passed (called after every page). */
    onRecovered?: () => void;
    bulkPageSize?: number;
    pageSize?: number;
  },
): CatalogPull {
  const abort = new AbortController();
  const bulkPageSize = opts.bulkPageSize ?? BULK_PAGE;
  const pageSize = opts.pageSize ?? PAGE;
  let state: CatalogPullState | null = null;
  let running: Promise<void> | null = null;
  /** A page being written: stop() waits for it, so the replica is never closed under it. */
  let writing: Promise<void> | null = null;
  let again = false;
  let resolveInitial: () => void = () => undefined;
  const initial = new Promise<void>((r) => (resolveInitial = r));

  const load = async (): Promise<CatalogPullState> => {
    const stored = await catalogPullState(db, name);
    if (stored) return stored;
    const dexie = await dexieInternals(collection);
    // A replica filled before this puller existed (RxDB's replication, whose checkpoint is not
    // ours): pulled once more from the start, through RxDB (documents equal to what is there
    // change nothing a cashier sees). A new one, or another storage than Dexie: bulk only on Dexie.
    const empty = dexie ? (await dexie.dexieTable.count()) === 0 : false;
    return { checkpoint: null, bulkDone: !empty };
  };

  const fetchPage = async (checkpoint: Checkpoint | null, limit: number): Promise<PullResponse | null> => {
    const q = new URLSearchParams({ limit: String(limit) });
    if (checkpoint) {
      q.set('xid', checkpoint.xid);
      q.set('id', checkpoint.id);
    }
    while (!abort.signal.aborted) {
      try {
        return await http.get<PullResponse>(`/api/replication/${name}/pull?${q}`);
      } catch (e) {
        // HQ's own refusal is worth telling; unreachable is what the status line says already.
        if (e instanceof HqResponseError) opts.onError?.(e.message, e.code);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
    return null;
  };

  const writeIncremental = async (docs: Doc[]): Promise<void> => {
    const live = docs.filter((d) => !d._deleted).map(({ _deleted: _d, ...d }) => d);
    const gone = docs.filter((d) => d._deleted).map((d) => d.id);
    if (live.length) {
      const { error } = await collection.bulkUpsert(live as never[]);
      if (error.length) throw new Error(`${name}: ${error.length} documents could not be written (${String(error[0]?.status)})`);
    }
    // Removing one the replica never had is fine.
    if (gone.length) await collection.bulkRemove(gone);
  };

  const writeBulk = async (docs: Doc[]): Promise<void> => {
    const dexie = await dexieInternals(collection);
    if (!dexie) return writeIncremental(docs);
    const token = db.token;
    const rows = docs.map((d) => fromStorageToDexie(dexie.booleanIndexes, { ...d, _deleted: d._deleted === true, _meta: { lwt: now() }, _rev: createRevision(token), _attachments: {} }));
    await dexie.dexieTable.bulkPut(rows as Record<string, unknown>[]);
    opts.onBulkPage(docs);
  };

  /** Pulls until a page comes back short, i.e. the collection caught up. */
  const pullAll = async (): Promise<void> => {
    state ??= await load();
    const limit = (): number => ((state as CatalogPullState).bulkDone ? pageSize : bulkPageSize);
    let next = fetchPage(state.checkpoint, limit());
    while (!abort.signal.aborted) {
      const page = await next;
      // Stopped while HQ answered: the replica may be closing, write nothing.
      if (!page || abort.signal.aborted) return;
      const docs = page.documents as unknown as Doc[];
      const bulk = !state.bulkDone;
      const full = docs.length >= limit();
      const checkpoint: Checkpoint | null = page.checkpoint ?? state.checkpoint;
      // While writing this page, HQ prepares the next (the first sync's pages only: later ones are few).
      if (full && bulk) next = fetchPage(checkpoint, limit());
      const after: CatalogPullState = { checkpoint, bulkDone: state.bulkDone || !full };
      writing = (async () => {
        if (docs.length) await (bulk ? writeBulk(docs) : writeIncremental(docs));
        await db.upsertLocal<CatalogPullState>(stateId(name), after);
      })();
      try {
        await writing;
      } finally {
        writing = null;
      }
      state = after;
      opts.onRecovered?.();
      if (!full) return;
      if (!bulk) next = fetchPage(checkpoint, limit());
    }
  };

  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = (async () => {
      for (;;) {
        try {
          await pullAll();
          if (!abort.signal.aborted) resolveInitial();
        } catch (e) {
          // The replica refused a write: tell, wait, and go on from the last recorded checkpoint.
          opts.onError?.(e instanceof Error ? e.message : String(e));
          state = null;
          await new Promise((r) => setTimeout(r, RETRY_MS));
          again = true;
        }
        if (!again || abort.signal.aborted) break;
        again = false;
      }
    })().finally(() => {
      running = null;
    });
  };

  run();
  return {
    resync: run,
    awaitInitial: () => initial,
    async awaitInSync() {
      while (running) await running;
    },
    async stop() {
      abort.abort();
      await writing?.catch(() => undefined);
    },
  };
}
