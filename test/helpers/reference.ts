/**
 * Independent references written from the paper (§2) with nested arrays and loops: a forward pass, a network's
 * tail from Σ_r or N_r, and central differences of g(W) = Σ_{j,b} v_jb · f_j(x_b; W). Nothing here calls nabla's
 * linalg, kernels, forward or grad code; only W_i and the scalar σ_ij are taken from a network.
 */

import { Matrix } from '../../packages/nabla/src/linalg/matrix.js';
import type { Activation } from '../../packages/nabla/src/net/activation.js';
import type { Network } from '../../packages/nabla/src/net/network.js';

export type Rows = number[][];

/** A network as plain data: W[i − 1] is W_i (n_i × n_{i−1} rows), acts[i − 1][j] is σ_{i,j+1}. */
export interface PlainNet {
  W: Rows[];
  acts: Activation[][];
}

/** mulberry32, written out here so the test data does not depend on nabla's Rng. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomRows(rand: () => number, rows: number, cols: number, lo: number, hi: number): Rows {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => lo + (hi - lo) * rand()));
}

/** Plain rows of a Matrix (read entry by entry, not through Matrix.toRows). */
export function rowsOf(m: Matrix): Rows {
  const out: Rows = [];
  for (let r = 0; r < m.rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < m.cols; c++) row.push(m.data[r * m.cols + c]!);
    out.push(row);
  }
  return out;
}

/** A float64 Matrix from plain rows (built directly, not through fromRows); `cols` is needed when there are no rows. */
export function matrixOf(rows: Rows, cols?: number): Matrix {
  const r = rows.length;
  const c = r === 0 ? (cols ?? 0) : rows[0]!.length;
  const data = new Float64Array(r * c);
  rows.forEach((row, i) => row.forEach((v, j) => (data[i * c + j] = v)));
  return new Matrix(r, c, data);
}

export function plainFrom(net: Network): PlainNet {
  const W: Rows[] = [];
  const acts: Activation[][] = [];
  for (let i = 1; i <= net.k; i++) {
    W.push(rowsOf(net.W.get(i)));
    acts.push([...net.sigma.get(i).sigmas]);
  }
  return { W, acts };
}

/** A·B by the textbook triple loop. */
export function naiveMatmul(A: Rows, B: Rows): Rows {
  const n = A.length;
  const inner = B.length;
  const m = inner === 0 ? 0 : B[0]!.length;
  const out: Rows = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < inner; p++) s += A[i]![p]! * B[p]![j]!;
      row.push(s);
    }
    out.push(row);
  }
  return out;
}

export function naiveTranspose(A: Rows): Rows {
  const rows = A.length;
  const cols = rows === 0 ? 0 : A[0]!.length;
  return Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => A[i]![j]!));
}

/** Applies σ_{i,j} to row j of N (each neuron its own σ). */
export function applyColumn(acts: readonly Activation[], N: Rows): Rows {
  return N.map((row, j) => row.map((x) => acts[j]!.sigma(x)));
}

export function applyColumnDerivative(acts: readonly Activation[], N: Rows): Rows {
  return N.map((row, j) => row.map((x) => acts[j]!.dsigma(x, acts[j]!.sigma(x))));
}

/** The paper's forward pass: N[i] = W_i · S[i − 1], S[i] = Σ_i(N[i]), S[0] = X (N[0] unused). */
export function naiveForward(net: PlainNet, X: Rows): { N: Rows[]; S: Rows[]; f: Rows } {
  const S: Rows[] = [X];
  const N: Rows[] = [[]];
  for (let i = 1; i <= net.W.length; i++) {
    const Ni = naiveMatmul(net.W[i - 1]!, S[i - 1]!);
    N.push(Ni);
    S.push(applyColumn(net.acts[i - 1]!, Ni));
  }
  return { N, S, f: S[S.length - 1]! };
}

/** f computed from Σ_r onwards (layers r + 1 … k): N_{r+1} = W_{r+1}·Σ_r, …  (r = k returns Σ_k itself). */
export function tailFromS(net: PlainNet, r: number, Sr: Rows): Rows {
  let S = Sr;
  for (let i = r + 1; i <= net.W.length; i++) S = applyColumn(net.acts[i - 1]!, naiveMatmul(net.W[i - 1]!, S));
  return S;
}

/** f computed from N_r onwards: Σ_r = Σ_r(N_r), then the tail. */
export function tailFromN(net: PlainNet, r: number, Nr: Rows): Rows {
  return tailFromS(net, r, applyColumn(net.acts[r - 1]!, Nr));
}

/** Σ_{j,b} v_jb · f_jb. */
export function weighted(f: Rows, v: Rows): number {
  let s = 0;
  f.forEach((row, j) => row.forEach((x, b) => (s += v[j]![b]! * x)));
  return s;
}

/**
 * ∂g/∂M for g = value(M), by the five-point central stencil
 *   (8·(g(m+h) − g(m−h)) − (g(m+2h) − g(m−2h))) / 12h,   h = 1e-5 · max(1, |m|).
 * Truncation error O(h⁴) ≈ 1e-20, rounding ≈ ε·|g|/h ≈ 3e-11·|g|: far inside the rtol 1e-6 / atol 1e-9 used
 * against the analytic forms. A perturbed N moves by at most ~1e-4, so keep kinks > 1e-3 away.
 */
export function finiteDifference(M: Rows, value: (M: Rows) => number): Rows {
  return M.map((row) =>
    row.map((m, c) => {
      const h = 1e-5 * Math.max(1, Math.abs(m));
      const at = (x: number) => {
        row[c] = x;
        const g = value(M);
        row[c] = m;
        return g;
      };
      return (8 * (at(m + h) - at(m - h)) - (at(m + 2 * h) - at(m - 2 * h))) / (12 * h);
    }),
  );
}

/** ∇_{W_i} (v·f) for every i, by finite differences of the naive forward pass. */
export function fdGradW(net: PlainNet, X: Rows, v: Rows): Rows[] {
  return net.W.map((Wi) => finiteDifference(Wi, () => weighted(naiveForward(net, X).f, v)));
}

/** ∇_{Σ_r} (v·f), one column per sample, by finite differences of the tail from Σ_r. */
export function fdGradS(net: PlainNet, r: number, Sr: Rows, v: Rows): Rows {
  const copy = Sr.map((row) => [...row]);
  return finiteDifference(copy, (S) => weighted(tailFromS(net, r, S), v));
}

/** ∇_{N_r} (v·f) = Δ_r, by finite differences of the tail from N_r. */
export function fdGradN(net: PlainNet, r: number, Nr: Rows, v: Rows): Rows {
  const copy = Nr.map((row) => [...row]);
  return finiteDifference(copy, (N) => weighted(tailFromN(net, r, N), v));
}

/** The seed v as an n_k × B matrix (one column v repeated for every sample). */
export function seedRows(v: readonly number[], B: number): Rows {
  return v.map((x) => new Array<number>(B).fill(x));
}

/** max |x| over a list of row-matrices. */
export function maxAbs(...ms: Rows[]): number {
  let m = 0;
  for (const M of ms) for (const row of M) for (const x of row) m = Math.max(m, Math.abs(x));
  return m;
}
