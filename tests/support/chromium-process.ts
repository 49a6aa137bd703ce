import { type ChildProcess, spawn } from 'node:child_process';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.ts';

/**
 * Debian's Chromium as a real process of our own, on a profile folder that outlives it, driven
 * through the DevTools protocol. Unlike Playwright's launch, it can be killed the hard way
 * (SIGKILL, as a power cut or a crash would) and started again on the same IndexedDB.
 */
export interface ChromiumProcess {
  browser: Browser;
  context: BrowserContext;
  pid: number;
  kill(): Promise<void>;
}

export async function startChromium(profileDir: string): Promise<ChromiumProcess> {
  const child: ChildProcess = spawn(
    CHROMIUM_PATH,
    [...CHROMIUM_ARGS, `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${err}`)), 30_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with ${code}:\n${err}`));
    });
  });
  const browser = await chromium.connectOverCDP(wsUrl);
  const context = browser.contexts()[0] ?? (await browser.newContext());
  return {
    browser,
    context,
    pid: child.pid ?? -1,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      // The whole process group would be cleaner, but Chromium's children die with their parent's pipe.
      child.kill('SIGKILL');
      await gone;
      await browser.close().catch(() => undefined);
    },
  };
}
