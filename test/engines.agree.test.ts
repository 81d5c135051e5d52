// Rungs 2, 4 and 7 of the testing ladder: on random networks (k = 1–5, widths 1–9, mixed per-neuron activations,
// B = 1–4 samples, a random v when n_k > 1) every form of the paper gives the same ∇_W (v·f), and all equal
// finite differences of an independent forward pass (test/helpers/reference.ts). fast-check runs with fixed
// seeds and reports the seed and the counterexample on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagonal, explicit, kronecker, proof, recursive, scalarChain } from '../packages/nabla/src/grad/forms.js';
import { jacobian } from '../packages/nabla/src/grad/jacobian.js';
import { numeric } from '../packages/nabla/src/grad/numeric.js';
import { scalarRecursion } from '../packages/nabla/src/grad/scalar-recursion.js';
import { type GradientEngine, seedMatrix } from '../packages/nabla/src/grad/types.js';
import { workedGradient } from '../packages/nabla/src/grad/worked.js';
import { refKernels } from '../packages/nabla/src/kernels/ref.js';
import { Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { getActivation } from '../packages/nabla/src/net/activation.js';
import {
  AffineNetwork,
  affineEvaluate,
  augment,
  fromHomogeneous,
  toHomogeneous,
} from '../packages/nabla/src/net/affine.js';
import { Column } from '../packages/nabla/src/net/column.js';
import { evaluate, forward } from '../packages/nabla/src/net/forward.js';
import { Network } from '../packages/nabla/src/net/network.js';
import { backpropagate } from '../packages/nabla/src/train/backprop.js';
import { compareClose, expectClose } from './helpers/close.js';
import { kernelSets, reportSkipped } from './helpers/kernel-sets.js';
import { ALL_ACTS, awayFromKinks, type BuiltCase, buildCase, netCase } from './helpers/random-nets.js';
import {
  fdGradN,
  fdGradS,
  fdGradW,
  makeRandom,
  matrixOf,
  maxAbs,
  naiveForward,
  type Rows,
  randomRows,
  rowsOf,
  seedRows,
  weighted,
} from './helpers/reference.js';

const ENGINES: [string, GradientEngine][] = [
  ['recursive', recursive],
  ['explicit', explicit],
  ['kronecker', kronecker],
  ['diagonal', diagonal],
  ['proof', proof],
];

/** Analytic vs finite differences (f64): rtol 1e-6, atol 1e-9 scaled by the size of g = Σ|v·f| (the FD rounding is ε·|g|/h). */
function fdTol(b: BuiltCase) {
  const f = naiveForward(b.plain, b.Xr).f;
  let g = 0;
  f.forEach((row, j) => row.forEach((x, s) => (g += Math.abs(b.seed[j]![s]! * x))));
  return { rtol: 1e-6, atol: 1e-9 * Math.max(1, g) };
}

/** Engine vs engine (f64, different association orders): rtol 1e-10, atol 1e-12 × the largest entry (cancellation). */
function engineTol(scale: number) {
  return { rtol: 1e-10, atol: 1e-12 * Math.max(1, scale) };
}

function run(b: BuiltCase, engine: GradientEngine) {
  const trace = forward(b.net, b.X);
  return engine(b.net, trace, seedMatrix(b.net, b.X.cols, b.v));
}

describe('all forms of the paper agree (rtol 1e-10)', () => {
  it('recursive = explicit = kronecker = diagonal = proof, and shape(∇W_i) = shape(W_i)', () => {
    fc.assert(
      fc.property(netCase(), (c) => {
        const b = buildCase(c);
        const base = run(b, recursive);
        const scale = maxAbs(...base.gradW.indices().map((i) => rowsOf(base.gradW.get(i))));
        for (const [name, engine] of ENGINES) {
          const g = run(b, engine);
          expect(g.gradW.indices()).toEqual(b.net.W.indices());
          for (const i of b.net.W.indices()) {
            const W = b.net.W.get(i);
            expect([g.gradW.get(i).rows, g.gradW.get(i).cols], `${name}: shape of ∇W_${i}`).toEqual([W.rows, W.cols]);
            expectClose(g.gradW.get(i), base.gradW.get(i), {
              ...engineTol(scale),
              label: `${name} vs recursive: ∇W_${i} (${b.net})`,
            });
          }
        }
        // workedGradient() runs the same engines from the top
        const worked = workedGradient(b.net, b.X, { forms: 'all', seed: b.v });
        const kron = worked.forms.find((r) => r.form === 'kronecker')!.grads;
        for (const i of b.net.W.indices()) {
          expectClose(kron.gradW.get(i), base.gradW.get(i), {
            ...engineTol(scale),
            label: `workedGradient(kronecker) ∇W_${i}`,
          });
          expectClose(worked.gradW.get(i), base.gradW.get(i), { ...engineTol(scale), label: `workedGradient ∇W_${i}` });
        }
        for (const r of worked.forms) {
          if (r.form === 'numeric') continue; // compared with its own tolerance below
          expect(r.maxDiff, r.form).toBeLessThanOrEqual(1e-10 * Math.max(1, scale));
        }
      }),
      { seed: 0x5eed01, numRuns: 120 },
    );
  });

  it(
    "the training step's fast backward pass (train/backprop.ts) equals its specification " +
      'grad/recursive.ts: float64 on the reference kernels, float32 on every kernel set',
    async () => {
      const sets = (await kernelSets()).filter((set) => {
        reportSkipped(set);
        return set.unavailable === undefined;
      });
      const kernels = await Promise.all(sets.map((set) => set.make()));
      try {
        fc.assert(
          fc.property(netCase(), (c) => {
            const b = buildCase(c);
            const spec = run(b, recursive);
            const scale = maxAbs(...spec.gradW.indices().map((i) => rowsOf(spec.gradW.get(i))));
            const trace = forward(b.net, b.X);
            const fast = backpropagate(b.net, trace, seedMatrix(b.net, b.X.cols, b.v), { kernels: refKernels });
            for (let i = 1; i <= b.net.k; i++) {
              expectClose(fast.gradW.get(i), spec.gradW.get(i), {
                ...engineTol(scale),
                label: `backprop (ref) ∇W_${i}`,
              });
              expectClose(fast.D.get(i), spec.D!.get(i), { ...engineTol(scale), label: `backprop (ref) Δ_${i}` });
            }
            // float32 (the WebAssembly kernels' fused Σ'-Hadamard product), to float32 accuracy
            const n32 = b.net.as('float32');
            sets.forEach((set, j) => {
              const t32 = forward(n32, b.X.as('float32'), { kernels: kernels[j]! });
              const f32 = backpropagate(n32, t32, seedMatrix(n32, b.X.cols, b.v), { kernels: kernels[j]! });
              for (let i = 1; i <= b.net.k; i++)
                expectClose(f32.gradW.get(i), spec.gradW.get(i), {
                  rtol: 1e-3,
                  atol: 1e-4 * Math.max(1, scale),
                  label: `backprop (${set.name}, float32) ∇W_${i}`,
                });
            });
          }),
          { seed: 0x5eed0b, numRuns: 60 },
        );
      } finally {
        for (const set of sets) await set.close?.();
      }
    },
  );

  it('on width-1 networks the scalar forms (1)/(2) and the §4 recursion equal the matrix forms', () => {
    fc.assert(
      fc.property(netCase({ maxWidth: 1, maxK: 6 }), (c) => {
        const b = buildCase(c);
        const base = run(b, recursive);
        const scale = maxAbs(...base.gradW.indices().map((i) => rowsOf(base.gradW.get(i))));
        for (const [name, engine] of [
          ['scalarChain', scalarChain],
          ['scalarRecursion', scalarRecursion],
          ...ENGINES,
        ] as [string, GradientEngine][]) {
          const g = run(b, engine);
          for (const i of b.net.W.indices())
            expectClose(g.gradW.get(i), base.gradW.get(i), { ...engineTol(scale), label: `${name}: ∇w_${i}` });
        }
        // Δ_i of the scalar recursion = Δ_i of the matrix recursion
        const Ds = run(b, scalarRecursion).D!;
        const Dm = run(b, recursive).D!;
        for (let i = 1; i <= b.net.k + 1; i++)
          expectClose(Ds.get(i), Dm.get(i), { ...engineTol(scale), label: `Δ_${i}` });
        // and both equal finite differences
        fc.pre(awayFromKinks(b.plain, b.Xr));
        const fd = fdGradW(b.plain, b.Xr, b.seed);
        const g = run(b, scalarChain);
        for (const i of b.net.W.indices())
          expectClose(g.gradW.get(i), fd[i - 1]!, { ...fdTol(b), label: `scalarChain vs FD: ∇w_${i}` });
      }),
      { seed: 0x5eed02, numRuns: 80 },
    );
  });
});

describe('all forms equal finite differences (rtol 1e-6, atol 1e-9)', () => {
  it("every engine, and the library's numeric form, vs central differences of an independent forward pass", () => {
    fc.assert(
      fc.property(netCase(), (c) => {
        const b = buildCase(c);
        fc.pre(awayFromKinks(b.plain, b.Xr));
        const fd = fdGradW(b.plain, b.Xr, b.seed);
        const tol = fdTol(b);
        for (const [name, engine] of [...ENGINES, ['numeric', numeric]] as [string, GradientEngine][]) {
          const g = run(b, engine);
          for (const i of b.net.W.indices())
            expectClose(g.gradW.get(i), fd[i - 1]!, { ...tol, label: `${name} vs FD: ∇W_${i} (${b.net})` });
        }
      }),
      { seed: 0x5eed03, numRuns: 60 },
    );
  });

  it('the forward pass equals the independent one (f64, same operations in a different order)', () => {
    fc.assert(
      fc.property(netCase(), (c) => {
        const b = buildCase(c);
        const t = forward(b.net, b.X);
        const ref = naiveForward(b.plain, b.Xr);
        for (let i = 1; i <= b.net.k; i++) {
          const scale = Math.max(1, maxAbs(ref.N[i]!));
          expectClose(t.N.get(i), ref.N[i]!, { rtol: 1e-12, atol: 1e-14 * scale, label: `N_${i}` }); // summation order
          expectClose(t.S.get(i), ref.S[i]!, { rtol: 1e-11, atol: 1e-13 * scale, label: `Σ_${i}` }); // σ amplifies N's rounding
        }
      }),
      { seed: 0x5eed04, numRuns: 100 },
    );
  });
});

describe('the proof (eq. 6/7): ∇_{Σ_r} f and Δ_r = ∇_{N_r} f against finite differences of the tail of the network', () => {
  it('∇_{Σ_r} f = FD of f w.r.t. Σ_r (r = 0 … k), Δ_r = FD of f w.r.t. N_r (r = 1 … k)', () => {
    fc.assert(
      fc.property(netCase({ maxK: 4 }), (c) => {
        const b = buildCase(c);
        fc.pre(awayFromKinks(b.plain, b.Xr));
        const trace = forward(b.net, b.X);
        const seed = seedMatrix(b.net, b.X.cols, b.v);
        const { gradS } = proof(b.net, trace, seed);
        const { D } = recursive(b.net, trace, seed);
        const ref = naiveForward(b.plain, b.Xr);
        const tol = fdTol(b);
        expectClose(gradS.get(b.net.k), b.seed, { rtol: 0, atol: 0, label: '∇_{Σ_k} f = v' }); // the seed itself
        for (let r = 0; r < b.net.k; r++) {
          expectClose(gradS.get(r), fdGradS(b.plain, r, ref.S[r]!, b.seed), { ...tol, label: `∇_{Σ_${r}} f` });
        }
        for (let r = 1; r <= b.net.k; r++) {
          expectClose(D!.get(r), fdGradN(b.plain, r, ref.N[r]!, b.seed), { ...tol, label: `Δ_${r} = ∇_{N_${r}} f` });
        }
      }),
      { seed: 0x5eed05, numRuns: 60 },
    );
  });
});

describe('the Jacobian', () => {
  it('row (j, b) = ∇_W f_j(x_b): the gradient with the unit seed e_j, and finite differences', () => {
    fc.assert(
      fc.property(netCase({ maxK: 4, maxWidth: 6, minOut: 1, maxOut: 4, maxB: 3 }), (c) => {
        const b = buildCase(c);
        fc.pre(awayFromKinks(b.plain, b.Xr));
        const J = jacobian(b.net, b.X);
        const nk = b.net.n[b.net.k]!;
        const B = b.X.cols;
        for (let j = 0; j < nk; j++) {
          for (let s = 0; s < B; s++) {
            const e = new Array<number>(nk).fill(0);
            e[j] = 1;
            // another form (eq. 3) on the one sample, seed e_j
            const xs = b.X.column(s);
            const g = explicit(b.net, forward(b.net, xs), seedMatrix(b.net, 1, e)).gradW;
            // finite differences of f_j(x_s) alone: seed with a single 1 at (j, s)
            const only: Rows = Array.from({ length: nk }, (_, r) =>
              Array.from({ length: B }, (_, t) => (r === j && t === s ? 1 : 0)),
            );
            const fd = fdGradW(b.plain, b.Xr, only);
            for (const i of b.net.W.indices()) {
              const Ji = J.get(i);
              const rowJ = new Matrix(1, Ji.cols, Ji.data.slice((j * B + s) * Ji.cols, (j * B + s + 1) * Ji.cols));
              const gi = g.get(i);
              const flat = new Matrix(1, gi.data.length, gi.data.slice()); // entry (r, c) at r·n_{i−1} + c
              const scale = Math.max(1, maxAbs(rowsOf(flat)));
              expectClose(rowJ, flat, {
                rtol: 1e-10,
                atol: 1e-12 * scale,
                label: `J_${i} row (${j}, ${s}) vs explicit`,
              }); // engine vs engine
              expectClose(rowJ, [fd[i - 1]!.flat()], {
                rtol: 1e-6,
                atol: 1e-9 * scale,
                label: `J_${i} row (${j}, ${s}) vs FD`,
              }); // analytic vs FD
            }
          }
        }
      }),
      { seed: 0x5eed06, numRuns: 30 },
    );
  });
});

describe('affine ↔ homogeneous (§3)', () => {
  /** A random affine network: widths m_0 … m_k, per-neuron activations, random A_i and b_i. */
  const affineCase = fc.integer({ min: 1, max: 4 }).chain((k) =>
    fc.array(fc.integer({ min: 1, max: 6 }), { minLength: k + 1, maxLength: k + 1 }).chain((m) =>
      fc.record({
        m: fc.constant(m),
        acts: fc.tuple(
          ...m.slice(1).map((w) => fc.array(fc.constantFrom(...ALL_ACTS), { minLength: w, maxLength: w })),
        ),
        B: fc.integer({ min: 1, max: 4 }),
        valueSeed: fc.integer({ min: 0, max: 0x7fffffff }),
      }),
    ),
  );

  function buildAffine(c: { m: number[]; acts: string[][]; B: number; valueSeed: number }) {
    const rand = makeRandom(c.valueSeed);
    const W: Matrix[] = [];
    for (let i = 1; i < c.m.length; i++) {
      const s = 1.2 / Math.sqrt(c.m[i - 1]! + 1);
      W.push(matrixOf(randomRows(rand, c.m[i]!, c.m[i - 1]! + 1, -s, s))); // [A_i | b_i], bias random too
    }
    const aff = new AffineNetwork(
      c.m,
      W,
      c.acts.map((names) => new Column(names.map((a) => getActivation(a)))),
    );
    const X = matrixOf(randomRows(rand, c.m[0]!, c.B, -1.5, 1.5));
    const nk = c.m[c.m.length - 1]!;
    const v = Array.from({ length: nk }, () => 2 * rand() - 1);
    return { aff, X, v };
  }

  /** v·f of the affine network, computed directly by affineEvaluate. */
  const affineValue = (aff: AffineNetwork, X: Matrix, v: number[]) =>
    weighted(rowsOf(affineEvaluate(aff, X)), seedRows(v, X.cols));

  /** Central five-point differences on the entries of the affine W̃_i = [A_i | b_i], written against affineEvaluate. */
  function affineFd(aff: AffineNetwork, X: Matrix, v: number[], i: number): Matrix {
    const Wi = aff.W.get(i);
    const G = new Matrix(Wi.rows, Wi.cols);
    for (let e = 0; e < Wi.data.length; e++) {
      const w = Wi.data[e]!;
      const h = 1e-5 * Math.max(1, Math.abs(w));
      const at = (x: number) => {
        Wi.data[e] = x;
        const g = affineValue(aff, X, v);
        Wi.data[e] = w;
        return g;
      };
      G.data[e] = (8 * (at(w + h) - at(w - h)) - (at(w + 2 * h) - at(w - 2 * h))) / (12 * h);
    }
    return G;
  }

  it('toHomogeneous then fromHomogeneous round-trips weights, biases and activations exactly', () => {
    fc.assert(
      fc.property(affineCase, (c) => {
        const { aff } = buildAffine(c);
        const H = toHomogeneous(aff);
        // widths: n_i = m_i + 1 for i < k (a formal neuron), n_k = m_k
        expect(H.n).toEqual(c.m.map((w, i) => (i < c.m.length - 1 ? w + 1 : w)));
        const back = fromHomogeneous(H);
        expect(back.m).toEqual(c.m);
        for (const i of aff.W.indices()) {
          expect(rowsOf(back.W.get(i)), `W̃_${i}`).toEqual(rowsOf(aff.W.get(i))); // copies: bit-identical
          expect(back.sigma.get(i).sigmas.map((a) => a.name)).toEqual(c.acts[i - 1]);
          // A_i and b_i views: the bias is the last column of W̃_i
          const Wt = rowsOf(aff.W.get(i));
          expect(rowsOf(aff.bias(i))).toEqual(Wt.map((r) => [r[r.length - 1]!]));
          expect(rowsOf(aff.weights(i))).toEqual(Wt.map((r) => r.slice(0, -1)));
          if (i < aff.k) {
            // (b) the last row of W_i is [0, …, 0, 1]; (c) the formal neuron is the identity
            const Hi = rowsOf(H.W.get(i));
            expect(Hi[Hi.length - 1]).toEqual([...new Array<number>(c.m[i - 1]!).fill(0), 1]);
            expect(H.sigma.get(i).sigmas.at(-1)!.name).toBe('identity');
          }
        }
      }),
      { seed: 0x5eed07, numRuns: 100 },
    );
  });

  it('fromHomogeneous refuses networks that break §3 (b) or (c)', () => {
    const { aff } = buildAffine({ m: [2, 3, 1], acts: [['tanh', 'sin', 'relu'], ['identity']], B: 1, valueSeed: 3 });
    const H = toHomogeneous(aff);
    const W1 = H.W.get(1).clone();
    W1.set(3, 0, 0.5); // the formal row of W_1 must be [0, 0, 1]
    const badRow = new Network(H.n, [W1, H.W.get(2)], [H.sigma.get(1), H.sigma.get(2)]);
    expect(() => fromHomogeneous(badRow)).toThrowErrorMatchingInlineSnapshot(
      `[FormatError: fromHomogeneous: the last row of W_1 must be [0, …, 0, 1] (paper §3 (b)); entry 0 is 0.5]`,
    );
    const sig = [...H.sigma.get(1).sigmas.slice(0, 3), getActivation('tanh')]; // the formal neuron must be the identity
    const badSigma = new Network(H.n, [H.W.get(1), H.W.get(2)], [new Column(sig), H.sigma.get(2)]);
    expect(() => fromHomogeneous(badSigma)).toThrowErrorMatchingInlineSnapshot(
      `[FormatError: fromHomogeneous: the formal neuron σ_1,4 must be the identity (paper §3 (c)), found tanh]`,
    );
  });

  it('both compute the same f, the bias gradient is the last column of ∇_{W_i} f, and both match FD on the affine network', () => {
    fc.assert(
      fc.property(affineCase, (c) => {
        const { aff, X, v } = buildAffine(c);
        const H = toHomogeneous(aff);
        const Xa = augment(X);
        const fAff = affineEvaluate(aff, X);
        // f64, the bias is added first in affineEvaluate and last in W_i·Σ_{i−1}: summation order only
        expectClose(evaluate(H, Xa), fAff, { rtol: 1e-12, atol: 1e-14, label: 'f: homogeneous vs affine' });
        const trace = forward(H, Xa);
        // kinks: the affine pre-activations are the homogeneous N_i (without the formal row)
        const kinkFree = H.sigma
          .indices()
          .every((i) =>
            H.sigma
              .get(i)
              .sigmas.every(
                (a, r) =>
                  !['relu', 'leaky_relu', 'elu'].includes(a.name) ||
                  rowsOf(trace.N.get(i))[r]!.every((z) => Math.abs(z) > 1e-3),
              ),
          );
        fc.pre(kinkFree);
        const { gradW } = recursive(H, trace, seedMatrix(H, X.cols, v));
        let g = 0;
        rowsOf(fAff).forEach((row, j) => row.forEach((x) => (g += Math.abs(v[j]! * x))));
        const tol = { rtol: 1e-6, atol: 1e-9 * Math.max(1, g) }; // analytic vs FD (f64), atol scaled by |g| as above
        for (const i of aff.W.indices()) {
          const fd = rowsOf(affineFd(aff, X, v, i));
          const Gi = rowsOf(gradW.get(i));
          const mi = c.m[i]!;
          const last = Gi[0]!.length - 1;
          // bias: last column of ∇_{W_i} f (genuine rows) vs ∂(v·f)/∂b_i by FD on the affine network
          expectClose(
            Gi.slice(0, mi).map((r) => [r[last]!]),
            fd.map((r) => [r[last]!]),
            { ...tol, label: `∇_{b_${i}} f` },
          );
          // and the weights A_i: the other columns
          expectClose(
            Gi.slice(0, mi).map((r) => r.slice(0, last)),
            fd.map((r) => r.slice(0, last)),
            { ...tol, label: `∇_{A_${i}} f` },
          );
        }
      }),
      { seed: 0x5eed08, numRuns: 60 },
    );
  });
});

describe('float32 networks', () => {
  it('every engine returns float32 gradients within float32 accuracy of the float64 ones', () => {
    fc.assert(
      fc.property(netCase({ maxK: 4 }), (c) => {
        const b = buildCase(c);
        const net32 = b.net.as('float32');
        const X32 = b.X.as('float32');
        const ref = run(b, recursive);
        const scale = maxAbs(...ref.gradW.indices().map((i) => rowsOf(ref.gradW.get(i))));
        for (const [name, engine] of ENGINES) {
          const g = engine(net32, forward(net32, X32), seedMatrix(net32, X32.cols, b.v));
          for (const i of b.net.W.indices()) {
            expect(g.gradW.get(i).dtype, `${name} ∇W_${i} dtype`).toBe('float32');
            // f32 vs f64 (STYLE 1.6): rounding of W, X and every intermediate, ~1e-6 of the largest terms
            expectClose(g.gradW.get(i), ref.gradW.get(i), {
              rtol: 1e-4,
              atol: 1e-5 * Math.max(1, scale),
              label: `${name} f32 vs f64: ∇W_${i}`,
            });
          }
        }
      }),
      { seed: 0x5eed09, numRuns: 40 },
    );
  });
});

describe('an empty batch (B = 0)', () => {
  // KNOWN BUG (fails until fixed): explicit.ts, kronecker.ts and diagonal.ts only set ∇W_i inside the per-sample
  // loop, so for B = 0 they return Layers with nothing set and gradW.get(i) throws "∇W_1 has not been computed",
  // while recursive, proof and numeric return the correct zero matrices (the gradient of an empty sum).
  it.each(ENGINES)('%s gives zero gradients of the shape of W_i', (name, engine) => {
    const b = buildCase({
      widths: [2, 3, 2],
      acts: [
        ['tanh', 'sin', 'relu'],
        ['sigmoid', 'gelu'],
      ],
      B: 1,
      valueSeed: 5,
    });
    const X = new Matrix(2, 0);
    const g = engine(b.net, forward(b.net, X), seedMatrix(b.net, 0, [1, -1]));
    for (const i of b.net.W.indices()) {
      const W = b.net.W.get(i);
      expectClose(g.gradW.get(i), new Matrix(W.rows, W.cols), { label: `${name}: ∇W_${i} for B = 0` }); // exact zeros
    }
  });
});

describe('finite differences are a discriminating reference', () => {
  it('a perturbed gradient (one entry off by 1e-4 relative) fails the FD comparison', () => {
    const c = {
      widths: [3, 4, 2],
      acts: [
        ['tanh', 'sigmoid', 'sin', 'gelu'],
        ['silu', 'softplus'],
      ],
      B: 3,
      valueSeed: 17,
    };
    const b = buildCase(c);
    const fd = fdGradW(b.plain, b.Xr, b.seed);
    const g = run(b, recursive).gradW.get(1).clone();
    expect(compareClose(g, fd[0]!, fdTol(b)).ok).toBe(true);
    g.data[5]! *= 1 + 1e-4;
    expect(compareClose(g, fd[0]!, fdTol(b)).ok).toBe(false);
  });
});
