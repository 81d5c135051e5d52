// Every catalog activation σ against a formula written here, σ' against finite differences, the fused `map`
// against the scalar pair, the documented kink values, user-defined activations, and per-neuron columns.
import { describe, expect, it } from 'vitest';
import { OptionError } from '../packages/nabla/src/errors.js';
import { Matrix } from '../packages/nabla/src/linalg/matrix.js';
import {
  type Activation,
  activationNames,
  checkActivationDerivative,
  defineActivation,
  getActivation,
} from '../packages/nabla/src/net/activation.js';
import { Column } from '../packages/nabla/src/net/column.js';
import { expectClose } from './helpers/close.js';
import { makeRandom } from './helpers/reference.js';

const act = (name: string): Activation => getActivation(name);

/** Independent definitions. Each is the textbook formula, valid (without overflow) on the stated range. */
const GELU_C = Math.sqrt(2 / Math.PI);
const formulas: Record<string, { f: (x: number) => number; range: number }> = {
  identity: { f: (x) => x, range: 1e6 },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), range: 30 },
  tanh: { f: (x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1), range: 20 },
  relu: { f: (x) => Math.max(0, x), range: 1e6 },
  leaky_relu: { f: (x) => (x >= 0 ? x : x / 100), range: 1e6 },
  elu: { f: (x) => (x >= 0 ? x : Math.exp(x) - 1), range: 30 },
  softplus: { f: (x) => Math.log(1 + Math.exp(x)), range: 30 },
  silu: { f: (x) => x / (1 + Math.exp(-x)), range: 30 },
  // ½(1 + tanh z) = 1/(1 + e^{−2z}): written through the logistic, not through tanh as the library does
  gelu: { f: (x) => x / (1 + Math.exp(-2 * GELU_C * (x + 0.044715 * x ** 3))), range: 8 },
  sin: { f: (x) => Math.cos(x - Math.PI / 2), range: 50 },
  square: { f: (x) => x ** 2, range: 1e6 },
};

/** Points in [−r, r] plus awkward ones, including the kinks at 0. */
function points(range: number): number[] {
  const rand = makeRandom(2024);
  const ps = [0, 1, -1, 0.5, -0.5, 1e-8, -1e-8, 2.5, -2.5, range, -range, range / 2, -range / 2];
  for (let j = 0; j < 60; j++) ps.push((2 * rand() - 1) * Math.min(range, 10));
  return ps;
}

describe('σ of every catalog activation matches an independent formula', () => {
  it('the catalog is exactly the activations this file knows', () => {
    expect([...activationNames].sort()).toEqual(Object.keys(formulas).sort());
  });

  it.each(Object.keys(formulas))('%s', (name) => {
    const { f, range } = formulas[name]!;
    const a = act(name);
    for (const x of points(range)) {
      // f64; the reference uses a different but algebraically equal expression (e.g. exp(x) − 1 vs expm1 loses
      // relative precision near 0, hence the absolute part)
      expectClose(a.sigma(x), f(x), { rtol: 1e-13, atol: 1e-15, label: `${name}(${x})` });
    }
  });

  it('softplus: ln(1 + eˣ) computed stably — no overflow at ±800, no loss for small values', () => {
    const sp = act('softplus');
    expect(Math.log(1 + Math.exp(800))).toBe(Infinity); // the naive formula overflows here
    expect(sp.sigma(800)).toBe(800); // ln(1 + e^800) = 800 + ln(1 + e^−800) = 800 to double precision
    expect(sp.sigma(-800)).toBe(0); // e^−800 ≈ 4e−348 is below the smallest double
    expect(sp.dsigma(800, sp.sigma(800))).toBe(1);
    expect(sp.dsigma(-800, sp.sigma(-800))).toBe(0);
    // ln(1 + e^−40) = e^−40 − e^−80/2 + …: the naive formula returns 0 (1 + e^−40 rounds to 1)
    expect(Math.log(1 + Math.exp(-40))).toBe(0);
    expectClose(sp.sigma(-40), Math.exp(-40), { rtol: 1e-15, label: 'softplus(−40)' }); // e^−80/2 is 1e−18 relative
    expectClose(sp.sigma(40), 40, { rtol: 1e-16, label: 'softplus(40)' }); // 40 + 4e−18
  });

  it('sigmoid, tanh, silu, elu, gelu stay finite and saturate at ±800', () => {
    const cases: [string, number, number][] = [
      ['sigmoid', 800, 1],
      ['sigmoid', -800, 0],
      ['tanh', 800, 1],
      ['tanh', -800, -1],
      ['silu', 800, 800],
      ['silu', -800, -0],
      ['elu', -800, -1],
      ['gelu', 800, 800],
    ];
    for (const [name, x, want] of cases) {
      const a = act(name);
      const s = a.sigma(x);
      expect(s, `${name}(${x})`).toBe(want);
      expect(Number.isFinite(a.dsigma(x, s)), `${name}'(${x})`).toBe(true);
    }
    expect(Math.abs(act('gelu').sigma(-800))).toBe(0);
  });
});

