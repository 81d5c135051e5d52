// The page script of test/browser.test.ts: bundled by esbuild for the browser (no Node built-ins may
// survive), loaded by a plain index.html, and driven through `window.runChecks()`. It runs the same
// kernels and training as the Node tests and returns plain data (numbers and strings) for the test to judge.

import { Model, UnsupportedError } from 'nabla';
import { createAffineNetwork, Rng, toHomogeneous } from 'nabla/paper';
import { fit, type Kernels, makeSynthetic, refKernels } from 'nabla/train';
import {
  createWasmKernels,
  relaxedSimdSupported,
  simdSupported,
  type WasmKernels,
} from '../../packages/nabla/src/kernels/wasm/index.js';

/** One matmul case against the reference kernels. */
export interface MatmulCheck {
  /** rows×inner×cols, with ᵀ marks for the transposed operands. */
  shape: string;
  /** 'copy': ordinary Float32Arrays (copied through the scratch instance); 'arena': arrays from allocF32 (no copy). */
  path: 'copy' | 'arena';
  /** max over entries of |wasm − ref| / Σ_p |a_ip·b_pj| (ref: refKernels in float64 on the same float32 inputs). */
  relErr: number;
}

export interface FitCheck {
  kernels: string;
  losses: number[];
  accuracies: number[];
  stopReason: string;
}

export interface Checks {
  env: {
    userAgent: string;
    crossOriginIsolated: boolean;
    hardwareConcurrency: number;
    simdSupported: boolean;
    relaxedSimdSupported: boolean;
  };
  /** createWasmKernels() with default options ('auto' threads, relaxed when available). */
  wasm:
    | { ok: true; name: string; relaxed: boolean; threads: number; threadsNote: string | null }
    | { ok: false; errorName: string; isUnsupportedError: boolean; code: string | null; message: string };
  matmul: MatmulCheck[];
  /** max of matmul[].relErr (0 when the WASM kernels are missing). */
  maxRelErr: number;
  /** With ≥ 2 threads: the 129×785×64 product split across the threads (splitFlops 0) vs threads: 1. */
  threaded: { splitCalls: number; chunks: number; workerChunks: number; bitIdentical: boolean; relErr: number } | null;
  /** The library's own choice (a Model's fit with kernels 'auto': history.kernels): its name, and its note. */
  selected: { description: string; notice: string | null; isWasm: boolean };
  /** fit on makeSynthetic('spiral') with the WASM kernels (null without them). */
  fitWasm: FitCheck | null;
  /** The same fit with the reference kernels (refKernels, float32 arrays). */
  fitRef: FitCheck;
  /** The same fit through a Model, on the kernels the library chose (the fallback path where SIMD is missing). */
  fitSelected: FitCheck;
}

declare global {
  interface Window {
    runChecks(): Promise<Checks>;
  }
}

