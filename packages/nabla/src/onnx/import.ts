/**
 * An ONNX graph as a model: the MLP graphs PyTorch (nn.Sequential) and tf2onnx (Keras Dense) write, and those
 * `exportOnnx` writes. Nodes are read in the file's order; each layer's elementwise chain is read as a tree of
 * operators over the layer's product z and must be a catalog activation's operator pattern exactly
 * (activation-match.ts). Anything else is one FormatError naming the operator, the node and the reason.
 * The result goes through the model-file writer and reader, so it is exactly what its model file would load.
 */
import { FormatError, NablaError } from '../errors.js';
import { polynomialActivation } from '../exact/activation.js';
import { rationalToNumber } from '../exact/rational.js';
import { jsonErrorText, parseJson } from '../io/json.js';
import { type LossName, lossNames, type ModelMeta } from '../io/model-format.js';
import { type LoadedModel, parseModel, serializeModel } from '../io/model-json.js';
import { limits } from '../limits.js';
import { type DType, Matrix, newArray } from '../linalg/matrix.js';
import type { Activation } from '../net/activation.js';
import { AffineNetwork } from '../net/affine.js';
import { Column } from '../net/column.js';
import { Network } from '../net/network.js';
import { type Chain, type ChainNode, matchActivation, type NamedPolynomial } from './activation-match.js';
import { chainAttributes, chainOperators } from './activation-patterns.js';
import { operatorTable, refusedOperators } from './operators.js';
import {
  attributeNumbers,
  attributeString,
  attributesOf,
  DataType,
  decodeModel,
  type ModelProto,
  type NodeProto,
  readTensor,
  type Tensor,
  typeName,
} from './proto.js';

/** The ONNX IR versions nabla reads (ONNX 1.2 to 1.18), first and last. */
export const ONNX_IR_VERSIONS = [3, 11] as const;
/** The standard opsets nabla reads, first and last (the operators of operators.ts mean the same in all of them). */
export const ONNX_OPSETS = [7, 23] as const;

/** Options of `importOnnx`. */
export interface OnnxImportOptions {
  /** Name used at the start of error messages (usually the file path; default "ONNX model"). */
  source?: string;
}

/** Neurons start … end − 1 of a layer, as operators applied to the layer's product z (one number per neuron). */
interface Piece {
  start: number;
  end: number;
  chain: Chain;
}

interface Signal {
  kind: 'signal';
  /** 0: the graph input; i ≥ 1: layer i. */
  layer: number;
  pieces: Piece[];
  /** The product of a layer with nothing applied yet (a following Add of a constant vector is its bias). */
  bare: boolean;
}

interface Constant {
  kind: 'constant';
  tensor: Tensor;
}

type Value = Signal | Constant;

interface Layer {
  /** Rows = outputs, row-major [out, in]. */
  A: Float64Array;
  out: number;
  in: number;
  b?: Float64Array;
  node: string;
  dtype: DType;
  /** The activation of each neuron, once the layer's chain is read. */
  sigmas?: Activation[];
}

const Z: Chain = { kind: 'z' };

function nodeLabel(node: NodeProto, index: number): string {
  return node.name !== '' ? `"${node.name}"` : `#${index + 1} (${node.output[0] ?? 'no output'})`;
}

function supportedList(): string {
  return [...new Set(operatorTable.map((e) => e.op))].join(', ');
}

function dtypeOf(t: Tensor, where: string): DType {
  if (t.dataType === DataType.FLOAT) return 'float32';
  if (t.dataType === DataType.DOUBLE) return 'float64';
  throw new FormatError(`${where}: weights of type ${typeName(t.dataType)}; expected float or double`);
}

function isScalar(t: Tensor): boolean {
  return t.data.length === 1;
}

/** A constant vector of `length` numbers (shape [length], [1, length], or a scalar broadcast), or undefined. */
function vectorOf(t: Tensor, length: number): Float64Array | undefined {
  if (t.data.length === length && t.dims.filter((d) => d !== 1).length <= 1) return t.data;
  if (isScalar(t)) return new Float64Array(length).fill(t.data[0]!);
  return undefined;
}

