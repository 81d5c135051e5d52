/**
 * From the state (as typed) to the paper's objects, all computed by the library: the network (seeded weights plus
 * the user's edits; affine as §3) and its worked gradient (every quantity and form, computed once with its steps
 * recorded), which the views render. A field that cannot be read yields a message for that field instead.
 */

import type { Activation } from 'nabla';
import { activationNames, NablaError } from 'nabla';
import type { AffineNetwork, Layers, Matrix, Network, WorkedGradient } from 'nabla/paper';
import {
  createAffineNetwork,
  createNetwork,
  fitActivationSpec,
  fromColumns,
  toHomogeneous,
  workedGradient,
} from 'nabla/paper';
import { type CustomActivation, compileAll } from './custom-activation.js';
import type { State } from './state.js';

/** Limits that keep every matrix readable on a page. */
export const MAX_WIDTH = 16;
export const MAX_LAYERS = 6;
export const MAX_SAMPLES = 4;

export type Field = 'widths' | 'act' | 'x' | 'v' | 'w' | `custom${number}`;
export type FieldErrors = Map<Field, string>;

/** The network the page describes and its worked gradient (every form, once, with the steps recorded). */
export interface WorkedNetwork extends WorkedGradient<Matrix> {
  /** Widths as the user gives them (genuine widths m with affine, else n). */
  widths: number[];
  /** The homogeneous network every formula runs on (paper §2; with affine, §3). */
  net: Network;
  affine: AffineNetwork | undefined;
  /** Σ_0 = X as the network sees it (with affine, the constant-1 row appended). */
  X: Matrix;
  /** v as given (undefined when n_k = 1). */
  v: number[] | undefined;
  /** ∇_{Σ_0} f … ∇_{Σ_k} f from the identities (6)/(7). */
  gradS: Layers<Matrix>;
  customs: (CustomActivation | undefined)[];
  /** Per layer i = 1 … k: one activation name per (genuine) neuron. */
  acts: string[][];
}

export interface Built {
  model: WorkedNetwork | undefined;
  errors: FieldErrors;
  /** The custom formulas compiled (even when another field has an error). */
  customs: (CustomActivation | undefined)[];
  /** The network, when it builds (even if the inputs X or v do not fit it). */
  network: Extract<NetworkResult, { ok: true }> | undefined;
}

function numbers(s: string): number[] | undefined {
  const parts = s.split(/[\s,]+/).filter((p) => p !== '');
  const v = parts.map(Number);
  return parts.length > 0 &&
    v.every((x, j) => Number.isFinite(x) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(parts[j]!))
    ? v
    : undefined;
}

/** Widths as typed ("2, 3, 1"); a message naming the first problem otherwise. */
export function parseWidths(
  s: string,
  affine: boolean,
): { ok: true; value: number[] } | { ok: false; message: string } {
  const letter = affine ? 'm' : 'n';
  const parts = s.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length < 2)
    return { ok: false, message: `give at least two widths ${letter}_0, ${letter}_1 (for example 2, 3, 1)` };
  if (parts.length > MAX_LAYERS + 1)
    return {
      ok: false,
      message: `at most ${MAX_LAYERS} layers here (${MAX_LAYERS + 1} widths); found ${parts.length} widths`,
    };
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const v = Number(p);
    if (!/^\d+$/.test(p)) return { ok: false, message: `${letter}_${i} = "${p}" is not a whole number` };
    if (v === 0) return { ok: false, message: `${letter}_${i} = 0: every layer needs at least one neuron` };
    if (v > MAX_WIDTH)
      return {
        ok: false,
        message: `${letter}_${i} = ${v}: at most ${MAX_WIDTH} neurons per layer in the explorer (the CLI takes any size)`,
      };
    out.push(v);
  }
  return { ok: true, value: out };
}

/** The Training view's hidden widths as typed ("8, 8"; empty: no hidden layer); a message naming the first problem otherwise. */
export function parseHidden(s: string): { ok: true; value: number[] } | { ok: false; message: string } {
  const parts = s.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length > MAX_LAYERS - 1)
    return { ok: false, message: `at most ${MAX_LAYERS - 1} hidden layers here; found ${parts.length}` };
  const out: number[] = [];
  for (let j = 0; j < parts.length; j++) {
    const p = parts[j]!;
    const v = Number(p);
    if (!/^\d+$/.test(p) || v === 0 || v > MAX_WIDTH)
      return { ok: false, message: `hidden layer ${j + 1}: "${p}" is not a width from 1 to ${MAX_WIDTH}` };
    out.push(v);
  }
  return { ok: true, value: out };
}

/** The compact form: one name for a uniform layer, else the per-neuron list. */
export function formatActs(acts: readonly (readonly string[])[]): string {
  return acts.map((l) => (l.every((a) => a === l[0]) ? (l[0] ?? '') : l.join(','))).join(';');
}

/** Weight edits "i.r.c=value;…" → a map "i.r.c" → value (entries that do not read are skipped). */
export function parseEdits(s: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of s.split(';')) {
    const m = /^\s*(\d+)\.(\d+)\.(\d+)\s*=\s*(\S+)\s*$/.exec(part);
    if (m && Number.isFinite(Number(m[4]))) out.set(`${m[1]}.${m[2]}.${m[3]}`, Number(m[4]));
  }
  return out;
}

export function formatEdits(edits: ReadonlyMap<string, number>): string {
  return [...edits].map(([k, v]) => `${k}=${v}`).join(';');
}

/**
 * The samples refitted to a new input width n0 (each cut or padded with zeros), when they fitted the old one;
 * otherwise unchanged (the user's text, and its message, stay).
 */
