import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ELECTRON_BUILD } from './build.ts';

// The shell as it ships: bundled main and preload. The sandboxed preload may require nothing
// but 'electron'; main nothing but 'electron' and Node's own modules.
describe('the bundled Electron shell', () => {
  it('builds main and preload whose only imports are electron and node builtins', async () => {
    const required = new Map<string, string[]>();
    for (const options of ELECTRON_BUILD) {
      const result = await build({ ...options, write: false });
      const out = result.outputFiles?.find((o) => o.path.endsWith('.cjs'));
      expect(out).toBeDefined();
      const text = out?.text ?? '';
      required.set(String(options.outfile).split('/').pop() ?? '', [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? ''));
    }
    expect(required.get('preload.cjs')).toEqual(['electron']);
    for (const mod of required.get('main.cjs') ?? []) expect(mod === 'electron' || mod.startsWith('node:'), mod).toBe(true);
    expect(required.get('main.cjs')).toContain('electron');
  });
});
