/**
 * `nabla/paper`, for students and lecturers reading the paper, and for tools built on it (the CLI, the explorer):
 * matrices and the paper's products (§2, §5), activation columns Σ_i (§2), homogeneous and affine networks (§3),
 * the forward pass, every gradient form of §4–§6 as its own engine, finite differences, and the same forms in exact
 * rational arithmetic over an `Algebra`, each step passed to a `Recorder`.
 *
 * @packageDocumentation
 */
export { Matrix, zeros, fromRows, fromColumns, newArray } from './linalg/matrix.js';
export { matmul, matmulTN, matmulNT, bullet, hadamard, kron, transpose, diag, outer } from './linalg/products.js';
export { Rng } from './rng.js';
// networks (§2, §3)
export { parseActivationSpec, activationSpecFromJson, fitActivationSpec } from './net/activation-spec.js';
export type { LayerActivations } from './net/activation-spec.js';
export { Column } from './net/column.js';
export { Layers } from './net/layers.js';
export { Network, checkWidths } from './net/network.js';
export { createNetwork, initSchemes } from './net/init.js';
export type { InitScheme } from './net/init.js';
export { AffineNetwork, createAffineNetwork, toHomogeneous, fromHomogeneous, augment, affineGradient, genuineWidths, withoutFormalRows,
  withFormalRows,
} from './net/affine.js';
export { forward, evaluate } from './net/forward.js';
export type { Trace } from './net/forward.js';
// the gradient forms (§4–§6) in floating point
export { seedMatrix } from './grad/types.js';
export type { Grads, SeedInput } from './grad/types.js';
export { recursive, paperForms, formApplies } from './grad/forms.js';
export type { PaperForm } from './grad/forms.js';
export { gradientForms, gradientFormNames, maxGradDifference } from './grad/forms.js';
export type { GradientForm } from './grad/forms.js';
// the worked gradient: forward once, each requested form once on that trace, every step recorded
export { workedGradient } from './grad/worked.js';
export type { WorkedGradient, WorkedForm, WorkedRecords, WorkedProblem, WorkedGradientOptions, WorkedFloatOptions } from './grad/worked.js';
export { scalarRecursion } from './grad/scalar-recursion.js';
export { numericGradient } from './grad/numeric.js';
export { jacobian } from './grad/jacobian.js';
// exact arithmetic: rationals, the forms over an algebra
export { Fraction, parseRational, formatRational, texRational, rationalToNumber } from './exact/rational.js';
export type { Rational } from './exact/rational.js';
export { RMatrix } from './exact/matrix.js';
export { polynomialActivation } from './exact/activation.js';
export type { ExactActivation } from './exact/activation.js';
export { rmatmul, rhadamard, rbullet, rkron, rtranspose, rdiag } from './exact/products.js';
export { toExactNetwork } from './exact/network.js';
export type { Algebra, Step, Recorder } from './exact/algebra.js';
export { exactForward } from './exact/forward.js';
export { exactForms, exactFormNames, exactGradient, compareExactForms } from './exact/forms.js';
export type { ExactForm, ExactGradientResult } from './exact/forms.js';
