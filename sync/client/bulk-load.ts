import { type RxCollection, createRevision, now } from 'rxdb';
import { fromStorageToDexie } from 'rxdb/plugins/storage-dexie';
import type { Checkpoint, PullResponse } from '../protocol/wire.ts';
import { MAX_PULL_LIMIT } from '../protocol/wire.ts';
import { type RegisterDatabase, dexieInternals } from './database.ts';
import type { HqHttp } from './http.ts';

/**
 * The first sync of the big pulled collections (products and stock: 1.5 million documents at a
 * million products) without RxDB's per-document replication. RxDB's downstream reads every
 * document it is about to write, twice (its fork state, then the storage's conflict check),
 * before one write; at a catalog's first sync there is nothing to read. So the loader pulls
 * HQ's pages (the same fenced pull, the same checkpoint order) and puts them straight into
 * RxDB's Dexie table in RxDB's own row format, one transaction per page, then records the
 * page's checkpoint. RxDB's replication starts afterwards from that checkpoint (its pull
 * handler is handed it while it has none of its own), so it only ever sees what changed since.
 *
 * Crash-safe: a page's rows are written (strict durability) before its checkpoint is recorded;
 * after a crash the load resumes from the last recorded checkpoint and puts any page it had
 * written again (a put of the same rows changes nothing).
 *
 * Writes made this way do not pass through RxDB's change stream: `onPage` hands every page to
 * the caller (the search index, the progress count).
 */

export interface BulkLoadState {
  /** HQ's checkpoint after the last page written. */
  checkpoint: Checkpoint | null;
  /** The load finished (or was never needed: the collection had RxDB's own replica already). */
  done: boolean;
}

export const BULK_PAGE = MAX_PULL_LIMIT;
const RETRY_MS = 3000;

const stateId = (name: string): string => `bulk-load-${name}`;

/** The database's part the loader uses: its token (for revisions) and its local documents. */
type Db = Pick<RegisterDatabase, 'token' | 'getLocal' | 'upsertLocal'>;

export async function bulkLoadState(db: Db, name: string): Promise<BulkLoadState | null> {
  const doc = await db.getLocal<BulkLoadState>(stateId(name));
  return doc ? (doc.toJSON().data as BulkLoadState) : null;
}

/**
 * Loads a collection from HQ page by page unless it was loaded already, and returns the
 * checkpoint RxDB's replication should start from (null: from RxDB's own, or the beginning).
 * Waits through network errors; gives up (returning what it has) only when `signal` aborts.
 */
export async function bulkLoad<T>(
  db: Db,
  collection: RxCollection<T>,
  name: string,
  http: HqHttp,
  opts: { signal: AbortSignal; onPage: (docs: (T & { _deleted?: boolean })[]) => void; pageSize?: number },
): Promise<Checkpoint | null> {
  let state = await bulkLoadState(db, name);
  if (state?.done) return state.checkpoint;
  const dexie = await dexieInternals(collection);
  if (!dexie) return null; // another storage: RxDB's replication does it all
  if (!state) {
    // A replica RxDB's replication filled before this loader existed: leave it to RxDB.
    if ((await dexie.dexieTable.count()) > 0) {
      await db.upsertLocal<BulkLoadState>(stateId(name), { checkpoint: null, done: true });
      return null;
    }
    state = { checkpoint: null, done: false };
  }
  const pageSize = opts.pageSize ?? BULK_PAGE;
  const token = db.token;
  /** One page from HQ after `checkpoint`, trying again through network errors (null: aborted). */
  const fetchPage = async (checkpoint: Checkpoint | null): Promise<PullResponse | null> => {
    const q = new URLSearchParams({ limit: String(pageSize) });
    if (checkpoint) {
      q.set('xid', checkpoint.xid);
      q.set('id', checkpoint.id);
    }
    while (!opts.signal.aborted) {
      try {
        return await http.get<PullResponse>(`/api/replication/${name}/pull?${q}`);
      } catch {
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
    return null;
  };
  // HQ prepares the next page while this one is written.
  let next = fetchPage(state.checkpoint);
  while (!opts.signal.aborted) {
    const page = await next;
    if (!page) break;
    const docs = page.documents as unknown as (T & { id: string; _deleted?: boolean })[];
    const checkpoint: Checkpoint | null = page.checkpoint ?? state.checkpoint;
    const more = docs.length >= pageSize;
    if (more) next = fetchPage(checkpoint);
    if (docs.length > 0) {
      const rows = docs.map((d) =>
        fromStorageToDexie(dexie.booleanIndexes, { ...d, _deleted: d._deleted === true, _meta: { lwt: now() }, _rev: createRevision(token), _attachments: {} }),
      );
      await dexie.dexieTable.bulkPut(rows as Record<string, unknown>[]);
      opts.onPage(docs);
    }
    state = { checkpoint, done: !more };
    await db.upsertLocal<BulkLoadState>(stateId(name), state);
    if (state.done) return state.checkpoint;
  }
  return state.checkpoint;
}
