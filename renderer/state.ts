import { create } from 'zustand';
import { type Cart, type SellableProduct, addToCart, emptyCart, removeLine, setQuantity } from '../src/cart.ts';
import type { Address, Customer, Fulfilment } from '../src/order.ts';
import type { CompletedSale } from '../src/sale.ts';
import type { OrderView, RegisterClient, SyncStatus } from '../sync/client/index.ts';

/** The register's session: which client is open, and what screen the cashier is on. */
interface SessionState {
  client: RegisterClient | null;
  status: SyncStatus | null;
  setClient(client: RegisterClient | null): void;
  setStatus(status: SyncStatus): void;
  /** Bumped whenever products, assortment or stock in the replica changed: lists re-read. */
  replicaVersion: number;
  replicaChanged(): void;
}

export const useSession = create<SessionState>((set) => ({
  client: null,
  status: null,
  setClient: (client) => set({ client, status: client?.getStatus() ?? null }),
  setStatus: (status) => set({ status }),
  replicaVersion: 0,
  replicaChanged: () => set((s) => ({ replicaVersion: s.replicaVersion + 1 })),
}));

type Payment = null | { kind: 'cash' } | { kind: 'card' };

/** The sale in progress: cart, payment dialog, the receipt of the last completed sale. */
interface SaleState {
  cart: Cart;
  payment: Payment;
  receipt: CompletedSale | null;
  message: string | null;
  add(product: SellableProduct): void;
  setQuantity(index: number, quantity: number): void;
  remove(index: number): void;
  openPayment(kind: 'cash' | 'card'): void;
  closePayment(): void;
  completed(sale: CompletedSale): void;
  newSale(): void;
  say(message: string | null): void;
}

export const useSale = create<SaleState>((set, get) => ({
  cart: emptyCart,
  payment: null,
  receipt: null,
  message: null,
  add: (product) => set({ cart: addToCart(get().cart, product), message: null }),
  setQuantity: (index, quantity) => {
    try {
      set({ cart: setQuantity(get().cart, index, quantity), message: null });
    } catch (e) {
      set({ message: (e as Error).message });
    }
  },
  remove: (index) => set({ cart: removeLine(get().cart, index) }),
  openPayment: (kind) => {
    if (get().cart.lines.length > 0) set({ payment: { kind } });
  },
  closePayment: () => set({ payment: null }),
  completed: (sale) => set({ receipt: sale, cart: emptyCart, payment: null, message: null }),
  newSale: () => set({ receipt: null, cart: emptyCart, payment: null, message: null }),
  say: (message) => set({ message }),
}));

/** Which screen the cashier is on besides the sale (and its receipt): customer orders. */
export type Screen =
  | { name: 'sale' }
  /** A new customer order made of the cart. */
  | { name: 'newOrder' }
  /** The confirmation of the order just made (printable). */
  | { name: 'orderCreated'; view: OrderView }
  /** Find an order; the orders ready for pick-up at this store. */
  | { name: 'orders' }
  /** One order; `initial` when it was just fetched (from HQ, say), so it shows at once. */
  | { name: 'order'; orderNo: string; initial?: OrderView }
  /** The receipt of a pick-up (printable); `eventId` is the pick-up it is for. */
  | { name: 'pickupReceipt'; view: OrderView; eventId: string };

interface NavState {
  screen: Screen;
  /** What was typed on the orders screen: kept when the cashier comes back from an order. */
  ordersQuery: string;
  go(screen: Screen): void;
  setOrdersQuery(query: string): void;
}

export const useNav = create<NavState>((set) => ({
  screen: { name: 'sale' },
  ordersQuery: '',
  go: (screen) => set({ screen }),
  setOrdersQuery: (ordersQuery) => set({ ordersQuery }),
}));

/** What the cashier chose for one cart line of a new order; unset fields take the defaults. */
export interface FulfilmentChoice {
  mode?: Fulfilment['mode'];
  pickupStoreId?: string;
  shipFromId?: string;
  deliveryModeId?: string;
}

/**
 * The new order being entered, kept while the cashier goes back to the sale to change the cart
 * (Esc) and comes back (F7). Forgotten as soon as the cart is empty: a sale completed, an order
 * made, every line removed — so the next customer never finds the last one's details.
 */
export interface OrderDraft {
  known: Customer | null;
  name: string;
  phone: string;
  email: string;
  address: Address;
  /** Per product id. */
  choices: Record<string, FulfilmentChoice>;
  /** null: the deposit follows the required one. */
  depositText: string | null;
}

export const EMPTY_ADDRESS: Address = { street: '', postcode: '', town: '', country: 'NL' };
const emptyDraft: OrderDraft = { known: null, name: '', phone: '', email: '', address: EMPTY_ADDRESS, choices: {}, depositText: null };

interface DraftState {
  draft: OrderDraft;
  setDraft(patch: Partial<OrderDraft> | ((draft: OrderDraft) => Partial<OrderDraft>)): void;
  clearDraft(): void;
}

export const useOrderDraft = create<DraftState>((set, get) => ({
  draft: emptyDraft,
  setDraft: (patch) => set({ draft: { ...get().draft, ...(typeof patch === 'function' ? patch(get().draft) : patch) } }),
  clearDraft: () => set({ draft: emptyDraft }),
}));

useSale.subscribe((s) => {
  if (s.cart.lines.length === 0 && useOrderDraft.getState().draft !== emptyDraft) useOrderDraft.getState().clearDraft();
});
