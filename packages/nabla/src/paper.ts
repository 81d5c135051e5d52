/**
 * `nabla/paper`: the mathematics of the paper, every piece of it. Matrices and the paper's products (§2, §5), the
 * activation catalog and columns Σ_i (§2), homogeneous and affine networks (§3), the forward pass, every gradient
 * form of §4–§6 in floating point, the Jacobian, finite differences, and the same forms in exact rational
 * arithmetic. The main entry `nabla` re-exports the part most programs need; this subpath is for readers of the
 * paper and for tools built on it (the CLI, the explorer).
 */
export { Matrix, zeros, fromRows, fromColumns, columnOf, identity as identityMatrix, maxAbsDiff, firstNonFinite, newArray } from './linalg/matrix.js';
export type { FloatArray, DType } from './kernels/types.js';
export { matmul, matmulHadamard, matmulTN, matmulNT, bullet, hadamard, kron, transpose, diag, outer, add, scale, sumColumns } from './linalg/products.js';
export type { ProductOptions, MatmulOptions, MatmulHadamardOptions } from './linalg/products.js';
export { activations, activationNames, getActivation, defineActivation, checkActivationDerivative } from './net/activation.js';
export type { Activation, ActivationDefinition, DerivativeCheck } from './net/activation.js';
export { parseActivationSpec, activationSpecFromJson, fitActivationSpec, splitActivationSpec } from './net/activation-spec.js';
export type { LayerActivations, ActivationSpecOptions } from './net/activation-spec.js';
export { Column } from './net/column.js';
export type { ActivationRun } from './net/column.js';
export { Layers } from './net/layers.js';
export { Network, columnsFrom, checkWidths, MAX_WIDTH, MAX_PARAMETERS } from './net/network.js';
export type { ColumnSpec } from './net/network.js';
export { createNetwork, initWeights, initSchemes } from './net/init.js';
export type { InitScheme, CreateNetworkOptions } from './net/init.js';
export { AffineNetwork, createAffineNetwork, toHomogeneous, fromHomogeneous, augment, affineEvaluate, affineGradient, genuineRows, genuineWidths, withoutFormalRows, withFormalRows } from './net/affine.js';
export type { CreateAffineOptions } from './net/affine.js';
export { forward, evaluate, allocateTrace } from './net/forward.js';
export type { Trace, ForwardOptions } from './net/forward.js';
export { seedMatrix } from './grad/types.js';
export type { Grads, GradientEngine, SeedInput } from './grad/types.js';
export { recursive, explicit, kronecker, diagonal, scalarChain, proof, floatEngine, paperForms, paperFormNames, formAppliesTo } from './grad/forms.js';
export type { PaperForm, FormInfo } from './grad/forms.js';
export { scalarRecursion } from './grad/scalar-recursion.js';
export { numeric, numericGradient } from './grad/numeric.js';
export type { NumericOptions } from './grad/numeric.js';
export { jacobian } from './grad/jacobian.js';
export { gradientForms, gradientFormNames, isGradientForm, formApplies, maxGradDifference } from './grad/forms.js';
export type { GradientForm } from './grad/forms.js';
export { workedGradient } from './grad/worked.js';
export type {
  WorkedGradient, WorkedForm, WorkedRecords, WorkedProblem, WorkedGradientOptions, WorkedFloatOptions,
} from './grad/worked.js';
export { Rng } from './rng.js';
export * from './exact/index.js';
