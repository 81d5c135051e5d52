/**
 * `nabla/paper`, for readers of the paper and tools built on it (the CLI, the explorer): matrices and the paper's
 * products, activation columns, homogeneous and affine networks, the forward pass, every gradient form of §4–§6 as
 * its own engine, finite differences, and the same forms in exact arithmetic, each step passed to a `Recorder`.
 * @packageDocumentation
 */

export type { ExactActivation } from './exact/activation.js';
export { polynomialActivation } from './exact/activation.js';
export type { Algebra, Recorder, Step } from './exact/algebra.js';
export type { ExactForm, ExactGradientResult } from './exact/forms.js';
export { compareExactForms, exactFormNames, exactForms, exactGradient } from './exact/forms.js';
export { exactForward } from './exact/forward.js';
export { RMatrix } from './exact/matrix.js';
export { toExactNetwork } from './exact/network.js';
export { rbullet, rdiag, rhadamard, rkron, rmatmul, rtranspose } from './exact/products.js';
export type { Rational } from './exact/rational.js';
// exact arithmetic: rationals, the forms over an algebra
export { Fraction, formatRational, parseRational, rationalToNumber, texRational } from './exact/rational.js';
export type { GradientForm, PaperForm } from './grad/forms.js';
export {
  formApplies,
  gradientFormNames,
  gradientForms,
  maxGradDifference,
  paperForms,
  recursive,
} from './grad/forms.js';
export { jacobian } from './grad/jacobian.js';
export { numericGradient } from './grad/numeric.js';
export { scalarRecursion } from './grad/scalar-recursion.js';
export type { Grads, SeedInput } from './grad/types.js';
// the gradient forms (§4–§6) in floating point
export { seedMatrix } from './grad/types.js';
export type {
  WorkedFloatOptions,
  WorkedForm,
  WorkedGradient,
  WorkedGradientOptions,
  WorkedProblem,
  WorkedRecords,
} from './grad/worked.js';
// the worked gradient: forward once, each requested form once on that trace, every step recorded
export { workedGradient } from './grad/worked.js';
export { fromColumns, fromRows, Matrix, newArray, zeros } from './linalg/matrix.js';
export { bullet, diag, hadamard, kron, matmul, matmulNT, matmulTN, outer, transpose } from './linalg/products.js';
export type { LayerActivations } from './net/activation-spec.js';
// networks (§2, §3)
export { activationSpecFromJson, fitActivationSpec, parseActivationSpec } from './net/activation-spec.js';
export {
  AffineNetwork,
  affineGradient,
  augment,
  createAffineNetwork,
  fromHomogeneous,
  genuineWidths,
  toHomogeneous,
  withFormalRows,
  withoutFormalRows,
} from './net/affine.js';
export { Column } from './net/column.js';
export type { Trace } from './net/forward.js';
export { evaluate, forward } from './net/forward.js';
export type { InitScheme } from './net/init.js';
export { createNetwork, initSchemes } from './net/init.js';
export { Layers } from './net/layers.js';
export { checkWidths, Network } from './net/network.js';
export { Rng } from './rng.js';
