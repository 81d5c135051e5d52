// The network and its trace follow the paper's indexing (Σ_0 = X, N_1 = W_1·X, …), Layers refuses indices the
// paper does not define, per-neuron columns group into runs, createNetwork is seeded, seedMatrix needs v for n_k > 1.
import { describe, expect, it } from 'vitest';
import { NablaError, ShapeError } from '../packages/nabla/src/errors.js';
import { recursive } from '../packages/nabla/src/grad/forms.js';
import { numeric } from '../packages/nabla/src/grad/numeric.js';
import { seedMatrix } from '../packages/nabla/src/grad/types.js';
import { fromColumns, fromRows, Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { getActivation } from '../packages/nabla/src/net/activation.js';
import { Column } from '../packages/nabla/src/net/column.js';
import { forward } from '../packages/nabla/src/net/forward.js';
import { createNetwork } from '../packages/nabla/src/net/init.js';
import { Layers } from '../packages/nabla/src/net/layers.js';
import { columnsFrom, Network } from '../packages/nabla/src/net/network.js';
import { backpropagate } from '../packages/nabla/src/train/backprop.js';
import { expectClose } from './helpers/close.js';
import {
  applyColumn,
  applyColumnDerivative,
  makeRandom,
  matrixOf,
  naiveMatmul,
  randomRows,
  rowsOf,
} from './helpers/reference.js';

function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  throw new Error('nothing was thrown');
}

