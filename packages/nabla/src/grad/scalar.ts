/**
 * Paper §4, the one-dimensional case n = n_1 = … = n_k = 1, where every W_i is a number w_i.
 * Eq. (1)/(2), the chain written out:
 *   ∇_{w_k} f     = σ'_k σ_{k−1}
 *   ∇_{w_{k−1}} f = σ'_k w_k · σ'_{k−1} σ_{k−2}
 *   …
 *   ∇_{w_1} f     = σ'_k w_k · σ'_{k−1} w_{k−1} · … · σ'_2 w_2 · σ'_1 x
 * and its scalar recursion  Δ_i = Δ_{i+1} w_{i+1} σ'_i  (Δ_{k+1} = w_{k+1} = 1),  ∇_{w_i} f = Δ_i σ_{i−1}  (σ_0 = x).
 * Plain numbers only; one sample at a time, summed over the batch.
 */
import { UnsupportedError } from '../errors.js';
import { Matrix, newArray } from '../linalg/matrix.js';
import type { Trace } from '../net/forward.js';
import { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import type { Grads } from './types.js';

function requireOneDimensional(net: Network): void {
  if (net.n.some((w) => w !== 1)) {
    throw new UnsupportedError(`the scalar form (1)/(2) needs every width to be 1; this network has widths [${net.n.join(', ')}]`);
  }
}

function scalarLayers(net: Network, values: number[], symbol: string, first: number): Layers<Matrix> {
  const out = new Layers<Matrix>(symbol, first, first + values.length - 1);
  values.forEach((v, j) => {
    const m = new Matrix(1, 1, newArray(net.dtype, 1));
    m.data[0] = v;
    out.set(first + j, m);
  });
  return out;
}

/** Eq. (1)/(2): each ∇_{w_i} f as the product written out in full. */
export function scalarChain(net: Network, trace: Trace, seed: Matrix): Grads {
  requireOneDimensional(net);
  const k = net.k;
  const w = (i: number) => net.W.get(i).data[0]!;
  const sums = new Array<number>(k).fill(0);
  for (let b = 0; b < seed.cols; b++) {
    const s = (i: number) => trace.S.get(i).data[b]!; // σ_i (σ_0 = x)
    const ds = (i: number) => trace.dS.get(i).data[b]!; // σ'_i
    for (let i = 1; i <= k; i++) {
      let p = seed.data[b]!; // the paper's 1
      for (let r = k; r > i; r--) p *= ds(r) * w(r); // σ'_r w_r
      sums[i - 1]! += p * ds(i) * s(i - 1); // σ'_i σ_{i−1}
    }
  }
  return { gradW: scalarLayers(net, sums, '∇W', 1) };
}

/** The scalar recursion of §4: Δ_i = Δ_{i+1} w_{i+1} σ'_i, ∇_{w_i} f = Δ_i σ_{i−1}. */
export function scalarRecursion(net: Network, trace: Trace, seed: Matrix): Grads {
  requireOneDimensional(net);
  const k = net.k;
  const B = seed.cols;
  const D = new Layers<Matrix>('Δ', 1, k + 1);
  const gradW = new Layers<Matrix>('∇W', 1, k);
  D.set(k + 1, seed);
  for (let i = k; i >= 1; i--) {
    const Di = new Matrix(1, B, newArray(net.dtype, B));
    const wNext = i === k ? 1 : net.W.get(i + 1).data[0]!; // w_{k+1} = 1
    let g = 0;
    for (let b = 0; b < B; b++) {
      Di.data[b] = D.get(i + 1).data[b]! * wNext * trace.dS.get(i).data[b]!;
      g += Di.data[b]! * trace.S.get(i - 1).data[b]!;
    }
    D.set(i, Di);
    const G = new Matrix(1, 1, newArray(net.dtype, 1));
    G.data[0] = g;
    gradW.set(i, G);
  }
  return { gradW, D };
}
