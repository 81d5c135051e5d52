/**
 * Child process of `npm run bench` for TensorFlow.js 4.22 (tfjs-core + the `cpu` or `wasm` backend): the
 * reference's "custom step" — tf.variables, optimizer.minimize, batches pre-cut outside the timed loop.
 * Dense layers with biases; tfjs keeps W as [in, out], so the shared init (out × in) is transposed.
 * Prints one `@@RESULT {json}` line.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradient functions by itself (the union package @tensorflow/tfjs does this)
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { ADAM, type ChildSpec, emit, LR, parseSpec, type TrainResult, wantsAnotherEpoch } from './common.js';
import { readData, readInit } from './data-files.js';
import { peakRssMB } from './rss.js';

interface TfjsSpec extends ChildSpec {
  backend: 'cpu' | 'wasm';
}

const spec = parseSpec<TfjsSpec>();
const { task } = spec;
const notes: string[] = ['custom step: optimizer.minimize', 'batches pre-cut outside the timed loop'];
let backendLabel: string;
let threads = '1';

// tfjs's "use tfjs-node" hint goes to console.warn; keep the child's stdout/stderr for results and errors
console.warn = () => undefined;

if (spec.backend === 'cpu') {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  backendLabel = 'cpu (pure JS)';
} else {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // a file path in Node: the .wasm binaries are read from node_modules, nothing is downloaded
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  wasm.setWasmPaths(`${join(dist, 'dist')}/`);
  wasm.setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  threads = `1 requested → ${wasm.getThreadsCount()}`;
  backendLabel =
    `wasm (${mt ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm'}; ` +
    `SIMD ${simd ? 'on' : 'off'})`;
}
await tf.ready();

const d = readData(spec.dataDir);
const init = readInit(spec.dataDir, task);
const w = task.widths;
const k = w.length - 1;
const count = d.order.length;

// parameters: W_i as [in, out] (transposed from the shared out × in), b_i = 0
const vars: tf.Variable[] = [];
const Ws: tf.Variable[] = [];
const bs: tf.Variable[] = [];
for (let i = 1; i <= k; i++) {
  const A = init[i - 1]!;
  const nin = w[i - 1]!;
  const nout = w[i]!;
  const T = new Float32Array(nin * nout);
  for (let r = 0; r < nout; r++) for (let c = 0; c < nin; c++) T[c * nout + r] = A[r * nin + c]!;
  const W = tf.variable(tf.tensor2d(T, [nin, nout]), true, `W${i}`);
  const b = tf.variable(tf.zeros([nout]), true, `b${i}`);
  Ws.push(W);
  bs.push(b);
  vars.push(W, b);
}

function logits(x: tf.Tensor2D): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  for (let i = 0; i < k; i++) {
    const z = tf.add(tf.matMul(h, Ws[i]!), bs[i]!) as tf.Tensor2D;
    h = i < k - 1 ? tf.relu(z) : z;
  }
  return h;
}

// batches in the fixed order, cut once (outside the timed loop)
const xs: tf.Tensor2D[] = [];
const ys: tf.Tensor2D[] = [];
const sizes: number[] = [];
for (let s = 0; s < count; s += task.batch) {
  const e = Math.min(count, s + task.batch);
  const b = e - s;
  const x = new Float32Array(b * d.inputs);
  const y = new Float32Array(b * d.classes);
  for (let j = 0; j < b; j++) {
    const q = d.order[s + j]!;
    x.set(d.trainX.subarray(q * d.inputs, (q + 1) * d.inputs), j * d.inputs);
    y[j * d.classes + d.trainY[q]!] = 1;
  }
  xs.push(tf.tensor2d(x, [b, d.inputs]));
  ys.push(tf.tensor2d(y, [b, d.classes]));
  sizes.push(b);
}

const optimizer =
  spec.optimizer === 'sgd' ? tf.train.sgd(LR.sgd) : tf.train.adam(LR.adam, ADAM.beta1, ADAM.beta2, ADAM.eps);

function testAccuracy(): number {
  return tf.tidy(() => {
    const x = tf.tensor2d(d.testX, [d.testY.length, d.inputs]);
    const pred = tf.argMax(logits(x), 1).dataSync();
    let ok = 0;
    for (let s = 0; s < d.testY.length; s++) if (pred[s] === d.testY[s]) ok++;
    return ok / d.testY.length;
  });
}

const epochSeconds: number[] = [];
let epoch1Loss = NaN;
let acc = NaN;
const t0 = performance.now();
const tensorsBefore = tf.memory().numTensors;
for (let epoch = 1; ; epoch++) {
  const te = performance.now();
  let lossSum = 0;
  for (let bi = 0; bi < xs.length; bi++) {
    const x = xs[bi]!;
    const y = ys[bi]!;
    const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, logits(x)) as tf.Scalar, true, vars);
    lossSum += cost!.dataSync()[0]! * sizes[bi]!;
    cost!.dispose();
  }
  epochSeconds.push((performance.now() - te) / 1000);
  if (epoch === 1) epoch1Loss = lossSum / count;
  if (!Number.isFinite(lossSum)) throw new Error(`tfjs diverged in epoch ${epoch}`);
  if (epoch === task.accuracyEpoch) acc = testAccuracy();
  if (!wantsAnotherEpoch(task, epoch, (performance.now() - t0) / 1000)) break;
}
const leaked = tf.memory().numTensors - tensorsBefore;
if (leaked > 8) notes.push(`tensor count grew by ${leaked} during training`);

const result: TrainResult = {
  library: `@tensorflow/tfjs-core ${tf.version_core}`,
  backend: backendLabel,
  threads,
  task: task.task,
  optimizer: spec.optimizer,
  epochSeconds,
  epoch1Loss,
  testAccuracy: acc,
  peakRssMB: peakRssMB(),
  notes,
};
emit(result);
