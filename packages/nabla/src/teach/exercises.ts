/**
 * Exercise sheets with exact answer keys. `generateExercises` draws small networks (weights in {−2, …, 2} and
 * halves, inputs likewise) from the seeded `Rng`, and keeps a draw only when every number of the solution is
 * readable (small numerators and denominators; after many unreadable draws the weights shrink to ±1 and ±1/2), no relu-like neuron sits exactly at its kink, and the gradient
 * is not trivially zero. Same options and seed → the same sheet, byte for byte.
 */
import { OptionError } from '../errors.js';
import { Rng } from '../rng.js';
import { checkWidths } from '../net/network.js';
import { exactActivationNames, type ExactActivation } from '../exact/activation.js';
import { exactForms } from '../exact/forms.js';
import { RMatrix } from '../exact/matrix.js';
import { Fraction, type Rational } from '../exact/rational.js';
import { columnItems, formBlocks, forwardBlocks } from './derivation.js';
import { code, equation, heading, math, paragraph, type Block, type Doc, type Inline } from './doc.js';
import {
  activationRegistry,
  answerOf,
  askName,
  askTex,
  asksFor,
  exerciseForms,
  exerciseKinds,
  solve,
  type Exercise,
  type ExerciseKind,
  type ExerciseSet,
  type Solution,
} from './exercise-types.js';
import { exactColumns, exactProblem } from './explain.js';
import { texExactMatrix } from './numbers.js';

export interface GenerateOptions {
  seed: number;
  count: number;
  /** n_0 … n_k with n_k = 1. */
  widths: readonly number[];
  /** One activation name per layer, or one for all layers. */
  activations: readonly string[];
  /** User polynomials by name ("x^3 - x"), usable in `activations`. */
  polynomials?: Readonly<Record<string, string>>;
  /** The kinds, cycled over the exercises (default forward, backward, form). */
  kinds?: readonly ExerciseKind[];
}

/** Exercises are worked by hand: at most this many layers and this width. */
export const MAX_EXERCISE_LAYERS = 4;
export const MAX_EXERCISE_WIDTH = 5;
export const MAX_EXERCISE_COUNT = 50;
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
function readable(sol: Solution, ex: Exercise, registry: Readonly<Record<string, ExactActivation>>): boolean {
  const k = ex.widths.length - 1;
  const leakyLayers = ex.activations.filter((col) => col.includes('leaky_relu')).length;
  const maxDen = 8n * 100n ** BigInt(leakyLayers);
  const ok = (m: RMatrix) => m.data.every((v) => v.d <= maxDen && v.abs().lte(60));
  for (let i = 1; i <= k; i++) {
    if (!ok(sol.trace.N.get(i)) || !ok(sol.trace.S.get(i)) || !ok(sol.trace.dS.get(i)) || !ok(sol.D.get(i)) || !ok(sol.gradW.get(i))) return false;
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
    throw new OptionError(`widths [${opts.widths.join(', ')}]: exercises are computed by hand; use at most ${MAX_EXERCISE_LAYERS} layers and widths up to ${MAX_EXERCISE_WIDTH}`);
  }
  if (opts.widths[k] !== 1) throw new OptionError(`widths [${opts.widths.join(', ')}]: the last width must be 1 (the paper's f has n_k = 1)`);
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > MAX_EXERCISE_COUNT) {
    throw new OptionError(`count ${opts.count}: expected a whole number from 1 to ${MAX_EXERCISE_COUNT}`);
  }
  const names = opts.activations.length === 1 ? new Array<string>(k).fill(opts.activations[0]!) : [...opts.activations];
  if (names.length !== k) throw new OptionError(`activations [${opts.activations.join(', ')}]: give one per layer (k = ${k}) or one for all layers`);
  for (const name of names) {
    if (!Object.hasOwn(registry, name)) {
      throw new OptionError(`activation "${name}": exercises need exact activations: ${exactActivationNames.join(', ')} or a polynomial defined by name${Object.keys(opts.polynomials ?? {}).length > 0 ? ` (${Object.keys(opts.polynomials ?? {}).join(', ')})` : ''}`);
    }
  }
  for (const kind of opts.kinds ?? []) if (!exerciseKinds.includes(kind)) throw new OptionError(`kind "${String(kind)}": expected ${exerciseKinds.join(', ')}`);
  return names;
}

export function generateExercises(opts: GenerateOptions): ExerciseSet {
  const polynomials = { ...(opts.polynomials ?? {}) };
  const registry = activationRegistry(polynomials);
  const names = checkOptions(opts, registry);
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
      if (readable(solve(ex, registry), ex, registry)) found = ex;
    }
    if (!found) {
      throw new OptionError(
        `no exercise with readable numbers found in ${TRIES} draws for widths [${widths.join(', ')}] and activations ${names.join(', ')}; try smaller widths, fewer layers or other activations`,
      );
    }
    exercises.push(found);
  }
  return { seed: opts.seed, polynomials, exercises };
}

