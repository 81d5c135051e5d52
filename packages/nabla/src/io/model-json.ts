/**
 * Model JSON (format "nabla-model", version 1; see model-format.ts and docs/model-format.md), browser-safe:
 * text in, text out. Parsing validates everything before building anything, so a model either loads
 * completely or not at all. Files on disk: node/model-file.ts.
 */
import { FormatError, NablaError, NonFiniteError } from '../errors.js';
import { type DType, fromRows, type Matrix } from '../linalg/matrix.js';
import { type Activation, getActivation } from '../net/activation.js';
import { AffineNetwork, toHomogeneous } from '../net/affine.js';
import { Column } from '../net/column.js';
import { Network } from '../net/network.js';
import { formatPath, jsonErrorText, parseJson, writeFloat32, writeFloat64, writeJson } from './json.js';
import { modelConsistencyProblem } from './model-consistency.js';
import {
  firstIssue,
  headerSchema,
  issueText,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelIssue,
  type ModelMeta,
  modelSchema,
  sizeProblem,
  widthsSchema,
} from './model-format.js';

/** A model read from a file: the homogeneous network, the affine one when the file is affine, and the file's metadata. */
export interface LoadedModel {
  /** The homogeneous network (for an affine file, the network of §3), in the file's dtype (default float64). */
  network: Network;
  /** The affine network as written, when the file has "affine": true. */
  affine?: AffineNetwork;
  /** The file's metadata (dtype, description, loss, classes, preprocessing, training, optimizer, history) as far as present. */
  meta: ModelMeta;
}

/** What `serializeModel` / `saveModel` write: an affine network is written in affine form. */
export type SaveableModel =
  | {
      /** The homogeneous network to write (ignored when `affine` is given). */ network: Network;
      /** An affine network to write in affine form instead of `network`. */ affine?: AffineNetwork | undefined;
      /** Metadata written with the weights (description, loss, classes, preprocessing, training, optimizer, history). */ meta?: ModelMeta;
    }
  | {
      /** The affine network to write, in affine form (W̃_i = [A_i | b_i], the bias as the last column; §3). */ affine: AffineNetwork;
      /** Ignored: the affine network is written. */ network?: Network | undefined;
      /** Metadata written with the weights (description, loss, classes, preprocessing, training, optimizer, history). */ meta?: ModelMeta;
    };

/** Options of `parseModel` / `safeParseModel`. */
export interface ParseModelOptions {
  /** Name used at the start of error messages (usually the file path). */
  source?: string;
  /** User-defined activations that names in the file may refer to. */
  extraActivations?: Readonly<Record<string, Activation>>;
}

/** What `safeParseModel` returns: the model, or the `FormatError` that `parseModel` would throw. */
export type SafeParseModelResult =
  | {
      /** The file was read. */
      ok: true;
      /** The model it holds. */
      model: LoadedModel;
    }
  | {
      /** The file was refused. */
      ok: false;
      /** The first problem, by its JSON path. */
      error: FormatError;
    };

/** The JSON form of a version-1 file after validation. */
interface ModelFile extends Omit<ModelMeta, 'dtype'> {
  format?: string;
  version: number;
  dtype?: DType;
  widths: number[];
  affine?: boolean;
  layers: { W: number[][]; activation: string | string[] }[];
}

function problem(source: string | undefined, issue: ModelIssue | string): FormatError {
  const text = typeof issue === 'string' ? issue : issue.path ? `${issue.path}: ${issue.message}` : issue.message;
  const msg = source ? `${source}: ${text}` : text;
  return typeof issue === 'string' ? new FormatError(msg) : new FormatError(msg, { path: issue.path });
}

