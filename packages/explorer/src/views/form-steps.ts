/**
 * Each gradient form of the paper for one layer i and one sample b, written out with its intermediate products.
 * The products are the library's (bullet, hadamard, kron, diag, matmul, transpose); the page only arranges the
 * factors in the order the paper writes them. The engines' own results are shown next to these (forms.ts).
 *
 *   (3)  ∇_{W_i} f = Σ'_k • W_kᵀ ∘ Σ'_{k−1} • … ∘ Σ'_i · Σ_{i−1}ᵀ                 left to right
 *   (4)  ∇_{W_i} f = Σ_{i−1}ᵀ ⊗ Σ'_i ∘ W_{i+1}ᵀ·Σ'_{i+1} ∘ … ∘ W_kᵀ·Σ'_k           right to left
 *   (5)  ∇_{W_i} f = Σ_{i−1}ᵀ ⊗ (\hat Σ'_i · W_{i+1}ᵀ · \hat Σ'_{i+1} · … · W_kᵀ · \hat Σ'_k)
 *   (1)  ∇_{w_i} f = σ'_k w_k · … · σ'_{i+1} w_{i+1} · σ'_i σ_{i−1}                 all widths 1
 *   (6)  ∇_{W_r} f = (∇_{Σ_r} f) ∘ Σ'_r · Σ_{r−1}ᵀ,   (7)  ∇_{Σ_r} f = (∇_{Σ_{r+1}} f) ∘ Σ'_{r+1} • W_{r+1}ᵀ
 */
import { bullet, diag, hadamard, kron, matmul, transpose } from 'nabla/paper';
import { Matrix } from 'nabla';
import { exact, texNumber } from '../format.js';
import type { Model } from '../model.js';
import { data, sym, texDiag, texMatrix } from './formula.js';

const col = (M: Matrix, b: number) => M.column(b);

/** Column b of a neuron-kind symbol, its entries still hoverable as that symbol's column b. */
function texCol(M: Matrix, symbol: string, b: number, t = false): string {
  return texMatrix(col(M, b), { sym: symbol, t, c0: b });
}

/** The general line of a form, for the card's head. */
export const formHeads = {
  explicit: "\\nabla_{W_i} f = \\Sigma'_k \\bullet W_k^T \\circ \\Sigma'_{k-1} \\bullet W_{k-1}^T \\circ \\cdots \\circ \\Sigma'_{i+1} \\bullet W_{i+1}^T \\circ \\Sigma'_i \\cdot \\Sigma_{i-1}^T",
  kronecker: "\\nabla_{W_i} f = \\Sigma_{i-1}^T \\otimes \\Sigma'_i \\circ W_{i+1}^T \\cdot \\Sigma'_{i+1} \\circ \\cdots \\circ W_k^T \\cdot \\Sigma'_k",
  diagonal: "\\nabla_{W_i} f = \\Sigma_{i-1}^T \\otimes (\\widehat{\\Sigma}'_i \\cdot W_{i+1}^T \\cdot \\widehat{\\Sigma}'_{i+1} \\cdots W_k^T \\cdot \\widehat{\\Sigma}'_k)",
  scalar: "\\nabla_{w_i} f = \\sigma'_k w_k \\cdot \\sigma'_{k-1} w_{k-1} \\cdots \\sigma'_{i+1} w_{i+1} \\cdot \\sigma'_i \\sigma_{i-1}",
  proof: "\\nabla_{W_r} f = (\\nabla_{\\Sigma_r} f) \\circ \\Sigma'_r \\cdot \\Sigma_{r-1}^T \\;\\;(6),\\qquad \\nabla_{\\Sigma_r} f = (\\nabla_{\\Sigma_{r+1}} f) \\circ \\Sigma'_{r+1} \\bullet W_{r+1}^T \\;\\;(7)",
} as const;

/** The seed as the leading factor: the paper's 1 (left out) or v ∘ … when n_k > 1. */
function seedPrefix(m: Model): string {
  return m.v ? `${sym('D', m.net.k + 1)} \\circ ` : '';
}

