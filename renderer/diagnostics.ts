import type { Diagnostics } from '../sync/client/index.ts';

/**
 * The diagnostics bundle IT exports from the Support screen: the register's Diagnostics plus
 * what the host knows (app version, platform), as JSON — and never a secret. Pure functions,
 * so the redaction is tested without a browser.
 */

/** Bumped when the bundle's shape changes incompatibly. */
export const BUNDLE_FORMAT = 1;

export interface DiagnosticsBundle extends Diagnostics {
  format: typeof BUNDLE_FORMAT;
  app: { version: string; platform: 'electron' | 'web'; userAgent: string | null };
}

/**
 * Whether a field of this name may hold a secret: tokens (registerToken, enrolmentToken,
 * token), PINs and their hashes and salts, private keys, passwords, authorization headers,
 * secrets, cookies. Case, `_` and `-` do not matter. Names that only talk about a token
 * (`tokenPresent`, `tokenExpiresAt`) are not secrets.
 */
export function isSecretField(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return (
    k.endsWith('token') ||
    k.endsWith('pin') ||
    k.includes('pinhash') ||
    k.includes('pinsalt') ||
    k.includes('privatejwk') ||
    k.includes('privatekey') ||
    k.includes('password') ||
    k.includes('passwd') ||
    k.includes('authorization') ||
    k.includes('secret') ||
    k === 'cookie' ||
    k === 'apikey'
  );
}

const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const URL_CREDENTIALS = /(\/\/)[^\s/?#@:]+:[^\s/?#@]+@/g;

/** Free text (an HQ error message, a URL) without bearer tokens or credentials in URLs. */
function scrubText(text: string): string {
  return text.replace(BEARER, '$1 [redacted]').replace(URL_CREDENTIALS, '$1[redacted]@');
}

/**
 * A deep copy of `value` without any field whose name is a secret's (see isSecretField), at any
 * depth, in objects and in arrays; strings lose bearer tokens and URL credentials. Cycles become
 * "[circular]". The input is not changed.
 */
export function redactDiagnostics<T>(value: T): T {
  const seen = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubText(v);
    if (v === null || typeof v !== 'object') return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    try {
      if (Array.isArray(v)) return v.map(walk);
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) {
        if (isSecretField(k)) continue;
        out[k] = walk(inner);
      }
      return out;
    } finally {
      // The same object twice side by side (not inside itself) is fine.
      seen.delete(v);
    }
  };
  return walk(value) as T;
}

/** The bundle to export: the register's facts and the host's, redacted. */
export function diagnosticsBundle(d: Diagnostics, app: { version: string; platform: 'electron' | 'web'; userAgent?: string | null }): DiagnosticsBundle {
  return redactDiagnostics({ format: BUNDLE_FORMAT, app: { version: app.version, platform: app.platform, userAgent: app.userAgent ?? null }, ...d });
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `kassa-diagnostics-<store>-<register>-<YYYYMMDD-HHmm>.json`, in the register's local time. */
export function diagnosticsFileName(storeId: string, registerId: string, at: Date): string {
  const stamp = `${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}-${two(at.getHours())}${two(at.getMinutes())}`;
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return `kassa-diagnostics-${safe(storeId)}-${safe(registerId)}-${stamp}.json`;
}

/** Bytes as megabytes with one decimal ("12.3 MB"). */
export function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
