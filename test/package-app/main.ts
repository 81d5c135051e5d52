// Node entry of the package test's app: runs the program and prints its report as one JSON line.
import { run } from './run.js';

declare const console: { log(line: string): void };

run().then(
  (r) => console.log(JSON.stringify(r)),
  (e: unknown) => console.log(JSON.stringify({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) })),
);
