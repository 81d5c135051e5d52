/**
 * Child process of `npm run bench` for the inference rows: predict the 2,000 held-out digits at batch 1, 64 and
 * 2,000 with one runtime per process (nabla, ONNX Runtime web and node, TensorFlow.js wasm; 1 thread) on task A's
 * network. Prints one `@@RESULT` line with samples/s per batch and the predicted classes, to check agreement.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Model } from '../packages/nabla/src/model/model.js';
import { exportOnnx } from '../packages/nabla/src/onnx/export.js';
import { emit, median, parseSpec, type TaskSpec } from './common.js';
import { readData, readInit } from './data-files.js';
import { sharedNetwork } from './nabla-setup.js';
import { peakRssMB } from './rss.js';

export type InferRuntime = 'nabla' | 'ort-web' | 'ort-node' | 'tfjs-wasm';
interface InferSpec {
  dataDir: string;
  task: TaskSpec;
  runtime: InferRuntime;
}
export const INFER_BATCHES = [1, 64, 2000] as const;

const spec = parseSpec<InferSpec>();
const require = createRequire(import.meta.url);

/** A predictor: rows × 784 floats in, rows × 10 outputs out (logits or probabilities: only the argmax is compared). */
type Predict = (x: Float32Array, rows: number) => Promise<Float32Array | number[][]>;

async function predictor(
  model: Model,
  onnx: Uint8Array,
  W: Float32Array[],
  widths: readonly number[],
): Promise<{ predict: Predict; label: string }> {
  switch (spec.runtime) {
    case 'nabla':
      return { predict: async (x) => model.predict(x), label: 'nabla 0.2.0 — model.predict (default kernels)' };
    case 'ort-node': {
      const ort = await import('onnxruntime-node');
      const s = await ort.InferenceSession.create(onnx, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
      });
      return {
        predict: async (x, rows) =>
          (await s.run({ x: new ort.Tensor('float32', x, [rows, widths[0]!]) }))['y']!.data as Float32Array,
        label: `onnxruntime-node ${ort.env.versions.node ?? ''} (native CPU, 1 thread)`,
      };
    }
    case 'ort-web': {
      const ort = await import('onnxruntime-web');
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.wasmPaths = `${dirname(require.resolve('onnxruntime-web'))}/`;
      const s = await ort.InferenceSession.create(onnx, { executionProviders: ['wasm'] });
      return {
        predict: async (x, rows) =>
          (await s.run({ x: new ort.Tensor('float32', x, [rows, widths[0]!]) }))['y']!.data as Float32Array,
        label: `onnxruntime-web ${ort.env.versions.web ?? ''} (WebAssembly SIMD, 1 thread)`,
      };
    }
    case 'tfjs-wasm': {
      const tf = await import('@tensorflow/tfjs-core');
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
      wasm.setThreadsCount(1);
      if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
      // the same weights: Wᵀ (in × out) and zero biases of the shared init
      const Wt = W.map((w, j) => tf.transpose(tf.tensor2d(w, [widths[j + 1]!, widths[j]!])));
      const b = W.map((_, j) => tf.zeros([widths[j + 1]!]));
      return {
        predict: async (x, rows) =>
          tf.tidy(() => {
            let h: import('@tensorflow/tfjs-core').Tensor2D = tf.tensor2d(x, [rows, widths[0]!]);
            Wt.forEach((w, j) => {
              h = tf.add(tf.matMul(h, w as import('@tensorflow/tfjs-core').Tensor2D), b[j]!);
              if (j < Wt.length - 1) h = tf.relu(h);
            });
            return h.dataSync() as Float32Array;
          }),
        label: `TensorFlow.js ${tf.version_core} (wasm backend, 1 thread)`,
      };
    }
  }
}

function argmax(out: Float32Array | number[][], rows: number, cols: number): number[] {
  const classes: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) {
      const v = (o: number) => (Array.isArray(out) ? out[r]![o]! : out[r * cols + o]!);
      if (v(c) > v(best)) best = c;
    }
    classes.push(best);
  }
  return classes;
}

async function main(): Promise<void> {
  const { task } = spec;
  const d = readData(spec.dataDir);
  const init = readInit(spec.dataDir, task);
  const net = sharedNetwork(task, init);
  const k = task.widths.length - 1;
  const model = Model.fromNetwork(net, {
    bias: true,
    loss: 'softmax-ce',
    classes: Array.from({ length: task.widths[k]! }, (_, j) => j),
  });
  const onnx = exportOnnx(model);
  const { predict, label } = await predictor(model, onnx, init, task.widths);
  const n = d.testY.length;
  const m0 = task.widths[0]!;
  const rates: Record<string, number> = {};
  let classes: number[] = [];
  for (const b of INFER_BATCHES) {
    const pass = async (): Promise<number[]> => {
      const out: number[] = [];
      for (let s = 0; s < n; s += b) {
        const rows = Math.min(b, n - s);
        const y = await predict(d.testX.subarray(s * m0, (s + rows) * m0), rows);
        out.push(...argmax(y, rows, task.widths[k]!));
      }
      return out;
    };
    classes = await pass(); // warm-up, and the classes
    const times: number[] = [];
    const t0 = performance.now();
    // at least 5 passes and 1 s of them (a pass at batch 2,000 is ~15 ms: a few passes would be one moment of a
    // machine whose speed drifts); the rate is their median
    while (times.length < 5 || (performance.now() - t0 < 1000 && times.length < 1000)) {
      const t = performance.now();
      await pass();
      times.push((performance.now() - t) / 1000);
    }
    rates[String(b)] = n / median(times);
  }
  emit({ runtime: spec.runtime, label, samplesPerSecond: rates, classes, peakRssMB: peakRssMB() });
}

await main();
