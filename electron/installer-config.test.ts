import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_BUILD } from './build.ts';

// electron-builder.yml, read and schema-checked by electron-builder's own loader (the same code
// `electron-builder` runs before it fetches Electron), so a typo fails here and not on IT's desk.

interface TargetEntry {
  target: string;
}
interface BuilderConfig {
  appId?: string;
  /** Normalised by the loader to file sets. */
  files?: (string | { filter?: string[] })[];
  linux?: { target?: (string | TargetEntry)[] };
  win?: { target?: (string | TargetEntry)[] };
  mac?: { target?: (string | TargetEntry)[] };
  nsis?: { perMachine?: boolean; oneClick?: boolean };
}
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const targets = (list: (string | TargetEntry)[] | undefined): string[] => (list ?? []).map((t) => (typeof t === 'string' ? t : t.target));

describe('installer configuration', () => {
  it('passes electron-builder’s schema and builds AppImage, deb, per-machine NSIS, MSI and dmg', async () => {
    const loader = require('app-builder-lib/out/util/config/config') as ConfigModule;
    const config = await loader.getConfig(ROOT, null, null);
    await expect(loader.validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
    expect(targets(config.linux?.target)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(targets(config.win?.target)).toEqual(expect.arrayContaining(['nsis', 'msi']));
    expect(targets(config.mac?.target)).toContain('dmg');
    expect(config.nsis?.perMachine).toBe(true);
    // Loading electron-builder's code and schema takes seconds on a busy 2-core machine.
  }, 30_000);

  it('packs the shell and the UI that the build produces, and starts from the built main', async () => {
    const loader = require('app-builder-lib/out/util/config/config') as ConfigModule;
    const config = await loader.getConfig(ROOT, null, null);
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { main: string };
    const outfiles = ELECTRON_BUILD.map((o) => String(o.outfile).slice(ROOT.length + 1));
    expect(outfiles).toContain(pkg.main);
    const patterns = (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
    expect(patterns).toEqual(expect.arrayContaining(['package.json', 'dist-electron/*.cjs', 'dist/renderer/**/*']));
  });
});
