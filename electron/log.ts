import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The main process's log: one line per entry (ISO time, level, message, details as JSON) in
 * `kassa.log` in the app's logs folder, rotated by size: when the next line would take the
 * file over `maxBytes` (1 MB), kassa.log becomes kassa.1.log, kassa.1.log kassa.2.log, … and
 * the oldest beyond `keep` (5) is deleted. Pure of Electron: main.ts passes in the folder.
 *
 * Secrets never reach the file: values of token, PIN, password and authorization fields (in
 * details and in text such as JSON, `key=value` or URLs) and bearer tokens are replaced by
 * `[redacted]` before a line is written. Writing is synchronous, so the line about an uncaught
 * exception is on disk before the process dies, and never throws: a register whose disk is full
 * keeps selling.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const LOG_NAME = 'kassa';
export const MAX_LOG_BYTES = 1024 * 1024;
export const KEEP_LOG_FILES = 5;
/** One entry is cut at this many characters (after redaction), so one huge error cannot flood the file. */
export const MAX_ENTRY_CHARS = 8 * 1024;
export const REDACTED = '[redacted]';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogOptions {
  /** The folder the log files live in (created on first write). */
  dir: string;
  /** File name stem: `<name>.log`, `<name>.1.log`, … */
  name?: string;
  maxBytes?: number;
  /** Rotated files kept besides the current one. */
  keep?: number;
  /** Entries below this level are dropped. */
  level?: LogLevel;
  now?: () => Date;
}

export interface Logger {
  /** The current log file. */
  readonly file: string;
  debug(message: string, details?: unknown): void;
  info(message: string, details?: unknown): void;
  warn(message: string, details?: unknown): void;
  error(message: string, details?: unknown): void;
}

/** Whether a field of this name holds a secret: tokens, PINs (and their hashes), passwords, credentials. */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return (
    k.endsWith('token') ||
    k === 'pin' ||
    k.endsWith('pin') ||
    k.endsWith('pinhash') ||
    k.endsWith('password') ||
    k.endsWith('secret') ||
    k.endsWith('privatekey') ||
    k === 'apikey' ||
    k === 'authorization' ||
    k === 'cookie'
  );
}

const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
// user:password@ in a URL.
const URL_CREDENTIALS = /(\/\/)[^\s/?#@:]+:[^\s/?#@]+@/g;
// A field whose name ends like a secret's, optionally quoted, then : or =, then a quoted string or a
// bare value (an auth scheme may precede it). The look-behind anchors a name at its first
// character, which keeps the scan linear on long runs of letters.
const KEY_VALUE =
  /(?<![A-Za-z0-9_-])(["']?)([A-Za-z0-9_-]*?(?:token|pin|pinhash|password|secret|private_?key|api_?key|authorization|cookie))\1(\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|(?:(?:Bearer|Basic)\s+)?[^\s"',;&}\])]+)/gi;

/** Replaces bearer tokens, credentials in URLs and the values of secret fields in free text. */
export function redactText(text: string): string {
  return text.replace(BEARER, `$1 ${REDACTED}`).replace(URL_CREDENTIALS, `$1${REDACTED}@`).replace(KEY_VALUE, (whole, quote: string, key: string, sep: string, value: string) => {
    if (!isSecretKey(key) || value.includes(REDACTED)) return whole;
    const q = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
    return `${quote}${key}${quote}${sep}${q}${REDACTED}${q}`;
  });
}

/** A copy of `value` safe to log: secret fields redacted, errors as name/message/stack, no cycles, bounded depth. */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
  }
  if (seen.has(value)) return '[circular]';
  if (depth >= 6) return '[deep]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactText(value.message) };
    if (value.stack) out.stack = redactText(value.stack);
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = redactValue(code, depth + 1, seen);
    if (value.cause !== undefined) out.cause = redactValue(value.cause, depth + 1, seen);
    return out;
  }
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redactValue(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redactValue(v, depth + 1, seen);
  return out;
}

/** One log line (without the newline): `2026-11-25T14:02:00.000Z INFO  message {"details":…}`. */
export function formatEntry(time: Date, level: LogLevel, message: string, details?: unknown): string {
  let line = `${time.toISOString()} ${level.toUpperCase().padEnd(5)} ${redactText(message)}`;
  if (details !== undefined) {
    let json: string;
    try {
      json = JSON.stringify(redactValue(details)) ?? String(details);
    } catch (e) {
      json = JSON.stringify({ unserializable: (e as Error).message });
    }
    line += ` ${json}`;
  }
  // One entry, one line: a stack or a multi-line message cannot forge further entries.
  line = redactText(line).replace(/\r\n|\r|\n/g, '\\n');
  return line.length > MAX_ENTRY_CHARS ? `${line.slice(0, MAX_ENTRY_CHARS)}…[truncated]` : line;
}

/** `<name>.log` for 0, `<name>.<n>.log` for the n-th rotated file. */
export function logFileName(name: string, index: number): string {
  return index === 0 ? `${name}.log` : `${name}.${index}.log`;
}

/** Shifts kassa.log → kassa.1.log → … → kassa.<keep>.log, deleting what falls off the end. */
export function rotateLogs(dir: string, name = LOG_NAME, keep = KEEP_LOG_FILES): void {
  const path = (i: number) => join(dir, logFileName(name, i));
  if (keep < 1) {
    rmSync(path(0), { force: true });
    return;
  }
  rmSync(path(keep), { force: true });
  for (let i = keep - 1; i >= 0; i--) if (existsSync(path(i))) renameSync(path(i), path(i + 1));
}

export function createLogger(options: LogOptions): Logger {
  const name = options.name ?? LOG_NAME;
  const maxBytes = options.maxBytes ?? MAX_LOG_BYTES;
  const keep = options.keep ?? KEEP_LOG_FILES;
  const minLevel = LEVELS[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());
  const file = join(options.dir, logFileName(name, 0));
  let size: number | null = null;
  let failed = false;

  function write(level: LogLevel, message: string, details?: unknown): void {
    if (LEVELS[level] < minLevel) return;
    try {
      const line = `${formatEntry(now(), level, message, details)}\n`;
      const bytes = Buffer.byteLength(line);
      if (size === null) {
        mkdirSync(options.dir, { recursive: true });
        size = existsSync(file) ? statSync(file).size : 0;
      }
      if (size > 0 && size + bytes > maxBytes) {
        rotateLogs(options.dir, name, keep);
        size = 0;
      }
      appendFileSync(file, line, { mode: 0o600 });
      size += bytes;
      failed = false;
    } catch (e) {
      // Logging never takes the register down; say so once on stderr, then try again next time.
      if (!failed) process.stderr.write(`kassa: cannot write the log ${file}: ${(e as Error).message}\n`);
      failed = true;
      size = null;
    }
  }

  return {
    file,
    debug: (message, details) => write('debug', message, details),
    info: (message, details) => write('info', message, details),
    warn: (message, details) => write('warn', message, details),
    error: (message, details) => write('error', message, details),
  };
}
