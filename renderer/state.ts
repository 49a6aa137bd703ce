import { create } from 'zustand';
import { type Cart, type ManagerApproval, type SellableProduct, addToCart, emptyCart, overridePrice, removeLine, setQuantity } from '../src/cart.ts';
import type { Address, Customer, Fulfilment } from '../src/order.ts';
import type { CompletedReturn, ReturnReason } from '../src/returns.ts';
import type { CompletedSale } from '../src/sale.ts';
import type { ShiftClosed } from '../src/shift.ts';
import type { VatClass } from '../src/vat.ts';
import type { OperatorSession, OrderView, RegisterClient, ReturnSource, ShiftView, SyncStatus } from '../sync/client/index.ts';

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

/**
 * Who works the register: the operator signed in (their id goes on every record), and whether
 * the register is locked (idle too long, or locked by hand) — the sale stays as it was.
 */
interface OperatorState {
  operator: OperatorSession | null;
  locked: boolean;
  signedIn(operator: OperatorSession): void;
  lock(): void;
  signOut(): void;
}

export const useOperator = create<OperatorState>((set, get) => ({
  operator: null,
  locked: false,
  signedIn: (operator) => set({ operator, locked: false }),
  lock: () => {
    if (get().operator) set({ locked: true });
  },
  signOut: () => set({ operator: null, locked: false }),
}));

/** The signed-in operator's id, for the records this register makes. */
export function operatorId(): string {
  const op = useOperator.getState().operator;
  if (!op) throw new Error('No operator is signed in');
  return op.operatorId;
}

/** The shift open at this register (undefined: not read yet; null: none open). */
interface ShiftState {
  shift: ShiftView | null | undefined;
  setShift(shift: ShiftView | null): void;
  refresh(client: RegisterClient): Promise<void>;
}

export const useShift = create<ShiftState>((set) => ({
  shift: undefined,
  setShift: (shift) => set({ shift }),
  refresh: async (client) => set({ shift: await client.shift() }),
}));

type Payment = null | { kind: 'cash' } | { kind: 'card' };

/** The index of the cart's line of a product; throws when the line is gone. */
function lineOf(cart: Cart, productId: string): number {
  const index = cart.lines.findIndex((l) => l.productId === productId);
  if (index < 0) throw new RangeError(`${productId} is no longer in the cart`);
  return index;
}

/** The sale in progress: cart, payment dialog, the receipt of the last completed sale. */
interface SaleState {
  cart: Cart;
  payment: Payment;
  receipt: CompletedSale | null;
  message: string | null;
  add(product: SellableProduct): void;
  /** Raises a line's quantity (lowering one is a void: `voidItems`). A refusal shows as the message. */
  setQuantity(index: number, quantity: number): void;
  /**
   * A void a manager approved: the line of `productId` down to `quantity` (0 removes it), recorded
   * on the cart. Throws what the cart refused, changing nothing.
   */
  voidItems(productId: string, quantity: number, approval: ManagerApproval): void;
  /** Another unit price a manager approved for the line of `productId`. Throws what the cart refused, changing nothing. */
  overridePrice(productId: string, unitPriceCents: number, approval: ManagerApproval): void;
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
  voidItems: (productId, quantity, approval) => {
    const cart = get().cart;
    const index = lineOf(cart, productId);
    set({ cart: quantity === 0 ? removeLine(cart, index, approval) : setQuantity(cart, index, quantity, approval), message: null });
  },
  overridePrice: (productId, unitPriceCents, approval) => {
    const cart = get().cart;
    set({ cart: overridePrice(cart, lineOf(cart, productId), unitPriceCents, approval), message: null });
  },
  openPayment: (kind) => {
    if (get().cart.lines.length > 0) set({ payment: { kind } });
  },
  closePayment: () => set({ payment: null }),
  completed: (sale) => set({ receipt: sale, cart: emptyCart, payment: null, message: null }),
  newSale: () => set({ receipt: null, cart: emptyCart, payment: null, message: null }),
  say: (message) => set({ message }),
}));

/** Which screen the cashier is on besides the sale (and its receipt): customer orders, returns. */
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
  | { name: 'pickupReceipt'; view: OrderView; eventId: string }
  /** A return: find the receipt or order (or none), choose what comes back, refund. */
  | { name: 'returns' }
  /** The receipt of the return just completed (printable). */
  | { name: 'returnReceipt'; ret: CompletedReturn }
  /** For IT: identity, replica, sync state, and the diagnostics export. */
  | { name: 'support' }
  /** The open shift: X report, cash in and out, closing with the count. */
  | { name: 'shift' }
  /** The Z report of a shift just closed (printable). */
  | { name: 'zReport'; closed: ShiftClosed }
  /** The manager's end-of-day sync and checklist. */
  | { name: 'endOfDay' };

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

