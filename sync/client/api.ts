import type { Cart } from '../../src/cart.ts';
import type { Cents } from '../../src/money.ts';
import type { ChainLink } from '../../src/chain.ts';
import type { Customer, DepositOverride, NewOrderLine, OrderSettings, OrderState } from '../../src/order.ts';
import type { Approval as ReturnApproval, CompletedReturn, RefundTender, ReturnInputLine, ReturnOrigin, ReturnableLine } from '../../src/returns.ts';
import type { CompletedSale, Tender, TenderInput } from '../../src/sale.ts';
import type { CashCountLine, CashInReason, CashOutReason, ShiftClosed, ShiftEvent, ShiftOpened, ShiftReport } from '../../src/shift.ts';
import type { ProductDoc, PushCollection, StoreDoc } from '../protocol/docs.ts';
import type { CollectionHolding, HoldingsAlert, HoldingsOrderException } from '../protocol/holdings.ts';
import type { CategoryNode } from './search-index.ts';

/**
 * What the register's UI may ask of its replica and sync. The renderer uses only this
 * (and src/ for rules); it never calls HQ itself.
 */

/** A product as the register shows it: the catalog entry plus what this store knows of it. */
export interface ProductHit extends Omit<ProductDoc, '_deleted'> {
  /** In this store's assortment today (date-effective lines, evaluated on the register's day). */
  inAssortment: boolean;
  /** On hand at this store as last known (less this register's sales HQ has not booked), or null when HQ sent no figure. */
  onHandHere: number | null;
  /** Available (on hand less reserved) at other stores and warehouses together, and at how many of them. */
  availableElsewhere: number;
  locationsElsewhere: number;
}

/**
 * Where a search looks: this store's assortment today, the chain's whole released catalog, or
 * what other stores and warehouses have available now (by their stock figures).
 */
export type SearchScope = 'store' | 'catalog' | 'elsewhere';
export const SEARCH_SCOPES: readonly SearchScope[] = ['store', 'catalog', 'elsewhere'];

/** Stock of one product at one location, as last received from HQ. */
export interface Availability {
  locationId: string;
  name: string;
  town: string;
  kind: 'store' | 'warehouse';
  /** This register's own store. */
  here: boolean;
  /** As the crow flies from this store; null when either place has no coordinates. */
  distanceMetres: number | null;
  /** null: HQ sent no figure for this location. Here: HQ's figure less this register's sales HQ has not booked yet. */
  onHand: number | null;
  reserved: number | null;
  available: number | null;
  /** When HQ's figure was taken (ISO). */
  asOf: string | null;
  /** Here: units this register sold that HQ's figure does not include yet (already subtracted from onHand). */
  soldHereNotBooked: number;
}

export type { CategoryNode };

export interface FirstSyncProgress {
  /** Products in the replica so far. */
  received: number;
  /** Products HQ has for this register (from the count endpoint), or null before it answered. */
  total: number | null;
  done: boolean;
}

export interface SyncStatus {
  online: boolean;
  /** ISO time the register lost HQ, or null while online. */
  offlineSince: string | null;
  /** Records made here that HQ has not acknowledged yet. */
  pending: number;
  /** Records HQ refused (invalid, or the same number with another body); kept here, listed for the manager. */
  refused: number;
  /** ISO time of the last successful exchange with HQ. */
  lastSyncAt: string | null;
  firstSync: FirstSyncProgress;
  /** The last error HQ returned for a push (e.g. a refused record, with field and reason), or null. */
  lastError: string | null;
  /**
   * HQ's error code of a pull or push HQ keeps refusing (`token_revoked`, `token_expired`,
   * `unauthorized`, …) while lastError shows its message; null otherwise.
   */
  lastErrorCode: string | null;
  /**
   * The record lastError is about, when it is one HQ refused (`lastErrorCode` `record_refused`)
   * or holds another body under the same number (`record_conflict`, `others` more besides);
   * null otherwise.
   */
  lastErrorRecord: { collection: PushCollection; id: string; others: number } | null;
}

export interface RegisterIdentity {
  hqUrl: string;
  storeId: string;
  registerId: string;
  registerToken: string;
  /** When registerToken expires (ISO), if known; the register renews it well before. */
  tokenExpiresAt?: string;
}

