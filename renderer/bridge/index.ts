import type { KassaBridge, PrintOptions, PrintResult, RegisterConfig } from './types.ts';

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
}

const STORAGE_KEY = 'kassa.register-config';

/** The browser's host: configuration in localStorage, printing through the print dialog. */
export const webHost: Host = {
  platform: 'web',
  async appVersion() {
    return typeof __KASSA_VERSION__ === 'string' ? __KASSA_VERSION__ : 'dev';
  },
  async readConfig() {
    try {
      const raw = localStorage.getItem(STORAGE_KEY);
      return raw ? (JSON.parse(raw) as RegisterConfig) : {};
    } catch {
      return {};
    }
  },
  async writeConfig(config) {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(config));
  },
  async print() {
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
  };
}
