/**
 * Child process of `npm run bench` for nabla, one configuration per process so peak RSS is its own. Modes: train
 * (fit() on the shared data), gemm (GFLOP/s of a step's products per kernel set), garbage (heap bytes per step,
 * under node --expose-gc), profile (bench/profile.ts), step-pairs (fit()'s epochs alternated with the step's products on
 * the same kernels, in one process). Prints one `@@RESULT {json}` line.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { type Dataset, subset } from '../packages/nabla/src/data/dataset.js';
import {
  createNativeKernels,
  type NativeIsa,
  type NativeKernels,
  nativeIsas,
  nativeUnavailableReason,
} from '../packages/nabla/src/kernels/native.js';
import { refKernels } from '../packages/nabla/src/kernels/ref.js';
import type { Kernels } from '../packages/nabla/src/kernels/types.js';
import {
  createWasmKernels,
  type WasmKernels,
  type WasmKernelsOptions,
} from '../packages/nabla/src/kernels/wasm/index.js';
import { Model } from '../packages/nabla/src/model/model.js';
import { type FitOptions, fit } from '../packages/nabla/src/train/fit.js';
import { getLoss } from '../packages/nabla/src/train/loss.js';
import { createOptimizer } from '../packages/nabla/src/train/optimizer.js';
import { TrainingStep } from '../packages/nabla/src/train/step.js';
import { trainingMemory, workspace, workspaceFloats } from '../packages/nabla/src/train/workspace.js';
import {
  ADAM,
  type DataFiles,
  emit,
  LR,
  median,
  nominalFlops,
  type OptimizerKind,
  parseSpec,
  type TaskSpec,
  type TrainResult,
  wantsAnotherEpoch,
} from './common.js';
import { readData, readInit } from './data-files.js';
import { datasets, sharedNetwork } from './nabla-setup.js';
import { copyBandwidths, profileKernels } from './profile.js';
import { peakRssMB } from './rss.js';

/**
 * 'model-default': the model API's `fit` with no kernels option (it chooses the kernels itself). 'native-avx512',
 * 'native-avx2': the native kernels with that instruction set forced; 'native': the instruction set they pick.
 */
export type NablaKernelChoice =
  | 'ref'
  | 'wasm-relaxed'
  | 'wasm-simd'
  | 'model-default'
  | 'native-avx512'
  | 'native-avx2'
  | 'native';

export interface NablaSpec {
  mode: 'train' | 'gemm' | 'garbage' | 'profile' | 'step-pairs';
  dataDir: string;
  task: TaskSpec;
  optimizer: OptimizerKind;
  kernels: NablaKernelChoice;
  /** Two-thread matrix products: passed as `threads: 2` to createWasmKernels and/or fit when they have the option. */
  threads?: { count: number; inKernels: boolean; inFit: boolean };
  /** createWasmKernels has a `threads` option (then one-thread rows pass `threads: 1`). */
  threadsOption?: boolean;
  /** gemm mode: the tasks whose step shapes are measured. */
  gemmTasks?: TaskSpec[];
  /** Native rows: the `threads` passed to createNativeKernels (default 1). */
  nativeThreads?: number;
}

const spec = parseSpec<NablaSpec>();

/** What a kernels object says about its threads (the option is new and may change: read loosely). */
interface ThreadInfo {
  threads?: number;
  threadsNote?: string;
  stats?: { splitCalls: number; chunks: number; workerChunks: number };
  close?: () => Promise<void>;
}
const info = (k: Kernels): ThreadInfo => k as unknown as ThreadInfo;

/** A kernel set a nabla row can train with. */
type RowKernels = WasmKernels | NativeKernels;
const isNative = (k: Kernels | undefined): k is NativeKernels =>
  k !== undefined && k.name?.startsWith('native-') === true;

/** The native kernels with `isa` ('auto': their own pick) on `threads` threads; throws with the reason where they cannot run. */
function native(isa: NativeIsa | 'auto', threads: number): NativeKernels {
  return createNativeKernels({ isa, threads });
}

