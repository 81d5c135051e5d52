/**
 * The forms side by side: for the current network, every form the library implements (compareForms), with
 * the largest difference of each from the recursion, the largest difference between any two forms, and the
 * finite-difference check; then each form written out with the intermediate products its engine recorded
 * (form-steps.ts) next to the engine's own result.
 */

import type { GradientForm } from 'nabla';
import { gradientForms, maxGradDifference, paperForms } from 'nabla/paper';
import type { WorkedNetwork } from '../model.js';
import { button } from './field.js';
import { formSteps } from './form-steps.js';
import { sym, texElement, texMatrix } from './formula.js';

export interface FormsActions {
  setColumn(b: number): void;
  setLayer(i: number): void;
}

/** Each form's defining formula for the summary table: the library's table of forms, and the numeric check. */
const formTex = (form: GradientForm): string =>
  form === 'numeric' ? '\\text{central finite differences, float64 (the check)}' : paperForms[form].shortTex;

const cards: { form: Exclude<GradientForm, 'recursive' | 'numeric'>; title: string }[] = [
  { form: 'explicit', title: '(3) the explicit product, read left to right' },
  { form: 'kronecker', title: '(4) the Kronecker form, read right to left' },
  { form: 'diagonal', title: '(5) the diagonal-matrix form: no Hadamard product' },
  {
    form: 'proof',
    title: '(6)/(7) the identities of the proof, through the gradients ∇Σᵣ f (every r: it is a recursion)',
  },
  { form: 'scalar', title: '(1)/(2) the one-dimensional chain (every width is 1)' },
];

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];

