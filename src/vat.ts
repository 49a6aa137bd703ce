import { type Cents, assertCents, divRound } from './money.ts';

/** Dutch VAT (BTW) classes. Shelf prices include VAT. */
export type VatClass = 'high' | 'low' | 'zero';

/** Rates in basis points (1/100 of a percent) so that tax math stays in integers. */
export const VAT_RATE_BP: Readonly<Record<VatClass, number>> = { high: 2100, low: 900, zero: 0 };

export const VAT_CLASSES: readonly VatClass[] = ['high', 'low', 'zero'];

export function isVatClass(v: unknown): v is VatClass {
  return v === 'high' || v === 'low' || v === 'zero';
}

export function vatLabel(vat: VatClass): string {
  return `${VAT_RATE_BP[vat] / 100}%`;
}

/** VAT contained in a VAT-inclusive amount: gross × rate / (1 + rate), rounded half away from zero. */
export function vatOfGross(gross: Cents, vat: VatClass): Cents {
  assertCents(gross, 'gross amount');
  const bp = VAT_RATE_BP[vat];
  if (bp === 0) return 0;
  return divRound(gross * bp, 10_000 + bp);
}

export interface VatLine {
  vat: VatClass;
  rateBp: number;
  grossCents: Cents;
  vatCents: Cents;
  netCents: Cents;
}

/**
 * VAT per rate for a receipt. VAT is computed once per rate on the rate's total, as Dutch
 * receipts show it, so the per-rate figures add up to the total exactly.
 */
export function vatBreakdown(lines: readonly { vat: VatClass; amountCents: Cents }[]): VatLine[] {
  const byClass = new Map<VatClass, Cents>();
  for (const l of lines) {
    assertCents(l.amountCents, 'line amount');
    byClass.set(l.vat, (byClass.get(l.vat) ?? 0) + l.amountCents);
  }
  return VAT_CLASSES.filter((c) => byClass.has(c)).map((vat) => {
    const grossCents = byClass.get(vat) ?? 0;
    const vatCents = vatOfGross(grossCents, vat);
    return { vat, rateBp: VAT_RATE_BP[vat], grossCents, vatCents, netCents: grossCents - vatCents };
  });
}
