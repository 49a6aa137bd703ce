import { formatDocumentNumber, parseDocumentNumber } from '../../src/numbering.ts';
import { normalizeOrderNumber } from '../../src/order.ts';
import {
  type Approval,
  type CompletedReturn,
  type OriginalLine,
  type RefundTender,
  type ReturnInputLine,
  type ReturnOrigin,
  completeReturn,
  originalLine,
  returnable,
} from '../../src/returns.ts';
import type { CompletedSale, Tender } from '../../src/sale.ts';
import type { ReturnDoc, SaleDoc } from '../protocol/docs.ts';
import { type ReceiptCodePayload, type RegisterKeyPair, signReceipt, verifyReceiptCode } from '../protocol/receipt-code.ts';
import type { ReturnsResponse, SaleLookupResponse } from '../protocol/wire.ts';
import type { RegisterClient, ReturnSource } from './api.ts';
import type { RegisterDatabase } from './database.ts';
import { type RegisterErrorCode, RegisterError } from './errors.ts';
import { HqResponseError, HqUnreachableError, type HqHttp } from './http.ts';
import type { OrderMethods } from './orders.ts';

/** A receipt code's failed check, as the screens name it. */
const CODE_PROBLEMS: Record<'malformed' | 'unknown_key' | 'bad_signature', RegisterErrorCode> = {
  malformed: 'receipt_code_malformed',
  unknown_key: 'receipt_code_unknown_key',
  bad_signature: 'receipt_code_altered',
};

/**
 * Returns at the register: what a return starts from (`findReturnSource`: this register's own
 * sale, a sale HQ holds, a scanned receipt code checked offline, or a customer order), and the
 * return itself (`completeReturn`: one immutable document in one local write, numbered RET-…
 * on the register's own return sequence, pushed to HQ like sales).
 */

/** The register's return numbering: `next()` proposes, `reserve(seq)` persists before the write. */
export interface ReturnSequence {
  next(): number;
  reserve(seq: number): Promise<void>;
}

export interface ReturnDeps {
  db: RegisterDatabase;
  storeId: string;
  registerId: string;
  /** For sales never in this replica (GET /api/sales/:receiptNo) and returns made elsewhere (GET /api/returns?origin=). */
  http: HqHttp;
  now: () => Date;
  /** The register's write queue (shared with sales and orders). */
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  sequence: ReturnSequence;
  /** The order lookup (replica, else HQ) of the client's order methods. */
  order: OrderMethods['order'];
  /** This register's key pair for receipt codes, or null while it has none. */
  keys: () => RegisterKeyPair | null;
  /** False while HQ is known to be unreachable: then HQ is not asked for returns made elsewhere (no waiting for a timeout). */
  hqMaybeReachable: () => boolean;
}

export type ReturnMethods = Pick<RegisterClient, 'findReturnSource' | 'completeReturn' | 'receiptCode'>;

type ReturnRow = Omit<ReturnDoc, '_deleted'>;

/** What the cashier typed or scanned, sorted out. */
export type ReturnQuery =
  | { kind: 'code'; text: string }
  | { kind: 'sale'; receiptNo: string }
  | { kind: 'order'; orderNo: string }
  | { kind: 'return'; returnNo: string };

/**
 * Reads a return's starting point leniently: a receipt code (`KR1.…`), an order number
 * (`ORD-…`, any case, spaces, the sequence without leading zeros), a return number (`RET-…`),
 * or a receipt number (`1001-01-000042`, `1001-01-42`). null when it is none of these.
 */
export function parseReturnInput(input: string): ReturnQuery | null {
  const text = input.trim();
  if (text.startsWith('KR1.')) return { kind: 'code', text };
  if (/^ORD/i.test(text)) {
    const orderNo = normalizeOrderNumber(text);
    return orderNo ? { kind: 'order', orderNo } : null;
  }
  const ret = /^RET[-\s]?(.*)$/i.exec(text);
  if (ret) {
    const no = documentNumber(ret[1]!);
    return no ? { kind: 'return', returnNo: `RET-${no}` } : null;
  }
  const receiptNo = documentNumber(text);
  return receiptNo ? { kind: 'sale', receiptNo } : null;
}

/** A receipt-style number, typed by hand: any case, spaces or dashes, the sequence without its leading zeros. */
function documentNumber(text: string): string | null {
  const exact = parseDocumentNumber(text);
  if (exact) return formatDocumentNumber(exact.storeId, exact.registerId, exact.seq);
  const m = /^\s*([A-Z0-9]{1,8})[-\s]+([A-Z0-9]{1,8})[-\s]+(\d{1,16})\s*$/i.exec(text);
  if (!m) return null;
  const seq = Number(m[3]);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  return formatDocumentNumber(m[1]!.toUpperCase(), m[2]!.toUpperCase(), seq);
}

/** The number a return's origin is known by (receipt or order number); null without a receipt. */
export function originKey(origin: ReturnOrigin): string | null {
  return origin.kind === 'sale' ? origin.receiptNo : origin.kind === 'order' ? origin.orderNo : null;
}