/**
 * WASM kernels with `relaxed` as asked. When createWasmKernels has a `threads` option (its default may pick 2
 * threads), one-thread rows ask for `threads: 1` explicitly and the two-thread row for `threads: 2`.
 */
function wasm(relaxed: boolean, threads: number | undefined): Promise<WasmKernels> {
  const opts = { relaxed, ...(threads !== undefined ? { threads } : {}) } as WasmKernelsOptions;
  return createWasmKernels(opts);
}

/** The `threads` value to pass for a one-thread row: 1 when the option exists, else nothing. */
const oneThread = (): number | undefined => (spec.threadsOption ? 1 : undefined);

async function makeKernels(choice: NablaKernelChoice, threads: NablaSpec['threads']): Promise<RowKernels | undefined> {
  if (choice === 'ref' || choice === 'model-default') return undefined;
  if (choice === 'native' || choice === 'native-avx512' || choice === 'native-avx2') {
    return native(
      choice === 'native' ? 'auto' : choice === 'native-avx512' ? 'avx512' : 'avx2',
      spec.nativeThreads ?? 1,
    );
  }
  return wasm(choice === 'wasm-relaxed', threads?.inKernels ? threads.count : oneThread());
}

/**
 * Native kernels on 2 or more threads: the FMA GFLOP/s of their threads together, 0.05 s (a virtual machine's two CPUs
 * at times share one physical core, and then no split product runs faster than one thread); otherwise undefined.
 */
function twoThreadFma(k: Kernels | undefined): number | undefined {
  return isNative(k) && k.threads > 1 ? k.probeFmaThreads(k.isa === 'avx512' ? 512 : 256, 0.05) : undefined;
}

function threadLabel(k: RowKernels | undefined): string {
  if (!k) return '1';
  if (isNative(k))
    return `${spec.nativeThreads ?? 1} requested → ${k.threads}${k.threadsNote ? ` (${k.threadsNote})` : ''}`;
  const t = info(k);
  if (t.threads === undefined) return '1';
  const asked = spec.threads?.inKernels ? spec.threads.count : 1;
  return `${asked} requested → ${t.threads}${t.threadsNote ? ` (${t.threadsNote})` : ''}`;
}

function optimizerOptions(o: OptimizerKind): Pick<FitOptions, 'optimizer' | 'learningRate' | 'optimizerOptions'> {
  return o === 'sgd'
    ? { optimizer: 'sgd', learningRate: LR.sgd }
    : {
        optimizer: 'adam',
        learningRate: LR.adam,
        optimizerOptions: { beta1: ADAM.beta1, beta2: ADAM.beta2, eps: ADAM.eps },
      };
}

/** The same run through the model API (`createModel`'s Model), with no kernels option: what a library user gets. */
async function trainModel(): Promise<void> {
  const { task } = spec;
  const d = readData(spec.dataDir);
  const { train: ds, test } = datasets(d);
  const net = sharedNetwork(task, readInit(spec.dataDir, task));
  const classes = Array.from({ length: net.n[net.k]! }, (_, j) => j);
  const model = Model.fromNetwork(net, { bias: true, loss: 'softmax-ce', classes });
  const t0 = performance.now();
  const h = await model.fit(ds.x as Float32Array, Array.from(ds.labels!), {
    ...optimizerOptions(spec.optimizer),
    batchSize: task.batch,
    epochs: 1 + task.maxTimed,
    shuffle: false,
    validationData: [test.x as Float32Array, Array.from(test.labels!)],
    onEpochEnd: (info) => {
      if (!wantsAnotherEpoch(task, info.epoch, (performance.now() - t0) / 1000)) info.stop();
    },
  });
  const acc = h.history.val_accuracy?.[task.accuracyEpoch - 1];
  if (acc === undefined) throw new Error('no accuracy at the accuracy epoch');
  emit({
    library: 'nabla 0.2.0 — createModel(…).fit(x, y), no kernels option',
    backend: `${h.kernels.name} (chosen by the library)`,
    threads: `${h.kernels.threads}${h.kernels.note ? ` (${h.kernels.note})` : ''}`,
    task: task.task,
    optimizer: spec.optimizer,
    epochSeconds: h.history.seconds,
    epoch1Loss: h.history.loss[0]!,
    testAccuracy: acc,
    peakRssMB: peakRssMB(),
    notes: [
      'the model API: plain arrays in, the library picks the kernels and threads',
      'epoch time from the History (held-out evaluation not included)',
    ],
  } satisfies TrainResult);
}

