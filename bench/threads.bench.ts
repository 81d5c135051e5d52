/**
 * Threads for the large products: GEMM throughput on 1 thread vs 2 (main + 1 worker, shared memory), the split
 * threshold, and a full fit() of 784-512-512-10 at batch 128; every part reports the CPU other processes used.
 * Run: npx tsx bench/threads.bench.ts [--quick] [--gemm] [--sweep] [--fit]   (default: all three parts;
 * needs `npm run build:wasm` first; not part of the tests)
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Dataset } from '../packages/nabla/src/data/dataset.js';
import { createWasmKernels, DEFAULT_SPLIT_FLOPS, type WasmKernels } from '../packages/nabla/src/kernels/wasm/index.js';
import { threadTuning } from '../packages/nabla/src/kernels/wasm/threads.js';
import { createNetwork } from '../packages/nabla/src/net/init.js';
import { fit } from '../packages/nabla/src/train/fit.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const parts = ['--gemm', '--sweep', '--fit'].filter((p) => argv.includes(p));
const want = (p: string) => parts.length === 0 || parts.includes(p);
for (const a of argv) {
  const m = /^--(chunks|spin|mainspin)=(\d+(?:\.\d+)?)$/.exec(a);
  if (m?.[1] === 'chunks') threadTuning.chunksPerThread = Number(m[2]);
  if (m?.[1] === 'spin') threadTuning.workerSpinMicros = Number(m[2]);
  if (m?.[1] === 'mainspin') threadTuning.mainSpinMicros = Number(m[2]);
}
const now = () => performance.now();
const out = (s: string) => process.stdout.write(`${s}\n`);

// ---------------------------------------------------------------------------------------------------
// load

/** CPU time (s) of all processes from /proc/stat, or NaN where there is none. */
function busySeconds(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = f as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return (user + nice + system + irq + softirq + steal) / 100; // USER_HZ = 100
  } catch {
    return NaN;
  }
}
function ownSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
/** Runs `fn`, returns its result and the foreign load while it ran (cores busy with other processes). */
function withLoad<T>(fn: () => T): { value: T; foreign: number; load: string } {
  const b0 = busySeconds();
  const o0 = ownSeconds();
  const t0 = now();
  const value = fn();
  const wall = (now() - t0) / 1000;
  const foreign = Math.max(0, (busySeconds() - b0 - (ownSeconds() - o0)) / wall);
  return {
    value,
    foreign,
    load: loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
  };
}

// ---------------------------------------------------------------------------------------------------
// timing

function fill(a: Float32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
}

