import { defineConfig } from 'vitest/config';
import { nablaAliases } from './scripts/nabla-aliases.js';

export default defineConfig({
  resolve: { alias: nablaAliases },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    setupFiles: ['test/helpers/fail-on-console.ts'],
  },
});
