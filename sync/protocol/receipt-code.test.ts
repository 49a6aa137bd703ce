import { describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/cart.ts';
import { completeSale } from '../../src/sale.ts';
import { generateRegisterKeys, signReceipt, verifyReceiptCode } from './receipt-code.ts';

const product = (id: string, priceCents: number) => ({ id, itemNumber: `I${id}`, barcode: null, name: `Product ${id}`, priceCents, vat: 'high' as const, inAssortment: true });
const cart = addToCart(addToCart(emptyCart, product('P1', 1299), 2), product('P2', 350));
const sale = completeSale(cart, [{ kind: 'card', amountCents: 1000 }, { kind: 'cash', tenderedCents: 2000 }], { storeId: '1001', registerId: '02', seq: 42, createdAt: '2026-11-25T10:00:00.000Z', operatorId: 'cashier' });

describe('signed receipt codes', () => {
  it('a code verifies with the issuing register’s key and holds the lines and totals', async () => {
    const keys = await generateRegisterKeys();
    const code = await signReceipt(sale, keys);
    expect(code.startsWith('KR1.')).toBe(true);
    const check = await verifyReceiptCode(code, (s, r) => (s === '1001' && r === '02' ? [keys.publicKey] : []));
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.payload.n).toBe('1001-02-000042');
    expect(check.payload.l).toEqual([[1, 'P1', 'IP1', 2, 1299, 'high'], [2, 'P2', 'IP2', 1, 350, 'high']]);
    expect(check.payload.t).toBe(2948);
    expect(check.payload.p).toEqual([['card', 1000], ['cash', 1950]]);
  });
  it('refuses an altered code: any changed payload byte breaks the signature', async () => {
    const keys = await generateRegisterKeys();
    const code = await signReceipt(sale, keys);
    const [prefix, body, sig] = code.split('.') as [string, string, string];
    const json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { l: number[][] };
    json.l[0]![3] = 5; // five returned instead of two
    const forged = `${prefix}.${Buffer.from(JSON.stringify(json)).toString('base64url')}.${sig}`;
    const check = await verifyReceiptCode(forged, () => [keys.publicKey]);
    expect(check).toMatchObject({ ok: false, reason: 'bad_signature' });
    if (!check.ok) expect(check.message).toContain('altered');
    // a flipped signature byte too
    const badSig = `${prefix}.${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'AB' : 'AA'}`;
    expect((await verifyReceiptCode(badSig, () => [keys.publicKey])).ok).toBe(false);
  });
  it('refuses a code signed by a key the chain does not know (a foreign register), and junk', async () => {
    const ours = await generateRegisterKeys();
    const theirs = await generateRegisterKeys();
    const code = await signReceipt(sale, theirs);
    expect(await verifyReceiptCode(code, () => [ours.publicKey])).toMatchObject({ ok: false, reason: 'unknown_key' });
    expect(await verifyReceiptCode('hello', () => [])).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await verifyReceiptCode('KR1.%%%.abc', () => [])).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await verifyReceiptCode(`KR1.${Buffer.from('{"n":1}').toString('base64url')}.AAAA`, () => [])).toMatchObject({ ok: false, reason: 'malformed' });
  });
  it('a register keeps verifying codes of its earlier keys after a new key (reinstall)', async () => {
    const old = await generateRegisterKeys();
    const now = await generateRegisterKeys();
    const code = await signReceipt(sale, old);
    expect((await verifyReceiptCode(code, () => [now.publicKey, old.publicKey])).ok).toBe(true);
  });
});
