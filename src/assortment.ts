/**
 * Assortment rules: which released products a store carries on a given day.
 *
 * A line covers a product from validFrom to validTo, both inclusive (ISO dates), either for one
 * store (`storeId`) or for a store group (`groupId`: every store that is a member, e.g. "all
 * large stores"). A store's own lines for a product take precedence over its groups' lines for
 * that product: a store can end a group's product for itself (its own line with a validTo), or
 * carry it on other dates. Without own lines, any valid line of any of its groups counts.
 */
export interface AssortmentLine {
  /** The one store the line is for; null for a group line. */
  storeId: string | null;
  /** The store group the line is for; null or absent for a store's own line. */
  groupId?: string | null;
  productId: string;
  validFrom: string;
  validTo: string | null;
}

/** A store as the assortment sees it: its id and the groups it belongs to. */
export interface AssortmentStore {
  id: string;
  groups: readonly string[];
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

/** Whether a line speaks for this store at all: its own line, or one of a group it is in. */
export function lineAppliesTo(line: AssortmentLine, store: AssortmentStore): 'own' | 'group' | null {
  if (line.storeId !== null) return line.storeId === store.id ? 'own' : null;
  return line.groupId != null && store.groups.includes(line.groupId) ? 'group' : null;
}

/** The set of product ids a store carries on `day` (a plain store id: a store in no group). */
export function assortmentOn(lines: Iterable<AssortmentLine>, store: AssortmentStore | string, day: string): Set<string> {
  const who: AssortmentStore = typeof store === 'string' ? { id: store, groups: [] } : store;
  if (!ISO_DATE.test(day)) throw new RangeError(`day must be YYYY-MM-DD, got ${day}`);
  const own = new Map<string, boolean>();
  const byGroup = new Set<string>();
  for (const line of lines) {
    const applies = lineAppliesTo(line, who);
    if (applies === 'own') own.set(line.productId, (own.get(line.productId) ?? false) || lineValidOn(line, day));
    else if (applies === 'group' && lineValidOn(line, day)) byGroup.add(line.productId);
  }
  const result = new Set<string>();
  for (const [productId, valid] of own) if (valid) result.add(productId);
  for (const productId of byGroup) if (!own.has(productId)) result.add(productId);
  return result;
}
