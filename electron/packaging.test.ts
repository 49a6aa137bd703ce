import { createPackage, extractFile, listPackage, statFile } from '@electron/asar';
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELECTRON_BUILD } from './build.ts';

// What the installers ship: the app archive (resources/app.asar) as electron-builder.yml makes
// it, checked without an Electron binary.
//
// 1. A stand-in for the project at `npm run dist` time, in a temp folder: the real project's
//    folders (linked), package.json, a decoy .env and IT preset that must stay out, and the
//    renderer (`npm run build:renderer`) and the shell (electron/build.ts) built into it.
// 2. The archive's file list worked out from electron-builder.yml with electron-builder's own
//    loader and file matchers (its `files` patterns plus the defaults it adds, and the
//    production dependencies it packs unless excluded), packed with @electron/asar.
// 3. `electron-builder --dir` itself on that folder, with the Electron binary when there is one
//    (ELECTRON_OVERRIDE_DIST_PATH, or electron's path.txt) and otherwise, on Linux, with a
//    stand-in Electron folder: the archive and resources folder are then electron-builder's real
//    output, only the executable is not Electron. Elsewhere without a binary this part is skipped.
// Both archives must hold what the app needs at run time and nothing else.

const ROOT = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  files?: unknown;
  directories?: { output?: string; buildResources?: string };
  extraResources?: unknown;
  extraFiles?: unknown;
  asar?: boolean;
  linux?: Record<string, unknown>;
  mac?: Record<string, unknown>;
  win?: Record<string, unknown>;
}
type Filter = (file: string, stat: Stats) => boolean;
interface Matcher {
  readonly from: string;
  readonly patterns: string[];
  createFilter(): Filter;
}
interface PackagerInfo {
  projectDir: string;
  buildResourcesDir: string;
  isPrepackedAppAsar: boolean;
  config: BuilderConfig;
  debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void };
}
interface FileMatcherModule {
  FileMatcher: new (from: string, to: string, macroExpander: (s: string) => string, patterns?: string[]) => Matcher;
  getMainFileMatchers(appDir: string, destination: string, macroExpander: (s: string) => string, platformOptions: object, platformPackager: { info: PackagerInfo }, outDir: string, isElectronCompile: boolean): Matcher[];
  getNodeModuleFileMatcher(appDir: string, destination: string, macroExpander: (s: string) => string, platformOptions: object, packager: PackagerInfo): Matcher;
}
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<BuilderConfig>;
}

const PLATFORM = ({ darwin: 'mac', win32: 'win' } as Record<string, 'mac' | 'win'>)[process.platform] ?? 'linux';
const DECOY_SECRET = 'decoy-admin-token-5f2c9a7e1b3d';
const noMacros = (s: string) => s;

/** The Electron binary's folder, when this machine has one. */
function electronDist(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override && existsSync(override)) return override;
  const pathTxt = join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (existsSync(pathTxt)) {
    const dist = join(ROOT, 'node_modules', 'electron', 'dist');
    if (existsSync(join(dist, readFileSync(pathTxt, 'utf8').trim()))) return dist;
  }
  return null;
}
const REAL_ELECTRON = electronDist();
const CAN_RUN_BUILDER = REAL_ELECTRON !== null || process.platform === 'linux';
if (!CAN_RUN_BUILDER) {
  console.warn('packaging.test: no Electron binary (ELECTRON_OVERRIDE_DIST_PATH or node_modules/electron/path.txt) and not Linux: `electron-builder --dir` is skipped; the archive is still checked as worked out from electron-builder.yml.');
}

const toPosix = (p: string) => p.split(sep).join('/');

function walk(dir: string, filter: Filter, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    const stat = statSync(file);
    if (!filter(file, stat)) continue;
    if (stat.isDirectory()) walk(file, filter, out);
    else out.push(file);
  }
  return out;
}

