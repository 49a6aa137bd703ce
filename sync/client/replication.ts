import { Subject } from 'rxjs';
import type { RxReplicationPullStreamItem } from 'rxdb';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import { PULL_COLLECTIONS, PUSH_COLLECTIONS, type PullCollection, type PushCollection } from '../protocol/docs.ts';
import type { Checkpoint, ErrorBody, PullResponse } from '../protocol/wire.ts';
import type { RxCollection } from 'rxdb';
import { type CatalogCollection, type CatalogPull, startCatalogPull } from './catalog-pull.ts';
import type { RegisterDatabase } from './database.ts';
import { HqResponseError, type HqHttp, HqUnreachableError } from './http.ts';
import type { AckDoc } from './schemas.ts';
import type { StatusTracker } from './status.ts';

const PULL_BATCH = 1000;
/** Pulled by the catalog pull (catalog-pull.ts) instead of RxDB's replication. */
const CATALOG_COLLECTIONS = ['products', 'stock'] as const satisfies readonly CatalogCollection[];
const isCatalog = (name: string): name is CatalogCollection => (CATALOG_COLLECTIONS as readonly string[]).includes(name);
const PUSH_BATCH = 100;
const RETRY_MS = 3000;

/** How a pushed record is named in messages for people. */
const RECORD_NAMES: Record<PushCollection, string> = { sales: 'sale', orderEvents: 'order event', returns: 'return', shiftEvents: 'shift event' };

/** Whose records this register pushes: its own, and nothing else in its replica. */
export interface OwnRegister {
  storeId: string;
  registerId: string;
}

const isOwn = (doc: unknown, own: OwnRegister): boolean => {
  const d = doc as { storeId?: unknown; registerId?: unknown };
  return d.storeId === own.storeId && d.registerId === own.registerId;
};

/**
 * Whether HQ itself refused the record (it will not get better by retrying): only HQ's own
 * error answers ({ error, message } from HQ) with a status that means "this record is wrong".
 * A 4xx from a proxy or gateway on the way (408, 404 without HQ's body, …) is retried.
 */
export function isRefusal(e: unknown): e is HqResponseError {
  if (!(e instanceof HqResponseError)) return false;
  if (![400, 403, 409, 413, 422].includes(e.status)) return false;
  return !e.body.error.startsWith('http_');
}

/** No byte on the event stream for this long (HQ sends a heartbeat every 15 s): reconnect. */
const STREAM_SILENCE_MS = 45_000;

export interface Replication {
  states: RxReplicationState<unknown, unknown>[];
  /** Pull everything and push everything now. */
  syncNow(): Promise<void>;
  /** Resolves when every pull has caught up once (the first sync). */
  awaitInitial(): Promise<void>;
  stop(): Promise<void>;
}

/** HQ closed the event stream in good order. */
class StreamEnded extends Error {}

/**
 * Wires the register's replica to HQ with RxDB's replication protocol:
 *  - master data (stores, products, assortment, stock), HQ's orders concerning this store, the
 *    chain's settings and the operators are pulled by checkpoint {xid, id};
 *  - sales and order events are pushed; HQ's answer for each is written to `acks` before the
 *    push handler returns, so a crash in between re-pushes (HQ's insert is idempotent) instead
 *    of losing it;
 *  - returns go both ways in ONE replication state (pull and push handlers on the same
 *    collection): RxDB's protocol never pushes back what its own pull wrote (it skips writes
 *    flagged as downstream, and documents equal to their assumed master state). The push handler
 *    also sends only this register's own returns, and the pull keeps this register's own copy of
 *    its returns (immutable records: HQ's copy of one this register still has is not taken;
 *    one it no longer has, after a reinstall, is taken and acknowledged, as HQ holds it);
 *  - one server-sent-events stream says "pull now"; every (re)connect answers with RESYNC, so a
 *    change missed while disconnected is still pulled.
 */
