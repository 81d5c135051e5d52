/**
 * The numeric reference: five-point central differences of g(W) = Σ_b v·f(x_b; W) in float64, entry by entry,
 * h = 1e-4 · max(1, |w|); on smooth networks they agree with the analytic forms to about 1e-10. At a kink no
 * finite difference is meaningful: keep N away from kinks when comparing.
 */
import { Matrix } from '../linalg/matrix.js';
import { forward, type Trace } from '../net/forward.js';
import { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import { type Grads, requireColumnTrace } from './types.js';

function weighted(net: Network, X: Matrix, seed: Matrix): number {
  const f = forward(net, X).f;
  let s = 0;
  for (let j = 0; j < f.data.length; j++) s += seed.data[j]! * f.data[j]!;
  return s;
}

/** Options of `numericGradient`: the finite-difference step. */
export interface NumericOptions {
  /** Relative step (default 1e-4). */
  step?: number;
}

/** ∇_W (v·f) by finite differences (always computed in float64). */
export function numericGradient(net: Network, X: Matrix, seed: Matrix, opts: NumericOptions = {}): Layers<Matrix> {
  const n64 = net.as('float64');
  const X64 = X.as('float64');
  const v64 = seed.as('float64');
  const rel = opts.step ?? 1e-4;
  const gradW = new Layers<Matrix>('∇W', 1, n64.k);
  for (let i = 1; i <= n64.k; i++) {
    const W = n64.W.get(i);
    const G = new Matrix(W.rows, W.cols);
    for (let e = 0; e < W.data.length; e++) {
      const w = W.data[e]!;
      const h = rel * Math.max(1, Math.abs(w));
      const at = (x: number) => {
        W.data[e] = x;
        return weighted(n64, X64, v64);
      };
      const g1 = at(w + h) - at(w - h);
      const g2 = at(w + 2 * h) - at(w - 2 * h);
      W.data[e] = w;
      G.data[e] = (8 * g1 - g2) / (12 * h);
    }
    gradW.set(i, G);
  }
  return gradW;
}

/** Finite differences as a gradient engine (X is the trace's Σ_0). */
export function numeric(net: Network, trace: Trace, seed: Matrix): Grads {
  requireColumnTrace(trace, 'numeric');
  return { gradW: numericGradient(net, trace.S.get(0), seed) };
}
