/**
 * Divergence: the first quantity of a training step that became NaN or infinite, found in the order the step
 * computes them (X, then N_i and Σ_i for i = 1 … k, the loss, Δ_k … Δ_1, ∇_{W_i} L, and the updated W_i), and a
 * likely cause.
 */
import { NablaError } from '../errors.js';
import { firstNonFinite, type Matrix } from '../linalg/matrix.js';
import type { Trace } from '../net/forward.js';
import type { Layers } from '../net/layers.js';

/** Where training diverged: the epoch, the batch and the first quantity of that step that was NaN or ±∞, with its value and entry. */
export interface DivergenceDetails {
  /** The epoch, counted from 1. */
  epoch: number;
  /** The batch within the epoch, counted from 1 (0 when the whole epoch's loss is the sign). */
  batch: number;
  /** The paper's symbol of the first bad quantity, e.g. "Δ_2" or "loss". */
  quantity: string;
  /** The offending value: NaN, Infinity or -Infinity, or a finite loss that exploded. */
  value: number;
  /** 0-based row of the first non-finite entry, when the quantity is a matrix. */
  row?: number;
  /** 0-based column (sample within the batch) of the first non-finite entry, when the quantity is a matrix. */
  col?: number;
  /** The learning rate of the step that diverged. */
  learningRate: number;
  /** The epoch whose weights were kept (0: the starting weights), set by the training loop. */
  keptEpoch?: number;
}

/** Thrown when a training step produces a NaN or an infinity (code `'diverged'`); the message names the quantity and a likely cause. */
export class DivergenceError extends NablaError {
  /** Where the step diverged: epoch, batch, quantity, value, entry and learning rate. */
  override readonly details: Readonly<DivergenceDetails>;
  constructor(message: string, details: DivergenceDetails) {
    super('diverged', message, { ...details });
    this.details = details;
  }
}

/** How many times its first value a finite loss may reach before the run counts as diverging (see `exploded`). */
export const EXPLOSION_FACTOR = 1e4;

/** A run whose epoch loss has grown this many epochs in a row … */
export const GROWTH_EPOCHS = 4;
/** … to more than this many times its lowest epoch loss counts as diverging (see `grew`). */
export const GROWTH_FACTOR = 2;

/** The error for an epoch loss that has grown for `GROWTH_EPOCHS` epochs in a row to more than `GROWTH_FACTOR`× its lowest value. */
export function grew(
  loss: number,
  lowest: number,
  lowestEpoch: number,
  epoch: number,
  learningRate: number,
): DivergenceError {
  return new DivergenceError(
    `training diverged at epoch ${epoch}: the loss has grown for ${GROWTH_EPOCHS} epochs in a ` +
      `row, to ${loss.toPrecision(3)}, more than ${GROWTH_FACTOR}× its lowest value ` +
      `${lowest.toPrecision(3)} (epoch ${lowestEpoch}); ` +
      `the learning rate ${learningRate} is probably too high (try ${learningRate / 10}), or clip the gradient norm (clipNorm: 1).`,
    { epoch, batch: 0, quantity: 'loss', value: loss, learningRate },
  );
}

/**
 * The error for a loss that is still finite but has exploded: more than `EXPLOSION_FACTOR` times the run's first
 * batch loss (or than `EXPLOSION_FACTOR` itself when the first loss is below 1) (as a learning rate far too high
 * does with Adam, whose steps stay bounded while the loss runs away).
 */
export function exploded(
  loss: number,
  first: number,
  epoch: number,
  batch: number,
  learningRate: number,
): DivergenceError {
  return new DivergenceError(
    `training diverged at epoch ${epoch}, batch ${batch}: the loss is ${loss.toPrecision(3)}, ` +
      `more than ${EXPLOSION_FACTOR}× its first value ${first.toPrecision(3)}; ` +
      `the learning rate ${learningRate} is probably too high (try ${learningRate / 10}), or clip the gradient norm (clipNorm: 1).`,
    { epoch, batch, quantity: 'loss', value: loss, learningRate },
  );
}

export interface StepQuantities {
  trace: Trace;
  loss: number;
  D: Layers<Matrix>;
  gradW: Layers<Matrix>;
  W: Layers<Matrix>;
  k: number;
}

/** Finds the first non-finite quantity of a step and builds the error (epoch and batch count from 1). */
export function diagnose(
  q: StepQuantities,
  epoch: number,
  batch: number,
  learningRate: number,
  stage: 'forward' | 'backward' | 'update',
): DivergenceError {
  const checks: [string, Matrix | number][] = [['X', q.trace.S.get(0)]];
  for (let i = 1; i <= q.k; i++) checks.push([`N_${i}`, q.trace.N.get(i)], [`Σ_${i}`, q.trace.S.get(i)]);
  checks.push(['loss', q.loss]);
  if (stage !== 'forward') {
    for (let i = q.k; i >= 1; i--) checks.push([`Δ_${i}`, q.D.get(i)]);
    for (let i = q.k; i >= 1; i--) checks.push([`∇_{W_${i}} L`, q.gradW.get(i)]);
  }
  if (stage === 'update') for (let i = 1; i <= q.k; i++) checks.push([`W_${i}`, q.W.get(i)]);
  for (const [name, v] of checks) {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return build(name, v, undefined);
      continue;
    }
    const bad = firstNonFinite(v);
    // X held as Xᵀ (one row per sample): its row is the sample, its column the input, so the position is swapped back
    if (bad && name === 'X' && q.trace.inputRows) return build(name, bad.value, { row: bad.col, col: bad.row });
    if (bad) return build(name, bad.value, bad);
  }
  return build('loss', q.loss, undefined);

  function build(quantity: string, value: number, at: { row: number; col: number } | undefined): DivergenceError {
    const where = at ? ` (first at row ${at.row + 1}, column ${at.col + 1})` : '';
    const what = Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    const cause =
      quantity === 'X'
        ? 'the input data contain non-finite values'
        : `the learning rate ${learningRate} is probably too high (try ${learningRate / 10}), or clip the gradient norm (clipNorm: 1)`;
    const msg = `training diverged at epoch ${epoch}, batch ${batch}: ${quantity === 'loss' ? 'the loss' : quantity} is ${what}${where}; ${cause}.`;
    const details: DivergenceDetails = { epoch, batch, quantity, value, learningRate };
    if (at) {
      details.row = at.row;
      details.col = at.col;
    }
    return new DivergenceError(msg, details);
  }
}
