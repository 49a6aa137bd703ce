/**
 * The narrow bridge between the register's UI and its host. In Electron the preload script
 * exposes it as `window.kassa` through contextBridge; in a plain browser it is absent and the
 * register uses browser storage and window.print() instead (see renderer/bridge/index.ts).
 * The Electron layer depends only on this file.
 */

/** The register's configuration, as IT presets it (installer or config file) or enrolment writes it. */
export interface RegisterConfig {
  /** HQ base URL, e.g. "https://hq.example.nl". */
  hqUrl?: string;
  storeId?: string;
  registerId?: string;
  /** One-time enrolment (admin) token from IT; used once to obtain registerToken, then dropped. */
  enrolmentToken?: string;
  /** The register's own token after enrolment. */
  registerToken?: string;
  /** When registerToken expires (ISO); the register renews it well before. */
  tokenExpiresAt?: string;
}

export interface PrintOptions {
  /** Print without a dialog (a receipt printer). */
  silent: boolean;
  /** Printer name; the system default when absent. */
  deviceName?: string;
}

export interface PrintResult {
  ok: boolean;
  error?: string;
}

export interface KassaBridge {
  readonly platform: 'electron';
  appVersion(): Promise<string>;
  readConfig(): Promise<RegisterConfig>;
  writeConfig(config: RegisterConfig): Promise<void>;
  print(options: PrintOptions): Promise<PrintResult>;
}

/** The IPC channel names the preload uses; main answers exactly these and nothing else. */
export const BRIDGE_CHANNELS = {
  appVersion: 'kassa:app-version',
  readConfig: 'kassa:read-config',
  writeConfig: 'kassa:write-config',
  print: 'kassa:print',
} as const;