describe("σ' of every catalog activation matches finite differences of σ", () => {
  it.each(activationNames)('%s', (name) => {
    const a = act(name);
    const kinked = name === 'relu' || name === 'leaky_relu' || name === 'elu';
    for (const x of points(10)) {
      if (kinked && Math.abs(x) < 1e-3) continue; // a finite difference across the kink means nothing
      const h = 1e-4 * Math.max(1, Math.abs(x));
      // five-point stencil: truncation O(h⁴) ≈ 1e-16, rounding ≈ ε·|σ|/h ≈ 1e-11·max(1, |σ|)
      const fd = (8 * (a.sigma(x + h) - a.sigma(x - h)) - (a.sigma(x + 2 * h) - a.sigma(x - 2 * h))) / (12 * h);
      expectClose(a.dsigma(x, a.sigma(x)), fd, { rtol: 1e-8, atol: 1e-9, label: `${name}'(${x})` });
    }
  });

  it("the documented kink values: relu'(0) = 0, leaky_relu'(0) = 0.01, elu'(0) = 1", () => {
    const at0 = (name: string) => act(name).dsigma(0, act(name).sigma(0));
    expect(at0('relu')).toBe(0);
    expect(at0('leaky_relu')).toBe(0.01);
    expect(at0('elu')).toBe(1);
    // one-sided values next to the kink
    expect(act('relu').dsigma(1e-300, 1e-300)).toBe(1);
    expect(act('leaky_relu').dsigma(-1e-300, act('leaky_relu').sigma(-1e-300))).toBe(0.01);
    // and the fused map agrees at the kink
    for (const [name, want] of [
      ['relu', 0],
      ['leaky_relu', 0.01],
      ['elu', 1],
    ] as const) {
      const S = new Float64Array(1);
      const dS = new Float64Array(1);
      act(name).map(Float64Array.of(0), S, dS, 0, 1);
      expect([S[0], dS[0]]).toEqual([0, want]);
    }
  });
});

describe('the fused map agrees exactly with the scalar pair', () => {
  it.each(activationNames)('%s (on a sub-range; entries outside it are untouched)', (name) => {
    const a = act(name);
    const xs = [...points(30), 800, -800, 0, -0];
    const N = Float64Array.from([123, ...xs, 456]);
    const S = new Float64Array(N.length).fill(-7);
    const dS = new Float64Array(N.length).fill(-7);
    a.map(N, S, dS, 1, N.length - 1);
    expect([S[0], dS[0], S[N.length - 1], dS[N.length - 1]]).toEqual([-7, -7, -7, -7]);
    for (let j = 1; j < N.length - 1; j++) {
      const x = N[j]!;
      const s = a.sigma(x);
      expect(Object.is(S[j], s) || S[j] === s, `${name}: S at ${x}`).toBe(true); // bit-identical (±0 compared by value)
      expect(dS[j] === a.dsigma(x, s), `${name}: dS at ${x}`).toBe(true);
    }
  });

  it('float32 storage: map rounds the same values the scalar pair gives', () => {
    for (const name of activationNames) {
      const a = act(name);
      const N = Float32Array.from([-2.5, -0.75, 0.125, 3]);
      const S = new Float32Array(4);
      const dS = new Float32Array(4);
      a.map(N, S, dS, 0, 4);
      for (let j = 0; j < 4; j++) {
        const s = a.sigma(N[j]!);
        expect(S[j], `${name} S`).toBe(Math.fround(s));
        expect(dS[j], `${name} dS`).toBe(Math.fround(a.dsigma(N[j]!, s)));
      }
    }
  });
});

