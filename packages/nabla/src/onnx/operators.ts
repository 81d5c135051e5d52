/**
 * The ONNX operator table: which operators nabla reads and what each means for a network (layer, scaling,
 * elementwise, structure), which it refuses and why. The importer (import.ts) follows it; docs/onnx.md prints it.
 */
import { FormatError } from '../errors.js';
import { activations } from '../net/activation.js';

/** What nabla does with an ONNX operator on import. */
export interface OperatorEntry {
  /** The ONNX op_type. */
  op: string;
  /** How the importer reads it. */
  role: 'layer' | 'scaling' | 'elementwise' | 'structure';
  /** A short explanation for the table. */
  note: string;
}

/** A scalar function of one or two numbers, with the node's attributes already read. */
export type Scalar1 = (x: number) => number;
export type Scalar2 = (a: number, b: number) => number;

const softplus = activations.softplus!.sigma;
const logistic = activations.sigmoid!.sigma;
const GELU_C = Math.sqrt(2 / Math.PI);

/** The elementwise operators of one input, given the node's float attributes (alpha, …) and string attributes. */
export const unaryOperators: Readonly<
  Record<
    string,
    (attr: {
      f: (name: string, dflt: number) => number;
      s: (name: string) => string | undefined;
      where: string;
    }) => Scalar1
  >
> = {
  Identity: () => (x) => x,
  Relu: () => (x) => Math.max(x, 0),
  LeakyRelu: ({ f }) => {
    const a = f('alpha', 0.01);
    return (x) => (x > 0 ? x : a * x);
  },
  Elu: ({ f }) => {
    const a = f('alpha', 1);
    return (x) => (x > 0 ? x : a * Math.expm1(x));
  },
  Tanh: () => Math.tanh,
  Sigmoid: () => logistic,
  Softplus: () => softplus,
  Sin: () => Math.sin,
  Cos: () => Math.cos,
  Exp: () => Math.exp,
  Log: () => Math.log,
  Neg: () => (x) => -x,
  Abs: () => Math.abs,
  Sqrt: () => Math.sqrt,
  Reciprocal: () => (x) => 1 / x,
  Gelu: ({ s, where }) => {
    const approximate = s('approximate') ?? 'none';
    if (approximate !== 'tanh') {
      throw new FormatError(
        `${where}: Gelu with approximate="${approximate}" (the erf form) is not a catalog ` +
          `activation; nabla's gelu is the tanh approximation (approximate="tanh")`,
      );
    }
    return (x) => 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
  },
};

/** The elementwise operators of two inputs (either may be a scalar constant). */
export const binaryOperators: Readonly<Record<string, Scalar2>> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  Pow: (a, b) => a ** b,
  Min: (a, b) => Math.min(a, b),
  Max: (a, b) => Math.max(a, b),
};

/** Operators refused with a specific reason (every other operator is refused as not part of an MLP). */
export const refusedOperators: Readonly<Record<string, string>> = {
  Softmax:
    'it couples the neurons of a layer (each output depends on all of them); an activation of ' +
    'the paper acts on one neuron. Export the logits (drop the final Softmax) and train nabla ' +
    'with --loss softmax-ce',
  LogSoftmax:
    'it couples the neurons of a layer; an activation of the paper acts on one neuron. Export the logits instead',
  BatchNormalization:
    'batch normalization is not a layer of the paper; fold it into the preceding Linear before export',
  Dropout: 'export the model in eval mode (model.eval()), where PyTorch writes no Dropout',
  Conv: 'convolutions are not part of a feed-forward network of the paper (only fully connected layers are)',
  Reshape: 'only [batch, features] tensors are supported; nabla networks have no shapes to reshape',
  Transpose:
    'only a weight matrix may be transposed (an initializer, perm [1, 0]); a transposed signal is not part of an MLP',
  Erf: 'the erf form of GELU is not a catalog activation; use GELU(approximate="tanh")',
};

