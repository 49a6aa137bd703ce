import type { OrderExceptionKind } from '../src/order.ts';
import { t } from './i18n.ts';

/**
 * What an open alert or an order exception is about, in the register's language, built from its
 * kind and the record it names (the end of day and the order screen). HQ's and the domain's own
 * text (English, with ids and cents for IT) is the fallback for a kind the register has no words
 * for, so a kind added at HQ later still shows.
 */
export function alertText(a: { kind: string; recordId: string; registerId: string | null; message: string }): string {
  const about = t.alertAbout;
  switch (a.kind) {
    case 'cash_difference':
      return about.cash_difference(a.registerId ?? '?');
    case 'double_return': {
      // HQ names the original line `<receipt or order number>:<line>`.
      const cut = a.recordId.lastIndexOf(':');
      return cut > 0 ? about.double_return(a.recordId.slice(0, cut), a.recordId.slice(cut + 1)) : a.message;
    }
    case 'return_review':
      return about.return_review(a.recordId);
    case 'conflicting_record':
      return about.conflicting_record(a.recordId);
    default:
      return a.kind.startsWith('chain_') ? about.chain(a.recordId) : a.message;
  }
}

/** An alert's kind as a heading. */
export function alertKindText(kind: string): string {
  return t.alertKinds[kind] ?? (kind.startsWith('chain_') ? t.chainFinding : kind);
}

export function orderExceptionText(x: { kind: OrderExceptionKind; lineNo: number; storeId: string; message: string }): string {
  const about: Partial<Record<string, (line: number, store: string) => string>> = t.orderExceptionAbout;
  return about[x.kind]?.(x.lineNo, x.storeId) ?? x.message;
}
