#!/usr/bin/env node
// The `nabla` command: runs the compiled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
// main() returns the exit status; dist/cli/main.js does not run itself when imported.
import { main } from '../dist/cli/main.js';

process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
});
process.exitCode = await main(process.argv.slice(2));
