import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** HQ as a real separate process (`sync/hq/cli.ts serve`), so tests can stop and restart it. */
export interface HqProcess {
  url: string;
  port: number;
  adminToken: string;
  dataDir: string;
  start(): Promise<void>;
  /** Kills HQ the hard way (SIGKILL), as a power cut or crash would. */
  kill(): Promise<void>;
  dispose(): Promise<void>;
  output(): string;
}

const ROOT = resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

export async function createHqProcess(opts: { demoProducts?: number; env?: Record<string, string> } = {}): Promise<HqProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kassa-hq-'));
  const adminToken = `test-admin-${Math.random().toString(36).slice(2)}`;
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';

  const start = async (): Promise<void> => {
    child = spawn(process.execPath, ['--import', 'tsx', 'sync/hq/cli.ts', 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        KASSA_DATA_DIR: dataDir,
        KASSA_ADMIN_TOKEN: adminToken,
        KASSA_DEMO_PRODUCTS: String(opts.demoProducts ?? 20_000),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<never>((_, reject) =>
      child?.once('exit', (code) => reject(new Error(`HQ exited with ${code}:\n${log}`))),
    );
    await Promise.race([
      exited,
      waitFor('HQ health', async () => (await fetch(`${url}/api/health`)).ok, 120_000),
    ]);
  };

  const kill = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGKILL');
    await gone;
    child = null;
  };

  return {
    url,
    port,
    adminToken,
    dataDir,
    start,
    kill,
    async dispose() {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
    output: () => log,
  };
}