let tmp = '';
let app = '';
let config: BuilderConfig;
let rendererFiles: string[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'kassa-packaging-'));
  app = join(tmp, 'project');
  mkdirSync(app);
  // The project as electron-builder finds it, minus build outputs and local state.
  const skip = new Set(['dist', 'dist-electron', 'release', 'data', 'test-results', 'bench-results', '.git', '.tmp']);
  for (const entry of readdirSync(ROOT, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    if (entry.isDirectory()) symlinkSync(join(ROOT, entry.name), join(app, entry.name), 'junction');
    else if (entry.isFile()) copyFileSync(join(ROOT, entry.name), join(app, entry.name));
  }
  // What a developer's or IT's machine may have lying around: never to be packed.
  writeFileSync(join(app, '.env'), `KASSA_ADMIN_TOKEN=${DECOY_SECRET}\n`);
  writeFileSync(join(app, 'kassa-register.json'), JSON.stringify({ hqUrl: 'https://hq.kassa.nl', enrolmentToken: DECOY_SECRET }));

  execFileSync('npm', ['run', '--silent', 'build:renderer', '--', '--outDir', join(app, 'dist', 'renderer'), '--emptyOutDir'], {
    cwd: ROOT,
    stdio: 'pipe',
    shell: process.platform === 'win32',
  });
  for (const options of ELECTRON_BUILD) await build({ ...options, outfile: join(app, 'dist-electron', basename(String(options.outfile))) });
  rendererFiles = walk(join(app, 'dist', 'renderer'), () => true).map((f) => toPosix(relative(app, f)));

  const loader = require('app-builder-lib/out/util/config/config') as ConfigModule;
  config = await loader.getConfig(app, null, null);
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The archive's files according to electron-builder.yml and electron-builder's matchers. */
function archiveFilesFromConfig(): string[] {
  const fm = require('app-builder-lib/out/fileMatcher') as FileMatcherModule;
  const info: PackagerInfo = {
    projectDir: app,
    buildResourcesDir: resolve(app, config.directories?.buildResources ?? 'build'),
    isPrepackedAppAsar: false,
    config,
    debugLogger: { isEnabled: false, add: () => undefined },
  };
  const platformOptions = config[PLATFORM] ?? {};
  const destination = join(tmp, 'staged-app');
  const outDir = resolve(app, config.directories?.output ?? 'dist');
  const files: string[] = [];
  for (const matcher of fm.getMainFileMatchers(app, destination, noMacros, platformOptions, { info }, outDir, false)) {
    files.push(...walk(matcher.from, matcher.createFilter()).map((f) => toPosix(relative(matcher.from, f))));
  }
  // electron-builder adds the production dependencies' folders, filtered by the exclusions in `files`.
  const nodeModules = fm.getNodeModuleFileMatcher(app, destination, noMacros, platformOptions, info);
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    const dir = join(app, 'node_modules', name);
    const filter = new fm.FileMatcher(dir, join(destination, 'node_modules', name), noMacros, nodeModules.patterns).createFilter();
    const probe = join(dir, 'package.json');
    const stat = Object.assign(statSync(probe), { moduleFullFilePath: `node_modules/${name}/package.json` });
    if (filter(probe, stat)) files.push(`node_modules/${name}/package.json`);
  }
  return files.sort();
}

async function packWithAsar(files: string[]): Promise<string> {
  const staged = join(tmp, 'asar-src');
  for (const f of files) {
    mkdirSync(dirname(join(staged, f)), { recursive: true });
    copyFileSync(join(app, f), join(staged, f));
  }
  const archive = join(tmp, 'computed', 'app.asar');
  mkdirSync(dirname(archive), { recursive: true });
  await createPackage(staged, archive);
  return archive;
}

