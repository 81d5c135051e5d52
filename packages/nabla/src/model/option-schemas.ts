/**
 * One schema per options object of the public API (createModel, fit / fitSync, evaluate, predict, gradient,
 * loadModel / loadModelFile, exportOnnx, loadCsv), and `readOptions`, which checks a value against one: unknown keys
 * are refused with the right name (option-keys.ts), and a value of the wrong type, or empty where one is required,
 * with its path, what was found and what was expected. Checks of ranges that need the model or the data stay where
 * they are; this is where types and names are checked, before any work starts.
 */
import * as z from 'zod/mini';
import { describeValue, OptionError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { unknownOptionText } from './option-keys.js';

/** The schema's message for a wrong value: what was expected (the path and the value found are added). */
const expect = (expected: string) => ({ error: () => expected });

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/** A finite number (NaN and ±Infinity refused). */
const finite = (expected = 'a finite number') => z.number(expect(expected));
const wholeAtLeast = (min: number) =>
  z.int(expect(`a whole number ≥ ${min}`)).check(z.gte(min, expect(`a whole number ≥ ${min}`)));
const positive = () => z.number(expect('a positive number')).check(z.gt(0, expect('a positive number')));
const flag = () => z.boolean(expect('true or false'));
const text = (expected: string) => z.string(expect(expected)).check(z.minLength(1, expect(expected)));
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, expect(`one of: ${values.map((v) => `'${v}'`).join(', ')}`));
const object = (expected: string) => z.custom<object>(isObject, expect(expected));
const callback = () => z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', expect('a function'));
const kernels = () =>
  z.custom<unknown>(
    (v) => (typeof v === 'string' && v !== '') || (isObject(v) && typeof v.matmul === 'function'),
    expect("'native', 'wasm', 'ref', 'auto' or a Kernels object"),
  );
const lossName = () => text("one of: mse, softmax-ce, bce (or Keras's name of one)");
const dtype = () => oneOf(['float32', 'float64']);
const activationObject = (v: unknown) =>
  isObject(v) && typeof v.name === 'string' && typeof v.sigma === 'function' && typeof v.dsigma === 'function';
const ACTIVATION = "an activation's name (e.g. 'tanh'), an Activation, or a list of them, one per neuron";
const activation = () =>
  z.custom<unknown>(
    (v) =>
      (typeof v === 'string' && v !== '') ||
      activationObject(v) ||
      (Array.isArray(v) && v.length > 0 && v.every((a) => (typeof a === 'string' && a !== '') || activationObject(a))),
    expect(ACTIVATION),
  );
const labels = () =>
  z
    .array(z.union([z.string(), finite()], expect('a label (a string or a number)')), expect('a list of class labels'))
    .check(z.minLength(1, expect('a list of class labels')));

const LAYERS = 'a list of layers, e.g. [{ units: 8, activation: "tanh" }, { units: 1 }]';
const layerSpec = z.union(
  [
    z.number(), // "layers[j].units = …; expected a whole number ≥ 1" where the layers are read
    z.strictObject({
      units: z.optional(z.unknown()), // "layers[j].units = …; expected a whole number ≥ 1" where the layers are read
      activation: z.optional(activation()),
      inputShape: z.optional(z.unknown()),
      input_shape: z.optional(z.unknown()),
    }),
  ],
  expect('a number of units, or { units, activation }'),
);

/** `createModel`'s options. */
export const modelOptionsSchema = z.strictObject(
  {
    inputs: z.optional(z.unknown()), // "inputs = …; expected a whole number ≥ 1 (the features per sample)"
    layers: z
      .array(layerSpec, expect(LAYERS))
      .check(z.minLength(1, expect(`at least one layer, ${LAYERS.replace('a list of layers, ', '')}`))),
    bias: z.optional(flag()),
    loss: z.optional(lossName()),
    classes: z.optional(labels()),
    dtype: z.optional(dtype()),
    seed: z.optional(finite()),
    init: z.optional(oneOf(['glorot', 'he', 'uniform'])),
    activations: z.optional(z.record(z.string(), z.custom(activationObject, expect('an Activation')))),
    inputScaling: z.optional(object('{ mean, std }, one number per input in each')),
    description: z.optional(z.string(expect('a string'))),
    inputShape: z.optional(z.unknown()),
    input_shape: z.optional(z.unknown()),
  },
  expect('an object'),
);

