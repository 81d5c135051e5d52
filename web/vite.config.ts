// Vite configuration of the explorer: root web/, static output in dist/explorer (hostable anywhere: relative
// asset paths). The page imports the library from ../src (the public barrel src/index.ts); the few Node
// built-ins that the barrel's file-reading helpers import are replaced by web/src/node-shim.ts, which throws
// if ever called (the page never calls them), and csv-parse by its browser build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const shim = here('./src/node-shim.ts');
const nodeBuiltins = ['fs', 'fs/promises', 'path', 'crypto', 'zlib', 'module', 'url', 'os'];

export default defineConfig({
  root: here('.'),
  base: './',
  publicDir: false,
  resolve: {
    alias: [
      ...nodeBuiltins.map((m) => ({ find: new RegExp(`^(node:)?${m.replace('/', '\\/')}$`), replacement: shim })),
      { find: /^csv-parse\/sync$/, replacement: 'csv-parse/browser/esm/sync' },
    ],
  },
  build: {
    outDir: here('../dist/explorer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', fs: { allow: [here('..')] } },
  logLevel: 'warn',
});