describe('the trace is indexed as in the paper', () => {
  const n = [3, 4, 2, 1];
  const acts = [['tanh', 'relu', 'sin', 'tanh'], ['sigmoid', 'square'], ['identity']];
  const rand = makeRandom(99);
  const W = [randomRows(rand, 4, 3, -1, 1), randomRows(rand, 2, 4, -1, 1), randomRows(rand, 1, 2, -1, 1)];
  const X = randomRows(rand, 3, 5, -2, 2);
  const cols = acts.map((names) => new Column(names.map((a) => getActivation(a))));
  const net = new Network(
    n,
    W.map((w) => matrixOf(w)),
    cols,
  );
  const t = forward(net, matrixOf(X));

  it("Σ_0 = X, N_1 = W_1·X, Σ_i = Σ_i(N_i), Σ'_i = Σ'_i(N_i), N_{i+1} = W_{i+1}·Σ_i, f = Σ_k", () => {
    expect(rowsOf(t.S.get(0))).toEqual(X);
    let prev = X;
    for (let i = 1; i <= 3; i++) {
      const Ni = naiveMatmul(W[i - 1]!, prev); // the textbook loop, written in the test helpers
      const col = cols[i - 1]!.sigmas;
      expectClose(t.N.get(i), Ni, { rtol: 1e-14, atol: 1e-15, label: `N_${i}` }); // f64 summation order
      expectClose(t.S.get(i), applyColumn(col, rowsOf(t.N.get(i))), { label: `Σ_${i}` }); // same σ on the same N: exact
      expectClose(t.dS.get(i), applyColumnDerivative(col, rowsOf(t.N.get(i))), { label: `Σ'_${i}` });
      prev = rowsOf(t.S.get(i));
    }
    expect(t.f).toBe(t.S.get(3));
    expect([t.N.get(1).rows, t.N.get(1).cols]).toEqual([4, 5]); // n_1 × B
  });

  it("the symbols cover exactly the paper's indices: W 1…k, N 1…k, Σ 0…k, Σ' 1…k, Δ 1…k+1", () => {
    expect(net.W.indices()).toEqual([1, 2, 3]);
    expect(t.N.indices()).toEqual([1, 2, 3]);
    expect(t.S.indices()).toEqual([0, 1, 2, 3]);
    expect(t.dS.indices()).toEqual([1, 2, 3]);
    const { D, gradW } = recursive(net, t, seedMatrix(net, 5));
    expect(D!.indices()).toEqual([1, 2, 3, 4]);
    expect(gradW.indices()).toEqual([1, 2, 3]);
    expect(net.k).toBe(3);
    expect(net.parameterCount).toBe(4 * 3 + 2 * 4 + 1 * 2);
  });

  it('Layers throws naming the symbol for undefined indices', () => {
    const { D } = recursive(net, t, seedMatrix(net, 5));
    expect(thrown(() => D!.get(5))).toMatchInlineSnapshot(`"NablaError: Δ_5 is not defined here (Δ_1 … Δ_4)"`);
    expect(thrown(() => D!.get(0))).toMatchInlineSnapshot(`"NablaError: Δ_0 is not defined here (Δ_1 … Δ_4)"`);
    expect(thrown(() => net.W.get(0))).toMatchInlineSnapshot(`"NablaError: W_0 is not defined here (W_1 … W_3)"`);
    expect(thrown(() => net.W.get(4))).toMatchInlineSnapshot(`"NablaError: W_4 is not defined here (W_1 … W_3)"`);
    expect(thrown(() => t.S.get(-1))).toMatchInlineSnapshot(`"NablaError: Σ_-1 is not defined here (Σ_0 … Σ_3)"`);
    expect(thrown(() => t.N.get(0))).toMatchInlineSnapshot(`"NablaError: N_0 is not defined here (N_1 … N_3)"`);
    expect(thrown(() => t.dS.get(1.5))).toMatchInlineSnapshot(`"NablaError: Σ'_1.5 is not defined here (Σ'_1 … Σ'_3)"`);
    expect(() => D!.get(5)).toThrow(NablaError);
  });

  it('Layers: a defined but unset index, has(), set(), toRecord()', () => {
    const L = new Layers<number>('Δ', 1, 4);
    expect(thrown(() => L.get(2))).toMatchInlineSnapshot(`"NablaError: Δ_2 has not been computed"`);
    expect(L.has(2)).toBe(false);
    L.set(2, 7);
    expect(L.has(2)).toBe(true);
    expect(L.get(2)).toBe(7);
    expect(thrown(() => L.set(5, 1))).toMatchInlineSnapshot(`"NablaError: Δ_5 is not defined here (Δ_1 … Δ_4)"`);
    expect(L.toRecord((v) => v * 2)).toEqual({ '2': 14 });
    expect(thrown(() => new Layers('W', 1, 3, [1, 2]))).toMatchInlineSnapshot(
      `"NablaError: W: expected 3 entries (W_1 … W_3), found 2"`,
    );
  });

  it('forward refuses an X with the wrong number of rows, naming W_1 and X', () => {
    expect(thrown(() => forward(net, new Matrix(2, 5)))).toMatchInlineSnapshot(
      `"ShapeError: W_1 · X: W_1 is 4×3 but X is 2×5; expected X to have n_0 = 3 rows (one column per sample)"`,
    );
  });
});

describe('the batch given as Xᵀ (inputRows: one row per sample, as samples lie in memory)', () => {
  const n = [3, 4, 2];
  const rand = makeRandom(7);
  const W = [randomRows(rand, 4, 3, -1, 1), randomRows(rand, 2, 4, -1, 1)];
  const X = randomRows(rand, 3, 6, -2, 2); // n_0 × B
  const Xt = X[0]!.map((_, b) => X.map((row) => row[b]!)); // B × n_0, written out here
  const net = new Network(
    n,
    W.map((w) => matrixOf(w)),
    columnsFrom(n, ['tanh', 'identity']),
  );

  it('N_1 = W_1·X with X read from its rows, and ∇_{W_1} = Δ_1·Σ_0ᵀ from the same rows', () => {
    const t = forward(net, matrixOf(Xt), { inputRows: true });
    expect(t.inputRows).toBe(true);
    expectClose(t.N.get(1), naiveMatmul(W[0]!, X), { rtol: 1e-14, atol: 1e-15, label: 'N_1' });
    const seed = seedMatrix(net, 6, [0.5, -2]);
    // the training recursion (train/backprop.ts) reads Xᵀ as it is; Δ_1·Xᵀ by the textbook loop on the paper form's Δ_1
    const fromRowsTrace = backpropagate(net, t, seed).gradW.get(1);
    const D1 = rowsOf(recursive(net, forward(net, matrixOf(X)), seed).D!.get(1));
    expectClose(fromRowsTrace, naiveMatmul(D1, Xt), { rtol: 1e-13, atol: 1e-15, label: '∇W_1 from Xᵀ' });
    // the paper's forms read Σ_0 = X and refuse such a trace (with B = n_0 it would otherwise be read silently wrong)
    expect(thrown(() => recursive(net, t, seed))).toMatch(/^ShapeError: gradient: this trace holds Σ_0 as Xᵀ/);
    expect(thrown(() => numeric(net, t, seed))).toMatch(/^ShapeError: numeric: this trace holds Σ_0 as Xᵀ/);
  });

  it('names the layout in its shape error', () => {
    expect(thrown(() => forward(net, matrixOf(X), { inputRows: true }))).toBe(
      'ShapeError: W_1 · X: W_1 is 4×3 but Xᵀ is 3×6; expected Xᵀ to have n_0 = 3 columns (one row per sample)',
    );
  });
});

