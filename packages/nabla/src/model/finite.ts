/**
 * Non-finite results are refused, never returned: a prediction whose network input or product N_i holds NaN or
 * ±Infinity (a float32 product that overflowed, a stored standard deviation of 1e-300) is a `NonFiniteError` naming
 * what overflowed and where: the layer i, the neuron and the sample. Checked on each chunk of a forward pass
 * (model/resident.ts), in the order the pass computed them, so the first bad value is the one named.
 */
import { NonFiniteError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Trace } from '../net/forward.js';

function firstNonFinite(data: ArrayLike<number>, length: number): number {
  for (let j = 0; j < length; j++) if (!Number.isFinite(data[j]!)) return j;
  return -1;
}

/**
 * Throws a `NonFiniteError` for the first non-finite input or N_i of a chunk: `Xt` holds the chunk's inputs one row
 * per sample (b × n_0), `start` is the index of its first sample; `dtype` names the precision in the message.
 */
export function checkFiniteChunk(Xt: Matrix, t: Trace, start: number, dtype: string, what = 'predict'): void {
  const b = Xt.rows;
  const n0 = Xt.cols;
  const x = firstNonFinite(Xt.data, b * n0);
  if (x >= 0) {
    const s = Math.floor(x / n0);
    throw new NonFiniteError(
      `${what}: sample ${start + s}, input ${(x % n0) + 1} is ${Xt.data[x]} after the model's input scaling; ` +
        `the input or the scaling (a standard deviation near 0, such as 1e-300) is beyond the ${dtype} range`,
      { sample: start + s, input: (x % n0) + 1 },
    );
  }
  for (const i of t.N.indices()) {
    const N = t.N.get(i);
    const j = firstNonFinite(N.data, N.rows * N.cols);
    if (j >= 0) {
      const neuron = Math.floor(j / N.cols) + 1;
      const s = j % N.cols;
      throw new NonFiniteError(
        `${what}: N_${i} (layer ${i}, neuron ${neuron}) of sample ${start + s} is ${N.data[j]}: the product W_${i}·Σ_${i - 1} ` +
          `overflowed the ${dtype} range; the inputs or the weights of layer ${i} are too large for this model`,
        { layer: i, neuron, sample: start + s },
      );
    }
  }
}

/**
 * For a loss that came out NaN or ±Infinity: runs `outputs` (a checked forward pass, which throws naming the layer
 * and sample that overflowed); when the outputs are finite, the loss itself overflowed.
 */
export function nonFiniteLoss(loss: number, outputs: () => unknown): never {
  try {
    outputs();
  } catch (e) {
    // the checked pass names itself predict; here it ran for evaluate
    if (e instanceof NonFiniteError && e.message.startsWith('predict: '))
      throw new NonFiniteError(`evaluate: ${e.message.slice(9)}`, e.details);
    throw e;
  }
  throw new NonFiniteError(
    `evaluate: the loss is ${loss} although every output is finite; the targets or outputs are too large for the loss`,
  );
}
