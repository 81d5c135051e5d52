/**
 * The worked derivation of ∇_W f for one network and one input, written as the paper writes it: the network
 * f(X;W) = Σ_k(W_k·…Σ_1(W_1·X)) with its widths and each column Σ_i = [σ_i1, …]ᵀ; the forward pass (N_i, Σ_i,
 * Σ'_i with numbers); the recursion Δ_k … Δ_1 and each ∇_{W_i} f (formula, then the matrices substituted,
 * then the result); any other form of the paper step by step; and a closing table showing that the forms
 * agree with each other and with finite differences.
 *
 * The steps come from the computations themselves (src/exact, one per form, over rationals or float64) through
 * their recorder, so what is printed is what was computed.
 */
import { numericGradient } from '../grad/numeric.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import type { Algebra, AlgebraNet, AlgebraTrace, FormResult, Step } from '../exact/algebra.js';
import { exactFormApplies, exactFormNames, exactForms, type ExactForm } from '../exact/forms.js';
import { algebraForward } from '../exact/forward.js';
import { seedIsOne } from '../grad/seed.js';
import { code, equation, heading, math, paragraph, type Block, type Doc, type Inline } from './doc.js';
import { texDifference } from './numbers.js';

export type ExplainForm = ExactForm | 'all';

/** One σ_ij as the document describes it. */
export interface ColumnInfo {
  name: string;
  /** TeX definition of σ, e.g. "\sigma(x) = \max(0, x)". */
  tex: string;
  /** TeX definition of σ', when known. */
  dtex?: string;
  /** relu-like: σ' jumps at 0. */
  kink: boolean;
}

/** Everything the derivation needs, over one algebra (rationals or float64). */
export interface DerivationProblem<M> {
  alg: Algebra<M>;
  net: AlgebraNet<M>;
  /** One sample, n_0 × 1. */
  X: M;
  /** Δ_{k+1}: the paper's 1, or v (n_k × 1). */
  seed: M;
  /** σ_ij: columns[i − 1][j − 1]. */
  columns: readonly (readonly ColumnInfo[])[];
  /** A matrix as TeX (a bmatrix). */
  tex(m: M): string;
  /** The same problem in float64, for finite differences. */
  float: { net: Network; X: Matrix; seed: Matrix };
}

export interface DerivationOptions {
  form: ExplainForm;
  /** Stated in the introduction: exact fractions, or decimals with this many significant digits. */
  exact: boolean;
  precision: number;
  /** File names for the introduction. */
  model?: string;
  input?: string;
  /** For an affine model file: its genuine widths m_0 … m_k (the derivation is of the homogeneous network of §3). */
  affineWidths?: readonly number[];
}

