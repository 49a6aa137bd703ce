import type { OrderExceptionKind, OrderStatus } from '../../src/order.ts';
import type { PushCollection } from './docs.ts';

/**
 * GET /api/registers/me/holdings (register token): what HQ holds of this register, for the
 * end-of-day screen. The register compares each collection's count and highest sequence with its
 * own: equal means everything it made has reached HQ. Besides, what a manager must look at before
 * leaving: the open alerts of the register's store and the order exceptions concerning it.
 */

/** What HQ holds of one collection a register pushes: records of this register and the highest sequence among them (0: none). */
export interface CollectionHolding {
  count: number;
  lastSeq: number;
}

export interface HoldingsAlert {
  /** cash_difference, double_return, return_review, conflicting_record, chain_gap, … */
  kind: string;
  /** The record it is about (a shift event, a return, a sale, an original line). */
  recordId: string;
  /** The register that sent the record (null: none). */
  registerId: string | null;
  message: string;
  /**
   * The money the alert is about, signed from the chain's side as order exceptions are:
   * negative, the chain is short or paid it out (a drawer short, a refund too much, a refund
   * without a receipt); positive, the chain holds more (a drawer over). null for alerts about
   * records rather than money (conflicts, chain findings).
   */
  amountCents: number | null;
  /** When HQ raised it (ISO). */
  createdAt: string;
}

/** One exception of an order the store replicates (as GET /api/orders/exceptions?storeId= lists them). */
export interface HoldingsOrderException {
  orderNo: string;
  orderStatus: OrderStatus;
  kind: OrderExceptionKind;
  lineNo: number;
  eventId: string;
  /** The store whose event it is. */
  storeId: string;
  /** Positive: the chain holds money the customer is owed. Negative: the chain is short. */
  amountCents: number;
  message: string;
}

export interface HoldingsResponse {
  storeId: string;
  registerId: string;
  /** HQ's clock when it answered (ISO). */
  at: string;
  collections: Record<PushCollection, CollectionHolding>;
  /** Open alerts of the register's store, newest first, at most MAX_HOLDINGS_ALERTS. */
  alerts: HoldingsAlert[];
  /** How many alerts of the store are open in all. */
  openAlerts: number;
  /** Exceptions of orders the store replicates, newest order first. */
  orderExceptions: HoldingsOrderException[];
}

export const MAX_HOLDINGS_ALERTS = 200;
/** Orders with exceptions whose exceptions the holdings list (newest first). */
export const MAX_HOLDINGS_EXCEPTION_ORDERS = 200;