// ---- returns -------------------------------------------------------------------------------------

/** What the cashier entered for one line of the original (by its line number). */
export interface ReturnChoice {
  /** As typed; '' is 0. */
  quantity: string;
  reason: ReturnReason | '';
}

/** A product brought back without a receipt, at today's price. */
export interface BlindLine {
  productId: string;
  itemNumber: string;
  barcode: string | null;
  name: string;
  unitPriceCents: number;
  vat: VatClass;
  quantity: string;
  reason: ReturnReason | '';
}

/** A manager's approval of a return without a receipt, for exactly the return it was given for. */
export interface ReturnManagerApproval {
  managerId: string;
  name: string;
  reason: string;
  /** The lines and refund it approved (a key): once they change, the approval no longer counts. */
  forKey: string;
}

/**
 * The return being entered: the lookup, then either the source found (with a choice per
 * original line) or a return without a receipt (products, reasons, how to pay, approval).
 * Cleared when the return is completed or the cashier goes back to the sale.
 */
export interface ReturnDraft {
  query: string;
  mode: 'lookup' | 'source' | 'blind';
  source: ReturnSource | null;
  choices: Record<number, ReturnChoice>;
  /** For a source without tenders (an order): how the refund goes back. */
  method: 'cash' | 'card';
  blindLines: BlindLine[];
  payAs: 'storeCredit' | 'cash';
  approval: ReturnManagerApproval | null;
  /** Look `query` up as soon as the return screen shows (a receipt code scanned on the sale screen). */
  pending: boolean;
}

const emptyReturn: ReturnDraft = {
  query: '',
  mode: 'lookup',
  source: null,
  choices: {},
  method: 'cash',
  blindLines: [],
  payAs: 'storeCredit',
  approval: null,
  pending: false,
};

interface ReturnState {
  draft: ReturnDraft;
  setQuery(query: string): void;
  /** A new return that looks `query` up at once. */
  lookUpNow(query: string): void;
  /** The pending look-up is being done. */
  takePending(): void;
  /** A source was found: its lines start at 0 to return. */
  showSource(source: ReturnSource): void;
  startBlind(): void;
  /** Back to the lookup (what was typed stays). */
  backToLookup(): void;
  choose(lineNo: number, patch: Partial<ReturnChoice>): void;
  setMethod(method: 'cash' | 'card'): void;
  addBlind(line: Omit<BlindLine, 'quantity' | 'reason'>): void;
  setBlind(productId: string, patch: Partial<Pick<BlindLine, 'quantity' | 'reason'>>): void;
  removeBlind(productId: string): void;
  setPayAs(payAs: 'storeCredit' | 'cash'): void;
  setApproval(approval: ReturnManagerApproval | null): void;
  clearReturn(): void;
}

export const useReturn = create<ReturnState>((set, get) => {
  const patch = (p: Partial<ReturnDraft>): void => set({ draft: { ...get().draft, ...p } });
  return {
    draft: emptyReturn,
    setQuery: (query) => patch({ query }),
    lookUpNow: (query) => set({ draft: { ...emptyReturn, query, pending: true } }),
    takePending: () => patch({ pending: false }),
    showSource: (source) => patch({ mode: 'source', source, choices: {}, method: 'cash', approval: null }),
    startBlind: () => patch({ mode: 'blind', source: null, choices: {}, approval: null }),
    backToLookup: () => patch({ mode: 'lookup', source: null, choices: {}, method: 'cash', blindLines: [], payAs: 'storeCredit', approval: null }),
    choose: (lineNo, p) => {
      const choices = get().draft.choices;
      patch({ choices: { ...choices, [lineNo]: { quantity: '', reason: '', ...choices[lineNo], ...p } } });
    },
    setMethod: (method) => patch({ method }),
    addBlind: (line) => {
      const lines = get().draft.blindLines;
      const at = lines.findIndex((l) => l.productId === line.productId);
      // The same product again: one more of it.
      const next =
        at >= 0
          ? lines.map((l, i) => (i === at ? { ...l, quantity: String(Math.min(9999, (Number(l.quantity) || 0) + 1)) } : l))
          : [...lines, { ...line, quantity: '1', reason: '' as const }];
      patch({ blindLines: next });
    },
    setBlind: (productId, p) =>
      patch({ blindLines: get().draft.blindLines.map((l) => (l.productId === productId ? { ...l, ...p } : l)) }),
    removeBlind: (productId) => patch({ blindLines: get().draft.blindLines.filter((l) => l.productId !== productId) }),
    setPayAs: (payAs) => patch({ payAs }),
    setApproval: (approval) => patch({ approval }),
    clearReturn: () => set({ draft: emptyReturn }),
  };
});
