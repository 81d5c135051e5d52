/**
 * The exercise sheet (no answers): for each exercise the network f(X;W) with its widths, columns Σ_i, W_i
 * and X, and the task (the forward pass, backpropagation by the recursion of Remark 3, or one form of the
 * gradient, eq. (3), (4) or (5)); then how to hand in answers, named as in `nabla grad --json`.
 */
import { exactForms } from '../exact/forms.js';
import type { ClassVariant } from './class-types.js';
import { type Block, code, type Doc, equation, heading, type Inline, math, paragraph } from './doc.js';
import {
  activationRegistry,
  askTex,
  type Exercise,
  type ExerciseKind,
  type ExerciseSet,
  type Solution,
  solve,
} from './exercise-types.js';
import { compactJson } from './exercises.js';
import { exactColumns } from './explain.js';
import { columnItems } from './network-function.js';
import { texExactMatrix } from './numbers.js';

const KIND_TITLE: Record<ExerciseKind, string> = {
  forward: 'the forward pass',
  backward: 'backpropagation',
  form: 'one form of the gradient',
};

/** An exercise's title, e.g. "the forward pass" or "the Kronecker form, eq. (4)" (the sheet and the answer key). */
export function exerciseTitle(ex: Exercise): string {
  if (ex.kind === 'form' && ex.form) {
    const info = exactForms[ex.form];
    return `${info.title}, eq. ${info.equation}`;
  }
  return KIND_TITLE[ex.kind];
}

function taskOf(ex: Exercise): Inline[] {
  const k = ex.widths.length - 1;
  const list = (items: string[]) =>
    items.flatMap((t, j) => [j === 0 ? '' : j === items.length - 1 ? ' and ' : ', ', math(t)] as Inline[]);
  if (ex.kind === 'forward') {
    return [
      'Compute ',
      ...list([...ex.asks.filter((a) => a.key !== 'f').map(askTex), 'f(X;W)']),
      ' (',
      math('N_1 = W_1\\cdot X'),
      ', ',
      math('N_{i+1} = W_{i+1}\\cdot\\Sigma_i(N_i)'),
      ').',
    ];
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
  return [
    'Compute ',
    math(askTex(ex.asks[0]!)),
    ` with ${info.title}, eq. ${info.equation}, writing down each intermediate product:`,
  ];
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

/** An exercise as the sheet states it, without its heading: the network, W_i and X, and the task. */
export function exerciseBody(ex: Exercise, sol: Solution): Block[] {
  const blocks = [...networkBlocksFor(ex, sol), paragraph(...taskOf(ex))];
  if (ex.kind === 'form' && ex.form) blocks.push(equation(exactForms[ex.form].tex));
  return blocks;
}

/** A JSON skeleton of the answer to one exercise (the keys and shapes to fill in). */
export function answerSkeleton(ex: Exercise): Record<string, unknown> {
  const out: Record<string, unknown> = { id: ex.id };
  for (const a of ex.asks) {
    const [r, c] =
      a.key === 'f'
        ? [ex.widths[ex.widths.length - 1]!, 1]
        : a.key === 'gradW'
          ? [ex.widths[a.index!]!, ex.widths[a.index! - 1]!]
          : [ex.widths[a.index!]!, 1];
    const m = Array.from({ length: r }, () => new Array<string>(c).fill('...'));
    if (a.key === 'f') out.f = m;
    else {
      const rec = (out[a.key] ??= {}) as Record<string, unknown>;
      rec[String(a.index)] = m;
    }
  }
  return out;
}

/**
 * The exercise sheet (no answers); for one student of a class (a `ClassVariant` of `classVariants`), their sheet:
 * their id and variant in the title, and the answer file to hand in carries both.
 */
export function exerciseSheet(sheet: ExerciseSet | ClassVariant): Doc {
  const student = 'variant' in sheet ? sheet : undefined;
  const set = student ? student.set : (sheet as ExerciseSet);
  const registry = activationRegistry(set.polynomials);
  const n = set.exercises.length;
  const who = student ? `Student ${student.id}, variant ${student.variant} (seed ${set.seed})` : `Seed ${set.seed}`;
  const blocks: Block[] = [
    heading(1, 'Exercises: backpropagation in matrix notation'),
    paragraph(
      `${who}, ${n} exercise${n === 1 ? '' : 's'}. Notation of N. M. Mishachev, ` +
        '"Backpropagation in matrix notation": ',
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
    blocks.push(heading(2, `Exercise ${ex.id}: ${exerciseTitle(ex)}`), ...exerciseBody(ex, solve(ex, registry)));
  }
  const skeleton = {
    ...(student ? { student: student.id, variant: student.variant } : {}),
    exercises: set.exercises.map(answerSkeleton),
  };
  blocks.push(
    heading(2, 'Handing in'),
    paragraph(
      student ? `Write your answers into a JSON file named ${student.id}.json` : 'Write your answers into a JSON file',
      ', entries as fractions "3/4", integers or decimals, named as in ',
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
      student ? ' (keep your id and variant in it):' : ':',
    ),
    { type: 'code', text: compactJson(skeleton) },
    student
      ? paragraph('Hand the file in as your lecturer asks; it is graded with ', code('nabla check --class'), '.')
      : paragraph('and check them with ', code('nabla check --exercise exercises.json --answer answers.json'), '.'),
  );
  const title = student
    ? `Exercises: backpropagation in matrix notation (student ${student.id}, variant ${student.variant})`
    : `Exercises: backpropagation in matrix notation (seed ${set.seed})`;
  return { title, blocks };
}
