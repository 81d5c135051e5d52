// Rung 1 of the testing ladder: the paper's §4 one-dimensional case with numbers worked by hand, and k = 1 with
// the identity (f linear, ∇W_1 = Xᵀ). Every input is a dyadic rational (0.75, 0.5, 1.5, …) and the activations
// are identity, square and relu, so every intermediate value below is exact in float64: tolerance 0 throughout.
import { describe, expect, it } from 'vitest';
import { diagonal, explicit, kronecker, proof, recursive, scalarChain } from '../packages/nabla/src/grad/forms.js';
import { numeric } from '../packages/nabla/src/grad/numeric.js';
import { scalarRecursion } from '../packages/nabla/src/grad/scalar-recursion.js';
import { type GradientEngine, seedMatrix } from '../packages/nabla/src/grad/types.js';
import { Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { getActivation } from '../packages/nabla/src/net/activation.js';
import { Column } from '../packages/nabla/src/net/column.js';
import { forward } from '../packages/nabla/src/net/forward.js';
import { Network } from '../packages/nabla/src/net/network.js';
import { expectClose } from './helpers/close.js';

const EXACT = { rtol: 0, atol: 0 }; // dyadic rationals, few bits: every product and sum is exact in float64
const row = (...v: number[]) => new Matrix(1, v.length, Float64Array.from(v));
const scalar = (v: number) => row(v);

/**
 * k = 3, n = n_1 = n_2 = n_3 = 1:
 *   w_1 = 0.5,  w_2 = −2,  w_3 = 1.5
 *   σ_1 = relu, σ_2 = square, σ_3 = identity
 *   f(x) = σ_3(w_3 σ_2(w_2 σ_1(w_1 x)))  =  1.5·(−2·relu(0.5x))²  =  6·relu(0.5x)²
 * For x > 0 that is f = 1.5x², so ∂f/∂x = 3x; and f = w_3 (w_2 w_1 x)² gives
 *   ∂f/∂w_3 = (w_1 w_2 x)²,  ∂f/∂w_2 = 2 w_3 w_1² w_2 x²,  ∂f/∂w_1 = 2 w_3 w_2² w_1 x²,
 * which the hand-worked recursion below reproduces.
 */
function paperNet(): Network {
  const a = (name: string) => new Column([getActivation(name)]);
  return new Network([1, 1, 1, 1], [scalar(0.5), scalar(-2), scalar(1.5)], [a('relu'), a('square'), a('identity')]);
}

const engines: [string, GradientEngine][] = [
  ['scalarChain (eq. 1/2)', scalarChain],
  ['scalarRecursion (§4 recursion)', scalarRecursion],
  ['recursive (Remark 3)', recursive],
  ['explicit (eq. 3)', explicit],
  ['kronecker (eq. 4)', kronecker],
  ['diagonal (eq. 5)', diagonal],
  ['proof (eq. 6/7)', proof],
];

describe('§4, one sample x = 0.75', () => {
  const net = paperNet();
  const X = row(0.75);
  const trace = forward(net, X);
  const seed = seedMatrix(net, 1); // Δ_4 = w_4 = 1

  it("forward: N_i, σ_i(N_i), σ'_i(N_i)", () => {
    // N_1 = w_1 x = 0.5 · 0.75 = 0.375;          σ_1 = relu(0.375) = 0.375;   σ'_1 = 1 (0.375 > 0)
    // N_2 = w_2 σ_1 = −2 · 0.375 = −0.75;        σ_2 = (−0.75)² = 0.5625;     σ'_2 = 2 · (−0.75) = −1.5
    // N_3 = w_3 σ_2 = 1.5 · 0.5625 = 0.84375;    σ_3 = 0.84375 (identity);    σ'_3 = 1
    const want = {
      N: [0.375, -0.75, 0.84375],
      S: [0.375, 0.5625, 0.84375],
      dS: [1, -1.5, 1],
    };
    expectClose(trace.S.get(0), 0.75, { ...EXACT, label: 'Σ_0 = x' });
    for (let i = 1; i <= 3; i++) {
      expectClose(trace.N.get(i), want.N[i - 1]!, { ...EXACT, label: `N_${i}` });
      expectClose(trace.S.get(i), want.S[i - 1]!, { ...EXACT, label: `σ_${i}` });
      expectClose(trace.dS.get(i), want.dS[i - 1]!, { ...EXACT, label: `σ'_${i}` });
    }
    expectClose(trace.f, 0.84375, { ...EXACT, label: 'f = 1.5·0.75² = 1.5·0.5625' });
  });

  // Δ_4 = 1
  // Δ_3 = Δ_4 · w_4 · σ'_3 = 1 · 1 · 1            = 1
  // Δ_2 = Δ_3 · w_3 · σ'_2 = 1 · 1.5 · (−1.5)     = −2.25
  // Δ_1 = Δ_2 · w_2 · σ'_1 = −2.25 · (−2) · 1     = 4.5
  const D = [4.5, -2.25, 1, 1];
  // ∇_{w_3} f = Δ_3 σ_2 = 1 · 0.5625       = 0.5625    (check: (w_1 w_2 x)² = (−0.75)² = 0.5625)
  // ∇_{w_2} f = Δ_2 σ_1 = −2.25 · 0.375    = −0.84375  (check: 2·1.5·0.25·(−2)·0.5625 = −0.84375)
  // ∇_{w_1} f = Δ_1 σ_0 = 4.5 · 0.75       = 3.375     (check: 2·1.5·4·0.5·0.5625 = 3.375)
  const grad = [3.375, -0.84375, 0.5625];

  it('Δ_i from the scalar recursion and from the matrix recursion', () => {
    const fromScalar = scalarRecursion(net, trace, seed).D!;
    const fromMatrix = recursive(net, trace, seed).D!;
    for (let i = 1; i <= 4; i++) {
      expectClose(fromScalar.get(i), D[i - 1]!, { ...EXACT, label: `scalar Δ_${i}` });
      expectClose(fromMatrix.get(i), D[i - 1]!, { ...EXACT, label: `recursive Δ_${i}` });
    }
  });

  it.each(engines)('∇_{w_i} f from %s', (name, engine) => {
    const { gradW } = engine(net, trace, seed);
    for (let i = 1; i <= 3; i++) expectClose(gradW.get(i), grad[i - 1]!, { ...EXACT, label: `${name}: ∇_{w_${i}} f` });
  });

  it("the proof's ∇_{σ_r} f (eq. 7): 1, then × σ'_{r+1} w_{r+1}", () => {
    // ∇_{σ_3} f = 1
    // ∇_{σ_2} f = 1 · σ'_3 · w_3 = 1 · 1 · 1.5           = 1.5
    // ∇_{σ_1} f = 1.5 · σ'_2 · w_2 = 1.5 · (−1.5) · (−2) = 4.5
    // ∇_{σ_0} f = 4.5 · σ'_1 · w_1 = 4.5 · 1 · 0.5       = 2.25   (check: ∂f/∂x = 3x = 2.25)
    const { gradS } = proof(net, trace, seed);
    [2.25, 4.5, 1.5, 1].forEach((v, r) => expectClose(gradS.get(r), v, { ...EXACT, label: `∇_{σ_${r}} f` }));
  });

  it('finite differences agree with the hand values', () => {
    // analytic vs central differences in f64 (five-point stencil in the library): rtol 1e-6, atol 1e-9
    const { gradW } = numeric(net, trace, seed);
    for (let i = 1; i <= 3; i++)
      expectClose(gradW.get(i), grad[i - 1]!, { rtol: 1e-6, atol: 1e-9, label: `numeric ∇_{w_${i}} f` });
  });
});

describe('§4, a batch x = (0.75, 2, −0.5): gradients are summed over the samples', () => {
  const net = paperNet();
  const X = row(0.75, 2, -0.5);
  const trace = forward(net, X);
  const seed = seedMatrix(net, 3);

  it('forward, per sample', () => {
    //            x = 0.75    x = 2        x = −0.5
    // N_1 = 0.5x  0.375       1            −0.25
    // σ_1 relu    0.375       1            0        σ'_1: 1, 1, 0 (−0.25 < 0)
    // N_2 = −2σ_1 −0.75       −2           −0 (= 0)
    // σ_2 square  0.5625      4            0        σ'_2 = 2N_2: −1.5, −4, −0
    // N_3 = 1.5σ_2 0.84375    6            0        σ'_3 = 1
    expectClose(trace.N.get(1), [[0.375, 1, -0.25]], { ...EXACT, label: 'N_1' });
    expectClose(trace.S.get(1), [[0.375, 1, 0]], { ...EXACT, label: 'σ_1' });
    expectClose(trace.dS.get(1), [[1, 1, 0]], { ...EXACT, label: "σ'_1" });
    expectClose(trace.N.get(2), [[-0.75, -2, 0]], { ...EXACT, label: 'N_2' });
    expectClose(trace.S.get(2), [[0.5625, 4, 0]], { ...EXACT, label: 'σ_2' });
    expectClose(trace.dS.get(2), [[-1.5, -4, 0]], { ...EXACT, label: "σ'_2" });
    expectClose(trace.f, [[0.84375, 6, 0]], { ...EXACT, label: 'f' });
  });

  it('Δ_i per sample', () => {
    // Δ_3 = 1·1·σ'_3             = 1, 1, 1
    // Δ_2 = Δ_3 · 1.5 · σ'_2     = 1.5·(−1.5) = −2.25,  1.5·(−4) = −6,  1.5·0 = 0
    // Δ_1 = Δ_2 · (−2) · σ'_1    = 4.5·1 = 4.5,         12·1 = 12,      0·0 = 0
    const D = recursive(net, trace, seed).D!;
    expectClose(D.get(3), [[1, 1, 1]], { ...EXACT, label: 'Δ_3' });
    expectClose(D.get(2), [[-2.25, -6, 0]], { ...EXACT, label: 'Δ_2' });
    expectClose(D.get(1), [[4.5, 12, 0]], { ...EXACT, label: 'Δ_1' });
  });

  // ∇_{w_3} f = Σ_b Δ_3 σ_2 = 1·0.5625 + 1·4 + 1·0              = 4.5625
  // ∇_{w_2} f = Σ_b Δ_2 σ_1 = −2.25·0.375 + (−6)·1 + 0·0        = −0.84375 − 6 = −6.84375
  // ∇_{w_1} f = Σ_b Δ_1 x   = 4.5·0.75 + 12·2 + 0·(−0.5)        = 3.375 + 24 = 27.375
  // (check for x = 2 alone: (w_1w_2x)² = 4, 2·1.5·0.25·(−2)·4 = −6, 2·1.5·4·0.5·4 = 24)
  const grad = [27.375, -6.84375, 4.5625];

  it.each(engines)('∇_{w_i} f from %s', (name, engine) => {
    const { gradW } = engine(net, trace, seed);
    for (let i = 1; i <= 3; i++) expectClose(gradW.get(i), grad[i - 1]!, { ...EXACT, label: `${name}: ∇_{w_${i}} f` });
  });
});

describe('k = 1 with the identity: f is linear and ∇W_1 = Xᵀ', () => {
  // n_0 = 3, n_1 = 1, W_1 = [0.5, −1, 2], σ_1 = identity
  const net = new Network([3, 1], [row(0.5, -1, 2)], [new Column([getActivation('identity')])]);
  // samples as columns: x_1 = (1, 2, 3)ᵀ, x_2 = (−0.5, 0.25, 4)ᵀ
  const X = new Matrix(3, 2, Float64Array.from([1, -0.5, 2, 0.25, 3, 4]));
  const matrixEngines = engines.filter(([name]) => !name.startsWith('scalar'));

  it('f = W_1·x for each sample', () => {
    // f(x_1) = 0.5·1 − 1·2 + 2·3 = 0.5 − 2 + 6 = 4.5
    // f(x_2) = 0.5·(−0.5) − 1·0.25 + 2·4 = −0.25 − 0.25 + 8 = 7.5
    expectClose(forward(net, X).f, [[4.5, 7.5]], { ...EXACT, label: 'f' });
  });

  it.each(matrixEngines)('one sample: ∇W_1 = x_1ᵀ = [1, 2, 3] (%s)', (name, engine) => {
    const x1 = X.column(0);
    const { gradW } = engine(net, forward(net, x1), seedMatrix(net, 1));
    expectClose(gradW.get(1), [[1, 2, 3]], { ...EXACT, label: `${name}: ∇W_1` });
  });

  it.each(matrixEngines)(
    'batch: ∇W_1 = Σ_b x_bᵀ = [1 − 0.5, 2 + 0.25, 3 + 4] = [0.5, 2.25, 7] (%s)',
    (name, engine) => {
      const { gradW } = engine(net, forward(net, X), seedMatrix(net, 2));
      expectClose(gradW.get(1), [[0.5, 2.25, 7]], { ...EXACT, label: `${name}: ∇W_1` });
    },
  );

  it('∇_X f = W_1ᵀ for every sample (proof, ∇_{Σ_0} f)', () => {
    const { gradS } = proof(net, forward(net, X), seedMatrix(net, 2));
    expectClose(
      gradS.get(0),
      [
        [0.5, 0.5],
        [-1, -1],
        [2, 2],
      ],
      { ...EXACT, label: '∇_{Σ_0} f' },
    );
  });

  it('the scalar forms refuse a network whose widths are not all 1', () => {
    expect(() => scalarChain(net, forward(net, X), seedMatrix(net, 2))).toThrowErrorMatchingInlineSnapshot(
      `[UnsupportedError: the scalar form (1)/(2) needs every width to be 1; this network has widths [3, 1]]`,
    );
  });
});
