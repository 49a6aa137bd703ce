import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_CHANNELS } from '../renderer/bridge/types.ts';

// main.ts's wiring, with a stand-in for Electron's API (no Electron binary here): what it writes
// to the log at start, on window creation, config errors, printing, crashes and uncaught
// exceptions, and that no token reaches the log on the way.

type Handler = (event: unknown, ...args: unknown[]) => unknown;
const fake = vi.hoisted(() => ({
  dir: '',
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  windows: [] as { options: unknown }[],
  app: null as unknown as import('node:events').EventEmitter,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const { join: joinPath } = await import('node:path');
  const app = Object.assign(new Emitter(), {
    getPath: (name: string) => (name === 'exe' ? joinPath(fake.dir, 'program', 'kassa') : joinPath(fake.dir, name)),
    getVersion: () => '0.1.0',
    isPackaged: false,
    whenReady: () => Promise.resolve(),
    quit: () => undefined,
  });
  fake.app = app;
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    readonly id: number;
    constructor(readonly options: unknown) {
      fake.windows.push(this);
      BrowserWindow.all.push(this);
      this.id = BrowserWindow.all.length;
    }
    once(): void {}
    show(): void {}
    loadURL(): Promise<void> {
      return Promise.resolve();
    }
    static getAllWindows(): BrowserWindow[] {
      return BrowserWindow.all;
    }
  }
  return {
    app,
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: Handler) => fake.handlers.set(channel, fn) },
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    session: { defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined } },
  };
});

const APP_FRAME = { senderFrame: { url: 'app://kassa/index.html' } };
const TOKEN = 'cmVnaXN0ZXItdG9rZW4tc2VjcmV0LTEyMzQ1Njc4OTA';
let added: { event: string; listener: (...args: unknown[]) => void }[] = [];
const logText = () => readFileSync(join(fake.dir, 'logs', 'kassa.log'), 'utf8');
const entries = () => logText().trim().split('\n');
const entry = (message: string) => entries().find((l) => l.includes(` ${message}`)) ?? '';

beforeAll(async () => {
  fake.dir = mkdtempSync(join(tmpdir(), 'kassa-main-'));
  const before = new Map(['uncaughtExceptionMonitor', 'unhandledRejection'].map((e) => [e, process.listeners(e as 'unhandledRejection')]));
  await import('./main.ts');
  await new Promise((r) => setTimeout(r, 10));
  added = [...before].flatMap(([event, old]) =>
    process
      .listeners(event as 'unhandledRejection')
      .filter((l) => !old.includes(l))
      .map((listener) => ({ event, listener: listener as (...args: unknown[]) => void })),
  );
});

afterAll(() => {
  for (const { event, listener } of added) process.removeListener(event, listener);
});

