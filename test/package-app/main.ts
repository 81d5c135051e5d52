// Node entry of the package test's app: runs the program and the ONNX round trip and prints the report as one JSON line.
import { onnxRoundTrip } from './onnx.js';
import { run } from './run.js';

declare const console: { log(line: string): void };

run().then(
  (r) => console.log(JSON.stringify({ ...r, onnx: onnxRoundTrip() })),
  (e: unknown) => console.log(JSON.stringify({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) })),
);
