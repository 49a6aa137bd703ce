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
  /**
   * The receipt printer (its system name) chosen on the Support screen: documents print there
   * without a dialog. Absent: the system's print dialog. Electron only; a browser has its dialog.
   */
  printer?: string;
}

export interface PrintOptions {
  /**
   * Print without a dialog on the receipt printer. Electron does so only when a printer is known
   * (deviceName, else the configuration's `printer`); without one the system's dialog opens.
   */
  silent: boolean;
  /** Printer name; the configuration's `printer` when absent. */
  deviceName?: string;
}

export interface PrintResult {
  ok: boolean;
  error?: string;
}

/** A printer this computer can print to. */
export interface Printer {
  /** The system's name for it: what `RegisterConfig.printer` and `PrintOptions.deviceName` hold. */
  name: string;
  /** The name people see, when it differs from `name` (e.g. CUPS's "EPSON TM-T20III" for "EPSON_TM_T20III"). */
  displayName?: string;
  /** The operating system's default printer. */
  isDefault: boolean;
}

export interface SavePdfResult {
  ok: boolean;
  /** Where the PDF was written (Electron); absent when the browser's print dialog saved it. */
  path?: string;
  error?: string;
}

export interface KassaBridge {
  readonly platform: 'electron';
  appVersion(): Promise<string>;
  readConfig(): Promise<RegisterConfig>;
  writeConfig(config: RegisterConfig): Promise<void>;
  print(options: PrintOptions): Promise<PrintResult>;
  /** The printers this computer has (webContents.getPrintersAsync()), the default first. */
  listPrinters(): Promise<Printer[]>;
  /** The page as a PDF on 80 mm receipt paper, written into the user's Documents folder (Kassa); `fileName` is sanitised and gets ".pdf". */
  savePdf(fileName: string): Promise<SavePdfResult>;
}

/** The IPC channel names the preload uses; main answers exactly these and nothing else. */
export const BRIDGE_CHANNELS = {
  appVersion: 'kassa:app-version',
  readConfig: 'kassa:read-config',
  writeConfig: 'kassa:write-config',
  print: 'kassa:print',
  listPrinters: 'kassa:list-printers',
  savePdf: 'kassa:save-pdf',
} as const;
