/**
 * Which activation an elementwise chain of ONNX operators is, read from its structure: the chain (the operators
 * after a layer's Gemm or MatMul, as a tree over z) must be one of the catalog's patterns (activation-patterns.ts)
 * exactly, or a polynomial named in the file's metadata with exactly its coefficients. Nothing is evaluated, so a
 * chain that agrees with an activation at some points but differs elsewhere, such as min(relu(z), 1000), is no
 * match. A chain that matches nothing is described for the message: the operator where it departs from the closest
 * pattern (or the one applied after a complete activation), and what was expected there.
 */
import type { Activation } from '../net/activation.js';
import { activations } from '../net/activation.js';
import {
  type ActivationPattern,
  activationPatterns,
  numberText,
  type Pattern,
  patternText,
} from './activation-patterns.js';

/** A node of the file, as messages name it. */
export interface ChainNode {
  /** The op_type. */
  op: string;
  /** The node's name in quotes, or its position and output: "act", #3 (h1). */
  label: string;
}

/** A layer's elementwise chain as read from the file, operands in the file's order. */
export type Chain =
  | { kind: 'z' }
  | { kind: 'const'; value: number /** The operator it is an operand of. */; at: ChainNode }
  | { kind: 'op'; op: string; args: Chain[]; at: ChainNode; alpha?: number; approximate?: string };

/** A chain with its sums and products gathered (Add and Mul flattened, Pow(e, n) expanded), as patterns are. */
type Term =
  | { kind: 'z' }
  | { kind: 'const'; value: number; at: ChainNode }
  | { kind: 'sum' | 'prod'; args: Term[]; at: ChainNode }
  | { kind: 'op'; op: string; args: Term[]; at: ChainNode; alpha?: number; approximate?: string };

/** A polynomial activation the file's metadata names: the activation and its coefficients c_0 … c_d. */
export interface NamedPolynomial {
  activation: Activation;
  coeffs: readonly number[];
  text: string;
}

/** The result of `matchActivation`. */
export type ChainMatch =
  | { ok: true; activation: Activation }
  | { ok: false /** The node to name. */; node: ChainNode /** What is wrong and what was expected. */; reason: string };

/** Pow(e, n) with a whole n up to this is read as n factors e. */
const MAX_POWER = 12;

/** Sums and products gathered: Add and Mul flattened into one sum or product, Pow(e, n) into n factors. */
function gather(ch: Chain): Term {
  if (ch.kind !== 'op') return ch;
  const args = ch.args.map(gather);
  if (ch.op === 'Add' || ch.op === 'Mul') {
    const kind = ch.op === 'Add' ? 'sum' : 'prod';
    return { kind, at: ch.at, args: args.flatMap((a) => (a.kind === kind ? a.args : [a])) };
  }
  const [base, n] = args;
  if (ch.op === 'Pow' && n?.kind === 'const' && Number.isInteger(n.value) && n.value >= 2 && n.value <= MAX_POWER) {
    const factors = base!.kind === 'prod' ? base!.args : [base!];
    return { kind: 'prod', at: ch.at, args: Array.from({ length: n.value }, () => factors).flat() };
  }
  return { ...ch, args };
}

/** A constant of the file equals a pattern's: the float64 value or its float32 rounding. */
function sameConstant(file: number, want: number): boolean {
  return file === want || file === Math.fround(want);
}

/** Every injective map of n operands into m (as lists: operand i goes to operand map[i]). */
function injections(n: number, m: number): number[][] {
  if (n === 0) return [[]];
  return injections(n - 1, m).flatMap((q) =>
    Array.from({ length: m }, (_, j) => j)
      .filter((j) => !q.includes(j))
      .map((j) => [...q, j]),
  );
}

/** Where a chain departs from a pattern: the file's term, the pattern's, and the node to name. */
interface Miss {
  at: ChainNode;
  found: string;
  want: string;
}

type Alignment = { score: number; miss?: Miss };

/** Operands a sum or product may have beyond its pattern's for the search of the extra one (more: no search). */
const MAX_EXTRA = 4;

/**
 * How far the chain `t` follows the pattern `p`: the number of pattern nodes matched in the best order of
 * operands, and the first place it departs (none: `t` is `p` exactly). `parent` names the operator z is an
 * operand of. `memo` keeps each pair's answer, so the search over operand orders stays small.
 */
function align(p: Pattern, t: Term, parent: ChainNode, memo: Map<Pattern, Map<Term, Alignment>>): Alignment {
  if (t.kind === 'z') return alignOnce(p, t, parent, memo); // z is one object; its miss names the parent
  let row = memo.get(p);
  if (!row) memo.set(p, (row = new Map()));
  let r = row.get(t);
  if (!r) row.set(t, (r = alignOnce(p, t, parent, memo)));
  return r;
}

