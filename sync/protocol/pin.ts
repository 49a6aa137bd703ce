/**
 * Operator PINs are kept only as a slow hash: PBKDF2 with SHA-256, a random salt per operator
 * and many iterations, so a copied replica or database does not give PINs away by trying all
 * 10,000 four-digit PINs quickly. WebCrypto: the same code in the register (browser, Electron)
 * and HQ (Node 20's globalThis.crypto).
 */
export const PIN_ITERATIONS = 100_000;
export const PIN_PATTERN = /^\d{4,8}$/;

const hex = (bytes: ArrayBuffer | Uint8Array): string =>
  [...(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');

function fromHex(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(text.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export interface PinHash {
  pinHash: string;
  pinSalt: string;
  pinIterations: number;
}

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await globalThis.crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return hex(bits);
}

export async function hashPin(pin: string, iterations = PIN_ITERATIONS): Promise<PinHash> {
  if (!PIN_PATTERN.test(pin)) throw new RangeError('a PIN is 4 to 8 digits');
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(new ArrayBuffer(16)));
  return { pinHash: await derive(pin, salt, iterations), pinSalt: hex(salt), pinIterations: iterations };
}

/** Compares in constant time over the hash's length. */
export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  if (!PIN_PATTERN.test(pin) || !/^[0-9a-f]{64}$/.test(stored.pinHash) || !/^[0-9a-f]{32}$/.test(stored.pinSalt)) return false;
  const got = await derive(pin, fromHex(stored.pinSalt), stored.pinIterations);
  let diff = 0;
  for (let i = 0; i < got.length; i++) diff |= got.charCodeAt(i) ^ stored.pinHash.charCodeAt(i);
  return diff === 0;
}
