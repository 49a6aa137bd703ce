import { type Cart, addToCart, emptyCart } from '../../src/cart.ts';
import { type CompletedSale, type TenderInput, completeSale } from '../../src/sale.ts';
import type { SaleDoc } from '../../sync/protocol/docs.ts';

/** A real sale, built by the domain core exactly as the register builds it. */
export function makeSale(storeId: string, registerId: string, seq: number, opts: { priceCents?: number; quantity?: number; tender?: TenderInput } = {}): SaleDoc {
  let cart: Cart = emptyCart;
  cart = addToCart(
    cart,
    {
      id: '1000001',
      itemNumber: '1000001',
      barcode: '8710000000000',
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
  return { ...sale, _deleted: false };
}

/** What the register sends: RxDB push rows. */
export function pushRows(docs: readonly SaleDoc[]): { newDocumentState: SaleDoc; assumedMasterState: null }[] {
  return docs.map((d) => ({ newDocumentState: d, assumedMasterState: null }));
}
