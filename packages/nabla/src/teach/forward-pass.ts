/**
 * The forward pass of the derivation, with numbers: N_1 = W_1·X, N_{i+1} = W_{i+1}·Σ_i(N_i), and the columns
 * Σ_i = Σ_i(N_i) and Σ'_i = Σ'_i(N_i) entry by entry, ending with f(X;W) = Σ_k(N_k) (paper §2).
 */
import type { AlgebraTrace, Step } from '../exact/algebra.js';
import { algebraForward } from '../exact/forward.js';
import type { DerivationProblem } from './derivation-types.js';
import { equation, math, paragraph, type Block } from './doc.js';
import { stepBlock } from './step-block.js';

/** The forward pass blocks; returns the trace too. */
export function forwardBlocks<M>(p: DerivationProblem<M>): { blocks: Block[]; trace: AlgebraTrace<M> } {
  const k = p.net.n.length - 1;
  const steps: Step<M>[] = [];
  const trace = algebraForward(p.alg, p.net, p.X, (s) => steps.push(s));
  const blocks: Block[] = [
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
    ...steps.map((s) => stepBlock(p, s)),
    equation('f(X;W)', `\\Sigma_{${k}}(N_{${k}})`, p.tex(trace.f)),
  ];
  return { blocks, trace };
}
