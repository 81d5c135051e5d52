/**
 * Which activation an elementwise chain of ONNX operators is, read from its structure: the chain (the operators
 * after a layer's Gemm or MatMul, as a tree over z) must be one of the catalog's patterns (activation-patterns.ts)
 * exactly, or the pattern of a polynomial named in the file's metadata (Horner, its coefficients exactly). Nothing
 * is evaluated, so a chain that agrees with an activation at some points but differs elsewhere, such as
 * min(relu(z), 1000), is no match. A chain that matches nothing is described for the message: the operator where it departs from the closest
 * pattern (or the one applied after a complete activation), and what was expected there.
 */
import { type Activation, activations } from '../net/activation.js';
import { activationPatterns, hornerPattern, numberText, type Pattern, patternText } from './activation-patterns.js';

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

/** A polynomial activation the file's metadata names: the activation, its coefficients c_0 … c_d and its text. */
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

/** Operands a sum or product may have beyond or below its pattern's for the search of the odd one (more: no search). */
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
  if (Math.abs(ta.length - pa.length) > MAX_EXTRA || (p.kind === 'op' && ta.length !== pa.length))
    return missHere(1, `${patternText(p)} (${pa.length} ${what})`, `${termText(t)} (${ta.length} ${what})`);
  const commutative = p.kind !== 'op' || ((p.op === 'Min' || p.op === 'Max') && pa.length === 2);
  // pairs [pattern operand, file operand]: every operand of the shorter side paired with one of the longer side
  const pairings = !commutative
    ? [pa.map((_, i) => [i, i] as const)]
    : ta.length >= pa.length
      ? injections(pa.length, ta.length).map((m) => m.map((j, i) => [i, j] as const))
      : injections(ta.length, pa.length).map((m) => m.map((i, j) => [i, j] as const));
  let best: Alignment | undefined;
  for (const pairs of pairings) {
    let score = 1;
    let miss: Miss | undefined;
    for (const [i, j] of pairs) {
      const r = align(pa[i]!, ta[j]!, at, memo);
      score += r.score;
      miss ??= r.miss;
    }
    const one = what.slice(0, -1);
    const extra = ta.find((_, j) => !pairs.some((q) => q[1] === j));
    const missing = pa.find((_, i) => !pairs.some((q) => q[0] === i));
    if (!miss && extra === undefined && missing === undefined) return { score };
    if (!miss && extra !== undefined) {
      miss = {
        at: extra.kind === 'z' ? at : extra.at,
        found: `${termText(t)}, with the extra ${one} ${termText(extra)}`,
        want: `${patternText(p)}, no other ${one}`,
      };
    }
    miss ??= { at, found: termText(t), want: `${patternText(p)}, with the ${one} ${patternText(missing!)}` };
    if (!best || score > best.score) best = { score, miss };
  }
  // an operator whose operands match in the other order (Sub(1, e) for Sub(e, 1)): the operator is named
  if (!commutative && pa.length === 2 && !align(pa[0]!, ta[1]!, at, memo).miss && !align(pa[1]!, ta[0]!, at, memo).miss)
    return missHere(best!.score, patternText(p), `${termText(t)} (its operands in the other order)`);
  return best!;
}

