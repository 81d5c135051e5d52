/**
 * The worked gradient: samples → §3 (the constant-1 input of an affine network) → the forward pass once → the
 * seed Δ_{k+1} → the recursion of Remark 3 and each other requested form once, on that one trace, with every step
 * recorded. `nabla grad`, `nabla explain`, the derivations of teach/, `Model#gradient` and the explorer's views
 * render what this returns; nothing else runs the engines for them.
 */
import { NonFiniteError, OptionError, ShapeError, UnsupportedError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { augment } from '../net/affine.js';
import { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import type { Algebra, AlgebraNet, AlgebraTrace, FormResult, Step } from './algebra.js';
import { floatAlgebraOf, floatNet } from './algebra.js';
import { algebraForward } from './algebra-forward.js';
import type { GradientForm } from './forms.js';
import { formAppliesTo, gradientFormNames, gradientForms, isGradientForm, paperForms } from './forms.js';
import { numericGradient } from './numeric.js';
import { type SeedInput, seedMatrix } from './types.js';

/** The gradient in one algebra: the network as the engines see it, the samples X (one per column) and Δ_{k+1}. */
export interface WorkedProblem<M> {
  /** The algebra to compute in (floats or exact rationals). */
  alg: Algebra<M>;
  /** The network: widths n_i, weights W_i and activations. */
  net: AlgebraNet<M>;
  /** The samples, one per column: Σ_0 = X (n_0 × B), or with `affine` the genuine inputs (n_0 − 1 rows). */
  X: M;
  /** Δ_{k+1}: the paper's 1, or v (n_k × B). */
  seed: M;
  /**
   * `net` is the homogeneous network of an affine one (§3): X holds the genuine inputs and the constant 1 is
   * appended here as the last input (to the float twin's X too).
   */
  affine?: boolean;
  /** The same problem in floats, for finite differences (`numeric`); a float problem is its own. */
  float?: {
    /** The network in floats. */
    net: Network;
    /** The samples in floats. */
    X: Matrix;
    /** Δ_{k+1} in floats. */
    seed: Matrix;
  };
}

/** Options of `workedGradient`. */
export interface WorkedGradientOptions {
  /**
   * The forms to run besides the recursion (which always runs), each once on the one trace: a list, or `'all'` for
   * every form that applies to the network, finite differences (`numeric`) included. Default: none.
   */
  forms?: readonly GradientForm[] | 'all';
}

/** Options of `workedGradient` on a float network. */
export interface WorkedFloatOptions extends WorkedGradientOptions {
  /** v in place of Δ_{k+1} = 1 (required when n_k > 1), or an n_k × B seed. */
  seed?: SeedInput;
  /** `net` is the homogeneous network of an affine one (§3): X holds the genuine inputs (m_0 = n_0 − 1 rows). */
  affine?: boolean;
  /** The algebra to compute in (default: linalg's Matrix in the network's dtype, on the reference kernels). */
  algebra?: Algebra<Matrix>;
}

/** One form's result on the worked gradient's trace. */
export interface WorkedForm<M> {
  /** The form: `recursive` (the recursion of Remark 3), another of the paper's forms, or `numeric`. */
  form: GradientForm;
  /** ∇_{W_i} f, and Δ_i or ∇_{Σ_i} f where the form computes them (finite differences: float64 `Matrix`). */
  grads: FormResult<M>;
  /** Largest |∇_{W_i} f (form) − ∇_{W_i} f (recursion)| over all layers and entries, in float64 (NaN if any is). */
  maxDiff: number;
}

/** The steps the worked gradient recorded, in the order they were computed. */
export interface WorkedRecords<M> {
  /** N_i, Σ_i(N_i) and Σ'_i(N_i) for i = 1 … k. */
  forward: Step<M>[];
  /** Each paper form's steps, by form (finite differences record none). */
  forms: Partial<Record<GradientForm, Step<M>[]>>;
}

/** What `workedGradient` returns: every quantity of the paper, each computed once, and the steps that made it. */
export interface WorkedGradient<M = Matrix> {
  /** The forward pass: N_i, Σ_i (Σ_0 = X), Σ'_i and f = Σ_k. */
  trace: AlgebraTrace<M>;
  /** Δ_{k+1}: the paper's 1, or v (n_k × B). */
  seed: M;
  /** Δ_1 … Δ_{k+1}, from the recursion. */
  D: Layers<M>;
  /** W_{i+1}ᵀ·Δ_{i+1} for i = 1 … k − 1, as the recursion computed and recorded it. */
  WtD: Layers<M>;
  /** ∇_{W_1} f … ∇_{W_k} f from the recursion (summed over the samples). */
  gradW: Layers<M>;
  /** ∇_{Σ_0} f … ∇_{Σ_k} f from the identities (6)/(7), when the proof form was run. */
  gradS: Layers<M> | undefined;
  /** The recursion, then each requested form in the order of the table of forms. */
  forms: WorkedForm<M>[];
  /** Every step recorded: the forward pass, and each paper form's engine (finite differences record none). */
  records: WorkedRecords<M>;
}

/**
 * The worked gradient of a float network at X (n_0 × B, one sample per column; m_0 × B with `affine`), in the
 * network's dtype: the forward pass once, the recursion and each requested form once on that trace.
 *
 * @example
 * const w = workedGradient(net, fromColumns([[0.5, -1]]), { forms: 'all' });
 * w.gradW.get(1); // ∇_{W_1} f by the recursion
 * w.forms.map((f) => [f.form, f.maxDiff]); // each form against the recursion
 */
export function workedGradient(net: Network, X: Matrix, opts?: WorkedFloatOptions): WorkedGradient<Matrix>;
/** The worked gradient of a problem in any algebra (rationals or floats), from its own X and seed. */
export function workedGradient<M>(problem: WorkedProblem<M>, opts?: WorkedGradientOptions): WorkedGradient<M>;
export function workedGradient<M>(
  target: Network | WorkedProblem<M>,
  X?: Matrix | WorkedGradientOptions,
  opts: WorkedFloatOptions = {},
): WorkedGradient<M> | WorkedGradient<Matrix> {
  if ('alg' in target) return work(target, (X ?? {}) as WorkedGradientOptions);
  return work(floatProblem(target, X as Matrix, opts), opts);
}

/** A float network, its samples and seed as a problem in the network's own dtype. */
function floatProblem(net: Network, X: Matrix, opts: WorkedFloatOptions): WorkedProblem<Matrix> {
  if (X.dtype !== net.dtype) {
    throw new ShapeError(`workedGradient: X is ${X.dtype} but the network's weights are ${net.dtype}`);
  }
  const seed = seedMatrix(net, X.cols, opts.seed);
  const alg = opts.algebra ?? floatAlgebraOf(net.dtype);
  return { alg, net: floatNet(net), X, seed, ...(opts.affine ? { affine: true } : {}), float: { net, X, seed } };
}

/** The forms to run: the recursion first, then the requested ones in the table's order. */
function formsToRun(widths: readonly number[], forms: WorkedGradientOptions['forms'], floats: boolean): GradientForm[] {
  if (forms === 'all') return gradientFormNames.filter((f) => formAppliesTo(widths, f) && (f !== 'numeric' || floats));
  for (const f of forms ?? []) {
    if (!isGradientForm(f)) {
      throw new OptionError(`unknown gradient form "${String(f)}"; expected one of: ${gradientFormNames.join(', ')}`);
    }
    if (!formAppliesTo(widths, f)) {
      const equation = gradientForms[f].equation;
      const n = widths.join(', ');
      throw new UnsupportedError(`the ${f} form ${equation} needs every width to be 1; this network has widths [${n}]`);
    }
    if (f === 'numeric' && !floats) {
      throw new OptionError('numeric: finite differences need the problem in floats (give `float`)');
    }
  }
  const wanted = new Set<GradientForm>(['recursive', ...(forms ?? [])]);
  return gradientFormNames.filter((f) => wanted.has(f));
}

function work<M>(p: WorkedProblem<M>, opts: WorkedGradientOptions): WorkedGradient<M> {
  const { alg, net, seed } = p;
  const k = net.n.length - 1;
  const run = formsToRun(net.n, opts.forms, p.float !== undefined);
  const X = p.affine ? alg.augment(p.X) : p.X; // §3 (a): the constant 1 as the last input
  const float = p.float && (p.affine ? { ...p.float, X: augment(p.float.X) } : p.float);
  const forward: Step<M>[] = [];
  const trace = algebraForward(alg, net, X, (s) => forward.push(s));
  const finite = alg.exact
    ? () => {}
    : (symbol: string, layers: Layers<M> | undefined) => refuseNonFinite(alg, symbol, layers);
  finite('N', trace.N);
  finite('Σ', trace.S);
  finite("Σ'", trace.dS);
  const records: WorkedGradient<M>['records'] = { forward, forms: {} };
  const results: { form: GradientForm; grads: FormResult<M> }[] = [];
  for (const form of run) {
    if (form === 'numeric') {
      const f = float!;
      const gradW = numericGradient(f.net, f.X, f.seed);
      refuseNonFinite(floatAlgebraOf('float64'), '∇W', gradW, 'numeric');
      results.push({ form, grads: { gradW: gradW as unknown as Layers<M> } });
      continue;
    }
    const steps: Step<M>[] = [];
    const grads = paperForms[form].engine(alg, net, trace, seed, (s) => steps.push(s));
    finite('Δ', grads.D);
    finite('∇Σ', grads.gradS);
    finite('∇W', grads.gradW);
    results.push({ form, grads });
    records.forms[form] = steps;
  }
  const base = results[0]!.grads;
  const numbers = (form: GradientForm) => (m: M) =>
    form === 'numeric' ? (m as unknown as Matrix).toRows() : alg.toNumbers(m);
  const forms = results.map(({ form, grads }) => {
    const maxDiff = form === 'recursive' ? 0 : maxDifference(grads.gradW, base.gradW, numbers(form), alg.toNumbers);
    return { form, grads, maxDiff };
  });
  const WtD = new Layers<M>('Wᵀ·Δ', 1, k - 1);
  // Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i: the recursion's record of Δ_i (i < k) has the product as the first operand of
  // its last line
  for (const s of records.forms.recursive!) {
    const i = /^\\Delta_\{(\d+)\}$/.exec(s.lhs)?.[1];
    if (i !== undefined && Number(i) < k && s.lines.length === 2) WtD.set(Number(i), s.lines[1]!.operands[0]!);
  }
  return {
    trace,
    seed,
    D: base.D!,
    WtD,
    gradW: base.gradW,
    gradS: results.find((r) => r.form === 'proof')?.grads.gradS,
    forms,
    records,
  };
}

/**
 * Refuses a float result with a NaN or an infinity (an overflow of the dtype, or ∞ − ∞ after one), naming the
 * symbol, its layer and the entry: a worked gradient never returns a non-finite number silently.
 */
function refuseNonFinite<M>(alg: Algebra<M>, symbol: string, layers: Layers<M> | undefined, form?: string): void {
  if (!layers) return;
  for (const i of layers.indices()) {
    const m = layers.get(i);
    const rows = alg.toNumbers(m);
    for (let r = 0; r < rows.length; r++) {
      const c = rows[r]!.findIndex((v) => !Number.isFinite(v));
      if (c < 0) continue;
      const dtype = (m as { dtype?: string }).dtype ?? 'float';
      throw new NonFiniteError(
        `${symbol}_${i} (layer ${i}${form ? `, ${form} form` : ''}) is ${rows[r]![c]} at row ${r + 1}, column ${c + 1}: ` +
          `the computation overflows ${dtype} (its largest number is about ${dtype === 'float32' ? '3.4e38' : '1.8e308'}); ` +
          'scale the inputs or the weights down',
        { symbol: `${symbol}_${i}`, layer: i, row: r + 1, column: c + 1, value: rows[r]![c]! },
      );
    }
  }
}

/** Largest |a − b| over all layers and entries, in float64; NaN as soon as one difference is. */
function maxDifference<M>(
  a: Layers<M>,
  b: Layers<M>,
  numbersA: (m: M) => number[][],
  numbersB: (m: M) => number[][],
): number {
  let m = 0;
  for (const i of a.indices()) {
    const x = numbersA(a.get(i));
    const y = numbersB(b.get(i));
    for (let r = 0; r < x.length; r++) {
      for (let c = 0; c < x[r]!.length; c++) {
        const d = Math.abs(x[r]![c]! - y[r]![c]!);
        if (Number.isNaN(d)) return Number.NaN;
        if (d > m) m = d;
      }
    }
  }
  return m;
}