async function train(): Promise<void> {
  if (spec.kernels === 'model-default') return trainModel();
  const { task } = spec;
  const d = readData(spec.dataDir);
  const { train: ds, test } = datasets(d);
  const net = sharedNetwork(task, readInit(spec.dataDir, task));
  const kernels = await makeKernels(spec.kernels, spec.threads);
  twoThreadFma(kernels); // warm-up (clock ramp)
  const fmaBefore = twoThreadFma(kernels);
  const chunks0 = isNative(kernels) ? kernels.workerChunks() : 0;
  const t0 = performance.now();
  const opts: FitOptions = {
    loss: 'softmax-ce',
    ...optimizerOptions(spec.optimizer),
    batchSize: task.batch,
    epochs: 1 + task.maxTimed,
    shuffle: false,
    affine: true,
    validation: test,
    onEpochEnd: (info) => {
      if (!wantsAnotherEpoch(task, info.epoch, (performance.now() - t0) / 1000)) info.stop();
    },
  };
  if (kernels) opts.kernels = kernels;
  if (spec.threads?.inFit) (opts as FitOptions & { threads?: number }).threads = spec.threads.count;
  const r = fit(net, ds, opts);
  const fmaAfter = twoThreadFma(kernels);
  if (r.stopReason === 'diverged') throw new Error(`nabla diverged: ${String(r.divergence?.message)}`);
  const acc = r.history[task.accuracyEpoch - 1]?.valAccuracy;
  if (acc === undefined) throw new Error('no accuracy at the accuracy epoch');
  const threads = threadLabel(kernels);
  const notes = [
    'homogeneous form of §3 (W_i with bias column and formal row)',
    'epoch time from fit history (held-out evaluation not included)',
  ];
  const st = kernels ? info(kernels).stats : undefined;
  if (st && st.splitCalls > 0)
    notes.push(`threaded matmul: ${st.splitCalls} split calls, ${st.workerChunks}/${st.chunks} chunks on the worker`);
  if (isNative(kernels)) notes.push(`native pool: ${kernels.workerChunks() - chunks0} chunks on worker threads`);
  if (spec.threads?.inFit) notes.push(`threads: ${spec.threads.count} passed to fit`);
  await (kernels ? info(kernels).close?.() : undefined);
  const result: TrainResult = {
    library: 'nabla 0.2.0 — fit(…, {affine: true})',
    backend: backendLabel(kernels),
    threads,
    task: task.task,
    optimizer: spec.optimizer,
    epochSeconds: r.history.map((h) => h.seconds),
    epoch1Loss: r.history[0]!.loss,
    testAccuracy: acc,
    peakRssMB: peakRssMB(),
    ...(fmaBefore !== undefined && fmaAfter !== undefined ? { twoThreadFma: [fmaBefore, fmaAfter] } : {}),
    notes,
  };
  emit(result);
}

function backendLabel(k: RowKernels | undefined): string {
  if (!k) return 'reference kernels (TypeScript, float32)';
  if (isNative(k)) {
    const standIn =
      spec.kernels === 'native-avx2' && nativeIsas().includes('avx512')
        ? '; forced: the stand-in for AVX2-only machines'
        : '';
    return `${k.name} (C++ addon, ${k.isa === 'avx512' ? 'AVX-512F' : 'AVX2 + FMA'}${standIn})`;
  }
  return `${k.name} (WebAssembly ${k.relaxed ? 'relaxed SIMD, FMA' : 'SIMD128'})`;
}

