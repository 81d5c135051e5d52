/**
 * nabla: feed-forward networks and their gradients in the matrix notation of N. M. Mishachev,
 * "Backpropagation in matrix notation". Public API (named exports only).
 */
export * from './errors.js';
export { Matrix, zeros, fromRows, fromColumns, columnOf, identity as identityMatrix, maxAbsDiff, firstNonFinite, newArray } from './linalg/matrix.js';
export type { FloatArray, DType } from './linalg/matrix.js';
export { matmul, matmulTN, matmulNT, bullet, hadamard, kron, transpose, diag, outer, add, scale, sumColumns } from './linalg/products.js';
export type { ProductOptions, MatmulOptions } from './linalg/products.js';
export type { Kernels } from './kernels/types.js';
export { refKernels } from './kernels/ref.js';
export {
  activations,
  activationNames,
  getActivation,
  defineActivation,
  checkActivationDerivative,
} from './net/activation.js';
export type { Activation, ActivationDefinition, DerivativeCheck } from './net/activation.js';
export { Column } from './net/column.js';
export type { ActivationRun } from './net/column.js';
export { Layers } from './net/layers.js';
export { Network, columnsFrom, checkWidths, MAX_WIDTH, MAX_PARAMETERS } from './net/network.js';
export type { ColumnSpec } from './net/network.js';
export { createNetwork, initWeights, initSchemes } from './net/init.js';
export type { InitScheme, CreateNetworkOptions } from './net/init.js';
export { AffineNetwork, createAffineNetwork, toHomogeneous, fromHomogeneous, augment, affineEvaluate } from './net/affine.js';
export type { CreateAffineOptions } from './net/affine.js';
export { forward, evaluate, allocateTrace } from './net/forward.js';
export type { Trace, ForwardOptions } from './net/forward.js';
export { seedMatrix } from './grad/types.js';
export type { Grads, GradientEngine, SeedInput } from './grad/types.js';
export { backpropagate, allocateGrads, recursive } from './grad/recursive.js';
export type { RecursiveOptions } from './grad/recursive.js';
export { explicit } from './grad/explicit.js';
export { kronecker } from './grad/kronecker.js';
export { diagonal } from './grad/diagonal.js';
export { scalarChain, scalarRecursion } from './grad/scalar.js';
export { proof } from './grad/proof.js';
export { numeric, numericGradient } from './grad/numeric.js';
export type { NumericOptions } from './grad/numeric.js';
export { jacobian } from './grad/jacobian.js';
export { gradient, gradientForms, gradientFormNames, isGradientForm, formApplies, compareForms, maxGradDifference } from './grad/forms.js';
export type { GradientForm, GradientResult } from './grad/forms.js';
export { Rng } from './rng.js';
