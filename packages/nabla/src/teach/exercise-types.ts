/**
 * Exercises: what is asked (forward values, the Δ_i and ∇_{W_i} f, or one form of the gradient), the symbols
 * of the answers, and their exact solution.
 */
import { DataError } from '../errors.js';
import { type ExactActivation, exactActivations, polynomialActivation } from '../exact/activation.js';
import { type AlgebraTrace, exactNet, rationalAlgebra } from '../exact/algebra.js';
import { algebraSeed, type ExactForm } from '../exact/forms.js';
import type { RMatrix } from '../exact/matrix.js';
import { ExactNetwork } from '../exact/network.js';
import { type WorkedGradient, workedGradient } from '../grad/worked.js';
import type { Layers } from '../net/layers.js';

/** What an exercise asks: the forward pass, the recursion (backward), or one gradient in another form of the paper. */
export type ExerciseKind = 'forward' | 'backward' | 'form';
/** Every kind of exercise. */
export const exerciseKinds: readonly ExerciseKind[] = ['forward', 'backward', 'form'];

/** The forms a 'form' exercise may ask for. */
export type ExerciseForm = 'explicit' | 'kronecker' | 'diagonal';
export const exerciseForms: readonly ExerciseForm[] = ['explicit', 'kronecker', 'diagonal'];

/** The answer matrices, named as in `nabla grad --json`: f, N_i, S_i (Σ_i), dS_i (Σ'_i), D_i (Δ_i), gradW_i (∇_{W_i} f). */
export type AnswerKey = 'f' | 'N' | 'S' | 'dS' | 'D' | 'gradW';
export const answerKeys: readonly AnswerKey[] = ['f', 'N', 'S', 'dS', 'D', 'gradW'];

/** One matrix an exercise asks for: a key of `nabla grad --json` and its paper index. */
export interface Ask {
  /** Which matrix: f, N, S (Σ), dS (Σ'), D (Δ) or gradW (∇_W f). */
  key: AnswerKey;
  /** The paper index i (none for f). */
  index?: number;
}

/** One exercise: the network, the input, the seed and what is asked. */
export interface Exercise {
  /** The exercise's number, from 1. */
  id: number;
  /** What it asks: the forward pass, the recursion, or one form of the gradient. */
  kind: ExerciseKind;
  /** For kind 'form'. */
  form?: ExerciseForm;
  /** For kind 'form': the i of the ∇_{W_i} f asked for. */
  layer?: number;
  /** The widths n_0 … n_k. */
  widths: number[];
  /** σ_ij by name, per layer (index 0 = layer 1), per neuron. */
  activations: string[][];
  /** W_1 … W_k. */
  W: RMatrix[];
  /** One sample, n_0 × 1. */
  X: RMatrix;
  /** The matrices asked for. */
  asks: Ask[];
}

/** A set of exercises, generated from a seed, with the polynomials their activations use. */
export interface ExerciseSet {
  /** The seed the set was generated from. */
  seed: number;
  /** User polynomials by name, as text ("x^3 - x"). */
  polynomials: Record<string, string>;
  /** The exercises, numbered from 1. */
  exercises: Exercise[];
}

/** "D_2", "gradW_1", "f": the name of an answer in files. */
export function askName(a: Ask): string {
  return a.index === undefined ? a.key : `${a.key}_${a.index}`;
}

const UNICODE: Record<AnswerKey, string> = { f: 'f', N: 'N', S: 'Σ', dS: "Σ'", D: 'Δ', gradW: '∇' };

/** "Δ_2", "∇_{W_1} f", "Σ'_1", "f": the symbol in messages. */
export function askSymbol(a: Ask): string {
  if (a.key === 'f') return 'f';
  if (a.key === 'gradW') return `∇_{W_${a.index}} f`;
  return `${UNICODE[a.key]}_${a.index}`;
}

/** The symbol in TeX. */
export function askTex(a: Ask): string {
  switch (a.key) {
    case 'f':
      return 'f(X;W)';
    case 'N':
      return `N_{${a.index}}`;
    case 'S':
      return `\\Sigma_{${a.index}}`;
    case 'dS':
      return `\\Sigma'_{${a.index}}`;
    case 'D':
      return `\\Delta_{${a.index}}`;
    case 'gradW':
      return `\\nabla_{W_{${a.index}}} f`;
  }
}

