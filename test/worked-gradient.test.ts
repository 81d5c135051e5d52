// The worked gradient (grad/worked.ts) is computed once: `nabla grad --form all` runs one forward pass and one
// recursion, counted from outside — the forward pass and the recursion wrapped in counters (module mocks), and a
// recording algebra that counts the products of each phase by their operands. Also: the W_{i+1}ᵀ·Δ_{i+1} it
// hands the explorer is the product itself, and exact (rational) problems work as float ones.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { exactNet, rationalAlgebra } from '../packages/nabla/src/exact/algebra.js';
import { rmatrix } from '../packages/nabla/src/exact/matrix.js';
import { toExactNetwork } from '../packages/nabla/src/exact/network.js';
import { type Algebra, floatAlgebraOf } from '../packages/nabla/src/grad/algebra.js';
import { algebraForward } from '../packages/nabla/src/grad/algebra-forward.js';
import { recursiveForm } from '../packages/nabla/src/grad/recursive.js';
import { workedGradient } from '../packages/nabla/src/grad/worked.js';
import { fromColumns, fromRows, type Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { matmulTN } from '../packages/nabla/src/linalg/products.js';
import { forward } from '../packages/nabla/src/net/forward.js';
import { createNetwork } from '../packages/nabla/src/net/init.js';
import { cliIn } from './helpers/cli.js';

vi.mock('../packages/nabla/src/grad/algebra-forward.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../packages/nabla/src/grad/algebra-forward.js')>();
  return { algebraForward: vi.fn(actual.algebraForward) };
});
vi.mock('../packages/nabla/src/grad/recursive.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../packages/nabla/src/grad/recursive.js')>();
  return { recursiveForm: vi.fn(actual.recursiveForm) };
});
vi.mock('../packages/nabla/src/net/forward.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../packages/nabla/src/net/forward.js')>();
  return { ...actual, forward: vi.fn(actual.forward) };
});

