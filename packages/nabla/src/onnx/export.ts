/**
 * A model as an ONNX graph (opset 17, IR version 8), samples as rows: layer i is z_i = Gemm(h_{i−1}, W_i(, b_i),
 * transB = 1), h_i = Σ_i(z_i), with initializers W1, b1, … in the network's dtype. Per-neuron columns are Slices
 * joined by one Concat; input scaling is a first Sub and Div. Input "x", output "y" (f, or with
 * `output: 'probabilities'` a last Softmax or Sigmoid); metadata.ts says what else the file carries.
 */
import { create } from '@bufbuild/protobuf';
import { OptionError, UnsupportedError } from '../errors.js';
import { type Polynomial, parsePolynomial } from '../exact/polynomial.js';
import { rationalToNumber } from '../exact/rational.js';
import type { ModelMeta } from '../io/model-format.js';
import type { SaveableModel } from '../io/model-json.js';
import type { DType } from '../linalg/matrix.js';
import { Model } from '../model/model.js';
import { exportOnnxOptionsSchema, readOptions } from '../model/option-schemas.js';
import { type Activation, activations } from '../net/activation.js';
import { AffineNetwork } from '../net/affine.js';
import type { Column } from '../net/column.js';
import { Network } from '../net/network.js';
import {
  type AttributeProto,
  GraphProtoSchema,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  type TensorProto,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from './generated/onnx_pb.js';
import { metadataEntries } from './metadata.js';
import { DataType, encodeModel, floatAttribute, intAttribute, writeInt64Tensor, writeTensor } from './proto.js';

/** The opset the exporter writes (every operator it uses is in the default domain at this version). */
export const ONNX_OPSET = 17;
/** The IR version that goes with opset 17. */
export const ONNX_IR_VERSION = 8;

/** Options of `exportOnnx`. */
export interface OnnxExportOptions {
  /**
   * The user-defined activations the model uses that are polynomials, by name, as text ("x^3 - x", or ascending
   * coefficients "[0, -1, 0, 1]"): they are written as Mul/Add (Horner). Any other user-defined activation is refused.
   */
  polynomials?: Readonly<Record<string, string>>;
  /** The graph's name (default "nabla"). */
  graphName?: string;
  /**
   * What the graph's output "y" is: `'network'` (default), the network function f (logits for a model trained on
   * logits); or `'probabilities'`, what `model.predict` gives for a classifier: f followed by a Softmax (loss
   * softmax-ce) or a Sigmoid (loss bce). Refused for a model with another loss, whose predictions are f itself.
   */
  output?: 'network' | 'probabilities';
}

/** Nodes and initializers of the graph being built; every value gets a fresh name. */
class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  #count = 0;
  constructor(readonly dtype: DType) {}

  fresh(base: string): string {
    return `${base}_${++this.#count}`;
  }

  node(
    op: string,
    inputs: readonly string[],
    base: string,
    attribute: AttributeProto[] = [],
    output = this.fresh(base),
  ): string {
    this.nodes.push(
      create(NodeProtoSchema, {
        opType: op,
        input: [...inputs],
        output: [output],
        name: `${base}/${op}_${this.nodes.length}`,
        attribute,
      }),
    );
    return output;
  }

  tensor(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    this.initializers.push(writeTensor(name, dims, values, this.dtype));
    return name;
  }

  int64(base: string, values: readonly number[]): string {
    const name = this.fresh(base);
    this.initializers.push(writeInt64Tensor(name, values));
    return name;
  }

  scalar(value: number, base: string): string {
    return this.tensor(this.fresh(`${base}_c`), [], [value]);
  }
}

/** Writes σ applied to the value `x`; returns the output's name. */
type ActivationWriter = (g: GraphBuilder, x: string, base: string) => string;

const GELU_C = Math.sqrt(2 / Math.PI);