export function adaptSamples(x: string, from: number, to: number): string {
  const parsed = parseSamples(x, from, 'n');
  if (!parsed.ok || from === to) return x;
  return parsed.value.map((v) => Array.from({ length: to }, (_, j) => v[j] ?? 0).join(', ')).join('; ');
}

/** Samples as typed ("0.5, -1; 0.2, 0.3"): one sample per ';' or line, each of `n0` numbers. */
export function parseSamples(
  s: string,
  n0: number,
  letter: string,
): { ok: true; value: number[][] } | { ok: false; message: string } {
  const rows = s
    .split(/[;\n]/)
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (rows.length === 0)
    return { ok: false, message: `give one sample of ${n0} numbers (samples are the columns of X)` };
  if (rows.length > MAX_SAMPLES)
    return { ok: false, message: `at most ${MAX_SAMPLES} samples here; found ${rows.length}` };
  const out: number[][] = [];
  for (let b = 0; b < rows.length; b++) {
    const v = numbers(rows[b]!);
    if (!v) return { ok: false, message: `sample ${b + 1}: "${rows[b]}" is not a list of numbers` };
    if (v.length !== n0)
      return {
        ok: false,
        message: `sample ${b + 1} has ${v.length} number${v.length === 1 ? '' : 's'}; the network takes ${letter}_0 = ${n0}`,
      };
    out.push(v);
  }
  return { ok: true, value: out };
}

function message(e: unknown): string {
  return e instanceof NablaError || e instanceof Error ? e.message : String(e);
}

export type NetworkResult =
  | { ok: true; net: Network; affine: AffineNetwork | undefined; widths: number[]; acts: string[][] }
  | { ok: false; field: Field; message: string };

/**
 * The network the state describes: seeded weights (createNetwork / createAffineNetwork) plus the user's edits;
 * with `affine`, the homogeneous network of §3 (toHomogeneous). Used by the page and the training worker.
 */
export function buildNetwork(
  state: Pick<State, 'widths' | 'act' | 'affine' | 'seed' | 'init' | 'w'>,
  extra: Readonly<Record<string, Activation>>,
): NetworkResult {
  const widths = parseWidths(state.widths, state.affine);
  if (!widths.ok) return { ok: false, field: 'widths', message: widths.message };
  const m = widths.value;
  const acts = fitActivationSpec(state.act, m);
  const unknown = acts.flat().find((a) => !(a in extra) && !isBuiltin(a));
  if (unknown)
    return {
      ok: false,
      field: 'act',
      message: /^custom\d+$/.test(unknown) ? `${unknown} has no working formula` : `unknown activation "${unknown}"`,
    };
  try {
    const opts = { widths: m, activation: acts, seed: state.seed, init: state.init, extraActivations: extra };
    if (state.affine) {
      const affine = createAffineNetwork(opts);
      applyEdits(affine.W, parseEdits(state.w));
      return { ok: true, net: toHomogeneous(affine), affine, widths: m, acts };
    }
    const net = createNetwork(opts);
    applyEdits(net.W, parseEdits(state.w));
    return { ok: true, net, affine: undefined, widths: m, acts };
  } catch (e) {
    return { ok: false, field: 'widths', message: message(e) };
  }
}

/** Everything the views show, computed from the state by the library. */
export function buildModel(state: Readonly<State>): Built {
  const errors: FieldErrors = new Map();
  const { extra, compiled, errors: customErrors } = compileAll(state.custom);
  for (const [j, m] of customErrors) errors.set(`custom${j + 1}`, m);
  const nb = buildNetwork(state, extra);
  const done = (model?: WorkedNetwork): Built => ({
    model,
    errors,
    customs: compiled,
    network: nb.ok ? nb : undefined,
  });

  if (!nb.ok) {
    errors.set(nb.field, nb.message);
    return done();
  }
  const { net, affine, widths: m, acts } = nb;

  const samples = parseSamples(state.x, m[0]!, state.affine ? 'm' : 'n');
  if (!samples.ok) {
    errors.set('x', samples.message);
    return done();
  }
  const X0 = fromColumns(samples.value, 'X');
  const k = net.k;
  const nk = net.n[k]!;
  let v: number[] | undefined;
  if (nk > 1) {
    if (state.v.trim() === '') v = new Array<number>(nk).fill(1);
    else {
      const parsed = numbers(state.v);
      if (!parsed || parsed.length !== nk) {
        errors.set(
          'v',
          `v takes the place of Δ_${k + 1} = 1 and needs n_${k} = ${nk} numbers${parsed ? `; found ${parsed.length}` : ''}`,
        );
        return done();
      }
      v = parsed;
    }
  }
  try {
    // §3, the forward pass once, then every form once on that trace, every step recorded
    const worked = workedGradient(net, X0, { seed: v, affine: affine !== undefined, forms: 'all' });
    const X = worked.trace.S.get(0);
    return done({ ...worked, gradS: worked.gradS!, widths: m, net, affine, X, v, customs: compiled, acts });
  } catch (e) {
    errors.set('x', message(e));
    return done();
  }
}

function applyEdits(W: Layers<Matrix>, edits: ReadonlyMap<string, number>): void {
  for (const [key, value] of edits) {
    const [i, r, c] = key.split('.').map(Number) as [number, number, number];
    if (i < W.first || i > W.last) continue;
    const M = W.get(i);
    if (r < M.rows && c < M.cols) M.set(r, c, value);
  }
}

function isBuiltin(name: string): boolean {
  return activationNames.includes(name);
}
