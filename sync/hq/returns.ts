import { webcrypto } from 'node:crypto';
import { formatCents } from '../../src/money.ts';
import { formatDocumentNumber, parseDocumentNumber } from '../../src/numbering.ts';
import { type OrderState, normalizeOrderNumber } from '../../src/order.ts';
import { type OriginalLine, originalLine, returnExcess } from '../../src/returns.ts';
import { type ReturnDoc, type SaleDoc, isStorableText } from '../protocol/index.ts';
import { HqError } from './errors.ts';

/**
 * Returns at HQ: the pieces that need no database. HQ stores every return a register pushes
 * (`returns`), books the goods back into the stock of the store that took them, and guards
 * against double returns: the same goods returned at two stores that could not see each other
 * (offline, or from the signed code on the receipt). store.ts does the SQL.
 */

type Row = Record<string, unknown>;

/** The columns a ReturnDoc is read from. */
export const RETURN_COLUMNS = 'id, body, deleted';

export function returnDocFromRow(r: Row): ReturnDoc {
  const body = (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as ReturnDoc;
  return { ...body, _deleted: Boolean(r.deleted) };
}

/** What the return came from: a sale (its receipt number), an order (its number), or nothing (blind). */
export interface OriginRef {
  kind: 'sale' | 'order';
  no: string;
}

export function originOf(doc: Pick<ReturnDoc, 'origin'>): OriginRef | null {
  const o = doc.origin;
  if (o.kind === 'sale') return { kind: 'sale', no: o.receiptNo };
  if (o.kind === 'order') return { kind: 'order', no: o.orderNo };
  return null;
}

/** The store the goods were bought at (null without a receipt). */
export function originStoreOf(doc: Pick<ReturnDoc, 'origin'>): string | null {
  return doc.origin.kind === 'none' ? null : doc.origin.storeId;
}

/** The register that issued a receipt, from its number ("1001-02-000042" → "1001-02"): the lock key of its sales and their returns. */
export function receiptRegister(receiptNo: string): string {
  const n = parseDocumentNumber(receiptNo);
  return n ? `${n.storeId}-${n.registerId}` : receiptNo;
}

/** The lines of a sale, as returnExcess takes them. */
export function saleLines(sale: SaleDoc): OriginalLine[] {
  return sale.lines.map((l) => originalLine(l));
}

/**
 * The lines of an order as far as goods left the chain: a line handed out (carried, picked up,
 * shipped) with its quantity; a cancelled line with 0 (it was refunded at the cancellation, so
 * any return of it is an excess). An open line is left out: it has not been decided yet (its
 * hand-out may still be on its way to HQ), and it is checked again when events of the order arrive.
 */
export function orderLines(state: OrderState): OriginalLine[] {
  return state.lines.flatMap((l) => (l.status === 'open' ? [] : [originalLine(l, l.status === 'handedOut' ? l.quantity : 0)]));
}

/**
 * Adds, for every line a return names that the sale or order does not have at all (`lineNos`:
 * every line it has), a line sold 0 times at the price refunded, so returnExcess counts the
 * whole of it as excess: goods that were never bought there.
 */
export function withUnknownLines(sold: readonly OriginalLine[], lineNos: ReadonlySet<number>, returns: readonly Pick<ReturnDoc, 'lines'>[]): OriginalLine[] {
  const out = [...sold];
  const added = new Set<number>();
  for (const r of returns) {
    for (const l of r.lines) {
      if (l.originalLineNo === null || lineNos.has(l.originalLineNo) || added.has(l.originalLineNo)) continue;
      added.add(l.originalLineNo);
      out.push({ lineNo: l.originalLineNo, productId: l.productId, itemNumber: l.itemNumber, barcode: l.barcode, name: l.name, quantity: 0, unitPriceCents: l.unitPriceCents, vat: l.vat });
    }
  }
  return out.sort((x, y) => x.lineNo - y.lineNo);
}

/** An alert as store.ts inserts it. */
export interface ReturnAlert {
  kind: 'double_return' | 'return_review';
  recordId: string;
  body: unknown;
  message: string;
}

/** The record id of a double-return alert: one per original line, raised once. */
export function doubleReturnId(originNo: string, lineNo: number): string {
  return `${originNo}:${lineNo}`;
}

/**
 * The double returns of one sale or order: per original line returned beyond what was sold (or
 * handed out), an alert naming the stores that took the goods back and the value paid out too much.
 */
export function doubleReturnAlerts(
  origin: OriginRef & { storeId: string },
  sold: readonly OriginalLine[],
  returns: readonly Pick<ReturnDoc, 'id' | 'storeId' | 'lines'>[],
): ReturnAlert[] {
  const storeOf = new Map(returns.map((r) => [r.id, r.storeId]));
  return returnExcess(sold, returns).map((x) => {
    const stores = [...new Set(x.returnIds.map((id) => storeOf.get(id) ?? '?'))].sort();
    const what = origin.kind === 'sale' ? `sale ${origin.no}` : `order ${origin.no}`;
    const verb = origin.kind === 'sale' ? 'sold' : 'handed out';
    return {
      kind: 'double_return',
      recordId: doubleReturnId(origin.no, x.lineNo),
      body: { origin: { kind: origin.kind, no: origin.no, storeId: origin.storeId }, lineNo: x.lineNo, sold: x.sold, returned: x.returned, excess: x.excess, excessCents: x.excessCents, returnIds: x.returnIds },
      message:
        `line ${x.lineNo} of ${what} (bought at ${origin.storeId}) was returned ${x.returned}× at ${stores.join(' and ')} ` +
        `but ${x.sold} ${verb}: ${x.excess} too many, ${formatCents(x.excessCents)} refunded too much (${x.returnIds.join(', ')})`,
    };
  });
}

/** Every return without a receipt goes to a manager for review. */
export function reviewAlert(doc: ReturnDoc): ReturnAlert {
  const approval = doc.approval ? `, approved by manager ${doc.approval.managerId} (${doc.approval.reason})` : '';
  return {
    kind: 'return_review',
    recordId: doc.id,
    body: { returnId: doc.id, storeId: doc.storeId, registerId: doc.registerId, totalCents: doc.totalCents, refunds: doc.refunds, approval: doc.approval, lines: doc.lines.length },
    message: `return ${doc.id} at ${doc.storeId} without a receipt: ${formatCents(doc.totalCents)} refunded${approval}; review it`,
  };
}

// ---- parameters -------------------------------------------------------------------------------

/** A receipt number in a path or query, in any case and with spaces around, as the register writes it; null otherwise. */
export function normalizeReceiptNumber(text: string): string | null {
  if (text.length > 64 || !isStorableText(text)) return null;
  const n = parseDocumentNumber(text);
  return n ? formatDocumentNumber(n.storeId, n.registerId, n.seq) : null;
}

/** `?origin=`: an order number (it starts with ORD, lenient like the order search) or a receipt number. */
export function normalizeOriginNumber(text: string): string | null {
  if (text.length > 64 || !isStorableText(text)) return null;
  if (/^\s*ORD/i.test(text)) return normalizeOrderNumber(text);
  return normalizeReceiptNumber(text);
}

// ---- register keys ----------------------------------------------------------------------------

/** How many keys HQ keeps per register: every re-enrolment makes one, so this is generous. */
export const MAX_KEYS_PER_REGISTER = 50;

const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/**
 * The body of POST /api/registers/key: `{ publicKey }`, a P-256 public key as its raw
 * uncompressed point (65 bytes, 0x04 first) in base64url without padding: exactly 87
 * characters, written the one way base64url writes those bytes, and a point on the curve.
 */
export async function registerKeyBody(body: unknown): Promise<string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HqError(400, 'invalid', 'the body must be { "publicKey": … }', 'publicKey');
  const extra = Object.keys(body).find((k) => k !== 'publicKey');
  if (extra !== undefined) throw new HqError(400, 'invalid', `${extra} is not a field of a register key`, extra);
  const { publicKey } = body as { publicKey?: unknown };
  const refuse = (why: string): HqError => new HqError(400, 'invalid', `publicKey ${why}`, 'publicKey');
  if (typeof publicKey !== 'string') throw refuse('must be a P-256 public key (raw point, base64url)');
  if (!/^[A-Za-z0-9_-]{87}$/.test(publicKey)) throw refuse('must be 87 characters of base64url (a raw P-256 point)');
  const raw = Buffer.from(publicKey, 'base64url');
  if (raw.length !== 65 || raw[0] !== 0x04 || raw.toString('base64url') !== publicKey) throw refuse('must be an uncompressed P-256 point (65 bytes, 0x04 first)');
  try {
    await webcrypto.subtle.importKey('raw', raw, P256, true, ['verify']);
  } catch {
    throw refuse('is not a point on the P-256 curve');
  }
  return publicKey;
}

