/**
 * The answer key of an exercise sheet: each exercise's answers, then the working (the forward pass, and the
 * recursion of Remark 3 or the form asked for, step by step), as the exercise's worked gradient recorded it.
 */

import { exactNet } from '../exact/algebra.js';
import { exactForms } from '../exact/forms.js';
import type { ClassSet } from './class-types.js';
import { type Block, type Doc, equation, heading, paragraph } from './doc.js';
import { exerciseTitle } from './exercise-sheet.js';
import { activationRegistry, answerOf, askTex, type ExerciseSet, solve } from './exercise-types.js';
import { forwardBlocks } from './forward-pass.js';
import { formBlocks } from './gradient-forms.js';
import { texExactMatrix } from './numbers.js';

/** Each exercise's answers and working, under headings of `level` ("Exercise 1: …"). */
function keyBlocks(set: ExerciseSet, level: 2 | 3): Block[] {
  const registry = activationRegistry(set.polynomials);
  const blocks: Block[] = [];
  for (const ex of set.exercises) {
    const sol = solve(ex, registry, ex.kind === 'form' && ex.form ? [ex.form] : []);
    const p = { net: exactNet(sol.net), tex: texExactMatrix };
    blocks.push(heading(level, `Exercise ${ex.id}: ${exerciseTitle(ex)}`));
    blocks.push(paragraph('Answers:'));
    for (const a of ex.asks) blocks.push(equation(askTex(a), texExactMatrix(answerOf(sol, a))));
    blocks.push(paragraph('Working: the forward pass.'));
    blocks.push(...forwardBlocks(p, sol.worked));
    if (ex.kind === 'backward') {
      blocks.push(paragraph('The recursion (Remark 3):'));
      blocks.push(...formBlocks(p, sol.worked, 'recursive', { bare: true }));
    } else if (ex.kind === 'form' && ex.form) {
      const info = exactForms[ex.form];
      blocks.push(paragraph(`${info.title[0]!.toUpperCase()}${info.title.slice(1)}, eq. ${info.equation}:`));
      blocks.push(...formBlocks(p, sol.worked, ex.form, { bare: true, layer: ex.layer ?? 1 }));
    }
  }
  return blocks;
}

/**
 * The answer key: each exercise's answers, then the working (forward pass, recursion or the form asked for); for a
 * class (`classVariants`), one key for all: each student's variant in roster order.
 */
export function answerKey(set: ExerciseSet | ClassSet): Doc {
  if ('variants' in set) {
    const n = set.variants.length;
    const blocks: Block[] = [
      heading(1, 'Answer key of the class'),
      paragraph(
        `Course seed ${set.courseSeed}, ${n} student${n === 1 ? '' : 's'}, each with their own variant. ` +
          'Exact arithmetic: every number is an exact fraction.',
      ),
    ];
    for (const v of set.variants) {
      blocks.push(heading(2, `Student ${v.id} (variant ${v.variant}, seed ${v.seed})`));
      blocks.push(...keyBlocks(v.set, 3));
    }
    return { title: `Answer key of the class (course seed ${set.courseSeed})`, blocks };
  }
  return {
    title: `Answer key (seed ${set.seed})`,
    blocks: [
      heading(1, 'Answer key'),
      paragraph(`Seed ${set.seed}. Exact arithmetic: every number is an exact fraction.`),
      ...keyBlocks(set, 2),
    ],
  };
}