export interface RegisterClient {
  readonly identity: RegisterIdentity;
  /**
   * Search by name (words, any order, prefix), item number or barcode: in this store's
   * assortment (scope 'store', the default) or in the chain's whole released catalog ('catalog').
   */
  searchProducts(query: string, limit?: number, scope?: SearchScope): Promise<ProductHit[]>;
  /** The category tree with product counts, in the scope's products. */
  categories(scope?: SearchScope): Promise<CategoryNode[]>;
  /** One page of a category's products (and its subcategories'), sorted by name. */
  browse(path: string, offset: number, limit: number, scope?: SearchScope): Promise<{ total: number; hits: ProductHit[] }>;
  /** A product's stock at every store and warehouse, from the replica (this store first). */
  availability(productId: string): Promise<Availability[]>;
  /** Exact barcode (EAN-13) or item number lookup, for the scanner. */
  findByCode(code: string): Promise<ProductHit | null>;
  /**
   * Completes a sale: reserves the next document number, builds the immutable record with
   * src/sale.ts and writes it in one local write. Returns the record for the receipt.
   * Throws (and writes nothing) when the cart or tenders do not make a complete sale.
   */
  completeSale(cart: Cart, tenders: readonly TenderInput[], operatorId: string): Promise<CompletedSale & ChainLink>;
  /** This register's own store, from the replica (null before the first sync). */
  store(): Promise<StoreDoc | null>;
  /** Every store and warehouse of the chain, from the replica (names for order screens). */
  locations(): Promise<StoreDoc[]>;
  /** This register's sales, newest first. */
  recentSales(limit?: number): Promise<CompletedSale[]>;
  getStatus(): SyncStatus;
  subscribeStatus(listener: (status: SyncStatus) => void): () => void;
  /** Called (at most every 100 ms) after products, assortment, stock, orders (HQ's or this register's events), the order settings or returns (this register's or HQ's) in the replica changed. */
  subscribeReplica(listener: () => void): () => void;
  // ---- customer orders (src/order.ts) -------------------------------------------------------
  /** The chain's order settings from the replica (deposit share, cancellation charge, delivery modes). */
  orderSettings(): Promise<OrderSettings>;
  /** Customers known to this register (from orders in its replica), matching a name, phone or e-mail. */
  findCustomers(query: string, limit?: number): Promise<Customer[]>;
  /** Makes an order: one created event, numbered without HQ, written in one local write. */
  createOrder(order: NewOrder, operatorId: string): Promise<OrderView>;
  /** Orders in the replica (and this register's own) matching a number, customer name or phone; newest first. */
  findOrders(query: string, limit?: number): Promise<OrderSummary[]>;
  /** Orders with open lines to be picked up at this store. */
  ordersForPickup(limit?: number): Promise<OrderSummary[]>;
  /**
   * An order by number: from the replica (folded with this register's own events), or — when it
   * was never replicated here — from HQ when online. null when neither has it (offline: says so by throwing).
   */
  order(orderNo: string): Promise<OrderView | null>;
  pickUpOrder(orderNo: string, lineNos: number[], tenders: TenderInput[], operatorId: string): Promise<OrderView>;
  cancelOrder(orderNo: string, lineNos: number[], method: 'cash' | 'card', reason: string, operatorId: string): Promise<OrderView>;
  addDeposit(orderNo: string, amountCents: number, tenders: TenderInput[], operatorId: string): Promise<OrderView>;
  /** Checks a manager's id and PIN against the replica (offline too); null when wrong or not a manager. */
  approveAsManager(operatorId: string, pin: string): Promise<Approval | null>;
  // ---- returns (src/returns.ts) ---------------------------------------------------------------
  /**
   * Finds what a return with a receipt starts from: a receipt number (this register's own sale
   * from the replica, any other from HQ when online), an order number (its handed-out lines), or
   * a scanned receipt code (verified offline against the registers' public keys). Throws with a
   * message a cashier can read: not found, HQ unreachable, a forged or altered code.
   */
  findReturnSource(input: string): Promise<ReturnSource>;
  /**
   * Completes a return (with a source, or without a receipt: source null, a manager's approval
   * required, flagged for review) and writes it in one local write; numbered RET-… without HQ.
   */
  completeReturn(
    input: { source: ReturnSource | null; lines: ReturnInputLine[]; refunds: RefundTender[]; approval: ReturnApproval | null },
    operatorId: string,
  ): Promise<CompletedReturn>;
  // ---- operators and shifts (src/shift.ts) -----------------------------------------------------
  /**
   * Checks an operator's id and PIN against the replica (offline too). Throws a SignInError a
   * cashier can read: wrong id or PIN (the same message for both), or locked out for a while
   * after 5 wrong PINs in a row for that id (30 s, doubling).
   */
  signIn(operatorId: string, pin: string): Promise<OperatorSession>;
  /** The shift open at this register, its events and its X report; null when none is open. */
  shift(): Promise<ShiftView | null>;
  /** Opens a shift with its starting float; throws when one is open already. */
  openShift(floatCents: Cents, operatorId: string): Promise<ShiftView>;
  /** Cash into or out of the drawer (float top-up, safe drop, …) with a reason. */
  moveCash(move: { direction: 'in' | 'out'; amountCents: Cents; reason: CashInReason | CashOutReason; note: string }, operatorId: string): Promise<ShiftView>;
  /** Closes the open shift with the cash counted per denomination: the Z report. */
  closeShift(counted: readonly CashCountLine[], operatorId: string): Promise<ShiftClosed>;
  /** This register's closed shifts (with their Z reports), newest first. */
  closedShifts(limit?: number): Promise<ShiftClosed[]>;
  // ---- end of day --------------------------------------------------------------------------------
  /**
   * The manager's end-of-day sync: pushes and pulls everything (progress reported while it runs),
   * then compares what HQ holds of this register with what it made, and lists what HQ refused,
   * the store's open alerts and order exceptions. Never throws for HQ being unreachable: the
   * check says so.
   */
  endOfDay(onProgress?: (progress: EndOfDayProgress) => void): Promise<EndOfDayCheck>;
  /** Marks the day done after checking again; throws DayNotDoneError (with the check) when something blocks it. */
  markDayDone(operatorId: string): Promise<DayDone>;
  /** When the day was last marked done here, by whom. */
  lastDayDone(): Promise<DayDone | null>;
  /** The signed code for a sale's receipt (the QR code), or null while this register has no key yet. */
  receiptCode(sale: CompletedSale): Promise<string | null>;
  /** Try to reach HQ now (pull everything, push everything). */
  syncNow(): Promise<void>;
  /**
   * What IT needs to look at this register (the Support screen and its export): identity
   * (never the token itself), replica counts, sync state, sequences, storage, HQ's refusals.
   */
  diagnostics(): Promise<Diagnostics>;
  close(): Promise<void>;
}

