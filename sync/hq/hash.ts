import { hash } from 'node:crypto';

/** SHA-256 of a text (UTF-8), as 64 hex digits; the one-shot form, about twice as fast as createHash for short texts. */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
