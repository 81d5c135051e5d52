/**
 * The network builder (left panel): widths, the affine switch of §3, one σ per layer (per neuron through the
 * diagram), custom activations typed as formulas with σ' derived by mathjs, seed and initialisation, the
 * inputs X (and v when n_k > 1), opening and saving a model file. Every text field has its own error line.
 */

import { activationNames } from 'nabla';
import { fitActivationSpec } from 'nabla/paper';
import { type CustomActivation, customName } from '../custom-activation.js';
import { type Built, type Field, formatActs, parseEdits, parseWidths } from '../model.js';
import { inits, type State } from '../state.js';
import { button, type FieldParts, field, filePicker, input, select, setError, setValue, typed } from './field.js';
import { renderTex } from './formula.js';

export interface BuilderActions {
  update(patch: Partial<State>): void;
  openModel(file: File): void;
  downloadModel(): void;
}

/** Every activation name the selects offer: the library's, then the custom ones that compiled. */
export function activationChoices(customs: readonly (CustomActivation | undefined)[]): string[] {
  return [...activationNames, ...customs.flatMap((c) => (c ? [c.name] : []))];
}

export class Builder {
  private readonly widths: HTMLInputElement;
  private readonly widthsField: FieldParts;
  private readonly affine: HTMLInputElement;
  private readonly layers: HTMLElement;
  private readonly actField: FieldParts;
  private readonly customs: HTMLElement;
  private readonly seed: HTMLInputElement;
  private readonly init: HTMLSelectElement;
  private readonly edits: HTMLButtonElement;
  private readonly editsNote: HTMLElement;
  private readonly x: HTMLTextAreaElement;
  private readonly xField: FieldParts;
  private readonly v: HTMLInputElement;
  private readonly vField: FieldParts;
  readonly modelField: FieldParts;
  private customRows: { input: HTMLInputElement; parts: FieldParts; tex: HTMLElement }[] = [];
  private layerKey = '';

  constructor(
    root: HTMLElement,
    private readonly actions: BuilderActions,
  ) {
    const h = (t: string) => Object.assign(document.createElement('h2'), { textContent: t });

    this.widths = input({ id: 'widths', placeholder: '2, 3, 1' });
    this.widths.addEventListener('input', () => actions.update({ widths: typed(this.widths, this.widths.value) }));
    this.widthsField = field(
      'widths',
      'widths <i>n</i><sub>0</sub>, …, <i>n<sub>k</sub></i>',
      this.widths,
      'inputs, hidden layers, outputs',
    );

    this.affine = input({ type: 'checkbox', id: 'affine' });
    this.affine.addEventListener('change', () => actions.update({ affine: this.affine.checked }));
    const affineRow = document.createElement('label');
    affineRow.className = 'switch';
    affineRow.append(
      this.affine,
      Object.assign(document.createElement('span'), {
        innerHTML: 'affine network (§3): biases as the last column of <i>W<sub>i</sub></i>, formal neurons',
      }),
    );

    this.layers = document.createElement('div');
    this.layers.className = 'layer-acts';
    this.actField = field(
      'act',
      'activations Σ<sub><i>i</i></sub>',
      this.layers,
      'click a neuron in the diagram to give it its own σ',
    );

    this.customs = document.createElement('div');
    this.customs.className = 'customs';
    const addCustom = button(
      '+ custom activation',
      () => {
        const s = this.state;
        if (s) actions.update({ custom: [...s.custom, s.custom.length === 0 ? 'x^3 - x' : 'x > 0 ? x : 0.1*x'] });
      },
      'button small',
    );
    addCustom.id = 'add-custom';

    this.seed = input({ type: 'number', id: 'seed', step: '1' });
    this.seed.addEventListener('change', () => {
      const v = Number(this.seed.value);
      if (Number.isInteger(v)) actions.update({ seed: v });
    });
    this.seed.setAttribute('aria-label', 'seed of the initial weights');
    this.init = select(inits, 'glorot');
    this.init.id = 'init';
    this.init.setAttribute('aria-label', 'initialisation');
    this.init.addEventListener('change', () => actions.update({ init: this.init.value as State['init'] }));
    const reseed = button(
      'new weights',
      () => this.state && actions.update({ seed: this.state.seed + 1 }),
      'button small',
    );
    this.edits = button('undo weight edits', () => actions.update({ w: '' }), 'button small');
    this.editsNote = Object.assign(document.createElement('div'), { className: 'field-hint', id: 'edits-note' });
    const seedRow = document.createElement('div');
    seedRow.className = 'inline';
    seedRow.append(this.seed, this.init, reseed);

    this.x = Object.assign(document.createElement('textarea'), { id: 'inputs', rows: 2, spellcheck: false });
    this.x.addEventListener('input', () => actions.update({ x: typed(this.x, this.x.value.replace(/\n/g, ';')) }));
    this.xField = field('x', 'inputs <i>X</i>: one sample per line', this.x, 'the samples are the columns of X');

    this.v = input({ id: 'v', placeholder: '1, 1' });
    this.v.addEventListener('input', () => actions.update({ v: typed(this.v, this.v.value) }));
    this.vField = field(
      'v',
      '<i>v</i> in place of Δ<sub><i>k</i>+1</sub> = 1',
      this.v,
      'n_k > 1: the gradients are those of v·f',
    );

    const file = filePicker('.json,application/json,.onnx', 'open-model', (f) => actions.openModel(f));
    this.modelField = field('model', 'open a model file', file);
    const save = button('download this network as a model file', () => actions.downloadModel(), 'button small');
    save.id = 'download-network';

    root.append(
      h('Network'),
      this.widthsField.row,
      affineRow,
      this.actField.row,
      h('Custom activations'),
      this.customs,
      addCustom,
      h('Weights'),
      field('seed', 'seed and initialisation', seedRow).row,
      this.edits,
      this.editsNote,
      h('Input'),
      this.xField.row,
      this.vField.row,
      h('Model file'),
      this.modelField.row,
      save,
    );
  }