/** A recorded step as a displayed chain: lhs = formula = substituted = … = value. */
export function stepBlock<M>(p: Pick<DerivationProblem<M>, 'tex'>, step: Step<M>): Block {
  const rhs: string[] = [];
  if (step.formula) rhs.push(step.formula);
  for (const line of step.lines) rhs.push(line.tex.replace(/#(\d+)/g, (_, j: string) => p.tex(line.operands[Number(j)]!)));
  rhs.push(p.tex(step.value));
  return equation(step.lhs, ...rhs);
}

/** Section headings numbered 1, 2, … in order. */
class Sections {
  private n = 0;
  heading(...content: Inline[]): Block {
    this.n += 1;
    return heading(2, `${this.n}. `, ...content);
  }
}

function widthsTex(n: readonly number[], sym = 'n'): string {
  return n.map((w, i) => `${sym}_${i} = ${w}`).join(',\\ ');
}

/** f(X;W) = Σ_k(W_k·Σ_{k−1}(…Σ_1(W_1·X)…)). */
export function nestedTex(k: number): string {
  let s = 'X';
  for (let i = 1; i <= k; i++) s = `\\Sigma_{${i}}(W_{${i}}\\cdot ${s})`;
  return s;
}

/** f(X;W) = Σ_k∘W_k·Σ_{k−1}∘W_{k−1}·…·Σ_1∘W_1·X (the paper's product form, read right to left). */
export function productTex(k: number): string {
  const parts: string[] = [];
  for (let i = k; i >= 1; i--) parts.push(`\\Sigma_{${i}}\\circ W_{${i}}`);
  return `${parts.join('\\cdot ')}\\cdot X`;
}

/** The list items describing Σ_1 … Σ_k, one per layer, grouping neurons that share σ. */
export function columnItems(columns: readonly (readonly ColumnInfo[])[]): Inline[][] {
  return columns.map((col, j) => {
    const i = j + 1;
    const item: Inline[] = [math(`\\Sigma_{${i}} = [${col.map((_, r) => `\\sigma_{${i}${r + 1}}`).join(', ')}]^T`), ': '];
    const groups = new Map<string, { info: ColumnInfo; neurons: number[] }>();
    col.forEach((info, r) => {
      const g = groups.get(info.name);
      if (g) g.neurons.push(r + 1);
      else groups.set(info.name, { info, neurons: [r + 1] });
    });
    [...groups.values()].forEach((g, gi) => {
      if (gi > 0) item.push('; ');
      const who = groups.size === 1 && col.length > 1 ? `\\sigma_{${i}j}` : g.neurons.map((r) => `\\sigma_{${i}${r}}`).join(' = ');
      item.push(math(who), ' = ', code(g.info.name), ', ', math(g.info.tex));
      if (g.info.dtex) item.push(', ', math(g.info.dtex));
    });
    return item;
  });
}

/** "The network" blocks: f, widths, columns, W_i, X (and v). */
export function networkBlocks<M>(p: DerivationProblem<M>, opts: Pick<DerivationOptions, 'affineWidths'>): Block[] {
  const k = p.net.n.length - 1;
  const out: Block[] = [
    paragraph(math(`k = ${k}`), k === 1 ? ' layer, widths ' : ' layers, widths ', math(widthsTex(p.net.n)), '; ', math('W_i'), ' is an ', math('n_i\\times n_{i-1}'), ' matrix:'),
    equation('f(X;W)', nestedTex(k), productTex(k)),
    paragraph('with the columns of activations (', math('\\sigma_{ij}'), ' acts on row ', math('j'), '):'),
    { type: 'list', items: columnItems(p.columns) },
  ];
  if (opts.affineWidths) {
    out.push(
      paragraph(
        'The model file is affine (genuine widths ',
        math(widthsTex(opts.affineWidths, 'm')),
        '). As in section 3 of the paper it is written as the homogeneous network: ',
        math('X'),
        ' gets a last entry 1, every hidden layer a last "formal" neuron (identity, value 1, its row of ',
        math('W_i'),
        ' fixed at ',
        math('[0,\\dots,0,1]'),
        '), and the bias is the last column of ',
        math('W_i'),
        '.',
      ),
    );
  }
  for (let i = 1; i <= k; i++) out.push(equation(`W_{${i}}`, p.tex(p.net.W.get(i))));
  out.push(equation('X = \\Sigma_0', p.tex(p.X)));
  if (!seedIsOne(p.alg, p.seed)) {
    out.push(
      paragraph(math(`n_${k} = ${p.net.n[k]} > 1`), ', so a vector ', math('v'), ' takes the place of ', math(`\\Delta_{${k + 1}} = 1`), ' and every gradient below is that of ', math('v\\cdot f'), ':'),
      equation(`v = \\Delta_{${k + 1}}`, p.tex(p.seed)),
    );
  }
  return out;
}

/** The forward pass blocks; returns the trace too. */
export function forwardBlocks<M>(p: DerivationProblem<M>): { blocks: Block[]; trace: AlgebraTrace<M> } {
  const k = p.net.n.length - 1;
  const steps: Step<M>[] = [];
  const trace = algebraForward(p.alg, p.net, p.X, (s) => steps.push(s));
  const blocks: Block[] = [
    paragraph(
      math('N_1 = W_1\\cdot X'),
      ', ',
      math('N_{i+1} = W_{i+1}\\cdot\\Sigma_i(N_i)'),
      '; ',
      math('\\Sigma_i = \\Sigma_i(N_i)'),
      ' and ',
      math("\\Sigma'_i = \\Sigma'_i(N_i)"),
      ' are taken entry by entry (',
      math('\\sigma_{ij}'),
      ' and ',
      math("\\sigma'_{ij}"),
      ' on row ',
      math('j'),
      ').',
    ),
    ...steps.map((s) => stepBlock(p, s)),
    equation('f(X;W)', `\\Sigma_{${k}}(N_{${k}})`, p.tex(trace.f)),
  ];
  return { blocks, trace };
}

const INTRO: Record<ExactForm, Inline[]> = {
  recursive: [
    'Start from ',
    math('\\Delta_{k+1} = W_{k+1}^T = 1'),
    ' and go down ',
    math('i = k, \\dots, 1'),
    '; ',
    math('\\Delta_i'),
    ' is a column of ',
    math('n_i'),
    ' numbers. Then ',
    math('\\nabla_{W_i} f = \\Delta_i\\cdot\\Sigma_{i-1}^T'),
    ' (a column times a row: an ',
    math('n_i\\times n_{i-1}'),
    ' matrix, the shape of ',
    math('W_i'),
    ').',
  ],
  explicit: [
    'Read from left to right. ',
    math('A\\bullet B = B\\cdot A'),
    ' is the inverted product of the column ',
    math('A'),
    ' by the matrix ',
    math('B'),
    '; each ',
    math('\\nabla_{W_i} f'),
    ' is built afresh, as the formula reads.',
  ],
  kronecker: [
    'Read from right to left. ',
    math('\\otimes'),
    ' is the Kronecker product (for a row and a column, their outer product); ',
    math('\\circ'),
    ' with a column multiplies every column of the matrix by it, entry by entry.',
  ],
  diagonal: [
    'Each column ',
    math("\\Sigma'_i"),
    ' becomes the diagonal matrix ',
    math("\\widehat{\\Sigma}'_i = \\mathrm{diag}(\\Sigma'_i)"),
    ', so only ordinary and Kronecker products remain.',
  ],
  scalar: ['Every width is 1, so each ', math('W_i'), ' is a number ', math('w_i'), ' and each ', math('\\Sigma_i'), ' a function ', math('\\sigma_i'), ' (section 4 of the paper; ', math('\\sigma_0 = x'), ').'],
  proof: [
    math('\\nabla_{\\Sigma_r} f'),
    ' is the gradient of ',
    math('f'),
    ' with respect to the values ',
    math('\\Sigma_r'),
    '; start from ',
    math('\\nabla_{\\Sigma_k} f = 1'),
    ' and alternate (6) and (7) for ',
    math('r = k, \\dots, 1'),
    '.',
  ],
};

function formHeading(form: ExactForm): Inline[] {
  const info = exactForms[form];
  return [`${info.title[0]!.toUpperCase()}${info.title.slice(1)}, ${info.equation.startsWith('(') ? `eq. ${info.equation}` : info.equation}`];
}

export interface FormBlocksOptions {
  /** Only the steps for ∇_{W_i} f with this i (plus steps shared by all layers). */
  layer?: number;
  /** Omit the general formula and the introduction. */
  bare?: boolean;
}

/** One form's worked steps; returns its result too. */
export function formBlocks<M>(p: DerivationProblem<M>, trace: AlgebraTrace<M>, form: ExactForm, opts: FormBlocksOptions = {}): { blocks: Block[]; result: FormResult<M> } {
  const steps: Step<M>[] = [];
  const result = exactForms[form].engine(p.alg, p.net, trace, p.seed, (s) => steps.push(s));
  const blocks: Block[] = [];
  if (!opts.bare) blocks.push(paragraph(...INTRO[form]), equation(exactForms[form].tex));
  const shown = steps.filter((s) => opts.layer === undefined || s.layer === undefined || s.layer === opts.layer);
  const grouped = form === 'explicit' || form === 'kronecker' || form === 'diagonal' || form === 'scalar';
  let current: number | undefined;
  for (const s of shown) {
    if (grouped && s.layer !== undefined && s.layer !== current && opts.layer === undefined) {
      current = s.layer;
      blocks.push(heading(3, math(form === 'scalar' ? `\\nabla_{w_{${s.layer}}} f` : `\\nabla_{W_{${s.layer}}} f`)));
    }
    blocks.push(stepBlock(p, s));
  }
  return { blocks, result };
}

/** Largest |a − b| over all layers and entries. */
function maxDiff(a: Layers<number[][]>, b: Layers<Matrix>): number {
  let m = 0;
  for (const i of a.indices()) {
    const rows = a.get(i);
    const B = b.get(i);
    rows.forEach((row, r) => row.forEach((v, c) => (m = Math.max(m, Math.abs(v - B.get(r, c))))));
  }
  return m;
}

/** Where a relu-like σ_ij sees N exactly at its kink (finite differences mean nothing there). */
function kinks<M>(p: DerivationProblem<M>, trace: AlgebraTrace<M>): string[] {
  const out: string[] = [];
  p.columns.forEach((col, j) => {
    const i = j + 1;
    const N = p.alg.toNumbers(trace.N.get(i));
    col.forEach((info, r) => {
      if (info.kink && N[r]!.some((v) => v === 0)) out.push(`\\sigma_{${i}${r + 1}}`);
    });
  });
  return out;
}

/** The closing table: each form against the recursion and against finite differences. */
export function agreementBlocks<M>(p: DerivationProblem<M>, trace: AlgebraTrace<M>, results: { form: ExactForm; result: FormResult<M> }[], exact: boolean): Block[] {
  const numeric = numericGradient(p.float.net, p.float.X, p.float.seed);
  const base = results.find((r) => r.form === 'recursive')?.result ?? results[0]!.result;
  const rows: Inline[][][] = results.map(({ form, result }) => {
    const info = exactForms[form];
    let same: Inline[];
    if (exact) {
      const equal = result.gradW.indices().every((i) => {
        const a = p.alg.toNumbers(result.gradW.get(i));
        const b = p.alg.toNumbers(base.gradW.get(i));
        return a.every((row, r) => row.every((v, c) => v === b[r]![c]));
      });
      same = [equal ? 'yes, exactly' : 'NO'];
    } else {
      let m = 0;
      for (const i of result.gradW.indices()) {
        const a = p.alg.toNumbers(result.gradW.get(i));
        const b = p.alg.toNumbers(base.gradW.get(i));
        a.forEach((row, r) => row.forEach((v, c) => (m = Math.max(m, Math.abs(v - b[r]![c]!)))));
      }
      same = [math(texDifference(m))];
    }
    const asNumbers = result.gradW.map((g) => p.alg.toNumbers(g));
    return [[form], [info.equation], same, [math(texDifference(maxDiff(asNumbers, numeric)))]];
  });
  const out: Block[] = [
    paragraph(
      exact
        ? 'In exact arithmetic the forms must agree entry for entry. The last column compares with central finite differences of '
        : 'Largest difference over all layers and entries, in float64. The last column compares with central finite differences of ',
      math('f'),
      ' in float64 (five-point stencil, step ',
      math('10^{-4}\\max(1, |w|)'),
      ').',
    ),
    {
      type: 'table',
      head: [['form'], ['paper'], [exact ? 'equal to the recursion' : 'largest difference from the recursion'], ['largest difference from finite differences']],
      rows,
    },
  ];
  const at = kinks(p, trace);
  if (at.length > 0) {
    out.push(
      paragraph(
        'Note: ',
        math(at.join(', ')),
        ' ',
        at.length === 1 ? 'sees' : 'see',
        ' its input exactly at the kink 0, where ',
        math("\\sigma'"),
        ' is a convention; finite differences there average the two sides and need not agree.',
      ),
    );
  }
  return out;
}

/** The forms `explain --form all` shows for this network. */
export function formsFor(widths: readonly number[], form: ExplainForm): ExactForm[] {
  return form === 'all' ? exactFormNames.filter((f) => exactFormApplies(widths, f)) : [form];
}

/** The whole derivation as a document. */
export function buildDerivation<M>(p: DerivationProblem<M>, opts: DerivationOptions): Doc {
  const k = p.net.n.length - 1;
  const sec = new Sections();
  const intro: Inline[] = [];
  if (opts.model) intro.push('Model ', code(opts.model));
  if (opts.input) intro.push(opts.model ? ', input ' : 'Input ', code(opts.input));
  if (intro.length > 0) intro.push('. ');
  intro.push('Notation of N. M. Mishachev, "Backpropagation in matrix notation" (2017). ');
  intro.push(
    opts.exact
      ? 'Exact arithmetic: every number below is an exact fraction (decimals in the files are read as written, so 0.1 is 1/10).'
      : `Decimals: computed in float64 and printed to ${opts.precision} significant digits.`,
  );
  const blocks: Block[] = [heading(1, 'Worked derivation of ', math('\\nabla_W f(X;W)')), paragraph(...intro)];
  blocks.push(sec.heading('The network'), ...networkBlocks(p, opts));
  blocks.push(sec.heading('The forward pass'));
  const fwd = forwardBlocks(p);
  blocks.push(...fwd.blocks);
  const forms = formsFor(p.net.n, opts.form);
  const results: { form: ExactForm; result: FormResult<M> }[] = [];
  for (const form of forms) {
    blocks.push(sec.heading(...(form === 'recursive' ? ['The backward pass: the recursion (Remark 3)'] : formHeading(form))));
    const fb = formBlocks(p, fwd.trace, form);
    blocks.push(...fb.blocks);
    results.push({ form, result: fb.result });
  }
  const main = results[0]!.result;
  blocks.push(sec.heading('Result'));
  blocks.push(paragraph('The gradient ', math('\\nabla_W f = (\\nabla_{W_k} f, \\dots, \\nabla_{W_1} f)'), forms.length > 1 ? ' (every form gives the same):' : ':'));
  for (let i = k; i >= 1; i--) blocks.push(equation(`\\nabla_{W_{${i}}} f`, p.tex(main.gradW.get(i))));
  if (opts.affineWidths) {
    blocks.push(paragraph('The last column of each ', math('\\nabla_{W_i} f'), ' is the gradient with respect to the bias ', math('b_i'), '; the last row of a hidden layer belongs to the formal neuron and is not a parameter.'));
  }
  blocks.push(sec.heading(forms.length > 1 ? 'Do the forms agree?' : 'Check'));
  blocks.push(...agreementBlocks(p, fwd.trace, results, opts.exact));
  return { title: 'Worked derivation of the gradient (backpropagation in matrix notation)', blocks };
}
