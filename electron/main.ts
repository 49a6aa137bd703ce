import { BrowserWindow, type IpcMainInvokeEvent, app, ipcMain, protocol, session } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BRIDGE_CHANNELS, type PrintOptions, type PrintResult, type RegisterConfig } from '../renderer/bridge/types.ts';
import { configPaths, readConfig, writeConfig } from './config.ts';
import {
  APP_ENTRY,
  APP_SCHEME,
  allowPermission,
  contentSecurityPolicy,
  decideWindowOpen,
  isAllowedNavigation,
  isTrustedSender,
  mimeType,
  resolveAppFile,
  windowOptions,
} from './policy.ts';

// The Electron shell: it serves the built register UI from app://kassa, keeps the window locked
// to it, and answers the bridge's four calls. Every decision lives in policy.ts and config.ts.

// Built by electron/build.ts into dist-electron/; the UI is in dist/renderer beside it.
const ROOT = join(__dirname, '..');
const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
const PRELOAD = join(__dirname, 'preload.cjs');

protocol.registerSchemesAsPrivileged([
  // standard + secure: IndexedDB and fetch work as on https.
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
]);

const paths = () =>
  configPaths({ exeDir: dirname(app.getPath('exe')), resourcesDir: process.resourcesPath, userDataDir: app.getPath('userData') });

function currentConfig(): RegisterConfig {
  return readConfig(paths(), process.env);
}

function guard(event: IpcMainInvokeEvent): void {
  if (!isTrustedSender(event.senderFrame?.url)) throw new Error('refused: not the register UI');
}

async function serveApp(request: Request): Promise<Response> {
  const file = resolveAppFile(RENDERER_DIR, request.url);
  if (!file) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        'content-type': mimeType(file),
        'content-security-policy': contentSecurityPolicy(currentConfig().hqUrl),
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

function createWindow(): void {
  const win = new BrowserWindow(windowOptions(PRELOAD));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY);
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => decideWindowOpen());
});

void app.whenReady().then(() => {
  protocol.handle(APP_SCHEME, serveApp);
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(allowPermission(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => allowPermission(permission));

  ipcMain.handle(BRIDGE_CHANNELS.appVersion, (event) => {
    guard(event);
    return app.getVersion();
  });
  ipcMain.handle(BRIDGE_CHANNELS.readConfig, (event) => {
    guard(event);
    return currentConfig();
  });
  ipcMain.handle(BRIDGE_CHANNELS.writeConfig, (event, config: RegisterConfig) => {
    guard(event);
    writeConfig(paths(), config);
  });
  ipcMain.handle(BRIDGE_CHANNELS.print, (event, options: PrintOptions) => {
    guard(event);
    return new Promise<PrintResult>((done) => {
      event.sender.print(
        { silent: options.silent === true, ...(options.deviceName ? { deviceName: options.deviceName } : {}), printBackground: false },
        (ok, reason) => done(ok ? { ok } : { ok, error: reason }),
      );
    });
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