describe('defineActivation and checkActivationDerivative', () => {
  const cube = (x: number) => x * x * x;

  it("accepts a right σ' (cube, 3x²) and rejects a wrong one (2x²)", () => {
    const right = defineActivation({ name: 'cube', sigma: cube, dsigma: (x) => 3 * x * x });
    const wrong = defineActivation({ name: 'cube_bad', sigma: cube, dsigma: (x) => 2 * x * x });
    expect(checkActivationDerivative(right).ok).toBe(true);
    const bad = checkActivationDerivative(wrong);
    expect(bad.ok).toBe(false);
    // worst at the edge of [−5, 5]: |2x² − 3x²| / max(1, 2x²) → 1/2
    expect(bad.maxError).toBeGreaterThan(0.4);
    expect(Math.abs(bad.supplied - 2 * bad.worstX ** 2)).toBeLessThan(1e-9);
    expect(Math.abs(bad.numeric - 3 * bad.worstX ** 2)).toBeLessThan(1e-3);
  });

  it("rejects a σ' that is off by a little (3x² + 1e-4) and one with a wrong sign", () => {
    expect(checkActivationDerivative({ sigma: cube, dsigma: (x) => 3 * x * x + 1e-4 }).ok).toBe(false);
    expect(checkActivationDerivative({ sigma: Math.sin, dsigma: (x) => -Math.cos(x) }).ok).toBe(false);
    expect(checkActivationDerivative({ sigma: Math.sin, dsigma: (x) => Math.cos(x) }).ok).toBe(true);
  });

  it('every catalog activation passes the library check', () => {
    for (const name of activationNames) expect(checkActivationDerivative(act(name)).ok, name).toBe(true);
  });

  it('a defined activation maps like its scalar pair and is usable by name', () => {
    const a = defineActivation({ name: 'cube', sigma: cube, dsigma: (x) => 3 * x * x });
    const N = Float64Array.of(-2, 0.5, 3);
    const S = new Float64Array(3);
    const dS = new Float64Array(3);
    a.map(N, S, dS, 0, 3);
    expect([...S]).toEqual([-8, 0.125, 27]);
    expect([...dS]).toEqual([12, 0.75, 27]);
    expect(getActivation('cube', { cube: a })).toBe(a);
    expect(() => getActivation('cube')).toThrow(OptionError);
  });

  it('refuses bad definitions', () => {
    expect(() => defineActivation({ name: 'has space', sigma: cube, dsigma: cube })).toThrow(OptionError);
    expect(() => defineActivation({ name: 'x', sigma: cube, dsigma: 3 as unknown as (x: number) => number })).toThrow(
      OptionError,
    );
  });
});

describe('per-neuron columns', () => {
  it('Column evaluates each neuron (row) with its own σ', () => {
    const names = ['tanh', 'square', 'relu', 'relu', 'sin', 'identity'];
    const col = new Column(names.map(act));
    const B = 3;
    const values = [
      [0.5, -1, 2],
      [1.5, -2, 0.25],
      [-0.5, 0.75, 0],
      [3, -3, 1],
      [1, 2, -1],
      [-4, 0, 4],
    ];
    const N = new Matrix(6, B, Float64Array.from(values.flat()));
    const S = new Matrix(6, B);
    const dS = new Matrix(6, B);
    col.apply(N, S, dS);
    const derivs: Record<string, (x: number) => number> = {
      tanh: (x) => 1 - Math.tanh(x) ** 2,
      square: (x) => 2 * x,
      relu: (x) => (x > 0 ? 1 : 0),
      sin: Math.cos,
      identity: () => 1,
    };
    names.forEach((name, j) => {
      for (let b = 0; b < B; b++) {
        const x = values[j]![b]!;
        // independent formula, f64, different expression
        expectClose(S.get(j, b), formulas[name]!.f(x), {
          rtol: 1e-14,
          atol: 1e-16,
          label: `Σ row ${j} (${name}) sample ${b}`,
        });
        expectClose(dS.get(j, b), derivs[name]!(x), {
          rtol: 1e-14,
          atol: 1e-16,
          label: `Σ' row ${j} (${name}) sample ${b}`,
        });
      }
    });
    expect(col.describe()).toEqual(names);
  });

  it('refuses an N with the wrong number of rows, naming the symbol', () => {
    const col = Column.uniform(act('tanh'), 3);
    expect(() =>
      col.apply(new Matrix(2, 1), new Matrix(2, 1), new Matrix(2, 1), 'Σ_2'),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ShapeError: Σ_2(N): the column has 3 activations but N is 2×1 (S 2×1, Σ' 2×1)]`,
    );
  });
});