const traces = vi.mocked(algebraForward);
const recursions = vi.mocked(recursiveForm);
const evaluations = vi.mocked(forward);
beforeEach(() => {
  traces.mockClear();
  recursions.mockClear();
  evaluations.mockClear();
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-worked-'));
  await writeFile(join(dir, 'x.json'), JSON.stringify([0.5, -1]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const { ok } = cliIn(() => dir);

describe('nabla grad --form all', () => {
  it('runs one forward pass and one recursion (and finite differences evaluate f 4 times per weight, nothing more)', async () => {
    await ok('init', '--widths', '2,3,1', '--activation', 'tanh;sigmoid', '--seed', '7', '--out', 'm.json');
    traces.mockClear();
    evaluations.mockClear();
    const out = JSON.parse(await ok('grad', '--model', 'm.json', '--input', 'x.json', '--form', 'all', '--json')) as {
      forms: Record<string, number>;
    };
    expect(Object.keys(out.forms)).toEqual(['recursive', 'explicit', 'kronecker', 'diagonal', 'proof', 'numeric']);
    expect(traces).toHaveBeenCalledTimes(1);
    expect(recursions).toHaveBeenCalledTimes(1);
    // the five-point stencil evaluates f at w ± h and w ± 2h for each of the 2·3 + 3·1 = 9 weights
    expect(evaluations).toHaveBeenCalledTimes(4 * 9);
  });

  it('the same on an affine model with a seed v, and with one form asked for', async () => {
    await ok(
      'init',
      '--widths',
      '2,3,2',
      '--affine',
      '--activation',
      'relu;identity',
      '--seed',
      '3',
      '--out',
      'a.json',
    );
    await writeFile(join(dir, 'v.json'), JSON.stringify([1, 2]));
    traces.mockClear();
    await ok('grad', '--model', 'a.json', '--input', 'x.json', '--delta', 'v.json', '--form', 'kronecker');
    expect(traces).toHaveBeenCalledTimes(1);
    expect(recursions).toHaveBeenCalledTimes(1);
    expect(evaluations).not.toHaveBeenCalled();
  });

  it('the counters count: two worked gradients are two forward passes and two recursions', () => {
    const net = createNetwork({ widths: [2, 3, 1], activation: ['tanh', 'sigmoid'], seed: 7 });
    const X = fromColumns([[0.5, -1]]);
    workedGradient(net, X);
    workedGradient(net, X);
    expect(traces).toHaveBeenCalledTimes(2);
    expect(recursions).toHaveBeenCalledTimes(2);
  });
});

/** A float64 algebra that records every product ·, with its operands. */
function recordingAlgebra(): { alg: Algebra<Matrix>; products: [Matrix, Matrix][] } {
  const base = floatAlgebraOf('float64');
  const products: [Matrix, Matrix][] = [];
  const alg: Algebra<Matrix> = {
    ...base,
    matmul: (A, B, names) => {
      products.push([A, B]);
      return base.matmul(A, B, names);
    },
  };
  return { alg, products };
}

describe('workedGradient through a recording algebra', () => {
  it('every form on one trace: the products N_i = W_i·Σ_{i−1} are made once per layer, Δ_i·Σ_{i−1}ᵀ once per layer', () => {
    const net = createNetwork({ widths: [2, 4, 3, 1], activation: ['tanh', 'relu', 'sigmoid'], seed: 11 });
    const X = fromColumns([
      [0.5, -1],
      [0.25, 2],
    ]);
    const { alg, products } = recordingAlgebra();
    const w = workedGradient(net, X, { forms: 'all', algebra: alg });
    expect(w.forms.map((f) => f.form)).toEqual(['recursive', 'explicit', 'kronecker', 'diagonal', 'proof', 'numeric']);
    // forward: a product whose left factor is the network's own W_i (every other form multiplies by W_iᵀ)
    for (const i of [1, 2, 3])
      expect(
        products.filter(([A]) => A === net.W.get(i)),
        `W_${i}·Σ_${i - 1}`,
      ).toHaveLength(1);
    // the recursion: a product whose left factor is Δ_i (its ∇_{W_i} f = Δ_i·Σ_{i−1}ᵀ), and W_{i+1}ᵀ·Δ_{i+1}
    for (const i of [1, 2, 3])
      expect(
        products.filter(([A]) => A === w.D.get(i)),
        `Δ_${i}·Σ_${i - 1}ᵀ`,
      ).toHaveLength(1);
    for (const i of [2, 3])
      expect(
        products.filter(([, B]) => B === w.D.get(i)),
        `W_${i}ᵀ·Δ_${i}`,
      ).toHaveLength(1);
  });

  it('hands over W_{i+1}ᵀ·Δ_{i+1} as the recursion computed it, equal to the product taken here', () => {
    const net = createNetwork({ widths: [3, 4, 2, 2], activation: ['tanh', 'elu', 'identity'], seed: 5 });
    const w = workedGradient(
      net,
      fromColumns([
        [0.1, 0.2, -0.3],
        [1, 0, 2],
      ]),
      { seed: [1, -2] },
    );
    expect(w.WtD.indices()).toEqual([1, 2]);
    for (const i of [1, 2]) {
      const u = matmulTN(net.W.get(i + 1), w.D.get(i + 1));
      expect(w.WtD.get(i).toRows()).toEqual(u.toRows());
    }
  });

  it('works in rationals: the forms agree exactly, and Δ_1 is the hand-worked number', () => {
    // n = [1, 1, 1], σ_1 = square, σ_2 = identity, w_1 = 2, w_2 = 3, x = 1/2: f = 3·(2x)² = 3, Δ_2 = 1, Δ_1 = 3·2·(2x) = 6
    const net = toExactNetwork(createNetwork({ widths: [1, 1, 1], activation: ['square', 'identity'], seed: 1 }), {});
    net.W.set(1, rmatrix([['2']], 'W_1'));
    net.W.set(2, rmatrix([['3']], 'W_2'));
    const w = workedGradient(
      { alg: rationalAlgebra, net: exactNet(net), X: rmatrix([['1/2']], 'X'), seed: rmatrix([['1']], 'v') },
      { forms: 'all' },
    );
    expect(w.forms.map((f) => f.form)).toEqual(['recursive', 'explicit', 'kronecker', 'diagonal', 'scalar', 'proof']); // no floats given: no numeric
    expect(w.trace.f.toNumbers()).toEqual([[3]]);
    expect(w.D.get(1).toNumbers()).toEqual([[6]]);
    expect(w.gradW.get(1).toNumbers()).toEqual([[3]]); // Δ_1·x = 6·1/2
    for (const f of w.forms) expect(f.maxDiff, f.form).toBe(0);
    expect(w.records.forward.map((s) => s.lhs)).toEqual([
      'N_{1}',
      '\\Sigma_{1}',
      "\\Sigma'_{1}",
      'N_{2}',
      '\\Sigma_{2}',
      "\\Sigma'_{2}",
    ]);
  });

  it("appends §3's constant 1 to an affine problem's samples, in rationals and in floats", () => {
    // m = [2, 1], n = [3, 1], σ = identity, W_1 = [2, −1 | 3] (the bias last): f = 2·x_1 − x_2 + 3 at x = (1/3, 1) is 8/3
    const en = toExactNetwork(createNetwork({ widths: [3, 1], activation: ['identity'], seed: 1 }), {});
    en.W.set(1, rmatrix([['2', '-1', '3']], 'W_1'));
    const w = workedGradient({
      alg: rationalAlgebra,
      net: exactNet(en),
      X: rmatrix([['1/3'], ['1']], 'X'),
      seed: rmatrix([['1']], 'v'),
      affine: true,
    });
    expect(w.trace.S.get(0).toNumbers()).toEqual([[1 / 3], [1], [1]]);
    expect(w.trace.f.data[0]!.toFraction()).toBe('8/3');
    expect(w.gradW.get(1).toNumbers()).toEqual([[1 / 3, 1, 1]]); // ∇_{W_1} f = Σ_0ᵀ
    const net = createNetwork({ widths: [3, 1], activation: ['identity'], seed: 1 });
    net.W.set(1, fromRows([[2, -1, 3]]));
    const wf = workedGradient(net, fromColumns([[0.5, 1]]), { affine: true, forms: ['numeric'] });
    expect(wf.trace.f.toRows()).toEqual([[3]]); // 2·0.5 − 1 + 3
    expect(wf.gradW.get(1).toRows()).toEqual([[0.5, 1, 1]]);
    expect(wf.forms[1]!.maxDiff).toBeLessThan(1e-9); // finite differences on the augmented X too
  });

  it('refuses numeric without floats, a form that does not apply, and an unknown form', () => {
    const net = createNetwork({ widths: [2, 2, 1], activation: ['tanh', 'identity'], seed: 2 });
    const X = fromColumns([[1, 2]]);
    expect(() => workedGradient(net, X, { forms: ['scalar'] })).toThrow(
      /scalar form \(1\)\/\(2\) needs every width to be 1; this network has widths \[2, 2, 1\]/,
    );
    expect(() => workedGradient(net, X, { forms: ['sideways' as 'recursive'] })).toThrow(
      /unknown gradient form "sideways"/,
    );
    const en = toExactNetwork(createNetwork({ widths: [1, 1], activation: ['identity'], seed: 1 }), {});
    expect(() =>
      workedGradient(
        { alg: rationalAlgebra, net: exactNet(en), X: rmatrix([['1']], 'X'), seed: rmatrix([['1']], 'v') },
        { forms: ['numeric'] },
      ),
    ).toThrow(/numeric: finite differences need the problem in floats/);
  });
});
