/**
 * The paper's formulas as TeX, symbolic and with the numbers substituted, rendered by KaTeX. Every symbol and entry
 * is wrapped in \htmlData{sym=…, r=…, c=…, value=…}{…} (symbols by the library's keys, notation.ts; coordinates as
 * stored, also when shown transposed), so hovering links them (highlight.ts) and tests read `data-value`. KaTeX
 * writes MathML beside the HTML (visually hidden) for screen readers, named by its plain text (math-text.ts).
 */
import katex from 'katex';
import type { Matrix } from 'nabla/paper';
import { exact, texNumber } from '../format.js';
import { type SymbolKey, symTex } from '../notation.js';
import { labelMath } from './math-text.js';

/** Wraps TeX in \htmlData with the given attributes (values must not contain ',', '=' or braces). */
export function data(attrs: Record<string, string | number | undefined>, body: string, on = true): string {
  if (!on) return body;
  const parts = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  return `\\htmlData{${parts.join(',')}}{${body}}`;
}

/** A symbol, hoverable: \htmlData{sym=D2}{\Delta_{2}} (with `t`, transposed: W_{3}^{T}). */
export function sym(key: SymbolKey, index: number, opts: { t?: boolean; on?: boolean } = {}): string {
  const body = symTex(key, index) + (opts.t ? '^{T}' : '');
  return data({ sym: `${key}${index}` }, body, opts.on ?? true);
}

export interface TexMatrixOptions {
  /** The symbol the entries belong to ("D2"), for hover links and tests. */
  sym?: string;
  /** For intermediate products without a symbol: the layer whose neurons the rows stand for. */
  layer?: number;
  /** Show Mᵀ (attributes keep M's coordinates). */
  t?: boolean;
  digits?: number;
  /** Mark the last column (the bias column of §3). */
  biasCol?: boolean;
  /** Added to the column attribute: a column b shown on its own keeps its place in the full matrix. */
  c0?: number;
}

/** A matrix with numbers: \begin{bmatrix} … \end{bmatrix}, each entry hoverable and carrying its exact value. */
export function texMatrix(m: Matrix, o: TexMatrixOptions = {}): string {
  const rows = o.t ? m.cols : m.rows;
  const cols = o.t ? m.rows : m.cols;
  if (rows === 0 || cols === 0) return '[\\,]';
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    for (let j = 0; j < cols; j++) {
      const [r, c] = o.t ? [j, i] : [i, j];
      const v = m.get(r, c);
      let body = texNumber(v, o.digits);
      if (o.biasCol && c === m.cols - 1) body = `\\htmlData{bias=1}{${body}}`; // coloured by style.css
      cells.push(
        data(
          { sym: o.sym, layer: o.sym ? undefined : o.layer, r, c: c + (o.c0 ?? 0), value: exact(v) },
          body,
          o.sym !== undefined || o.layer !== undefined,
        ),
      );
    }
    lines.push(cells.join(' & '));
  }
  return `\\begin{bmatrix}${lines.join(' \\\\ ')}\\end{bmatrix}`;
}

/** \hat Σ' = diag(column b of Σ'_i): the diagonal entries hoverable as Σ'_i's entries, zeros plain. */
export function texDiag(dS: Matrix, index: number, b: number, digits?: number): string {
  const n = dS.rows;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const cells: string[] = [];
    for (let j = 0; j < n; j++) {
      if (i !== j) cells.push('0');
      else {
        const v = dS.get(i, b);
        cells.push(data({ sym: `dS${index}`, r: i, c: b, value: exact(v) }, texNumber(v, digits)));
      }
    }
    lines.push(cells.join(' & '));
  }
  return `\\begin{bmatrix}${lines.join(' \\\\ ')}\\end{bmatrix}`;
}

/** Δ_i by the recursion of Remark 3 (for i = k the upstream W_{k+1}ᵀ·Δ_{k+1} is the seed itself). */
export function deltaFormula(i: number, k: number, on = true): string {
  if (i === k) return `${sym('D', k, { on })} = ${sym('D', k + 1, { on })} \\circ ${sym('dS', k, { on })}`;
  return `${sym('D', i, { on })} = (${sym('W', i + 1, { t: true, on })} \\cdot ${sym('D', i + 1, { on })}) \\circ ${sym('dS', i, { on })}`;
}

/** ∇_{W_i} f = Δ_i · Σ_{i−1}ᵀ. */
export function gradFormula(i: number, on = true): string {
  return `${sym('gradW', i, { on })} = ${sym('D', i, { on })} \\cdot ${sym('S', i - 1, { t: true, on })}`;
}

/** N_i = W_i · Σ_{i−1}. */
export function forwardFormula(i: number, on = true): string {
  return `${sym('N', i, { on })} = ${sym('W', i, { on })} \\cdot ${sym('S', i - 1, { on })}`;
}

const katexOptions: katex.KatexOptions = {
  throwOnError: false,
  output: 'htmlAndMathml',
  trust: (ctx) => ctx.command === '\\htmlData',
  strict: (code: string) => (code === 'htmlExtension' ? 'ignore' : 'warn'),
};

/** Renders TeX into `el` (display style by default). */
export function renderTex(el: HTMLElement, tex: string, display = true): void {
  katex.render(tex, el, { ...katexOptions, displayMode: display });
  labelMath(el);
}

/** A new element holding rendered TeX. */
export function texElement(tex: string, display = true, className = 'tex'): HTMLElement {
  const el = document.createElement(display ? 'div' : 'span');
  el.className = className;
  renderTex(el, tex, display);
  return el;
}

/** A panel's heading: its title and, beside it, the formula the panel shows (inline TeX). */
export function sectionHead(title: string, tex: string): HTMLElement {
  const head = document.createElement('div');
  head.className = 'section-head';
  head.append(
    Object.assign(document.createElement('h2'), { textContent: title }),
    texElement(tex, false, 'tex head-formula'),
  );
  return head;
}
