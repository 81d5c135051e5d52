/**
 * The training view (TensorFlow Playground's side of the explorer), on one screen: the control bar on top, then
 * the data and features | the network with a map per neuron | the output map and the loss curves. The network
 * is the Training view's own (hidden widths, σ, biases; n_0 = the features, n_k fits the data), so pressing
 * Train on a fresh page learns every built-in set. The training runs in a Web Worker (worker.ts) on the
 * library's `fit`; its results arrive about ten times a second and are drawn once per animation frame, only
 * while this view is visible; the diagram's edges and maps are painted on one canvas (an OffscreenCanvas where
 * the browser has it, whose frames skip the page's commit) instead of rebuilding SVG.
 */
import { fromRows, type Matrix } from 'nabla/paper';
import type { CustomActivation } from '../custom-activation.js';
import { parseFeatures } from '../features.js';
import { cannotLearn } from '../limits.js';
import { formatActs, formatEdits, MAX_LAYERS, MAX_WIDTH, parseHidden } from '../model.js';
import type { FromWorker, Hyper, Progress, Ready, ToWorker, TrainConfig } from '../protocol.js';
import { classificationSets, regressionSets, type State } from '../state.js';
import { activationChoices } from './builder.js';
import { DataPanel, withValue } from './data-panel.js';
import { button, downloadText, input, select } from './field.js';
import { HeatMap, outputCaption, paintNeuron, paintOutputMap, type Points } from './heatmap.js';
import { LossChart } from './loss-chart.js';
import { NetworkView } from './network.js';
import type { Popover } from './popover.js';
import { trainBar, type TrainBar } from './train-bar.js';

export interface PlaygroundActions {
  update(patch: Partial<State>): void;
  /** Show these weights in the Forward & backward view. */
  inspect(patch: Partial<State>): void;
}

const LEARNING_RATES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const BATCHES = [1, 2, 5, 10, 20, 50, 100];
const RATES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const configKeys: ReadonlySet<keyof State> = new Set(['th', 'ta', 'tb', 'custom', 'seed', 'init', 'feat', 'data', 'noise', 'count', 'split', 'dseed', 'problem']);
const hyperKeys: ReadonlySet<keyof State> = new Set(['lr', 'batch', 'opt', 'reg', 'rate']);

export class Playground {
  private worker: Worker | undefined;
  private running = false;
  private ready: Ready | undefined;
  private last: Progress | undefined;
  private csv: { name: string; text: string } | undefined;
  private state: Readonly<State> | undefined;
  private frame = 0;
  private dirty = false;
  /** The results last drawn, and the parts of them still to draw (draw()). */
  private drawn: Progress | undefined;
  private parts: ('maps' | 'diagram' | 'heat')[] = [];
  private diagramAt = 0;
  private points: { of: Ready; points: Points | undefined } | undefined;
  private statusOf: Ready | undefined | null = null;
  private sized: { key: string; size: { width: number; height: number } } | undefined;
  private resizes = 0;
  private draws = 0;
  /** The neuron whose map the big map shows while the pointer is on it. */
  private zoom: string | undefined;

  private readonly bar: TrainBar;
  private readonly data: DataPanel;
  private readonly heat: HeatMap;
  private readonly heatTitle: HTMLElement;
  private readonly heatNote: HTMLElement;
  private readonly chart: LossChart;
  private readonly accuracy: HTMLElement;
  private readonly status: HTMLElement;
  private readonly net: NetworkView;
  private readonly netBox: HTMLElement;
  private readonly layerControls: HTMLElement;
  private readonly layerCount: HTMLElement;
  private readonly biases: HTMLInputElement;
  private readonly showTest: HTMLInputElement;
  private readonly discrete: HTMLInputElement;