/** A record HQ did not take as it was (an ack other than ok), for IT. */
export interface DiagnosticAck {
  id: string;
  kind: PushCollection;
  status: 'conflict' | 'refused';
  message: string;
  at: string;
}

/**
 * The register's facts for IT support. Holds no secret: no token (only whether there is one
 * and when it expires), no private key (only the receipt key's id), no PINs.
 */
/** The catalog image a register starts from (see sync/client/catalog-image.ts). */
export interface CatalogImageStatus {
  /** Whether this register's storage can keep one (RxDB on IndexedDB). */
  available: boolean;
  /** When the image in use or last built was taken (ISO), or null when there is none yet. */
  builtAt: string | null;
  /** Products and stock figures in it. */
  products: number;
  stock: number;
  /** Whether this start loaded it (else the replica was read row by row). */
  usedAtStart: boolean;
  /** Whether the running index stands on it (from the start, or moved onto it once it was built). */
  inUse: boolean;
  /** Product and stock changes after it, applied at start or since: at 5,000 it is rebuilt. */
  changesSince: number;
  building: boolean;
  /** The last build in this session: when, and how long reading, building and writing took. */
  lastBuild: { at: string; products: number; stock: number; readMs: number; buildMs: number; writeMs: number } | null;
  /** Why the last build or load failed, if it did. */
  error: string | null;
}

export interface Diagnostics {
  /** When these facts were gathered (ISO). */
  generatedAt: string;
  register: {
    storeId: string;
    registerId: string;
    hqUrl: string;
    /** Whether the register holds a token (the token itself is never part of diagnostics). */
    tokenPresent: boolean;
    /** When the token expires (ISO), if known. */
    tokenExpiresAt: string | null;
  };
  replica: {
    /** The RxDB (IndexedDB) database name, `kassa-<store>-<register>`. */
    databaseName: string;
    /** Live documents per collection (count queries). */
    documents: Record<string, number>;
  };
  sync: {
    online: boolean;
    offlineSince: string | null;
    lastSyncAt: string | null;
    /** Records made here HQ has not answered yet. */
    waiting: number;
    /** Records HQ refused or holds another body of. */
    refused: number;
    lastError: string | null;
    firstSyncDone: boolean;
  };
  catalogImage: CatalogImageStatus;
  /** This register's receipt-code key (its id, never the private key), or null while it has none. */
  receiptKey: { keyId: string; publicKeyAtHq: boolean; registeredAt: string | null } | null;
  /** Numbering reached here, and the highest HQ held at enrolment (numbers continue above both). */
  sequences: {
    sales: { last: number; hqAtEnrolment: number };
    orderEvents: { last: number; hqAtEnrolment: number };
    returns: { last: number; hqAtEnrolment: number };
    shiftEvents: { last: number; hqAtEnrolment: number };
  };
  /** navigator.storage.estimate(), or null where the browser has none. */
  storage: { usageBytes: number | null; quotaBytes: number | null } | null;
  /** The latest records HQ refused or answered with a conflict (newest first, at most 20). */
  problems: DiagnosticAck[];
}

