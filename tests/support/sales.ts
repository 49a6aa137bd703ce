import { type Cart, addToCart, emptyCart } from '../../src/cart.ts';
import { type ChainHead, seal } from '../../src/chain.ts';
import { type CompletedSale, type TenderInput, completeSale } from '../../src/sale.ts';
import type { SaleDoc } from '../../sync/protocol/docs.ts';

export interface SaleOptions {
  /** The demo product sold (default 1000001). */
  productId?: string;
  priceCents?: number;
  quantity?: number;
  tender?: TenderInput;
  /** The register's chain head before this sale; null (default) makes it the start of a chain. */
  prev?: ChainHead | null;
}

/** A real sale, built and sealed by the domain core exactly as the register does it. */
export function makeSale(storeId: string, registerId: string, seq: number, opts: SaleOptions = {}): SaleDoc {
  let cart: Cart = emptyCart;
  cart = addToCart(
    cart,
    {
      id: opts.productId ?? '1000001',
      itemNumber: opts.productId ?? '1000001',
      barcode: opts.productId ? null : '8710000000000',
      name: 'Vlieland Theedoek geruit groen 2 stuks',
      priceCents: opts.priceCents ?? 1295,
      vat: 'high',
      inAssortment: true,
    },
    opts.quantity ?? 1,
  );
  const sale: CompletedSale = completeSale(cart, [opts.tender ?? { kind: 'cash', tenderedCents: 100_00 }], {
    storeId,
    registerId,
    seq,
    createdAt: new Date(Date.UTC(2026, 10, 25, 9, 0, seq % 60)).toISOString(),
    operatorId: 'cashier',
  });
  return { ...seal(sale, opts.prev ?? null), _deleted: false };
}

/** `count` sales of one register, numbered from `firstSeq`, each chained to the one before. */
export function makeChain(storeId: string, registerId: string, count: number, opts: Omit<SaleOptions, 'prev'> & { firstSeq?: number; head?: ChainHead | null } = {}): SaleDoc[] {
  const out: SaleDoc[] = [];
  let head = opts.head ?? null;
  for (let i = 0; i < count; i++) {
    const sale = makeSale(storeId, registerId, (opts.firstSeq ?? 1) + i, { ...opts, prev: head });
    out.push(sale);
    head = { seq: sale.seq, hash: sale.hash };
  }
  return out;
}

/** What the register sends: RxDB push rows. */
export function pushRows(docs: readonly SaleDoc[]): { newDocumentState: SaleDoc; assumedMasterState: null }[] {
  return docs.map((d) => ({ newDocumentState: d, assumedMasterState: null }));
}
