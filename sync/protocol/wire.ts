import type { CollectionDocs, CollectionName } from './docs.ts';

/**
 * The replication wire, following RxDB's HTTP replication protocol.
 *
 * Pull:   GET  /api/replication/:collection/pull?xid=<xid8>&id=<id>&limit=<n>
 *         (no xid/id on the first pull) → PullResponse
 * Push:   POST /api/replication/:collection/push   body: PushRow[] → PushResponse (conflicts)
 * Count:  GET  /api/replication/:collection/count → { total } (documents in the register's scope)
 * Stream: GET  /api/replication/stream  (server-sent events, one stream for all collections)
 *         `event: change` with data ChangeEvent says "pull now"; the client answers every
 *         (re)connect with RESYNC, so a change missed while disconnected is still pulled.
 * Every call carries `Authorization: Bearer <register token>`.
 */

/**
 * Pull checkpoint: the writing transaction's id (xid8, as a decimal string) and the document
 * id. HQ serves rows ordered by (xid, id) and only rows whose transaction is older than every
 * transaction still running, so a late commit can never be skipped.
 */
export interface Checkpoint {
  xid: string;
  id: string;
}

export interface PullResponse<C extends CollectionName = CollectionName> {
  documents: CollectionDocs[C][];
  /** Null when there was nothing new; the client keeps its checkpoint. */
  checkpoint: Checkpoint | null;
}

export interface PushRow<T> {
  newDocumentState: T;
  assumedMasterState: T | null;
}

/** The master state of every row HQ did not take as sent. Empty when all rows were accepted. */
export type PushResponse<T> = T[];

export interface CountResponse {
  total: number;
}

export interface ChangeEvent {
  collections: CollectionName[];
}

/** Every error from HQ. `field` names the offending field when there is one (e.g. "rows[3].lines[0].quantity"). */
export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

export interface EnrolRequest {
  storeId: string;
  registerId: string;
}

export interface EnrolResponse {
  registerToken: string;
  storeId: string;
  registerId: string;
  /** Highest document sequence HQ has seen from this register (0 if none): numbering continues above it. */
  lastSequence: number;
  /** Hash of that record (the register's chain head at HQ), or null. */
  lastHash: string | null;
  /** Highest order-event sequence HQ has seen from this register (0 if none): order numbering continues above it. */
  lastOrderSequence: number;
  /** Highest return sequence HQ has seen from this register (0 if none): return numbering continues above it. */
  lastReturnSequence: number;
  /** Highest shift-event sequence HQ has seen from this register (0 if none; absent from an HQ before shifts). */
  lastShiftSequence?: number;
  /** When the register token expires (ISO); renew before with POST /api/registers/renew. */
  expiresAt: string;
}

export interface SalesListResponse {
  sales: (CollectionDocs['sales'] & { receivedAt: string })[];
}

/** GET /api/orders?q= (chain-wide search, register or admin token). */
export interface OrdersResponse {
  orders: CollectionDocs['orders'][];
}

/** POST /api/registers/key (register token): the register's public key for receipt codes. */
export interface RegisterKeyRequest {
  publicKey: string;
}

/** GET /api/sales/:receiptNo (register token of any store, or admin): a sale and every return of it. */
export interface SaleLookupResponse {
  sale: CollectionDocs['sales'] & { receivedAt: string };
  returns: CollectionDocs['returns'][];
}

/** GET /api/returns?origin=<receipt or order number>: every return of that sale or order, chain-wide. */
export interface ReturnsResponse {
  returns: CollectionDocs['returns'][];
}

export const DEFAULT_PULL_LIMIT = 1000;
export const MAX_PULL_LIMIT = 5000;
export const MAX_PUSH_ROWS = 500;
/** Request body limit HQ enforces (bytes). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