describe('per-neuron columns group neurons into runs', () => {
  const a = (name: string) => getActivation(name);

  it('a uniform layer is one run', () => {
    const col = Column.uniform(a('tanh'), 6);
    expect(col.runs.map((r) => [r.activation.name, r.start, r.end])).toEqual([['tanh', 0, 6]]);
    expect(col.isUniform).toBe(true);
    expect(col.describe()).toBe('tanh');
  });

  it('consecutive equal activations form one run; a repeat after a break starts a new run', () => {
    const col = new Column(['tanh', 'tanh', 'relu', 'relu', 'relu', 'tanh', 'sin'].map(a));
    expect(col.runs.map((r) => [r.activation.name, r.start, r.end])).toEqual([
      ['tanh', 0, 2],
      ['relu', 2, 5],
      ['tanh', 5, 6],
      ['sin', 6, 7],
    ]);
    expect(col.isUniform).toBe(false);
    expect(col.n).toBe(7);
  });

  it('columnsFrom: one name for all layers, one per layer, or one per neuron', () => {
    const n = [2, 3, 2, 1];
    expect(columnsFrom(n, 'tanh').map((c) => c.describe())).toEqual(['tanh', 'tanh', 'tanh']);
    expect(columnsFrom(n, ['tanh', 'relu', 'identity']).map((c) => c.describe())).toEqual(['tanh', 'relu', 'identity']);
    expect(columnsFrom(n, [['tanh', 'relu', 'sin'], 'sigmoid', ['identity']]).map((c) => c.describe())).toEqual([
      ['tanh', 'relu', 'sin'],
      'sigmoid',
      'identity',
    ]);
    // regression: k = 1 with one spec per layer (['tanh']) was read as a per-neuron list and refused for n_1 > 1
    expect(columnsFrom([3, 4], ['tanh']).map((c) => c.describe())).toEqual(['tanh']);
    expect(columnsFrom([3, 1], ['tanh']).map((c) => c.describe())).toEqual(['tanh']);
    expect(columnsFrom([3, 2], ['tanh', 'relu']).map((c) => c.describe())).toEqual([['tanh', 'relu']]);
    expect(
      createNetwork({ widths: [3, 4], activation: ['sin'] })
        .sigma.get(1)
        .describe(),
    ).toBe('sin');
    expect(thrown(() => columnsFrom(n, [['tanh', 'relu'], 'sigmoid', 'identity']))).toMatchInlineSnapshot(
      `"OptionError: Σ_1: 2 activations given for n_1 = 3 neurons; give one, or one per neuron"`,
    );
  });
});

