import { create } from 'zustand';
import { type Cart, type SellableProduct, addToCart, emptyCart, removeLine, setQuantity } from '../src/cart.ts';
import type { CompletedSale } from '../src/sale.ts';
import type { RegisterClient, SyncStatus } from '../sync/client/index.ts';

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
