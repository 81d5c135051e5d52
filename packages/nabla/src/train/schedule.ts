/**
 * Learning-rate schedules, stepped once per epoch as PyTorch's schedulers are (epoch e counts from 0):
 *   constant:  η_e = η₀
 *   step:      η_e = η₀ · γ^⌊e / stepSize⌋                              (torch.optim.lr_scheduler.StepLR)
 *   cosine:    η_e = η_min + (η₀ − η_min) · (1 + cos(π · e / T_max)) / 2  (CosineAnnealingLR, T_max = epochs)
 */
import { OptionError } from '../errors.js';

/**
 * A learning-rate schedule by name, stepped once per epoch: `'constant'`, `'step'` (StepLR: η₀ · γ^⌊e / stepSize⌋)
 * or `'cosine'` (CosineAnnealingLR from η₀ down to minLr).
 */
export type ScheduleName = 'constant' | 'step' | 'cosine';
/** The names of all schedules. */
export const scheduleNames: readonly ScheduleName[] = ['constant', 'step', 'cosine'];

/** A learning-rate schedule: its name and the parameters of that schedule. */
export interface ScheduleOptions {
  /** Which schedule. */
  name: ScheduleName;
  /** step: epochs between decays (default 1). */
  stepSize?: number;
  /** step: decay factor (default 0.1). */
  gamma?: number;
  /** cosine: period in epochs (default: the number of epochs). */
  tMax?: number;
  /** cosine: final learning rate (default 0). */
  minLr?: number;
}

/** The learning rate for epoch `e` (from 0). */
export function learningRateAt(base: number, e: number, s: ScheduleOptions | undefined, epochs: number): number {
  if (!s || s.name === 'constant') return base;
  if (s.name === 'step') {
    const size = s.stepSize ?? 1;
    if (!Number.isInteger(size) || size < 1)
      throw new OptionError(`step schedule: stepSize = ${size}; expected a whole number ≥ 1`);
    return base * (s.gamma ?? 0.1) ** Math.floor(e / size);
  }
  if (s.name === 'cosine') {
    const tMax = s.tMax ?? epochs;
    const min = s.minLr ?? 0;
    return min + ((base - min) * (1 + Math.cos((Math.PI * Math.min(e, tMax)) / tMax))) / 2;
  }
  const name = (s as { name?: unknown }).name;
  throw new OptionError(
    name === undefined
      ? `schedule: expected { name: ${scheduleNames.map((n) => `"${n}"`).join(' | ')}, … }, found an object without a name`
      : `unknown schedule ${JSON.stringify(name)}; expected one of: ${scheduleNames.join(', ')}`,
  );
}
