import type { Cart } from '../../src/cart.ts';
import type { ChainLink } from '../../src/chain.ts';
import type { CompletedSale, TenderInput } from '../../src/sale.ts';
import type { ProductDoc, StoreDoc } from '../protocol/docs.ts';
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
  /** This register's sales, newest first. */
  recentSales(limit?: number): Promise<CompletedSale[]>;
  getStatus(): SyncStatus;
  subscribeStatus(listener: (status: SyncStatus) => void): () => void;
  /** Called (at most every 100 ms) after products, assortment or stock in the replica changed. */
  subscribeReplica(listener: () => void): () => void;
  /** Try to reach HQ now (pull everything, push everything). */
  syncNow(): Promise<void>;
  close(): Promise<void>;
}

/** What enrolment returns: the identity to keep, and where HQ's numbering and chain stand. */
export interface Enrolled extends RegisterIdentity {
  lastSequence: number;
  lastHash: string | null;
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