// ---------------------------------------------------------------- gemm

interface Call {
  rows: number;
  inner: number;
  cols: number;
  tA: boolean;
  tB: boolean;
  acc: boolean;
}

/** The matrix products of one training step of `task` (nabla's fit, affine), recorded in call order. */
function recordStep(task: TaskSpec, d: DataFiles): Call[] {
  const calls: Call[] = [];
  const rec: Kernels = {
    ...refKernels,
    name: 'recorder',
    matmul(out, a, b, rows, inner, cols, tA, tB, acc) {
      calls.push({ rows, inner, cols, tA, tB, acc });
      refKernels.matmul(out, a, b, rows, inner, cols, tA, tB, acc);
    },
    matmulHadamard(out, a, b, h, rows, inner, cols, tA, tB) {
      calls.push({ rows, inner, cols, tA, tB, acc: false });
      refKernels.matmulHadamard(out, a, b, h, rows, inner, cols, tA, tB);
    },
  };
  const { train: ds } = datasets(d);
  const idx = Array.from({ length: task.batch }, (_, i) => i);
  const net = sharedNetwork(
    task,
    task.widths.slice(1).map((w, j) => new Float32Array(w * task.widths[j]!)),
  );
  fit(net, subset(ds, idx), {
    loss: 'softmax-ce',
    optimizer: 'sgd',
    learningRate: 0.1,
    batchSize: task.batch,
    epochs: 1,
    shuffle: false,
    affine: true,
    kernels: rec,
  });
  return calls;
}

function fill(a: Float32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
}

/** Seconds per call of each sample (bench/gemm.bench.ts's method: warm-up, then back-to-back calls ≥ sampleMs). */
function timeSamples(call: () => void, warmMs: number, samples: number, sampleMs: number): number[] {
  const t0 = performance.now();
  while (performance.now() - t0 < warmMs) call();
  const per: number[] = [];
  for (let s = 0; s < samples; s++) {
    let n = 0;
    const start = performance.now();
    let t = start;
    do {
      call();
      n++;
      t = performance.now();
    } while (t - start < sampleMs);
    per.push((t - start) / 1000 / n);
  }
  return per;
}

/** Rounds of the gemm part: each product's rate is its best round (see gemm()). */
const GEMM_ROUNDS = 5;

