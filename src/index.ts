/**
 * nabla: feed-forward networks and their gradients in the matrix notation of N. M. Mishachev,
 * "Backpropagation in matrix notation". Public API (named exports only).
 */
export * from './errors.js';
export { Matrix, zeros, fromRows, fromColumns, columnOf, identity as identityMatrix, maxAbsDiff, firstNonFinite, newArray } from './linalg/matrix.js';
export type { FloatArray, DType } from './linalg/matrix.js';
export { matmul, matmulHadamard, matmulTN, matmulNT, bullet, hadamard, kron, transpose, diag, outer, add, scale, sumColumns } from './linalg/products.js';
export type { ProductOptions, MatmulOptions, MatmulHadamardOptions } from './linalg/products.js';
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
export { checkDataset, subset, splitDataset, fitStandardizer, applyStandardizer, gatherBatch, gatherTargets, gatherLabels, oneHot } from './data/dataset.js';
export type { Dataset, Standardizer, SplitOptions } from './data/dataset.js';
export { loadMnist, MNIST_PIXELS, MNIST_TRAIN, MNIST_TEST, MNIST_SPLIT_SEED } from './data/mnist.js';
export { parseCsv, loadCsv } from './data/csv.js';
export type { CsvOptions, LoadCsvOptions } from './data/csv.js';
export { parseIdx, loadIdxDataset, labelPathCandidates } from './data/idx.js';
export type { IdxArray, IdxData, IdxTypeName } from './data/idx.js';
export { makeSynthetic, syntheticNames, isSyntheticName } from './data/synthetic.js';
export type { SyntheticName, SyntheticOptions } from './data/synthetic.js';
export { loadDataset, datasetKind, datasetSpecHelp } from './data/load.js';
export type { LoadOptions, LoadedData } from './data/load.js';
export { parseModel, safeParseModel, loadModel, safeLoadModel, serializeModel, saveModel } from './io/model-io.js';
export type { LoadedModel, SaveableModel, ParseModelOptions, SafeParseModelResult, SafeLoadModelResult } from './io/model-io.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, lossNames as modelLossNames } from './io/model-format.js';
export type { ModelMeta, LossName, OptimizerState, Preprocessing, LayerMatrices } from './io/model-format.js';
export { parseJson, writeJson, writeFloat32, writeFloat64 } from './io/json.js';
export type { JsonParseResult } from './io/json.js';
export { jsonErrorText, formatPath } from './io/json.js';
export { describeValue } from './io/json.js';
export { losses, getLoss, checkLossFits, mse, softmaxCrossEntropy, binaryCrossEntropy, lossNames } from './train/loss.js';
export type { Loss } from './train/loss.js';
export { createOptimizer, optimizerNames } from './train/optimizer.js';
export type { Optimizer, OptimizerName, OptimizerOptions, OptimizerState as TrainingOptimizerState } from './train/optimizer.js';
export { learningRateAt, scheduleNames } from './train/schedule.js';
export type { ScheduleName, ScheduleOptions } from './train/schedule.js';
export { clipGradNorm } from './train/clip.js';
export { DivergenceError, diagnose } from './train/divergence.js';
export type { DivergenceDetails } from './train/divergence.js';
export { fit } from './train/fit.js';
export type { FitOptions, FitResult, EpochRecord, EpochInfo, BatchInfo } from './train/fit.js';
export { evaluateDataset, predictOutputs, predictedClass, argmaxColumn } from './train/metrics.js';
export type { Evaluation } from './train/metrics.js';
export { inputView } from './train/input-view.js';
export { targetView } from './train/targets.js';
export { createWasmKernels } from './kernels/wasm/index.js';
export type { WasmKernels, WasmKernelsOptions } from './kernels/wasm/index.js';
export {
  Fraction, parseRational, rationalFromNumber, formatRational, texRational, rationalToNumber, RMatrix, rmatrix,
  rcolumn, rzeros, rones, rmatrixFromNumbers, toRational, rmatmul, rhadamard, rbullet, rkron, rtranspose, rdiag, radd,
  rscale, Polynomial, parsePolynomial, MAX_DEGREE, exactActivations, exactActivationNames, polynomialActivation,
  exactActivationFor, ExactNetwork, toExactNetwork, toExactMatrix, rationalAlgebra, floatAlgebra, exactNet, floatNet,
  algebraForward, exactForward, recursiveForm, explicitForm, kroneckerForm, diagonalForm, scalarForm, proofForm,
  seedIsOne, exactForms, exactFormNames, isExactForm, exactFormApplies, algebraSeed, exactGradient, exactGradsEqual,
  compareExactForms
} from './exact/index.js';
export type {
  Rational, RationalInput, ExactActivation, Algebra, AlgebraNet, AlgebraTrace, Step, Recorder, FormResult,
  AlgebraEngine, ExactForm, FormInfo, ExactGradientResult, ExactGradientOptions
} from './exact/index.js';
export {
  renderMarkdown, renderLatex, renderHtml, renderHtmlBody, renderDocument, usedClasses, docFormats, buildDerivation,
  explain, exactProblem, floatProblem, generateExercises, exerciseSheet, answerKey, exercisesToJson, parseExerciseFile,
  parseAnswerJson, parseAnswerCsv, csvAnswerName, gradeAnswers, mistakenVariants, mistakeTitles, exerciseKinds,
  exerciseForms, answerKeys, askName, askSymbol, parseAskName, solve as solveExercise, answerOf, activationRegistry, DECIMAL_TOLERANCE,
  EXERCISE_FORMAT, EXERCISE_FORMAT_VERSION, formatDecimal
} from './teach/index.js';
export type {
  Doc, Block, Inline, DocFormat, HtmlOptions, ExplainForm, DerivationProblem, DerivationOptions, ExplainOptions,
  ExerciseKind, ExerciseForm, AnswerKey, Ask, Exercise, ExerciseSet, Solution, GenerateOptions, AnswerSet, GivenMatrix,
  GivenEntry, MistakeId, Variant, GradeReport, ExerciseGrade, MatrixGrade, MatrixStatus, WrongEntry, MistakeMatch
} from './teach/index.js';