function metadataJson(model: ModelProto, key: string, source: string): unknown {
  const entry = model.metadataProps.find((e) => e.key === key);
  if (entry === undefined) return undefined;
  const r = parseJson(entry.value);
  if (!r.ok) throw new FormatError(`${source}: metadata "${key}" is ${jsonErrorText(r)}`);
  return r.value;
}

/** The importer's walk over one graph. */
class GraphReader {
  readonly values = new Map<string, Value>();
  readonly layers: Layer[] = [];
  mean: Float64Array | undefined;
  std: Float64Array | undefined;
  inputWidth: number | undefined;
  inputName = '';

  constructor(
    readonly model: ModelProto,
    readonly source: string,
    readonly polynomials: readonly NamedPolynomial[],
  ) {}

  fail(node: NodeProto, index: number, reason: string): never {
    throw new FormatError(`${this.source}: operator ${node.opType} (node ${nodeLabel(node, index)}): ${reason}`);
  }

  read(): void {
    const graph = this.model.graph!;
    for (const t of graph.initializer) {
      if (this.values.has(t.name))
        throw new FormatError(
          `${this.source}: two initializers are named "${t.name}"; each value of a graph has one name`,
        );
      this.values.set(t.name, { kind: 'constant', tensor: readTensor(t, `${this.source}: initializer "${t.name}"`) });
    }
    const inputs = graph.input.filter((v) => !this.values.has(v.name));
    if (inputs.length !== 1) {
      throw new FormatError(
        `${this.source}: the graph has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ') || 'none'}); an MLP has one, [batch, features]`,
      );
    }
    const input = inputs[0]!;
    this.inputName = input.name;
    const type = input.type?.value;
    if (type?.case === 'tensorType') {
      if (type.value.elemType !== DataType.FLOAT && type.value.elemType !== DataType.DOUBLE) {
        throw new FormatError(
          `${this.source}: the input "${input.name}" is of type ${typeName(type.value.elemType)}; expected float or double`,
        );
      }
      const dims = type.value.shape?.dim ?? [];
      const rest = dims.slice(1).map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : undefined));
      const bad = rest.find((d) => d !== undefined && !(d >= 1 && d <= limits.width));
      if (bad !== undefined) {
        throw new FormatError(
          `${this.source}: the input "${input.name}" has a dimension of ${bad}; expected [batch, ` +
            `features] with 1 to ${limits.width.toLocaleString('en-US')} features`,
        );
      }
      if (dims.length >= 2 && rest.every((d) => d !== undefined)) this.inputWidth = rest.reduce((a, b) => a! * b!, 1);
    }
    this.values.set(input.name, { kind: 'signal', layer: 0, pieces: [], bare: true });
    graph.node.forEach((node, index) => this.step(node, index));
    if (graph.output.length !== 1)
      throw new FormatError(`${this.source}: the graph has ${graph.output.length} outputs; an MLP has one`);
    const out = this.values.get(graph.output[0]!.name);
    if (this.layers.length === 0)
      throw new FormatError(`${this.source}: the graph has no layer (no Gemm or MatMul with a weight initializer)`);
    if (out === undefined || out.kind !== 'signal' || out.layer !== this.layers.length) {
      throw new FormatError(
        `${this.source}: the graph output "${graph.output[0]!.name}" is not the last layer's activation`,
      );
    }
    this.close(out, `the graph output "${graph.output[0]!.name}"`);
  }

  input(node: NodeProto, index: number, j: number): Value | undefined {
    const name = node.input[j];
    if (name === undefined || name === '') return undefined;
    const v = this.values.get(name);
    if (v === undefined)
      this.fail(node, index, `its input "${name}" is not produced by any earlier node, initializer or graph input`);
    return v;
  }

  constantInput(node: NodeProto, index: number, j: number, what: string): Tensor {
    const v = this.input(node, index, j);
    if (v === undefined || v.kind !== 'constant')
      this.fail(
        node,
        index,
        `${what} (input ${j + 1}) must be a constant (an initializer), found ${v === undefined ? 'nothing' : 'a computed value'}`,
      );
    return v.tensor;
  }

  signalInput(node: NodeProto, index: number, j: number): Signal {
    const v = this.input(node, index, j);
    if (v === undefined || v.kind !== 'signal')
      this.fail(
        node,
        index,
        `input ${j + 1} must be the signal (the graph input or a layer's output), found ${v === undefined ? 'nothing' : 'a constant'}`,
      );
    return v;
  }

  width(s: Signal): number {
    return s.layer === 0 ? (this.inputWidth ?? Number.NaN) : this.layers[s.layer - 1]!.out;
  }

  /** The span of neurons a signal holds. */
  span(s: Signal): [number, number] {
    if (s.pieces.length === 0) return [0, this.width(s)];
    return [s.pieces[0]!.start, s.pieces[s.pieces.length - 1]!.end];
  }

  /** Ends the chain of the signal's layer: every neuron must be there, each piece a known activation. */
  close(s: Signal, where: string): void {
    if (s.layer === 0) return;
    const layer = this.layers[s.layer - 1]!;
    const [a, b] = this.span(s);
    if (a !== 0 || b !== layer.out)
      throw new FormatError(
        `${this.source}: ${where} holds neurons ${a + 1} … ${b} of layer ${s.layer} (node "${layer.node}"), not all ${layer.out}`,
      );
    const sigmas: Activation[] = [];
    for (const p of s.pieces) {
      const m = matchActivation(p.chain, this.polynomials);
      const neurons = p.start === 0 && p.end === layer.out ? '' : ` (neurons ${p.start + 1} … ${p.end})`;
      if (!m.ok) {
        throw new FormatError(
          `${this.source}: operator ${m.node.op} (node ${m.node.label}): layer ${s.layer}${neurons} after node ` +
            `"${layer.node}": ${m.reason}`,
          { node: m.node.label, op: m.node.op, layer: s.layer },
        );
      }
      for (let r = p.start; r < p.end; r++) sigmas.push(m.activation);
    }
    layer.sigmas = sigmas;
  }

  /** A Gemm or MatMul on the signal: a new layer. */
  layer(
    node: NodeProto,
    index: number,
    s: Signal,
    A: Float64Array,
    rows: number,
    cols: number,
    b: Float64Array | undefined,
    dtype: DType,
  ): void {
    if (s.layer !== this.layers.length)
      this.fail(
        node,
        index,
        `it reads layer ${s.layer}, but layer ${this.layers.length} came after it: nabla reads a chain of layers (no branches or skip connections)`,
      );
    const have = s.layer === 0 ? this.inputWidth : this.layers[s.layer - 1]!.out;
    if (s.layer > 0) {
      const [a, e] = this.span(s);
      if (a !== 0 || e !== have)
        this.fail(node, index, `it reads neurons ${a + 1} … ${e} of layer ${s.layer}, not all ${have}`);
    }
    if (rows < 1 || cols < 1)
      this.fail(
        node,
        index,
        `the weight has ${rows} rows and ${cols} columns; a layer has at least one input and one output`,
      );
    if (have !== undefined && have !== cols)
      this.fail(
        node,
        index,
        `the weight has ${cols} columns (inputs) but ${s.layer === 0 ? 'the graph input has' : `layer ${s.layer} has`} ${have} features`,
      );
    if (this.layers.length > 0 && this.layers[0]!.dtype !== dtype)
      this.fail(
        node,
        index,
        `its weight is ${dtype} but the first layer's is ${this.layers[0]!.dtype}; nabla uses one precision`,
      );
    this.close(s, `node ${nodeLabel(node, index)}`);
    if (s.layer === 0) this.inputWidth = cols;
    this.layers.push({
      A,
      out: rows,
      in: cols,
      ...(b ? { b } : {}),
      node: node.name || node.output[0] || `#${index + 1}`,
      dtype,
    });
    this.values.set(node.output[0]!, {
      kind: 'signal',
      layer: this.layers.length,
      pieces: [{ start: 0, end: rows, chain: Z }],
      bare: true,
    });
  }

  gemm(node: NodeProto, index: number): void {
    const attrs = attributesOf(node);
    const num = (name: string, dflt: number) => attributeNumbers(attrs.get(name))?.[0] ?? dflt;
    const s = this.signalInput(node, index, 0);
    if (num('transA', 0) !== 0) this.fail(node, index, 'transA = 1 transposes the batch; expected transA = 0');
    const B = this.constantInput(node, index, 1, 'the weight B');
    if (B.dims.length !== 2) this.fail(node, index, `the weight has shape [${B.dims.join(', ')}]; expected a matrix`);
    const transB = num('transB', 0) !== 0;
    const [rows, cols] = transB ? [B.dims[0]!, B.dims[1]!] : [B.dims[1]!, B.dims[0]!];
    const alpha = num('alpha', 1);
    const beta = num('beta', 1);
    const A = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) A[r * cols + c] = alpha * (transB ? B.data[r * cols + c]! : B.data[c * rows + r]!);
    let b: Float64Array | undefined;
    if (node.input.length > 2 && node.input[2] !== '') {
      const C = this.constantInput(node, index, 2, 'the bias C');
      const v = vectorOf(C, rows);
      if (v === undefined) this.fail(node, index, `the bias has shape [${C.dims.join(', ')}]; expected [${rows}]`);
      b = v.map((x) => beta * x);
    }
    this.layer(node, index, s, A, rows, cols, b, dtypeOf(B, `${this.source}: node ${nodeLabel(node, index)}`));
  }

  matmul(node: NodeProto, index: number): void {
    const s = this.signalInput(node, index, 0);
    const B = this.constantInput(node, index, 1, 'the weight');
    if (B.dims.length !== 2)
      this.fail(node, index, `the weight has shape [${B.dims.join(', ')}]; expected a matrix [in, out]`);
    const [cols, rows] = [B.dims[0]!, B.dims[1]!];
    const A = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) A[r * cols + c] = B.data[c * rows + r]!;
    this.layer(node, index, s, A, rows, cols, undefined, dtypeOf(B, `${this.source}: node ${nodeLabel(node, index)}`));
  }

  /** Sub / Div of constant vectors on the graph input: the input scaling. */
  scaling(node: NodeProto, index: number, s: Signal, c: Tensor): void {
    const m0 = this.inputWidth ?? c.data.length;
    const v = vectorOf(c, m0);
    if (v === undefined)
      this.fail(
        node,
        index,
        `on the graph input it must take a constant vector of ${m0} numbers (input scaling), found shape [${c.dims.join(', ')}]`,
      );
    if (node.opType === 'Sub') {
      if (this.mean || this.std)
        this.fail(node, index, 'input scaling is one Sub (the mean) followed by one Div (the standard deviation)');
      this.mean = Float64Array.from(v);
    } else {
      if (this.std)
        this.fail(node, index, 'input scaling is one Sub (the mean) followed by one Div (the standard deviation)');
      if (v.some((x) => !(x > 0)))
        this.fail(node, index, 'the input scaling divides by a number ≤ 0; a standard deviation must be > 0');
      this.std = Float64Array.from(v);
    }
    this.inputWidth = m0;
    this.values.set(node.output[0]!, s);
  }

  /** An elementwise operator of one or two inputs on the signal: one more operator in each piece's chain. */
  elementwise(node: NodeProto, index: number): void {
    const op = node.opType;
    const at: ChainNode = { op, label: nodeLabel(node, index) };
    const attrs = attributesOf(node);
    const allowed = chainAttributes[op] ?? [];
    const stray = [...attrs.keys()].find((name) => !allowed.includes(name));
    if (stray !== undefined)
      this.fail(
        node,
        index,
        `the attribute "${stray}" is not one nabla reads on ${op} ` +
          `(${allowed.length > 0 ? allowed.join(', ') : 'it takes none'})`,
      );
    const arity = chainOperators[op]!;
    if (node.input.length !== arity)
      this.fail(node, index, `it has ${node.input.length} inputs; ${op} takes ${arity === 1 ? 'one' : 'two'}`);
    if (arity === 1) {
      const s = this.signalInput(node, index, 0);
      if (s.layer === 0)
        this.fail(
          node,
          index,
          "an activation on the graph input, before the first layer; nabla's networks start with a layer",
        );
      const opset = this.model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0n;
      if (op === 'Gelu' && opset < 20n)
        this.fail(node, index, `Gelu is an operator of opset 20 and later; the file imports opset ${opset}`);
      const approximate = op === 'Gelu' ? (attributeString(attrs.get('approximate')) ?? 'none') : undefined;
      if (approximate !== undefined && approximate !== 'tanh')
        this.fail(
          node,
          index,
          `Gelu with approximate="${approximate}" (the erf form) is not a catalog activation; nabla's gelu is the ` +
            'tanh approximation (approximate="tanh")',
        );
      // ONNX's defaults: LeakyRelu alpha 0.01, Elu alpha 1
      const alpha =
        op === 'LeakyRelu' || op === 'Elu'
          ? (attributeNumbers(attrs.get('alpha'))?.[0] ?? (op === 'Elu' ? 1 : 0.01))
          : undefined;
      this.values.set(node.output[0]!, {
        ...s,
        bare: false,
        pieces: s.pieces.map((p) => ({
          ...p,
          chain: {
            kind: 'op',
            op,
            args: [p.chain],
            at,
            ...(alpha !== undefined ? { alpha } : {}),
            ...(approximate !== undefined ? { approximate } : {}),
          },
        })),
      });
      return;
    }
    const a = this.input(node, index, 0);
    const b = this.input(node, index, 1);
    if (a === undefined || b === undefined) this.fail(node, index, 'expected two inputs');
    if (a.kind === 'constant' && b.kind === 'constant') {
      this.fail(node, index, 'arithmetic on constants alone; export with constant folding (PyTorch does by default)');
    }
    const s = (a.kind === 'signal' ? a : b) as Signal;
    const other = a.kind === 'signal' ? b : a;
    if (other.kind === 'constant') {
      if (s.layer === 0 && (op === 'Sub' || op === 'Div') && a.kind === 'signal')
        return this.scaling(node, index, s, other.tensor);
      if (s.layer === 0)
        this.fail(
          node,
          index,
          'arithmetic on the graph input other than input scaling (Sub of the mean, then Div by the standard deviation)',
        );
      if (op === 'Add' && s.bare && a.kind === 'signal' && this.layers[s.layer - 1]!.b === undefined) {
        const layer = this.layers[s.layer - 1]!;
        const v = vectorOf(other.tensor, layer.out);
        if (v === undefined)
          this.fail(node, index, `the bias has shape [${other.tensor.dims.join(', ')}]; expected [${layer.out}]`);
        layer.b = Float64Array.from(v);
        this.values.set(node.output[0]!, s);
        return;
      }
      if (!isScalar(other.tensor)) {
        this.fail(
          node,
          index,
          `a constant of shape [${other.tensor.dims.join(', ')}] inside an activation; nabla's ` +
            'activations have no per-neuron parameters (only scalar constants)',
        );
      }
      const c: Chain = { kind: 'const', value: other.tensor.data[0]!, at };
      const constFirst = a.kind === 'constant';
      this.values.set(node.output[0]!, {
        ...s,
        bare: false,
        pieces: s.pieces.map((p) => ({
          ...p,
          chain: { kind: 'op', op, args: constFirst ? [c, p.chain] : [p.chain, c], at },
        })),
      });
      return;
    }
    const sa = a as Signal;
    const sb = b as Signal;
    if (sa.layer !== sb.layer)
      this.fail(
        node,
        index,
        `it combines layer ${sa.layer} and layer ${sb.layer} (a skip connection); nabla reads a chain of layers`,
      );
    if (sa.layer === 0) this.fail(node, index, 'arithmetic on the graph input before the first layer');
    const same =
      sa.pieces.length === sb.pieces.length &&
      sa.pieces.every((p, j) => p.start === sb.pieces[j]!.start && p.end === sb.pieces[j]!.end);
    if (!same)
      this.fail(node, index, 'it combines different neurons of a layer; an activation acts on each neuron alone');
    this.values.set(node.output[0]!, {
      ...sa,
      bare: false,
      pieces: sa.pieces.map((p, j) => ({
        ...p,
        chain: { kind: 'op', op, args: [p.chain, sb.pieces[j]!.chain], at },
      })),
    });
  }

  slice(node: NodeProto, index: number): void {
    const s = this.signalInput(node, index, 0);
    if (s.layer === 0) this.fail(node, index, 'a slice of the graph input; nabla networks read every input');
    const attrs = attributesOf(node);
    const ints = (j: number, name: string): number[] | undefined =>
      node.input.length > 1
        ? node.input[j]
          ? Array.from(this.constantInput(node, index, j, name).data)
          : undefined
        : attributeNumbers(attrs.get(name));
    const starts = ints(1, 'starts');
    const ends = ints(2, 'ends');
    const axes = ints(3, 'axes') ?? [0];
    const steps = ints(4, 'steps') ?? [1];
    if (
      !starts ||
      !ends ||
      starts.length !== 1 ||
      ends.length !== 1 ||
      axes.length !== 1 ||
      !(axes[0] === 1 || axes[0] === -1) ||
      steps.length !== 1 ||
      steps[0] !== 1
    ) {
      this.fail(node, index, 'only a slice of neurons along axis 1 (the features) with step 1 is supported');
    }
    const [a, e] = this.span(s);
    const w = e - a;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + w : v, 0), w);
    const from = a + clamp(starts[0]!);
    const to = a + clamp(ends[0]!);
    if (to <= from) this.fail(node, index, 'an empty slice');
    const pieces = s.pieces
      .filter((p) => p.end > from && p.start < to)
      .map((p) => ({ ...p, start: Math.max(p.start, from), end: Math.min(p.end, to) }));
    this.values.set(node.output[0]!, { ...s, bare: false, pieces });
  }

  concat(node: NodeProto, index: number): void {
    const axis = attributeNumbers(attributesOf(node).get('axis'))?.[0];
    if (axis !== 1 && axis !== -1)
      this.fail(
        node,
        index,
        `axis = ${String(axis)}; only the slices of a layer along axis 1 (the features) can be joined`,
      );
    if (node.input.length === 0) this.fail(node, index, 'it has no inputs; expected the slices of one layer to join');
    const parts = node.input.map((_, j) => this.signalInput(node, index, j));
    const layer = parts[0]!.layer;
    if (layer === 0 || parts.some((p) => p.layer !== layer))
      this.fail(node, index, 'it joins values that are not slices of one layer');
    const pieces: Piece[] = [];
    for (const p of parts) {
      const [a] = this.span(p);
      const last = pieces[pieces.length - 1];
      if (last && last.end !== a)
        this.fail(node, index, `the slices are not consecutive neurons in order (neuron ${a + 1} follows ${last.end})`);
      pieces.push(...p.pieces);
    }
    this.values.set(node.output[0]!, { kind: 'signal', layer, pieces, bare: false });
  }

  /** A transposed weight matrix (PyTorch without constant folding writes Transpose(W) before MatMul). */
  transposeConstant(node: NodeProto, index: number): void {
    const t = this.constantInput(node, index, 0, 'the matrix');
    const perm = attributeNumbers(attributesOf(node).get('perm')) ?? [1, 0];
    if (t.dims.length !== 2 || perm[0] !== 1 || perm[1] !== 0)
      this.fail(node, index, 'only the transpose of a weight matrix (perm [1, 0]) is supported');
    const [rows, cols] = [t.dims[0]!, t.dims[1]!];
    const data = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[c * rows + r] = t.data[r * cols + c]!;
    this.values.set(node.output[0]!, { kind: 'constant', tensor: { dims: [cols, rows], data, dataType: t.dataType } });
  }

  constant(node: NodeProto, index: number): void {
    const attrs = attributesOf(node);
    const value = attrs.get('value');
    if (value?.t) {
      this.values.set(node.output[0]!, {
        kind: 'constant',
        tensor: readTensor(value.t, `${this.source}: node ${nodeLabel(node, index)}`),
      });
      return;
    }
    for (const name of ['value_float', 'value_int', 'value_floats', 'value_ints']) {
      const v = attributeNumbers(attrs.get(name));
      if (v) {
        const scalar = name === 'value_float' || name === 'value_int';
        this.values.set(node.output[0]!, {
          kind: 'constant',
          tensor: { dims: scalar ? [] : [v.length], data: Float64Array.from(v), dataType: DataType.DOUBLE },
        });
        return;
      }
    }
    this.fail(node, index, 'expected a tensor, float or int value');
  }

  step(node: NodeProto, index: number): void {
    const op = node.opType;
    if (node.output.length !== 1 || node.output[0] === '')
      this.fail(
        node,
        index,
        `it has ${node.output.length === 0 || node.output[0] === '' ? 'no output' : `${node.output.length} outputs`}; the operators of an MLP have one`,
      );
    if (this.values.has(node.output[0]!))
      this.fail(
        node,
        index,
        `its output "${node.output[0]}" is already the name of another value; each value of a graph has one name`,
      );
    if (node.domain !== '' && node.domain !== 'ai.onnx')
      this.fail(
        node,
        index,
        `the operator is from the domain "${node.domain}"; nabla reads the standard operators (domain ai.onnx) only`,
      );
    if (op === 'Transpose' && this.values.get(node.input[0] ?? '')?.kind === 'constant')
      return this.transposeConstant(node, index);
    if (Object.hasOwn(refusedOperators, op)) this.fail(node, index, refusedOperators[op]!);
    switch (op) {
      case 'Gemm':
        return this.gemm(node, index);
      case 'MatMul':
        return this.matmul(node, index);
      case 'Constant':
        return this.constant(node, index);
      case 'Slice':
        return this.slice(node, index);
      case 'Concat':
        return this.concat(node, index);
      case 'Flatten': {
        const axis = attributeNumbers(attributesOf(node).get('axis'))?.[0] ?? 1;
        if (axis !== 1)
          this.fail(node, index, `axis = ${axis}; only Flatten with axis 1 (keep the batch) is supported`);
        this.values.set(node.output[0]!, this.signalInput(node, index, 0));
        return;
      }
      case 'Identity': {
        const v = this.input(node, index, 0);
        if (v === undefined) this.fail(node, index, 'expected one input');
        this.values.set(node.output[0]!, v);
        return;
      }
      default:
        if (Object.hasOwn(chainOperators, op)) return this.elementwise(node, index);
        this.fail(
          node,
          index,
          `not an operator of the fully connected networks nabla reads; supported: ${supportedList()}`,
        );
    }
  }
}