function sample(call: () => void, ms: number): number {
  let n = 0;
  const start = now();
  let t = start;
  do {
    call();
    n++;
    t = now();
  } while (t - start < ms);
  return (t - start) / 1000 / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Median seconds per call of each variant, measured in alternating rounds. */
function ab(calls: (() => void)[], rounds: number, sampleMs: number, warmMs: number): number[] {
  for (const call of calls) {
    const t0 = now();
    while (now() - t0 < warmMs / calls.length) call();
  }
  const per: number[][] = calls.map(() => []);
  for (let r = 0; r < rounds; r++) calls.forEach((call, i) => per[i]!.push(sample(call, sampleMs)));
  return per.map(median);
}

// ---------------------------------------------------------------------------------------------------

interface Shape {
  label: string;
  M: number;
  K: number;
  N: number;
  tA: boolean;
  tB: boolean;
}
const sh = (label: string, M: number, K: number, N: number, tA = false, tB = false): Shape => ({
  label,
  M,
  K,
  N,
  tA,
  tB,
});

const k1 = await createWasmKernels({ threads: 1 });
const k2 = await createWasmKernels({ threads: 2 });
out(
  `# nabla threads bench — ${k1.name}, k2.threads = ${k2.threads}, default splitFlops = ${DEFAULT_SPLIT_FLOPS / 1e6} MFLOP`,
);
out(
  `# tuning: ${JSON.stringify(threadTuning)}; load average at start: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);

/** The operands of `s` in both kernels' memories (same values). */
function operands(s: Shape): { one: () => void; split: () => void; shared1: () => void } {
  const a1 = k1.allocF32(s.M * s.K),
    b1 = k1.allocF32(s.K * s.N),
    c1 = k1.allocF32(s.M * s.N);
  const a2 = k2.allocF32(s.M * s.K),
    b2 = k2.allocF32(s.K * s.N),
    c2 = k2.allocF32(s.M * s.N);
  fill(a1, 1);
  fill(b1, 2);
  a2.set(a1);
  b2.set(b1);
  return {
    one: () => k1.matmul(c1, a1, b1, s.M, s.K, s.N, s.tA, s.tB, false),
    split: () => {
      k2.splitFlops = 0;
      k2.matmul(c2, a2, b2, s.M, s.K, s.N, s.tA, s.tB, false);
    },
    shared1: () => {
      k2.splitFlops = Infinity;
      k2.matmul(c2, a2, b2, s.M, s.K, s.N, s.tA, s.tB, false);
    },
  };
}

function gemmTable(title: string, shapes: Shape[], withShared: boolean): void {
  out(`\n## ${title}`);
  out(
    `| shape (M×K×N) | MFLOP | 1T GFLOP/s | ${withShared ? '1T on shared mem | ' : ''}2T GFLOP/s | 2T/1T | auto splits? | foreign cores |`,
  );
  out(`|---|---:|---:|${withShared ? '---:|' : ''}---:|---:|---|---:|`);
  for (const s of shapes) {
    const k1Mark = k1.arena.mark();
    const k2Mark = k2.arena.mark();
    const ops = operands(s);
    const flops = 2 * s.M * s.K * s.N;
    const sampleMs = flops > 2e8 ? 0 : 10;
    const rounds = quick ? 5 : flops > 2e8 ? 15 : 11;
    const calls = withShared ? [ops.one, ops.shared1, ops.split] : [ops.one, ops.split];
    const r = withLoad(() => ab(calls, rounds, sampleMs, quick ? 150 : 400));
    const t = r.value;
    const gf = (sec: number) => (flops / sec / 1e9).toFixed(1);
    const t2 = t[t.length - 1]!;
    out(
      `| ${s.label} | ${(flops / 1e6).toFixed(1)} | ${gf(t[0]!)} | ` +
        `${withShared ? `${gf(t[1]!)} | ` : ''}${gf(t2)} | ${(t[0]! / t2).toFixed(2)}× | ` +
        `${flops > DEFAULT_SPLIT_FLOPS ? 'yes' : 'no'} | ${r.foreign.toFixed(2)} |`,
    );
    k1.arena.reset(k1Mark);
    k2.arena.reset(k2Mark);
  }
}

if (want('--gemm')) {
  gemmTable(
    'GEMM: 1 thread vs 2 (split forced)',
    [
      // 784-128-10, batch 64 (samples as columns): the training step's products
      sh('NN 128×784×64 (N1 = W1·X)', 128, 784, 64),
      sh('TN 784×128×64 (W1ᵀ·Δ1)', 784, 128, 64, true, false),
      sh('NT 128×64×784 (∇W1 = Δ1·Xᵀ)', 128, 64, 784, false, true),
      sh('NN 64×784×128 (study shape)', 64, 784, 128),
      // 784-512-512-10, batch 128
      sh('NN 512×784×128 (N1 = W1·X)', 512, 784, 128),
      sh('NT 512×128×784 (∇W1)', 512, 128, 784, false, true),
      sh('NN 512×512×128 (N2 = W2·S1)', 512, 512, 128),
      sh('TN 512×512×128 (W2ᵀ·Δ2)', 512, 512, 128, true, false),
      sh('NT 512×128×512 (∇W2)', 512, 128, 512, false, true),
      sh('NN 512×512×512', 512, 512, 512),
      sh('TN 512×512×512', 512, 512, 512, true, false),
      sh('NT 512×512×512', 512, 512, 512, false, true),
      sh('NN 1024×1024×1024', 1024, 1024, 1024),
    ],
    true,
  );
}

if (want('--sweep')) {
  // FLOPs from ~0.5 to ~100 MFLOP in the three layouts of a training step (rows = layer width, cols = batch)
  const shapes: Shape[] = [];
  for (const [M, K, N] of [
    [32, 128, 64],
    [64, 128, 64],
    [64, 256, 64],
    [128, 256, 64],
    [128, 512, 64],
    [128, 784, 64],
    [256, 512, 64],
    [256, 784, 64],
    [512, 512, 64],
    [256, 784, 128],
    [512, 784, 128],
  ] as const) {
    shapes.push(sh(`NN ${M}×${K}×${N}`, M, K, N));
    shapes.push(sh(`TN ${K}×${M}×${N}`, K, M, N, true, false));
    shapes.push(sh(`NT ${M}×${N}×${K}`, M, N, K, false, true));
  }
  gemmTable('Threshold sweep: 2T/1T by size', shapes, false);
}

// ---------------------------------------------------------------------------------------------------
// fit

if (want('--fit')) {
  const inputs = 784;
  /** Random 784-pixel "images" of 10 classes (the timing does not depend on the values). */
  const dataset = (count: number): Dataset => {
    const x = new Float32Array(count * inputs);
    fill(x, 7);
    for (let i = 0; i < x.length; i++) x[i] = Math.abs(x[i]!);
    const labels = new Int32Array(count).map((_, i) => (i * 7919) % 10);
    return {
      name: 'random',
      x,
      inputs,
      count,
      task: 'classification',
      labels,
      classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      outputs: 10,
    };
  };
  const tasks = [
    { widths: [784, 512, 512, 10], batch: 128, batches: quick ? 24 : 60, splits: [DEFAULT_SPLIT_FLOPS] },
    { widths: [784, 128, 10], batch: 64, batches: quick ? 40 : 120, splits: [DEFAULT_SPLIT_FLOPS, 30e6, 0] },
  ];
  for (const task of tasks) {
    const data = dataset(task.batch * task.batches);
    const acts = [...task.widths.slice(2).map(() => 'relu'), 'identity'];
    const net = createNetwork({ widths: task.widths, activation: acts, dtype: 'float32', seed: 1 });
    /** Median seconds per batch of one epoch, the first 4 batches (warm-up) left out. */
    const epoch = (k: WasmKernels): number => {
      const times: number[] = [];
      let last = now();
      fit(net, data, {
        loss: 'softmax-ce',
        optimizer: 'adam',
        learningRate: 1e-3,
        batchSize: task.batch,
        epochs: 1,
        kernels: k,
        seed: 1,
        onBatchEnd: () => {
          const t = now();
          times.push(t - last);
          last = t;
        },
      });
      return median(times.slice(4)) / 1000;
    };
    const configs = [
      { label: '1', run: () => epoch(k1), split: NaN },
      ...task.splits.map((split) => ({
        label: `2, split > ${split / 1e6} MFLOP${split === DEFAULT_SPLIT_FLOPS ? ' (default)' : ''}`,
        split,
        run: () => {
          k2.splitFlops = split;
          return epoch(k2);
        },
      })),
    ];
    const reps = quick ? 3 : 7;
    out(
      `\n## fit(): ${task.widths.join('-')} (relu), batch ${task.batch}, Adam, ${data.count} random samples; ` +
        `median batch time of an epoch (first 4 batches left out), median over ${reps} rounds of alternating epochs`,
    );
    for (const c of configs) c.run(); // warm-up
    const s0 = k2.stats.splitCalls,
      w0 = k2.stats.workerChunks,
      c0 = k2.stats.chunks;
    const r = withLoad(() => {
      const per: number[][] = configs.map(() => []);
      for (let i = 0; i < reps; i++) configs.forEach((c, j) => per[j]!.push(c.run()));
      return per.map(median);
    });
    out(`| threads | ms/batch | samples/s | vs 1 thread |`);
    out(`|---|---:|---:|---:|`);
    r.value.forEach((sec, j) => {
      out(
        `| ${configs[j]!.label} | ${(sec * 1000).toFixed(2)} | ${(task.batch / sec).toFixed(0)} | ${(r.value[0]! / sec).toFixed(2)}× |`,
      );
    });
    out(
      `worker computed ${(((k2.stats.workerChunks - w0) / Math.max(1, k2.stats.chunks - c0)) * 100).toFixed(0)} % of the ` +
        `${k2.stats.splitCalls - s0} split products' chunks; foreign ${r.foreign.toFixed(2)} cores, load average ${r.load}`,
    );
  }
  k2.splitFlops = DEFAULT_SPLIT_FLOPS;
}

await k2.close();
out(
  `\n# load average at end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