async function gemm(): Promise<void> {
  const d = readData(spec.dataDir);
  const sets: {
    name: string;
    k: Kernels;
    alloc: (n: number) => Float32Array;
    reserve?: (bytes: number) => void;
    ref: boolean;
  }[] = [{ name: 'ref', k: refKernels, alloc: (n) => new Float32Array(n), ref: true }];
  const notes: string[] = [];
  for (const relaxed of [false, true]) {
    try {
      const k = await wasm(relaxed, oneThread());
      sets.push({ name: k.name, k, alloc: (n) => k.allocF32(n), reserve: (b) => k.arena.reserve(b), ref: false });
    } catch (e) {
      notes.push(`${relaxed ? 'wasm-relaxed' : 'wasm-simd'} unavailable: ${String(e)}`);
    }
  }
  if (spec.threads) {
    const k = await wasm(true, spec.threads.count);
    sets.push({
      name: `${k.name} ×${info(k).threads ?? 1} threads`,
      k,
      alloc: (n) => k.allocF32(n),
      reserve: (b) => k.arena.reserve(b),
      ref: false,
    });
  }
  // the native kernels: each instruction set this CPU has on one thread, and their own pick on two
  const why = nativeUnavailableReason();
  if (why !== undefined) notes.push(`native kernels unavailable: ${why}`);
  else {
    const isas = nativeIsas();
    for (const isa of ['avx512', 'avx2'] as const) {
      if (isas.includes(isa))
        sets.push({
          name: `native-${isa}`,
          k: native(isa, 1),
          alloc: (n) => new Float32Array(n),
          ref: false,
        });
      else notes.push(`native-${isa}: not on this CPU`);
    }
    const k2 = native('auto', 2);
    sets.push({
      name: `${k2.name} ×${k2.threads} threads`,
      k: k2,
      alloc: (n) => new Float32Array(n),
      ref: false,
    });
  }
  // Every product of every task on every set, allocated once (each set's own memory) and timed in GEMM_ROUNDS rounds
  // over all of them, so that a product's rounds are seconds apart: this shared machine has spells of seconds in which
  // cache-bound code runs at 60-70 % while the FMA probe reads full and the guest shows no load or steal time. Each
  // round: 7 samples of ≥ 5 ms, their median; a product's rate is its best round, the statistic of the FMA probes it
  // is divided by (best of their runs); the rounds' spread is reported beside it.
  const gemmTasks = spec.gemmTasks ?? [spec.task];
  const recorded = gemmTasks.map((task) => recordStep(task, d));
  // a WebAssembly memory that grows detaches the views made before: reserve every product's operands first
  const bytes = recorded
    .flat()
    .reduce((n, c) => n + 4 * (c.rows * c.inner + c.inner * c.cols + c.rows * c.cols) + 48, 0);
  for (const s of sets) s.reserve?.(bytes);
  const plan = recorded.map((calls) =>
    calls.map((c) => {
      const flops = 2 * c.rows * c.inner * c.cols;
      const calls = sets.map((s) => {
        const a = s.alloc(c.rows * c.inner);
        const b = s.alloc(c.inner * c.cols);
        const out = s.alloc(c.rows * c.cols);
        fill(a, 1);
        fill(b, 2);
        return () => s.k.matmul(out, a, b, c.rows, c.inner, c.cols, c.tA, c.tB, c.acc);
      });
      const rounds: number[][] = sets.map(() => []);
      return { c, flops, calls, rounds };
    }),
  );
  for (let round = 0; round < GEMM_ROUNDS; round++) {
    for (const shapes of plan) {
      for (const sh of shapes) {
        sets.forEach((s, j) => {
          const slow = s.ref && sh.flops > 5e7;
          if (slow && round > 0) return; // the reference loops are shown for scale, once
          const warm = round > 0 ? 20 : s.ref ? (slow ? 0 : 150) : 300;
          sh.rounds[j]!.push(median(timeSamples(sh.calls[j]!, slow ? 0 : warm, slow ? 1 : 7, slow ? 0 : 5)));
        });
      }
    }
  }
  const tasks = plan.map((shapes, t) => {
    const task = gemmTasks[t]!;
    const rows = shapes.map(({ c, flops, rounds }) => {
      const gflops: Record<string, number> = {};
      const usPerCall: Record<string, number> = {};
      const spread: Record<string, [number, number]> = {};
      sets.forEach((s, j) => {
        const sec = Math.min(...rounds[j]!);
        gflops[s.name] = flops / sec / 1e9;
        usPerCall[s.name] = sec * 1e6;
        spread[s.name] = [flops / Math.max(...rounds[j]!) / 1e9, flops / sec / 1e9];
      });
      const kind = `${c.tA ? 'T' : 'N'}${c.tB ? 'T' : 'N'}`;
      return { label: `${kind} ${c.rows}×${c.inner}×${c.cols}`, ...c, flops, gflops, usPerCall, spread };
    });
    const step: Record<string, { usPerStep: number; gflops: number }> = {};
    const stepFlops = rows.reduce((n, s) => n + s.flops, 0);
    for (const s of sets) {
      const us = rows.reduce((n, sh) => n + sh.usPerCall[s.name]!, 0);
      step[s.name] = { usPerStep: us, gflops: stepFlops / (us / 1e6) / 1e9 };
    }
    return { task: task.task, widths: task.widths, batch: task.batch, stepFlops, shapes: rows, step };
  });
  for (const s of sets) await (s.ref ? undefined : info(s.k).close?.());
  emit({ kernels: sets.map((s) => s.name), rounds: GEMM_ROUNDS, tasks, notes, peakRssMB: peakRssMB() });
}