/** The metadata nabla writes (metadata.ts), checked; the input scaling from the graph, made exact by the metadata when they agree. */
function metaOf(model: ModelProto, reader: GraphReader, dtype: DType, source: string): ModelMeta {
  const meta: ModelMeta = { dtype };
  if (model.docString !== '') meta.description = model.docString;
  const classes = metadataJson(model, 'classes', source);
  if (classes !== undefined) meta.classes = classes as string[] | number[];
  const loss = model.metadataProps.find((e) => e.key === 'loss')?.value;
  if (loss !== undefined) {
    if (!lossNames.includes(loss as LossName))
      throw new FormatError(
        `${source}: metadata "loss" is ${JSON.stringify(loss)}; expected one of ${lossNames.join(', ')}`,
      );
    meta.loss = loss as LossName;
  }
  const training = metadataJson(model, 'training', source);
  if (training !== undefined) meta.training = training as Record<string, string | number | boolean | null>;
  const history = metadataJson(model, 'history', source);
  if (history !== undefined) meta.history = history as Record<string, number>[];
  if (reader.mean || reader.std) {
    const m0 = reader.layers[0]!.in;
    let mean = Array.from(reader.mean ?? new Float64Array(m0));
    let std = Array.from(reader.std ?? new Float64Array(m0).fill(1));
    const written = (
      metadataJson(model, 'preprocessing', source) as { standardize?: { mean?: unknown; std?: unknown } } | undefined
    )?.standardize;
    const round = dtype === 'float32' ? Math.fround : (x: number) => x;
    const agrees = (exact: unknown, graph: number[]) =>
      Array.isArray(exact) &&
      exact.length === graph.length &&
      exact.every((v, j) => typeof v === 'number' && round(v) === graph[j]);
    if (written && agrees(written.mean, mean) && agrees(written.std, std)) {
      mean = written.mean as number[];
      std = written.std as number[];
    }
    meta.preprocessing = { standardize: { mean, std } };
  }
  return meta;
}