describe('the main process’s log', () => {
  it('is in the app’s logs folder and records the start and the window', () => {
    expect(entry('app start')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z INFO {2}app start \{"version":"0\.1\.0"/);
    expect(entry('window created')).toContain('{"id":1}');
    expect(fake.windows).toHaveLength(1);
  });

  it('records a crashed renderer, blocked navigation and new windows', () => {
    const contents = Object.assign(new EventEmitter(), { open: null as null | ((d: { url: string }) => unknown) });
    Object.assign(contents, { setWindowOpenHandler: (fn: (d: { url: string }) => unknown) => (contents.open = fn) });
    fake.app.emit('web-contents-created', {}, contents);
    contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 133 });
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    expect(contents.open?.({ url: 'https://evil.example/popup' })).toEqual({ action: 'deny' });
    expect(entry('renderer gone')).toContain('ERROR renderer gone {"reason":"oom","exitCode":133}');
    expect(entry('navigation blocked')).toContain('"url":"https://evil.example/"');
    expect(entry('new window blocked')).toContain('popup');
  });

  it('records refused IPC, config written and config errors, without the token', async () => {
    const write = fake.handlers.get(BRIDGE_CHANNELS.writeConfig);
    expect(() => write?.({ senderFrame: { url: 'https://evil.example/' } }, {})).toThrow(/refused/);
    expect(entry('IPC refused')).toContain('"channel":"kassa:write-config"');

    write?.(APP_FRAME, { hqUrl: 'https://hq.kassa.nl', storeId: '1003', registerId: '02', registerToken: TOKEN });
    expect(entry('config written')).toContain('"storeId":"1003","registerId":"02","enrolled":true');
    expect(() => write?.(APP_FRAME, { registerToken: `${TOKEN} with a space` })).toThrow(/registerToken/);
    expect(entry('config write failed')).toContain('registerToken is not valid');
    expect(fake.handlers.get(BRIDGE_CHANNELS.readConfig)?.(APP_FRAME)).toMatchObject({ registerToken: TOKEN });
    expect(logText()).not.toContain(TOKEN);
  });

  it('records print results', async () => {
    const print = fake.handlers.get(BRIDGE_CHANNELS.print);
    const sender = (ok: boolean, reason: string) => ({ ...APP_FRAME, sender: { print: (_o: unknown, cb: (ok: boolean, reason: string) => void) => cb(ok, reason) } });
    await expect(print?.(sender(true, ''), { silent: true, deviceName: 'EPSON TM-T20' })).resolves.toEqual({ ok: true });
    await expect(print?.(sender(false, 'cancelled'), { silent: false })).resolves.toEqual({ ok: false, error: 'cancelled' });
    expect(entry('printed')).toContain('{"silent":true,"printer":"EPSON TM-T20"}');
    expect(entry('print failed')).toContain('"reason":"cancelled"');
  });

  it('prints silently on the receipt printer chosen in the configuration, else through the dialog', async () => {
    const write = fake.handlers.get(BRIDGE_CHANNELS.writeConfig);
    const read = fake.handlers.get(BRIDGE_CHANNELS.readConfig);
    const print = fake.handlers.get(BRIDGE_CHANNELS.print);
    const jobs: unknown[] = [];
    const sender = { ...APP_FRAME, sender: { print: (o: unknown, cb: (ok: boolean, reason: string) => void) => (jobs.push(o), cb(true, '')) } };
    const identity = { hqUrl: 'https://hq.kassa.nl', storeId: '1003', registerId: '02', registerToken: TOKEN };

    write?.(APP_FRAME, { ...identity, printer: 'EPSON_TM_T20III' });
    expect(read?.(APP_FRAME)).toMatchObject({ storeId: '1003', printer: 'EPSON_TM_T20III' });
    expect(JSON.parse(readFileSync(join(fake.dir, 'userData', 'config.json'), 'utf8'))).not.toHaveProperty('printer');
    expect(entries().filter((l) => l.includes(' config written')).at(-1)).toContain('"printer":"EPSON_TM_T20III"');
    await expect(print?.(sender, { silent: true })).resolves.toEqual({ ok: true });
    expect(jobs.at(-1)).toEqual({ silent: true, deviceName: 'EPSON_TM_T20III', printBackground: false, pageSize: { width: 80_000, height: 297_000 } });

    write?.(APP_FRAME, identity);
    expect(read?.(APP_FRAME)).not.toHaveProperty('printer');
    await print?.(sender, { silent: true });
    expect(jobs.at(-1)).toEqual({ silent: false, printBackground: false });
    const before = readFileSync(join(fake.dir, 'userData', 'config.json'), 'utf8');
    expect(() => write?.(APP_FRAME, { ...identity, storeId: '1004', printer: 'bad\u0000name' })).toThrow(/printer/);
    expect(readFileSync(join(fake.dir, 'userData', 'config.json'), 'utf8')).toBe(before);
  });

  it('lists the printers and saves PDFs into Documents/Kassa, only for the register UI', async () => {
    const list = fake.handlers.get(BRIDGE_CHANNELS.listPrinters);
    const save = fake.handlers.get(BRIDGE_CHANNELS.savePdf);
    const pdfCalls: unknown[] = [];
    const sender = {
      ...APP_FRAME,
      sender: {
        getPrintersAsync: async () => [
          { name: 'Zebra', displayName: 'Zebra', description: '', options: {} },
          { name: 'EPSON_TM_T20III', displayName: 'EPSON TM-T20III', description: '', options: { 'printer-is-default': 'true' } },
        ],
        printToPDF: async (o: unknown) => (pdfCalls.push(o), Buffer.from('%PDF-1.4 test')),
      },
    };
    await expect(list?.(sender)).resolves.toEqual([
      { name: 'EPSON_TM_T20III', displayName: 'EPSON TM-T20III', isDefault: true },
      { name: 'Zebra', isDefault: false },
    ]);
    const first = (await save?.(sender, '../receipt-1001-02-000042')) as { ok: boolean; path: string };
    expect(first).toEqual({ ok: true, path: join(fake.dir, 'documents', 'Kassa', 'receipt-1001-02-000042.pdf') });
    expect(readFileSync(first.path, 'utf8')).toBe('%PDF-1.4 test');
    expect(pdfCalls[0]).toMatchObject({ pageSize: { width: 3.1496, height: 11.6929 }, preferCSSPageSize: false });
    await expect(save?.(sender, 'receipt-1001-02-000042')).resolves.toEqual({ ok: true, path: join(fake.dir, 'documents', 'Kassa', 'receipt-1001-02-000042-2.pdf') });
    expect(entry('pdf saved')).toContain('receipt-1001-02-000042');

    const failing = { ...APP_FRAME, sender: { printToPDF: async () => Promise.reject(new Error('renderer gone')) } };
    await expect(save?.(failing, 'x')).resolves.toEqual({ ok: false, error: 'renderer gone' });
    expect(entry('pdf not saved')).toContain('renderer gone');

    const evil = { senderFrame: { url: 'https://evil.example/' }, sender: sender.sender };
    await expect(Promise.resolve().then(() => list?.(evil))).rejects.toThrow(/refused/);
    await expect(Promise.resolve().then(() => save?.(evil, 'x'))).rejects.toThrow(/refused/);
  });

  it('records uncaught exceptions and unhandled rejections, redacted', () => {
    expect(added.map((a) => a.event).sort()).toEqual(['uncaughtExceptionMonitor', 'unhandledRejection']);
    for (const { event, listener } of added) {
      listener(new Error(`${event}: HQ said 401 for Authorization: Bearer ${TOKEN}`), event === 'unhandledRejection' ? Promise.resolve() : 'uncaughtException');
    }
    expect(entry('uncaught exception')).toContain('"origin":"uncaughtException"');
    expect(entry('unhandled promise rejection')).toContain('unhandledRejection: HQ said 401');
    expect(logText()).not.toContain(TOKEN);
  });
});