// ---------------------------------------------------------------------------------------------------------
// Sheets

const KIND_TITLE: Record<ExerciseKind, string> = { forward: 'the forward pass', backward: 'backpropagation', form: 'one form of the gradient' };

function exerciseTitle(ex: Exercise): string {
  if (ex.kind === 'form' && ex.form) {
    const info = exactForms[ex.form];
    return `${info.title}, eq. ${info.equation}`;
  }
  return KIND_TITLE[ex.kind];
}

function taskOf(ex: Exercise): Inline[] {
  const k = ex.widths.length - 1;
  const list = (items: string[]) => items.map((t, j) => [j === 0 ? '' : j === items.length - 1 ? ' and ' : ', ', math(t)] as Inline[]).flat();
  if (ex.kind === 'forward') {
    return ['Compute ', ...list([...ex.asks.filter((a) => a.key !== 'f').map(askTex), 'f(X;W)']), ' (', math('N_1 = W_1\\cdot X'), ', ', math('N_{i+1} = W_{i+1}\\cdot\\Sigma_i(N_i)'), ').'];
  }
  if (ex.kind === 'backward') {
    return [
      'Compute ',
      ...list(ex.asks.filter((a) => a.key === 'D').map(askTex)),
      ' by the recursion (Remark 3), then ',
      ...list(ex.asks.filter((a) => a.key === 'gradW').map(askTex)),
      '. You will need the forward values first (',
      math(`k = ${k}`),
      ').',
    ];
  }
  const info = exactForms[ex.form!];
  return ['Compute ', math(askTex(ex.asks[0]!)), ` with ${info.title}, eq. ${info.equation}, writing down each intermediate product:`];
}

function networkBlocksFor(ex: Exercise, sol: Solution): Block[] {
  const k = ex.widths.length - 1;
  const blocks: Block[] = [
    paragraph(
      'The network ',
      math('f(X;W)'),
      ' with ',
      math(`k = ${k}`),
      k === 1 ? ' layer' : ' layers',
      ', widths ',
      math(ex.widths.map((w, i) => `n_${i} = ${w}`).join(',\\ ')),
      ':',
    ),
    { type: 'list', items: columnItems(exactColumns(sol.net)) },
  ];
  const parts = ex.W.map((W, j) => `W_{${j + 1}} = ${texExactMatrix(W)}`);
  parts.push(`X = ${texExactMatrix(ex.X)}`);
  blocks.push(equation(parts.join(',\\qquad ')));
  return blocks;
}

/** A JSON skeleton of the answer to one exercise (the keys and shapes to fill in). */
export function answerSkeleton(ex: Exercise): Record<string, unknown> {
  const out: Record<string, unknown> = { id: ex.id };
  for (const a of ex.asks) {
    const [r, c] = a.key === 'f' ? [ex.widths[ex.widths.length - 1]!, 1] : a.key === 'gradW' ? [ex.widths[a.index!]!, ex.widths[a.index! - 1]!] : [ex.widths[a.index!]!, 1];
    const m = Array.from({ length: r }, () => new Array<string>(c).fill('...'));
    if (a.key === 'f') out.f = m;
    else {
      const rec = (out[a.key] ??= {}) as Record<string, unknown>;
      rec[String(a.index)] = m;
    }
  }
  return out;
}

/** The exercise sheet (no answers). */
export function exerciseSheet(set: ExerciseSet): Doc {
  const registry = activationRegistry(set.polynomials);
  const blocks: Block[] = [
    heading(1, 'Exercises: backpropagation in matrix notation'),
    paragraph(
      `Seed ${set.seed}, ${set.exercises.length} exercise${set.exercises.length === 1 ? '' : 's'}. Notation of N. M. Mishachev, "Backpropagation in matrix notation": `,
      math('N_1 = W_1\\cdot X'),
      ', ',
      math('N_{i+1} = W_{i+1}\\cdot\\Sigma_i(N_i)'),
      ', ',
      math('f(X;W) = \\Sigma_k(N_k)'),
      ', ',
      math("\\Delta_i = (W_{i+1}^T\\cdot\\Delta_{i+1})\\circ\\Sigma'_i"),
      ' with ',
      math('\\Delta_{k+1} = 1'),
      ', and ',
      math('\\nabla_{W_i} f = \\Delta_i\\cdot\\Sigma_{i-1}^T'),
      '. Give every number exactly (fractions like 3/4).',
    ),
  ];
  for (const ex of set.exercises) {
    const sol = solve(ex, registry);
    blocks.push(heading(2, `Exercise ${ex.id}: ${exerciseTitle(ex)}`), ...networkBlocksFor(ex, sol), paragraph(...taskOf(ex)));
    if (ex.kind === 'form' && ex.form) blocks.push(equation(exactForms[ex.form].tex));
  }
  blocks.push(
    heading(2, 'Handing in'),
    paragraph(
      'Write your answers into a JSON file, entries as fractions "3/4", integers or decimals, named as in ',
      code('nabla grad --json'),
      ': ',
      code('N'),
      ' for ',
      math('N_i'),
      ', ',
      code('S'),
      ' for ',
      math('\\Sigma_i'),
      ', ',
      code('dS'),
      ' for ',
      math("\\Sigma'_i"),
      ', ',
      code('D'),
      ' for ',
      math('\\Delta_i'),
      ', ',
      code('gradW'),
      ' for ',
      math('\\nabla_{W_i} f'),
      ', each keyed by the layer ',
      math('i'),
      ', and ',
      code('f'),
      ':',
    ),
    { type: 'code', text: compactJson({ exercises: set.exercises.map(answerSkeleton) }) },
    paragraph('and check them with ', code('nabla check --exercise exercises.json --answer answers.json'), '.'),
  );
  return { title: `Exercises: backpropagation in matrix notation (seed ${set.seed})`, blocks };
}