/** Eq. (3) for layer i, sample b: the product read left to right, one factor per line. */
export function explicitSteps(m: Model, i: number, b: number): string {
  const { net, trace } = m;
  const k = net.k;
  let P = hadamard(col(m.seed, b), col(trace.dS.get(k), b));
  let expr = `${seedPrefix(m)}${sym('dS', k)}`;
  const lines = [`${expr} &= ${m.v ? `${texCol(m.seed, `D${k + 1}`, b)} \\circ ` : ''}${texCol(trace.dS.get(k), `dS${k}`, b)}${m.v ? ` = ${texMatrix(P, { layer: k })}` : ''}`];
  const short = () => (expr.length > 160 ? '\\cdots ' : expr);
  for (let r = k; r > i; r--) {
    const before = P;
    P = bullet(P, transpose(net.W.get(r)));
    lines.push(`${short()} \\bullet ${sym('W', r, { t: true })} &= ${texMatrix(before, { layer: r })} \\bullet ${texMatrix(net.W.get(r), { sym: `W${r}`, t: true })} = ${texMatrix(P, { layer: r - 1 })}`);
    expr = `${short()} \\bullet ${sym('W', r, { t: true })}`;
    const mid = P;
    P = hadamard(P, col(trace.dS.get(r - 1), b));
    lines.push(`${short()} \\circ ${sym('dS', r - 1)} &= ${texMatrix(mid, { layer: r - 1 })} \\circ ${texCol(trace.dS.get(r - 1), `dS${r - 1}`, b)} = ${texMatrix(P, { layer: r - 1 })}`);
    expr = `${short()} \\circ ${sym('dS', r - 1)}`;
  }
  const G = matmul(P, transpose(col(trace.S.get(i - 1), b)));
  lines.push(`${short()} \\cdot ${sym('S', i - 1, { t: true })} &= ${texMatrix(P, { layer: i })} \\cdot ${texCol(trace.S.get(i - 1), `S${i - 1}`, b, true)} = ${texMatrix(G, { layer: i })}`);
  return aligned(lines);
}

/** Eq. (4) for layer i, sample b: the chain c = W_{i+1}ᵀ·Σ'_{i+1} ∘ … ∘ W_kᵀ·Σ'_k from the right, then Σ_{i−1}ᵀ ⊗ Σ'_i ∘ c. */
export function kroneckerSteps(m: Model, i: number, b: number): string {
  const { net, trace } = m;
  const k = net.k;
  const lines: string[] = [];
  const K = kron(transpose(col(trace.S.get(i - 1), b)), col(trace.dS.get(i), b));
  lines.push(`${sym('S', i - 1, { t: true })} \\otimes ${sym('dS', i)} &= ${texCol(trace.S.get(i - 1), `S${i - 1}`, b, true)} \\otimes ${texCol(trace.dS.get(i), `dS${i}`, b)} = ${texMatrix(K, { layer: i })}`);
  if (i === k) {
    const G = m.v ? hadamard(K, kron(ones(net.n[i - 1]!), col(m.seed, b))) : K;
    if (m.v) lines.push(`\\cdots \\circ ${sym('D', k + 1)} &= ${texMatrix(G, { layer: i })}`);
    return aligned(lines);
  }
  let c = col(m.seed, b);
  let expr = m.v ? sym('D', k + 1) : '';
  for (let r = k; r > i; r--) {
    const inner = hadamard(col(trace.dS.get(r), b), c);
    c = matmul(transpose(net.W.get(r)), inner);
    expr = `${sym('W', r, { t: true })} \\cdot ${sym('dS', r)}${expr === '' ? '' : ` \\circ ${expr.length > 120 ? '\\cdots' : expr}`}`;
    lines.push(`${expr} &= ${texMatrix(net.W.get(r), { sym: `W${r}`, t: true })} \\cdot ${texMatrix(inner, { layer: r })} = ${texMatrix(c, { layer: r - 1 })}`);
  }
  const G = hadamard(K, kron(ones(net.n[i - 1]!), c));
  lines.push(`${sym('S', i - 1, { t: true })} \\otimes ${sym('dS', i)} \\circ (\\ldots) &= ${texMatrix(K, { layer: i })} \\circ ${texMatrix(c, { layer: i })} = ${texMatrix(G, { layer: i })}`);
  return aligned(lines);
}