/** A chain or term as text, e.g. "Min(Relu(z), 1000)". */
function chainText(t: Chain | Term): string {
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

/** A pattern the chain may be: a catalog activation's, or a polynomial of the file's metadata. */
interface Candidate {
  activation: Activation;
  pattern: Pattern;
  writers: string;
}

/** The catalog's patterns, then the polynomials' (Horner, as export.ts writes them). */
function candidatesFor(polynomials: readonly NamedPolynomial[]): Candidate[] {
  return [
    ...Object.entries(activationPatterns).flatMap(([name, patterns]) =>
      patterns.map((p) => ({ activation: activations[name]!, ...p })),
    ),
    ...polynomials.map((p) => ({
      activation: p.activation,
      pattern: hornerPattern(p.coeffs),
      writers: `nabla: the polynomial ${p.text} by Horner`,
    })),
  ];
}

/** The activation whose pattern the chain (gathered) is exactly. */
function exactMatch(t: Term, root: ChainNode, candidates: readonly Candidate[]): Activation | undefined {
  return candidates.find((c) => !align(c.pattern, t, root, new Map()).miss)?.activation;
}

/** The operator applied right after a complete activation (min(relu(z), c), tanh(tanh(z)), …), if any. */
function appliedAfter(
  ch: Chain,
  candidates: readonly Candidate[],
): { node: ChainNode; activation: Activation; inner: ChainNode } | undefined {
  let t = ch;
  while (t.kind === 'op') {
    const signals = t.args.filter((a) => a.kind !== 'const');
    if (signals.length !== 1) return undefined;
    const s = signals[0]!;
    if (s.kind !== 'op') return undefined;
    const a = exactMatch(gather(s), s.at, candidates);
    if (a) return { node: t.at, activation: a, inner: s.at };
    t = s;
  }
  return undefined;
}

/** Operators and operands a chain may have, counted as a tree (the catalog's longest, the written-out gelu, has 17). */
const MAX_CHAIN = 200;

/** The number of operators and operands of the chain as a tree (a value used twice counts twice). */
function treeSize(ch: Chain, memo: Map<Chain, number>): number {
  if (ch.kind !== 'op') return 1;
  let n = memo.get(ch);
  if (n === undefined) memo.set(ch, (n = 1 + ch.args.reduce((sum, a) => sum + treeSize(a, memo), 0)));
  return n;
}

/**
 * The one operator of the chain without which it is an activation (identity too, if `identity`), if there is one:
 * an operator of one signal
 * operand (unary, or with a constant), looked for from the chain's end, so that of two equal operators in a row
 * the later is named.
 */
function oneTooMany(
  ch: Chain,
  candidates: readonly Candidate[],
  identity: boolean,
): { node: ChainNode; activation: Activation } | undefined {
  const seen = new Set<Chain>();
  const order: Extract<Chain, { kind: 'op' }>[] = [];
  const visit = (c: Chain) => {
    if (c.kind !== 'op' || seen.has(c)) return;
    seen.add(c);
    order.push(c);
    c.args.forEach(visit);
  };
  visit(ch);
  for (const n of order) {
    const signals = n.args.filter((a) => a.kind !== 'const');
    if (signals.length !== 1) continue;
    const memo = new Map<Chain, Chain>();
    const without = (c: Chain): Chain => {
      if (c === n) return signals[0]!;
      if (c.kind !== 'op') return c;
      let r = memo.get(c);
      if (!r) memo.set(c, (r = { ...c, args: c.args.map(without) }));
      return r;
    };
    const rest = without(ch);
    const a =
      rest.kind === 'op' ? exactMatch(gather(rest), rest.at, candidates) : identity ? activations.identity : undefined;
    if (a) return { node: n.at, activation: a };
  }
  return undefined;
}

/**
 * The catalog activation (or the file's polynomial) whose pattern the chain is exactly; else the node where it
 * departs and why (the chain's last operator when it is wrong as a whole).
 */
export function matchActivation(ch: Chain, polynomials: readonly NamedPolynomial[]): ChainMatch {
  if (ch.kind !== 'op') return { ok: true, activation: activations.identity! };
  const root = ch.at;
  const size = treeSize(ch, new Map());
  if (size > MAX_CHAIN) {
    return {
      ok: false,
      node: root,
      reason:
        `the chain ending here has ${size.toLocaleString('en-US')} operators and operands written out as a tree; ` +
        `expected a catalog activation (the longest, the written-out gelu, has 17; at most ${MAX_CHAIN} are read)`,
    };
  }
  const candidates = candidatesFor(polynomials);
  const t = gather(ch);
  const found = exactMatch(t, root, candidates);
  if (found) return { ok: true, activation: found };
  const formula = `the chain ${chainText(ch)} is no activation of the catalog`;
  const after = appliedAfter(ch, candidates);
  if (after) {
    return {
      ok: false,
      node: after.node,
      reason:
        `${formula}: ${after.node.op} is applied to ${after.activation.name} (${after.inner.op}, node ` +
        `${after.inner.label}); expected the chain to end with the activation`,
    };
  }
  const tooMany = (extra: { node: ChainNode; activation: Activation }): ChainMatch => ({
    ok: false,
    node: extra.node,
    reason:
      `${formula}: without ${extra.node.op} (node ${extra.node.label}) it would be ${extra.activation.name}; ` +
      `expected no ${extra.node.op} there`,
  });
  const extra = oneTooMany(ch, candidates, false);
  if (extra) return tooMany(extra);
  let closest: { c: Candidate; score: number; miss: Miss } | undefined;
  for (const c of candidates) {
    const r = align(c.pattern, t, root, new Map());
    if (r.miss && r.score > 0 && (!closest || r.score > closest.score)) closest = { c, score: r.score, miss: r.miss };
  }
  if (closest) {
    return {
      ok: false,
      node: closest.miss.at,
      reason:
        `${formula}: the closest pattern, ${closest.c.activation.name} written ${patternText(closest.c.pattern)} ` +
        `(${closest.c.writers}), has ${closest.miss.want} where the file has ${closest.miss.found}`,
    };
  }
  // an operator without which the chain is z itself (Exp(z), Min(z, c)): named after every closer pattern
  const alone = oneTooMany(ch, candidates, true);
  if (alone) return tooMany(alone);
  const names = candidates.map((c) => c.activation.name).filter((n, i, all) => all.indexOf(n) === i);
  return {
    ok: false,
    node: root,
    reason:
      `${formula}; expected one of the operator patterns of ${names.join(', ')} ` +
      '(docs/onnx.md lists how each is written)',
  };
}