/** An order in a list: enough to pick it (search results, "ready for pick-up here"). */
export interface OrderSummary {
  orderNo: string;
  customerName: string;
  customerPhone: string | null;
  status: OrderState['status'];
  /** Stores where open lines wait to be picked up. */
  pickupStores: string[];
  /** Open lines to be picked up at this register's store. */
  pickupHere: number;
  balanceCents: number;
  exceptions: number;
  createdAt: string;
  storeId: string;
}

/** Where an order on screen comes from. */
export type OrderSource = 'replica' | 'hq';

export interface OrderView {
  state: OrderState;
  /** 'replica': this register's copy (works offline). 'hq': fetched from HQ just now (never replicated here). */
  source: OrderSource;
  /** Events made at this register that HQ has not confirmed yet (shown as "not yet at HQ"). */
  pendingEventIds: string[];
}

/** A manager who approved something at this register (PIN checked against the replica). */
export interface EndOfDayProgress {
  phase: 'sending' | 'checking' | 'done';
  /** Records HQ has answered, of `total` made here. */
  done: number;
  total: number;
}

/** The end-of-day checklist. */
export interface EndOfDayCheck {
  at: string;
  /** HQ's clock when it answered; null when it could not be reached. */
  hqAt: string | null;
  hqError: string | null;
  /** Per pushed collection: what the register made, what HQ holds, what HQ refused, how many have not reached HQ. */
  collections: {
    kind: PushCollection;
    local: CollectionHolding;
    hq: CollectionHolding | null;
    refused: number;
    /** null: unknown (HQ not reached). */
    unsent: number | null;
    confirmed: boolean;
  }[];
  unsent: number;
  /** Records HQ refused (with its reason) or answered with a conflict. */
  refused: { id: string; kind: PushCollection; status: 'refused' | 'conflict'; message: string; at: string }[];
  alerts: HoldingsAlert[];
  openAlerts: number;
  orderExceptions: HoldingsOrderException[];
  shiftOpen: boolean;
  /** Why the day cannot be marked done yet (empty: it can). */
  blockers: ('hqUnreachable' | 'unsent' | 'shiftOpen')[];
}

export interface DayDone {
  at: string;
  operatorId: string;
  /** Records made here at that moment, per collection (all confirmed by HQ). */
  counts: Record<PushCollection, number>;
}

/** The operator signed in at the register. */
export interface OperatorSession {
  operatorId: string;
  name: string;
  role: 'cashier' | 'manager';
  signedInAt: string;
}

/** The open shift: its opening, its events so far, and the X report as of now. */
export interface ShiftView {
  opened: ShiftOpened;
  events: ShiftEvent[];
  report: ShiftReport;
}

export interface Approval {
  managerId: string;
  name: string;
}

export interface NewOrder {
  customer: Customer;
  lines: NewOrderLine[];
  depositCents: number;
  override: DepositOverride | null;
  tenders: TenderInput[];
}

/** What a return with a receipt starts from: the original sale or order, and what can still come back. */
export interface ReturnSource {
  /** With verifiedBy: 'replica' (this register's copy), 'hq' (asked HQ just now), 'code' (the receipt's signed code, checked offline). */
  origin: Exclude<ReturnOrigin, { kind: 'none' }>;
  /** The original lines (names from the catalog when the code left them out) with sold, returned, returnable. */
  lines: ReturnableLine[];
  /** How the original was paid (a sale's tenders; an order's: none, the cashier chooses). */
  tenders: Tender[];
  /** Refunds already given for it, as far as this register knows. */
  priorRefunds: RefundTender[];
  /** When the original was made (ISO). */
  createdAt: string;
  /**
   * Said on screen when returns elsewhere may be unknown here (offline, or verified from the
   * code only): "HQ checks for returns made elsewhere". null when HQ was asked.
   */
  caveat: string | null;
}

/** What enrolment returns: the identity to keep, and where HQ's numbering and chain stand. */
export interface Enrolled extends RegisterIdentity {
  lastSequence: number;
  lastHash: string | null;
  /** The highest order-event sequence HQ holds of this register: order numbers continue above it. */
  lastOrderSequence: number;
  /** The highest return sequence HQ holds of this register: return numbers continue above it. */
  lastReturnSequence: number;
  /** The highest shift-event sequence HQ holds of this register: shift numbers continue above it. */
  lastShiftSequence: number;
  /** When the register token expires (ISO). */
  expiresAt: string;
}

/** A renewed register token, for the host to keep (config file or browser storage). */
export interface RenewedToken {
  registerToken: string;
  expiresAt: string;
}

export interface EnrolmentApi {
  /** HQ's stores and warehouses (no token needed), for the first-start screen. */
  listStores(hqUrl: string): Promise<StoreDoc[]>;
  /** Enrols the register with IT's enrolment token; returns the identity to persist. */
  enrol(hqUrl: string, storeId: string, registerId: string, enrolmentToken: string): Promise<Enrolled>;
}