/** Validates a parsed JSON value in stages (header → widths and size → full schema); returns the file or an issue. */
function validate(
  value: unknown,
  opts: ParseModelOptions,
): { ok: true; file: ModelFile } | { ok: false; issue: ModelIssue | string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      issue:
        `expected a JSON object {"format": "${MODEL_FORMAT}", "version": 1, …}, found ` +
        `${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    };
  }
  const obj = value as Record<string, unknown>;
  const params = { error: issueText, reportInput: true } as const;
  const head = headerSchema.safeParse(obj, params);
  if (!head.success) return { ok: false, issue: firstIssue(head.error.issues) };
  const version = head.data.version ?? MODEL_FORMAT_VERSION;
  if (Number.isInteger(version) && version > MODEL_FORMAT_VERSION) {
    return { ok: false, issue: `format version ${version} is newer than this build reads (${MODEL_FORMAT_VERSION})` };
  }
  if (version !== MODEL_FORMAT_VERSION)
    return { ok: false, issue: { path: 'version', message: `expected ${MODEL_FORMAT_VERSION}, found ${version}` } };
  // Sizes first: nothing big is walked before the widths are known to be sane.
  const widths = widthsSchema.safeParse(obj.widths, params);
  if (!widths.success)
    return { ok: false, issue: firstIssue(widths.error.issues.map((i) => ({ ...i, path: ['widths', ...i.path] }))) };
  const affine = obj.affine === true;
  const size = sizeProblem(widths.data, affine);
  if (size) return { ok: false, issue: { path: 'widths', message: size } };
  const dtype = obj.dtype === 'float32' ? 'float32' : 'float64';
  const schema = modelSchema({
    widths: widths.data,
    affine,
    dtype,
    ...(opts.extraActivations ? { extraActivations: opts.extraActivations } : {}),
  });
  const full = schema.safeParse(obj, params);
  if (!full.success) return { ok: false, issue: firstIssue(full.error.issues) };
  const file = full.data as ModelFile;
  // the parts must agree: class labels with the output width, the optimizer state with its optimizer
  const disagreement = modelConsistencyProblem(file);
  if (disagreement) return { ok: false, issue: disagreement };
  return { ok: true, file };
}

function build(file: ModelFile, opts: ParseModelOptions): LoadedModel {
  const dtype: DType = file.dtype ?? 'float64';
  const W: Matrix[] = file.layers.map((l, j) => fromRows(l.W, `layers[${j}].W`, dtype));
  const columns = file.layers.map((l, j) =>
    typeof l.activation === 'string'
      ? Column.uniform(getActivation(l.activation, opts.extraActivations), file.widths[j + 1]!)
      : new Column(l.activation.map((name) => getActivation(name, opts.extraActivations))),
  );
  const meta: ModelMeta = {};
  if (file.dtype !== undefined) meta.dtype = file.dtype;
  if (file.description !== undefined) meta.description = file.description;
  if (file.loss !== undefined) meta.loss = file.loss;
  if (file.classes !== undefined) meta.classes = file.classes;
  if (file.preprocessing !== undefined) meta.preprocessing = file.preprocessing;
  if (file.training !== undefined) meta.training = file.training;
  if (file.optimizer !== undefined) meta.optimizer = file.optimizer;
  if (file.history !== undefined) meta.history = file.history;
  if (file.affine) {
    const affine = new AffineNetwork(file.widths, W, columns);
    return { network: toHomogeneous(affine), affine, meta };
  }
  return { network: new Network(file.widths, W, columns), meta };
}

/**
 * Reads a model file's text. Throws `FormatError` naming the first problem by its JSON path, e.g.
 * `model.json: layers[1].W: expected 4 rows (n_2 = 4), found 3`.
 */
export function parseModel(text: string, opts: ParseModelOptions = {}): LoadedModel {
  const r = safeParseModel(text, opts);
  if (!r.ok) throw r.error;
  return r.model;
}

/** `parseModel` without throwing: `{ ok: true, model }` or `{ ok: false, error }` (zod safeParse style). */
export function safeParseModel(text: string, opts: ParseModelOptions = {}): SafeParseModelResult {
  if (typeof text !== 'string')
    return { ok: false, error: problem(opts.source, `expected the file's text, found ${typeof text}`) };
  if (text.trim() === '') return { ok: false, error: problem(opts.source, 'the file is empty; expected a JSON model') };
  const json = parseJson(text);
  if (!json.ok) return { ok: false, error: problem(opts.source, jsonErrorText(json)) };
  const v = validate(json.value, opts);
  if (!v.ok) return { ok: false, error: problem(opts.source, v.issue) };
  try {
    return { ok: true, model: build(v.file, opts) };
  } catch (e) {
    // The schema checks every shape the constructors check; this is a safety net, never a half-load.
    if (e instanceof NablaError) return { ok: false, error: problem(opts.source, e.message) };
    throw e;
  }
}

function activationsOf(columns: { sigmas: readonly Activation[] }[]): Record<string, Activation> {
  const out: Record<string, Activation> = {};
  for (const c of columns) for (const a of c.sigmas) out[a.name] = a;
  return out;
}

/**
 * The model as version-1 JSON text: pretty, keys in a fixed order, every number written so that it reads
 * back to the same value (float32 weights as their shortest float32 text). An affine network is written in
 * affine form. Refuses (FormatError / NonFiniteError) anything the reader would refuse, so what is written
 * always loads.
 */
export function serializeModel(model: SaveableModel): string {
  const affine = model.affine;
  const net = model.network;
  const layersOf = affine ?? net!;
  const dtype: DType = layersOf.dtype;
  const widths = affine ? [...affine.m] : [...net!.n];
  const meta = model.meta ?? {};
  const file: Record<string, unknown> = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    dtype,
    description: meta.description,
    widths,
    affine: affine !== undefined,
    layers: layersOf.W.indices().map((i) => ({
      W: layersOf.W.get(i).toRows(),
      activation: layersOf.sigma.get(i).describe(),
    })),
    loss: meta.loss,
    classes: meta.classes,
    preprocessing: meta.preprocessing,
    training: meta.training,
    optimizer: meta.optimizer,
    history: meta.history,
  };
  const text = `${writeJson(file, (v, path) => {
    if (!Number.isFinite(v)) {
      throw new NonFiniteError(`serializeModel: ${formatPath(path)} is ${v}; a model file holds finite numbers only`, {
        path: formatPath(path),
      });
    }
    // W entries of a float32 network, and its optimizer's float32 state: the shortest text that rounds to the same float32
    const f32 =
      dtype === 'float32' &&
      ((path[0] === 'layers' && path[2] === 'W') ||
        (path[0] === 'optimizer' && path[1] === 'state' && Math.fround(v) === v));
    return f32 ? writeFloat32(v) : writeFloat64(v);
  })}\n`;
  // Never write what cannot be read back.
  const check = safeParseModel(text, {
    source: 'serializeModel',
    extraActivations: activationsOf(layersOf.sigma.indices().map((i) => layersOf.sigma.get(i))),
  });
  if (!check.ok) throw check.error;
  return text;
}
