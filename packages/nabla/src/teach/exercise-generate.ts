/**
 * Drawing exercises: small networks (weights and inputs in {−2, …, 2} and halves) from the seeded `Rng`, a draw
 * kept only when every number of the solution is readable, no relu-like neuron sits at its kink and the gradient
 * is not trivially zero. Same options and seed → the same sheet, byte for byte.
 */

import { OptionError } from '../errors.js';
import { type ExactActivation, exactActivationNames } from '../exact/activation.js';
import { RMatrix } from '../exact/matrix.js';
import { Fraction, type Rational } from '../exact/rational.js';
import { limits } from '../limits.js';
import { checkWidths } from '../net/network.js';
import { Rng } from '../rng.js';
import {
  activationRegistry,
  asksFor,
  type Exercise,
  type ExerciseKind,
  type ExerciseSet,
  exerciseForms,
  exerciseKinds,
  type Solution,
  solve,
} from './exercise-types.js';
import { decimalActivationNames, decimalRegistry } from './rounded-activation.js';

/** Options of `generateExercises`: the seed, the count, the network's shape and activations, the kinds. */
export interface GenerateOptions {
  /** Seed of the random choices (the same seed gives the same set). */
  seed: number;
  /** Number of exercises. */
  count: number;
  /** n_0 … n_k with n_k = 1. */
  widths: readonly number[];
  /** One activation name per layer, or one for all layers. */
  activations: readonly string[];
  /** User polynomials by name ("x^3 - x"), usable in `activations`. */
  polynomials?: Readonly<Record<string, string>>;
  /** The kinds, cycled over the exercises (default forward, backward, form). */
  kinds?: readonly ExerciseKind[];
  /**
   * Also allow the activations without an exact definition (tanh, sigmoid, …; rounded-activation.ts): their
   * answers are decimals. Solve such a set with `decimalRegistry`. Default false (every answer a fraction).
   */
  decimals?: boolean;
}

/** Exercises are worked by hand: at most this many layers and this width. */
export const MAX_EXERCISE_LAYERS = limits.exerciseLayers;
export const MAX_EXERCISE_WIDTH = limits.exerciseWidth;
export const MAX_EXERCISE_COUNT = limits.exerciseCount;
const TRIES = 2000;

const INTEGERS = [-2, -1, 1, 2];
const HALVES = [new Fraction(-3, 2), new Fraction(-1, 2), new Fraction(1, 2), new Fraction(3, 2)];

const SMALL = [new Fraction(-1), new Fraction(-1, 2), new Fraction(1, 2), new Fraction(1)];

/** A weight: mostly integers in {−2, …, 2}, some halves; `small` (after many unreadable draws): ±1 and ±1/2 only. */
function weight(rng: Rng, small: boolean): Rational {
  const r = rng.next();
  if (r < 0.1) return new Fraction(0);
  if (small) return SMALL[rng.int(SMALL.length)]!;
  if (r < 0.75) return new Fraction(INTEGERS[rng.int(INTEGERS.length)]!);
  return HALVES[rng.int(HALVES.length)]!;
}

function inputValue(rng: Rng): Rational {
  return rng.next() < 0.75 ? new Fraction(INTEGERS[rng.int(INTEGERS.length)]!) : HALVES[rng.int(HALVES.length)]!;
}

function draw(rng: Rng, rows: number, cols: number, entry: (rng: Rng) => Rational): RMatrix {
  return new RMatrix(
    rows,
    cols,
    Array.from({ length: rows * cols }, () => entry(rng)),
  );
}

/** Whether every number of the solution is readable and the exercise is not degenerate. */
function readable(
  sol: Solution,
  ex: Exercise,
  registry: Readonly<Record<string, ExactActivation>>,
  decimals: boolean,
): boolean {
  const k = ex.widths.length - 1;
  const leakyLayers = ex.activations.filter((col) => col.includes('leaky_relu')).length;
  const maxDen = 8n * 100n ** BigInt(leakyLayers);
  // decimal answers have long denominators anyway: only their size counts
  const ok = (m: RMatrix) => m.data.every((v) => (decimals || v.d <= maxDen) && v.abs().lte(60));
  for (let i = 1; i <= k; i++) {
    if (
      !ok(sol.trace.N.get(i)) ||
      !ok(sol.trace.S.get(i)) ||
      !ok(sol.trace.dS.get(i)) ||
      !ok(sol.D.get(i)) ||
      !ok(sol.gradW.get(i))
    )
      return false;
    // no relu-like neuron exactly at its kink
    const N = sol.trace.N.get(i);
    if (ex.activations[i - 1]!.some((name, r) => registry[name]!.kink && N.get(r, 0).equals(0))) return false;
    if (sol.gradW.get(i).data.every((v) => v.equals(0))) return false;
  }
  return true;
}

