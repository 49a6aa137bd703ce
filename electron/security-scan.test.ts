import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { windowOptions } from './policy.ts';
import { type Finding, PROBE_FILE, judge, loadAllowList, probeSource, scanFiles, shellScanFiles, shellSources } from './security-scan.ts';

// `npm run lint:electron` (Electronegativity over the shell). These tests show the scan is not
// blind: it reads TypeScript, it sees the real window options through the probe, and the
// verdict fails on anything the allow-list does not accept.

const ids = (findings: Finding[], severity?: string) => findings.filter((f) => !severity || f.severity === severity).map((f) => f.id);

describe('the Electron security scan', () => {
  it('scans the TypeScript that goes into the bundles, not tests or build tools', async () => {
    const sources = await shellSources();
    expect(sources).toEqual(expect.arrayContaining(['electron/main.ts', 'electron/preload.ts', 'electron/policy.ts', 'electron/config.ts', 'electron/log.ts']));
    expect(sources.filter((s) => s.includes('.test.') || s.endsWith('build.ts') || s.endsWith('security-scan.ts'))).toEqual([]);
  });

  it('finds an insecure window written in TypeScript', async () => {
    const bad = [
      "import { BrowserWindow, type WebPreferences } from 'electron';",
      'const prefs = { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } satisfies WebPreferences;',
      'export function open(url: string): BrowserWindow {',
      '  const win: BrowserWindow = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });',
      '  void win.loadURL(url as string);',
      '  return win;',
      '}',
      'void prefs;',
    ].join('\n');
    const scan = await scanFiles(new Map([['electron/main.ts', bad]]));
    expect(scan.errors).toEqual([]);
    // Electronegativity 1.10.3 rates contextIsolation: false HIGH, sandbox and webSecurity MEDIUM; it
    // misses nodeIntegration: true beside sandbox: false (its check reads the sandbox backwards),
    // which is why policy.test.ts pins every web preference too.
    expect(ids(scan.findings, 'HIGH')).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(ids(scan.findings)).toEqual(expect.arrayContaining(['SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']));
    expect(judge(scan, loadAllowList()).ok).toBe(false);
  }, 30_000);

  it('checks the window options and CSP that policy.ts really returns (the probe), and would catch them weakened', async () => {
    const good = await scanFiles(new Map([[PROBE_FILE, probeSource()]]));
    for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'NODE_INTEGRATION_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'AUXCLICK_JS_CHECK', 'INSECURE_CONTENT_JS_CHECK', 'EXPERIMENTAL_FEATURES_JS_CHECK'])
      expect(ids(good.findings), id).not.toContain(id);
    expect(good.findings.filter((f) => f.id === 'CSP_GLOBAL_CHECK').map((f) => f.description)).toEqual([
      expect.stringContaining('seems to be vulnerable'),
      expect.stringContaining('seems to be vulnerable'),
    ]);

    const options = windowOptions('/opt/kassa/preload.cjs');
    const weakened = { ...options, webPreferences: { ...options.webPreferences, contextIsolation: false, sandbox: false, nodeIntegration: true } };
    const bad = await scanFiles(new Map([[PROBE_FILE, probeSource(weakened)]]));
    expect(ids(bad.findings, 'HIGH')).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(ids(bad.findings)).toContain('SANDBOX_JS_CHECK');
    expect(judge(bad, loadAllowList()).ok).toBe(false);
  }, 30_000);

  it('passes on the shell as it is, every finding accepted with a reason', async () => {
    const scan = await scanFiles(await shellScanFiles());
    const verdict = judge(scan, loadAllowList(), ['electron/main.ts', 'electron/preload.ts', PROBE_FILE]);
    expect(verdict.rejected).toEqual([]);
    expect(verdict.stale).toEqual([]);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
  }, 30_000);
});

describe('the verdict', () => {
  const finding = (over: Partial<Finding> = {}): Finding => ({
    id: 'CONTEXT_ISOLATION_JS_CHECK',
    severity: 'HIGH',
    confidence: 'FIRM',
    file: 'electron/main.ts',
    line: 10,
    column: 2,
    sample: 'const win = new BrowserWindow(windowOptions(PRELOAD));',
    description: 'Review the use of the contextIsolation option',
    manualReview: false,
    ...over,
  });
  const entry = { id: 'CONTEXT_ISOLATION_JS_CHECK', file: 'electron/main.ts', match: 'new BrowserWindow(windowOptions(PRELOAD))', reason: 'options come from policy.ts, checked by the probe' };
  const scan = (findings: Finding[], errors: string[] = []) => ({ findings, errors, files: ['electron/main.ts'] });

  it('accepts only what an entry names: check, file and source line', () => {
    expect(judge(scan([finding()]), [entry]).ok).toBe(true);
    expect(judge(scan([finding({ sample: 'new BrowserWindow({ webPreferences: { contextIsolation: false } })' })]), [entry]).rejected).toHaveLength(1);
    expect(judge(scan([finding({ file: 'electron/other.ts' })]), [entry]).ok).toBe(false);
    expect(judge(scan([finding({ id: 'NODE_INTEGRATION_JS_CHECK' })]), [entry]).ok).toBe(false);
    expect(judge(scan([finding()]), [{ ...entry, description: 'are vulnerable' }]).ok).toBe(false);
  });

  it('fails on findings of any severity without an entry, on stale entries, on files it could not parse or did not scan', () => {
    expect(judge(scan([finding({ severity: 'LOW' })]), []).ok).toBe(false);
    expect(judge(scan([]), [entry]).stale).toEqual([entry]);
    expect(judge(scan([]), [entry]).ok).toBe(false);
    expect(judge(scan([], ['electron/main.ts: Unexpected token']), []).ok).toBe(false);
    expect(judge(scan([]), [], ['electron/preload.ts']).problems).toEqual(['not scanned: electron/preload.ts']);
  });

  it('wants a reason for every accepted finding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kassa-allow-'));
    const file = join(dir, 'allow.json');
    writeFileSync(file, JSON.stringify({ accepted: [{ id: 'X', file: 'electron/main.ts' }] }));
    expect(() => loadAllowList(file)).toThrow(/reason is missing/);
    writeFileSync(file, JSON.stringify({ accepted: [{ id: 'X', file: 'electron/main.ts', reason: 'ok' }] }));
    expect(() => loadAllowList(file)).toThrow(/must say why/);
    for (const e of loadAllowList()) expect(e.reason.length, e.id).toBeGreaterThanOrEqual(40);
  });
});
