/**
 * `nabla/train`: the training machinery under `Model.fit`, on the paper's objects (a `Network`, samples as the
 * columns of X). Losses as seeds Δ_{k+1} of the recursion, optimizers with PyTorch's update rules, schedules,
 * gradient clipping, the divergence diagnosis, the low-level `fit`, evaluation, and in-memory data sets.
 */
export { checkDataset, subset, splitDataset, splitIndices, fitStandardizer, applyStandardizer, gatherBatch, gatherTargets, gatherLabels, oneHot } from './data/dataset.js';
export type { Dataset, Standardizer, SplitOptions } from './data/dataset.js';
export { makeSynthetic, syntheticNames, isSyntheticName } from './data/synthetic.js';
export type { SyntheticName, SyntheticOptions } from './data/synthetic.js';
export { makeRegressionSynthetic, regressionSyntheticNames, isRegressionSyntheticName, regressionTarget } from './data/synthetic-regression.js';
export type { RegressionSyntheticName, RegressionSyntheticOptions } from './data/synthetic-regression.js';
export { losses, getLoss, checkLossFits, mse, softmaxCrossEntropy, binaryCrossEntropy, lossNames, defaultLoss } from './train/loss.js';
export type { Loss, LossName } from './train/loss.js';
export { createOptimizer, optimizerNames } from './train/optimizer.js';
export type { Optimizer, OptimizerName, OptimizerOptions, OptimizerState } from './train/optimizer.js';
export { learningRateAt, scheduleNames } from './train/schedule.js';
export type { ScheduleName, ScheduleOptions } from './train/schedule.js';
export { clipGradNorm } from './train/clip.js';
export { addPenaltyGradient, checkRegularization, regularizationKinds } from './train/regularization.js';
export type { Regularization, RegularizationKind } from './train/regularization.js';
export { DivergenceError, diagnose } from './train/divergence.js';
export type { DivergenceDetails } from './train/divergence.js';
export { fit, fitAsync } from './train/fit.js';
export { backpropagate, allocateGrads } from './train/backprop.js';
export type { RecursiveOptions } from './train/backprop.js';
export type { FitOptions, FitAsyncOptions, FitResult, EpochRecord, EpochInfo, BatchInfo, CallbackResult } from './train/fit.js';
export { evaluateDataset, predictOutputs, predictedClass, argmaxColumn } from './train/metrics.js';
export type { Evaluation } from './train/metrics.js';
export { inputView } from './train/input-view.js';
export { targetView } from './train/targets.js';