/** The answer key: each exercise's answers, then the working (forward pass, recursion or the form asked for). */
export function answerKey(set: ExerciseSet): Doc {
  const registry = activationRegistry(set.polynomials);
  const blocks: Block[] = [
    heading(1, 'Answer key'),
    paragraph(`Seed ${set.seed}. Exact arithmetic: every number is an exact fraction.`),
  ];
  for (const ex of set.exercises) {
    const sol = solve(ex, registry);
    const p = exactProblem(sol.net, ex.X);
    blocks.push(heading(2, `Exercise ${ex.id}: ${exerciseTitle(ex)}`));
    blocks.push(paragraph('Answers:'));
    for (const a of ex.asks) blocks.push(equation(askTex(a), texExactMatrix(answerOf(sol, a))));
    blocks.push(paragraph('Working: the forward pass.'));
    const fwd = forwardBlocks(p);
    blocks.push(...fwd.blocks);
    if (ex.kind === 'backward') {
      blocks.push(paragraph('The recursion (Remark 3):'));
      blocks.push(...formBlocks(p, fwd.trace, 'recursive', { bare: true }).blocks);
    } else if (ex.kind === 'form' && ex.form) {
      const info = exactForms[ex.form];
      blocks.push(paragraph(`${info.title[0]!.toUpperCase()}${info.title.slice(1)}, eq. ${info.equation}:`));
      blocks.push(...formBlocks(p, fwd.trace, ex.form, { bare: true, layer: ex.layer ?? 1 }).blocks);
    }
  }
  return { title: `Answer key (seed ${set.seed})`, blocks };
}

// ---------------------------------------------------------------------------------------------------------
// exercises.json

export const EXERCISE_FORMAT = 'nabla-exercises';
export const EXERCISE_FORMAT_VERSION = 1;

/** JSON with arrays of plain values on one line (matrices read row by row). */
export function compactJson(value: unknown, indent = ''): string {
  const next = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    if (value.every((v) => Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'))) {
      return `[${value.map((v) => compactJson(v)).join(', ')}]`;
    }
    return `[\n${value.map((v) => `${next}${compactJson(v, next)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${next}${JSON.stringify(k)}: ${compactJson(v, next)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The machine-readable exercise file: each exercise's network, input, what is asked and the exact answers. */
export function exercisesToJson(set: ExerciseSet): string {
  const registry = activationRegistry(set.polynomials);
  const file = {
    format: EXERCISE_FORMAT,
    version: EXERCISE_FORMAT_VERSION,
    seed: set.seed,
    polynomials: Object.keys(set.polynomials).length > 0 ? set.polynomials : undefined,
    exercises: set.exercises.map((ex) => {
      const sol = solve(ex, registry);
      const answers: Record<string, unknown> = {};
      for (const a of ex.asks) {
        const m = answerOf(sol, a).toStrings();
        if (a.key === 'f') answers.f = m;
        else ((answers[a.key] ??= {}) as Record<string, unknown>)[String(a.index)] = m;
      }
      return {
        id: ex.id,
        kind: ex.kind,
        form: ex.form,
        layer: ex.layer,
        widths: ex.widths,
        activations: ex.activations.map((col) => (col.every((n) => n === col[0]) ? col[0] : col)),
        W: Object.fromEntries(ex.W.map((W, j) => [String(j + 1), W.toStrings()])),
        X: ex.X.toStrings(),
        asks: ex.asks.map(askName),
        answers,
      };
    }),
  };
  return `${compactJson(file)}\n`;
}

