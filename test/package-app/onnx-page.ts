// Browser entry for the ONNX subpath (bundled by esbuild on its own, so the main bundle's size is measured without it).
import { onnxRoundTrip } from './onnx.js';

const g = globalThis as unknown as { __report?: unknown; __error?: string };
try {
  g.__report = onnxRoundTrip();
} catch (e) {
  g.__error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