export class FormsView {
  private readonly summary: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly samples: HTMLElement;
  private readonly grid: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly actions: FormsActions,
  ) {
    const panel = document.createElement('div');
    panel.className = 'panel';
    this.heading = Object.assign(document.createElement('h2'), { id: 'forms-heading' });
    panel.append(this.heading);
    this.summary = document.createElement('div');
    this.summary.id = 'forms-summary';
    this.samples = document.createElement('div');
    this.samples.className = 'inline samples';
    this.samples.id = 'forms-choices';
    panel.append(this.summary, this.samples);
    this.grid = document.createElement('div');
    this.grid.className = 'form-grid';
    root.append(panel, this.grid);
  }

  update(m: WorkedNetwork, column: number, layer: number): void {
    const B = m.X.cols;
    const b = Math.min(column, B - 1);
    const k = m.net.k;
    const li = Math.min(layer, k);
    this.renderSummary(m);
    this.samples.replaceChildren();
    if (k > 1) {
      this.samples.append(Object.assign(document.createElement('span'), { textContent: 'write out ∇W for layer ' }));
      for (let i = k; i >= 1; i--)
        this.samples.append(this.choice(`i = ${i}`, i === li, () => this.actions.setLayer(i), `forms-layer-${i}`));
      this.samples.append(this.choice('every layer', li === 0, () => this.actions.setLayer(0), 'forms-layer-all'));
    }
    if (B > 1) {
      this.samples.append(
        Object.assign(document.createElement('span'), { textContent: ' · intermediate products for sample ' }),
      );
      for (let j = 0; j < B; j++)
        this.samples.append(
          this.choice(String(j + 1), j === b, () => this.actions.setColumn(j), `forms-sample-${j + 1}`),
        );
      this.samples.append(
        Object.assign(document.createElement('span'), { textContent: ` of ${B} (the engines sum the samples' terms)` }),
      );
    }
    const applies = new Set(m.forms.map((f) => f.form));
    // the heading counts what is listed below: the recursion (the backward tab) and every card that applies
    const count = 1 + cards.filter((c) => applies.has(c.form)).length;
    this.heading.textContent = `One gradient, ${WORDS[count] ?? String(count)} ways of writing it`;
    const out: HTMLElement[] = [];
    for (const { form, title } of cards) {
      if (!applies.has(form)) continue;
      const card = document.createElement('section');
      card.className = 'panel form-card';
      card.dataset.form = form;
      card.tabIndex = 0; // it may scroll sideways: the keyboard can reach it
      card.setAttribute('aria-label', title);
      card.append(Object.assign(document.createElement('h3'), { textContent: title }));
      card.append(texElement(paperForms[form].tex, true, 'tex form-head'));
      const engine = m.forms.find((f) => f.form === form)!.grads;
      let first = true;
      for (let i = k; i >= 1; i--) {
        if (li !== 0 && i !== li && form !== 'proof') continue;
        const layer = document.createElement('div');
        layer.className = 'form-layer';
        const label = form === 'proof' ? `r = ${i}` : `i = ${i}`;
        layer.append(
          Object.assign(document.createElement('div'), {
            className: 'form-layer-title',
            textContent: `${label}${B > 1 && form !== 'proof' ? `, sample ${b + 1}` : ''}`,
          }),
        );
        const tex = formSteps(m, form, i, b, first);
        first = false;
        layer.append(texElement(tex, true, 'tex form-steps'));
        const result =
          `\\text{${form}() engine${B > 1 ? `, summed over ${B} samples` : ''}:}\\quad ` +
          `${sym('gradW', i)} = ${texMatrix(engine.gradW.get(i), { sym: `gradW${i}` })}`;
        layer.append(texElement(result, true, 'tex form-result'));
        card.append(layer);
      }
      out.push(card);
    }
    if (!applies.has('scalar')) out.push(scalarNote(m.net.n, m.affine !== undefined));
    this.grid.replaceChildren(...out);
  }

  private choice(text: string, active: boolean, onClick: () => void, id: string): HTMLButtonElement {
    const b = button(text, onClick, `button small${active ? ' active' : ''}`);
    b.id = id;
    // "i = 2" and "1" say what they are only beside their row's words: the name says it all
    b.setAttribute('aria-label', id.startsWith('forms-sample') ? `sample ${text}` : `write out ∇W for layer ${text}`);
    b.setAttribute('aria-pressed', String(active));
    return b;
  }

  private renderSummary(m: WorkedNetwork): void {
    const table = document.createElement('table');
    table.className = 'forms-table';
    table.innerHTML =
      '<thead><tr><th>form</th><th>paper</th><th>largest |∇W − ∇W (recursion)|</th><th>agrees</th><th>formula</th></tr></thead>';
    const body = document.createElement('tbody');
    let scale = 0;
    for (const i of m.gradW.indices()) for (const v of m.gradW.get(i).data) scale = Math.max(scale, Math.abs(v));
    for (const f of m.forms) {
      const info = gradientForms[f.form];
      const tr = document.createElement('tr');
      tr.dataset.form = f.form;
      const tol = f.form === 'numeric' ? 1e-7 : 1e-10;
      const ok = f.maxDiff <= tol * Math.max(1, scale);
      tr.innerHTML =
        `<td>${f.form}</td><td>${info.equation}</td><td class="num" ` +
        `data-value="${f.maxDiff}">${f.maxDiff === 0 ? '0' : f.maxDiff.toExponential(2)}</td><td ` +
        `class="${ok ? 'ok' : 'bad'}">${ok ? '✓' : '✗'}</td>`;
      const def = document.createElement('td');
      def.append(texElement(formTex(f.form), false));
      tr.append(def);
      body.append(tr);
    }
    table.append(body);
    const analytic = m.forms.filter((f) => f.form !== 'numeric');
    let worst = 0;
    let pair = '';
    for (let a = 0; a < analytic.length; a++) {
      for (let c = a + 1; c < analytic.length; c++) {
        const d = maxGradDifference(analytic[a]!.grads, analytic[c]!.grads);
        if (d > worst || Number.isNaN(d)) {
          worst = d;
          pair = `${analytic[a]!.form} and ${analytic[c]!.form}`;
        }
      }
    }
    const numeric = m.forms.find((f) => f.form === 'numeric');
    const note = document.createElement('p');
    note.className = 'forms-note';
    note.id = 'forms-largest';
    note.dataset.value = String(worst);
    note.textContent =
      `Largest difference between any two of the ${analytic.length} analytic forms: ` +
      `${worst === 0 ? '0 (identical to the last bit)' : `${worst.toExponential(2)} (${pair}; rounding: the products are taken in different orders)`}. ` +
      (numeric ? `Finite differences agree with the recursion to ${numeric.maxDiff.toExponential(1)}.` : '');
    this.summary.replaceChildren(table, note);
  }
}

/** In place of the (1)/(2) card when some width is not 1: what the form needs, and a link to a network that has it. */
function scalarNote(widths: readonly number[], affine: boolean): HTMLElement {
  const card = document.createElement('section');
  card.className = 'panel form-card form-note';
  card.id = 'forms-scalar-note';
  card.append(Object.assign(document.createElement('h3'), { textContent: cards.at(-1)!.title }));
  const p = document.createElement('p');
  const link = Object.assign(document.createElement('a'), {
    href: '#tab=forms&n=1,1,1&x=0.5',
    textContent: 'the network 1-1-1',
  });
  const has = affine
    ? 'the homogeneous network of §3 (biases as formal neurons) has widths'
    : 'this network has widths';
  p.append(
    `This form is for a chain of single neurons: it needs every width to be 1, and ${has} ${widths.join('-')}. Open `,
    link,
    ' to see it beside the others.',
  );
  card.append(p);
  return card;
}
