import type { KassaBridge, PrintOptions, PrintResult, Printer, RegisterConfig, SavePdfResult } from './types.ts';

declare global {
  interface Window {
    kassa?: KassaBridge;
  }
}

/** What the UI needs of its host, in Electron (window.kassa) and in a plain browser alike. */
export interface Host {
  platform: 'electron' | 'web';
  appVersion(): Promise<string>;
  readConfig(): Promise<RegisterConfig>;
  writeConfig(config: RegisterConfig): Promise<void>;
  print(options: PrintOptions): Promise<PrintResult>;
  /** The printers to choose the receipt printer from; none in a browser (its print dialog chooses). */
  listPrinters(): Promise<Printer[]>;
  /** The page as a PDF: Electron writes it on 80 mm paper into Documents/Kassa; a browser opens its print dialog, which offers "Save as PDF". */
  savePdf(fileName: string): Promise<SavePdfResult>;
}

const LEGACY_KEY = 'kassa.register-config';
const CONFIG_DB = 'kassa-config';
const CONFIG_STORE = 'config';
const CONFIG_ID = 'register';

/**
 * The browser keeps the register's configuration in IndexedDB, written with strict durability:
 * localStorage is flushed lazily, so a crash right after enrolment could forget the register's
 * identity (the end-to-end kill test found exactly that).
 */
function openConfigDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(CONFIG_DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(CONFIG_STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('cannot open the configuration database'));
  });
}

async function idbGet(): Promise<RegisterConfig | undefined> {
  const db = await openConfigDb();
  try {
    return await new Promise((resolve, reject) => {
      const req = db.transaction(CONFIG_STORE, 'readonly').objectStore(CONFIG_STORE).get(CONFIG_ID);
      req.onsuccess = () => resolve(req.result as RegisterConfig | undefined);
      req.onerror = () => reject(req.error ?? new Error('cannot read the configuration'));
    });
  } finally {
    db.close();
  }
}

async function idbPut(config: RegisterConfig): Promise<void> {
  const db = await openConfigDb();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(CONFIG_STORE, 'readwrite', { durability: 'strict' });
      tx.objectStore(CONFIG_STORE).put(config, CONFIG_ID);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('cannot write the configuration'));
      tx.onabort = () => reject(tx.error ?? new Error('writing the configuration was aborted'));
    });
  } finally {
    db.close();
  }
}

/** The browser's host: configuration in IndexedDB, printing through the print dialog. */
export const webHost: Host = {
  platform: 'web',
  async appVersion() {
    return typeof __KASSA_VERSION__ === 'string' ? __KASSA_VERSION__ : 'dev';
  },
  async readConfig() {
    const stored = await idbGet();
    if (stored) return stored;
    // Registers enrolled by an earlier version kept it in localStorage: move it over once.
    try {
      const raw = localStorage.getItem(LEGACY_KEY);
      if (!raw) return {};
      const legacy = JSON.parse(raw) as RegisterConfig;
      await idbPut(legacy);
      localStorage.removeItem(LEGACY_KEY);
      return legacy;
    } catch {
      return {};
    }
  },
  async writeConfig(config) {
    await idbPut(config);
  },
  async print() {
    window.print();
    return { ok: true };
  },
  async listPrinters() {
    return [];
  },
  async savePdf(fileName) {
    // The browser's dialog names the PDF after the page's title: the document's file name,
    // until the dialog has closed.
    const title = document.title;
    window.addEventListener('afterprint', () => (document.title = title), { once: true });
    document.title = fileName.replace(/\.pdf$/i, '');
    window.print();
    return { ok: true };
  },
};

export function getHost(): Host {
  const bridge = typeof window !== 'undefined' ? window.kassa : undefined;
  if (!bridge) return webHost;
  return {
    platform: 'electron',
    appVersion: () => bridge.appVersion(),
    readConfig: () => bridge.readConfig(),
    writeConfig: (c) => bridge.writeConfig(c),
    print: (o) => bridge.print(o),
    listPrinters: () => bridge.listPrinters(),
    savePdf: (name) => bridge.savePdf(name),
  };
}
