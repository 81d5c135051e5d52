/**
 * A matrix as an HTML table of numbers: each cell shaded by sign and size (blue positive, orange negative),
 * carrying data-sym / data-r / data-c / data-value (the exact number) for hover links and tests. Optionally
 * editable (click an entry, type, Enter), with the §3 bias column and formal row marked. For screen readers the
 * table is named ("W_2, 3 by 2") and each cell says its row and column; an editable entry is a tab stop that
 * Enter opens for typing and ↑ / ↓ change by STEP.
 */
import type { Matrix } from 'nabla/paper';
import { exact, fmt } from '../format.js';
import { parseSym, symText } from '../notation.js';
import { texElement } from './formula.js';

/** What ↑ and ↓ add to an editable entry. */
export const STEP = 0.1;

/** The plain name of a symbol key ("W2" → "W_2"), or the key itself. */
function plainName(sym: string): string {
  const s = parseSym(sym);
  return s ? symText(s.key, s.index) : sym;
}

/** v + d without the binary rounding tail (0.1 + 0.2 → 0.3): twelve significant digits are plenty here. */
const stepped = (v: number, d: number) => Number((v + d).toPrecision(12));

export interface MatrixViewOptions {
  /** Symbol key and index, e.g. "W2" (see notation.ts). */
  sym: string;
  /** TeX of the name shown above, e.g. "W_{2}". */
  label: string;
  /** Plain text after the name, e.g. "= W_2·Σ_1". */
  note?: string;
  /** Click an entry to change it; `onEdit` receives the new value. */
  onEdit?: (r: number, c: number, value: number) => void;
  /** Mark the last column as the bias column (paper §3). */
  biasCol?: boolean;
  /** Mark the last row as the formal neuron's fixed row [0, …, 0, 1] (not editable). */
  formalRow?: boolean;
  /** Show the shape under the matrix (default true). */
  shape?: boolean;
}

/** Background for a value: blue for positive, orange for negative, stronger for larger |v| relative to `scale`. */
export function shade(v: number, scale: number): string {
  if (!Number.isFinite(v) || scale === 0) return 'transparent';
  const a = Math.min(1, Math.abs(v) / scale) * 0.42;
  return v >= 0 ? `rgba(33, 113, 181, ${a.toFixed(3)})` : `rgba(230, 120, 20, ${a.toFixed(3)})`;
}

export function matrixView(m: Matrix, o: MatrixViewOptions): HTMLElement {
  const box = document.createElement('figure');
  box.className = 'matrix';
  const head = document.createElement('figcaption');
  head.append(texElement(o.label, false, 'tex matrix-label'));
  head.firstElementChild?.setAttribute('data-sym', o.sym);
  if (o.note)
    head.append(Object.assign(document.createElement('span'), { className: 'matrix-note', textContent: ` ${o.note}` }));
  box.append(head);

  let scale = 0;
  for (const v of m.data) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  const table = document.createElement('table');
  table.className = 'matrix-table';
  table.setAttribute(
    'aria-label',
    `${plainName(o.sym)}, ${m.rows} by ${m.cols}${o.biasCol ? ', last column: bias' : ''}` +
      `${o.formalRow ? ', last row: formal neuron' : ''}${o.onEdit ? ', editable' : ''}`,
  );
  for (let r = 0; r < m.rows; r++) {
    const tr = document.createElement('tr');
    if (o.formalRow && r === m.rows - 1) tr.className = 'formal-row';
    for (let c = 0; c < m.cols; c++) {
      const v = m.get(r, c);
      const td = document.createElement('td');
      td.textContent = fmt(v);
      td.dataset.sym = o.sym;
      td.dataset.r = String(r);
      td.dataset.c = String(c);
      td.dataset.value = exact(v);
      td.style.background = shade(v, scale);
      td.title = `${o.sym.replace(/\d+$/, '')}_${o.sym.match(/\d+$/)?.[0] ?? ''}[${r + 1}, ${c + 1}] = ${exact(v)}`;
      if (o.biasCol && c === m.cols - 1) td.classList.add('bias');
      const fixed = o.formalRow && r === m.rows - 1;
      const where = `row ${r + 1}, column ${c + 1}${o.biasCol && c === m.cols - 1 ? ' (bias)' : ''}`;
      td.setAttribute('aria-label', `${where}: ${fmt(v)}`);
      if (o.onEdit && !fixed) {
        td.classList.add('editable');
        td.title += ` (click or Enter to edit, ↑ ↓ change it by ${STEP})`;
        td.tabIndex = 0;
        td.setAttribute(
          'aria-label',
          `${plainName(o.sym)} ${where}: ${fmt(v)}; Enter to type a new value, up and down arrows change it by ${STEP}`,
        );
        const onEdit = o.onEdit;
        td.addEventListener('click', () => startEdit(td, v, (x) => onEdit(r, c, x)));
        td.addEventListener('keydown', (e) => {
          if (e.target !== td || e.altKey || e.ctrlKey || e.metaKey) return;
          if (e.key === 'Enter' || e.key === 'F2') startEdit(td, v, (x) => onEdit(r, c, x));
          else if (e.key === 'ArrowUp' || e.key === 'ArrowDown')
            onEdit(r, c, stepped(v, e.key === 'ArrowUp' ? STEP : -STEP));
          else return;
          e.preventDefault();
          e.stopPropagation();
        });
      }
      tr.append(td);
    }
    table.append(tr);
  }
  box.append(table);
  if (o.shape ?? true) {
    const foot = document.createElement('div');
    foot.className = 'matrix-shape';
    foot.textContent = `${m.rows}×${m.cols}${o.biasCol ? ' · last column: bias' : ''}${o.formalRow ? ' · last row: formal neuron' : ''}`;
    box.append(foot);
  }
  return box;
}

/** Turns a cell into an input: Enter or leaving the cell commits a valid number, Escape cancels, a bad one says why. */
function startEdit(td: HTMLTableCellElement, value: number, commit: (v: number) => void): void {
  if (td.querySelector('input')) return;
  const input = document.createElement('input');
  input.className = 'cell-input';
  input.value = exact(value);
  input.setAttribute('aria-label', 'new value');
  td.textContent = '';
  td.append(input);
  input.focus();
  input.select();
  let done = false;
  const finish = (save: boolean, leaving = false) => {
    if (done) return;
    const text = input.value.trim();
    const v = Number(text);
    const bad = text === '' || !Number.isFinite(v);
    if (save && bad) {
      input.classList.add('invalid');
      input.title = `"${text}" is not a number`;
      const msg =
        td.closest('figure')?.querySelector('.matrix-error') ??
        td
          .closest('figure')
          ?.appendChild(Object.assign(document.createElement('div'), { className: 'field-error matrix-error' }));
      if (msg) msg.textContent = `"${text}" is not a number; type a number such as -0.5 (Escape cancels)`;
      if (!leaving) return;
      done = true;
      td.textContent = fmt(value);
      return;
    }
    done = true;
    if (save) td.closest('figure')?.querySelector('.matrix-error')?.remove();
    if (save && v !== value) commit(v);
    else {
      td.textContent = fmt(value);
      if (!leaving) td.focus(); // the keyboard stays on the entry
    }
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') finish(true);
    if (e.key === 'Escape') finish(false);
  });
  input.addEventListener('blur', () => finish(true, true));
}
