import { BrowserWindow, type IpcMainInvokeEvent, app, ipcMain, protocol, session } from 'electron';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  BRIDGE_CHANNELS,
  type PrintOptions,
  type PrintResult,
  type Printer,
  type RegisterConfig,
  type SavePdfResult,
} from '../renderer/bridge/types.ts';
import { configPaths, readConfig, writeConfig } from './config.ts';
import { type LogLevel, createLogger } from './log.ts';
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
import {
  freePath,
  pdfFileName,
  pdfFolder,
  pdfOptions,
  printJob,
  printerChoice,
  printerFile,
  readPrinterChoice,
  toPrinters,
  writePrinterChoice,
} from './printing.ts';

// The Electron shell: it serves the built register UI from app://kassa, keeps the window locked
// to it, and answers the bridge's six calls. Every decision lives in policy.ts, config.ts and
// printing.ts; what happens is written to the log (log.ts) in the app's logs folder.

// Built by electron/build.ts into dist-electron/; the UI is in dist/renderer beside it.
const ROOT = join(__dirname, '..');
const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
const PRELOAD = join(__dirname, 'preload.cjs');

// Electron's logs folder for the app (Windows: %APPDATA%\<app>\logs, macOS: ~/Library/Logs/<app>,
// Linux: ~/.config/<app>/logs); userData/logs if Electron cannot name one.
function logDir(): string {
  try {
    return app.getPath('logs');
  } catch {
    return join(app.getPath('userData'), 'logs');
  }
}
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const envLevel = process.env.KASSA_LOG_LEVEL as LogLevel | undefined;
const log = createLogger({ dir: logDir(), level: envLevel && LOG_LEVELS.includes(envLevel) ? envLevel : 'info' });

// The monitor logs an uncaught exception without changing Electron's own handling of it (its
// dialog, then exit). An unhandled promise rejection is logged, and the register keeps running.
process.on('uncaughtExceptionMonitor', (error, origin) => log.error('uncaught exception', { origin, error }));
process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', { reason }));

log.info('app start', {
  version: app.getVersion(),
  electron: process.versions.electron,
  chrome: process.versions.chrome,
  platform: process.platform,
  arch: process.arch,
  packaged: app.isPackaged,
  log: log.file,
});

protocol.registerSchemesAsPrivileged([
  // standard + secure: IndexedDB and fetch work as on https.
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
]);

const paths = () =>
  configPaths({ exeDir: dirname(app.getPath('exe')), resourcesDir: process.resourcesPath, userDataDir: app.getPath('userData') });

function currentConfig(): RegisterConfig {
  try {
    return readConfig(paths(), process.env);
  } catch (error) {
    log.error('config read failed', { error });
    throw error;
  }
}

/** The receipt printer chosen on the Support screen (printer.json beside config.json; see printing.ts). */
const chosenPrinter = (): string | undefined => readPrinterChoice(printerFile(app.getPath('userData')));

function saveConfig(config: RegisterConfig): void {
  const { printer: requestedPrinter, ...identity } = config;
  let printer: string | undefined;
  try {
    // Both checked before either file is written.
    printer = printerChoice(requestedPrinter);
    writeConfig(paths(), identity);
    writePrinterChoice(printerFile(app.getPath('userData')), printer);
  } catch (error) {
    log.error('config write failed', { error });
    throw error;
  }
  // Which fields were written, never their values (log.ts redacts tokens in any case).
  log.info('config written', {
    hqUrl: config.hqUrl,
    storeId: config.storeId,
    registerId: config.registerId,
    enrolled: Boolean(config.registerToken),
    printer: printer ?? '(print dialog)',
  });
}

function guard(event: IpcMainInvokeEvent, channel: string): void {
  if (!isTrustedSender(event.senderFrame?.url)) {
    log.warn('IPC refused: not the register UI', { channel, frame: event.senderFrame?.url });
    throw new Error('refused: not the register UI');
  }
}

async function serveApp(request: Request): Promise<Response> {
  const file = resolveAppFile(RENDERER_DIR, request.url);
  if (!file) {
    log.warn('app request refused', { url: request.url });
    return new Response('not found', { status: 404 });
  }
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        'content-type': mimeType(file),
        'content-security-policy': contentSecurityPolicy(currentConfig().hqUrl),
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (error) {
    log.warn('app file not served', { url: request.url, error });
    return new Response('not found', { status: 404 });
  }
}

