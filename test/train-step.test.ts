// One training step against independent references: the finite-difference gradient of a loss written in this
// test (not nabla's), and PyTorch's documented update rules written out here.

import {
  createAffineNetwork,
  createNetwork,
  evaluate,
  fromColumns,
  Matrix,
  type Network,
  toHomogeneous,
} from 'nabla/paper';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../packages/nabla/src/data/dataset.js';
import { fit } from '../packages/nabla/src/train/fit.js';
import { losses } from '../packages/nabla/src/train/loss.js';
import { expectClose } from './helpers/close.js';

/** The losses written independently (plain arrays, float64). out: rows n_k of B values. */
function lossRef(name: string, out: number[][], Y: number[][]): number {
  const B = out[0]!.length;
  const nk = out.length;
  let s = 0;
  if (name === 'mse') {
    for (let r = 0; r < nk; r++) for (let b = 0; b < B; b++) s += (out[r]![b]! - Y[r]![b]!) ** 2;
    return s / (nk * B);
  }
  if (name === 'softmax-ce') {
    for (let b = 0; b < B; b++) {
      const z = out.map((row) => row[b]!);
      const lse = Math.log(z.reduce((a, v) => a + Math.exp(v), 0));
      const y = Y.findIndex((row) => row[b] === 1);
      s += lse - z[y]!;
    }
    return s / B;
  }
  // bce on logits: −[y log p + (1 − y) log(1 − p)], p = 1/(1+e^{−z})
  for (let r = 0; r < nk; r++)
    for (let b = 0; b < B; b++) {
      const p = 1 / (1 + Math.exp(-out[r]![b]!));
      const y = Y[r]![b]!;
      s += -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
    }
  return s / (nk * B);
}

function datasetOf(X: number[][], labels: number[] | undefined, targets: number[][] | undefined): Dataset {
  const count = X.length;
  const inputs = X[0]!.length;
  const ds: Dataset = {
    name: 'test',
    x: Float64Array.from(X.flat()),
    inputs,
    count,
    task: labels ? 'classification' : 'regression',
    outputs: labels ? Math.max(...labels) + 1 : targets![0]!.length,
  };
  if (labels) {
    ds.labels = Int32Array.from(labels);
    ds.classes = Array.from({ length: ds.outputs }, (_, j) => j);
  } else ds.targets = Float64Array.from(targets!.flat());
  return ds;
}

/** L(W) for the whole batch, computed by evaluating the network and the reference loss (finite differences use it). */
function lossOfNet(net: Network, name: string, X: number[][], Y: number[][]): number {
  const Xm = fromColumns(X);
  const f = evaluate(net, Xm);
  // logits: the last activation is identity, so f = N_k
  return lossRef(name, f.toRows(), Y);
}

function fdGradient(net: Network, name: string, X: number[][], Y: number[][]): Matrix[] {
  return net.W.indices().map((i) => {
    const W = net.W.get(i);
    const G = new Matrix(W.rows, W.cols);
    for (let e = 0; e < W.data.length; e++) {
      const w = W.data[e]!;
      const h = 1e-4 * Math.max(1, Math.abs(w));
      const at = (x: number) => {
        W.data[e] = x;
        return lossOfNet(net, name, X, Y);
      };
      const g = (8 * (at(w + h) - at(w - h)) - (at(w + 2 * h) - at(w - 2 * h))) / (12 * h); // five-point central stencil
      W.data[e] = w;
      G.data[e] = g;
    }
    return G;
  });
}

const X = [
  [0.3, -0.7, 1.1],
  [-1.2, 0.4, 0.25],
  [0.9, 0.8, -0.6],
  [0.05, -0.3, 0.7],
];

describe('one SGD step in float64 equals W − η·(finite-difference ∇L), to 1e-10', () => {
  for (const [name, nk, act] of [
    ['mse', 2, 'tanh'],
    ['softmax-ce', 3, 'identity'],
    ['bce', 1, 'identity'],
  ] as const) {
    it(name, () => {
      const net = createNetwork({ widths: [3, 5, 4, nk], activation: ['tanh', 'sigmoid', act], seed: 11 });
      const labels = name === 'softmax-ce' ? [0, 2, 1, 2] : name === 'bce' ? [1, 0, 0, 1] : undefined;
      const targets =
        name === 'mse'
          ? [
              [0.5, -1],
              [0.2, 0.1],
              [-0.3, 0.8],
              [1, 0],
            ]
          : undefined;
      const ds = datasetOf(X, name === 'mse' ? undefined : labels, targets);
      // Y as n_k × B for the reference loss
      const Y = Array.from({ length: nk }, (_, r) =>
        X.map((_, b) => (name === 'mse' ? targets![b]![r]! : name === 'bce' ? labels![b]! : labels![b] === r ? 1 : 0)),
      );
      const lr = 0.37;
      const expected = fdGradient(net.clone(), name, X, Y).map((G, j) => {
        const W = net.W.get(j + 1).clone();
        for (let e = 0; e < W.data.length; e++) W.data[e]! -= lr * G.data[e]!;
        return W;
      });
      const r = fit(net, ds, {
        loss: name,
        optimizer: 'sgd',
        learningRate: lr,
        batchSize: 4,
        epochs: 1,
        shuffle: false,
        dtype: 'float64',
      });
      expect(r.stopReason).toBe('completed');
      r.network.W.indices().forEach((i) =>
        expectClose(r.network.W.get(i), expected[i - 1]!, { rtol: 1e-10, atol: 1e-10, label: `W_${i} after one step` }),
      ); // f64 FD ≈1e-12
      // and the loss the step reported is the reference loss at the starting weights
      expect(Math.abs(r.history[0]!.loss - lossOfNet(net, name, X, Y))).toBeLessThan(1e-12);
    });
  }
});

