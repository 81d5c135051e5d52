/**
 * Exact arithmetic: rational matrices, the paper's products on them, activations that are exact on rationals,
 * and the forward pass and every gradient form written once over an algebra (rationals or float64).
 */
export { Fraction, parseRational, rationalFromNumber, formatRational, texRational, rationalToNumber } from './rational.js';
export type { Rational } from './rational.js';
export { RMatrix, rmatrix, rcolumn, rzeros, rones, rmatrixFromNumbers, toRational } from './matrix.js';
export type { RationalInput } from './matrix.js';
export { rmatmul, rhadamard, rbullet, rkron, rtranspose, rdiag, radd, rscale } from './products.js';
export { Polynomial, parsePolynomial, MAX_DEGREE } from './polynomial.js';
export { exactActivations, exactActivationNames, polynomialActivation, exactActivationFor } from './activation.js';
export type { ExactActivation } from './activation.js';
export { ExactNetwork, toExactNetwork, toExactMatrix } from './network.js';
export { rationalAlgebra, floatAlgebra, floatAlgebraOf, exactNet, floatNet } from './algebra.js';
export type { Algebra, AlgebraNet, AlgebraTrace, Step, Recorder, FormResult, AlgebraEngine } from './algebra.js';
export { algebraForward, exactForward } from './forward.js';
export { recursiveForm } from '../grad/recursive.js';
export { explicitForm } from '../grad/explicit.js';
export { kroneckerForm } from '../grad/kronecker.js';
export { diagonalForm } from '../grad/diagonal.js';
export { scalarForm } from '../grad/scalar.js';
export { proofForm } from '../grad/proof.js';
export { seedIsOne } from '../grad/seed.js';
export { exactForms, exactFormNames, isExactForm, exactFormApplies, algebraSeed, exactGradient, exactGradsEqual, compareExactForms } from './forms.js';
export type { ExactForm, FormInfo, ExactGradientResult, ExactGradientOptions } from './forms.js';
