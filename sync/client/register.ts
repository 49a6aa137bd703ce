import type { RxCollection, RxStorage } from 'rxdb';
import type { Cart } from '../../src/cart.ts';
import { type ChainHead, type ChainLink, seal } from '../../src/chain.ts';
import { distanceMetres } from '../../src/geo.ts';
import { nextSequence } from '../../src/numbering.ts';
import { type CompletedSale, type TenderInput, completeSale } from '../../src/sale.ts';
import type { SaleDoc, StoreDoc } from '../protocol/docs.ts';
import { type RegisterKeyPair, generateRegisterKeys } from '../protocol/receipt-code.ts';
import type { CountResponse, RegisterKeyRequest } from '../protocol/wire.ts';
import type { Availability, DiagnosticAck, Diagnostics, ProductHit, RegisterClient, RegisterIdentity, RenewedToken, SearchScope, SyncStatus } from './api.ts';
import { type RegisterDatabase, countLive, databaseName, openRegisterDatabase, readAll } from './database.ts';
import { HqHttp } from './http.ts';
import { createOrderMethods } from './orders.ts';
import type { CatalogCollection } from './catalog-pull.ts';
import { type Replication, startReplication } from './replication.ts';
import { createReturnMethods } from './returns.ts';
import { type PinAttemptState, PinAttempts, createShiftMethods } from './shifts.ts';
import { createEndOfDayMethods } from './end-of-day.ts';
import { createImageKeeper } from './catalog-image-keeper.ts';
import type { ImageJob, ImageJobResult } from './catalog-image-store.ts';
import { ProductIndex } from './search-index.ts';
import { StatusTracker } from './status.ts';

export interface OpenOptions {
  /** Another RxDB storage (tests: Dexie on fake-indexeddb). */
  storage?: RxStorage<unknown, unknown>;
  /** Replicate with HQ (default true). */
  live?: boolean;
  /** The register's clock (tests). */
  now?: () => Date;
  /** Called with a renewed token; the host must keep it, or the register cannot sync once the old one is gone. */
  onTokenRenewed?: (renewed: RenewedToken) => Promise<void>;
  /** Renew when fewer than this many days are left (default 30). */
  renewDaysBefore?: number;
  /** Builds the catalog image (default: a worker in a browser, else right here). */
  buildImage?: (job: ImageJob) => Promise<ImageJobResult>;
  /** How long the replica must be quiet before the image is (re)built (default 3 s; tests shorten it). */
  imageQuietMs?: number;
  /** Page sizes of the catalog pull (default 5,000 in the first sync, then 1,000; tests lower them). */
  catalogPageSizes?: { bulk: number; incremental: number };
}

interface Meta {
  lastSequence: number;
  hqLastSequence: number;
  /** Order events have their own sequence, so the sales chain never sees a gap for them. */
  lastOrderSequence: number;
  /** The highest order-event sequence HQ had of this register at enrolment. */
  hqLastOrderSequence: number;
  /** Returns have their own sequence too (RET-…). */
  lastReturnSequence: number;
  /** The highest return sequence HQ had of this register at enrolment. */
  hqLastReturnSequence: number;
  /** Shift events have their own sequence too (SHF-…). */
  lastShiftSequence: number;
  hqLastShiftSequence: number;
  /** The chain head HQ reported at enrolment (a reinstalled register continues HQ's chain). */
  hqHead: ChainHead | null;
  firstSyncDone: boolean;
  /** This replica's own id, made when it was created: a catalog image of another replica is never used. */
  replicaId: string;
}

const META = 'register-meta';
/**
 * This register's key pair for receipt codes (an RxDB local document: it never leaves the
 * register, only the public key goes to HQ). `registeredAt`: when HQ acknowledged the public key.
 */
const KEYS = 'register-keys';
/** Wrong PIN attempts per operator id (shifts.ts PinAttempts), so a reload does not lift a lock-out. */
const PIN_ATTEMPTS_DOC = 'pin-attempts';
interface StoredKeys extends RegisterKeyPair {
  registeredAt: string | null;
}
/** Until HQ has the public key: try again this often (and whenever HQ is reached again). */
const KEY_RETRY_MS = 60_000;
/**
 * When HQ last took a request (the status line's "last sync"), kept so that a register started
 * offline, or refused by HQ, says when it last synced rather than "never". It changes with every
 * exchange, so it is written at most once a minute (and at close).
 */