describe('loss values against the definitions written here', () => {
  it('mse, softmax-ce and bce on hand-sized numbers, stable for large logits', () => {
    const out = [
      [2, -1],
      [0.5, 3],
      [-2, 0],
    ];
    const Y = [
      [1, 0],
      [0, 1],
      [0, 0],
    ];
    const m = (rows: number[][]) => fromColumns(rows[0]!.map((_, b) => rows.map((r) => r[b]!)));
    expect(Math.abs(losses.mse.value(m(out), m(Y)) - lossRef('mse', out, Y))).toBeLessThan(1e-14);
    expect(Math.abs(losses['softmax-ce'].value(m(out), m(Y)) - lossRef('softmax-ce', out, Y))).toBeLessThan(1e-14);
    expect(Math.abs(losses.bce.value(m([[2, -1]]), m([[1, 0]])) - lossRef('bce', [[2, -1]], [[1, 0]]))).toBeLessThan(
      1e-14,
    );
    // −log softmax for logits [1000, 0] with y = 0 is ≈ e^{−1000} ≈ 0 (the naive formula gives NaN)
    expect(losses['softmax-ce'].value(m([[1000], [0]]), m([[1], [0]]))).toBe(0);
    // bce with z = −800, y = 1 is 800 (the naive formula gives Infinity)
    expect(losses.bce.value(m([[-800]]), m([[1]]))).toBe(800);
  });
});

describe("optimizers follow PyTorch's update rules (written out here for one weight)", () => {
  // One weight w, a quadratic loss whose gradient is g(w) = 2(w − 3): run 3 steps by hand and by nabla.
  function runNabla(
    optimizer: 'sgd' | 'adam' | 'adamw',
    options: Record<string, number | boolean>,
    lr: number,
    steps: number,
  ): number {
    // network 1-1 identity, data x = 1, target 3 → f = w, mse = (w − 3)², ∇ = 2(w − 3)
    const net = createNetwork({ widths: [1, 1], activation: 'identity', seed: 1 });
    net.W.get(1).data[0] = 0.5;
    const ds = datasetOf([[1]], undefined, [[3]]);
    const r = fit(net, ds, {
      loss: 'mse',
      optimizer,
      optimizerOptions: options,
      learningRate: lr,
      batchSize: 1,
      epochs: steps,
      shuffle: false,
      dtype: 'float64',
    });
    return r.network.W.get(1).data[0]!;
  }
  const g = (w: number) => 2 * (w - 3);

  it('sgd with momentum, dampening and weight decay; Nesterov', () => {
    for (const nesterov of [false, true]) {
      const mu = 0.9,
        lam = 0.1,
        lr = 0.05;
      let w = 0.5,
        b = 0;
      for (let t = 1; t <= 3; t++) {
        const gt = g(w) + lam * w;
        b = t === 1 ? gt : mu * b + gt;
        w -= lr * (nesterov ? gt + mu * b : b);
      }
      expect(Math.abs(runNabla('sgd', { momentum: mu, weightDecay: lam, nesterov }, lr, 3) - w)).toBeLessThan(1e-14);
    }
  });

  it('adam (L2) and adamw (decoupled)', () => {
    for (const name of ['adam', 'adamw'] as const) {
      const b1 = 0.9,
        b2 = 0.999,
        eps = 1e-8,
        lam = 0.05,
        lr = 0.1;
      let w = 0.5,
        m = 0,
        v = 0;
      for (let t = 1; t <= 3; t++) {
        let gt = g(w);
        if (name === 'adam') gt += lam * w;
        else w = w * (1 - lr * lam);
        m = b1 * m + (1 - b1) * gt;
        v = b2 * v + (1 - b2) * gt * gt;
        const mh = m / (1 - b1 ** t);
        const vh = v / (1 - b2 ** t);
        w -= (lr * mh) / (Math.sqrt(vh) + eps);
      }
      expect(Math.abs(runNabla(name, { weightDecay: lam }, lr, 3) - w)).toBeLessThan(1e-12);
    }
  });
});