/** stores.register_keys as the StoreDoc carries it; anything else in the column is left out. */
export function registerKeysOf(v: unknown): Record<string, string[]> {
  const raw: unknown = typeof v === 'string' ? JSON.parse(v) : v;
  const out: Record<string, string[]> = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [registerId, keys] of Object.entries(raw)) {
      if (Array.isArray(keys)) out[registerId] = keys.filter((k): k is string => typeof k === 'string');
    }
  }
  return out;
}

/**
 * What the schema cannot see of a return's origin: a receipt number written the way registers
 * write them, naming the store and register the origin says (the goods' store gets the return
 * by it). Returns the field and reason of the first problem, or null.
 */
export function originProblem(doc: Pick<ReturnDoc, 'origin'>): { field: string; reason: string } | null {
  const o = doc.origin;
  if (o.kind === 'sale') {
    const n = parseDocumentNumber(o.receiptNo);
    if (!n || formatDocumentNumber(n.storeId, n.registerId, n.seq) !== o.receiptNo) return { field: 'origin.receiptNo', reason: 'is not written the way registers number receipts' };
    if (n.storeId !== o.storeId) return { field: 'origin.storeId', reason: `must be the store of receipt ${o.receiptNo}` };
    if (n.registerId !== o.registerId) return { field: 'origin.registerId', reason: `must be the register of receipt ${o.receiptNo}` };
  }
  if (o.kind === 'order' && normalizeOrderNumber(o.orderNo) !== o.orderNo) return { field: 'origin.orderNo', reason: 'is not written the way registers number orders' };
  return null;
}
