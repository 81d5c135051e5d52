// A run that diverges stops with a diagnosis for every optimizer, also when the loss explodes while staying finite
// (Adam's bounded steps with a learning rate far too high), and hands back the last good weights: finite, with a
// loss that has not exploded.
import { describe, expect, it } from 'vitest';
import { createNetwork } from 'nabla';
import { evaluateDataset, fit, getLoss, makeSynthetic, type OptimizerName } from 'nabla/train';
import { firstNonFinite } from 'nabla/paper';

const ds = makeSynthetic('gaussians', { count: 200, seed: 1 });

describe('divergence is caught for every optimizer', () => {
  it.each<[OptimizerName, number]>([
    ['sgd', 1e8],
    ['adam', 1e6],
    ['adamw', 1e6],
  ])('%s with learning rate %d', (optimizer, learningRate) => {
    const net = createNetwork({ widths: [2, 16, 2], activation: ['relu', 'identity'], seed: 1, dtype: 'float32' });
    const first = evaluateDataset(net.as('float32'), ds, getLoss('softmax-ce')).loss;
    const r = fit(net, ds, { loss: 'softmax-ce', optimizer, learningRate, epochs: 5, batchSize: 16 });
    expect(r.stopReason).toBe('diverged');
    expect(r.divergence!.message).toMatch(/^training diverged at epoch \d+, batch \d+: .*the learning rate .* is probably too high/);
    for (const i of r.network.W.indices()) expect(firstNonFinite(r.network.W.get(i))).toBeUndefined();
    const after = evaluateDataset(r.network, ds, getLoss('softmax-ce')).loss;
    expect(Number.isFinite(after)).toBe(true);
    expect(after).toBeLessThan(1e4 * Math.max(first, 1));
  });
});