function alignOnce(p: Pattern, t: Term, parent: ChainNode, memo: Map<Pattern, Map<Term, Alignment>>): Alignment {
  const at = t.kind === 'z' ? parent : t.at;
  const missHere = (score: number, want = patternText(p), found = termText(t)) => ({
    score,
    miss: { at, found, want },
  });
  if (p.kind === 'z') return t.kind === 'z' ? { score: 1 } : missHere(0, 'z (the layer’s product)');
  if (p.kind === 'const')
    return t.kind === 'const' && sameConstant(t.value, p.value)
      ? { score: 1 }
      : missHere(
          0,
          `the constant ${numberText(p.value)}`,
          t.kind === 'const' ? `the constant ${numberText(t.value)}` : undefined,
        );
  if (t.kind !== p.kind || (p.kind === 'op' && t.kind === 'op' && p.op !== t.op)) return missHere(0);
  if (p.kind === 'op' && t.kind === 'op') {
    if (p.alpha !== undefined && !(t.alpha !== undefined && sameConstant(t.alpha, p.alpha)))
      return missHere(1, `${p.op} with alpha = ${numberText(p.alpha)}`, `alpha = ${numberText(t.alpha ?? Number.NaN)}`);
    if (p.approximate !== t.approximate)
      return missHere(1, `${p.op} with approximate = "${p.approximate}"`, `approximate = "${t.approximate}"`);
  }
  const pa = (p as { args: readonly Pattern[] }).args;
  const ta = (t as { args: Term[] }).args;
  const what = p.kind === 'sum' ? 'terms' : p.kind === 'prod' ? 'factors' : 'operands';
  if (ta.length < pa.length || ta.length > pa.length + MAX_EXTRA || (p.kind === 'op' && ta.length !== pa.length))
    return missHere(1, `${patternText(p)} (${pa.length} ${what})`, `${termText(t)} (${ta.length} ${what})`);
  const commutative = p.kind !== 'op' || ((p.op === 'Min' || p.op === 'Max') && pa.length === 2);
  const maps = commutative ? injections(pa.length, ta.length) : [pa.map((_, i) => i)];
  let best: Alignment | undefined;
  for (const map of maps) {
    let score = 1;
    let miss: Miss | undefined;
    map.forEach((j, i) => {
      const r = align(pa[i]!, ta[j]!, at, memo);
      score += r.score;
      miss ??= r.miss;
    });
    const extra = ta.find((_, j) => !map.includes(j));
    if (!miss && extra === undefined) return { score };
    if (!miss && extra !== undefined) {
      const one = what.slice(0, -1);
      miss = {
        at: extra.kind === 'z' ? at : extra.at,
        found: `${termText(t)}, with the extra ${one} ${termText(extra)}`,
        want: `${patternText(p)}, no other ${one}`,
      };
    }
    if (!best || score > best.score) best = { score, ...(miss ? { miss } : {}) };
  }
  // an operator whose operands match in the other order (Sub(1, e) for Sub(e, 1)): the operator is named
  if (!commutative && pa.length === 2 && !align(pa[0]!, ta[1]!, at, memo).miss && !align(pa[1]!, ta[0]!, at, memo).miss)
    return missHere(best!.score, patternText(p), `${termText(t)} (its operands in the other order)`);
  return best!;
}

/** A chain or term as text, e.g. "Min(Relu(z), 1000)". */
export function chainText(t: Chain | Term): string {
  switch (t.kind) {
    case 'z':
      return 'z';
    case 'const':
      return numberText(t.value);
    case 'sum':
      return `(${t.args.map(chainText).join(' + ')})`;
    case 'prod':
      return t.args.map(chainText).join('·');
    case 'op': {
      const attrs = [
        ...(t.alpha !== undefined ? [`alpha = ${numberText(t.alpha)}`] : []),
        ...(t.approximate !== undefined ? [`approximate = "${t.approximate}"`] : []),
      ];
      return `${t.op}${attrs.length > 0 ? `[${attrs.join(', ')}]` : ''}(${t.args.map(chainText).join(', ')})`;
    }
  }
}

const termText = chainText;

/** The catalog activation whose pattern the chain is exactly. */
function catalogMatch(t: Term, root: ChainNode): Activation | undefined {
  for (const [name, patterns] of Object.entries(activationPatterns))
    if (patterns.some((p) => !align(p.pattern, t, root, new Map()).miss)) return activations[name];
  return undefined;
}