/**
 * Reads the bytes of an .onnx file as a model (what `parseModel` returns: the homogeneous network, the affine
 * one when any layer has a bias, and the metadata). Throws `FormatError` with one line naming the operator,
 * the node and the reason for anything outside the graphs described above, and for files that are truncated
 * or not ONNX.
 */
export function importOnnx(bytes: Uint8Array, opts: OnnxImportOptions = {}): LoadedModel {
  const source = opts.source ?? 'ONNX model';
  const model = decodeModel(bytes, source);
  const opset = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (opset === undefined) throw new FormatError(`${source}: the model imports no standard opset (domain ai.onnx)`);
  if (model.metadataProps.some((e) => e.key === 'output' && e.value === 'probabilities')) {
    throw new FormatError(
      `${source}: nabla exported this graph with output 'probabilities' (a last Softmax or ` +
        `Sigmoid, for inference); import the file exported without it, whose output is the network's f`,
    );
  }
  // the operators' meanings are those of these versions; a newer file may use them differently
  if (model.irVersion < BigInt(ONNX_IR_VERSIONS[0]) || model.irVersion > BigInt(ONNX_IR_VERSIONS[1])) {
    throw new FormatError(
      `${source}: ONNX IR version ${model.irVersion}; nabla reads IR versions ${ONNX_IR_VERSIONS[0]} to ${ONNX_IR_VERSIONS[1]}`,
    );
  }
  if (opset.version < BigInt(ONNX_OPSETS[0]) || opset.version > BigInt(ONNX_OPSETS[1])) {
    throw new FormatError(
      `${source}: opset ${opset.version}; nabla reads the standard opsets ${ONNX_OPSETS[0]} to ${ONNX_OPSETS[1]}`,
    );
  }
  const polynomials = metadataJson(model, 'polynomials', source) as Record<string, unknown> | undefined;
  const extra: NamedPolynomial[] = [];
  for (const [name, text] of Object.entries(polynomials ?? {})) {
    if (typeof text !== 'string')
      throw new FormatError(`${source}: metadata "polynomials": "${name}" is not a polynomial's text`);
    try {
      const p = polynomialActivation(name, text);
      extra.push({ activation: p.float, coeffs: p.polynomial!.coeffs.map(rationalToNumber), text });
    } catch (e) {
      if (e instanceof NablaError) throw new FormatError(`${source}: metadata "polynomials": ${e.message}`);
      throw e;
    }
  }
  const reader = new GraphReader(model, source, extra);
  reader.read();
  const layers = reader.layers;
  const dtype = layers[0]!.dtype;
  const affine = layers.some((l) => l.b !== undefined);
  const widths = [layers[0]!.in, ...layers.map((l) => l.out)];
  const W = layers.map((l) => {
    const cols = affine ? l.in + 1 : l.in;
    const M = new Matrix(l.out, cols, newArray(dtype, l.out * cols));
    for (let r = 0; r < l.out; r++) {
      for (let c = 0; c < l.in; c++) M.set(r, c, l.A[r * l.in + c]!);
      if (affine) M.set(r, l.in, l.b?.[r] ?? 0);
    }
    return M;
  });
  const columns = layers.map((l) => new Column(l.sigmas!));
  const meta = metaOf(model, reader, dtype, source);
  const extraActivations = Object.fromEntries(extra.map((p) => [p.activation.name, p.activation]));
  try {
    const text = affine
      ? serializeModel({ affine: new AffineNetwork(widths, W, columns), meta })
      : serializeModel({ network: new Network(widths, W, columns), meta });
    return parseModel(text, { source, extraActivations });
  } catch (e) {
    if (e instanceof NablaError) throw new FormatError(`${source}: ${e.message.replace(/^serializeModel: /, '')}`);
    throw e;
  }
}

/** What `safeImportOnnx` returns: the model, or the error `importOnnx` would have thrown. */
export type SafeImportOnnxResult =
  | {
      /** The file was read. */ ok: true;
      /** The model it holds. */ model: LoadedModel;
    }
  | {
      /** The file is not an MLP nabla reads. */ ok: false;
      /** The one-line reason. */ error: FormatError;
    };

/** `importOnnx` without throwing: `{ ok: true, model }` or `{ ok: false, error }` (as `safeParseModel` for model files). */
export function safeImportOnnx(bytes: Uint8Array, opts: OnnxImportOptions = {}): SafeImportOnnxResult {
  try {
    return { ok: true, model: importOnnx(bytes, opts) };
  } catch (e) {
    if (e instanceof FormatError) return { ok: false, error: e };
    throw e;
  }
}
