// Vite configuration of the explorer: root packages/explorer/, static output in dist/explorer at the repository
// root (hostable anywhere: relative asset paths). The page imports the library as `nabla` (its browser-safe main
// entry) and a few subpaths, resolved to the library's source; csv-parse is replaced by its browser build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { nablaAliases } from '../../scripts/nabla-aliases.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  publicDir: false,
  resolve: {
    alias: [...nablaAliases, { find: /^csv-parse\/sync$/, replacement: 'csv-parse/browser/esm/sync' }],
  },
  build: {
    outDir: here('../../dist/explorer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', fs: { allow: [here('../..')] } },
  logLevel: 'warn',
});
