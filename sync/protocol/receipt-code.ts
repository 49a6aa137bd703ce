import type { CompletedSale } from '../../src/sale.ts';
import type { VatClass } from '../../src/vat.ts';

/**
 * The signed code printed on a receipt (as a QR code), so that a store that has never seen the
 * sale and cannot reach HQ can still take a return: it holds the receipt's lines and totals,
 * signed by the register that issued it (ECDSA P-256, SHA-256, WebCrypto — the same code in
 * the register and in HQ). Every register's public keys reach every register with the stores
 * (StoreDoc.registerKeys), so the check works offline. A code that was altered, or signed by a
 * key the chain does not know, is refused.
 *
 * Text form (what a 2-D scanner types): `KR1.<payload, base64url JSON>.<signature, base64url>`.
 */

export const RECEIPT_CODE_PREFIX = 'KR1';

/** What the code holds of a sale. Names are left out (the catalog has them): codes stay small. */
export interface ReceiptCodePayload {
  /** Receipt number, store, register, when. */
  n: string;
  s: string;
  r: string;
  d: string;
  /** Key id of the signing key. */
  k: string;
  /** Lines: [lineNo, productId, itemNumber, quantity, unitPriceCents, vat]. */
  l: [number, string, string, number, number, VatClass][];
  /** Total, and the tenders as [kind, amountCents]. */
  t: number;
  p: ['cash' | 'card', number][];
}

export interface RegisterKeyPair {
  /** Public key, raw uncompressed point, base64url (what HQ and other registers keep). */
  publicKey: string;
  /** Private key as JWK, kept only by the register itself. */
  privateJwk: JsonWebKey;
  keyId: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function fromB64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
    const out = new Uint8Array(new ArrayBuffer(bin.length));
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** A short id of a public key: the first 12 characters of its SHA-256, base64url. */
export async function keyIdOf(publicKey: string): Promise<string> {
  const raw = fromB64url(publicKey);
  if (!raw) throw new RangeError('not a public key');
  return b64url(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', raw))).slice(0, 12);
}

export async function generateRegisterKeys(): Promise<RegisterKeyPair> {
  const pair = await globalThis.crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const publicKey = b64url(new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', pair.publicKey)));
  const privateJwk = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey);
  return { publicKey, privateJwk, keyId: await keyIdOf(publicKey) };
}

export function receiptPayload(sale: CompletedSale, keyId: string): ReceiptCodePayload {
  return {
    n: sale.receiptNo,
    s: sale.storeId,
    r: sale.registerId,
    d: sale.createdAt,
    k: keyId,
    l: sale.lines.map((l) => [l.lineNo, l.productId, l.itemNumber, l.quantity, l.unitPriceCents, l.vat]),
    t: sale.totalCents,
    p: sale.tenders.map((t) => [t.kind, t.amountCents]),
  };
}

export async function signReceipt(sale: CompletedSale, keys: Pick<RegisterKeyPair, 'privateJwk' | 'keyId'>): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey('jwk', keys.privateJwk, ALG, false, ['sign']);
  const body = b64url(new TextEncoder().encode(JSON.stringify(receiptPayload(sale, keys.keyId))));
  const signed = `${RECEIPT_CODE_PREFIX}.${body}`;
  const sig = new Uint8Array(await globalThis.crypto.subtle.sign(SIGN, key, new TextEncoder().encode(signed)));
  return `${signed}.${b64url(sig)}`;
}

export type ReceiptCodeCheck =
  | { ok: true; payload: ReceiptCodePayload }
  | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature'; message: string; /** The receipt the code names, once it could be read. */ receiptNo?: string };

/** Public keys a register knows, by store and register: every key each register ever had. */
export type KnownKeys = (storeId: string, registerId: string) => readonly string[];

function isPayload(v: unknown): v is ReceiptCodePayload {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.n === 'string' && typeof o.s === 'string' && typeof o.r === 'string' && typeof o.d === 'string' && typeof o.k === 'string' &&
    Number.isSafeInteger(o.t) &&
    Array.isArray(o.l) && o.l.length > 0 && o.l.length <= 500 &&
    o.l.every((l: unknown) => Array.isArray(l) && l.length === 6 && Number.isSafeInteger(l[0]) && typeof l[1] === 'string' && typeof l[2] === 'string' && Number.isSafeInteger(l[3]) && Number.isSafeInteger(l[4]) && ['high', 'low', 'zero'].includes(l[5] as string)) &&
    Array.isArray(o.p) && o.p.every((t: unknown) => Array.isArray(t) && t.length === 2 && (t[0] === 'cash' || t[0] === 'card') && Number.isSafeInteger(t[1]))
  );
}

/** Checks a scanned code against the keys this register knows; never trusts what it has not verified. */
export async function verifyReceiptCode(text: string, known: KnownKeys): Promise<ReceiptCodeCheck> {
  const malformed = (message: string): ReceiptCodeCheck => ({ ok: false, reason: 'malformed', message });
  const parts = text.trim().split('.');
  if (parts.length !== 3 || parts[0] !== RECEIPT_CODE_PREFIX) return malformed('this is not a receipt code of this chain');
  const body = fromB64url(parts[1]!);
  const sig = fromB64url(parts[2]!);
  if (!body || !sig) return malformed('the receipt code is damaged');
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return malformed('the receipt code is damaged');
  }
  if (!isPayload(payload)) return malformed('the receipt code does not hold a receipt');
  for (const publicKey of known(payload.s, payload.r)) {
    if ((await keyIdOf(publicKey).catch(() => '')) !== payload.k) continue;
    const raw = fromB64url(publicKey);
    if (!raw) continue;
    const key = await globalThis.crypto.subtle.importKey('raw', raw, ALG, false, ['verify']);
    const ok = await globalThis.crypto.subtle.verify(SIGN, key, sig, new TextEncoder().encode(`${parts[0]}.${parts[1]}`));
    return ok
      ? { ok: true, payload }
      : { ok: false, reason: 'bad_signature', message: `the receipt code of ${payload.n} was altered: its signature does not match`, receiptNo: payload.n };
  }
  return { ok: false, reason: 'unknown_key', message: `the receipt code of ${payload.n} is not signed by a register this chain knows`, receiptNo: payload.n };
}