/** Every catalog activation as standard operators. */
export const activationWriters: Readonly<Record<string, ActivationWriter>> = {
  identity: (_g, x) => x,
  relu: (g, x, base) => g.node('Relu', [x], base),
  // LeakyRelu's alpha is a float32 attribute (0.0099999998); float64 files write max(x, 0.01·x) with a double 0.01
  leaky_relu: (g, x, base) =>
    g.dtype === 'float32'
      ? g.node('LeakyRelu', [x], base, [floatAttribute('alpha', 0.01)])
      : g.node('Max', [x, g.node('Mul', [x, g.scalar(0.01, base)], base)], base),
  // ONNX Runtime's CPU provider has no double kernels for Elu and Softplus, so float64 files write them out:
  // elu(x) = relu(x) + (exp(min(x, 0)) − 1), softplus(x) = relu(x) + log(1 + exp(−|x|)) (nabla's own stable form).
  elu: (g, x, base) =>
    g.dtype === 'float32'
      ? g.node('Elu', [x], base, [floatAttribute('alpha', 1)])
      : g.node(
          'Add',
          [
            g.node('Relu', [x], base),
            g.node(
              'Sub',
              [g.node('Exp', [g.node('Min', [x, g.scalar(0, base)], base)], base), g.scalar(1, base)],
              base,
            ),
          ],
          base,
        ),
  tanh: (g, x, base) => g.node('Tanh', [x], base),
  sigmoid: (g, x, base) => g.node('Sigmoid', [x], base),
  softplus: (g, x, base) =>
    g.dtype === 'float32'
      ? g.node('Softplus', [x], base)
      : g.node(
          'Add',
          [
            g.node('Relu', [x], base),
            g.node(
              'Log',
              [
                g.node(
                  'Add',
                  [g.scalar(1, base), g.node('Exp', [g.node('Neg', [g.node('Abs', [x], base)], base)], base)],
                  base,
                ),
              ],
              base,
            ),
          ],
          base,
        ),
  sin: (g, x, base) => g.node('Sin', [x], base),
  square: (g, x, base) => g.node('Mul', [x, x], base),
  // x·sigmoid(x); in float64 as x / (1 + exp(−x)), since ONNX Runtime fuses Mul(x, Sigmoid(x)) into a kernel
  // (QuickGelu) it has only in float32
  silu: (g, x, base) =>
    g.dtype === 'float32'
      ? g.node('Mul', [x, g.node('Sigmoid', [x], base)], base)
      : g.node(
          'Div',
          [x, g.node('Add', [g.scalar(1, base), g.node('Exp', [g.node('Neg', [x], base)], base)], base)],
          base,
        ),
  // ½x(1 + tanh(√(2/π)(x + 0.044715x³))), written out (Gelu with approximate="tanh" is opset 20)
  gelu: (g, x, base) => {
    const x3 = g.node('Mul', [g.node('Mul', [x, x], base), x], base);
    const inner = g.node('Add', [x, g.node('Mul', [g.scalar(0.044715, base), x3], base)], base);
    const t = g.node('Tanh', [g.node('Mul', [g.scalar(GELU_C, base), inner], base)], base);
    return g.node(
      'Mul',
      [g.node('Mul', [g.scalar(0.5, base), x], base), g.node('Add', [g.scalar(1, base), t], base)],
      base,
    );
  },
};

/**
 * Where a user-defined activation is compared with the polynomial given for it: off 0 and the integers, both
 * signs, near 0 and far out.
 */
const polynomialCheckPoints: readonly number[] = [
  -587.3, -263.1, -41.3, -13.7, -7.9, -6.1, -4.3, -2.8, -1.9, -1.1, -0.66, -0.27, -0.04, 0.05, 0.31, 0.7, 1.3, 2.2, 3.7,
  5.9, 7.9, 13.7, 41.3, 263.1, 587.3,
];

/** p(x) by Horner: ((c_d·x + c_{d−1})·x + …)·x + c_0. */
function polynomialWriter(p: Polynomial): ActivationWriter {
  const c = p.coeffs.map(rationalToNumber);
  return (g, x, base) => {
    if (c.length === 0) return g.node('Mul', [x, g.scalar(0, base)], base);
    let acc =
      c.length === 1
        ? g.node('Add', [g.node('Mul', [x, g.scalar(0, base)], base), g.scalar(c[0]!, base)], base)
        : g.node('Mul', [x, g.scalar(c[c.length - 1]!, base)], base);
    for (let d = c.length - 2; d >= 0; d--) {
      if (c[d] !== 0) acc = g.node('Add', [acc, g.scalar(c[d]!, base)], base);
      if (d > 0) acc = g.node('Mul', [acc, x], base);
    }
    return acc;
  };
}

