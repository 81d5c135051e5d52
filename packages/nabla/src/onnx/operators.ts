/**
 * The ONNX operator table: which operators nabla reads and what each means for a network (layer, scaling,
 * elementwise, structure), which it refuses and why. The importer (import.ts) follows it; docs/onnx.md prints it.
 * Which chains of elementwise operators are activations is activation-patterns.ts.
 */
import { chainOperators } from './activation-patterns.js';

/** What nabla does with an ONNX operator on import. */
export interface OperatorEntry {
  /** The ONNX op_type. */
  op: string;
  /** How the importer reads it. */
  role: 'layer' | 'scaling' | 'elementwise' | 'structure';
  /** A short explanation for the table. */
  note: string;
}

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
  ...Object.keys(chainOperators)
    .filter((op) => chainOperators[op] === 1)
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
              : ['Exp', 'Log', 'Neg', 'Abs'].includes(op)
                ? "inside nabla's float64 elu, softplus and silu"
                : '',
    })),
  { op: 'Mul', role: 'elementwise', note: 'x·x (square), x·sigmoid(x) (silu), the written-out GELU, polynomials' },
  { op: 'Pow', role: 'elementwise', note: 'x^n with a whole n (a product of n factors x), polynomials' },
  { op: 'Min', role: 'elementwise', note: "min(x, 0) inside nabla's float64 elu" },
  { op: 'Max', role: 'elementwise', note: "max(x, 0.01·x), nabla's float64 leaky_relu" },
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
