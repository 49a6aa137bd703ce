/**
 * Assortment rules: which released products a store carries on a given day.
 * A line covers a product for a store from validFrom to validTo, both inclusive (ISO dates).
 */
export interface AssortmentLine {
  storeId: string;
  productId: string;
  validFrom: string;
  validTo: string | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The local calendar day of a moment, as YYYY-MM-DD. The register's answer changes at local midnight. */
export function localDay(at: Date): string {
  const y = at.getFullYear();
  const m = String(at.getMonth() + 1).padStart(2, '0');
  const d = String(at.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function lineValidOn(line: AssortmentLine, day: string): boolean {
  if (!ISO_DATE.test(day)) throw new RangeError(`day must be YYYY-MM-DD, got ${day}`);
  return line.validFrom <= day && (line.validTo === null || day <= line.validTo);
}

/** The set of product ids a store carries on `day`. */
export function assortmentOn(lines: Iterable<AssortmentLine>, storeId: string, day: string): Set<string> {
  const result = new Set<string>();
  for (const line of lines) {
    if (line.storeId === storeId && lineValidOn(line, day)) result.add(line.productId);
  }
  return result;
}