describe('L1 and L2 penalties: one SGD step in float64 equals W − η·(finite-difference ∇ of L + penalty)', () => {
  // the penalties written here: L1 = rate·Σ|w|, L2 = rate·½Σw² over every weight of a homogeneous network
  const penalty = (net: Network, kind: 'l1' | 'l2', rate: number) =>
    net.W.indices().reduce(
      (s, i) =>
        s +
        Array.from(net.W.get(i).data).reduce(
          (a, w) => a + (kind === 'l1' ? rate * Math.abs(w) : 0.5 * rate * w * w),
          0,
        ),
      0,
    );
  for (const kind of ['l1', 'l2'] as const) {
    it(kind, () => {
      const net = createNetwork({ widths: [3, 4, 2], activation: ['tanh', 'tanh'], seed: 5 });
      const targets = [
        [0.5, -1],
        [0.2, 0.1],
        [-0.3, 0.8],
        [1, 0],
      ];
      const ds = datasetOf(X, undefined, targets);
      const Y = [0, 1].map((r) => targets.map((t) => t[r]!));
      const rate = 0.3;
      const lr = 0.2;
      const work = net.clone();
      // finite differences of the whole objective (the |w| kink is far away: no weight is within h of 0)
      const expected = work.W.indices().map((i) => {
        const W = work.W.get(i);
        const out = W.clone();
        for (let e = 0; e < W.data.length; e++) {
          const w = W.data[e]!;
          const h = 1e-5;
          const at = (x: number) => {
            W.data[e] = x;
            return lossOfNet(work, 'mse', X, Y) + penalty(work, kind, rate);
          };
          const g = (8 * (at(w + h) - at(w - h)) - (at(w + 2 * h) - at(w - 2 * h))) / (12 * h);
          W.data[e] = w;
          out.data[e] = w - lr * g;
        }
        return out;
      });
      const r = fit(net, ds, {
        loss: 'mse',
        optimizer: 'sgd',
        learningRate: lr,
        batchSize: 4,
        epochs: 1,
        shuffle: false,
        dtype: 'float64',
        regularization: { kind, rate },
      });
      r.network.W.indices().forEach((i) =>
        expectClose(r.network.W.get(i), expected[i - 1]!, {
          rtol: 1e-9,
          atol: 1e-9,
          label: `W_${i} after one ${kind} step`,
        }),
      );
      // the reported loss is the data loss alone
      expect(Math.abs(r.history[0]!.loss - lossOfNet(net, 'mse', X, Y))).toBeLessThan(1e-12);
    });
  }

  it('leaves the biases of an affine network (the last column of W_i, §3) unpenalised', () => {
    const affine = createAffineNetwork({ widths: [2, 3, 1], activation: ['tanh', 'identity'], seed: 2 });
    const net = toHomogeneous(affine);
    const ds = datasetOf(
      [
        [0.3, -0.7],
        [1.1, 0.2],
      ],
      undefined,
      [[0.5], [-0.25]],
    );
    const opts = {
      loss: 'mse' as const,
      optimizer: 'sgd' as const,
      learningRate: 0.1,
      batchSize: 2,
      epochs: 1,
      shuffle: false,
      dtype: 'float64' as const,
      affine: true,
    };
    const plain = fit(net, ds, opts).network;
    const l2 = fit(net, ds, { ...opts, regularization: { kind: 'l2', rate: 0.5 } }).network;
    for (const i of net.W.indices()) {
      const W0 = net.W.get(i),
        A = plain.W.get(i),
        B = l2.W.get(i);
      for (let r = 0; r < W0.rows; r++)
        for (let c = 0; c < W0.cols; c++) {
          // SGD is linear in the gradient: the penalty moves a weight by −η·rate·w, a bias not at all
          const shift = c === W0.cols - 1 ? 0 : -0.1 * 0.5 * W0.get(r, c);
          const formal = i < net.k && r === W0.rows - 1;
          expect(Math.abs(B.get(r, c) - (A.get(r, c) + (formal ? 0 : shift))), `W_${i}[${r}][${c}]`).toBeLessThan(
            1e-15,
          );
        }
    }
  });

  it('rejects a bad rate or kind with one clear message', () => {
    const ds = datasetOf([[0.3, -0.7, 1]], undefined, [[0.5]]);
    const net = createNetwork({ widths: [3, 1], activation: 'identity', seed: 1 });
    expect(() => fit(net, ds, { loss: 'mse', regularization: { kind: 'l2', rate: -1 } })).toThrow(
      'regularization rate -1; expected a finite number ≥ 0',
    );
    expect(() => fit(net, ds, { loss: 'mse', regularization: { kind: 'l3' as 'l2', rate: 1 } })).toThrow(
      'regularization kind "l3"; expected one of: l1, l2',
    );
  });
});
