/**
 * The closing table of a derivation: each form's ∇_{W_i} f against the recursion (entry for entry in exact
 * arithmetic, the largest difference in float64) and against central finite differences of f, with a note
 * where a relu-like σ_ij sees its input exactly at the kink.
 */

import type { AlgebraTrace } from '../exact/algebra.js';
import { type ExactForm, exactForms } from '../exact/forms.js';
import type { WorkedGradient } from '../grad/worked.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Layers } from '../net/layers.js';
import type { DerivationProblem } from './derivation-types.js';
import { type Block, type Inline, math, paragraph } from './doc.js';
import { texDifference } from './numbers.js';

/** Largest |a − b| over all layers and entries. */
function maxDiff(a: Layers<number[][]>, b: Layers<Matrix>): number {
  let m = 0;
  for (const i of a.indices()) {
    const rows = a.get(i);
    const B = b.get(i);
    rows.forEach((row, r) => row.forEach((v, c) => (m = Math.max(m, Math.abs(v - B.get(r, c))))));
  }
  return m;
}

/** Where a relu-like σ_ij sees N exactly at its kink (finite differences mean nothing there). */
function kinks<M>(p: DerivationProblem<M>, trace: AlgebraTrace<M>): string[] {
  const out: string[] = [];
  p.columns.forEach((col, j) => {
    const i = j + 1;
    const N = p.alg.toNumbers(trace.N.get(i));
    col.forEach((info, r) => {
      if (info.kink && N[r]!.some((v) => v === 0)) out.push(`\\sigma_{${i}${r + 1}}`);
    });
  });
  return out;
}

/**
 * The closing table, from the worked gradient (which ran the `shown` forms and finite differences): each form
 * against the recursion and against finite differences.
 */
export function agreementBlocks<M>(
  p: DerivationProblem<M>,
  worked: WorkedGradient<M>,
  shown: readonly ExactForm[],
  exact: boolean,
): Block[] {
  const numeric = worked.forms.find((f) => f.form === 'numeric')!.grads.gradW as unknown as Layers<Matrix>;
  const rows: Inline[][][] = shown.map((form) => {
    const info = exactForms[form];
    const { grads: result, maxDiff: fromRecursion } = worked.forms.find((f) => f.form === form)!;
    let same: Inline[];
    if (exact) {
      const equal = result.gradW.indices().every((i) => {
        const a = p.alg.toNumbers(result.gradW.get(i));
        const b = p.alg.toNumbers(worked.gradW.get(i));
        return a.every((row, r) => row.every((v, c) => v === b[r]![c]));
      });
      same = [equal ? 'yes, exactly' : 'NO'];
    } else {
      same = [math(texDifference(fromRecursion))];
    }
    const asNumbers = result.gradW.map((g) => p.alg.toNumbers(g));
    return [[form], [info.equation], same, [math(texDifference(maxDiff(asNumbers, numeric)))]];
  });
  const out: Block[] = [
    paragraph(
      exact
        ? 'In exact arithmetic the forms must agree entry for entry. The last column compares with central finite differences of '
        : 'Largest difference over all layers and entries, in float64. The last column compares with central finite differences of ',
      math('f'),
      ' in float64 (five-point stencil, step ',
      math('10^{-4}\\max(1, |w|)'),
      ').',
    ),
    {
      type: 'table',
      head: [
        ['form'],
        ['paper'],
        [exact ? 'equal to the recursion' : 'largest difference from the recursion'],
        ['largest difference from finite differences'],
      ],
      rows,
    },
  ];
  const at = kinks(p, worked.trace);
  if (at.length > 0) {
    out.push(
      paragraph(
        'Note: ',
        math(at.join(', ')),
        ' ',
        at.length === 1 ? 'sees' : 'see',
        ' its input exactly at the kink 0, where ',
        math("\\sigma'"),
        ' is a convention; finite differences there average the two sides and need not agree.',
      ),
    );
  }
  return out;
}