/** The tenders a receipt code records, as a sale's tenders (cash exactly tendered, no change). */
export function tendersOfCode(payload: ReceiptCodePayload): Tender[] {
  return payload.p.map(([kind, amountCents]): Tender =>
    kind === 'card' ? { kind: 'card', amountCents, reference: null } : { kind: 'cash', amountCents, tenderedCents: amountCents, changeCents: 0 },
  );
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const NOT_ASKED = 'HQ could not be asked: returns of it made at other stores may be unknown here. HQ checks for returns made elsewhere.';

export function createReturnMethods(deps: ReturnDeps): ReturnMethods {
  const { db, storeId, registerId, http, now, serial, sequence, keys, hqMaybeReachable } = deps;
  /** Returns HQ told of, per origin (receipt or order number): they count until the pull brings them. */
  const fromHq = new Map<string, Map<string, ReturnRow>>();

  const rememberFromHq = (key: string, rows: readonly ReturnRow[]): void => {
    const known = fromHq.get(key) ?? new Map<string, ReturnRow>();
    for (const r of rows) known.set(r.id, r);
    fromHq.set(key, known);
  };

  /** Every return of an origin this register knows without asking: the replica's (its own among them) and those HQ told of. */
  const knownReturns = async (key: string): Promise<ReturnRow[]> => {
    const field = key.startsWith('ORD-') ? 'origin.orderNo' : 'origin.receiptNo';
    const docs = await db.returns.find({ selector: { [field]: { $eq: key } } as never }).exec();
    const byId = new Map<string, ReturnRow>();
    for (const d of docs) byId.set(d.id, d.toMutableJSON() as ReturnRow);
    for (const [id, r] of fromHq.get(key) ?? []) if (!byId.has(id)) byId.set(id, r);
    return [...byId.values()];
  };

  /** Asks HQ for returns of an origin made anywhere; false when HQ could not answer. */
  const askHq = async (key: string): Promise<boolean> => {
    if (!hqMaybeReachable()) return false;
    try {
      const res = await http.get<ReturnsResponse>(`/api/returns?origin=${encodeURIComponent(key)}`);
      rememberFromHq(key, (res?.returns ?? []).map(({ _deleted: _d, ...r }) => r));
      return true;
    } catch {
      return false;
    }
  };

  const sourceOf = async (
    origin: ReturnSource['origin'],
    original: OriginalLine[],
    tenders: Tender[],
    createdAt: string,
    hqAsked: boolean,
  ): Promise<ReturnSource> => {
    const key = originKey(origin)!;
    const prior = await knownReturns(key);
    return {
      origin,
      lines: returnable(original, prior),
      tenders,
      priorRefunds: prior.flatMap((r) => r.refunds),
      createdAt,
      caveat: hqAsked ? null : NOT_ASKED,
    };
  };

  const saleLines = (sale: CompletedSale): OriginalLine[] => sale.lines.map((l) => originalLine(l));

  /** Every public key the replica knows for a register, and this register's own (before HQ has sent it back). */
  const knownKeys = async (): Promise<(s: string, r: string) => string[]> => {
    const stores = new Map((await db.stores.find().exec()).map((d) => [d.id, d.toMutableJSON().registerKeys ?? {}]));
    const mine = keys();
    return (s, r) => {
      const list = [...(stores.get(s)?.[r] ?? [])];
      if (mine && s === storeId && r === registerId && !list.includes(mine.publicKey)) list.push(mine.publicKey);
      return list;
    };
  };

  const fromCode = async (text: string): Promise<ReturnSource> => {
    if (!globalThis.crypto?.subtle) throw new RegisterError('no_webcrypto', '', 'This register cannot check receipt codes (no WebCrypto: it is not served from a secure origin); type the receipt number instead.');
    const check = await verifyReceiptCode(text, await knownKeys());
    if (!check.ok) throw new RegisterError(CODE_PROBLEMS[check.reason], check.receiptNo ?? '', `${capitalized(check.message)}.`);
    const p = check.payload;
    const products = await db.products.findByIds([...new Set(p.l.map((l) => l[1]))]).exec();
    const original = p.l.map(([lineNo, productId, itemNumber, quantity, unitPriceCents, vat]): OriginalLine => {
      const product = products.get(productId);
      return { lineNo, productId, itemNumber, barcode: product?.barcode ?? null, name: product?.name ?? itemNumber, quantity, unitPriceCents, vat };
    });
    const asked = await askHq(p.n);
    return sourceOf({ kind: 'sale', receiptNo: p.n, storeId: p.s, registerId: p.r, verifiedBy: 'code' }, original, tendersOfCode(p), p.d, asked);
  };

  const fromReceipt = async (receiptNo: string): Promise<ReturnSource> => {
    const doc = await db.sales.findOne(receiptNo).exec();
    if (doc) {
      const sale = doc.toMutableJSON() as Omit<SaleDoc, '_deleted'>;
      const asked = await askHq(receiptNo);
      return sourceOf({ kind: 'sale', receiptNo, storeId: sale.storeId, registerId: sale.registerId, verifiedBy: 'replica' }, saleLines(sale), sale.tenders, sale.createdAt, asked);
    }
    let found: SaleLookupResponse;
    try {
      found = await http.get<SaleLookupResponse>(`/api/sales/${encodeURIComponent(receiptNo)}`);
    } catch (e) {
      if (e instanceof HqUnreachableError) {
        throw new RegisterError('receipt_unreachable', receiptNo, `Receipt ${receiptNo} is not on this register and HQ cannot be reached: scan the code on the receipt instead.`);
      }
      if (e instanceof HqResponseError && e.status === 404) {
        throw new RegisterError('receipt_unknown_at_hq', receiptNo, `Receipt ${receiptNo} is not known at HQ (a sale made offline reaches HQ when its register is back online): scan the code on the receipt instead.`);
      }
      throw e;
    }
    const { _deleted: _d, receivedAt: _r, ...sale } = found.sale;
    rememberFromHq(receiptNo, (found.returns ?? []).map(({ _deleted: _x, ...r }) => r));
    return sourceOf({ kind: 'sale', receiptNo: sale.receiptNo, storeId: sale.storeId, registerId: sale.registerId, verifiedBy: 'hq' }, saleLines(sale), sale.tenders, sale.createdAt, true);
  };

  const fromOrder = async (orderNo: string): Promise<ReturnSource> => {
    // The order's view as the order screen has it: the replica folded with this register's events, else HQ's.
    const view = await deps.order(orderNo);
    if (!view || !view.state.complete) throw new RegisterError('order_not_found', orderNo, `Order ${orderNo} was not found.`);
    const handedOut = view.state.lines.filter((l) => l.status === 'handedOut');
    if (handedOut.length === 0) {
      throw new RegisterError('nothing_handed_out', orderNo, `Nothing of order ${orderNo} has been handed out yet: open lines are cancelled on the order screen, not returned.`);
    }
    const original = handedOut.map((l) => originalLine(l));
    const asked = await askHq(orderNo);
    return sourceOf({ kind: 'order', orderNo, storeId: view.state.storeId, verifiedBy: view.source }, original, [], view.state.createdAt, asked);
  };

  return {
    async findReturnSource(input: string): Promise<ReturnSource> {
      const q = parseReturnInput(input);
      if (!q) throw new RegisterError('not_a_return_source', input.trim(), `${JSON.stringify(input.trim())} is not a receipt number, an order number or a receipt code.`);
      switch (q.kind) {
        case 'code':
          return fromCode(q.text);
        case 'sale':
          return fromReceipt(q.receiptNo);
        case 'order':
          return fromOrder(q.orderNo);
        case 'return':
          throw new RegisterError('is_a_return', q.returnNo, `${q.returnNo} is a return: a return starts from the original receipt or order.`);
      }
    },

    completeReturn(
      input: { source: ReturnSource | null; lines: ReturnInputLine[]; refunds: RefundTender[]; approval: Approval | null },
      operatorId: string,
    ): Promise<CompletedReturn> {
      return serial(async () => {
        const { source } = input;
        let available: Map<number, number> | undefined;
        if (source) {
          // In the queue: a return written meanwhile here (or pulled since) counts too.
          const current = returnable(source.lines, await knownReturns(originKey(source.origin)!));
          available = new Map(source.lines.map((l, i) => [l.lineNo, Math.min(l.returnable, current[i]!.returnable)]));
          const byLine = new Map(source.lines.map((l) => [l.lineNo, l]));
          for (const l of input.lines) {
            const o = l.originalLineNo === null ? undefined : byLine.get(l.originalLineNo);
            if (l.originalLineNo !== null && !o) throw new Error(`${l.name} is not on the receipt (no line ${l.originalLineNo})`);
            if (o && (o.productId !== l.productId || o.unitPriceCents !== l.unitPriceCents || o.vat !== l.vat)) {
              throw new Error(`${l.name}: a return with a receipt refunds the product of line ${o.lineNo} at the price paid (${o.unitPriceCents} cents)`);
            }
          }
        } else {
          // Without a receipt each unit is refunded at most at today's price.
          const products = await db.products.findByIds([...new Set(input.lines.map((l) => l.productId))]).exec();
          for (const l of input.lines) {
            const p = products.get(l.productId);
            if (p && l.unitPriceCents > p.priceCents) throw new Error(`${l.name}: without a receipt at most today's price (${p.priceCents} cents) per unit`);
          }
        }
        const seq = sequence.next();
        // The domain refuses by throwing: nothing is written, no number is used.
        const record = completeReturn(
          { origin: source?.origin ?? { kind: 'none' }, lines: input.lines, refunds: input.refunds, approval: input.approval, ...(available ? { available } : {}) },
          { storeId, registerId, seq, createdAt: now().toISOString(), operatorId },
        );
        // Reserve the number first: a crash after this leaves a gap, never a duplicate.
        await sequence.reserve(seq);
        // One document, one write: the return is there whole or not at all.
        await db.returns.insert(record);
        return record;
      });
    },

    async receiptCode(sale: CompletedSale): Promise<string | null> {
      const k = keys();
      return k ? signReceipt(sale, k) : null;
    },
  };
}