/** Eq. (5) for layer i, sample b: the bracket of diagonal matrices, then Σ_{i−1}ᵀ ⊗ (…). */
export function diagonalSteps(m: Model, i: number, b: number): string {
  const { net, trace } = m;
  const k = net.k;
  const factors: string[] = [texDiag(trace.dS.get(i), i, b)];
  const names: string[] = [`\\widehat{${sym('dS', i)}}`];
  let M = diag(col(trace.dS.get(i), b));
  for (let r = i + 1; r <= k; r++) {
    M = matmul(M, transpose(net.W.get(r)));
    M = matmul(M, diag(col(trace.dS.get(r), b)));
    factors.push(texMatrix(net.W.get(r), { sym: `W${r}`, t: true }), texDiag(trace.dS.get(r), r, b));
    names.push(sym('W', r, { t: true }), `\\widehat{${sym('dS', r)}}`);
  }
  if (m.v) {
    M = matmul(M, col(m.seed, b));
    factors.push(texCol(m.seed, `D${k + 1}`, b));
    names.push(sym('D', k + 1));
  }
  const G = kron(transpose(col(trace.S.get(i - 1), b)), M);
  return aligned([
    `${names.join(' \\cdot ')} &= ${factors.join(' \\cdot ')} = ${texMatrix(M, { layer: i })}`,
    `${sym('S', i - 1, { t: true })} \\otimes (\\ldots) &= ${texCol(trace.S.get(i - 1), `S${i - 1}`, b, true)} \\otimes ${texMatrix(M, { layer: i })} = ${texMatrix(G, { layer: i })}`,
  ]);
}

/** Eq. (1)/(2) for layer i, sample b (every width 1): the scalar chain with its numbers. */
export function scalarSteps(m: Model, i: number, b: number): string {
  const { net, trace } = m;
  const k = net.k;
  const s = (j: number) => trace.S.get(j).get(0, b);
  const ds = (j: number) => trace.dS.get(j).get(0, b);
  const w = (j: number) => net.W.get(j).get(0, 0);
  const symbolic: string[] = [];
  const numeric: string[] = [];
  let p = m.seed.get(0, b);
  // each number hoverable as the 1×1 matrix it is: σ'_r = Σ'_r, w_r = W_r, σ_{i−1} = Σ_{i−1}
  const num = (v: number, sym: string, c: number) => data({ sym, r: 0, c, value: exact(v) }, paren(v));
  for (let r = k; r > i; r--) {
    symbolic.push(`\\sigma'_{${r}} w_{${r}}`);
    numeric.push(`${num(ds(r), `dS${r}`, b)} \\cdot ${num(w(r), `W${r}`, 0)}`);
    p *= ds(r) * w(r);
  }
  symbolic.push(`\\sigma'_{${i}} ${i === 1 ? 'x' : `\\sigma_{${i - 1}}`}`);
  numeric.push(`${num(ds(i), `dS${i}`, b)} \\cdot ${num(s(i - 1), `S${i - 1}`, b)}`);
  p *= ds(i) * s(i - 1);
  return aligned([`\\nabla_{w_{${i}}} f &= ${symbolic.join(' \\cdot ')}`, `&= ${numeric.join(' \\cdot ')} = ${texNumber(p)}`]);
}

/** Eq. (6)/(7) for layer r, all samples: ∇_{W_r} f from ∇_{Σ_r} f, then ∇_{Σ_{r−1}} f for the next layer down. */
export function proofSteps(m: Model, r: number): string {
  const { net, trace, gradS } = m;
  const inner = hadamard(gradS.get(r), trace.dS.get(r));
  const lines = [
    `${sym('gradW', r)} &= (${sym('gradS', r)}) \\circ ${sym('dS', r)} \\cdot ${sym('S', r - 1, { t: true })} = \\left(${texMatrix(gradS.get(r), { sym: `gradS${r}` })} \\circ ${texMatrix(trace.dS.get(r), { sym: `dS${r}` })}\\right) \\cdot ${texMatrix(trace.S.get(r - 1), { sym: `S${r - 1}`, t: true })} = ${texMatrix(matmul(inner, transpose(trace.S.get(r - 1))), { layer: r })}`,
    `${sym('gradS', r - 1)} &= (${sym('gradS', r)}) \\circ ${sym('dS', r)} \\bullet ${sym('W', r, { t: true })} = ${texMatrix(inner, { layer: r })} \\bullet ${texMatrix(net.W.get(r), { sym: `W${r}`, t: true })} = ${texMatrix(gradS.get(r - 1), { sym: `gradS${r - 1}` })}`,
  ];
  return aligned(lines);
}

function ones(n: number): Matrix {
  const o = new Matrix(1, n);
  o.data.fill(1);
  return o;
}

function paren(v: number): string {
  const t = texNumber(v);
  return v < 0 ? `(${t})` : t;
}

function aligned(lines: string[]): string {
  return `\\begin{aligned}${lines.join(' \\\\[0.5em] ')}\\end{aligned}`;
}