  constructor(root: HTMLElement, private readonly actions: PlaygroundActions, private readonly popover: Popover) {
    this.bar = trainBar({
      update: actions.update,
      play: () => this.send({ type: this.running ? 'pause' : 'play' }),
      step: () => this.send({ type: 'step' }),
      reset: () => {
        this.chart.reset();
        this.send({ type: 'reset' });
      },
    });

    // data column (data-panel.ts); a CSV file may also be dropped anywhere on the view
    this.data = new DataPanel({ update: actions.update, readCsv: (f) => void this.readCsv(f) });
    root.addEventListener('dragover', (e) => e.preventDefault());
    root.addEventListener('drop', (e) => {
      e.preventDefault();
      const f = e.dataTransfer?.files[0];
      if (f) void this.readCsv(f);
    });

    // network column: layers and neurons by buttons, biases, the diagram with a map per neuron
    const netPanel = document.createElement('div');
    netPanel.className = 'panel train-net';
    const head = document.createElement('div');
    head.className = 'train-net-head';
    const addLayer = button('+', () => this.changeLayers(1), 'button tiny');
    addLayer.id = 'add-layer';
    addLayer.setAttribute('aria-label', 'add a hidden layer');
    const removeLayer = button('−', () => this.changeLayers(-1), 'button tiny');
    removeLayer.id = 'remove-layer';
    removeLayer.setAttribute('aria-label', 'remove the last hidden layer');
    this.layerCount = Object.assign(document.createElement('span'), { className: 'layer-count', id: 'layer-count' });
    this.biases = input({ type: 'checkbox', id: 'train-biases' });
    this.biases.addEventListener('change', () => actions.update({ tb: this.biases.checked }));
    const biasRow = document.createElement('label');
    biasRow.className = 'switch inline-switch';
    biasRow.append(this.biases, Object.assign(document.createElement('span'), { textContent: 'biases (§3)' }));
    head.append(Object.assign(document.createElement('h3'), { textContent: 'Network' }), addLayer, removeLayer, this.layerCount, biasRow);
    this.layerControls = document.createElement('div');
    this.layerControls.className = 'layer-controls';
    this.netBox = document.createElement('div');
    this.netBox.className = 'train-diagram';
    this.net = new NetworkView(this.netBox);
    netPanel.append(head, this.layerControls, this.netBox);

    // output column: the loss curves, the output map, what its colours mean, the numbers
    const out = document.createElement('div');
    out.className = 'panel train-output';
    out.append(Object.assign(document.createElement('h3'), { textContent: 'Output' }));
    this.chart = new LossChart(out);
    this.accuracy = Object.assign(document.createElement('div'), { className: 'train-accuracy', id: 'train-accuracy' });
    out.append(this.accuracy);
    this.heatTitle = Object.assign(document.createElement('div'), { className: 'heat-title', id: 'heat-title' });
    const mapBox = document.createElement('div');
    mapBox.className = 'train-map';
    this.heat = new HeatMap(mapBox, 300);
    this.heatNote = Object.assign(document.createElement('div'), { className: 'hint heat-caption', id: 'heat-caption' });
    this.showTest = input({ type: 'checkbox', id: 'show-test' });
    this.showTest.addEventListener('change', () => actions.update({ test: this.showTest.checked }));
    this.discrete = input({ type: 'checkbox', id: 'discretize' });
    this.discrete.addEventListener('change', () => actions.update({ disc: this.discrete.checked }));
    const toggles = document.createElement('div');
    toggles.className = 'inline toggles';
    for (const [box, text] of [[this.showTest, 'show the test data (dark rings)'], [this.discrete, 'discretize output']] as const) {
      const row = document.createElement('label');
      row.className = 'switch';
      row.append(box, Object.assign(document.createElement('span'), { textContent: text }));
      toggles.append(row);
    }
    this.status = Object.assign(document.createElement('div'), { className: 'train-status', id: 'train-status' });
    const save = button('download the trained model', () => this.send({ type: 'export' }), 'button small');
    save.id = 'download-trained';
    const inspect = button('show these weights in Forward & backward', () => this.inspectWeights(), 'button small');
    inspect.id = 'inspect-trained';
    const more = document.createElement('div');
    more.className = 'inline';
    more.append(save, inspect);
    out.append(this.heatTitle, mapBox, this.heatNote, toggles, more, this.status);

    const grid = document.createElement('div');
    grid.className = 'train-grid';
    grid.append(this.data.root, netPanel, out);
    root.append(this.bar.root, grid);

    let resize = 0;
    window.addEventListener('resize', () => {
      clearTimeout(resize);
      resize = window.setTimeout(() => {
        this.resizes++;
        this.dirty = true;
        this.schedule();
      }, 100);
    });
  }

