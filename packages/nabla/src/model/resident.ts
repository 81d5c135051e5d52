/**
 * Predictions on a resident network, as ONNX Runtime's session keeps its weights: the model's network is copied
 * once into a kernel instance of its own and samples are gathered straight into that memory, chunk by chunk — no
 * weight copies, no allocation. One network is resident at a time; it is copied again when the network changes.
 * A chunk whose inputs or products are not finite is refused (finite.ts).
 */

import { UnsupportedError } from '../errors.js';
import type { KernelRegion, Kernels } from '../kernels/types.js';
import { createWasmKernelsSync } from '../kernels/wasm/index.js';
import { Matrix, newArray } from '../linalg/matrix.js';
import { allocateTrace, forward, type Trace } from '../net/forward.js';
import { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import { trainingMemory } from '../train/workspace.js';
import { checkFiniteChunk } from './finite.js';
import { predictionSet } from './kernels.js';

/** Samples per chunk: enough columns for the products to run at the kernel's rate, few enough to stay in cache. */
export const RESIDENT_CHUNK = 512;

interface Resident {
  /** The model's network this copy was made from. */
  source: Network;
  /** The copy in the kernels' memory. */
  net: Network;
  region: KernelRegion;
  /** The trace of a full chunk, and views of its first b columns for smaller calls, each with its Xᵀ. */
  chunks: Map<number, Chunk>;
  full: Trace;
}

/** A trace for b samples, and the b × n_0 matrix Xᵀ over its Σ_0 memory. */
interface Chunk {
  trace: Trace;
  Xt: Matrix;
}

let kernels: Kernels | null | undefined;
let resident: Resident | undefined;

/**
 * The prediction kernels: the native kernels where they are the choice, else an instance of the WebAssembly kernels
 * of its own (one thread, synchronous); null for the reference path (forced, or no WebAssembly SIMD).
 */
function predictionKernels(): Kernels | null {
  if (kernels === undefined) {
    const set = predictionSet();
    if (set === 'ref') return (kernels = null);
    if (set !== 'wasm') return (kernels = set.native);
    try {
      kernels = createWasmKernelsSync();
    } catch (e) {
      if (!(e instanceof UnsupportedError)) throw e;
      kernels = null;
    }
  }
  return kernels;
}

function residentOf(net: Network, k: Kernels): Resident {
  if (resident?.source === net) return resident;
  resident?.region.release();
  resident = undefined;
  // the weights and the trace (N, Σ, Σ' per layer, Σ_0), plus 4 floats of 16-byte alignment per array
  const arrays = 4 * net.k + 1;
  const floats = net.parameterCount + RESIDENT_CHUNK * 3 * net.n.reduce((a, b) => a + b, 0) + 4 * arrays;
  const { work, region } = trainingMemory(net, 'float32', k, floats);
  const full = allocateTrace(work, RESIDENT_CHUNK, (n) => region!.alloc(n));
  resident = { source: net, net: work, region: region!, chunks: new Map(), full };
  return resident;
}

/** The first b columns of a full-chunk trace (views: no copy), with Xᵀ over its Σ_0. */
function chunkOf(r: Resident, b: number): Chunk {
  const cached = r.chunks.get(b);
  if (cached) return cached;
  if (r.chunks.size > 8) r.chunks.clear();
  const view = (m: Matrix) => new Matrix(m.rows, b, m.data.subarray(0, m.rows * b));
  const map = (l: Layers<Matrix>) =>
    new Layers<Matrix>(
      l.symbol,
      l.first,
      l.last,
      l.indices().map((i) => view(l.get(i))),
    );
  const S = map(r.full.S);
  const n0 = r.net.n[0]!;
  const c: Chunk = {
    trace: { N: map(r.full.N), S, dS: map(r.full.dS), f: S.get(S.last) },
    Xt: new Matrix(b, n0, r.full.S.get(0).data.subarray(0, b * n0)),
  };
  r.chunks.set(b, c);
  return c;
}

/**
 * Runs `net` on `count` samples, chunk by chunk: `fill(Xt, start, end)` writes samples start … end−1 into the rows
 * of Xt ((end − start) × n_0: the batch as Xᵀ, so the samples are copied row by row, never transposed), and
 * `take(trace, start)` reads the chunk's outputs. On resident weights when the network is float32 and WebAssembly
 * SIMD is there; otherwise on the network itself with the reference kernels (equal to float32 rounding).
 */
export function forwardInChunks(
  net: Network,
  count: number,
  fill: (Xt: Matrix, start: number, end: number) => void,
  take: (t: Trace, start: number) => void,
): void {
  const k = net.dtype === 'float32' ? predictionKernels() : null;
  const r = k ? residentOf(net, k) : undefined;
  for (let start = 0; start < count; start += RESIDENT_CHUNK) {
    const end = Math.min(count, start + RESIDENT_CHUNK);
    const b = end - start;
    const c = r
      ? chunkOf(r, b)
      : { trace: allocateTrace(net, b), Xt: new Matrix(b, net.n[0]!, newArray(net.dtype, b * net.n[0]!)) };
    fill(c.Xt, start, end);
    const t = forward(r ? r.net : net, c.Xt, { into: c.trace, inputRows: true, ...(k ? { kernels: k } : {}) });
    checkFiniteChunk(c.Xt, t, start, net.dtype); // NaN or ±Infinity is refused with its layer and sample
    take(t, start);
  }
}
