import { createAffineNetwork, createNetwork, fromHomogeneous, toHomogeneous } from 'nabla/paper';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../packages/nabla/src/data/dataset.js';
import { makeSynthetic } from '../packages/nabla/src/data/synthetic.js';
import { OptionError } from '../packages/nabla/src/errors.js';
import { firstNonFinite } from '../packages/nabla/src/linalg/matrix.js';
import { DivergenceError } from '../packages/nabla/src/train/divergence.js';
import { fit } from '../packages/nabla/src/train/fit.js';
import { getLoss } from '../packages/nabla/src/train/loss.js';
import { evaluateDataset } from '../packages/nabla/src/train/metrics.js';

const xor: Dataset = {
  name: 'xor4',
  x: Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]),
  inputs: 2,
  count: 4,
  task: 'classification',
  labels: Int32Array.from([0, 1, 1, 0]),
  classes: [0, 1],
  outputs: 2,
};

describe('fit', () => {
  it('a homogeneous 2-2-1 network with the bias trick of §3 learns XOR', () => {
    // affine 2-2-1 → homogeneous 3-3-1: constant-1 input, a formal neuron, biases in the last column of W_i
    const affine = createAffineNetwork({ widths: [2, 2, 1], activation: ['tanh', 'identity'], seed: 3 });
    const net = toHomogeneous(affine);
    expect(net.n).toEqual([3, 3, 1]);
    const r = fit(net, xor, {
      loss: 'bce',
      optimizer: 'adam',
      learningRate: 0.05,
      batchSize: 4,
      epochs: 600,
      affine: true,
      dtype: 'float64',
      seed: 1,
    });
    expect(r.stopReason).toBe('completed');
    const ev = evaluateDataset(r.network, xor, getLoss('bce'), { affine: true });
    expect(ev.accuracy).toBe(1);
    expect(ev.loss).toBeLessThan(0.05);
    // §3 (b) still holds after training: the formal neuron's row is [0, 0, 1], so the affine network can be read back
    expect(Array.from(r.network.W.get(1).data.slice(6))).toEqual([0, 0, 1]);
    expect(() => fromHomogeneous(r.network)).not.toThrow();
  });

  it('a small network separates the spiral set completely', () => {
    const spiral = makeSynthetic('spiral', { count: 300, noise: 0, seed: 2 });
    const net = toHomogeneous(
      createAffineNetwork({ widths: [2, 24, 24, 2], activation: ['tanh', 'tanh', 'identity'], seed: 5 }),
    );
    const r = fit(net, spiral, {
      loss: 'softmax-ce',
      optimizer: 'adam',
      learningRate: 0.01,
      batchSize: 32,
      epochs: 400,
      affine: true,
      seed: 1,
    });
    const ev = evaluateDataset(r.network, spiral, getLoss('softmax-ce'), { affine: true });
    expect(ev.accuracy).toBe(1);
  });

  it('the same seed gives the same weights; another seed gives others', () => {
    const data = makeSynthetic('moons', { count: 100, noise: 0.1, seed: 1 });
    const run = (seed: number) => {
      const net = createNetwork({ widths: [2, 8, 2], activation: ['relu', 'identity'], seed });
      return fit(net, data, { loss: 'softmax-ce', optimizer: 'sgd', learningRate: 0.1, batchSize: 16, epochs: 3, seed })
        .network;
    };
    const a = run(4);
    const b = run(4);
    const c = run(5);
    expect(Array.from(a.W.get(1).data)).toEqual(Array.from(b.W.get(1).data));
    expect(Array.from(a.W.get(1).data)).not.toEqual(Array.from(c.W.get(1).data));
  });

  it('keeps the last, smaller batch', () => {
    const data = makeSynthetic('xor', { count: 70, seed: 1 });
    const net = createNetwork({ widths: [2, 4, 2], activation: ['tanh', 'identity'], seed: 1 });
    const seen: number[] = [];
    fit(net, data, { loss: 'softmax-ce', batchSize: 32, epochs: 1, onBatchEnd: (b) => seen.push(b.samplesDone) });
    expect(seen).toEqual([32, 64, 70]);
  });

  it('stops on divergence with a diagnosis and keeps the last good weights', () => {
    const data = makeSynthetic('gaussians', { count: 64, seed: 1 });
    const net = createNetwork({ widths: [2, 16, 2], activation: ['relu', 'identity'], seed: 1 });
    for (let j = 0; j < data.x.length; j++) data.x[j]! *= 1e3;
    const r = fit(net, data, { loss: 'softmax-ce', optimizer: 'sgd', learningRate: 1e9, batchSize: 8, epochs: 5 });
    expect(r.stopReason).toBe('diverged');
    expect(r.divergence).toBeInstanceOf(DivergenceError);
    const d = r.divergence!;
    expect(d.message).toMatch(/^training diverged at epoch \d+, batch \d+: /);
    expect(d.message).toMatch(/learning rate 1000000000 is probably too high/);
    expect(d.details.quantity).toMatch(/^(N_\d|Σ_\d|loss|Δ_\d|∇_\{W_\d\} L|W_\d)$/);
    for (const i of r.network.W.indices()) expect(firstNonFinite(r.network.W.get(i))).toBeUndefined();
  });

  it('names Δ_i when the backward pass is the first to go bad', () => {
    // float32 overflow in the backward pass only: huge W_2 makes W_2ᵀ·Δ_2 overflow while forward values stay finite
    const net = createNetwork({ widths: [2, 3, 1], activation: ['tanh', 'identity'], seed: 1 });
    net.W.get(2).data.fill(1e30);
    net.W.get(1).data.fill(1e-30);
    const data: Dataset = {
      name: 'r',
      x: Float64Array.from([1, 1]),
      inputs: 2,
      count: 1,
      task: 'regression',
      targets: Float64Array.from([1e9]),
      outputs: 1,
    };
    const r = fit(net, data, { loss: 'mse', learningRate: 0.1, batchSize: 1, epochs: 1, dtype: 'float32' });
    expect(r.stopReason).toBe('diverged');
    expect(r.divergence!.details.quantity).toBe('Δ_1');
  });

  it('early stopping restores the best weights; a callback can stop training', () => {
    const data = makeSynthetic('circles', { count: 200, noise: 0.05, seed: 3 });
    const net = createNetwork({ widths: [2, 8, 2], activation: ['tanh', 'identity'], seed: 2 });
    const validation = makeSynthetic('circles', { count: 100, noise: 0.05, seed: 4 });
    // lr 5 with full batches oscillates, so the validation loss rises again and early stopping must fire
    const r = fit(net, data, {
      loss: 'softmax-ce',
      optimizer: 'sgd',
      learningRate: 5,
      batchSize: 200,
      epochs: 60,
      validation,
      earlyStopping: { patience: 3 },
    });
    expect(r.stopReason).toBe('early-stopping');
    expect(r.history.length).toBeLessThan(60);
    const best = Math.min(...r.history.map((h) => h.valLoss!));
    expect(r.history.find((h) => h.epoch === r.bestEpoch)!.valLoss).toBe(best);
    // the returned weights are the best epoch's: their validation loss is the best one (float32 evaluation)
    expect(evaluateDataset(r.network, validation, getLoss('softmax-ce')).loss).toBeCloseTo(best, 6);
    let epochs = 0;
    const s = fit(net, data, {
      loss: 'softmax-ce',
      epochs: 10,
      onEpochEnd: (e) => (++epochs === 2 ? e.stop() : undefined),
    });
    expect(s.stopReason).toBe('callback');
    expect(s.history).toHaveLength(2);
  });

  it('refuses a logit loss on a network whose last activation is not the identity', () => {
    const net = createNetwork({ widths: [2, 3, 2], activation: ['tanh', 'sigmoid'], seed: 1 });
    expect(() => fit(net, xor, { loss: 'softmax-ce' })).toThrow(
      new OptionError(
        "loss softmax-ce is computed from the logits N_2, so the last layer's activation must be identity; " +
          "Σ_2 has sigmoid (make the last layer's activation 'identity', or choose another loss)",
      ),
    );
  });
});
