/**
 * The worked derivation of ∇_W f for one network and one input, as the paper writes it, assembled from one file per
 * part: network function, forward pass, the recursion and other forms (§2–§6), the result and a table of agreement.
 * The steps are recorded by one worked gradient (grad/worked.ts), so what is printed is what was computed.
 */

import { type ExactForm, exactForms } from '../exact/forms.js';
import { workedGradient } from '../grad/worked.js';
import { agreementBlocks } from './agreement.js';
import type { DerivationOptions, DerivationProblem } from './derivation-types.js';
import { type Block, code, type Doc, equation, heading, type Inline, math, paragraph } from './doc.js';
import { forwardBlocks } from './forward-pass.js';
import { formBlocks, formsFor } from './gradient-forms.js';
import { networkBlocks } from './network-function.js';

/** Section headings numbered 1, 2, … in order. */
class Sections {
  private n = 0;
  heading(...content: Inline[]): Block {
    this.n += 1;
    return heading(2, `${this.n}. `, ...content);
  }
}

function formHeading(form: ExactForm): Inline[] {
  const info = exactForms[form];
  return [
    `${info.title[0]!.toUpperCase()}${info.title.slice(1)}, ${info.equation.startsWith('(') ? `eq. ${info.equation}` : info.equation}`,
  ];
}

/** The whole derivation as a document. */
export function buildDerivation<M>(p: DerivationProblem<M>, opts: DerivationOptions): Doc {
  const k = p.net.n.length - 1;
  const sec = new Sections();
  const intro: Inline[] = [];
  if (opts.model) intro.push('Model ', code(opts.model));
  if (opts.input) intro.push(opts.model ? ', input ' : 'Input ', code(opts.input));
  if (intro.length > 0) intro.push('. ');
  intro.push('Notation of N. M. Mishachev, "Backpropagation in matrix notation" (2017). ');
  intro.push(
    opts.exact
      ? 'Exact arithmetic: every number below is an exact fraction (decimals in the files are read as written, so 0.1 is 1/10).'
      : `Decimals: computed in float64 and printed to ${opts.precision} significant digits.`,
  );
  const blocks: Block[] = [heading(1, 'Worked derivation of ', math('\\nabla_W f(X;W)')), paragraph(...intro)];
  const forms = formsFor(p.net.n, opts.form);
  // §3, the forward pass once, the recursion and each form shown once, and finite differences for the closing table
  const worked = workedGradient(p, { forms: [...forms, 'numeric'] });
  blocks.push(sec.heading('The network'), ...networkBlocks({ ...p, X: worked.trace.S.get(0) }, opts));
  blocks.push(sec.heading('The forward pass'));
  blocks.push(...forwardBlocks(p, worked));
  for (const form of forms) {
    blocks.push(
      sec.heading(...(form === 'recursive' ? ['The backward pass: the recursion (Remark 3)'] : formHeading(form))),
    );
    blocks.push(...formBlocks(p, worked, form));
  }
  const main = worked.forms.find((f) => f.form === forms[0])!.grads;
  blocks.push(sec.heading('Result'));
  blocks.push(
    paragraph(
      'The gradient ',
      math('\\nabla_W f = (\\nabla_{W_k} f, \\dots, \\nabla_{W_1} f)'),
      forms.length > 1 ? ' (every form gives the same):' : ':',
    ),
  );
  for (let i = k; i >= 1; i--) blocks.push(equation(`\\nabla_{W_{${i}}} f`, p.tex(main.gradW.get(i))));
  if (opts.affineWidths) {
    blocks.push(
      paragraph(
        'The last column of each ',
        math('\\nabla_{W_i} f'),
        ' is the gradient with respect to the bias ',
        math('b_i'),
        '; the last row of a hidden layer belongs to the formal neuron and is not a parameter.',
      ),
    );
  }
  blocks.push(sec.heading(forms.length > 1 ? 'Do the forms agree?' : 'Check'));
  blocks.push(...agreementBlocks(p, worked, forms, opts.exact));
  return { title: 'Worked derivation of the gradient (backpropagation in matrix notation)', blocks };
}
