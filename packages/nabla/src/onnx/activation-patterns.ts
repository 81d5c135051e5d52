/**
 * The catalog activations as ONNX operator patterns: each way nabla (export.ts) and PyTorch's exporter write each
 * one. The importer reads a layer's elementwise chain as an activation only when it is one of these exactly
 * (activation-match.ts): the same operators with the same attributes, the same scalar constants (as float64 or as
 * their float32 rounding), connected the same way. Sums and products are written as such: the operands of Add and
 * of Mul may come in any order and nesting, and Pow(e, n) with a whole n ≥ 2 is the product of n factors e.
 */

/** An operator pattern over z, the layer's product (one neuron's value before its activation). */
export type Pattern =
  | {
      /** z itself. */ kind: 'z';
    }
  | {
      /** A scalar constant. */ kind: 'const';
      /** Its value; the file may hold it as a float64 or as its float32 rounding. */ value: number;
    }
  | {
      /** A sum (Add) or product (Mul) of the operands, in any order and nesting. */ kind: 'sum' | 'prod';
      /** The operands. */ args: readonly Pattern[];
    }
  | {
      /** Any other operator, its operands in order (Min and Max in either order). */ kind: 'op';
      /** The ONNX op_type. */ op: string;
      /** The operands. */ args: readonly Pattern[];
      /** The attribute alpha (LeakyRelu, Elu), when it has one. */ alpha?: number;
      /** The attribute approximate (Gelu). */ approximate?: string;
    };

/** One way an activation is written, and who writes it that way (for the documentation and messages). */
export interface ActivationPattern {
  /** The operators. */
  pattern: Pattern;
  /** Who writes it: 'nabla float32', 'nabla float64', 'PyTorch', 'ONNX' (an operator of its own). */
  writers: string;
}

const z: Pattern = { kind: 'z' };
const c = (value: number): Pattern => ({ kind: 'const', value });
// sums of sums and products of products are one sum or product, as the importer gathers the file's
const sum = (...args: Pattern[]): Pattern => ({
  kind: 'sum',
  args: args.flatMap((a) => (a.kind === 'sum' ? a.args : [a])),
});
const prod = (...args: Pattern[]): Pattern => ({
  kind: 'prod',
  args: args.flatMap((a) => (a.kind === 'prod' ? a.args : [a])),
});
const op = (name: string, ...args: Pattern[]): Pattern => ({ kind: 'op', op: name, args });
const GELU_C = Math.sqrt(2 / Math.PI);

/** Every catalog activation's patterns, by name, in catalog order. */
export const activationPatterns: Readonly<Record<string, readonly ActivationPattern[]>> = {
  identity: [{ pattern: z, writers: 'nabla, PyTorch (no operator)' }],
  sigmoid: [{ pattern: op('Sigmoid', z), writers: 'nabla, PyTorch' }],
  tanh: [{ pattern: op('Tanh', z), writers: 'nabla, PyTorch' }],
  relu: [{ pattern: op('Relu', z), writers: 'nabla, PyTorch, tf2onnx' }],
  leaky_relu: [
    // alpha is a float attribute: 0.01 is stored as its float32 rounding; absent, it is 0.01 (ONNX's default)
    { pattern: { kind: 'op', op: 'LeakyRelu', args: [z], alpha: 0.01 }, writers: 'nabla float32, PyTorch' },
    { pattern: op('Max', z, prod(c(0.01), z)), writers: 'nabla float64' },
  ],
  elu: [
    { pattern: { kind: 'op', op: 'Elu', args: [z], alpha: 1 }, writers: 'nabla float32, PyTorch' },
    { pattern: sum(op('Relu', z), op('Sub', op('Exp', op('Min', z, c(0))), c(1))), writers: 'nabla float64' },
  ],
  softplus: [
    { pattern: op('Softplus', z), writers: 'nabla float32, PyTorch' },
    {
      pattern: sum(op('Relu', z), op('Log', sum(c(1), op('Exp', op('Neg', op('Abs', z)))))),
      writers: 'nabla float64',
    },
  ],
  silu: [
    { pattern: prod(z, op('Sigmoid', z)), writers: 'nabla float32, PyTorch' },
    { pattern: op('Div', z, sum(c(1), op('Exp', op('Neg', z)))), writers: 'nabla float64' },
  ],
  gelu: [
    { pattern: { kind: 'op', op: 'Gelu', args: [z], approximate: 'tanh' }, writers: 'ONNX (opset 20)' },
    {
      pattern: prod(c(0.5), z, sum(c(1), op('Tanh', prod(c(GELU_C), sum(z, prod(c(0.044715), z, z, z)))))),
      writers: 'nabla, PyTorch',
    },
  ],
  sin: [{ pattern: op('Sin', z), writers: 'nabla, PyTorch' }],
  square: [{ pattern: prod(z, z), writers: 'nabla, PyTorch (x * x, x ** 2)' }],
};

/**
 * A polynomial c_0 + c_1 z + … + c_d z^d as export.ts writes it (Horner, terms with c = 0 left out):
 * ((c_d·z + c_{d−1})·z + …)·z + c_0; the zero polynomial is z·0, a constant c_0 is z·0 + c_0.
 */
export function hornerPattern(coeffs: readonly number[]): Pattern {
  const d = coeffs.length - 1;
  if (d < 0) return prod(z, c(0));
  let acc = d === 0 ? sum(prod(z, c(0)), c(coeffs[0]!)) : prod(z, c(coeffs[d]!));
  for (let p = d - 1; p >= 0; p--) {
    if (coeffs[p] !== 0) acc = sum(acc, c(coeffs[p]!));
    if (p > 0) acc = prod(acc, z);
  }
  return acc;
}

/** The operators that may appear in an activation's chain (those of the patterns and of polynomials), by arity. */
export const chainOperators: Readonly<Record<string, 1 | 2>> = {
  Relu: 1,
  LeakyRelu: 1,
  Elu: 1,
  Tanh: 1,
  Sigmoid: 1,
  Softplus: 1,
  Sin: 1,
  Gelu: 1,
  Exp: 1,
  Log: 1,
  Neg: 1,
  Abs: 1,
  Add: 2,
  Sub: 2,
  Mul: 2,
  Div: 2,
  Pow: 2,
  Min: 2,
  Max: 2,
};

/** The attributes each chain operator may carry (ONNX's defaults: LeakyRelu alpha 0.01, Elu alpha 1). */
export const chainAttributes: Readonly<Record<string, readonly string[]>> = {
  LeakyRelu: ['alpha'],
  Elu: ['alpha'],
  Gelu: ['approximate'],
};

/** A pattern as text, e.g. "Max(z, 0.01·z)", "(Relu(z) + Sub(Exp(Min(z, 0)), 1))". */
export function patternText(p: Pattern): string {
  switch (p.kind) {
    case 'z':
      return 'z';
    case 'const':
      return numberText(p.value);
    case 'sum':
      return `(${p.args.map(patternText).join(' + ')})`;
    case 'prod':
      return p.args.map(patternText).join('·');
    case 'op': {
      const attrs = [
        ...(p.alpha !== undefined ? [`alpha = ${numberText(p.alpha)}`] : []),
        ...(p.approximate !== undefined ? [`approximate = "${p.approximate}"`] : []),
      ];
      return `${p.op}${attrs.length > 0 ? `[${attrs.join(', ')}]` : ''}(${p.args.map(patternText).join(', ')})`;
    }
  }
}

/** A constant as text: a float32 value with the digits a float32 has (0.0099999998 → 0.01). */
export function numberText(v: number): string {
  return String(Math.fround(v) === v ? Number(v.toPrecision(7)) : v);
}