  private get visible(): boolean {
    return this.state?.tab === 'train';
  }

  /** Called on every render: starts the worker on the first visit and passes on what changed. */
  update(s: Readonly<State>, changed: ReadonlySet<keyof State> | 'all', customs: readonly (CustomActivation | undefined)[]): void {
    this.state = s;
    const b = this.bar;
    fill(b.lr, withValue(LEARNING_RATES, s.lr), String(s.lr));
    fill(b.batch, withValue(BATCHES, s.batch), String(s.batch));
    fill(b.rate, withValue(RATES, s.rate), String(s.rate));
    const acts = activationChoices(customs);
    fill(b.act, acts.includes(s.ta) ? acts : [...acts, s.ta], s.ta);
    b.opt.value = s.opt;
    b.reg.value = s.reg;
    b.rate.disabled = s.reg === 'none';
    b.problem.value = s.problem;
    this.biases.checked = s.tb;
    this.showTest.checked = s.test;
    this.discrete.checked = s.disc;
    this.data.update(s);
    this.renderLimits(s);
    // a data set of the other problem type: the first one of the chosen type
    const offered: readonly string[] = s.problem === 'classification' ? classificationSets : regressionSets;
    if (s.data !== 'csv' && !offered.includes(s.data)) {
      this.actions.update({ data: offered[0] as State['data'] });
      return;
    }
    if (s.tab !== 'train' && !this.worker) return;
    if (!this.worker) {
      this.worker = new Worker(new URL('../worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
      this.worker.onerror = (e) => this.showTrainError(`the training worker failed: ${e.message}`);
      this.configure();
      return;
    }
    const c = changed === 'all' ? configKeys : changed;
    if ([...c].some((k) => configKeys.has(k))) this.configure();
    else if ([...c].some((k) => hyperKeys.has(k))) this.send({ type: 'hyper', hyper: this.hyper() });
    if (changed === 'all' || changed.has('tab') || changed.has('disc') || changed.has('test') || changed.has('big')) this.schedule();
  }

  private hyper(): Hyper {
    const s = this.state!;
    return { lr: s.lr, batch: s.batch, opt: s.opt, reg: s.reg, rate: s.rate };
  }

  private configure(): void {
    const s = this.state;
    if (!s) return;
    this.running = false;
    this.ready = undefined;
    this.last = undefined;
    this.chart.reset();
    this.showTrainError(undefined);
    this.data.showError(undefined);
    this.bar.networkError.replaceChildren();
    if (s.data === 'csv' && !this.csv) {
      this.data.showError('choose or drop a CSV file (files are not part of the link; the other data sets are)');
      this.schedule();
      return;
    }
    const config: TrainConfig = {
      network: { hidden: s.th, act: s.ta, biases: s.tb, seed: s.seed, init: s.init, custom: [...s.custom] },
      features: s.feat,
      data: s.data === 'csv' ? { kind: 'csv', name: this.csv!.name, text: this.csv!.text, task: s.problem } : { kind: 'synthetic', name: s.data, noise: s.noise, count: s.count, seed: s.dseed },
      split: s.split,
      hyper: this.hyper(),
    };
    this.send({ type: 'configure', config });
    this.schedule();
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.ready = m;
        break;
      case 'progress':
        this.last = m;
        this.running = m.running;
        this.chart.append(m.epoch, m.trainLoss, m.testLoss);
        break;
      case 'state':
        this.running = m.running;
        break;
      case 'error':
        if (m.field === 'data') this.data.showError(m.message);
        else if (m.field === 'network') this.bar.networkError.textContent = m.message;
        else this.showTrainError(m.message);
        this.running = false;
        break;
      case 'model':
        downloadText(m.text, `${this.state?.data ?? 'trained'}-model.json`);
        return;
    }
    this.schedule();
  }

  /** Draws at the next animation frame (once, however many results arrived), or when the view is shown again. */
  private schedule(): void {
    if (!this.visible) {
      this.dirty = true;
      return;
    }
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /**
   * One animation frame's drawing. New results mark the parts to draw — the neurons' maps (off screen), the
   * diagram (its edges and those maps, on one canvas), the output map with the curves — and each frame draws one.
   */
  private draw(): void {
    if (!this.visible) {
      this.dirty = true;
      return;
    }
    if (this.dirty || this.drawn !== this.last) {
      this.dirty = false;
      this.drawn = this.last;
      // the diagram at most five times a second while training (its canvas is the largest thing to hand over)
      const now = performance.now();
      const diagram = !this.running || now - this.diagramAt > 200;
      if (diagram) this.diagramAt = now;
      this.parts = diagram ? ['maps', 'diagram', 'heat'] : ['heat'];
    }
    this.renderStatus();
    const part = this.parts.shift();
    if (part === 'maps') this.paintMaps();
    else if (part === 'diagram') this.renderDiagram();
    else {
      this.drawHeat();
      this.chart.draw();
    }
    if (this.parts.length > 0) this.schedule();
  }

  private showTrainError(message: string | undefined): void {
    this.bar.trainError.textContent = message ?? '';
  }

  /** Why this network cannot learn this data, next to the Train button (limits.ts). */
  private renderLimits(s: Readonly<State>): void {
    const hidden = parseHidden(s.th);
    const features = parseFeatures(s.feat);
    const lines = hidden.ok && features.ok && s.data !== 'csv' ? cannotLearn({ features: features.value, hidden: hidden.value, act: s.ta, biases: s.tb }, s.data) : [];
    const els: HTMLElement[] = lines.map((t) => Object.assign(document.createElement('p'), { textContent: t }));
    if (!s.tb && lines.length > 0) {
      const fix = button('switch on biases', () => this.actions.update({ tb: true }), 'button small');
      fix.id = 'train-affine';
      els.push(fix);
    }
    this.bar.why.replaceChildren(...els);
    this.bar.why.hidden = els.length === 0;
  }

  private changeLayers(delta: number): void {
    const s = this.state;
    const h = s && parseHidden(s.th);
    if (!h || !h.ok) return;
    const next = delta > 0 ? [...h.value, h.value[h.value.length - 1] ?? 4] : h.value.slice(0, -1);
    if (next.length > MAX_LAYERS - 1) return;
    this.actions.update({ th: next.join(', ') });
  }

  private changeNeurons(layer: number, delta: number): void {
    const s = this.state;
    const h = s && parseHidden(s.th);
    if (!h || !h.ok) return;
    const next = h.value.map((w, j) => (j === layer ? Math.max(1, Math.min(MAX_WIDTH, w + delta)) : w));
    this.actions.update({ th: next.join(', ') });
  }

  private renderStatus(): void {
    const b = this.bar;
    setText(b.play, this.running ? '❚❚ Pause' : '▶ Train');
    b.play.classList.toggle('running', this.running);
    const p = this.last;
    setText(b.epoch, `epoch ${p?.epoch ?? 0}`);
    b.epoch.dataset.value = String(p?.epoch ?? 0);
    const r = this.ready;
    if (p?.testAccuracy !== undefined && p.trainAccuracy !== undefined) {
      setText(this.accuracy, `accuracy: test ${(100 * p.testAccuracy).toFixed(1)} %, training ${(100 * p.trainAccuracy).toFixed(1)} %`);
      this.accuracy.dataset.test = String(p.testAccuracy);
    } else {
      this.accuracy.textContent = r?.task === 'regression' ? 'regression: the loss is the mean squared error' : '';
      delete this.accuracy.dataset.test;
    }
    const h = this.state ? parseHidden(this.state.th) : undefined;
    setText(this.layerCount, h?.ok ? `${h.value.length} hidden layer${h.value.length === 1 ? '' : 's'}` : '');
    const line = (label: string, text: string) => {
      const el = document.createElement('p');
      el.append(Object.assign(document.createElement('b'), { textContent: `${label}: ` }), text);
      return el;
    };
    // the lines about the data, the loss and the kernels change only with a new session
    if (this.statusOf === r) return;
    this.statusOf = r;
    const lines: HTMLElement[] = [];
    if (r) lines.push(line('Data', `${r.summary}.`), line('Loss', `${r.loss}, because ${r.lossWhy}.`), line('Kernels', `${r.kernels}, in a Web Worker.`));
    this.status.replaceChildren(...lines);
    this.status.dataset.kernels = r?.kernels ?? '';
  }

  /** The diagram fits the network column: as wide as it is, as tall as the screen leaves (at least 260 px). */
  private diagramSize(maxN: number): { width: number; height: number } {
    // measured once per session, screen size and type size (measuring forces a layout: not in every frame)
    const key = JSON.stringify([this.resizes, maxN, this.state?.big, this.ready?.widths]);
    if (this.sized?.key === key) return this.sized.size;
    const size = this.measure(maxN);
    this.sized = { key, size };
    return size;
  }

  private measure(maxN: number): { width: number; height: number } {
    const width = Math.max(300, Math.round(this.netBox.clientWidth || 600));
    const top = this.netBox.getBoundingClientRect().top + window.scrollY;
    const wide = window.innerWidth > 900;
    const room = wide ? window.innerHeight - top - 48 : 64 + maxN * 40;
    return { width, height: Math.round(Math.max(260, Math.min(wide ? 700 : 640, room))) };
  }

  private renderDiagram(): void {
    const r = this.ready;
    const p = this.last;
    const h = this.state ? parseHidden(this.state.th) : undefined;
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
    this.draws++;
    const n = [W[0]!.cols, ...W.map((M) => M.rows)];
    const size = this.diagramSize(Math.max(...n));
    this.net.update({
      n,
      W,
      acts: r.acts,
      affine: r.affine,
      inputs: r.inputs,
      maps: r.grid !== undefined,
      size,
      // the edges' data-value attributes (what a test or a tooltip reads): every fourth drawing while training
      values: !this.running || this.draws % 4 === 0,
      onNeuronHover: (i, j, at) => {
        this.zoom = at ? `${i}:${j}` : undefined;
        this.drawHeat();
      },
      onEdgeClick: (i, row, c, at) => this.editWeight(i, row, c, W[i - 1]!.get(row, c), at),
      caption: 'Each square: that neuron’s output over the input plane (orange −, blue +). Hover a neuron for its map large; click an edge to change its weight.',
    });
    if (this.net.rebuilt) this.paintMaps();
    this.net.paint();
    // + and − over each hidden layer, where its column is
    const k = n.length - 1;
    if (h?.ok && h.value.length === k - 1) {
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
  private paintMaps(): void {
    const r = this.ready;
    const p = this.last;
    if (!r?.grid || !p) return;
    const G = r.grid.size;
    const k = r.widths.length - 1;
    const disc = this.state?.disc ?? false;
    for (const [key, values] of Object.entries(p.neurons)) {
      const canvas = this.net.mapCanvas(key);
      if (!canvas) continue;
      const i = Number(key.split(':')[0]);
      if (i === k && r.widths[k] === 1) paintOutputMap(canvas, G, p.output, disc);
      else if (i === 0) {
        let m = 0;
        for (const v of values) m = Math.max(m, Math.abs(v));
        paintNeuron(canvas, values, G, m || 1);
      } else paintNeuron(canvas, values, G);
    }
  }

  private drawHeat(): void {
    const r = this.ready;
    const p = this.last;
    const s = this.state;
    if (!r || !r.grid || !s) {
      this.heatNote.textContent = r ? 'The output map needs data with two features; the loss curves still show the training.' : '';
      this.heatTitle.textContent = '';
      return;
    }
    if (this.points?.of !== r) this.points = { of: r, points: r.points ? { xy: r.points, labels: r.labels, targets: r.targets, scale: r.scale, isTrain: r.isTrain } : undefined };
    const points = this.points.points;
    const zoomed = this.zoom && p?.neurons[this.zoom];
    if (zoomed && p) {
      const [i, j] = this.zoom!.split(':').map(Number) as [number, number];
      const k = r.widths.length - 1;
      const values = p.neurons[this.zoom!]!;
      const out = i === k && r.widths[k] === 1;
      let m = 1;
      if (i === 0) {
        m = 0;
        for (const v of values) m = Math.max(m, Math.abs(v));
      }
      this.heatTitle.textContent = out ? 'the output neuron (the map below)' : i === 0 ? `input ${r.inputs[j]}, scaled to ±${Math.round(m * 100) / 100}` : `neuron ${j + 1} of layer ${i}: Σ${i} over the input plane`;
      const map = out ? p.output : ({ kind: 'regression', f: values, scale: m || 1 } as const);
      this.heat.update(r.grid, map, points, s.test, false);
      return;
    }
    this.heatTitle.textContent = 'the network’s output f over the input plane';
    this.heatNote.textContent = outputCaption(p?.output.kind ?? 'none', r.classes, r.scale, s.disc);
    this.heat.update(r.grid, p?.output ?? { kind: 'none' }, points, s.test, s.disc);
  }

  /** Click on an edge: type a new weight; the training goes on from it. */
  private editWeight(i: number, r: number, c: number, value: number, at: DOMRect): void {
    const field = input({ type: 'number', id: 'edge-weight', step: '0.1' });
    field.value = String(Math.round(value * 1000) / 1000);
    field.setAttribute('aria-label', `W_${i}[${r + 1}, ${c + 1}]`);
    const apply = () => {
      const v = Number(field.value);
      if (field.value.trim() === '' || !Number.isFinite(v)) {
        field.classList.add('invalid');
        return;
      }
      this.send({ type: 'setWeight', i, r, c, value: v });
      this.popover.hide();
    };
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') apply();
    });
    const title = Object.assign(document.createElement('div'), { className: 'popover-title', textContent: `weight W${i}[${r + 1}, ${c + 1}] (from neuron ${c + 1} of layer ${i - 1} to neuron ${r + 1} of layer ${i})` });
    this.popover.show(at, title, field, button('set', apply, 'button small'));
  }

  private async readCsv(f: File): Promise<void> {
    let text: string;
    try {
      text = await f.text();
    } catch (e) {
      this.data.showError(`cannot read ${f.name}: ${(e as Error).message}`);
      return;
    }
    this.csv = { name: f.name, text };
    if (this.state?.data === 'csv') this.configure();
    else this.actions.update({ data: 'csv' });
  }

  /** The trained network in Forward & backward: its widths, σ, biases, every weight, and one training sample as X. */
  private inspectWeights(): void {
    const p = this.last;
    const r = this.ready;
    if (!p || !r) return;
    const edits = new Map<string, number>();
    p.W.forEach((rows, j) => {
      const i = j + 1;
      const genuine = r.affine && i < p.W.length ? rows.length - 1 : rows.length; // the formal row stays [0, …, 0, 1]
      for (let row = 0; row < genuine; row++) rows[row]!.forEach((v, c) => edits.set(`${i}.${row}.${c}`, v)); // float32 values, exactly
    });
    this.actions.inspect({
      widths: r.widths.join(', '),
      affine: r.affine,
      act: formatActs(r.acts),
      w: formatEdits(edits),
      x: r.sample.map((v) => Number(v.toPrecision(4))).join(', '),
      v: '',
      step: 0,
    });
  }

  /** Draws what arrived while the view was hidden (called when it is shown). */
  shown(): void {
    if (this.dirty) this.schedule();
  }
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function fill(sel: HTMLSelectElement, options: readonly (string | [string, string])[], value: string): void {
  const key = JSON.stringify(options);
  if (sel.dataset.options !== key) {
    sel.dataset.options = key;
    sel.replaceChildren(...Array.from(select(options, '').children));
  }
  sel.value = value;
}