/** The files (not folders) in an archive, relative, with forward slashes. */
function archiveFiles(archive: string): string[] {
  return listPackage(archive, { isPack: false })
    .map((p) => toPosix(p).replace(/^\//, ''))
    .filter((p) => !('files' in statFile(archive, p)))
    .sort();
}

const text = (archive: string, file: string) => extractFile(archive, file).toString('utf8');
const required = (code: string) => [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1] ?? '');
const isBuiltin = (m: string) => m.startsWith('node:') || builtinModules.includes(m);

/** What the app needs at run time is in the archive, and nothing else. */
function checkArchive(archive: string): void {
  const files = archiveFiles(archive);

  // package.json starts the app from the bundled main, which is there.
  const pkg = JSON.parse(text(archive, 'package.json')) as { main?: string };
  expect(pkg.main).toBe('dist-electron/main.cjs');
  expect(files).toContain(pkg.main);

  // main loads the preload beside it and the UI from dist/renderer; both are there.
  const main = text(archive, 'dist-electron/main.cjs');
  expect(main).toMatch(/["']preload\.cjs["']/);
  expect(main).toMatch(/["']dist["'],\s*["']renderer["']/);
  expect(files).toContain('dist-electron/preload.cjs');

  // The bundles need no node_modules: main only electron and Node's own modules, preload only electron.
  for (const m of required(main)) expect(m === 'electron' || isBuiltin(m), `main.cjs requires ${m}`).toBe(true);
  expect(required(text(archive, 'dist-electron/preload.cjs'))).toEqual(['electron']);

  // The UI: index.html and every script, style sheet and asset it references (and CSS url()s).
  expect(files).toContain('dist/renderer/index.html');
  const html = text(archive, 'dist/renderer/index.html');
  const refs = [...html.matchAll(/\b(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1] ?? '').filter((r) => !/^(data:|https?:|#|\/\/)/.test(r));
  expect(refs.some((r) => r.endsWith('.js'))).toBe(true);
  expect(refs.some((r) => r.endsWith('.css'))).toBe(true);
  for (const ref of refs) {
    const file = posix.normalize(posix.join('dist/renderer', ref.split(/[?#]/)[0] ?? ''));
    expect(files, `index.html references ${ref}`).toContain(file);
    if (file.endsWith('.css')) {
      for (const m of text(archive, file).matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
        const url = m[1] ?? '';
        if (/^(data:|https?:|#)/.test(url)) continue;
        expect(files, `${file} references ${url}`).toContain(posix.normalize(posix.join(posix.dirname(file), url.split(/[?#]/)[0] ?? '')));
      }
    }
  }

  // Nothing else: no node_modules, sources, tests, source maps, .env, presets or build config.
  expect(files.filter((f) => f.startsWith('node_modules/') || f.includes('/node_modules/'))).toEqual([]);
  expect(files.filter((f) => /\.map$|\.tsx?$|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)\.env|kassa-register\.json$|(^|\/)config\.json$|electron-builder\.ya?ml$/.test(f))).toEqual([]);
  const expected = ['package.json', 'dist-electron/main.cjs', 'dist-electron/preload.cjs', ...rendererFiles.filter((f) => !f.endsWith('.map'))].sort();
  expect(files).toEqual(expected);

  // No secrets and no embedded sources: the decoy token, private keys, inline source maps.
  for (const f of files) {
    const content = text(archive, f);
    expect(content, f).not.toContain(DECOY_SECRET);
    expect(content, f).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(content, f).not.toMatch(/sourceMappingURL=data:/);
    expect(content, f).not.toMatch(/"(registerToken|enrolmentToken|adminToken)"\s*:\s*"[^"]{8,}"/);
  }
  expect(statSync(archive).size).toBeLessThan(5 * 1024 * 1024);
}

describe('the packaged app', () => {
  it('archive, as electron-builder.yml makes it: main, preload, the built UI and package.json, nothing else', async () => {
    expect(config.asar).not.toBe(false);
    const files = archiveFilesFromConfig();
    const archive = await packWithAsar(files);
    checkArchive(archive);
  }, 60_000);

  it.skipIf(!CAN_RUN_BUILDER)(
    `electron-builder --dir ${REAL_ELECTRON ? 'with this machine’s Electron binary' : 'with a stand-in Electron folder (no Electron binary here)'}: the same archive, alone in resources`,
    () => {
      let dist = REAL_ELECTRON;
      if (!dist) {
        dist = join(tmp, 'stand-in-electron');
        mkdirSync(dist);
        writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho "stand-in for Electron (packaging test)" >&2\nexit 1\n');
        chmodSync(join(dist, 'electron'), 0o755);
        writeFileSync(join(dist, 'version'), JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version);
      }
      const out = join(tmp, 'release');
      const arch = ['x64', 'arm64', 'ia32', 'armv7l'].includes(process.arch) ? [`--${process.arch}`] : [];
      const run = spawnSync(
        process.execPath,
        [require.resolve('electron-builder/cli.js'), '--dir', `--${PLATFORM}`, ...arch, '--publish', 'never', '--projectDir', app, `-c.electronDist=${dist}`, `-c.directories.output=${out}`],
        { cwd: app, encoding: 'utf8', timeout: 150_000 },
      );
      expect(run.status, `electron-builder failed:\n${run.stdout}\n${run.stderr}`).toBe(0);

      const asars = walk(out, () => true).filter((f) => basename(f) === 'app.asar');
      expect(asars).toHaveLength(1);
      const archive = asars[0] ?? '';
      checkArchive(archive);
      expect(archiveFiles(archive)).toEqual(archiveFilesFromConfig());

      // resources/ holds the archive only (electron-builder.yml has no extraResources), no unpacked app.
      const resources = dirname(archive);
      if (config.extraResources === undefined) expect(readdirSync(resources).sort()).toEqual(['app.asar']);
      expect(existsSync(join(resources, 'app'))).toBe(false);
      if (PLATFORM !== 'mac') expect(existsSync(join(dirname(resources), PLATFORM === 'win' ? 'Kassa.exe' : 'kassa'))).toBe(true);
    },
    180_000,
  );
});