describe('createNetwork', () => {
  const opts = { widths: [3, 5, 4, 1], activation: 'tanh' } as const;
  const weights = (seed: number) => {
    const net = createNetwork({ ...opts, seed });
    return net.W.indices().map((i) => rowsOf(net.W.get(i)));
  };

  it('is deterministic per seed and differs across seeds', () => {
    expect(weights(7)).toEqual(weights(7));
    expect(weights(7)).not.toEqual(weights(8));
    expect(weights(1)).toEqual(rowsOfDefault());
  });

  it('shapes follow n_i × n_{i−1}, glorot weights lie in ±√(6/(n_{i−1}+n_i))', () => {
    const net = createNetwork({ ...opts, seed: 3 });
    const n = opts.widths;
    for (let i = 1; i <= 3; i++) {
      const Wi = net.W.get(i);
      expect([Wi.rows, Wi.cols]).toEqual([n[i], n[i - 1]]);
      const a = Math.sqrt(6 / (n[i - 1]! + n[i]!));
      for (const w of Wi.data) expect(Math.abs(w)).toBeLessThan(a);
    }
  });

  function rowsOfDefault() {
    const net = createNetwork(opts); // default seed 1
    return net.W.indices().map((i) => rowsOf(net.W.get(i)));
  }
});

describe('seedMatrix', () => {
  const net2 = createNetwork({ widths: [2, 3, 2], activation: 'tanh', seed: 1 });
  const net1 = createNetwork({ widths: [2, 3, 1], activation: 'tanh', seed: 1 });

  it('errors when n_k > 1 and no v is given', () => {
    expect(thrown(() => seedMatrix(net2, 4))).toMatchInlineSnapshot(
      `"ShapeError: Δ_3: n_k = 2 > 1, so a vector v of 2 numbers must take the place of Δ_3 = 1 (it gives ∇_W (v·f))"`,
    );
    expect(() => seedMatrix(net2, 4)).toThrow(ShapeError);
  });

  it('regression: non-finite numbers are named as such in messages (were rendered "null" by JSON.stringify)', () => {
    expect(thrown(() => seedMatrix(net2, 3, [Infinity, 1]))).toMatchInlineSnapshot(
      `"ShapeError: Δ_3: v[0] = Infinity is not a finite number"`,
    );
    expect(thrown(() => fromRows([[1, Number.NaN]], 'X'))).toMatchInlineSnapshot(
      `"DataError: X[0][1]: expected a finite number, found NaN"`,
    );
    expect(thrown(() => fromColumns([[1, -Infinity]], 'X'))).toMatchInlineSnapshot(
      `"DataError: X: sample 0, entry 1: expected a finite number, found -Infinity"`,
    );
    expect(thrown(() => createNetwork({ widths: [2, Number.NaN, 1], activation: 'tanh' }))).toMatchInlineSnapshot(
      `"ShapeError: widths: n_1 = NaN; expected a whole number from 1 to 1000000"`,
    );
  });

  it('is ones for n_k = 1; repeats v for every sample; checks the length and finiteness of v', () => {
    expect(rowsOf(seedMatrix(net1, 3))).toEqual([[1, 1, 1]]);
    expect(rowsOf(seedMatrix(net2, 3, [0.5, -2]))).toEqual([
      [0.5, 0.5, 0.5],
      [-2, -2, -2],
    ]);
    expect(
      rowsOf(
        seedMatrix(
          net2,
          2,
          matrixOf([
            [1, 2],
            [3, 4],
          ]),
        ),
      ),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(thrown(() => seedMatrix(net2, 3, [1, 2, 3]))).toMatchInlineSnapshot(
      `"ShapeError: Δ_3: v has 3 numbers, expected n_k = 2"`,
    );
    expect(thrown(() => seedMatrix(net2, 3, [1, Number.NaN]))).toMatchInlineSnapshot(
      `"ShapeError: Δ_3: v[1] = NaN is not a finite number"`,
    );
    expect(
      thrown(() =>
        seedMatrix(
          net2,
          3,
          matrixOf([
            [1, 2],
            [3, 4],
          ]),
        ),
      ),
    ).toMatchInlineSnapshot(`"ShapeError: Δ_3: v is 2×2, expected 2×1 or 2×3 (n_k × B)"`);
  });
});