function createWindow(): void {
  const win = new BrowserWindow(windowOptions(PRELOAD));
  log.info('window created', { id: win.id });
  win.once('ready-to-show', () => win.show());
  win.loadURL(APP_ENTRY).catch((error: unknown) => log.error('window load failed', { url: APP_ENTRY, error }));
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (isAllowedNavigation(url)) return;
    event.preventDefault();
    log.warn('navigation blocked', { url });
  });
  contents.on('will-redirect', (event, url) => {
    if (isAllowedNavigation(url)) return;
    event.preventDefault();
    log.warn('redirect blocked', { url });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('new window blocked', { url });
    return decideWindowOpen();
  });
  contents.on('render-process-gone', (_e, details) => log.error('renderer gone', { reason: details.reason, exitCode: details.exitCode }));
  contents.on('unresponsive', () => log.warn('renderer unresponsive'));
  contents.on('responsive', () => log.info('renderer responsive again'));
  contents.on('did-fail-load', (_e, errorCode, errorDescription, validatedURL, isMainFrame) => {
    if (isMainFrame) log.error('page failed to load', { url: validatedURL, errorCode, errorDescription });
  });
});

app.on('child-process-gone', (_event, details) =>
  log.error('child process gone', { type: details.type, reason: details.reason, exitCode: details.exitCode, name: details.name }),
);

void app.whenReady().then(() => {
  protocol.handle(APP_SCHEME, serveApp);
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(allowPermission(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => allowPermission(permission));

  ipcMain.handle(BRIDGE_CHANNELS.appVersion, (event) => {
    guard(event, BRIDGE_CHANNELS.appVersion);
    return app.getVersion();
  });
  ipcMain.handle(BRIDGE_CHANNELS.readConfig, (event) => {
    guard(event, BRIDGE_CHANNELS.readConfig);
    const printer = chosenPrinter();
    return { ...currentConfig(), ...(printer ? { printer } : {}) };
  });
  ipcMain.handle(BRIDGE_CHANNELS.writeConfig, (event, config: RegisterConfig) => {
    guard(event, BRIDGE_CHANNELS.writeConfig);
    saveConfig(config);
  });
  ipcMain.handle(BRIDGE_CHANNELS.print, (event, options: PrintOptions) => {
    guard(event, BRIDGE_CHANNELS.print);
    // Silent on the chosen receipt printer, else the system's print dialog (printing.ts decides).
    const job = printJob(options, chosenPrinter());
    const printer = job.deviceName ?? '(default)';
    return new Promise<PrintResult>((done) => {
      event.sender.print(job, (ok, reason) => {
        if (ok) log.info('printed', { silent: job.silent, printer });
        else log.warn('print failed', { silent: job.silent, printer, reason });
        done(ok ? { ok } : { ok, error: reason });
      });
    });
  });
  ipcMain.handle(BRIDGE_CHANNELS.listPrinters, async (event): Promise<Printer[]> => {
    guard(event, BRIDGE_CHANNELS.listPrinters);
    const printers = toPrinters(await event.sender.getPrintersAsync());
    log.info('printers listed', { count: printers.length, default: printers.find((p) => p.isDefault)?.name ?? null });
    return printers;
  });
  ipcMain.handle(BRIDGE_CHANNELS.savePdf, async (event, fileName: unknown): Promise<SavePdfResult> => {
    guard(event, BRIDGE_CHANNELS.savePdf);
    const name = pdfFileName(fileName);
    try {
      const data = await event.sender.printToPDF(pdfOptions());
      const dir = pdfFolder(app.getPath('documents'));
      await mkdir(dir, { recursive: true });
      const path = freePath(dir, name, existsSync);
      // 'wx': never over another file, whatever happened since freePath looked.
      await writeFile(path, data, { flag: 'wx' });
      log.info('pdf saved', { path, bytes: data.length });
      return { ok: true, path };
    } catch (error) {
      log.warn('pdf not saved', { file: name, error });
      return { ok: false, error: (error as Error).message };
    }
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => log.info('app quit'));
