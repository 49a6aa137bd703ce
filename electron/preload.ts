import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_CHANNELS, type KassaBridge, type PrintOptions, type RegisterConfig } from '../renderer/bridge/types.ts';

// The whole bridge: six calls, each one fixed IPC channel. The page gets no ipcRenderer, no
// Node, nothing else (contextIsolation + sandbox).
const bridge: KassaBridge = {
  platform: 'electron',
  appVersion: () => ipcRenderer.invoke(BRIDGE_CHANNELS.appVersion) as Promise<string>,
  readConfig: () => ipcRenderer.invoke(BRIDGE_CHANNELS.readConfig) as Promise<RegisterConfig>,
  writeConfig: (config: RegisterConfig) => ipcRenderer.invoke(BRIDGE_CHANNELS.writeConfig, config) as Promise<void>,
  print: (options: PrintOptions) => ipcRenderer.invoke(BRIDGE_CHANNELS.print, options) as ReturnType<KassaBridge['print']>,
  listPrinters: () => ipcRenderer.invoke(BRIDGE_CHANNELS.listPrinters) as ReturnType<KassaBridge['listPrinters']>,
  savePdf: (fileName: string) => ipcRenderer.invoke(BRIDGE_CHANNELS.savePdf, fileName) as ReturnType<KassaBridge['savePdf']>,
};

contextBridge.exposeInMainWorld('kassa', bridge);