// ---------------------------------------------------------------- garbage

interface GcWindow {
  steps: number;
  heapDeltaBytes: number;
  bytesPerStep: number;
  gcEvents: number;
  gcKinds: Record<string, number>;
  /** The bare loop: bytes/step of each of its windows (the fields above are the window with the fewest). */
  windows?: number[];
}

/** Windows of the bare loop: garbage every step makes shows in each; V8's one-off allocations (feedback, code) do not. */
const GARBAGE_WINDOWS = 3;

const gcNames: Record<number, string> = { 1: 'major', 2: 'minor', 4: 'incremental', 8: 'weakcb' };
const gcEntries: { start: number; kind: string }[] = [];

function observeGc(): void {
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      gcEntries.push({ start: e.startTime, kind: gcNames[kind] ?? String(kind) });
    }
  });
  obs.observe({ entryTypes: ['gc'] });
}

function forceGc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('garbage mode needs node --expose-gc');
  g();
  g();
}

/** Lets the PerformanceObserver deliver its buffered entries, then counts those inside [from, to). */
async function gcWindow(from: number, to: number, steps: number, heapDelta: number): Promise<GcWindow> {
  await new Promise((r) => setTimeout(r, 50));
  const inside = gcEntries.filter((e) => e.start >= from && e.start < to);
  const kinds: Record<string, number> = {};
  for (const e of inside) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
  return { steps, heapDeltaBytes: heapDelta, bytesPerStep: heapDelta / steps, gcEvents: inside.length, gcKinds: kinds };
}

/** The training step of fit (train/step.ts) in its own workspace (train/workspace.ts), driven directly: no loop, no callbacks. */
async function bareLoop(
  ds: Dataset,
  init: Float32Array[],
  o: OptimizerKind,
  warm: number,
  steps: number,
  make: () => Promise<RowKernels>,
): Promise<GcWindow> {
  const task = spec.task;
  const k = await make();
  const start = sharedNetwork(task, init);
  const B = task.batch;
  const {
    work: net,
    alloc,
    region,
  } = trainingMemory(start, 'float32', k, 3 * start.parameterCount + workspaceFloats(start, B));
  const ws = workspace(net, B, true, alloc, k);
  const optimizer = createOptimizer(
    o,
    o === 'adam' ? { beta1: ADAM.beta1, beta2: ADAM.beta2, eps: ADAM.eps } : {},
    undefined,
    { kernels: k, alloc },
  );
  const step = new TrainingStep({ net, loss: getLoss('softmax-ce'), optimizer, kernels: k, affine: true });
  const order = new Int32Array(ds.count).map((_, j) => j);
  const batches = Math.floor(ds.count / B);
  const lr = LR[o];
  let sink = 0;
  const run = (s: number) => {
    const b = s % batches;
    sink += step.run(ws, ds, order, b * B, b * B + B, lr, 1, b + 1);
  };
  for (let s = 0; s < warm; s++) run(s);
  const windows: GcWindow[] = [];
  for (let w = 0; w < GARBAGE_WINDOWS; w++) {
    forceGc();
    const h0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const first = warm + w * steps;
    for (let s = first; s < first + steps; s++) run(s);
    const t1 = performance.now();
    const h1 = process.memoryUsage().heapUsed;
    windows.push(await gcWindow(t0, t1, steps, h1 - h0));
  }
  if (!Number.isFinite(sink)) throw new Error(`bare loop diverged: ${String(step.divergence?.message)}`);
  region?.release();
  await info(k).close?.();
  const least = windows.reduce((a, b) => (b.bytesPerStep < a.bytesPerStep ? b : a));
  return { ...least, windows: windows.map((w) => w.bytesPerStep) };
}

