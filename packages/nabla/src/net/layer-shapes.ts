/**
 * The shape check every network type runs on construction (homogeneous, affine §3, exact): k weight matrices
 * and k activation columns for widths w_0 … w_k, W_i of w_i × w_{i−1} (one more column, the bias, in the affine
 * form), Σ_i of w_i activations. The first misfit is named.
 */
import { LimitError, listExcerpt, ShapeError } from '../errors.js';
import { limits } from '../limits.js';

/** Largest width nabla accepts (`limits.width`; model files beyond this are refused as absurd). */
export const MAX_WIDTH = limits.width;
/** Largest number of weights Σ n_i·n_{i−1} a network may have (`limits.parameters`). */
export const MAX_PARAMETERS = limits.parameters;
/** Largest number of layers k (`limits.layers`). */
export const MAX_LAYERS = limits.layers;

/**
 * Throws a `ShapeError` unless `n` is a list of at least two whole widths from 1 to `MAX_WIDTH`, and a `LimitError`
 * when it has more than `MAX_LAYERS` layers or more than `MAX_PARAMETERS` weights.
 */
export function checkWidths(n: readonly number[]): void {
  if (!Array.isArray(n) || n.length < 2) {
    throw new ShapeError(
      `widths: expected at least two widths n_0, n_1 (k ≥ 1), found ${Array.isArray(n) ? listExcerpt(n) : typeof n}`,
    );
  }
  if (n.length - 1 > MAX_LAYERS) {
    throw new LimitError(
      `widths: ${(n.length - 1).toLocaleString('en-US')} layers; at most ${MAX_LAYERS.toLocaleString('en-US')} are supported (limits.layers)`,
    );
  }
  n.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1 || w > MAX_WIDTH) {
      throw new ShapeError(
        `widths: n_${i} = ${typeof w === 'number' ? String(w) : JSON.stringify(w)}; expected a whole number from 1 to ${MAX_WIDTH}`,
      );
    }
  });
  let p = 0;
  for (let i = 1; i < n.length; i++) p += n[i]! * n[i - 1]!;
  if (p > MAX_PARAMETERS) {
    throw new LimitError(
      `widths ${listExcerpt(n)} give ${p.toLocaleString('en-US')} weights; at most ${MAX_PARAMETERS.toLocaleString('en-US')} are supported (limits.parameters)`,
    );
  }
}

/** A matrix as the check sees it. */
interface Shaped {
  readonly rows: number;
  readonly cols: number;
  readonly shape: string;
}

/**
 * Checks widths `w`, the matrices `W` and the activation counts of the columns (`neurons[j]` for Σ_{j+1});
 * `owner` starts the messages. With `affine`, `w` are the genuine widths m_i and W_i = [A_i | b_i].
 */
export function checkLayerShapes(
  owner: string,
  w: readonly number[],
  W: readonly Shaped[],
  neurons: readonly number[],
  affine = false,
): void {
  checkWidths(w);
  const k = w.length - 1;
  const widths = listExcerpt(w);
  if (W.length !== k)
    throw new ShapeError(`${owner}: widths ${widths} need k = ${k} weight matrices, found ${W.length}`);
  if (neurons.length !== k)
    throw new ShapeError(`${owner}: widths ${widths} need k = ${k} activation columns, found ${neurons.length}`);
  W.forEach((Wi, j) => {
    const i = j + 1;
    const cols = w[i - 1]! + (affine ? 1 : 0);
    if (Wi.rows === w[i] && Wi.cols === cols) return;
    throw new ShapeError(
      affine
        ? `${owner}: [A_${i} | b_${i}] is ${Wi.shape}, expected m_${i} × (m_${i - 1} + 1) = ${w[i]}×${cols}`
        : `${owner}: W_${i} is ${Wi.shape}, expected n_${i} × n_${i - 1} = ${w[i]}×${cols} (widths ${widths})`,
    );
  });
  const sym = affine ? 'm' : 'n';
  neurons.forEach((c, j) => {
    if (c !== w[j + 1])
      throw new ShapeError(`${owner}: Σ_${j + 1} has ${c} activations, expected ${sym}_${j + 1} = ${w[j + 1]}`);
  });
}