function filled(length: number, rng: Rng): Float32Array {
  const a = new Float32Array(length);
  for (let i = 0; i < length; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

/** max |got − want| / scale over entries (scale = Σ|terms|, floored so all-zero rows don't divide by 0). */
function relError(got: Float32Array, want: Float64Array, scale: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!) / Math.max(scale[i]!, 1e-30);
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

const SHAPES: readonly [number, number, number, boolean, boolean][] = [
  [1, 1, 1, false, false],
  [4, 4, 4, false, false],
  [17, 5, 3, false, false],
  [17, 5, 3, true, false],
  [17, 5, 3, false, true],
  [17, 5, 3, true, true],
  [33, 7, 65, false, false],
  [129, 785, 64, false, false],
  [129, 785, 64, false, true],
  [64, 129, 785, true, false],
];

function matmulChecks(k: WasmKernels): MatmulCheck[] {
  const rng = new Rng(11);
  const out: MatmulCheck[] = [];
  for (const [rows, inner, cols, tA, tB] of SHAPES) {
    const a = filled(rows * inner, rng);
    const b = filled(inner * cols, rng);
    const want = new Float64Array(rows * cols);
    const scale = new Float64Array(rows * cols);
    refKernels.matmul(want, Float64Array.from(a), Float64Array.from(b), rows, inner, cols, tA, tB, false);
    refKernels.matmul(
      scale,
      Float64Array.from(a, Math.abs),
      Float64Array.from(b, Math.abs),
      rows,
      inner,
      cols,
      tA,
      tB,
      false,
    );
    const shape = `${rows}×${inner}×${cols}${tA ? ' Aᵀ' : ''}${tB ? ' Bᵀ' : ''}`;

    const got = new Float32Array(rows * cols);
    k.matmul(got, a, b, rows, inner, cols, tA, tB, false);
    out.push({ shape, path: 'copy', relErr: relError(got, want, scale) });

    const mark = k.arena.mark();
    k.arena.reserve(4 * (a.length + b.length + got.length) + 64);
    const A = k.allocF32(a.length);
    const B = k.allocF32(b.length);
    const C = k.allocF32(got.length);
    A.set(a);
    B.set(b);
    k.matmul(C, A, B, rows, inner, cols, tA, tB, false);
    out.push({ shape, path: 'arena', relErr: relError(C, want, scale) });
    k.arena.reset(mark);
  }
  return out;
}

/** The 129×785×64 product split across every thread, against the same kernels on one thread. */
async function threadedCheck(k: WasmKernels): Promise<Checks['threaded']> {
  if (k.threads < 2) return null;
  const single = await createWasmKernels({ threads: 1, relaxed: k.relaxed });
  try {
    const [rows, inner, cols] = [129, 785, 64];
    const rng = new Rng(12);
    const a = filled(rows * inner, rng);
    const b = filled(inner * cols, rng);
    const run = (kk: WasmKernels): Float32Array => {
      const mark = kk.arena.mark();
      kk.arena.reserve(4 * (a.length + b.length + rows * cols) + 64);
      const A = kk.allocF32(a.length);
      const B = kk.allocF32(b.length);
      const C = kk.allocF32(rows * cols);
      A.set(a);
      B.set(b);
      kk.matmul(C, A, B, rows, inner, cols, false, false, false);
      const r = C.slice();
      kk.arena.reset(mark);
      return r;
    };
    const saved = k.splitFlops;
    k.splitFlops = 0;
    const before = { ...k.stats };
    let split: Float32Array;
    try {
      split = run(k);
    } finally {
      k.splitFlops = saved;
    }
    const one = run(single);
    const want = new Float64Array(rows * cols);
    const scale = new Float64Array(rows * cols);
    refKernels.matmul(want, Float64Array.from(a), Float64Array.from(b), rows, inner, cols, false, false, false);
    refKernels.matmul(
      scale,
      Float64Array.from(a, Math.abs),
      Float64Array.from(b, Math.abs),
      rows,
      inner,
      cols,
      false,
      false,
      false,
    );
    return {
      splitCalls: k.stats.splitCalls - before.splitCalls,
      chunks: k.stats.chunks - before.chunks,
      workerChunks: k.stats.workerChunks - before.workerChunks,
      bitIdentical: split.every((v, i) => Object.is(v, one[i])),
      relErr: relError(split, want, scale),
    };
  } finally {
    await single.close();
  }
}

/** 30 epochs of an affine 2-16-16-2 tanh network on makeSynthetic('spiral') (200 points, 2 arms; softmax CE, Adam). */
function spiralFit(kernels: Kernels | undefined, label: string): FitCheck {
  const data = makeSynthetic('spiral');
  const net = toHomogeneous(
    createAffineNetwork({ widths: [2, 16, 16, 2], activation: ['tanh', 'tanh', 'identity'], seed: 5 }),
  );
  const r = fit(net, data, {
    loss: 'softmax-ce',
    optimizer: 'adam',
    learningRate: 0.03,
    batchSize: 32,
    epochs: 30,
    affine: true,
    seed: 1,
    ...(kernels ? { kernels } : {}),
  });
  return {
    kernels: label,
    losses: r.history.map((h) => h.loss),
    accuracies: r.history.map((h) => h.accuracy ?? NaN),
    stopReason: r.stopReason,
  };
}

async function runChecks(): Promise<Checks> {
  const env: Checks['env'] = {
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
    simdSupported: simdSupported(),
    relaxedSimdSupported: relaxedSimdSupported(),
  };
  let k: WasmKernels | undefined;
  let wasm: Checks['wasm'];
  try {
    k = await createWasmKernels();
    wasm = { ok: true, name: k.name, relaxed: k.relaxed, threads: k.threads, threadsNote: k.threadsNote ?? null };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    wasm = {
      ok: false,
      errorName: err.name,
      isUnsupportedError: e instanceof UnsupportedError,
      code: e instanceof UnsupportedError ? e.code : null,
      message: err.message,
    };
  }
  try {
    const matmul = k ? matmulChecks(k) : [];
    const threaded = k ? await threadedCheck(k) : null;
    const fitWasm = k ? spiralFit(k, k.name) : null;
    const fitRef = spiralFit(refKernels, 'ref');

    const net = createAffineNetwork({
      widths: [2, 16, 16, 2],
      activation: ['tanh', 'tanh', 'identity'],
      seed: 5,
      dtype: 'float32',
    });
    const model = Model.fromAffine(net);
    const h = await model.fit(makeSynthetic('spiral'), {
      loss: 'softmax-ce',
      optimizer: 'adam',
      learningRate: 0.03,
      batchSize: 32,
      epochs: 30,
      seed: 1,
    });
    const selected = {
      description: h.kernels.name,
      notice: h.kernels.note ?? null,
      isWasm: h.kernels.name.startsWith('wasm'),
    };
    const fitSelected: FitCheck = {
      kernels: h.kernels.name,
      losses: h.history.loss,
      accuracies: h.history.accuracy ?? [],
      stopReason: h.stopReason,
    };
    return {
      env,
      wasm,
      matmul,
      maxRelErr: Math.max(0, ...matmul.map((m) => m.relErr)),
      threaded,
      selected,
      fitWasm,
      fitRef,
      fitSelected,
    };
  } finally {
    await k?.close();
  }
}

window.runChecks = runChecks;