const LAST_SYNC_DOC = 'last-sync';
const LAST_SYNC_WRITE_MS = 60_000;
/** How many of its latest sales a register keeps subtracting from its store's figure at most. */
const OWN_SALES_WINDOW = 2000;

/** The browser's storage use for this origin, where it can say. */
async function storageEstimate(): Promise<Diagnostics['storage']> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage || typeof storage.estimate !== 'function') return null;
  try {
    const e = await storage.estimate();
    return { usageBytes: e.usage ?? null, quotaBytes: e.quota ?? null };
  } catch {
    return null;
  }
}

type Change<T> = { operation: 'INSERT' | 'UPDATE' | 'DELETE'; documentData: T; previousDocumentData?: T };

/** Opens the register: its replica, its search index, and (when live) replication with HQ. */
export async function openRegister(
  identity: RegisterIdentity & { lastSequence?: number; lastHash?: string | null; lastOrderSequence?: number; lastReturnSequence?: number; lastShiftSequence?: number },
  opts: OpenOptions = {},
): Promise<RegisterClient> {
  const now = opts.now ?? (() => new Date());
  const db: RegisterDatabase = await openRegisterDatabase(databaseName(identity.storeId, identity.registerId), opts.storage);

  const metaDoc = await db.getLocal<Meta>(META);
  let meta: Meta = {
    lastSequence: metaDoc?.get('lastSequence') ?? 0,
    hqLastSequence: Math.max(metaDoc?.get('hqLastSequence') ?? 0, identity.lastSequence ?? 0),
    lastOrderSequence: metaDoc?.get('lastOrderSequence') ?? 0,
    hqLastOrderSequence: Math.max(metaDoc?.get('hqLastOrderSequence') ?? 0, identity.lastOrderSequence ?? 0),
    lastReturnSequence: metaDoc?.get('lastReturnSequence') ?? 0,
    hqLastReturnSequence: Math.max(metaDoc?.get('hqLastReturnSequence') ?? 0, identity.lastReturnSequence ?? 0),
    lastShiftSequence: metaDoc?.get('lastShiftSequence') ?? 0,
    hqLastShiftSequence: Math.max(metaDoc?.get('hqLastShiftSequence') ?? 0, identity.lastShiftSequence ?? 0),
    hqHead:
      identity.lastHash && identity.lastSequence && identity.lastSequence >= (metaDoc?.get('hqHead')?.seq ?? 0)
        ? { seq: identity.lastSequence, hash: identity.lastHash }
        : (metaDoc?.get('hqHead') ?? null),
    firstSyncDone: metaDoc?.get('firstSyncDone') ?? false,
    replicaId: metaDoc?.get('replicaId') ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
  };
  const saveMeta = async (patch: Partial<Meta>): Promise<void> => {
    meta = { ...meta, ...patch };
    await db.upsertLocal<Meta>(META, meta);
  };
  await saveMeta({});

  // ---- the key pair that signs this register's receipt codes --------------------------
  let keys: StoredKeys | null = (await db.getLocal<StoredKeys>(KEYS))?.toMutableJSON().data ?? null;
  if (!keys) {
    try {
      keys = { ...(await generateRegisterKeys()), registeredAt: null };
      await db.upsertLocal<StoredKeys>(KEYS, keys);
    } catch {
      // No WebCrypto here (a page served over plain http from another host is not a secure
      // context): receipts print without a code; the next start tries again.
      keys = null;
    }
  }

  const lastSyncKept = (await db.getLocal<{ at: string }>(LAST_SYNC_DOC))?.get('at') ?? null;
  const status = new StatusTracker({ firstSync: { received: 0, total: null, done: meta.firstSyncDone }, lastSyncAt: lastSyncKept });
  let lastSyncWritten = lastSyncKept;
  let lastSyncWrite: Promise<unknown> = Promise.resolve();
  const keepLastSync = (at: string | null, force = false): void => {
    if (at === null || at === lastSyncWritten) return;
    if (!force && lastSyncWritten !== null && Date.parse(at) - Date.parse(lastSyncWritten) < LAST_SYNC_WRITE_MS) return;
    lastSyncWritten = at;
    lastSyncWrite = lastSyncWrite.then(() => db.upsertLocal(LAST_SYNC_DOC, { at })).catch(() => undefined);
  };
  const stopLastSyncKeep = status.subscribe((s) => keepLastSync(s.lastSyncAt));

  // ---- search index, fed from the replica and kept current ---------------------------
  // From the catalog image and the changes since it where there is one (a cold start at a
  // million products reads one record instead of 1.5 M rows), else row by row.
  const index = new ProductIndex(identity.storeId, now, identity.registerId);
  const replicaName = databaseName(identity.storeId, identity.registerId);
  // Tell the UI the replica changed (once per burst: a pull writes a page at a time), or an
  // image build ended.
  const replicaListeners = new Set<() => void>();
  let replicaTimer: ReturnType<typeof setTimeout> | null = null;
  const replicaChanged = (): void => {
    if (replicaTimer) return;
    replicaTimer = setTimeout(() => {
      replicaTimer = null;
      for (const l of replicaListeners) l();
    }, 100);
  };
  const images = await createImageKeeper(db, replicaName, meta.replicaId, { firstSyncDone: meta.firstSyncDone, now, onChange: replicaChanged, ...(opts.buildImage ? { run: opts.buildImage } : {}), ...(opts.imageQuietMs !== undefined ? { quietMs: opts.imageQuietMs } : {}) });
  if (!(await images.load(index))) {
    await readAll(db.products, (docs) => {
      for (const p of docs) index.upsertProduct(p);
    });
    await readAll(db.stock, (docs) => {
      for (const s of docs) index.upsertStock(s);
    });
  }
  // HQ sends this store's own lines and every group line; the index applies the store's groups.
  await readAll(db.assortment, (docs) => {
    for (const a of docs) index.upsertAssortment(a);
  });
  const ownStore = await db.stores.findOne(identity.storeId).exec();
  if (ownStore) index.setGroups(ownStore.groups);
  // Sort names and words once the screen is up rather than on the cashier's first keystroke.
  let warmTimer: ReturnType<typeof setTimeout> | null = setTimeout(() => {
    warmTimer = null;
    index.warm();
  }, 500);
  // This register's recent sales lower this store's figure until HQ's figure includes them.
  // (Older ones than these have long been booked by a register that syncs at all.)
  for (const sale of await db.sales.find({ selector: { seq: { $gt: meta.lastSequence - OWN_SALES_WINDOW } } }).exec()) {
    index.addOwnSale(sale.toJSON());
  }
  const subs = [
    db.products.$.subscribe((e) => {
      replicaChanged();
      const c = e as unknown as Change<Parameters<ProductIndex['upsertProduct']>[0]>;
      index.applyProduct(c.documentData, c.operation === 'DELETE');
      images.changed();
    }),
    db.assortment.$.subscribe((e) => {
      replicaChanged();
      const c = e as unknown as Change<Parameters<ProductIndex['upsertAssortment']>[0]>;
      if (c.operation === 'DELETE') index.removeAssortment(c.documentData.id);
      else index.upsertAssortment(c.documentData);
    }),
    db.stores.$.subscribe((e) => {
      if (e.documentData.id !== identity.storeId) return;
      index.setGroups(e.documentData.groups ?? []);
      replicaChanged();
    }),
    db.sales.insert$.subscribe((e) => {
      index.addOwnSale(e.documentData);
      replicaChanged();
    }),
    db.stock.$.subscribe((e) => {
      replicaChanged();
      const c = e as unknown as Change<Parameters<ProductIndex['upsertStock']>[0]>;
      index.applyStock(c.documentData, c.operation === 'DELETE');
      images.changed();
    }),
    // Orders: HQ's (pulled) and this register's own events; the order settings.
    db.orders.$.subscribe(() => replicaChanged()),
    db.orderEvents.$.subscribe(() => replicaChanged()),
    db.settings.$.subscribe(() => replicaChanged()),
    // Returns: this register's own and HQ's (what is left returnable changes with them).
    db.returns.$.subscribe(() => replicaChanged()),
  ];

  // ---- counts for the status line ---------------------------------------------------
  // Waiting = records made here (sales, order events, this register's own returns — not those
  // pulled from HQ) that HQ has not answered yet. Every ack is of a record made here.
  let salesCount = 0;
  let orderEventCount = 0;
  let ownReturnCount = 0;
  let shiftEventCount = 0;
  let ackCount = 0;
  let refusedCount = 0;
  const updatePending = (): void =>
    status.update({ pending: Math.max(0, salesCount + orderEventCount + ownReturnCount + shiftEventCount - ackCount), refused: refusedCount });
  // Counted once before the register is handed out: until the subscriptions below first emit,
  // the status would say "0 records waiting" (seen by a test that waited for 0 right after a
  // restart, and briefly on screen).
  const ownReturns = { selector: { storeId: { $eq: identity.storeId }, registerId: { $eq: identity.registerId } } };
  [salesCount, orderEventCount, ownReturnCount, shiftEventCount, ackCount, refusedCount] = await Promise.all([
    db.sales.count().exec(),
    db.orderEvents.count().exec(),
    db.returns.count(ownReturns).exec(),
    db.shiftEvents.count().exec(),
    db.acks.count().exec(),
    db.acks.count({ selector: { status: { $ne: 'ok' } } }).exec(),
  ]);
  updatePending();
  subs.push(
    db.sales.count().$.subscribe((n) => {
      salesCount = n;
      updatePending();
    }),
    db.orderEvents.count().$.subscribe((n) => {
      orderEventCount = n;
      updatePending();
    }),
    db.returns.count(ownReturns).$.subscribe((n) => {
      ownReturnCount = n;
      updatePending();
    }),
    db.shiftEvents.count().$.subscribe((n) => {
      shiftEventCount = n;
      updatePending();
    }),
    db.acks.count().$.subscribe((n) => {
      ackCount = n;
      updatePending();
    }),
    db.acks.count({ selector: { status: { $ne: 'ok' } } }).$.subscribe((n) => {
      refusedCount = n;
      updatePending();
    }),
  );
  // The first sync's progress: what the replica held at start, then every page the catalog pull
  // wrote. (Not a live count query: IndexedDB counts by walking the index, and RxDB ran it again
  // after every page, at a million products half a million rows each time; and at every start.)
  if (!meta.firstSyncDone) status.update({ firstSync: { ...status.get().firstSync, received: await countLive(db.products) } });

  // ---- replication --------------------------------------------------------------------
  const http = new HqHttp(identity.hqUrl, identity.registerToken, {
    onReachable: (ok) => status.reachable(now(), ok),
    onUnreachable: () => status.unreachable(now()),
  });
  // Looking up an order HQ has and this register does not: a person is waiting, so give up
  // sooner. The same token, renewal and refusal gate as the replication's requests.
  const lookupHttp = http.withTimeout(8000);
  let replication: Replication | null = null;

  // ---- token renewal: well before the token expires, swap it for a fresh one ------------
  let tokenExpiresAt = identity.tokenExpiresAt ?? null;
  let currentToken = identity.registerToken;
  let renewing = false;
  const renewIfDue = async (): Promise<void> => {
    const leftMs = tokenExpiresAt ? Date.parse(tokenExpiresAt) - Date.now() : 0;
    if (renewing || !opts.onTokenRenewed || leftMs > (opts.renewDaysBefore ?? 30) * 86_400_000) return;
    renewing = true;
    try {
      const renewed = await http.post<RenewedToken>('/api/registers/renew', {});
      // Keep it first: a crash after HQ revoked the old token but before saving would lock us out.
      await opts.onTokenRenewed({ registerToken: renewed.registerToken, expiresAt: renewed.expiresAt });
      http.setToken(renewed.registerToken);
      currentToken = renewed.registerToken;
      tokenExpiresAt = renewed.expiresAt;
    } catch {
      // Offline or HQ busy: try again at the next check.
    } finally {
      renewing = false;
    }
  };
  let renewTimer: ReturnType<typeof setInterval> | null = null;

  // ---- the public key goes to HQ (idempotent there), until HQ has acknowledged it ---------
  let keyTimer: ReturnType<typeof setInterval> | null = null;
  let stopKeyWatch: (() => void) | null = null;
  let sendingKey = false;
  const sendKey = async (): Promise<void> => {
    if (!keys || keys.registeredAt || sendingKey) return;
    sendingKey = true;
    try {
      await http.post<unknown>('/api/registers/key', { publicKey: keys.publicKey } satisfies RegisterKeyRequest);
      keys = { ...keys, registeredAt: now().toISOString() };
      await db.upsertLocal<StoredKeys>(KEYS, keys);
    } catch {
      // Offline, or HQ does not take it now: again later, or as soon as HQ is reached.
    } finally {
      sendingKey = false;
    }
  };

  if (opts.live !== false) {
    void renewIfDue();
    renewTimer = setInterval(() => void renewIfDue(), 6 * 3_600_000);
    // The first sync's pages bypass RxDB's change stream: the index and the progress get them here.
    const onBulkPage = (name: CatalogCollection, docs: { id: string; _deleted?: boolean }[]): void => {
      if (name === 'products') {
        let live = 0;
        for (const d of docs as (Parameters<ProductIndex['upsertProduct']>[0] & { _deleted?: boolean })[]) {
          if (index.applyProduct(d, d._deleted === true)) live++;
        }
        const firstSync = status.get().firstSync;
        const received = firstSync.received + live;
        status.update({ firstSync: { ...firstSync, received: firstSync.total === null ? received : Math.min(received, firstSync.total) } });
      } else {
        for (const d of docs as (Parameters<ProductIndex['upsertStock']>[0] & { _deleted?: boolean })[]) index.applyStock(d, d._deleted === true);
      }
      replicaChanged();
    };
    replication = startReplication(db, http, status, { storeId: identity.storeId, registerId: identity.registerId }, true, { onBulkPage, ...(opts.catalogPageSizes ? { catalogPageSizes: opts.catalogPageSizes } : {}) });
    void sendKey();
    keyTimer = setInterval(() => void sendKey(), KEY_RETRY_MS);
    let wasOnline = status.get().online;
    stopKeyWatch = status.subscribe((s) => {
      if (s.online && !wasOnline) void sendKey();
      wasOnline = s.online;
    });
    const fetchTotal = async (): Promise<void> => {
      for (let attempt = 0; !status.get().firstSync.done; attempt++) {
        try {
          const { total } = await http.get<CountResponse>('/api/replication/products/count');
          status.update({ firstSync: { ...status.get().firstSync, total } });
          return;
        } catch {
          await new Promise((r) => setTimeout(r, Math.min(5000, 500 * 2 ** attempt)));
        }
      }
    };
    void fetchTotal();
    void replication.awaitInitial().then(async () => {
      await saveMeta({ firstSyncDone: true });
      index.warm();
      status.update({ firstSync: { ...status.get().firstSync, done: true } });
      images.syncDone();
    });
  }

  // ---- the chain head: the last sale written here (authoritative), else HQ's --------------
  const lastSale = await db.sales.findOne({ selector: {}, sort: [{ seq: 'desc' }] }).exec();
  let head: ChainHead | null = lastSale ? { seq: lastSale.seq, hash: lastSale.hash } : null;
  if (meta.hqHead && (!head || meta.hqHead.seq > head.seq)) head = meta.hqHead;

  // ---- selling ----------------------------------------------------------------------
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const orders = createOrderMethods({
    db,
    storeId: identity.storeId,
    registerId: identity.registerId,
    http: lookupHttp,
    now,
    serial,
    sequence: {
      next: () => nextSequence(meta.lastOrderSequence, meta.hqLastOrderSequence),
      reserve: (seq) => saveMeta({ lastOrderSequence: seq }),
    },
  });

  const returns = createReturnMethods({
    db,
    storeId: identity.storeId,
    registerId: identity.registerId,
    http: lookupHttp,
    now,
    serial,
    sequence: {
      next: () => nextSequence(meta.lastReturnSequence, meta.hqLastReturnSequence),
      reserve: (seq) => saveMeta({ lastReturnSequence: seq }),
    },
    order: orders.order,
    keys: () => keys,
    hqMaybeReachable: () => status.get().online || status.get().offlineSince === null,
  });

  const attempts = new PinAttempts(
    () => now().getTime(),
    (await db.getLocal<{ operators: Record<string, PinAttemptState> }>(PIN_ATTEMPTS_DOC))?.get('operators') ?? {},
    async (operators) => {
      await db.upsertLocal(PIN_ATTEMPTS_DOC, { operators });
    },
  );
  const { methods: shifts, shiftOpen } = createShiftMethods({
    db,
    storeId: identity.storeId,
    registerId: identity.registerId,
    now,
    serial,
    sequence: {
      next: () => nextSequence(meta.lastShiftSequence, meta.hqLastShiftSequence),
      reserve: (seq) => saveMeta({ lastShiftSequence: seq }),
    },
    // The last number used of each sequence (or HQ's, after a reinstall): what a shift starts above.
    marks: () => ({
      sales: nextSequence(meta.lastSequence, meta.hqLastSequence) - 1,
      orderEvents: nextSequence(meta.lastOrderSequence, meta.hqLastOrderSequence) - 1,
      returns: nextSequence(meta.lastReturnSequence, meta.hqLastReturnSequence) - 1,
    }),
    attempts,
  });

  const endOfDay = createEndOfDayMethods({
    db,
    storeId: identity.storeId,
    registerId: identity.registerId,
    http: lookupHttp,
    now,
    syncNow: async () => {
      await replication?.syncNow();
    },
    online: () => status.get().online,
    shiftOpen,
  });

  const client: RegisterClient = {
    ...orders,
    ...returns,
    ...shifts,
    ...endOfDay,

    // A manager's PIN is limited like a sign-in: 5 wrong in a row lock that id out for a while.
    async approveAsManager(operatorId: string, pin: string) {
      const id = operatorId.trim();
      attempts.check(id);
      const approval = await orders.approveAsManager(id, pin);
      if (approval) await attempts.succeeded(id);
      else {
        await attempts.failed(id);
        attempts.check(id);
      }
      return approval;
    },

    get identity() {
      return {
        hqUrl: identity.hqUrl,
        storeId: identity.storeId,
        registerId: identity.registerId,
        registerToken: currentToken,
        ...(tokenExpiresAt ? { tokenExpiresAt } : {}),
      };
    },

    async searchProducts(query: string, limit = 20, scope: SearchScope = 'store'): Promise<ProductHit[]> {
      return index.search(query, limit, scope);
    },

    async categories(scope: SearchScope = 'store') {
      return index.categories(scope);
    },

    async browse(path: string, offset: number, limit: number, scope: SearchScope = 'store') {
      return index.browse(path, offset, limit, scope);
    },

    async availability(productId: string): Promise<Availability[]> {
      const locations = (await db.stores.find().exec()).map((d) => d.toJSON());
      const figures = new Map(index.stockOf(productId).map((s) => [s.locationId, s]));
      const hereLoc = locations.find((l) => l.id === identity.storeId);
      const from = hereLoc?.lat != null && hereLoc.lon != null ? { lat: hereLoc.lat, lon: hereLoc.lon } : null;
      return locations
        .map((loc): Availability => {
          const here = loc.id === identity.storeId;
          const f = figures.get(loc.id);
          const onHand = here ? index.onHandHere(productId) : (f?.onHand ?? null);
          const reserved = f?.reserved ?? (onHand === null ? null : 0);
          return {
            locationId: loc.id,
            name: loc.name,
            town: loc.town,
            kind: loc.kind,
            here,
            distanceMetres: here ? 0 : from && loc.lat != null && loc.lon != null ? distanceMetres(from, { lat: loc.lat, lon: loc.lon }) : null,
            onHand,
            reserved,
            available: onHand === null ? null : Math.max(0, onHand - (reserved ?? 0)),
            asOf: f?.asOf ?? null,
            soldHereNotBooked: here ? index.soldNotBooked(productId) : 0,
          };
        })
        .sort(
          (a, b) =>
            Number(b.here) - Number(a.here) ||
            (a.kind === b.kind ? 0 : a.kind === 'store' ? -1 : 1) ||
            (a.distanceMetres ?? Number.MAX_SAFE_INTEGER) - (b.distanceMetres ?? Number.MAX_SAFE_INTEGER) ||
            a.town.localeCompare(b.town, 'nl'),
        );
    },

    async findByCode(code: string): Promise<ProductHit | null> {
      return index.findByCode(code);
    },

    completeSale(cart: Cart, tenders: readonly TenderInput[], operatorId: string): Promise<CompletedSale & ChainLink> {
      return serial(async () => {
        // Reserve the number first: a crash after this leaves a gap, never a duplicate.
        const seq = nextSequence(meta.lastSequence, meta.hqLastSequence);
        const sale = seal(completeSale(cart, tenders, {
          storeId: identity.storeId,
          registerId: identity.registerId,
          seq,
          createdAt: now().toISOString(),
          operatorId,
        }), head);
        await saveMeta({ lastSequence: seq });
        // One document, one write: the sale is there whole or not at all.
        await db.sales.insert(sale);
        head = { seq: sale.seq, hash: sale.hash };
        return sale;
      });
    },

    async store() {
      const doc = await db.stores.findOne(identity.storeId).exec();
      return doc ? ({ ...doc.toJSON(), _deleted: false } as StoreDoc) : null;
    },

    async locations() {
      return (await db.stores.find().exec()).map((d) => ({ ...d.toJSON(), _deleted: false }) as StoreDoc);
    },

    async recentSales(limit = 20): Promise<CompletedSale[]> {
      const docs = await db.sales.find({ sort: [{ id: 'desc' }], limit }).exec();
      return docs.map((d) => d.toJSON() as unknown as SaleDoc).map(({ _deleted: _d, ...sale }) => sale as CompletedSale);
    },

    getStatus: (): SyncStatus => status.get(),
    subscribeStatus: (listener) => status.subscribe(listener),
    subscribeReplica(listener) {
      replicaListeners.add(listener);
      return () => replicaListeners.delete(listener);
    },

    async syncNow() {
      await replication?.syncNow();
    },

    async diagnostics(): Promise<Diagnostics> {
      // Counts only (no documents read), except HQ's refusals: there are few of those.
      const names = Object.keys(db.collections).sort() as (keyof RegisterDatabase['collections'])[];
      const documents: Record<string, number> = {};
      for (const name of names) documents[name] = await countLive(db.collections[name] as RxCollection<unknown>);
      const problems: DiagnosticAck[] = (await db.acks.find({ selector: { status: { $in: ['conflict', 'refused'] } } }).exec())
        .map((d) => d.toJSON())
        .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
        .slice(0, 20)
        .map((a) => ({ id: a.id, kind: a.kind, status: a.status as DiagnosticAck['status'], message: a.message, at: a.at }));
      const s = status.get();
      return {
        generatedAt: now().toISOString(),
        register: {
          storeId: identity.storeId,
          registerId: identity.registerId,
          hqUrl: identity.hqUrl,
          tokenPresent: Boolean(currentToken),
          tokenExpiresAt,
        },
        replica: { databaseName: databaseName(identity.storeId, identity.registerId), documents },
        sync: {
          online: s.online,
          offlineSince: s.offlineSince,
          lastSyncAt: s.lastSyncAt,
          waiting: s.pending,
          refused: s.refused,
          lastError: s.lastError,
          firstSyncDone: s.firstSync.done,
        },
        catalogImage: images.status(),
        receiptKey: keys ? { keyId: keys.keyId, publicKeyAtHq: keys.registeredAt !== null, registeredAt: keys.registeredAt } : null,
        sequences: {
          sales: { last: meta.lastSequence, hqAtEnrolment: meta.hqLastSequence },
          orderEvents: { last: meta.lastOrderSequence, hqAtEnrolment: meta.hqLastOrderSequence },
          returns: { last: meta.lastReturnSequence, hqAtEnrolment: meta.hqLastReturnSequence },
          shiftEvents: { last: meta.lastShiftSequence, hqAtEnrolment: meta.hqLastShiftSequence },
        },
        storage: await storageEstimate(),
        problems,
      };
    },

    async close() {
      if (renewTimer) clearInterval(renewTimer);
      if (keyTimer) clearInterval(keyTimer);
      stopKeyWatch?.();
      if (warmTimer) clearTimeout(warmTimer);
      images.close();
      if (replicaTimer) clearTimeout(replicaTimer);
      replicaListeners.clear();
      for (const s of subs) s.unsubscribe();
      await replication?.stop();
      await queue;
      stopLastSyncKeep();
      keepLastSync(status.get().lastSyncAt, true);
      await lastSyncWrite;
      await db.close();
    },
  };
  return client;
}
