/**
 * One recorded step of a computation (src/exact, through its recorder) as a displayed chain:
 * lhs = formula = the matrices substituted = … = value. The forward pass and every form of the gradient are
 * printed through it, so what is printed is what was computed.
 */
import type { Step } from '../exact/algebra.js';
import type { DerivationProblem } from './derivation-types.js';
import { type Block, equation } from './doc.js';

/** A recorded step as a displayed chain: lhs = formula = substituted = … = value. */
export function stepBlock<M>(p: Pick<DerivationProblem<M>, 'tex'>, step: Step<M>): Block {
  const rhs: string[] = [];
  if (step.formula) rhs.push(step.formula);
  for (const line of step.lines)
    rhs.push(line.tex.replace(/#(\d+)/g, (_, j: string) => p.tex(line.operands[Number(j)]!)));
  rhs.push(p.tex(step.value));
  return equation(step.lhs, ...rhs);
}
