#!/usr/bin/env node
// The `nabla` command of a checkout: runs the CLI's TypeScript source through tsx, with the repository's
// tsconfig.json, whose `paths` resolve `nabla` and its subpaths to the library's source.
// main() returns the exit status; src/main.ts does not run itself when imported.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/main.ts');

process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
});
process.exitCode = await main(process.argv.slice(2));
