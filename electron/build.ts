import { type BuildOptions, build } from 'esbuild';
import { resolve } from 'node:path';

/**
 * Bundles the Electron shell: main and preload as CommonJS (a sandboxed preload must be one
 * self-contained CommonJS file that requires nothing but 'electron').
 */
const ROOT = resolve(import.meta.dirname, '..');

export const ELECTRON_BUILD: BuildOptions[] = [
  { entryPoints: [resolve(ROOT, 'electron/main.ts')], outfile: resolve(ROOT, 'dist-electron/main.cjs') },
  { entryPoints: [resolve(ROOT, 'electron/preload.ts')], outfile: resolve(ROOT, 'dist-electron/preload.cjs') },
].map((o) => ({
  ...o,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
}));

export async function buildElectron(): Promise<string[]> {
  const outputs: string[] = [];
  for (const options of ELECTRON_BUILD) {
    const result = await build(options);
    outputs.push(...Object.keys(result.metafile?.outputs ?? {}));
  }
  return outputs;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const outputs = await buildElectron();
  console.log(`Electron shell built: ${outputs.filter((o) => o.endsWith('.cjs')).join(', ')}`);
}
