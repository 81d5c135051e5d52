/**
 * The model file, format "nabla-model", version 1 (docs/model-format.md): widths, dtype, affine, and per layer W_i
 * and its activation, plus the optional fields training writes. Validation runs in stages so sizes are known to be
 * sane before any big array is walked: header → widths and their size → the strict schema built for those widths.
 */
import * as z from 'zod/mini';
import { listExcerpt } from '../errors.js';
import { type Activation, activationNames } from '../net/activation.js';
import { MAX_LAYERS, MAX_PARAMETERS, MAX_WIDTH } from '../net/network.js';
import { describeValue } from './json.js';

export { firstIssue, issueText, type ModelIssue } from './model-issues.js';
export {
  type LayerMatrices,
  type LossName,
  lossNames,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelMeta,
  type OptimizerState,
  type Preprocessing,
} from './model-meta.js';

import { type LossName, lossNames, MODEL_FORMAT, MODEL_FORMAT_VERSION } from './model-meta.js';

/** Keys refused in every record of the file (they could change the prototype of objects built from it). */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const FLOAT32_MAX = 3.4028234663852886e38;
const FLOAT32_MAX_TEXT = '3.4028235e38';

// ---------------------------------------------------------------------------------------------------------
// Schema pieces

function finiteNumber(dtype: 'float32' | 'float64') {
  const n = z.number();
  return dtype === 'float32'
    ? n.check(
        z.refine((v) => Math.abs(v) <= FLOAT32_MAX, {
          error: (iss) => `${describeValue(iss.input)} is outside the float32 range (±${FLOAT32_MAX_TEXT})`,
        }),
      )
    : n;
}

const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);

/** An array whose length is checked before its elements are looked at. */
function sized<T extends z.ZodMiniType>(length: number, what: (found: number) => string, element: T) {
  return z.pipe(
    z.array(z.unknown()).check(z.length(length, { error: (iss) => what(count(iss.input)) })),
    z.array(element),
  );
}

/** rows × cols numbers as an array of rows. */
function matrix(rows: number, cols: number, rowsNote: string, colsNote: string, num: z.ZodMiniType<number>) {
  return sized(
    rows,
    (found) => `expected ${rows} row${rows === 1 ? '' : 's'}${rowsNote}, found ${found}`,
    sized(cols, (found) => `expected ${cols} number${cols === 1 ? '' : 's'}${colsNote}, found ${found}`, num),
  );
}

function vector(length: number, note: string, num: z.ZodMiniType<number>) {
  return sized(length, (found) => `expected ${length} number${length === 1 ? '' : 's'}${note}, found ${found}`, num);
}

/** A record with string keys; own "__proto__" keys (which zod would silently drop) and other unsafe keys are refused. */
function record<T extends z.ZodMiniType>(value: T) {
  const safeKeys = z.unknown().check(
    z.superRefine((v, ctx) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        for (const key of Object.keys(v)) {
          if (UNSAFE_KEYS.has(key))
            ctx.addIssue({ code: 'custom', path: [key], message: `the key "${key}" is not allowed` });
        }
      }
    }),
  );
  return z.pipe(safeKeys, z.record(z.string(), value));
}

function activationSchema(width: number, note: string, extra?: Readonly<Record<string, Activation>>) {
  const known = (name: string) => Object.hasOwn(extra ?? {}, name) || activationNames.includes(name);
  const list = [...activationNames, ...Object.keys(extra ?? {})].join(', ');
  const name = z
    .string()
    .check(
      z.refine(known, { error: (iss) => `unknown activation ${describeValue(iss.input)}; expected one of: ${list}` }),
    );
  const perNeuron = sized(
    width,
    (found) => `expected one activation name for the layer, or ${width} (one per neuron${note}), found ${found}`,
    name,
  );
  return z.union([name, perNeuron], {
    error: (iss) => `expected an activation name or an array of ${width} names, found ${describeValue(iss.input)}`,
  });
}

export interface SchemaContext {
  /** widths as written in the file (n_i, or m_i when affine). */
  widths: readonly number[];
  affine: boolean;
  dtype: 'float32' | 'float64';
  extraActivations?: Readonly<Record<string, Activation>>;
}

