import { describe, expect, it } from 'vitest';
import type { OriginalLine } from '../../src/returns.ts';
import { generateRegisterKeys } from '../protocol/receipt-code.ts';
import { HqError } from './errors.ts';
import { normalizeOriginNumber, normalizeReceiptNumber, registerKeyBody, registerKeysOf, withUnknownLines } from './returns.ts';

describe('register keys', () => {
  it('takes a raw P-256 point in base64url and nothing else', async () => {
    const { publicKey } = await generateRegisterKeys();
    expect(publicKey).toHaveLength(87);
    await expect(registerKeyBody({ publicKey })).resolves.toBe(publicKey);
    const refused = async (body: unknown): Promise<string | undefined> => {
      try {
        await registerKeyBody(body);
        return 'accepted';
      } catch (e) {
        expect(e).toBeInstanceOf(HqError);
        return (e as HqError).field;
      }
    };
    expect(await refused({ publicKey: publicKey.slice(1) })).toBe('publicKey');
    expect(await refused({ publicKey: Buffer.concat([Buffer.from([4]), Buffer.alloc(64)]).toString('base64url') })).toBe('publicKey');
    expect(await refused({ publicKey, extra: 1 })).toBe('extra');
    expect(await refused(null)).toBe('publicKey');
  });

  it('reads the column leniently: only lists of text', () => {
    expect(registerKeysOf({ '01': ['a', 5, 'b'], '02': 'x' })).toEqual({ '01': ['a', 'b'] });
    expect(registerKeysOf('{"03":["k"]}')).toEqual({ '03': ['k'] });
    expect(registerKeysOf(null)).toEqual({});
  });
});

describe('numbers in paths and queries', () => {
  it('writes receipt and order numbers the way registers do', () => {
    expect(normalizeReceiptNumber(' 1001-01-000042 ')).toBe('1001-01-000042');
    expect(normalizeReceiptNumber('1001-01-42')).toBeNull();
    expect(normalizeOriginNumber('ord-1001-01-42')).toBe('ORD-1001-01-000042');
    expect(normalizeOriginNumber('1001-01-000042')).toBe('1001-01-000042');
    expect(normalizeOriginNumber('ORD')).toBeNull();
    expect(normalizeOriginNumber('1001-01-000042\u0000')).toBeNull();
  });
});

describe('lines a return names that were never sold', () => {
  it('count as sold 0 times at the price refunded', () => {
    const sold: OriginalLine[] = [{ lineNo: 1, productId: 'P1', itemNumber: '1', barcode: null, name: 'A', quantity: 2, unitPriceCents: 100, vat: 'high' }];
    const line = { lineNo: 1, originalLineNo: 3, productId: 'P9', itemNumber: '9', barcode: null, name: 'Z', quantity: 1, unitPriceCents: 250, amountCents: 250, vat: 'low' as const, reason: 'other' as const };
    expect(withUnknownLines(sold, new Set([1]), [{ lines: [line] }, { lines: [line] }]).map((l) => [l.lineNo, l.quantity, l.unitPriceCents])).toEqual([
      [1, 2, 100],
      [3, 0, 250],
    ]);
  });
});
