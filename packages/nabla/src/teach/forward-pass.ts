/**
 * The forward pass of the derivation, with numbers: N_1 = W_1·X, N_{i+1} = W_{i+1}·Σ_i(N_i), and the columns
 * Σ_i = Σ_i(N_i) and Σ'_i = Σ'_i(N_i) entry by entry, ending with f(X;W) = Σ_k(N_k) (paper §2).
 */
import type { WorkedGradient } from '../grad/worked.js';
import type { DerivationProblem } from './derivation-types.js';
import { type Block, equation, math, paragraph } from './doc.js';
import { stepBlock } from './step-block.js';

/** The forward pass blocks, from the steps the worked gradient recorded. */
export function forwardBlocks<M>(p: Pick<DerivationProblem<M>, 'net' | 'tex'>, worked: WorkedGradient<M>): Block[] {
  const k = p.net.n.length - 1;
  return [
    paragraph(
      math('N_1 = W_1\\cdot X'),
      ', ',
      math('N_{i+1} = W_{i+1}\\cdot\\Sigma_i(N_i)'),
      '; ',
      math('\\Sigma_i = \\Sigma_i(N_i)'),
      ' and ',
      math("\\Sigma'_i = \\Sigma'_i(N_i)"),
      ' are taken entry by entry (',
      math('\\sigma_{ij}'),
      ' and ',
      math("\\sigma'_{ij}"),
      ' on row ',
      math('j'),
      ').',
    ),
    ...worked.records.forward.map((s) => stepBlock(p, s)),
    equation('f(X;W)', `\\Sigma_{${k}}(N_{${k}})`, p.tex(worked.trace.f)),
  ];
}
