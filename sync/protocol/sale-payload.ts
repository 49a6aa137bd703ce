import type { SaleDoc } from './docs.ts';

/**
 * The chain payload of a validated sale (what `chainPayload` in src/chain.ts makes: canonical
 * JSON without `hash` and `_deleted`), written directly from the sale's known shape. HQ runs it
 * on every sale it ingests; the generic canonical JSON sorts every object's keys each time.
 * Tested to give exactly the same text as the generic one.
 */
const sorted = (keys: string[]): string[] => [...keys].sort();
const SALE = sorted(['changeCents', 'createdAt', 'id', 'lines', 'operatorId', 'payableCents', 'prevHash', 'prevSeq', 'receiptNo', 'registerId', 'roundingCents', 'seq', 'storeId', 'tenders', 'totalCents', 'vat', 'voids']);
const LINE = sorted(['amountCents', 'barcode', 'itemNumber', 'lineNo', 'name', 'outOfAssortment', 'priceOverride', 'productId', 'quantity', 'unitPriceCents', 'vat']);
/** Keys a sale or line may lack (older registers, nothing to record): left out when absent, as the generic one does. */
const OPTIONAL = new Set(['voids', 'priceOverride']);
const OVERRIDE = sorted(['managerId', 'originalUnitPriceCents', 'reason']);
const VOID = sorted(['managerId', 'name', 'productId', 'quantity', 'reason', 'unitPriceCents']);
const VAT = sorted(['grossCents', 'netCents', 'rateBp', 'vat', 'vatCents']);
const CARD = sorted(['amountCents', 'kind', 'reference']);
const CASH = sorted(['amountCents', 'changeCents', 'kind', 'tenderedCents']);

type Obj = Record<string, unknown>;

function object(o: Obj, keys: readonly string[], nested?: (key: string, value: unknown) => string | null): string {
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = o[k];
    if (v === undefined && OPTIONAL.has(k)) continue;
    if (!first) out += ',';
    first = false;
    out += `"${k}":`;
    out += (nested && nested(k, v)) ?? JSON.stringify(v ?? null);
  }
  return `${out}}`;
}

function list(items: unknown, one: (o: Obj) => string): string {
  return `[${(items as Obj[]).map(one).join(',')}]`;
}

export function saleChainPayload(sale: SaleDoc): string {
  return object(sale as unknown as Obj, SALE, (key, value) => {
    if (key === 'lines') return list(value, (l) => object(l, LINE, (k, v) => (k === 'priceOverride' && v !== null ? object(v as Obj, OVERRIDE) : null)));
    if (key === 'voids') return list(value, (v) => object(v, VOID));
    if (key === 'vat') return list(value, (v) => object(v, VAT));
    if (key === 'tenders') return list(value, (t) => object(t, t.kind === 'card' ? CARD : CASH));
    return null;
  });
}