  private state: Readonly<State> | undefined;

  /** A message under "open a model file" (undefined clears it). */
  showModelError(message: string | undefined): void {
    setError(this.modelField, message);
  }

  update(s: Readonly<State>, built: Built): void {
    this.state = s;
    setValue(this.widths, s.widths);
    this.affine.checked = s.affine;
    setValue(this.seed, String(s.seed));
    setValue(this.init, s.init);
    setValue(
      this.x,
      s.x
        .split(';')
        .map((p) => p.trim())
        .join('\n'),
      s.x,
    );
    setValue(this.v, s.v);
    // weight edits stay when the seed, the initialisation or the §3 switch changes: they sit on top of the new
    // seeded weights; edits of biases wait (in the link) while the network has none
    const edits = parseEdits(s.w);
    const nEdits = edits.size;
    this.edits.hidden = nEdits === 0;
    this.edits.textContent = `undo ${nEdits} weight edit${nEdits === 1 ? '' : 's'}`;
    const wOk = parseWidths(s.widths, s.affine);
    let idle = 0;
    if (wOk.ok) {
      const m = wOk.value;
      for (const key of edits.keys()) {
        const [i, r, c] = key.split('.').map(Number) as [number, number, number];
        if (!(i >= 1 && i < m.length && r < m[i]! && c < m[i - 1]! + (s.affine ? 1 : 0))) idle++;
      }
    }
    const idleNote =
      idle > 0
        ? `; ${idle} of them do${idle === 1 ? 'es' : ''} not fit this network ` +
          '(a bias without §3, or a layer that is gone) and wait in the link'
        : '';
    this.editsNote.textContent =
      nEdits === 0
        ? ''
        : `Your ${nEdits} weight edit${nEdits === 1 ? ' is' : 's are'} kept on top of the seeded weights${idleNote}.`;
    const err = (f: Field) => built.errors.get(f);
    setError(this.widthsField, err('widths'));
    setError(this.actField, err('act'));
    setError(this.xField, err('x'));
    setError(this.vField, err('v'));
    const w = parseWidths(s.widths, s.affine);
    const nk = w.ok ? w.value[w.value.length - 1]! : 1;
    this.vField.row.hidden = nk <= 1 && s.v === '';
    this.updateCustoms(s, built);
    if (w.ok) this.updateLayers(s, w.value, built);
  }

