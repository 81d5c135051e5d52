/**
 * A custom activation typed as a formula in x (mathjs syntax, piecewise allowed): mathjs derives σ' symbolically,
 * branch by branch; the pair becomes a library activation (`defineActivation`), its σ' confirmed by
 * `checkActivationDerivative`. Used by the page and by the training worker (formulas can be posted, functions not).
 */
import { ConditionalNode, derivative, type MathNode, parse } from 'mathjs';
import { type Activation, checkActivationDerivative, defineActivation } from 'nabla';

export interface CustomActivation {
  name: string;
  formula: string;
  activation: Activation;
  /** TeX of σ(x) and σ'(x). */
  tex: string;
  dtex: string;
  /** Largest relative difference between σ' and central differences of σ on [−5, 5]. */
  check: { ok: boolean; maxError: number; worstX: number };
}

export type CompileResult = { ok: true; value: CustomActivation } | { ok: false; message: string };

/** The name the n-th custom formula (from 1) goes by in activation lists and model files. */
export function customName(n: number): string {
  return `custom${n}`;
}

function symbolsOf(node: MathNode): string[] {
  const out = new Set<string>();
  node.traverse((n, _path, parent) => {
    if ((n as { isSymbolNode?: boolean }).isSymbolNode) {
      // a function's name (tanh in tanh(x)) is a SymbolNode too; skip those
      const isFnName =
        (parent as { isFunctionNode?: boolean } | null)?.isFunctionNode &&
        (parent as unknown as { fn: MathNode }).fn === n;
      if (!isFnName) out.add((n as unknown as { name: string }).name);
    }
  });
  return [...out];
}

/** σ' of a formula: mathjs's derivative, applied branch by branch when the outermost node is `c ? a : b`. */
function derive(node: MathNode): MathNode {
  const inner = (node as { isParenthesisNode?: boolean }).isParenthesisNode
    ? (node as unknown as { content: MathNode }).content
    : node;
  if ((inner as { isConditionalNode?: boolean }).isConditionalNode) {
    const c = inner as unknown as { condition: MathNode; trueExpr: MathNode; falseExpr: MathNode };
    return new ConditionalNode(c.condition, derive(c.trueExpr), derive(c.falseExpr));
  }
  return derivative(inner, 'x');
}

const CONSTANTS = new Set(['pi', 'e', 'E', 'PI', 'tau', 'phi']);

/** Compiles `formula` into the custom activation `name`; a message naming the problem otherwise. */
export function compileActivation(name: string, formula: string): CompileResult {
  const src = formula.trim();
  if (src === '') return { ok: false, message: 'empty formula; type σ(x) in x, for example x^3 - x' };
  let node: MathNode;
  try {
    node = parse(src);
  } catch (e) {
    return { ok: false, message: `cannot read "${src}": ${(e as Error).message}` };
  }
  const unknown = symbolsOf(node).filter((s) => s !== 'x' && !CONSTANTS.has(s));
  if (unknown.length > 0)
    return {
      ok: false,
      message: `unknown symbol ${unknown.join(', ')}: the formula may use only x (and constants such as pi, e)`,
    };
  let d: MathNode;
  try {
    d = derive(node);
  } catch (e) {
    const why = (e as Error).message;
    return {
      ok: false,
      message: /ConditionalNode/.test(why)
        ? 'a condition inside an expression cannot be differentiated; put it outermost, e.g. x > 0 ? 2*x : 0'
        : `mathjs cannot differentiate this formula (${why.replace(/\s*\(expected.*$/, '')}); write ` +
          'it with + − · / ^, exp, log, sin, cos, tanh, … or piecewise: x > 0 ? x : 0',
    };
  }
  const f = node.compile();
  const df = d.compile();
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number.NaN);
  const sigma = (x: number) => num(f.evaluate({ x }));
  const dsigma = (x: number) => num(df.evaluate({ x }));
  for (const x of [-1.3, 0.7, 2.1]) {
    let y: number;
    try {
      y = sigma(x);
    } catch (e) {
      return { ok: false, message: `cannot evaluate at x = ${x}: ${(e as Error).message}` };
    }
    if (!Number.isFinite(y)) return { ok: false, message: `σ(${x}) = ${y}: the formula must give a real number` };
  }
  const activation = defineActivation({ name, sigma, dsigma: (x) => dsigma(x), tex: node.toTex() });
  let check: CustomActivation['check'];
  try {
    const c = checkActivationDerivative(activation, { tolerance: 1e-5 });
    check = { ok: c.ok, maxError: c.maxError, worstX: c.worstX };
  } catch (e) {
    check = { ok: false, maxError: Number.NaN, worstX: Number.NaN };
    void e;
  }
  return { ok: true, value: { name, formula: src, activation, tex: node.toTex(), dtex: d.toTex(), check } };
}

/** Compiles every formula; the activations that compiled, by name, and a message per failed formula (by index). */
export function compileAll(formulas: readonly string[]): {
  extra: Record<string, Activation>;
  compiled: (CustomActivation | undefined)[];
  errors: Map<number, string>;
} {
  const extra: Record<string, Activation> = {};
  const errors = new Map<number, string>();
  const compiled = formulas.map((f, j) => {
    const r = compileActivation(customName(j + 1), f);
    if (r.ok) {
      extra[r.value.name] = r.value.activation;
      return r.value;
    }
    errors.set(j, r.message);
    return undefined;
  });
  return { extra, compiled, errors };
}
