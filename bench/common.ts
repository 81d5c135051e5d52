/**
 * Shared by the benchmark parent (bench/run.ts) and its children (nabla-child.ts, tfjs-child.ts; torch_mlp.py
 * reads the same files): the on-disk data and init format (meta.json, train/test .f32 and .i32 files, init_<task>.f32
 * with each W_i out × in row-major), the per-run epoch budget, statistics and the result record.
 */

export interface TaskSpec {
  /** 'A' = 784-128-10, batch 64, accuracy after 5 epochs; 'B' = 784-512-512-10, batch 128, after 2. */
  task: 'A' | 'B';
  widths: number[];
  batch: number;
  accuracyEpoch: number;
  /** Timed epochs at most (epochs 2 … 1 + maxTimed); epoch 1 is the warm-up. */
  maxTimed: number;
  /** Per-run budget: after the accuracy epoch, no new epoch starts once this many seconds have passed. */
  budgetSeconds: number;
}

export type OptimizerKind = 'sgd' | 'adam';

export const LR: Record<OptimizerKind, number> = { sgd: 0.1, adam: 1e-3 };
/** Adam β1, β2, ε: PyTorch's defaults, passed explicitly to every library (tfjs's own default ε is 1e-7). */
export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export interface ChildSpec {
  dataDir: string;
  task: TaskSpec;
  optimizer: OptimizerKind;
}

export interface TrainResult {
  library: string;
  backend: string;
  threads: string;
  task: 'A' | 'B';
  optimizer: OptimizerKind;
  /** Wall seconds of every epoch run (epoch 1 first). */
  epochSeconds: number[];
  /** Mean training loss of epoch 1 (Σ batch loss × batch size / samples): the same-computation check. */
  epoch1Loss: number;
  /** Test accuracy (fraction) after the accuracy epoch. */
  testAccuracy: number;
  /** Peak RSS of the child process, MB (1 MB = 2^20 bytes). */
  peakRssMB: number;
  /** Native rows on 2 threads: the two threads' FMA GFLOP/s together just before and just after the training. */
  twoThreadFma?: [number, number];
  notes: string[];
}

export interface DataFiles {
  inputs: number;
  classes: number;
  trainX: Float32Array;
  trainY: Int32Array;
  order: Int32Array;
  testX: Float32Array;
  testY: Int32Array;
}

export const RESULT_MARK = '@@RESULT ';

/** Whether to start another epoch after `done` epochs that took `elapsed` seconds in all. */
export function wantsAnotherEpoch(task: TaskSpec, done: number, elapsed: number): boolean {
  if (done < task.accuracyEpoch) return true;
  if (done - 1 >= task.maxTimed) return false;
  return elapsed < task.budgetSeconds;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Prints the result line, with the CPU seconds this process used (all its threads) for the parent's load check. */
export function emit(result: object): void {
  const u = process.cpuUsage();
  process.stdout.write(`${RESULT_MARK}${JSON.stringify({ ...result, cpuSeconds: (u.user + u.system) / 1e6 })}\n`);
}

export function parseSpec<T>(): T {
  const arg = process.argv[2];
  if (!arg) throw new Error('expected the child spec (JSON) as the first argument');
  return JSON.parse(arg) as T;
}

/** Nominal training FLOPs per sample: forward + weight-gradient GEMMs + input-gradient GEMMs except layer 1's. */
export function nominalFlops(w: readonly number[]): number {
  let f = 0;
  for (let i = 1; i < w.length; i++) f += (i === 1 ? 4 : 6) * w[i]! * w[i - 1]!;
  return f;
}