/** The complete strict schema for a file whose widths, affine flag and dtype are already known to be valid. */
export function modelSchema(c: SchemaContext) {
  const w = c.widths;
  const k = w.length - 1;
  const sym = c.affine ? 'm' : 'n';
  const num = finiteNumber(c.dtype);
  const f64 = finiteNumber('float64');
  const layerShape = (i: number) => {
    const rows = w[i]!;
    const cols = c.affine ? w[i - 1]! + 1 : w[i - 1]!;
    const rowsNote = ` (${sym}_${i} = ${rows})`;
    const colsNote = c.affine ? ` (m_${i - 1} = ${w[i - 1]} weights and the bias)` : '';
    return { rows, cols, rowsNote, colsNote };
  };
  const layers = Array.from({ length: k }, (_, j) => {
    const { rows, cols, rowsNote, colsNote } = layerShape(j + 1);
    return z.strictObject({
      W: matrix(rows, cols, rowsNote, colsNote, num),
      activation: activationSchema(rows, `, ${sym}_${j + 1} = ${rows}`, c.extraActivations),
    });
  });
  const perLayer = z.pipe(
    sized(k, (found) => `expected ${k} matrices (one per layer, k = ${k}), found ${found}`, z.unknown()),
    z.tuple(
      Array.from({ length: k }, (_, j) => {
        const { rows, cols, rowsNote, colsNote } = layerShape(j + 1);
        return matrix(rows, cols, rowsNote, colsNote, f64);
      }) as unknown as [z.ZodMiniType],
    ),
  );
  const inputNote = ` (${sym}_0 = ${w[0]})`;
  const primitive = z.union([f64, z.string(), z.boolean(), z.null()], {
    error: (iss) => `expected a finite number, a string, a boolean or null, found ${describeValue(iss.input)}`,
  });
  const option = z.union([f64, z.string(), z.boolean()], {
    error: (iss) => `expected a finite number, a string or a boolean, found ${describeValue(iss.input)}`,
  });
  const classes = z
    .array(
      z.union([z.string(), f64], {
        error: (iss) => `expected a class label (a string or a finite number), found ${describeValue(iss.input)}`,
      }),
    )
    .check(
      z.minLength(1, { error: 'expected at least one class label' }),
      z.superRefine((labels, ctx) => {
        const kind = typeof labels[0];
        const mixed = labels.findIndex((l) => typeof l !== kind);
        if (mixed >= 0) {
          ctx.addIssue({
            code: 'custom',
            path: [mixed],
            message: `expected all labels to be ${kind}s like classes[0], found ${describeValue(labels[mixed])}`,
          });
          return;
        }
        const seen = new Set<unknown>();
        labels.forEach((l, j) => {
          if (seen.has(l))
            ctx.addIssue({
              code: 'custom',
              path: [j],
              message: `${describeValue(l)} appears twice; class labels must be distinct`,
            });
          seen.add(l);
        });
      }),
    );

  return z.strictObject({
    format: z.optional(z.literal(MODEL_FORMAT)),
    version: z.optional(z.literal(MODEL_FORMAT_VERSION)),
    dtype: z.optional(z.enum(['float32', 'float64'])),
    description: z.optional(z.string()),
    widths: z.array(z.number()),
    affine: z.optional(z.boolean()),
    layers: z.pipe(
      sized(
        k,
        (found) => `expected ${k} layer${k === 1 ? '' : 's'} (one per W_i, k = ${k}), found ${found}`,
        z.unknown(),
      ),
      z.tuple(layers as unknown as [z.ZodMiniType]),
    ),
    loss: z.optional(z.enum(lossNames as [LossName, ...LossName[]])),
    classes: z.optional(classes),
    preprocessing: z.optional(
      z.strictObject({
        standardize: z.optional(
          z.strictObject({
            mean: vector(w[0]!, inputNote, f64),
            std: vector(
              w[0]!,
              inputNote,
              f64.check(
                z.refine((s) => s > 0, {
                  error: (iss) => `expected a standard deviation > 0, found ${describeValue(iss.input)}`,
                }),
              ),
            ),
          }),
        ),
      }),
    ),
    training: z.optional(record(primitive)),
    optimizer: z.optional(
      z.strictObject({
        name: z.string().check(z.minLength(1, { error: 'expected the optimizer name, found ""' })),
        step: z.number().check(z.int(), z.minimum(0)),
        options: z.optional(record(option)),
        state: z.optional(record(perLayer)),
      }),
    ),
    history: z.optional(z.array(record(f64))),
  });
}

/** Header and size checks that come before the full schema. */
export const headerSchema = z.looseObject({
  format: z.optional(z.literal(MODEL_FORMAT)),
  // absent: version 1 is assumed (a hand-written file may give just widths and layers)
  version: z.optional(
    z.number({ error: (iss) => `expected ${MODEL_FORMAT_VERSION}, found ${describeValue(iss.input)}` }),
  ),
});

export const widthsSchema = z.pipe(
  z.array(z.unknown()).check(
    z.minLength(2, {
      error: (iss) => `expected at least two widths n_0, n_1 (k ≥ 1), found ${describeValue(iss.input)}`,
    }),
  ),
  z.array(
    z.number().check(
      z.int(),
      z.minimum(1),
      z.maximum(MAX_WIDTH, {
        error: (iss) => `expected a whole number from 1 to ${MAX_WIDTH}, found ${describeValue(iss.input)}`,
      }),
    ),
  ),
);

/** The weights of the homogeneous network the file describes (affine: the network of §3), or an error text. */
export function sizeProblem(widths: readonly number[], affine: boolean): string | undefined {
  const k = widths.length - 1;
  if (k > MAX_LAYERS)
    return `${k.toLocaleString('en-US')} layers; at most ${MAX_LAYERS.toLocaleString('en-US')} are supported (limits.layers)`;
  const n = affine ? widths.map((m, i) => (i < k ? m + 1 : m)) : widths;
  const tooWide = n.findIndex((x) => x > MAX_WIDTH);
  if (tooWide >= 0)
    return `m_${tooWide} = ${widths[tooWide]} leaves no room for the formal neuron of §3 (at most ${MAX_WIDTH - 1})`;
  let p = 0;
  for (let i = 1; i <= k; i++) p += n[i]! * n[i - 1]!;
  if (p > MAX_PARAMETERS) {
    return (
      `${listExcerpt(widths)} give ${p.toLocaleString('en-US')} ` +
      `weights${affine ? ' in the homogeneous form of §3' : ''}; at most ` +
      `${MAX_PARAMETERS.toLocaleString('en-US')} are supported (limits.parameters)`
    );
  }
  return undefined;
}