/** Reads "D_2", "gradW_1", "f" (undefined when it is not an answer name). */
export function parseAskName(s: string): Ask | undefined {
  if (s === 'f') return { key: 'f' };
  const m = /^(N|S|dS|D|gradW)_(\d+)$/.exec(s);
  if (!m) return undefined;
  return { key: m[1] as AnswerKey, index: Number(m[2]) };
}

/** The shape an answer must have: [rows, cols]. */
export function askShape(a: Ask, widths: readonly number[]): [number, number] {
  const k = widths.length - 1;
  if (a.key === 'f') return [widths[k]!, 1];
  if (a.key === 'gradW') return [widths[a.index!]!, widths[a.index! - 1]!];
  return [widths[a.index!]!, 1];
}

/** Whether the index exists for this network (N, S, dS, D, gradW: 1 … k). */
export function askValid(a: Ask, widths: readonly number[]): boolean {
  const k = widths.length - 1;
  return a.key === 'f' || (a.index !== undefined && Number.isInteger(a.index) && a.index >= 1 && a.index <= k);
}

/** The exact activations by name: the catalog plus the set's polynomials. */
export function activationRegistry(polynomials: Readonly<Record<string, string>>): Record<string, ExactActivation> {
  const out: Record<string, ExactActivation> = { ...exactActivations };
  for (const [name, text] of Object.entries(polynomials)) out[name] = polynomialActivation(name, text);
  return out;
}

/** An exercise solved exactly: its network, trace, seed, Δ_i and ∇_{W_i} f in rationals. */
export interface Solution {
  /** The exercise's network, exact. */
  net: ExactNetwork;
  /** The forward pass: N_i, Σ_i and Σ'_i. */
  trace: AlgebraTrace<RMatrix>;
  /** Δ_{k+1} = 1 (the network has one output). */
  seed: RMatrix;
  /** Δ_1 … Δ_{k+1}. */
  D: Layers<RMatrix>;
  /** ∇_{W_1} f … ∇_{W_k} f. */
  gradW: Layers<RMatrix>;
  /** The worked gradient these come from, its steps recorded (the answer key prints them). */
  worked: WorkedGradient<RMatrix>;
}

/** The exact network of an exercise. */
export function exerciseNetwork(ex: Exercise, registry: Readonly<Record<string, ExactActivation>>): ExactNetwork {
  const sigma = ex.activations.map((col, j) =>
    col.map((name, r) => {
      const a = Object.hasOwn(registry, name) ? registry[name] : undefined;
      if (!a)
        throw new DataError(
          `exercise ${ex.id}: σ_${j + 1}${r + 1} = "${name}" is not an exact activation (${Object.keys(registry).join(', ')})`,
        );
      return a;
    }),
  );
  return new ExactNetwork(ex.widths, ex.W, sigma);
}

/** The forward pass and the recursion (and the forms in `forms`), exactly: one worked gradient. */
export function solve(
  ex: Exercise,
  registry: Readonly<Record<string, ExactActivation>>,
  forms: readonly ExactForm[] = [],
): Solution {
  const net = exerciseNetwork(ex, registry);
  const seed = algebraSeed(rationalAlgebra, net.n, 1);
  const worked = workedGradient({ alg: rationalAlgebra, net: exactNet(net), X: ex.X, seed }, { forms });
  return { net, trace: worked.trace, seed, D: worked.D, gradW: worked.gradW, worked };
}

/** The exact value of an answer. */
export function answerOf(sol: Solution, a: Ask): RMatrix {
  switch (a.key) {
    case 'f':
      return sol.trace.f;
    case 'N':
      return sol.trace.N.get(a.index!);
    case 'S':
      return sol.trace.S.get(a.index!);
    case 'dS':
      return sol.trace.dS.get(a.index!);
    case 'D':
      return sol.D.get(a.index!);
    case 'gradW':
      return sol.gradW.get(a.index!);
  }
}

/** What each kind asks, in the order a student computes it. */
export function asksFor(kind: ExerciseKind, k: number, layer = 1): Ask[] {
  const out: Ask[] = [];
  if (kind === 'forward') {
    for (let i = 1; i <= k; i++) out.push({ key: 'N', index: i }, { key: 'S', index: i }, { key: 'dS', index: i });
    out.push({ key: 'f' });
  } else if (kind === 'backward') {
    for (let i = k; i >= 1; i--) out.push({ key: 'D', index: i });
    for (let i = k; i >= 1; i--) out.push({ key: 'gradW', index: i });
  } else {
    out.push({ key: 'gradW', index: layer });
  }
  return out;
}
