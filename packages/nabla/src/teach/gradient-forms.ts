/**
 * Each form of the gradient worked step by step, as the paper writes it: the recursion (§5 Remark 3), the
 * explicit (3), Kronecker (4) and diagonal (5) forms, the one-dimensional (1)/(2) of §4 and the proof's (6)/(7)
 * of §6, each opened by how to read it, its steps recorded by its own engine (table of forms: grad/forms.ts).
 */
import { OptionError } from '../errors.js';
import { type ExactForm, exactFormApplies, exactFormNames, exactForms } from '../exact/forms.js';
import type { WorkedGradient } from '../grad/worked.js';
import type { DerivationProblem, ExplainForm } from './derivation-types.js';
import { type Block, equation, heading, type Inline, math, paragraph } from './doc.js';
import { stepBlock } from './step-block.js';

const INTRO: Record<ExactForm, Inline[]> = {
  recursive: [
    'Start from ',
    math('\\Delta_{k+1} = W_{k+1}^T = 1'),
    ' and go down ',
    math('i = k, \\dots, 1'),
    '; ',
    math('\\Delta_i'),
    ' is a column of ',
    math('n_i'),
    ' numbers. Then ',
    math('\\nabla_{W_i} f = \\Delta_i\\cdot\\Sigma_{i-1}^T'),
    ' (a column times a row: an ',
    math('n_i\\times n_{i-1}'),
    ' matrix, the shape of ',
    math('W_i'),
    ').',
  ],
  explicit: [
    'Read from left to right. ',
    math('A\\bullet B = B\\cdot A'),
    ' is the inverted product of the column ',
    math('A'),
    ' by the matrix ',
    math('B'),
    '; each ',
    math('\\nabla_{W_i} f'),
    ' is built afresh, as the formula reads.',
  ],
  kronecker: [
    'Read from right to left. ',
    math('\\otimes'),
    ' is the Kronecker product (for a row and a column, their outer product); ',
    math('\\circ'),
    ' with a column multiplies every column of the matrix by it, entry by entry.',
  ],
  diagonal: [
    'Each column ',
    math("\\Sigma'_i"),
    ' becomes the diagonal matrix ',
    math("\\widehat{\\Sigma}'_i = \\mathrm{diag}(\\Sigma'_i)"),
    ', so only ordinary and Kronecker products remain.',
  ],
  scalar: [
    'Every width is 1, so each ',
    math('W_i'),
    ' is a number ',
    math('w_i'),
    ' and each ',
    math('\\Sigma_i'),
    ' a function ',
    math('\\sigma_i'),
    ' (section 4 of the paper; ',
    math('\\sigma_0 = x'),
    ').',
  ],
  proof: [
    math('\\nabla_{\\Sigma_r} f'),
    ' is the gradient of ',
    math('f'),
    ' with respect to the values ',
    math('\\Sigma_r'),
    '; start from ',
    math('\\nabla_{\\Sigma_k} f = 1'),
    ' and alternate (6) and (7) for ',
    math('r = k, \\dots, 1'),
    '.',
  ],
};

export interface FormBlocksOptions {
  /** Only the steps for ∇_{W_i} f with this i (plus steps shared by all layers). */
  layer?: number;
  /** Omit the general formula and the introduction. */
  bare?: boolean;
}

/** One form's worked steps, as its engine recorded them in the worked gradient (which must have run the form). */
export function formBlocks<M>(
  p: Pick<DerivationProblem<M>, 'tex'>,
  worked: WorkedGradient<M>,
  form: ExactForm,
  opts: FormBlocksOptions = {},
): Block[] {
  const steps = worked.records.forms[form];
  if (!steps) throw new OptionError(`formBlocks: the worked gradient did not run the ${form} form`);
  const blocks: Block[] = [];
  if (!opts.bare) blocks.push(paragraph(...INTRO[form]), equation(exactForms[form].tex));
  const shown = steps.filter((s) => opts.layer === undefined || s.layer === undefined || s.layer === opts.layer);
  const grouped = form === 'explicit' || form === 'kronecker' || form === 'diagonal' || form === 'scalar';
  let current: number | undefined;
  for (const s of shown) {
    if (grouped && s.layer !== undefined && s.layer !== current && opts.layer === undefined) {
      current = s.layer;
      blocks.push(heading(3, math(form === 'scalar' ? `\\nabla_{w_{${s.layer}}} f` : `\\nabla_{W_{${s.layer}}} f`)));
    }
    blocks.push(stepBlock(p, s));
  }
  return blocks;
}

/** The forms `explain --form all` shows for this network. */
export function formsFor(widths: readonly number[], form: ExplainForm): ExactForm[] {
  return form === 'all' ? exactFormNames.filter((f) => exactFormApplies(widths, f)) : [form];
}
