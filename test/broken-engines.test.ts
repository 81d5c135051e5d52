// Rung 3 of the testing ladder: test the checker. Deliberately broken copies of the recursion of Remark 3 must be
// reported as "not close" by each independent comparison — finite differences of an independent forward pass,
// tfjs autodiff, and agreement with another form of the paper (eq. (3)) — while a correct copy passes all three.
// (The early-tinygrad idea: assertFalse(gradcheck(wrong)).)
import { beforeAll, describe, expect, it } from 'vitest';
import { explicit } from '../packages/nabla/src/grad/forms.js';
import { seedMatrix } from '../packages/nabla/src/grad/types.js';
import type { Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { hadamard, matmul } from '../packages/nabla/src/linalg/products.js';
import { forward, type Trace } from '../packages/nabla/src/net/forward.js';
import type { Network } from '../packages/nabla/src/net/network.js';
import { type CloseOptions, compareClose } from './helpers/close.js';
import { type BuiltCase, buildCase, type NetCase } from './helpers/random-nets.js';
import { fdGradW, maxAbs, naiveForward, type Rows, rowsOf } from './helpers/reference.js';
import { float32Tol, tfGradients, useTfCpu } from './helpers/tf-net.js';

beforeAll(async () => {
  await useTfCpu();
});

type Bug = 'none' | "drop Σ'" | 'W for Wᵀ' | 'Σ_{i−1}·Δ_iᵀ (wrong order)' | 'Σ_i for Σ_{i−1}' | "Σ'_{i+1} for Σ'_i";

/**
 * The recursion Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i, ∇_{W_i} f = Δ_i·Σ_{i−1}ᵀ, copied here with one injected bug.
 * The networks below have all widths equal, so every wrong variant still has fitting shapes.
 */
function recursionWith(bug: Bug, net: Network, t: Trace, seed: Matrix): Rows[] {
  const k = net.k;
  const grads: Rows[] = [];
  let D = seed; // Δ_{k+1}
  for (let i = k; i >= 1; i--) {
    // upstream = W_{i+1}ᵀ · Δ_{i+1}   (W_{k+1}ᵀ = 1)
    const up = i === k ? D : matmul(net.W.get(i + 1), D, { transA: bug !== 'W for Wᵀ' });
    const dS = bug === "Σ'_{i+1} for Σ'_i" && i < k ? t.dS.get(i + 1) : t.dS.get(i);
    D = bug === "drop Σ'" ? up : hadamard(up, dS);
    const prev = bug === 'Σ_i for Σ_{i−1}' ? t.S.get(i) : t.S.get(i - 1);
    const g =
      bug === 'Σ_{i−1}·Δ_iᵀ (wrong order)' ? matmul(prev, D, { transB: true }) : matmul(D, prev, { transB: true });
    grads[i - 1] = rowsOf(g);
  }
  return grads;
}

/** The worst |diff| / allowed over all layers: ≤ 1 means close. */
function worstRatio(got: Rows[], want: Rows[], tol: CloseOptions): number {
  return Math.max(...got.map((g, j) => compareClose(g, want[j]!, tol).maxRatio));
}

interface Ratios {
  fd: number;
  tfjs: number;
  explicit: number;
}

/** Runs the three independent comparisons on one engine: the worst error as a multiple of the allowed error. */
function ratios(bug: Bug, b: BuiltCase, c: NetCase): Ratios {
  const trace = forward(b.net, b.X);
  const seed = seedMatrix(b.net, b.X.cols, b.v);
  const got = recursionWith(bug, b.net, trace, seed);
  // 1. finite differences of the independent forward pass: rtol 1e-6, atol 1e-9·max(1, Σ|v·f|) (f64 FD rounding)
  const f = naiveForward(b.plain, b.Xr).f;
  const g = f.reduce((s, row, j) => s + row.reduce((t, x, s2) => t + Math.abs(b.seed[j]![s2]! * x), 0), 0);
  const fd = worstRatio(got, fdGradW(b.plain, b.Xr, b.seed), { rtol: 1e-6, atol: 1e-9 * Math.max(1, g) });
  // 2. tfjs autodiff (float32): 2e-3 · max|∇W|, see helpers/tf-net.ts
  const tfr = tfGradients(b.plain.W, c.acts, b.Xr, b.seed);
  const tfjs = worstRatio(got, tfr.gradW, float32Tol(tfr.gradW));
  // 3. another form of the paper, eq. (3): engine vs engine, rtol 1e-10, atol 1e-12 × largest entry
  const ex = explicit(b.net, trace, seed).gradW;
  const exRows = ex.indices().map((i) => rowsOf(ex.get(i)));
  const agrees = worstRatio(got, exRows, { rtol: 1e-10, atol: 1e-12 * Math.max(1, maxAbs(...exRows)) });
  return { fd, tfjs, explicit: agrees };
}

/** true = "close" for each comparison. */
function check(bug: Bug, b: BuiltCase, c: NetCase): { fd: boolean; tfjs: boolean; explicit: boolean } {
  const r = ratios(bug, b, c);
  if (bug !== 'none') {
    // not a near miss: every bug overshoots every tolerance by far (observed: ≥ 100× for tfjs, ≥ 1e5× for FD)
    expect(Math.min(r.fd, r.tfjs, r.explicit), `${bug}: ${JSON.stringify(r)}`).toBeGreaterThan(10);
  }
  return { fd: r.fd <= 1, tfjs: r.tfjs <= 1, explicit: r.explicit <= 1 };
}

const smooth = ['tanh', 'sigmoid', 'sin', 'gelu', 'softplus', 'silu'];
const cases: [string, NetCase][] = [
  [
    'widths 4-4-4-4, per-neuron activations, v',
    { widths: [4, 4, 4, 4], acts: [smooth.slice(0, 4), smooth.slice(1, 5), smooth.slice(2, 6)], B: 3, valueSeed: 11 },
  ],
  [
    'widths 3-3-3, uniform tanh, v, one sample',
    {
      widths: [3, 3, 3],
      acts: [
        ['tanh', 'tanh', 'tanh'],
        ['tanh', 'tanh', 'tanh'],
      ],
      B: 1,
      valueSeed: 12,
    },
  ],
  [
    'widths 5-5-5-5-5, mixed, v, B = 4',
    {
      widths: [5, 5, 5, 5, 5],
      acts: [smooth.slice(0, 5), smooth.slice(1, 6), smooth.slice(0, 5), smooth.slice(1, 6)],
      B: 4,
      valueSeed: 13,
    },
  ],
];

const bugs: Bug[] = ["drop Σ'", 'W for Wᵀ', 'Σ_{i−1}·Δ_iᵀ (wrong order)', 'Σ_i for Σ_{i−1}', "Σ'_{i+1} for Σ'_i"];

describe.each(cases)('%s', (_name, c) => {
  const b = buildCase(c, true);

  it('the correct copy passes all three comparisons', () => {
    expect(check('none', b, c)).toEqual({ fd: true, tfjs: true, explicit: true });
  });

  it.each(bugs)('bug "%s" is reported by finite differences, by tfjs, and by the explicit form', (bug) => {
    expect(check(bug, b, c)).toEqual({ fd: false, tfjs: false, explicit: false });
  });
});

describe("dropping ∘Σ' on a network with n_k = 1 and the paper's seed 1", () => {
  const c: NetCase = { widths: [3, 4, 1], acts: [['tanh', 'sin', 'gelu', 'sigmoid'], ['silu']], B: 2, valueSeed: 21 };
  const b = buildCase(c);
  it('is caught (and the correct copy is not)', () => {
    // W for Wᵀ and the index bugs do not fit these shapes; dropping Σ' does
    expect(check('none', b, c)).toEqual({ fd: true, tfjs: true, explicit: true });
    expect(check("drop Σ'", b, c)).toEqual({ fd: false, tfjs: false, explicit: false });
  });
});