/** The monitors of early stopping: Keras's names (val_accuracy: the largest validation accuracy is the best). */
export const monitorNames = ['val_loss', 'loss', 'val_accuracy'] as const;

/** `Model.fit`'s and `fitSync`'s options. */
export const fitOptionsSchema = z.strictObject(
  {
    epochs: z.optional(wholeAtLeast(1)),
    batchSize: z.optional(wholeAtLeast(1)),
    optimizer: z.optional(text("one of: 'sgd', 'adam', 'adamw'")),
    learningRate: z.optional(positive()),
    optimizerOptions: z.optional(object('an object of optimizer options (momentum, betas, weightDecay, …)')),
    schedule: z.optional(
      z.union([text("'constant', 'step' or 'cosine'"), object('')], expect("'step', 'cosine' or { name, … }")),
    ),
    clipNorm: z.optional(positive()),
    regularization: z.optional(object("{ kind: 'l1' | 'l2', rate }")),
    validationData: z.optional(
      z.custom<unknown>((v) => (Array.isArray(v) && v.length === 2) || isObject(v), expect('[x, y] or a Dataset')),
    ),
    validationSplit: z.optional(
      z
        .number(expect('a fraction between 0 and 1'))
        .check(z.gt(0, expect('a fraction between 0 and 1')), z.lt(1, expect('a fraction between 0 and 1'))),
    ),
    shuffle: z.optional(flag()),
    seed: z.optional(finite()),
    standardize: z.optional(flag()),
    earlyStopping: z.optional(
      z.strictObject(
        {
          patience: wholeAtLeast(0),
          minDelta: z.optional(z.number(expect('a number ≥ 0')).check(z.gte(0, expect('a number ≥ 0')))),
          monitor: z.optional(oneOf(monitorNames)),
        },
        expect("{ patience, minDelta?, monitor?: 'val_loss' | 'loss' | 'val_accuracy' }"),
      ),
    ),
    onEpochBegin: z.optional(callback()),
    onEpochEnd: z.optional(callback()),
    onBatchBegin: z.optional(callback()),
    onBatchEnd: z.optional(callback()),
    signal: z.optional(
      z.custom<unknown>(
        (v) => isObject(v) && typeof v.aborted === 'boolean',
        expect('an AbortSignal (an object with a boolean aborted)'),
      ),
    ),
    kernels: z.optional(kernels()),
    sliceMs: z.optional(z.number(expect('a number ≥ 0')).check(z.gte(0, expect('a number ≥ 0')))),
    onTrainBegin: z.optional(callback()),
    threads: z.optional(
      z.union([z.literal('auto'), z.int().check(z.gte(1), z.lte(64))], expect("'auto' or a whole number from 1 to 64")),
    ),
    trainingNotes: z.optional(
      z.record(
        z.string(),
        z.union([z.string(), finite(), z.boolean(), z.null()], expect('a string, number, boolean or null')),
        expect('an object of notes'),
      ),
    ),
    loss: z.optional(lossName()),
  },
  expect('an object'),
);

/** `Model.evaluate`'s options. */
export const evaluateOptionsSchema = z.strictObject(
  { loss: z.optional(lossName()), kernels: z.optional(kernels()) },
  expect('an object, e.g. { loss: "mse" }'),
);

/** `Model.gradient`'s options. */
export const gradientOptionsSchema = z.strictObject(
  {
    forms: z.optional(
      z.union(
        [
          z.literal('all'),
          z.array(text('a form of the paper')).check(z.minLength(1, expect("a list of forms, or 'all'"))),
        ],
        expect("a list of the paper's forms (gradientFormNames), or 'all'"),
      ),
    ),
    seed: z.optional(
      z.custom<unknown>(
        (v) => (Array.isArray(v) && v.length > 0) || v instanceof Matrix,
        expect('v: a list of numbers, one per output (or a Matrix)'),
      ),
    ),
  },
  expect("an object, e.g. { forms: 'all' }"),
);