  private updateLayers(s: Readonly<State>, widths: number[], built: Built): void {
    const acts = fitActivationSpec(s.act, widths);
    const choices = activationChoices(built.customs);
    const key = JSON.stringify([acts, choices]);
    if (key === this.layerKey) return;
    this.layerKey = key;
    const k = widths.length - 1;
    const rows = acts.map((layer, j) => {
      const i = j + 1;
      const uniform = layer.every((a) => a === layer[0]);
      const options: (string | [string, string])[] = [...choices];
      if (!uniform) options.unshift(['', `per neuron: ${layer.join(', ')}`]);
      for (const a of layer) if (!choices.includes(a)) options.push([a, `${a} (undefined)`]);
      const sel = select(options, uniform ? layer[0]! : '');
      sel.id = `act-${i}`;
      sel.setAttribute('aria-label', `activation of layer ${i}`);
      sel.addEventListener('change', () => {
        if (sel.value === '') return;
        const next = acts.map((l, jj) => (jj === j ? l.map(() => sel.value) : l));
        this.actions.update({ act: formatActs(next) });
      });
      const row = document.createElement('div');
      row.className = 'layer-act';
      const lab = document.createElement('span');
      lab.className = 'layer-act-label';
      renderTex(lab, `\\Sigma_{${i}}${i === k ? '\\ (f)' : ''}`, false);
      row.append(lab, sel);
      return row;
    });
    this.layers.replaceChildren(...rows);
  }

  private updateCustoms(s: Readonly<State>, built: Built): void {
    while (this.customRows.length > s.custom.length) this.customRows.pop()!.parts.row.remove();
    while (this.customRows.length < s.custom.length) {
      const j = this.customRows.length;
      const inp = input({ id: `custom-${j + 1}`, placeholder: 'x^3 - x' });
      inp.addEventListener('input', () => {
        const list = [...(this.state?.custom ?? [])];
        list[j] = typed(inp, inp.value);
        this.actions.update({ custom: list });
      });
      inp.setAttribute('aria-label', `${customName(j + 1)}: σ(x) =`);
      const remove = button('×', () => this.removeCustom(j), 'button tiny');
      remove.title = `remove ${customName(j + 1)}`;
      remove.setAttribute('aria-label', `remove ${customName(j + 1)}`);
      const holder = document.createElement('div');
      holder.className = 'inline';
      holder.append(inp, remove);
      const parts = field(`custom${j + 1}`, `${customName(j + 1)}: σ(<i>x</i>) =`, holder);
      const tex = document.createElement('div');
      tex.className = 'custom-tex';
      parts.row.insertBefore(tex, parts.error);
      this.customs.append(parts.row);
      this.customRows.push({ input: inp, parts, tex });
    }
    this.customRows.forEach((row, j) => {
      setValue(row.input, s.custom[j] ?? '');
      const c = built.customs[j];
      setError(row.parts, built.errors.get(`custom${j + 1}`));
      if (c) {
        renderTex(row.tex, `\\sigma(x) = ${c.tex},\\quad \\sigma'(x) = ${c.dtex}`, false);
        const note = document.createElement('div');
        note.className = 'custom-check';
        note.textContent = c.check.ok
          ? `σ′ by mathjs; agrees with finite differences of σ (largest relative difference ${c.check.maxError.toExponential(1)})`
          : 'σ′ by mathjs; differs from finite differences of σ by ' +
            `${c.check.maxError.toExponential(1)} near x = ${c.check.worstX.toFixed(2)} (a kink or a jump?)`;
        row.tex.append(note);
      } else row.tex.replaceChildren();
    });
  }

  /** Removes custom formula j; neurons that used it get tanh, later customs move down one number. */
  private removeCustom(j: number): void {
    const s = this.state;
    if (!s) return;
    const custom = s.custom.filter((_, jj) => jj !== j);
    const act = s.act.replace(/custom(\d+)/g, (_m, d: string) => {
      const n = Number(d);
      return n === j + 1 ? 'tanh' : n > j + 1 ? customName(n - 1) : customName(n);
    });
    this.actions.update({ custom, act });
  }
}
