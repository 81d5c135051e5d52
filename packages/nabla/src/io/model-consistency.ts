/**
 * The one consistency check of a loaded model (model file or ONNX): the parts that span several fields must agree
 * — class labels with the output width, the optimizer state with the optimizer and the shapes of W_i, the run's
 * record (`training`) with what `fit` could have written. Runs after the schema, on a file whose shapes are known.
 */
import { optimizerNames, optimizerStateProblem } from '../train/optimizer.js';
import { scheduleNames } from '../train/schedule.js';
import { formatPath } from './json.js';
import type { ModelIssue, ModelMeta } from './model-format.js';

/** What the consistency check looks at: the widths as written (n_i, or m_i when affine) and the metadata. */
export interface ModelParts extends Omit<ModelMeta, 'dtype'> {
  widths: readonly number[];
  affine?: boolean;
}

/** The first disagreement between the parts of a model, as an issue with its JSON path, or undefined. */
export function modelConsistencyProblem(file: ModelParts): ModelIssue | undefined {
  const outputs = file.widths[file.widths.length - 1]!;
  const k = file.widths.length - 1;
  const sym = file.affine ? 'm' : 'n';
  if (file.classes !== undefined) {
    const count = file.classes.length;
    const fits = count === outputs || (outputs === 1 && count === 2);
    if (!fits) {
      const expected =
        outputs === 1 ? '2 (one output neuron stands for two classes)' : `${outputs} (one per output neuron)`;
      return {
        path: 'classes',
        message: `${count} class label${count === 1 ? '' : 's'} for ${sym}_${k} = ${outputs} output neuron${outputs === 1 ? '' : 's'}; expected ${expected}`,
      };
    }
  }
  const optimizer = file.optimizer && optimizerStateProblem(file.optimizer);
  if (optimizer) return { path: formatPath(['optimizer', ...optimizer.path]), message: optimizer.message };
  return file.training && trainingProblem(file.training, file.optimizer?.name);
}

/** Each key of the run's record that `fit` reads back when it continues the run: what it must hold. */
const TRAINING_KEYS: Record<string, { ok: (v: unknown) => boolean; expected: string }> = {
  optimizer: {
    ok: (v) => (optimizerNames as readonly unknown[]).includes(v),
    expected: `one of: ${optimizerNames.join(', ')}`,
  },
  learningRate: { ok: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0, expected: 'a positive number' },
  schedule: {
    ok: (v) => (scheduleNames as readonly unknown[]).includes(v),
    expected: `one of: ${scheduleNames.join(', ')}`,
  },
  stepSize: { ok: (v) => Number.isInteger(v) && (v as number) >= 1, expected: 'a whole number of epochs ≥ 1' },
  gamma: { ok: (v) => typeof v === 'number' && v > 0 && v <= 1, expected: 'a number in (0, 1]' },
  batchSize: { ok: (v) => Number.isInteger(v) && (v as number) >= 1, expected: 'a whole number ≥ 1' },
  seed: { ok: (v) => Number.isSafeInteger(v), expected: 'a whole number' },
  shuffle: { ok: (v) => typeof v === 'boolean', expected: 'true or false' },
};

/** The first value of the run's record that a continued `fit` could not use, or an optimizer other than the state's. */
function trainingProblem(
  training: NonNullable<ModelMeta['training']>,
  stateOf: string | undefined,
): ModelIssue | undefined {
  for (const [key, rule] of Object.entries(TRAINING_KEYS)) {
    const v = training[key];
    if (v !== undefined && !rule.ok(v))
      return { path: `training.${key}`, message: `expected ${rule.expected}, found ${JSON.stringify(v)}` };
  }
  if (stateOf !== undefined && training['optimizer'] !== undefined && training['optimizer'] !== stateOf) {
    return {
      path: 'training.optimizer',
      message: `${JSON.stringify(training['optimizer'])}, but the optimizer state is ${stateOf}'s`,
    };
  }
  return undefined;
}
