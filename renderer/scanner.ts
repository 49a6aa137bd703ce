/**
 * A barcode scanner is a keyboard: it types the code's digits very fast, then Enter. This tells
 * a scan from a person typing by the gaps between keystrokes.
 */
export interface WedgeOptions {
  /** Longest gap between two keystrokes of one scan, ms. */
  maxGapMs: number;
  minLength: number;
  maxLength: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { maxGapMs: 60, minLength: 8, maxLength: 14 };

export interface WedgeDetector {
  /** Feed every key with its time; returns the scanned code when `key` is the Enter that ends a scan. */
  key(key: string, atMs: number): string | null;
  reset(): void;
}

export function createWedgeDetector(options: WedgeOptions = DEFAULT_WEDGE): WedgeDetector {
  let digits = '';
  let last = -Infinity;
  return {
    key(key, atMs) {
      const gap = atMs - last;
      last = atMs;
      if (key === 'Enter') {
        const code = digits;
        digits = '';
        const ok = gap <= options.maxGapMs && code.length >= options.minLength && code.length <= options.maxLength;
        return ok ? code : null;
      }
      if (/^\d$/.test(key)) {
        digits = gap <= options.maxGapMs ? digits + key : key;
        if (digits.length > options.maxLength) digits = digits.slice(-options.maxLength);
        return null;
      }
      digits = '';
      return null;
    },
    reset() {
      digits = '';
      last = -Infinity;
    },
  };
}