/** The chain as a polynomial in z (coefficients c_0 … c_d), when it is Add, Sub, Mul, Neg and whole powers of z and constants. */
function polynomialOf(ch: Chain): number[] | undefined {
  if (ch.kind === 'z') return [0, 1];
  if (ch.kind === 'const') return [ch.value];
  const args = ch.args.map(polynomialOf);
  if (args.some((a) => a === undefined)) return undefined;
  const [a, b] = args as number[][];
  switch (ch.op) {
    case 'Add':
    case 'Sub':
      return Array.from({ length: Math.max(a!.length, b!.length) }, (_, i) =>
        ch.op === 'Add' ? (a![i] ?? 0) + (b![i] ?? 0) : (a![i] ?? 0) - (b![i] ?? 0),
      );
    case 'Neg':
      return a!.map((x) => -x);
    case 'Mul':
      return a!.length + b!.length > MAX_POWER + 2 ? undefined : times(a!, b!);
    case 'Pow': {
      const n = b!.length === 1 ? b![0]! : Number.NaN;
      if (!Number.isInteger(n) || n < 0 || n > MAX_POWER || (a!.length - 1) * n > MAX_POWER) return undefined;
      let out = [1];
      for (let k = 0; k < n; k++) out = times(out, a!);
      return out;
    }
    default:
      return undefined;
  }
}

function times(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j]! += x * y)));
  return out;
}

/** Coefficients without trailing zeros. */
function trimmed(c: readonly number[]): number[] {
  const out = [...c];
  while (out.length > 0 && out[out.length - 1] === 0) out.pop();
  return out;
}

function polynomialText(c: readonly number[]): string {
  const terms = c
    .map((v, p) => (v === 0 ? '' : `${numberText(v)}${p === 0 ? '' : p === 1 ? 'x' : `x^${p}`}`))
    .filter((s) => s !== '')
    .reverse();
  return terms.length === 0 ? '0' : terms.join(' + ').replaceAll('+ -', '- ');
}

/** The operator applied right after a complete catalog activation (min(relu(z), c), tanh(tanh(z)), …), if any. */
function appliedAfter(
  ch: Chain,
  root: ChainNode,
): { node: ChainNode; activation: Activation; inner: ChainNode } | undefined {
  let t = ch;
  while (t.kind === 'op') {
    const signals = t.args.filter((a) => a.kind !== 'const');
    if (signals.length !== 1) return undefined;
    const s = signals[0]!;
    if (s.kind !== 'op') return undefined;
    const a = catalogMatch(gather(s), root);
    if (a) return { node: t.at, activation: a, inner: s.at };
    t = s;
  }
  return undefined;
}

/**
 * The catalog activation (or the file's polynomial) that the chain is exactly; else the node where it departs
 * and why (the chain's last operator when it is wrong as a whole).
 */
export function matchActivation(ch: Chain, polynomials: readonly NamedPolynomial[]): ChainMatch {
  if (ch.kind !== 'op') return { ok: true, activation: activations.identity! };
  const root = ch.at;
  const t = gather(ch);
  const found = catalogMatch(t, root);
  if (found) return { ok: true, activation: found };
  const poly = polynomialOf(ch);
  if (poly) {
    const c = trimmed(poly);
    for (const p of polynomials)
      if (c.length === p.coeffs.length && c.every((v, i) => sameConstant(v, p.coeffs[i]!)))
        return { ok: true, activation: p.activation };
  }
  const formula = `the chain ${chainText(ch)} is no activation of the catalog`;
  const after = appliedAfter(ch, root);
  if (after) {
    return {
      ok: false,
      node: after.node,
      reason:
        `${formula}: ${after.node.op} is applied to ${after.activation.name} (${after.inner.op}, node ` +
        `${after.inner.label}); expected the chain to end with the activation`,
    };
  }
  if (poly && polynomials.length > 0) {
    return {
      ok: false,
      node: root,
      reason:
        `${formula}: it is the polynomial ${polynomialText(trimmed(poly))}; expected one of the file's polynomials ` +
        `(${polynomials.map((p) => `${p.activation.name} = ${p.text}`).join(', ')}) with exactly its coefficients`,
    };
  }
  let closest: { name: string; p: ActivationPattern; score: number; miss: Miss } | undefined;
  for (const [name, patterns] of Object.entries(activationPatterns)) {
    for (const p of patterns) {
      const r = align(p.pattern, t, root, new Map());
      if (r.miss && r.score > 0 && (!closest || r.score > closest.score))
        closest = { name, p, score: r.score, miss: r.miss };
    }
  }
  if (closest) {
    return {
      ok: false,
      node: closest.miss.at,
      reason:
        `${formula}: the closest pattern, ${closest.name} written ${patternText(closest.p.pattern)} ` +
        `(${closest.p.writers}), has ${closest.miss.want} where the file has ${closest.miss.found}`,
    };
  }
  return {
    ok: false,
    node: root,
    reason:
      `${formula}; expected one of the catalog's operator patterns (${Object.keys(activationPatterns).join(', ')}: ` +
      'docs/onnx.md lists how each is written)',
  };
}