/** `loadModel`'s and `loadModelFile`'s options. */
export const loadModelOptionsSchema = z.strictObject(
  {
    source: z.optional(text('a name for messages')),
    activations: z.optional(z.record(z.string(), z.custom(activationObject, expect('an Activation')))),
    training: z.optional(flag()),
    dtype: z.optional(dtype()),
  },
  expect('an object'),
);

/** `exportOnnx`'s options. */
export const exportOnnxOptionsSchema = z.strictObject(
  {
    polynomials: z.optional(z.record(z.string(), text('a polynomial as text, e.g. "x^3 - x"'))),
    graphName: z.optional(text('a name')),
    output: z.optional(z.enum(['network', 'probabilities'], expect("'network' (f, the default) or 'probabilities'"))),
  },
  expect('an object'),
);

/** `loadCsv`'s options (and `parseCsv`'s, whose `source` is required). */
export const csvOptionsSchema = z.strictObject(
  {
    source: z.optional(text('a name for messages')),
    target: z.optional(text("a column's name")),
    task: z.optional(oneOf(['classification', 'regression'])),
    classes: z.optional(labels()),
    header: z.optional(flag()),
  },
  expect("an object, e.g. { task: 'classification' }"),
);

type Path = readonly PropertyKey[];

function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const p of path) v = isObject(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** The keys of the object schema at `path` (through optional, array and union), in the order declared. */
function keysAt(schema: z.ZodMiniType, path: Path): string[] {
  let s: unknown = schema;
  const def = (x: unknown) => (x as { _zod: { def: Record<string, unknown> } })._zod.def;
  const unwrap = () => {
    for (;;) {
      const d = def(s);
      if (d.type === 'optional') s = d.innerType;
      else if (d.type === 'union') s = (d.options as unknown[]).find((o) => def(o).type === 'object') ?? s;
      else return;
      if (d.type === 'union') return;
    }
  };
  for (const p of path) {
    unwrap();
    const d = def(s);
    s = d.type === 'array' ? d.element : (d.shape as Record<string, unknown>)[String(p)];
  }
  unwrap();
  return Object.keys((def(s).shape as Record<string, unknown>) ?? {});
}

/**
 * A union's issue as the issue of the branch that got furthest (an object with a wrong field is reported at the
 * field, not as "none of the shapes"), else the union's own.
 */
function deepest(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  let best: z.core.$ZodIssue | undefined;
  for (const branch of issue.errors) {
    for (const i of branch) if (i.path.length > (best?.path.length ?? 0)) best = i;
  }
  return best ? deepest({ ...best, path: [...issue.path, ...best.path] } as z.core.$ZodIssue) : issue;
}

/**
 * `value` checked against `schema`; `what` names the options object in messages (`fit`, `createModel`, …). Throws
 * `OptionError`: for a key the options do not have, naming the one to use; for a wrong value, its path, the value
 * found and what was expected. `undefined` stands for no options.
 */
export function readOptions<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  if (value === undefined) value = {};
  const r = z.safeParse(schema, value);
  if (r.success) return value as T;
  const issues = r.error.issues.map(deepest);
  const first = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  if (first.code === 'unrecognized_keys') {
    const where = first.path.length === 0 ? what : pathText(first.path);
    throw new OptionError(unknownOptionText(first.keys[0]!, keysAt(schema, first.path), where));
  }
  const found = valueAt(value, first.path);
  const name = first.path.length === 0 ? `${what} options` : pathText(first.path);
  if (found === undefined && first.path.length > 0)
    throw new OptionError(`${name}: missing; expected ${first.message}`);
  const shown = typeof found === 'function' ? 'a function' : describeValue(found);
  throw new OptionError(`${name} = ${shown}; expected ${first.message}`);
}
