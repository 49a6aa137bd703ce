import type { ChainLink } from '../../src/chain.ts';
import type { OrderEvent, OrderSettings } from '../../src/order.ts';
import type { ShiftEvent } from '../../src/shift.ts';
import type { CompletedReturn } from '../../src/returns.ts';
import type { CompletedSale } from '../../src/sale.ts';
import type { VatClass } from '../../src/vat.ts';

/**
 * The documents that travel between a register and HQ. Every document has a string `id` and
 * RxDB's `_deleted` flag. Master data flows HQ → register (pull); records made at a register
 * flow register → HQ (push) and are immutable.
 */

export interface StoreDoc {
  id: string;
  name: string;
  town: string;
  kind: 'store' | 'warehouse';
  /** Register ids of this store, e.g. ["01", "02", "03"]. Empty for a warehouse. */
  registers: string[];
  /** Store groups it belongs to ("GROOT"): a group's assortment lines are its lines too. Empty for a warehouse. */
  groups: string[];
  /** Where it is (WGS 84 degrees), for the distance shown beside its stock; null when HQ has no coordinates. */
  lat: number | null;
  lon: number | null;
  /**
   * Register id → every public key (ECDSA P-256, raw, base64url) that register has signed
   * receipt codes with (sync/protocol/receipt-code.ts): any register can check any receipt
   * code offline. Empty for a warehouse.
   */
  registerKeys: Record<string, string[]>;
  _deleted: boolean;
}

/** A released product of the chain's catalog. Shelf price includes VAT. */
export interface ProductDoc {
  id: string;
  itemNumber: string;
  /** EAN-13, or null for a product without a barcode. */
  barcode: string | null;
  name: string;
  category: string;
  priceCents: number;
  vat: VatClass;
  _deleted: boolean;
}

/**
 * A date-effective assortment line: store `storeId` — or every store of group `groupId` —
 * carries `productId` from validFrom to validTo (inclusive). Exactly one of the two is set; a
 * store's own lines for a product override its groups' (src/assortment.ts).
 */
export interface AssortmentDoc {
  id: string;
  storeId: string | null;
  groupId: string | null;
  productId: string;
  /** ISO date YYYY-MM-DD. */
  validFrom: string;
  /** ISO date YYYY-MM-DD, or null for open-ended. */
  validTo: string | null;
  _deleted: boolean;
}

/** Stock of one product at one location (store or warehouse), as HQ last knew it. */
export interface StockDoc {
  id: string;
  locationId: string;
  productId: string;
  onHand: number;
  reserved: number;
  /** When HQ recorded the figure (ISO timestamp). */
  asOf: string;
  /**
   * Register id → the highest sale sequence of that register HQ has booked into `onHand` (only
   * the location's own registers appear). A register subtracts its own sales above its mark
   * itself, so its figure drops at once, offline too, and never counts a sale twice.
   */
  booked: Record<string, number>;
  _deleted: boolean;
}

export interface SaleDoc extends CompletedSale, ChainLink {
  _deleted: boolean;
}

/** An order event a register made (src/order.ts); immutable, pushed to HQ. */
export type OrderEventDoc = OrderEvent & { _deleted: boolean };

/**
 * An order as HQ holds it: every event it has, in the fold's order. A register folds these with
 * its own events HQ has not confirmed yet (src/order.ts foldOrder), so it shows what HQ will
 * decide. The other fields are HQ's fold, for lists and search.
 */
export interface OrderDoc {
  /** The order number, ORD-<store>-<register>-<seq>. */
  id: string;
  /** Where it was made. */
  storeId: string;
  /** Every store that replicates it: where it was made, its pick-up stores, stores that acted on it. */
  stores: string[];
  customerName: string;
  customerPhone: string | null;
  status: 'open' | 'partly' | 'completed' | 'cancelled';
  /** Open lines wait to be picked up at these stores. */
  pickupStores: string[];
  exceptions: number;
  createdAt: string;
  events: OrderEvent[];
  _deleted: boolean;
}

/** The chain's settings a register needs (one document, id "orders"). */
export interface SettingsDoc extends OrderSettings {
  id: string;
  _deleted: boolean;
}

/**
 * A store's operator, as the register needs them to check a PIN offline: the PIN only as a
 * slow hash (PBKDF2-SHA-256, sync/protocol/pin.ts), never in plain text.
 */
export interface OperatorDoc {
  id: string;
  name: string;
  role: 'cashier' | 'manager';
  /** null: every store of the chain. */
  storeId: string | null;
  pinHash: string;
  pinSalt: string;
  pinIterations: number;
  _deleted: boolean;
}

/**
 * A return (src/returns.ts): pushed by the register that took it, and pulled by the registers
 * of the store it was taken at and of the store the goods were bought at, so both know what is
 * left returnable.
 */
export type ReturnDoc = CompletedReturn & { _deleted: boolean };

/** A shift event (src/shift.ts): opened, cash moved in or out, closed with its Z report. Pushed. */
export type ShiftEventDoc = ShiftEvent & { _deleted: boolean };

export interface CollectionDocs {
  stores: StoreDoc;
  products: ProductDoc;
  assortment: AssortmentDoc;
  stock: StockDoc;
  sales: SaleDoc;
  orders: OrderDoc;
  orderEvents: OrderEventDoc;
  settings: SettingsDoc;
  operators: OperatorDoc;
  returns: ReturnDoc;
  shiftEvents: ShiftEventDoc;
}

export type CollectionName = keyof CollectionDocs;

/** Collections a register pulls from HQ (master data, scoped to the register's store where it says so). */
export const PULL_COLLECTIONS = ['stores', 'products', 'assortment', 'stock', 'orders', 'settings', 'operators', 'returns'] as const satisfies readonly CollectionName[];
/** Collections a register pushes to HQ (immutable records it made). */
export const PUSH_COLLECTIONS = ['sales', 'orderEvents', 'returns', 'shiftEvents'] as const satisfies readonly CollectionName[];

export type PullCollection = (typeof PULL_COLLECTIONS)[number];
export type PushCollection = (typeof PUSH_COLLECTIONS)[number];

export function isPullCollection(name: string): name is PullCollection {
  return (PULL_COLLECTIONS as readonly string[]).includes(name);
}
export function isPushCollection(name: string): name is PushCollection {
  return (PUSH_COLLECTIONS as readonly string[]).includes(name);
}