/** How to write each activation of the network; refuses a user-defined one that is not a given polynomial, naming the neuron. */
function writersFor(
  columns: readonly Column[],
  polynomials: Readonly<Record<string, Polynomial>>,
): Map<Activation, ActivationWriter> {
  const out = new Map<Activation, ActivationWriter>();
  columns.forEach((col, j) => {
    col.sigmas.forEach((a, r) => {
      if (out.has(a)) return;
      const where = `layer ${j + 1}, neuron ${r + 1} (σ_${j + 1},${r + 1})`;
      if (activations[a.name] === a) {
        out.set(a, activationWriters[a.name]!);
        return;
      }
      const p = Object.hasOwn(polynomials, a.name) ? polynomials[a.name] : undefined;
      if (p === undefined) {
        throw new UnsupportedError(
          `${where}: the activation "${a.name}" is user-defined and not known to be a polynomial; ` +
            'ONNX export writes the catalog activations and polynomials only (give it as a polynomial, ' +
            `e.g. --poly ${a.name}="x^3 - x")`,
        );
      }
      for (const x of polynomialCheckPoints) {
        const want = a.sigma(x);
        const got = p.atNumber(x);
        if (!(Math.abs(want - got) <= 1e-9 * Math.max(1, Math.abs(want)))) {
          throw new UnsupportedError(
            `${where}: the activation "${a.name}" is not the polynomial ${p.toString()} given for it (σ(${x}) = ${want}, the polynomial gives ${got})`,
          );
        }
      }
      out.set(a, polynomialWriter(p));
    });
  });
  return out;
}

function valueInfo(name: string, dtype: DType, features: number) {
  const dims = [
    create(TensorShapeProto_DimensionSchema, { value: { case: 'dimParam', value: 'batch' } }),
    create(TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: BigInt(features) } }),
  ];
  const tensorType = create(TypeProto_TensorSchema, {
    elemType: dtype === 'float64' ? DataType.DOUBLE : DataType.FLOAT,
    shape: create(TensorShapeProtoSchema, { dim: dims }),
  });
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }),
  });
}

/** The file's parts from a Model or from what the model-file reader gives. */
/** Refuses a first argument that is neither a `Model` nor `{ network }` / `{ affine }` with a network in it. */
function checkModelArgument(model: unknown): asserts model is Model | SaveableModel {
  if (model instanceof Model) return;
  const o = model as { network?: unknown; affine?: unknown } | null;
  if (typeof o === 'object' && o !== null && (o.affine instanceof AffineNetwork || o.network instanceof Network))
    return;
  const what =
    model === null
      ? 'null'
      : Array.isArray(model)
        ? 'an array'
        : typeof model === 'object'
          ? 'an object without a network'
          : typeof model;
  throw new OptionError(
    `exportOnnx: the model is ${what}; expected a Model (createModel, loadModel) or what parseModel returns ({ network, affine?, meta })`,
  );
}

function partsOf(model: Model | SaveableModel): { saveable: SaveableModel; meta: ModelMeta } {
  if (model instanceof Model) {
    const meta: ModelMeta = {};
    if (model.loss !== undefined) meta.loss = model.loss;
    if (model.classes !== undefined) meta.classes = [...model.classes] as string[] | number[];
    if (model.inputScaling !== undefined) meta.preprocessing = { standardize: model.inputScaling };
    if (model.description !== undefined) meta.description = model.description;
    const affine = model.affine();
    return { saveable: affine ? { affine, meta } : { network: model.homogeneous(), meta }, meta };
  }
  return { saveable: model, meta: model.meta ?? {} };
}

/**
 * The model as the bytes of an .onnx file (opset 17): a `Model`, or what `parseModel` / `loadModel` return
 * (`{ network, affine?, meta }`, whose loss, classes, input scaling, description, training and history go into
 * the metadata). Throws `UnsupportedError` naming the neuron whose activation cannot be written.
 */