export function startReplication(
  db: RegisterDatabase,
  http: HqHttp,
  status: StatusTracker,
  own: OwnRegister,
  live = true,
  opts: {
    /** A page of the catalog's first sync, written straight into the storage (no RxDB change event is emitted for it). */
    onBulkPage?: (name: CatalogCollection, docs: { id: string; _deleted?: boolean }[]) => void;
    /** Page sizes of the catalog pull (tests lower them). */
    catalogPageSizes?: { bulk: number; incremental: number };
  } = {},
): Replication {
  // An error HQ answered a collection's pull or push with stays on the status line until that
  // collection's next pull or push goes through (then it is cleared, unless another error came
  // since). A refused or conflicting record is not such an error: it stays, and the end of the
  // day lists it.
  const reported = new Map<string, string>();
  const report = (source: string, message: string, code: string | null): void => {
    reported.set(source, message);
    status.update({ lastError: message, lastErrorCode: code, lastErrorRecord: null });
  };
  const recovered = (source: string): void => {
    const message = reported.get(source);
    if (message === undefined) return;
    reported.delete(source);
    if (status.get().lastError === message) status.update({ lastError: null, lastErrorCode: null, lastErrorRecord: null });
  };

  // Products and stock: the catalog pull (catalog-pull.ts), not RxDB's replication.
  const catalog = new Map<CatalogCollection, CatalogPull>();
  if (live) {
    for (const name of CATALOG_COLLECTIONS) {
      catalog.set(
        name,
        startCatalogPull(db, db[name] as unknown as RxCollection<{ id: string }>, name, http, {
          onBulkPage: (docs) => opts.onBulkPage?.(name, docs),
          onError: (message, code) => report(name, message, code ?? null),
          onRecovered: () => recovered(name),
          ...(opts.catalogPageSizes ? { bulkPageSize: opts.catalogPageSizes.bulk, pageSize: opts.catalogPageSizes.incremental } : {}),
        }),
      );
    }
  }
  const streams = new Map<PullCollection, Subject<RxReplicationPullStreamItem<unknown, Checkpoint>>>();
  const states: RxReplicationState<unknown, unknown>[] = [];
  /** Keeps a replication state, and reports HQ's errors on it under its collection. */
  const track = (collection: string, state: RxReplicationState<unknown, unknown>): void => {
    states.push(state);
    state.error$.subscribe((err) => {
      // RxDB hands the handler's error on as plain JSON ({ name, message, … }), not the error
      // itself (an instanceof test never matched: HQ's answers never reached the status line).
      const cause = (err as { parameters?: { errors?: { name?: unknown; message?: unknown; code?: unknown }[] } }).parameters?.errors?.[0];
      if (cause?.name === 'HqResponseError' && typeof cause.message === 'string') report(collection, cause.message, typeof cause.code === 'string' ? cause.code : null);
    });
  };

  const writeAcks = async (acks: AckDoc[]): Promise<void> => {
    if (acks.length) await db.acks.bulkUpsert(acks);
  };

  /** The pull side of a collection's replication: its event-stream subject and its handler. */
  const pullOf = (name: PullCollection, keep?: (docs: unknown[]) => Promise<unknown[]>) => {
    const stream = new Subject<RxReplicationPullStreamItem<unknown, Checkpoint>>();
    streams.set(name, stream);
    return {
      batchSize: PULL_BATCH,
      stream$: stream.asObservable(),
      handler: async (checkpoint: Checkpoint | undefined, batchSize: number) => {
        const q = new URLSearchParams({ limit: String(batchSize) });
        if (checkpoint) {
          q.set('xid', checkpoint.xid);
          q.set('id', checkpoint.id);
        }
        const res = await http.get<PullResponse>(`/api/replication/${name}/pull?${q}`);
        recovered(name);
        const documents = keep ? await keep(res.documents) : res.documents;
        return {
          documents: documents as unknown[] as never[],
          checkpoint: (res.checkpoint ?? checkpoint) as Checkpoint,
        };
      },
    };
  };

  for (const name of PULL_COLLECTIONS) {
    if (name === 'returns') continue; // both ways, below
    if (isCatalog(name)) continue; // the catalog pull, above
    const state = replicateRxCollection<unknown, Checkpoint>({
      // RxDB's collection type is invariant in the document type; the handlers below produce
      // exactly the collection's documents, so the cast is safe.
      collection: db[name] as never,
      replicationIdentifier: `kassa-pull-${name}-${http.baseUrl}`,
      live,
      retryTime: RETRY_MS,
      waitForLeadership: false,
      autoStart: true,
      pull: pullOf(name),
    });
    track(name, state as RxReplicationState<unknown, unknown>);
  }

  /**
   * Pushes a batch of immutable records of one collection (sales or order events) and writes
   * HQ's answer for every record into `acks` before returning.
   */
  const pushRecords = async (kind: PushCollection, rows: { newDocumentState: unknown; assumedMasterState?: unknown }[]): Promise<void> => {
    const at = new Date().toISOString();
    const what = RECORD_NAMES[kind];
    const ids = rows.map((r) => (r.newDocumentState as { id: string }).id);
    try {
      const conflicts = await http.post<{ id: string }[]>(
        `/api/replication/${kind}/push`,
        rows.map((r) => ({ newDocumentState: r.newDocumentState, assumedMasterState: r.assumedMasterState ?? null })),
      );
      const conflicting = new Set(conflicts.map((c) => c.id));
      await writeAcks(
        ids.map((id) => ({
          id,
          kind,
          status: conflicting.has(id) ? 'conflict' : 'ok',
          message: conflicting.has(id) ? `HQ already holds another ${what} numbered ${id}; this one is kept here for the manager` : '',
          at,
        })),
      );
      const [first, ...more] = conflicting;
      if (first !== undefined) {
        status.update({
          lastError: `HQ holds other ${what}s under ${[first, ...more].join(', ')}`,
          lastErrorCode: 'record_conflict',
          lastErrorRecord: { collection: kind, id: first, others: more.length },
        });
      }
    } catch (e) {
      // A refusal (bad record, wrong store) will not get better by retrying: find the refused
      // record(s), keep them here with HQ's reason, and let the rest of the queue go on.
      if (isRefusal(e)) {
        if (rows.length > 1) {
          for (const row of rows) await pushRecords(kind, [row]);
          return;
        }
        const body: ErrorBody = e.body;
        status.update({ lastError: `HQ refused ${what} ${ids[0]}: ${e.message}`, lastErrorCode: 'record_refused', lastErrorRecord: { collection: kind, id: ids[0] ?? '', others: 0 } });
        await writeAcks([{ id: ids[0] ?? '', kind, status: 'refused', message: `${body.error}: ${e.message}`, at }]);
        return;
      }
      // Anything else (a refused token, HQ failing): RxDB retries, and its error$ reports it (below).
      throw e;
    }
  };

  /** The push side of a collection's replication: only this register's own records go out. */
  const pushOf = (kind: PushCollection) => ({
    batchSize: PUSH_BATCH,
    // Records are immutable: HQ's conflicts are recorded in `acks` and never returned to
    // RxDB, so no conflict handler can ever overwrite a completed sale, an order event or a return.
    handler: async (rows: { newDocumentState: unknown; assumedMasterState?: unknown }[]) => {
      // Another register's record (a pulled return) is HQ's already: never sent back.
      const mine = rows.filter((r) => isOwn(r.newDocumentState, own));
      if (mine.length) await pushRecords(kind, mine);
      recovered(kind);
      status.update({ lastSyncAt: new Date().toISOString() });
      return [];
    },
  });

  for (const kind of PUSH_COLLECTIONS) {
    if (kind === 'returns') continue; // both ways, below
    const pushState = replicateRxCollection<unknown, unknown>({
      collection: db[kind] as never,
      replicationIdentifier: `kassa-push-${kind}-${http.baseUrl}`,
      live,
      retryTime: RETRY_MS,
      waitForLeadership: false,
      autoStart: true,
      push: pushOf(kind),
    });
    track(kind, pushState as RxReplicationState<unknown, unknown>);
  }

  /**
   * Of the returns HQ sends: every other register's; this register's own only when the replica
   * no longer has it (a reinstall) — then HQ holds it, so it is acknowledged as well.
   */
  const keepReturns = async (docs: unknown[]): Promise<unknown[]> => {
    const ownIds = docs.filter((d) => isOwn(d, own)).map((d) => (d as { id: string }).id);
    if (ownIds.length === 0) return docs;
    const here = await db.returns.findByIds(ownIds).exec();
    const back = ownIds.filter((id) => !here.has(id));
    const at = new Date().toISOString();
    await writeAcks(back.map((id) => ({ id, kind: 'returns', status: 'ok', message: '', at })));
    return docs.filter((d) => !isOwn(d, own) || !here.has((d as { id: string }).id));
  };
  const returnsState = replicateRxCollection<unknown, Checkpoint>({
    collection: db.returns as never,
    replicationIdentifier: `kassa-returns-${http.baseUrl}`,
    live,
    retryTime: RETRY_MS,
    waitForLeadership: false,
    autoStart: true,
    pull: pullOf('returns', keepReturns),
    push: pushOf('returns'),
  });
  track('returns', returnsState as RxReplicationState<unknown, unknown>);

  // ---- the live stream ----------------------------------------------------------------
  const abort = new AbortController();
  const resyncAll = (): void => {
    for (const c of catalog.values()) c.resync();
    for (const s of streams.values()) s.next('RESYNC');
    for (const s of states) s.reSync();
  };
  const streamLoop = async (): Promise<void> => {
    let backoff = 1000;
    while (!abort.signal.aborted) {
      try {
        // Through HqHttp's gate: a token HQ refused is not asked about again at once, and a
        // refused stream holds the other requests back too. HQ ends the stream of a token it
        // withdrew, so the reconnect's refusal is the first thing an idle register hears of it.
        const res = await http.openStream('/api/replication/stream', abort.signal);
        if (!res.body) throw new Error('stream without a body');
        recovered('stream');
        backoff = 1000;
        resyncAll();
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          // A connection that dies silently (no FIN, no RST) must not stop live pulls for good.
          let silence: ReturnType<typeof setTimeout> | undefined;
          const timedOut = new Promise<never>((_, reject) => {
            silence = setTimeout(() => reject(new Error('stream silent')), STREAM_SILENCE_MS);
          });
          const { value, done } = await Promise.race([reader.read(), timedOut]).finally(() => clearTimeout(silence));
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const type = /^event: (.*)$/m.exec(event)?.[1];
            if (type !== 'change') continue;
            const data = /^data: (.*)$/m.exec(event)?.[1] ?? '{}';
            let names: string[] = [];
            try {
              names = (JSON.parse(data) as { collections?: string[] }).collections ?? [];
            } catch {
              names = [];
            }
            for (const n of names.length ? names : [...streams.keys(), ...catalog.keys()]) {
              streams.get(n as PullCollection)?.next('RESYNC');
              catalog.get(n as CatalogCollection)?.resync();
            }
          }
        }
        // HQ ended the stream (a restart, a withdrawn token): the reconnect tells which.
        throw new StreamEnded();
      } catch (e) {
        if (abort.signal.aborted) return;
        if (e instanceof HqResponseError) {
          // HQ (or a gateway) answered: not offline. The answer goes on the status line like any
          // other, and a refused token waits out its pause; HQ failing is asked again soon.
          report('stream', e.message, e.code);
          backoff = Math.max(backoff, http.refusedForMs());
        } else if (!(e instanceof HqUnreachableError) && !(e instanceof StreamEnded)) {
          // The stream broke or went silent (HqHttp reported a failed connect itself).
          status.unreachable();
        }
      }
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 5000);
    }
  };
  if (live) void streamLoop();

  return {
    states,
    async syncNow() {
      resyncAll();
      await Promise.all([...states.map((s) => s.awaitInSync()), ...[...catalog.values()].map((c) => c.awaitInSync())]);
    },
    async awaitInitial() {
      await Promise.all([...states.map((s) => s.awaitInitialReplication()), ...[...catalog.values()].map((c) => c.awaitInitial())]);
    },
    async stop() {
      abort.abort();
      await Promise.all([...states.map((s) => s.cancel()), ...[...catalog.values()].map((c) => c.stop())]);
    },
  };
}
