import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RegisterConfig } from '../renderer/bridge/types.ts';

/**
 * Where the register's configuration lives, and how it is read and written. Pure of Electron:
 * main.ts passes in Electron's folders.
 *
 * - IT's preset: `kassa-register.json` next to the installed program (dropped by the installer
 *   or by hand), read-only for the app. Gives hqUrl, storeId, registerId, enrolmentToken.
 * - The register's own file: `config.json` in the app's data folder, written after enrolment.
 * - `KASSA_HQ_URL` in the environment (used by `npm start`) presets HQ's address.
 * Later sources win: preset < environment < own file. Once the register holds its own token,
 * the one-time enrolment token is no longer handed to the UI.
 */
export const PRESET_FILE = 'kassa-register.json';
export const CONFIG_FILE = 'config.json';

export interface ConfigPaths {
  /** IT's preset files, first found wins (next to the executable, then in resources). */
  presets: string[];
  /** The register's own configuration. */
  own: string;
}

export function configPaths(opts: { exeDir: string; resourcesDir?: string; userDataDir: string }): ConfigPaths {
  return {
    presets: [join(opts.exeDir, PRESET_FILE), ...(opts.resourcesDir ? [join(opts.resourcesDir, PRESET_FILE)] : [])],
    own: join(opts.userDataDir, CONFIG_FILE),
  };
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${file}: ${field} ${reason}`);
    this.name = 'ConfigError';
  }
}

const FIELDS = ['hqUrl', 'storeId', 'registerId', 'enrolmentToken', 'registerToken', 'tokenExpiresAt'] as const;
const PATTERNS: Record<(typeof FIELDS)[number], RegExp> = {
  hqUrl: /^https?:\/\/[^\s]+$/,
  storeId: /^\d{4}$/,
  registerId: /^\d{2}$/,
  enrolmentToken: /^[\x21-\x7e]{8,200}$/,
  registerToken: /^[\x21-\x7e]{8,200}$/,
  tokenExpiresAt: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
};

const SECRET_FIELDS = new Set<string>(['enrolmentToken', 'registerToken']);

/** Checks a parsed configuration file; unknown keys are ignored, bad values name their field. */
export function validateConfig(value: unknown, file: string): RegisterConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(file, '(file)', 'must hold a JSON object');
  const out: RegisterConfig = {};
  for (const key of FIELDS) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string' || !PATTERNS[key].test(v)) {
      // A bad token is not echoed: this message reaches the UI and the log.
      const shown = !SECRET_FIELDS.has(key) ? JSON.stringify(v) : typeof v === 'string' ? `${v.length} characters, hidden` : `a ${typeof v}`;
      throw new ConfigError(file, key, `is not valid (${shown})`);
    }
    out[key] = v;
  }
  return out;
}

function readJson(file: string): RegisterConfig | null {
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(file, '(file)', `is not JSON: ${(e as Error).message}`);
  }
  return validateConfig(parsed, file);
}

export function readConfig(paths: ConfigPaths, env: Record<string, string | undefined> = {}): RegisterConfig {
  let preset: RegisterConfig = {};
  for (const file of paths.presets) {
    const found = readJson(file);
    if (found) {
      preset = found;
      break;
    }
  }
  const fromEnv: RegisterConfig = env.KASSA_HQ_URL ? validateConfig({ hqUrl: env.KASSA_HQ_URL }, 'KASSA_HQ_URL') : {};
  const own = readJson(paths.own) ?? {};
  const merged: RegisterConfig = { ...preset, ...fromEnv, ...own };
  // An enrolled register does not need (and must not keep showing) IT's enrolment token.
  if (merged.registerToken) delete merged.enrolmentToken;
  return merged;
}

/** Writes the register's own configuration atomically (temp file + rename): a crash leaves the old or the new file, never half of one. */
export function writeConfig(paths: ConfigPaths, config: RegisterConfig): void {
  const clean = validateConfig(config, 'config');
  if (clean.registerToken) delete clean.enrolmentToken;
  mkdirSync(dirname(paths.own), { recursive: true });
  const tmp = `${paths.own}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(clean, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, paths.own);
}
