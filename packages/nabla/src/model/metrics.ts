/**
 * Metrics beyond the loss: per-class precision, recall and F1 from the confusion matrix (classification), and
 * MAE / RMSE (regression), with scikit-learn's conventions (a class never predicted has precision 0; macro
 * averages are unweighted means over classes).
 */

/** Precision, recall, F1 and support of one class. */
export interface ClassMetrics {
  /** The class label. */
  label: string | number;
  /** Of the samples predicted as this class, the fraction that are (0 when none is predicted). */
  precision: number;
  /** Of the samples of this class, the fraction predicted as it. */
  recall: number;
  /** Harmonic mean of precision and recall. */
  f1: number;
  /** Samples whose true class this is. */
  support: number;
}

/** Classification metrics of one evaluation. */
export interface ClassificationReport {
  /** Fraction of samples predicted correctly. */
  accuracy: number;
  /** One entry per class, in the order of the model's classes. */
  perClass: ClassMetrics[];
  /** Unweighted means over the classes. */
  macro: {
    /** Mean precision. */
    precision: number;
    /** Mean recall. */
    recall: number;
    /** Mean F1. */
    f1: number;
  };
  /** confusion[true][predicted]: sample counts. */
  confusion: number[][];
}

/** Regression metrics of one evaluation. */
export interface RegressionReport {
  /** Mean absolute error over every output of every sample. */
  mae: number;
  /** Root mean squared error over every output of every sample. */
  rmse: number;
}

/** The classification report of a confusion matrix whose rows and columns follow `classes`. */
export function classificationReport(
  confusion: number[][],
  classes: readonly (string | number)[],
): ClassificationReport {
  const n = classes.length;
  let total = 0;
  let correct = 0;
  const perClass: ClassMetrics[] = classes.map((label, c) => {
    let predicted = 0;
    let support = 0;
    for (let j = 0; j < n; j++) {
      predicted += confusion[j]![c]!;
      support += confusion[c]![j]!;
    }
    const tp = confusion[c]![c]!;
    total += support;
    correct += tp;
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const mean = (f: (m: ClassMetrics) => number) => perClass.reduce((a, m) => a + f(m), 0) / Math.max(1, n);
  return {
    accuracy: correct / Math.max(1, total),
    perClass,
    macro: { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1) },
    confusion,
  };
}

/** MAE and RMSE of predictions against targets (equal-length flat arrays). */
export function regressionReport(predicted: ArrayLike<number>, targets: ArrayLike<number>): RegressionReport {
  let abs = 0;
  let sq = 0;
  for (let j = 0; j < targets.length; j++) {
    const d = predicted[j]! - targets[j]!;
    abs += Math.abs(d);
    sq += d * d;
  }
  const n = Math.max(1, targets.length);
  return { mae: abs / n, rmse: Math.sqrt(sq / n) };
}