/** Validates the options; returns the per-layer activation names. */
function checkOptions(opts: GenerateOptions, registry: Readonly<Record<string, ExactActivation>>): string[] {
  checkWidths(opts.widths);
  const k = opts.widths.length - 1;
  if (k > MAX_EXERCISE_LAYERS || opts.widths.some((w) => w > MAX_EXERCISE_WIDTH)) {
    throw new OptionError(
      `widths [${opts.widths.join(', ')}]: exercises are computed by hand; use at most ${MAX_EXERCISE_LAYERS} layers and widths up to ${MAX_EXERCISE_WIDTH}`,
    );
  }
  if (opts.widths[k] !== 1)
    throw new OptionError(`widths [${opts.widths.join(', ')}]: the last width must be 1 (the paper's f has n_k = 1)`);
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > MAX_EXERCISE_COUNT) {
    throw new OptionError(`count ${opts.count}: expected a whole number from 1 to ${MAX_EXERCISE_COUNT}`);
  }
  const names = opts.activations.length === 1 ? new Array<string>(k).fill(opts.activations[0]!) : [...opts.activations];
  if (names.length !== k)
    throw new OptionError(
      `activations [${opts.activations.join(', ')}]: give one per layer (k = ${k}) or one for all layers`,
    );
  for (const name of names) {
    if (!Object.hasOwn(registry, name)) {
      throw new OptionError(
        `activation "${name}": exercises need exact activations: ` +
          `${exactActivationNames.join(', ')} or a polynomial defined by ` +
          `name${Object.keys(opts.polynomials ?? {}).length > 0 ? ` (${Object.keys(opts.polynomials ?? {}).join(', ')})` : ''}` +
          `${opts.decimals ? `, or one of ${decimalActivationNames.join(', ')} (decimal answers)` : ''}`,
      );
    }
  }
  for (const kind of opts.kinds ?? [])
    if (!exerciseKinds.includes(kind))
      throw new OptionError(`kind "${String(kind)}": expected ${exerciseKinds.join(', ')}`);
  return names;
}

/** A seeded set of exercises with exact answers (the same seed gives the same set). */
export function generateExercises(opts: GenerateOptions): ExerciseSet {
  const polynomials = { ...(opts.polynomials ?? {}) };
  const registry = opts.decimals ? decimalRegistry(polynomials) : activationRegistry(polynomials);
  const names = checkOptions(opts, registry);
  const exact = activationRegistry(polynomials);
  const decimals = names.some((name) => !Object.hasOwn(exact, name));
  const kinds = opts.kinds && opts.kinds.length > 0 ? opts.kinds : exerciseKinds;
  const widths = [...opts.widths];
  const k = widths.length - 1;
  const rng = new Rng(opts.seed);
  const exercises: Exercise[] = [];
  for (let id = 1; id <= opts.count; id++) {
    const kind = kinds[(id - 1) % kinds.length]!;
    const form = kind === 'form' ? exerciseForms[rng.int(exerciseForms.length)]! : undefined;
    const layer = kind === 'form' ? 1 : undefined;
    let found: Exercise | undefined;
    for (let t = 0; t < TRIES && !found; t++) {
      const small = t >= TRIES / 2; // deep or squaring networks grow fast: smaller weights in the second half
      const W = widths.slice(1).map((rows, j) => draw(rng, rows, widths[j]!, (g) => weight(g, small)));
      const X = draw(rng, widths[0]!, 1, inputValue);
      const ex: Exercise = {
        id,
        kind,
        ...(form === undefined ? {} : { form }),
        ...(layer === undefined ? {} : { layer }),
        widths,
        activations: names.map((name, j) => new Array<string>(widths[j + 1]!).fill(name)),
        W,
        X,
        asks: asksFor(kind, k, layer),
      };
      if (readable(solve(ex, registry), ex, registry, decimals)) found = ex;
    }
    if (!found) {
      throw new OptionError(
        `no exercise with readable numbers found in ${TRIES} draws for widths ` +
          `[${widths.join(', ')}] and activations ${names.join(', ')}; try smaller widths, fewer ` +
          'layers or other activations',
      );
    }
    exercises.push(found);
  }
  return { seed: opts.seed, polynomials, exercises };
}