/** Every operator the importer reads, by role, for the documentation and the error messages. */
export const operatorTable: readonly OperatorEntry[] = [
  {
    op: 'Gemm',
    role: 'layer',
    note: 'A · x + b with A an initializer (transB = 1 as PyTorch writes it, or transB = 0 with [in, out] weights); alpha, beta = 1; C optional',
  },
  {
    op: 'MatMul',
    role: 'layer',
    note: 'x · B with B an [in, out] initializer (PyTorch without bias, Keras Dense through tf2onnx); a following Add of a constant vector is the bias',
  },
  { op: 'Add', role: 'layer', note: 'the bias after MatMul, or arithmetic inside an activation' },
  {
    op: 'Sub',
    role: 'scaling',
    note: 'x − mean on the graph input (input scaling), or arithmetic inside an activation',
  },
  { op: 'Div', role: 'scaling', note: '(x − mean) / std on the graph input, or arithmetic inside an activation' },
  ...Object.keys(unaryOperators)
    .filter((op) => op !== 'Identity')
    .map((op) => ({
      op,
      role: 'elementwise' as const,
      note:
        op === 'Gelu'
          ? 'approximate="tanh" only (opset 20)'
          : op === 'LeakyRelu'
            ? 'alpha 0.01 is leaky_relu'
            : op === 'Elu'
              ? 'alpha 1 is elu'
              : '',
    })),
  { op: 'Mul', role: 'elementwise', note: 'x·x (square), x·sigmoid(x) (silu), the written-out GELU, scalar constants' },
  {
    op: 'Pow',
    role: 'elementwise',
    note: "x^c with a scalar constant c (PyTorch's GELU in some versions, polynomials)",
  },
  { op: 'Min', role: 'elementwise', note: "with a scalar constant (nabla's float64 elu)" },
  { op: 'Max', role: 'elementwise', note: 'with a scalar constant' },
  { op: 'Constant', role: 'structure', note: 'a scalar or a tensor used as weight, bias, slice index or constant' },
  { op: 'Identity', role: 'structure', note: 'passes its input on (tf2onnx names the output with one)' },
  {
    op: 'Transpose',
    role: 'structure',
    note: 'of a weight initializer (perm [1, 0]): PyTorch without constant folding',
  },
  { op: 'Flatten', role: 'structure', note: 'of a [batch, features] tensor with axis 1 (nn.Flatten on an MLP input)' },
  { op: 'Slice', role: 'structure', note: 'neurons a … b − 1 of a layer (axis 1, step 1): per-neuron columns' },
  { op: 'Concat', role: 'structure', note: 'the slices of one layer in order along axis 1: per-neuron columns' },
];

/**
 * The probe points where an elementwise chain is compared with the catalog: off 0 and the integers, both signs, up
 * to |x| = 6 where the activations differ most, and far out (to |x| = 600, where exp still fits a float64) so that a
 * cap such as min(relu(z), 6) (ReLU6) is not taken for relu. The importer adds points around every constant of the
 * chain (`probePointsFor`), where a piecewise chain changes its formula.
 */
export const probePoints: readonly number[] = [
  -6.1, -4.3, -2.8, -1.9, -1.1, -0.66, -0.27, -0.04, 0.05, 0.31, 0.7, 1.3, 2.2, 3.7, 5.9, -587.3, -263.1, -41.3, -13.7,
  -7.9, 7.9, 13.7, 41.3, 263.1, 587.3,
];

/** Probes beyond this magnitude are not used (exp overflows a float64 past 709). */
export const PROBE_MAX = 600;

/** The probe points for a chain with the scalar constants `constants`: the fixed ones and points around each constant. */
export function probePointsFor(constants: readonly number[]): number[] {
  const extra = constants.flatMap((c) => [
    c - 0.37,
    c + 0.41,
    2 * c + 1.3,
    -2 * c - 1.3,
    3 * Math.abs(c) + 7.1,
    -3 * Math.abs(c) - 7.1,
  ]);
  return [...probePoints, ...extra.filter((x) => Number.isFinite(x) && Math.abs(x) <= PROBE_MAX)];
}

/** Agreement needed at each probe: float32 constants (0.044715, √(2/π), alpha = 0.01 as float32) differ by ~1e-7. */
export const PROBE_TOLERANCE = 2e-6;
