// Exact arithmetic (src/exact): rationals read and written as people write them, the paper's products on rational
// matrices, exact activations (relu'(0) = 0, leaky_relu'(0) = 1/100, polynomials), and every gradient form in
// rationals — equal to each other entry for entry and to the float64 engines (src/grad) to rounding, on random
// networks with small rational weights (fast-check, fixed seed).
import fc from 'fast-check';
import katex from 'katex';
import {
  compareExactForms,
  type ExactActivation,
  type ExactForm,
  exactForms,
  exactGradient,
  formatRational,
  parseRational,
  polynomialActivation,
  rbullet,
  rdiag,
  rhadamard,
  rkron,
  rmatmul,
  rtranspose,
  texRational,
  toExactNetwork,
} from 'nabla/paper';
import { describe, expect, it } from 'vitest';
import { exactActivations } from '../packages/nabla/src/exact/activation.js';
import { rmatrix } from '../packages/nabla/src/exact/matrix.js';
import { ExactNetwork } from '../packages/nabla/src/exact/network.js';
import { parsePolynomial } from '../packages/nabla/src/exact/polynomial.js';
import { Fraction, rationalFromNumber } from '../packages/nabla/src/exact/rational.js';
import { type GradientForm, gradientForms } from '../packages/nabla/src/grad/forms.js';
import { numericGradient } from '../packages/nabla/src/grad/numeric.js';
import { seedMatrix } from '../packages/nabla/src/grad/types.js';
import { fromRows, type Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { bullet, diag, hadamard, kron, matmul, transpose } from '../packages/nabla/src/linalg/products.js';
import { getActivation } from '../packages/nabla/src/net/activation.js';
import { Column } from '../packages/nabla/src/net/column.js';
import { forward } from '../packages/nabla/src/net/forward.js';
import { Network } from '../packages/nabla/src/net/network.js';
import { Rng } from '../packages/nabla/src/rng.js';
import { expectClose } from './helpers/close.js';

const q = (s: string) => parseRational(s)!;

describe('rationals', () => {
  it('reads integers, fractions and decimals exactly, and nothing else', () => {
    expect(formatRational(q('3/4'))).toBe('3/4');
    expect(formatRational(q('-6/8'))).toBe('-3/4');
    expect(formatRational(q(' 2 '))).toBe('2');
    expect(formatRational(q('0.75'))).toBe('3/4');
    expect(formatRational(q('-1.5e-3'))).toBe('-3/2000');
    expect(formatRational(q('1E+2'))).toBe('100');
    expect(formatRational(q('.5'))).toBe('1/2');
    for (const bad of ['', 'abc', '1/0', '1/-2', '1.2.3', 'NaN', 'Infinity', '1e999', '--1', '3/4/5'])
      expect(parseRational(bad), bad).toBeUndefined();
  });

  it('reads a float64 as the decimal it prints as, so 0.1 + 0.2 is exactly 3/10', () => {
    expect(formatRational(rationalFromNumber(0.1))).toBe('1/10');
    expect(formatRational(rationalFromNumber(0.1).add(rationalFromNumber(0.2)))).toBe('3/10');
    expect(0.1 + 0.2).toBe(0.30000000000000004); // what float64 does instead
    expect(formatRational(rationalFromNumber(1e-7))).toBe('1/10000000');
    expect(() => rationalFromNumber(Number.NaN, 'W_1[0][0]')).toThrow(/W_1\[0\]\[0\] is NaN/);
  });

  it('writes TeX fractions', () => {
    expect(texRational(q('3/4'))).toBe('\\frac{3}{4}');
    expect(texRational(q('-3/4'))).toBe('-\\frac{3}{4}');
    expect(texRational(q('-0'))).toBe('0');
    expect(texRational(q('5'))).toBe('5');
  });
});

describe('products on rational matrices', () => {
  const rng = new Rng(11);
  const ints = (r: number, c: number) =>
    Array.from({ length: r }, () => Array.from({ length: c }, () => rng.int(9) - 4));
  const same = (exact: { toNumbers(): number[][] }, float: Matrix) =>
    expect(exact.toNumbers()).toEqual(float.toRows().map((r) => r.map((v) => v + 0))); // −0 is 0

  it('agree with the float64 products on integer matrices (where float64 is exact too)', () => {
    for (let t = 0; t < 20; t++) {
      const A = ints(3, 2);
      const B = ints(2, 4);
      const C = ints(3, 2);
      const col = ints(3, 1);
      same(rmatmul(rmatrix(A), rmatrix(B)), matmul(fromRows(A), fromRows(B)));
      same(rhadamard(rmatrix(A), rmatrix(C)), hadamard(fromRows(A), fromRows(C)));
      same(rkron(rmatrix(A), rmatrix(B)), kron(fromRows(A), fromRows(B)));
      same(rtranspose(rmatrix(A)), transpose(fromRows(A)));
      same(rdiag(rmatrix(col)), diag(fromRows(col)));
      same(
        rbullet(rmatrix(col), rmatrix(B.slice(0, 1).map(() => [1, 2, 3]))),
        bullet(fromRows(col), fromRows([[1, 2, 3]])),
      );
    }
  });

  it('name the operands when shapes do not fit', () => {
    expect(() => rmatmul(rmatrix([[1, 2]]), rmatrix([[1, 2]]), ['W_2ᵀ', 'Δ_2'])).toThrow(
      'W_2ᵀ · Δ_2: W_2ᵀ is 1×2 but Δ_2 is 1×2; expected Δ_2 to have 2 rows',
    );
    expect(() => rhadamard(rmatrix([[1]]), rmatrix([[1, 2]]), ['Δ_3', "Σ'_2"])).toThrow(
      "Δ_3 ∘ Σ'_2: Δ_3 is 1×1 but Σ'_2 is 1×2; expected the same shape",
    );
  });
});

describe('exact activations', () => {
  it('take the documented one-sided derivatives at the kink', () => {
    const { relu, leaky_relu: leaky } = exactActivations;
    expect(formatRational(relu!.dsigma(q('0')))).toBe('0');
    expect(formatRational(relu!.sigma(q('-3/2')))).toBe('0');
    expect(formatRational(leaky!.dsigma(q('0')))).toBe('1/100');
    expect(formatRational(leaky!.sigma(q('-3/2')))).toBe('-3/200');
    expect(formatRational(exactActivations.square!.dsigma(q('-3/2')))).toBe('-3');
  });

  it('match their float64 twins', () => {
    for (const a of Object.values(exactActivations)) {
      for (const x of ['-2', '-1/2', '0', '1/3', '7/4']) {
        expect(a.sigma(q(x)).valueOf(), `${a.name}(${x})`).toBeCloseTo(a.float.sigma(q(x).valueOf()), 14);
        expect(a.dsigma(q(x)).valueOf(), `${a.name}'(${x})`).toBeCloseTo(
          a.float.dsigma(q(x).valueOf(), a.float.sigma(q(x).valueOf())),
          14,
        );
      }
    }
  });

  it("read polynomials as text or coefficient lists, with σ' = p'", () => {
    expect(parsePolynomial('x^3 - x').toString()).toBe('x^3 - x');
    expect(parsePolynomial('x**3-x').toString()).toBe('x^3 - x');
    expect(parsePolynomial('[0, -1, 0, 1]').toString()).toBe('x^3 - x');
    expect(parsePolynomial('1/2x^2 + 0.5*x - 2 + x').toString()).toBe('1/2x^2 + 3/2x - 2');
    expect(parsePolynomial('x^3 - x').derivative().toString()).toBe('3x^2 - 1');
    expect(parsePolynomial('x^3 - x').toTex()).toBe('x^{3} - x');
    expect(() => parsePolynomial('x^3 - sin(x)')).toThrow(/cannot read the term "-sin\(x\)"/);
    expect(() => parsePolynomial('2*')).toThrow(/cannot read the term/);
    expect(() => parsePolynomial('x^13')).toThrow(/degree above 12/);
    const cubic = polynomialActivation('cubic', 'x^3 - x');
    expect(formatRational(cubic.sigma(q('1/2')))).toBe('-3/8');
    expect(formatRational(cubic.dsigma(q('1/2')))).toBe('-1/4');
    expect(cubic.float.sigma(0.5)).toBe(-0.375);
    expect(cubic.float.rational).toBe(true);
    expect(() => polynomialActivation('relu', 'x^2')).toThrow(/taken by a built-in/);
  });

  it('refuse networks whose σ is not exact, naming the neuron', () => {
    const net = new Network(
      [2, 2, 1],
      [
        fromRows([
          [1, 0],
          [0, 1],
        ]),
        fromRows([[1, 1]]),
      ],
      [new Column([getActivation('relu'), getActivation('tanh')]), Column.uniform(getActivation('identity'), 1)],
    );
    expect(() => toExactNetwork(net)).toThrow(
      'σ_12 (layer 1, neuron 2) = tanh does not map rational numbers to rational numbers; exact ' +
        'arithmetic covers identity, relu, leaky_relu, square and polynomials',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Random networks with small rational weights: exact forms vs the float64 engines

const POOL = ['identity', 'relu', 'leaky_relu', 'square', 'cubic'] as const;
const cubic = polynomialActivation('cubic', 'x^3 - x');
const registry: Record<string, ExactActivation> = { ...exactActivations, cubic };

interface Case {
  widths: number[];
  acts: string[][];
  B: number;
  valueSeed: number;
}

const caseArb = fc
  .integer({ min: 1, max: 4 })
  .chain((k) => fc.array(fc.integer({ min: 1, max: 4 }), { minLength: k + 1, maxLength: k + 1 }))
  .chain((widths) =>
    fc.record({
      widths: fc.constant(widths),
      acts: fc.tuple(...widths.slice(1).map((n) => fc.array(fc.constantFrom(...POOL), { minLength: n, maxLength: n }))),
      B: fc.integer({ min: 1, max: 3 }),
      valueSeed: fc.integer({ min: 0, max: 0x7fffffff }),
    }),
  ) as fc.Arbitrary<Case>;

/** Weights and inputs in quarters from −2 to 2 (exact in float64 too), so the float64 run starts from the same numbers. */
function build(c: Case): {
  exact: ExactNetwork;
  float: Network;
  X: Matrix;
  Xr: ReturnType<typeof rmatrix>;
  v: number[] | undefined;
} {
  const rng = new Rng(c.valueSeed);
  const quarter = () => (rng.int(17) - 8) / 4;
  const W = c.widths
    .slice(1)
    .map((rows, j) => Array.from({ length: rows }, () => Array.from({ length: c.widths[j]! }, quarter)));
  const X = Array.from({ length: c.widths[0]! }, () => Array.from({ length: c.B }, quarter));
  const nk = c.widths[c.widths.length - 1]!;
  const v = nk > 1 ? Array.from({ length: nk }, quarter) : undefined;
  const exact = new ExactNetwork(
    c.widths,
    W.map((w) => rmatrix(w)),
    c.acts.map((col) => col.map((a) => registry[a]!)),
  );
  const float = new Network(
    c.widths,
    W.map((w) => fromRows(w)),
    c.acts.map((col) => new Column(col.map((a) => registry[a]!.float))),
  );
  return { exact, float, X: fromRows(X), Xr: rmatrix(X), v };
}

describe('every form in exact arithmetic', () => {
  it('gives the same ∇_W (v·f) in every form, exactly, and the float64 engines agree to rounding', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { exact, float, X, Xr, v } = build(c);
        const forms = compareExactForms(exact, Xr, v);
        for (const f of forms) expect(f.equal, `${f.form} differs exactly from the recursion`).toBe(true);
        const trace = forward(float, X);
        const seed = seedMatrix(float, X.cols, v);
        for (const f of forms) {
          const engine = gradientForms[(f.form === 'scalar' ? 'scalar' : f.form) as GradientForm].engine;
          const g = engine(float, trace, seed);
          for (const i of g.gradW.indices()) {
            const e = f.grads.gradW.get(i).toNumbers();
            const scale = Math.max(1, ...e.flat().map(Math.abs));
            expectClose(e, g.gradW.get(i), {
              atol: 1e-12 * scale,
              rtol: 1e-12,
              label: `${f.form}: ∇_{W_${i}} f, exact vs float64`,
            });
          }
        }
        // the forward pass too
        const r = exactGradient(exact, Xr, v === undefined ? {} : { seed: v });
        for (let i = 1; i <= exact.k; i++) {
          const scale = Math.max(1, ...trace.N.get(i).toRows().flat().map(Math.abs));
          expectClose(r.trace.N.get(i).toNumbers(), trace.N.get(i), { atol: 1e-12 * scale, label: `N_${i}` });
          expectClose(r.trace.dS.get(i).toNumbers(), trace.dS.get(i), {
            atol: 1e-12 * Math.max(1, scale * scale),
            label: `Σ'_${i}`,
          });
        }
      }),
      { seed: 20240606, numRuns: 60 },
    );
  });

  it('the Δ_i of the exact recursion equal the float64 recursion', () => {
    const { exact, float, X, Xr } = build({
      widths: [3, 4, 2, 1],
      acts: [['relu', 'square', 'cubic', 'leaky_relu'], ['identity', 'square'], ['identity']],
      B: 2,
      valueSeed: 5,
    });
    const r = exactGradient(exact, Xr);
    const g = gradientForms.recursive.engine(float, forward(float, X), seedMatrix(float, 2));
    for (let i = 1; i <= 4; i++) expectClose(r.D!.get(i).toNumbers(), g.D!.get(i), { atol: 1e-12, label: `Δ_${i}` });
  });

  it('the scalar form (1)/(2) on a one-dimensional network equals the recursion exactly', () => {
    const net = new ExactNetwork(
      [1, 1, 1, 1],
      [rmatrix([['3/2']]), rmatrix([['-2']]), rmatrix([['1/2']])],
      [[registry.square!], [registry.cubic!], [registry.identity!]],
    );
    const X = rmatrix([['1/3']]);
    const forms = compareExactForms(net, X).map((f) => f.form);
    expect(forms).toEqual(['recursive', 'explicit', 'kronecker', 'diagonal', 'scalar', 'proof']);
    for (const f of compareExactForms(net, X)) expect(f.equal, f.form).toBe(true);
    expect(() =>
      exactGradient(new ExactNetwork([2, 1], [rmatrix([[1, 1]])], [[registry.identity!]]), rmatrix([[1], [1]]), {
        form: 'scalar',
      }),
    ).toThrow(/needs every width to be 1/);
  });

  it('match finite differences of the float64 network', () => {
    const { exact, float, X, Xr } = build({
      widths: [2, 3, 1],
      acts: [['square', 'cubic', 'identity'], ['square']],
      B: 1,
      valueSeed: 9,
    });
    const r = exactGradient(exact, Xr);
    const fd = numericGradient(float, X, seedMatrix(float, 1));
    for (let i = 1; i <= 2; i++)
      expectClose(r.gradW.get(i).toNumbers(), fd.get(i), {
        atol: 1e-7,
        rtol: 1e-7,
        label: `∇_{W_${i}} f vs finite differences`,
      });
  });

  it('keeps exactness where float64 rounds: weights 0.1 and 0.2 give 3/10, not 0.30000000000000004', () => {
    const net = toExactNetwork(
      new Network([2, 1], [fromRows([[0.1, 0.2]])], [Column.uniform(getActivation('identity'), 1)]),
    );
    const r = exactGradient(net, rmatrix([[1], [1]]));
    expect(formatRational(r.trace.f.get(0, 0))).toBe('3/10');
    const fl = forward(
      new Network([2, 1], [fromRows([[0.1, 0.2]])], [Column.uniform(getActivation('identity'), 1)]),
      fromRows([[1], [1]]),
    );
    expect(fl.f.get(0, 0)).toBe(0.30000000000000004);
  });

  it('every form in the table has a formula that KaTeX typesets without an error', () => {
    for (const f of Object.keys(exactForms) as ExactForm[]) {
      expect(() => katex.renderToString(exactForms[f].tex, { throwOnError: true, strict: 'error' }), f).not.toThrow();
    }
    expect(new Fraction(1, 3).valueOf()).toBeCloseTo(1 / 3, 15);
  });
});