export function exportOnnx(model: Model | SaveableModel, opts: OnnxExportOptions = {}): Uint8Array {
  checkModelArgument(model);
  readOptions(exportOnnxOptionsSchema, opts, 'exportOnnx');
  const { saveable, meta } = partsOf(model);
  const output = opts.output ?? 'network';
  if (output === 'probabilities' && meta.loss !== 'softmax-ce' && meta.loss !== 'bce') {
    throw new OptionError(
      `output 'probabilities': the model's loss is ${meta.loss ?? 'not set'}, so its ` +
        `predictions are the network's f itself (probabilities come from a classifier trained with ` +
        'softmax-ce or bce); export it without the option',
    );
  }
  const affine = saveable.affine;
  const layered = affine ?? saveable.network!;
  const dtype = layered.dtype;
  const widths = affine ? [...affine.m] : [...saveable.network!.n];
  const k = layered.k;
  const polynomials: Record<string, Polynomial> = {};
  const polynomialText: Record<string, string> = {};
  for (const [name, p] of Object.entries(opts.polynomials ?? {})) {
    polynomials[name] = parsePolynomial(p);
    polynomialText[name] = polynomials[name]!.toString();
  }
  const columns = layered.sigma.indices().map((i) => layered.sigma.get(i));
  const writers = writersFor(columns, polynomials);
  const used = new Set(columns.flatMap((c) => c.sigmas.map((a) => a.name)));
  const usedPolynomials = Object.fromEntries(Object.entries(polynomialText).filter(([name]) => used.has(name)));

  const g = new GraphBuilder(dtype);
  let h = 'x';
  const scaling = meta.preprocessing?.standardize;
  if (scaling) {
    h = g.node('Sub', [h, g.tensor('mean', [widths[0]!], scaling.mean)], 'scaling');
    h = g.node('Div', [h, g.tensor('std', [widths[0]!], scaling.std)], 'scaling');
  }
  for (let i = 1; i <= k; i++) {
    const Wi = layered.W.get(i);
    const rows = Wi.rows;
    const cols = affine ? Wi.cols - 1 : Wi.cols;
    const A = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) A[r * cols + c] = Wi.get(r, c);
    const inputs = [h, g.tensor(`W${i}`, [rows, cols], A)];
    if (affine)
      inputs.push(
        g.tensor(
          `b${i}`,
          [rows],
          Array.from({ length: rows }, (_, r) => Wi.get(r, cols)),
        ),
      );
    const base = `layer${i}`;
    const z = g.node('Gemm', inputs, base, [intAttribute('transB', 1)], `z${i}`);
    const col = columns[i - 1]!;
    if (col.isUniform) h = writers.get(col.sigmas[0]!)!(g, z, base);
    else {
      const parts = col.runs.map((run) => {
        const sliced = g.node(
          'Slice',
          [z, g.int64(`${base}_starts`, [run.start]), g.int64(`${base}_ends`, [run.end]), g.int64(`${base}_axes`, [1])],
          base,
        );
        return writers.get(run.activation)!(g, sliced, base);
      });
      h = g.node('Concat', parts, base, [intAttribute('axis', 1)]);
    }
  }
  if (output === 'probabilities') {
    h =
      meta.loss === 'softmax-ce'
        ? g.node('Softmax', [h], 'probabilities', [intAttribute('axis', 1)])
        : g.node('Sigmoid', [h], 'probabilities');
  }
  if (h === 'x' || !g.nodes.some((n) => n.output[0] === h)) h = g.node('Identity', [h], 'output', [], 'y');
  else g.nodes.find((n) => n.output[0] === h)!.output[0] = 'y';

  const graph = create(GraphProtoSchema, {
    name: opts.graphName ?? 'nabla',
    node: g.nodes,
    initializer: g.initializers,
    input: [valueInfo('x', dtype, widths[0]!)],
    output: [valueInfo('y', dtype, widths[k]!)],
    docString:
      `widths [${widths.join(', ')}]${affine ? ' (affine, genuine widths m_0 … m_k)' : ' (homogeneous)'}; ` +
      `layer i: z_i = Gemm(h_{i-1}, W_i${affine ? ', b_i' : ''}, transB = 1), h_i = Σ_i(z_i)`,
  });
  const proto = create(ModelProtoSchema, {
    irVersion: BigInt(ONNX_IR_VERSION),
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(ONNX_OPSET) })],
    producerName: 'nabla',
    graph,
    docString: meta.description ?? '',
    metadataProps: metadataEntries(meta, usedPolynomials, output),
  });
  return encodeModel(proto);
}
