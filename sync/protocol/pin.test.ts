import { describe, expect, it } from 'vitest';
import { hashPin, verifyPin } from './pin.ts';

describe('operator PINs', () => {
  it('verifies the right PIN and refuses any other, with a fresh salt each time', async () => {
    const a = await hashPin('4321', 1000);
    const b = await hashPin('4321', 1000);
    expect(a.pinHash).not.toBe(b.pinHash);
    expect(a.pinHash).not.toContain('4321');
    expect(await verifyPin('4321', a)).toBe(true);
    expect(await verifyPin('4322', a)).toBe(false);
    expect(await verifyPin('43210', a)).toBe(false);
    expect(await verifyPin('', a)).toBe(false);
  });
  it('refuses PINs that are not 4-8 digits', async () => {
    await expect(hashPin('12a4')).rejects.toThrow(/4 to 8 digits/);
    await expect(hashPin('123')).rejects.toThrow(/4 to 8 digits/);
  });
  it('is slow by default (100,000 PBKDF2 iterations)', async () => {
    expect((await hashPin('1234')).pinIterations).toBe(100_000);
  });
});
