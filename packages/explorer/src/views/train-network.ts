/**
 * The Training view's network column: + and − for layers and neurons, the biases switch, and the diagram with a
 * map per neuron (edges and maps painted on one canvas). It draws the run's results it is given; a hover on a
 * neuron and a click on an edge go out as actions.
 */
import { fromRows, type Matrix } from 'nabla/paper';
import { MAX_LAYERS, MAX_WIDTH, parseHidden } from '../model.js';
import { clickWord, hoverWord } from '../pointer.js';
import type { Progress, Ready } from '../run/protocol.js';
import type { State } from '../state.js';
import { button, input } from './field.js';
import { paintNeuron, paintOutputMap } from './heatmap.js';
import { STEP } from './matrix.js';
import { NetworkView } from './network.js';
import type { Popover } from './popover.js';

export interface TrainNetworkActions {
  update(patch: Partial<State>): void;
  /** The pointer is on neuron "i:j" (undefined: it left). */
  hover(key: string | undefined): void;
  setWeight(i: number, r: number, c: number, value: number): void;
}

/** What one drawing shows. */
export interface RunView {
  ready: Ready | undefined;
  last: Progress | undefined;
  running: boolean;
  state: Readonly<State>;
}

export class TrainNetworkPanel {
  readonly root: HTMLElement;
  private readonly net: NetworkView;
  private readonly netBox: HTMLElement;
  private readonly layerControls: HTMLElement;
  private readonly layerCount: HTMLElement;
  private readonly biases: HTMLInputElement;
  /** The diagram's size, measured once per run, screen size and type size; window resizes so far. */
  private sized: { key: string; size: { width: number; height: number } } | undefined;
  private resizes = 0;
  private draws = 0;
  private readonly removeLayer: HTMLButtonElement;
  /** The state last given (for the + and − buttons). */
  private state: Readonly<State> | undefined;
  /** The weights last drawn (what an edge's editor and its ↑ / ↓ start from). */
  private weights: Matrix[] = [];

  constructor(
    private readonly actions: TrainNetworkActions,
    private readonly popover: Popover,
  ) {
    this.root = document.createElement('div');
    this.root.className = 'panel train-net';
    const head = document.createElement('div');
    head.className = 'train-net-head';
    const addLayer = button('+', () => this.changeLayers(1), 'button tiny');
    addLayer.id = 'add-layer';
    addLayer.setAttribute('aria-label', 'add a hidden layer');
    const removeLayer = button('−', () => this.changeLayers(-1), 'button tiny');
    this.removeLayer = removeLayer;
    removeLayer.id = 'remove-layer';
    removeLayer.setAttribute('aria-label', 'remove the last hidden layer');
    this.layerCount = Object.assign(document.createElement('span'), { className: 'layer-count', id: 'layer-count' });
    this.biases = input({ type: 'checkbox', id: 'train-biases' });
    this.biases.addEventListener('change', () => actions.update({ tb: this.biases.checked }));
    const biasRow = document.createElement('label');
    biasRow.className = 'switch inline-switch';
    biasRow.append(this.biases, Object.assign(document.createElement('span'), { textContent: 'biases (§3)' }));
    head.append(
      Object.assign(document.createElement('h3'), { textContent: 'Network' }),
      addLayer,
      removeLayer,
      this.layerCount,
      biasRow,
    );
    this.layerControls = document.createElement('div');
    this.layerControls.className = 'layer-controls';
    this.netBox = document.createElement('div');
    this.netBox.className = 'train-diagram';
    this.net = new NetworkView(this.netBox);
    this.root.append(head, this.layerControls, this.netBox);
  }

  /** The controls as the state has them. */
  update(s: Readonly<State>): void {
    this.state = s;
    this.biases.checked = s.tb;
  }

  /** The window was resized: the diagram is measured again at its next drawing. */
  resized(): void {
    this.resizes++;
  }

  /** The number of hidden layers beside the + and − (every frame; cheap). */
  renderCount(s: Readonly<State>): void {
    const h = parseHidden(s.th);
    setText(this.layerCount, h.ok ? `${h.value.length} hidden layer${h.value.length === 1 ? '' : 's'}` : '');
    const none = h.ok && h.value.length === 0;
    if (this.removeLayer.disabled !== none) this.removeLayer.disabled = none;
  }

  private changeLayers(delta: number): void {
    const s = this.state;
    const h = s && parseHidden(s.th);
    if (!h?.ok) return;
    const next = delta > 0 ? [...h.value, h.value[h.value.length - 1] ?? 4] : h.value.slice(0, -1);
    if (next.length > MAX_LAYERS - 1) return;
    this.actions.update({ th: next.join(', ') });
  }

  private changeNeurons(layer: number, delta: number): void {
    const s = this.state;
    const h = s && parseHidden(s.th);
    if (!h?.ok) return;
    const next = h.value.map((w, j) => (j === layer ? Math.max(1, Math.min(MAX_WIDTH, w + delta)) : w));
    this.actions.update({ th: next.join(', ') });
  }

  /** The diagram fits the network column: as wide as it is, as tall as the screen leaves (at least 260 px). */
  private diagramSize(maxN: number, v: RunView): { width: number; height: number } {
    // measured once per run, screen size and type size (measuring forces a layout: not in every frame)
    const key = JSON.stringify([this.resizes, maxN, v.state.big, v.ready?.widths]);
    if (this.sized?.key === key) return this.sized.size;
    const width = Math.max(300, Math.round(this.netBox.clientWidth || 600));
    const top = this.netBox.getBoundingClientRect().top + window.scrollY;
    const wide = window.innerWidth > 900;
    const room = wide ? window.innerHeight - top - 48 : 64 + maxN * 40;
    const size = { width, height: Math.round(Math.max(260, Math.min(wide ? 700 : 640, room))) };
    this.sized = { key, size };
    return size;
  }