/** fit() itself: epochs 1–2 warm up, the window is the next `steps` batches (onBatchEnd marks its ends). */
async function fitLoop(
  ds: Dataset,
  init: Float32Array[],
  o: OptimizerKind,
  warmEpochs: number,
  steps: number,
  make: () => Promise<RowKernels>,
): Promise<GcWindow & { note: string }> {
  const task = spec.task;
  const k = await make();
  const perEpoch = Math.ceil(ds.count / task.batch);
  const first = warmEpochs * perEpoch;
  let h0 = 0;
  let h1 = 0;
  let t0 = 0;
  let t1 = 0;
  let done = 0;
  fit(sharedNetwork(task, init), ds, {
    loss: 'softmax-ce',
    ...optimizerOptions(o),
    batchSize: task.batch,
    epochs: warmEpochs + Math.ceil(steps / perEpoch),
    shuffle: false,
    affine: true,
    kernels: k,
    onBatchEnd: () => {
      done++;
      if (done === first) {
        forceGc();
        h0 = process.memoryUsage().heapUsed;
        t0 = performance.now();
      } else if (done === first + steps) {
        t1 = performance.now();
        h1 = process.memoryUsage().heapUsed;
      }
    },
  });
  await info(k).close?.();
  const w = await gcWindow(t0, t1, steps, h1 - h0);
  return {
    ...w,
    note: 'includes the BatchInfo object fit makes for the onBatchEnd callback and the per-epoch records at epoch ends',
  };
}

async function garbage(): Promise<void> {
  observeGc();
  const d = readData(spec.dataDir);
  const { train: ds } = datasets(d);
  const init = readInit(spec.dataDir, spec.task);
  const out: Record<string, unknown> = {};
  const relaxed = spec.kernels !== 'wasm-simd';
  const wasmName = relaxed ? 'wasm-relaxed' : 'wasm-simd';
  const variants: { label: string; make: () => Promise<RowKernels> }[] = [
    { label: `${wasmName}, 1 thread`, make: () => wasm(relaxed, oneThread()) },
  ];
  if (spec.threads?.inKernels)
    variants.push({
      label: `${wasmName}, ${spec.threads.count} threads`,
      make: () => wasm(relaxed, spec.threads!.count),
    });
  const notes: string[] = [];
  const why = nativeUnavailableReason();
  if (why === undefined) {
    const name = native('auto', 1).name;
    variants.push(
      { label: `${name}, 1 thread`, make: () => Promise.resolve(native('auto', 1)) },
      { label: `${name}, 2 threads`, make: () => Promise.resolve(native('auto', 2)) },
    );
  } else notes.push(`native rows: ${why}`);
  for (const v of variants) {
    for (const o of ['sgd', 'adam'] as const) {
      out[`bare|${o}|${v.label}`] = await bareLoop(ds, init, o, 250, 500, v.make);
      out[`fit|${o}|${v.label}`] = await fitLoop(ds, init, o, 2, 500, v.make);
    }
  }
  emit({
    kernels: spec.kernels,
    task: spec.task.task,
    results: out,
    notes,
    peakRssMB: peakRssMB(),
    node: process.version,
    execArgv: process.execArgv,
  });
}

// ---------------------------------------------------------------- profile

/** One epoch of warm-up, then one timed epoch with every kernel call timed (see bench/profile.ts). */
async function profile(): Promise<void> {
  const { task } = spec;
  const d = readData(spec.dataDir);
  const { train: ds } = datasets(d);
  const net = sharedNetwork(task, readInit(spec.dataDir, task));
  const kernels = await makeKernels(
    spec.kernels === 'ref' || spec.kernels === 'model-default' ? 'wasm-relaxed' : spec.kernels,
    spec.threads,
  );
  const prof = profileKernels(
    kernels!,
    [task.batch, ds.count % task.batch].filter((b) => b > 0),
  );
  let batches = 0;
  const opts: FitOptions = {
    loss: 'softmax-ce',
    ...optimizerOptions(spec.optimizer),
    batchSize: task.batch,
    epochs: 2,
    shuffle: false,
    affine: true,
    kernels: prof.kernels,
    onEpochBegin: (e) => {
      if (e.epoch === 2) prof.reset();
    },
    onBatchEnd: (b) => {
      if (b.epoch === 2) batches++;
    },
  };
  const r = fit(net, ds, opts);
  const stepMs = (r.history[1]!.seconds * 1000) / batches;
  const phases = [...prof.phases.values()].map((p) => ({
    ...p,
    calls: p.calls / batches,
    ms: p.ms / batches,
    flops: p.flops / batches,
    bytes: p.bytes / batches,
  }));
  const bandwidth = copyBandwidths();
  const threads = threadLabel(kernels); // before close(), which stops the workers
  await (kernels ? info(kernels).close?.() : undefined);
  emit({
    task: task.task,
    optimizer: spec.optimizer,
    kernels: kernels!.name,
    threads,
    batches,
    stepMs,
    phases,
    copy: bandwidth,
    peakRssMB: peakRssMB(),
  });
}

