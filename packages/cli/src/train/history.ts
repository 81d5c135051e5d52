/** The run's records in the model file: epoch history, and optimizer state in the shape of the file's W_i. */
import type { Network } from 'nabla/paper';
import { genuineWidths, withFormalRows, withoutFormalRows } from 'nabla/paper';
import type { EpochRecord, OptimizerState as TrainingOptimizerState } from 'nabla/train';

/**
 * An affine model file stores W̃_i = [A_i | b_i] without the formal neuron's row [0, …, 0, 1] (paper §3), so the
 * optimizer's per-weight state is stored the same way: the formal rows (always zero there) are dropped on saving
 * and restored on resuming (net/affine.ts).
 */
export function dropFormalRows(s: TrainingOptimizerState): TrainingOptimizerState {
  return { ...s, state: Object.fromEntries(Object.entries(s.state).map(([name, layers]) => [name, withoutFormalRows(layers)])) };
}

export function addFormalRows(s: TrainingOptimizerState, net: Network): TrainingOptimizerState {
  return { ...s, state: Object.fromEntries(Object.entries(s.state).map(([name, layers]) => [name, withFormalRows(layers, net.n)])) };
}

export function describeWidths(net: Network, affine: boolean): string {
  if (!affine) return `n = [${net.n.join(', ')}]`;
  const m = genuineWidths(net.n);
  return `${m.join('-')} (homogeneous n = [${net.n.join(', ')}], paper §3)`;
}

export function historyOf(h: Record<string, number>[] | undefined): EpochRecord[] {
  return (h ?? []).map((r) => ({ epoch: r['epoch'] ?? 0, loss: r['loss'] ?? NaN, learningRate: r['learningRate'] ?? NaN, seconds: 0, samplesPerSecond: 0, ...(r['accuracy'] !== undefined ? { accuracy: r['accuracy'] } : {}), ...(r['valLoss'] !== undefined ? { valLoss: r['valLoss'] } : {}), ...(r['valAccuracy'] !== undefined ? { valAccuracy: r['valAccuracy'] } : {}) }));
}

/** What the model file keeps of an epoch: no timings, so the same command writes the same bytes. */
export function recordForFile(h: EpochRecord): Record<string, number> {
  const r: Record<string, number> = { epoch: h.epoch, loss: h.loss, learningRate: h.learningRate };
  if (h.accuracy !== undefined) r['accuracy'] = h.accuracy;
  if (h.valLoss !== undefined) r['valLoss'] = h.valLoss;
  if (h.valAccuracy !== undefined) r['valAccuracy'] = h.valAccuracy;
  return r;
}
