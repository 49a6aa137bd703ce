import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The register's UI. `base: './'` so the same build runs from HQ at `/` and from Electron's
// app:// scheme.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  define: { __KASSA_VERSION__: JSON.stringify(process.env.npm_package_version ?? '0.0.0') },
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 2000 },
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:7400' } },
});