// ---------------------------------------------------------------- step-pairs

/** Pairs of the step-vs-GEMM comparison: one epoch of fit(), then the step's products, timed back to back. */
const STEP_PAIRS = 5;

/**
 * The whole step against its products, in one process and adjacent in time: fit() trains epochs 1 … 1 + STEP_PAIRS;
 * at the end of each epoch after the first, every product of the step (its recorded shapes, on the same kernels) is
 * timed back to back. A pair's ratio is the step's effective rate (nominal FLOPs ÷ the epoch's time per step) over
 * the products' rate (their FLOPs ÷ the sum of their times): this machine's speed drifts between minutes, and a pair
 * sees one speed.
 */
async function stepPairs(): Promise<void> {
  const { task } = spec;
  const d = readData(spec.dataDir);
  const { train: ds } = datasets(d);
  const net = sharedNetwork(task, readInit(spec.dataDir, task));
  const kernels = (await makeKernels(spec.kernels, spec.threads))!;
  const calls = recordStep(task, d).map((c) => {
    const a = new Float32Array(c.rows * c.inner);
    const b = new Float32Array(c.inner * c.cols);
    const out = new Float32Array(c.rows * c.cols);
    fill(a, 1);
    fill(b, 2);
    return {
      flops: 2 * c.rows * c.inner * c.cols,
      run: () => kernels.matmul(out, a, b, c.rows, c.inner, c.cols, c.tA, c.tB, c.acc),
    };
  });
  const productFlops = calls.reduce((n, c) => n + c.flops, 0);
  twoThreadFma(kernels); // warm-up (clock ramp)
  const pairs: { stepGflops: number; productsGflops: number; ratio: number; fmaBefore?: number; fmaAfter?: number }[] =
    [];
  let before: number | undefined;
  const r = fit(net, ds, {
    loss: 'softmax-ce',
    ...optimizerOptions(spec.optimizer),
    batchSize: task.batch,
    epochs: 1 + STEP_PAIRS,
    shuffle: false,
    affine: true,
    kernels,
    // the probe read at one epoch's end is the next epoch's "before" (read inside the epoch's time, it would count)
    onEpochEnd: (e) => {
      if (e.epoch === 1) {
        before = twoThreadFma(kernels);
        return;
      }
      const stepGflops = (nominalFlops(task.widths) * ds.count) / e.seconds / 1e9;
      const sec = calls.reduce((n, c) => n + median(timeSamples(c.run, 10, 5, 3)), 0);
      const productsGflops = productFlops / sec / 1e9;
      const after = twoThreadFma(kernels);
      pairs.push({
        stepGflops,
        productsGflops,
        ratio: stepGflops / productsGflops,
        ...(before !== undefined && after !== undefined ? { fmaBefore: before, fmaAfter: after } : {}),
      });
      before = after;
    },
  });
  if (r.stopReason !== 'completed') throw new Error(`step pairs: fit stopped (${r.stopReason})`);
  const threads = threadLabel(kernels);
  await info(kernels).close?.();
  emit({ task: task.task, optimizer: spec.optimizer, kernels: kernels.name, threads, pairs });
}

const modes = { train, gemm, garbage, profile, 'step-pairs': stepPairs };
await modes[spec.mode]();