  /** The diagram with the latest weights, and + and − over each hidden layer. */
  renderDiagram(v: RunView): void {
    this.state = v.state;
    const { ready: r, last: p } = v;
    const h = parseHidden(v.state.th);
    if (!r || !p) {
      if (!r) {
        this.layerControls.replaceChildren();
        delete this.layerControls.dataset.key;
        this.netBox.classList.add('waiting');
      }
      return;
    }
    this.netBox.classList.remove('waiting');
    const W: Matrix[] = p.W.map((rows, j) => fromRows(rows, `W_${j + 1}`));
    this.weights = W;
    this.draws++;
    const n = [W[0]!.cols, ...W.map((M) => M.rows)];
    const size = this.diagramSize(Math.max(...n), v);
    this.net.update({
      n,
      W,
      acts: r.acts,
      affine: r.affine,
      inputs: r.inputs,
      maps: r.grid !== undefined,
      size,
      // the edges' data-value attributes (what a test or a tooltip reads): every fourth drawing while training
      values: !v.running || this.draws % 4 === 0,
      onNeuronHover: (i, j, at) => this.actions.hover(at ? `${i}:${j}` : undefined),
      onEdgeClick: (i, row, c, at) => this.editWeight(i, row, c, this.weight(i, row, c), at),
      onEdgeStep: (i, row, c, dir) =>
        this.actions.setWeight(i, row, c, Number((this.weight(i, row, c) + dir * STEP).toPrecision(12))),
      caption:
        'Each square: that neuron’s output over the input plane (orange −, blue +). ' +
        `${hoverWord(true)} a neuron for its map large; ${clickWord()} an edge to change its weight.`,
    });
    if (this.net.rebuilt) this.paintMaps(v);
    this.net.paint();
    // + and − over each hidden layer, where its column is
    const k = n.length - 1;
    if (h.ok && h.value.length === k - 1) {
      const controls = h.value.map((w, j) => {
        const box = document.createElement('div');
        box.className = 'layer-control';
        box.style.left = `${(this.net.columns[j + 1] ?? 0) * 100}%`;
        const minus = button('−', () => this.changeNeurons(j, -1), 'button tiny');
        minus.setAttribute('aria-label', `one neuron fewer in hidden layer ${j + 1}`);
        minus.dataset.layer = String(j + 1);
        minus.classList.add('neuron-minus');
        const plus = button('+', () => this.changeNeurons(j, 1), 'button tiny');
        plus.setAttribute('aria-label', `one neuron more in hidden layer ${j + 1}`);
        plus.dataset.layer = String(j + 1);
        plus.classList.add('neuron-plus');
        minus.disabled = w <= 1;
        plus.disabled = w >= MAX_WIDTH;
        box.append(minus, Object.assign(document.createElement('span'), { textContent: String(w) }), plus);
        return box;
      });
      const key = JSON.stringify([h.value, this.net.columns]);
      if (this.layerControls.dataset.key !== key) {
        this.layerControls.dataset.key = key;
        this.layerControls.replaceChildren(...controls);
      }
    }
  }

  /** Each neuron's map; the inputs scaled to their own range, the output neuron in the big map's colours. */
  paintMaps(v: RunView): void {
    const { ready: r, last: p } = v;
    if (!r?.grid || !p) return;
    const G = r.grid.size;
    const k = r.widths.length - 1;
    for (const [key, values] of Object.entries(p.neurons)) {
      const canvas = this.net.mapCanvas(key);
      if (!canvas) continue;
      const i = Number(key.split(':')[0]);
      if (i === k && r.widths[k] === 1) paintOutputMap(canvas, G, p.output, v.state.disc);
      else if (i === 0) {
        let m = 0;
        for (const x of values) m = Math.max(m, Math.abs(x));
        paintNeuron(canvas, values, G, m || 1);
      } else paintNeuron(canvas, values, G);
    }
  }

  /** Entry (r, c) of W_i as last drawn. */
  private weight(i: number, r: number, c: number): number {
    return this.weights[i - 1]?.get(r, c) ?? 0;
  }

  /** Click on an edge: type a new weight; the training goes on from it. */
  private editWeight(i: number, r: number, c: number, value: number, at: DOMRect): void {
    const field = input({ type: 'number', id: 'edge-weight', step: '0.1' });
    field.value = String(Math.round(value * 1000) / 1000);
    field.setAttribute('aria-label', `W_${i}[${r + 1}, ${c + 1}]`);
    const apply = () => {
      const x = Number(field.value);
      if (field.value.trim() === '' || !Number.isFinite(x)) {
        field.classList.add('invalid');
        return;
      }
      this.actions.setWeight(i, r, c, x);
      this.popover.hide();
    };
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') apply();
    });
    const title = Object.assign(document.createElement('div'), {
      className: 'popover-title',
      textContent: `weight W${i}[${r + 1}, ${c + 1}] (from neuron ${c + 1} of layer ${i - 1} to neuron ${r + 1} of layer ${i})`,
    });
    this.popover.show(at, title, field, button('set', apply, 'button small'));
  }
}

export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
