// Browser entry of the package test's app (bundled by esbuild and by Vite): the report lands on globalThis.
import { run } from './run.js';

const g = globalThis as unknown as { __report?: unknown; __error?: string };
run().then(
  (r) => {
    g.__report = r;
  },
  (e: unknown) => {
    g.__error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  },
);
