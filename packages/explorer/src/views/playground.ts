/**
 * The training playground (TensorFlow Playground's side of the explorer): the 2-D teaching sets or the user's
 * CSV file, play / pause / step / reset, learning rate, batch size, optimizer and L2, the decision map, the loss
 * curves and a map per neuron (drawn in the diagram). The network is the one built on the left; the training
 * itself runs in a Web Worker (worker.ts) on the library's `fit`, so the page never waits for it.
 */
import { fromRows, type Matrix } from 'nabla';
import { formatEdits } from '../model.js';
import type { FromWorker, Hyper, Progress, Ready, ToWorker, TrainConfig } from '../protocol.js';
import type { State } from '../state.js';
import { DataPanel, withValue } from './data-panel.js';
import { button, downloadText, input, select } from './field.js';
import { trainBar } from './train-bar.js';
import { HeatMap, neuronImage } from './heatmap.js';
import { LossChart } from './loss-chart.js';

export interface PlaygroundActions {
  update(patch: Partial<State>): void;
  /** New output maps arrived: redraw the diagram. */
  onMaps(): void;
  /** Show these weights in the other tabs. */
  inspect(patch: Partial<State>): void;
}

const LEARNING_RATES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const BATCHES = [1, 2, 5, 10, 20, 50, 100];
const L2 = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1];
const configKeys: ReadonlySet<keyof State> = new Set(['widths', 'act', 'custom', 'seed', 'init', 'affine', 'w', 'data', 'noise', 'count', 'split']);
const hyperKeys: ReadonlySet<keyof State> = new Set(['lr', 'batch', 'opt', 'l2']);


export class Playground {
  private worker: Worker | undefined;
  private running = false;
  private ready: Ready | undefined;
  private last: Progress | undefined;
  private thumbs = new Map<string, string>();
  private csv: { name: string; text: string } | undefined;
  private state: Readonly<State> | undefined;
  private showTest = true;

  private readonly play: HTMLButtonElement;
  private readonly epoch: HTMLElement;
  private readonly status: HTMLElement;
  private readonly data: DataPanel;
  private readonly networkError: HTMLElement;
  private readonly trainError: HTMLElement;
  private readonly heat: HeatMap;
  private readonly chart: LossChart;
  private readonly lr: HTMLSelectElement;
  private readonly batch: HTMLSelectElement;
  private readonly opt: HTMLSelectElement;
  private readonly l2: HTMLSelectElement;
  private readonly heatNote: HTMLElement;

  constructor(root: HTMLElement, private readonly actions: PlaygroundActions) {
    const bar = trainBar({
      update: actions.update,
      play: () => this.send({ type: this.running ? 'pause' : 'play' }),
      step: () => this.send({ type: 'step' }),
      reset: () => {
        this.chart.reset();
        this.send({ type: 'reset' });
      },
    });
    ({ play: this.play, epoch: this.epoch, lr: this.lr, batch: this.batch, opt: this.opt, l2: this.l2, status: this.status, networkError: this.networkError, trainError: this.trainError } = bar);

    // data column (data-panel.ts); a CSV file may also be dropped anywhere on the tab
    this.data = new DataPanel({ update: actions.update, readCsv: (f) => void this.readCsv(f) });
    root.addEventListener('dragover', (e) => e.preventDefault());
    root.addEventListener('drop', (e) => {
      e.preventDefault();
      const f = e.dataTransfer?.files[0];
      if (f) void this.readCsv(f);
    });

    // output column
    const out = document.createElement('div');
    out.className = 'panel train-output';
    out.append(Object.assign(document.createElement('h3'), { textContent: 'Output' }));
    const mapCol = document.createElement('div');
    mapCol.className = 'train-map';
    const side = document.createElement('div');
    side.className = 'train-side';
    const outCols = document.createElement('div');
    outCols.className = 'train-output-cols';
    outCols.append(mapCol, side);
    out.append(outCols);
    this.heat = new HeatMap(mapCol, 380);
    this.heatNote = Object.assign(document.createElement('div'), { className: 'hint' });
    const testToggle = input({ type: 'checkbox', checked: true, id: 'show-test' });
    testToggle.addEventListener('change', () => {
      this.showTest = testToggle.checked;
      this.drawHeat();
    });
    const toggleRow = document.createElement('label');
    toggleRow.className = 'switch';
    toggleRow.append(testToggle, Object.assign(document.createElement('span'), { textContent: 'show the test data (dark rings)' }));
    this.chart = new LossChart(side);
    const save = button('download the trained model', () => this.send({ type: 'export' }), 'button small');
    save.id = 'download-trained';
    const inspect = button('show these weights in Forward & backward', () => this.inspectWeights(), 'button small');
    inspect.id = 'inspect-trained';
    mapCol.append(this.heatNote, toggleRow);
    side.append(save, inspect, this.status);

    const cols = document.createElement('div');
    cols.className = 'train-cols';
    cols.append(this.data.root, out);
    root.append(bar.root, cols);
  }

  /** Called on every render: starts the worker on the first visit and passes on what changed. */
  update(s: Readonly<State>, changed: ReadonlySet<keyof State> | 'all'): void {
    this.state = s;
    this.lr.replaceChildren(...Array.from(select(withValue(LEARNING_RATES, s.lr), '').children));
    this.lr.value = String(s.lr);
    this.batch.replaceChildren(...Array.from(select(withValue(BATCHES, s.batch), '').children));
    this.batch.value = String(s.batch);
    this.opt.value = s.opt;
    this.l2.replaceChildren(...Array.from(select(withValue(L2, s.l2), '').children));
    this.l2.value = String(s.l2);
    this.data.update(s);
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
  }

  /** The trained network for the diagram: widths, weights and one map per neuron. */
  diagram(): { n: number[]; W: Matrix[]; thumbnails: ReadonlyMap<string, string> } | undefined {
    const p = this.last;
    if (!p || !this.ready) return undefined;
    const W = p.W.map((rows, j) => fromRows(rows, `W_${j + 1}`));
    const n = [W[0]!.cols, ...W.map((M) => M.rows)];
    return { n, W, thumbnails: this.thumbs };
  }

  private hyper(): Hyper {
    const s = this.state!;
    return { lr: s.lr, batch: s.batch, opt: s.opt, l2: s.l2 };
  }

  private configure(): void {
    const s = this.state;
    if (!s) return;
    this.running = false;
    this.ready = undefined;
    this.last = undefined;
    this.thumbs = new Map();
    this.chart.reset();
    this.showTrainError(undefined);
    this.data.showError(undefined);
    this.networkError.replaceChildren();
    if (s.data === 'csv' && !this.csv) {
      this.data.showError('choose or drop a CSV file (files are not part of the link; the other data sets are)');
      this.renderStatus();
      return;
    }
    const config: TrainConfig = {
      network: { widths: s.widths, act: s.act, affine: s.affine, seed: s.seed, init: s.init, w: s.w, custom: [...s.custom] },
      data: s.data === 'csv' ? { kind: 'csv', name: this.csv!.name, text: this.csv!.text } : { kind: 'synthetic', name: s.data, noise: s.noise, count: s.count },
      split: s.split,
      hyper: this.hyper(),
    };
    this.send({ type: 'configure', config });
    this.renderStatus();
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.ready = m;
        this.renderStatus();
        break;
      case 'progress':
        this.last = m;
        this.running = m.running;
        if (this.ready?.grid) {
          const G = this.ready.grid.size;
          this.thumbs = new Map(Object.entries(m.neurons).map(([key, v]) => [key, neuronImage(v, G)]));
        }
        this.chart.append(m.epoch, m.trainLoss, m.testLoss);
        this.drawHeat();
        this.renderStatus();
        this.actions.onMaps();
        break;
      case 'state':
        this.running = m.running;
        this.renderStatus();
        break;
      case 'error':
        if (m.field === 'data') this.data.showError(m.message);
        else if (m.field === 'network') this.showNetworkError(m.message, m.fix?.widths);
        else this.showTrainError(m.message);
        this.running = false;
        this.renderStatus();
        break;
      case 'model':
        downloadText(m.text, `${this.state?.data ?? 'trained'}-model.json`);
        break;
    }
  }

  private showNetworkError(message: string, widths: string | undefined): void {
    this.networkError.replaceChildren(Object.assign(document.createElement('span'), { textContent: message }));
    if (widths) this.networkError.append(button(`use widths ${widths}`, () => this.actions.update({ widths }), 'button small'));
  }

  private showTrainError(message: string | undefined): void {
    this.trainError.textContent = message ?? '';
  }

  private renderStatus(): void {
    this.play.textContent = this.running ? '❚❚ Pause' : '▶ Train';
    this.play.classList.toggle('running', this.running);
    const p = this.last;
    this.epoch.textContent = `epoch ${p?.epoch ?? 0}`;
    this.epoch.dataset.value = String(p?.epoch ?? 0);
    const r = this.ready;
    const s = this.state;
    const line = (label: string, text: string) => {
      const p = document.createElement('p');
      p.append(Object.assign(document.createElement('b'), { textContent: `${label}: ` }), text);
      return p;
    };
    const lines: HTMLElement[] = [];
    if (r) {
      lines.push(line('Data', `${r.summary}.`), line('Loss', `${r.loss}, because ${r.lossWhy}.`), line('Kernels', `${r.kernels}, in a Web Worker (the page never waits for training).`));
      if (p?.trainAccuracy !== undefined) lines.push(line('Accuracy', `training ${(100 * p.trainAccuracy).toFixed(1)} %, test ${(100 * (p.testAccuracy ?? 0)).toFixed(1)} %.`));
    }
    if (s && !s.affine) {
      const note = line('Note', 'this network is homogeneous (paper §2): no neuron has a bias, so it cannot, for example, learn xor with odd activations. ');
      const fix = button('switch on affine (§3)', () => this.actions.update({ affine: true, w: '' }), 'button small');
      fix.id = 'train-affine';
      note.append(fix);
      lines.push(note);
    }
    this.status.replaceChildren(...lines);
    this.status.dataset.kernels = r?.kernels ?? '';
  }

  private drawHeat(): void {
    const r = this.ready;
    const p = this.last;
    if (!r || !r.grid) {
      this.heatNote.textContent = r ? 'The decision map needs data with two features; the loss curves still show the training.' : '';
      return;
    }
    this.heatNote.textContent =
      r.classes > 2 ? 'Colour: the predicted class, paler where the network is unsure.' : 'Colour: the network’s output, orange for class 0, blue for class 1, white at ½.';
    const points = r.points ? { xy: r.points, labels: r.labels, isTrain: r.isTrain } : undefined;
    this.heat.update(r.grid, p?.output ?? { kind: 'none' }, points, this.showTest);
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

  private inspectWeights(): void {
    const p = this.last;
    const affine = this.ready?.affine ?? false;
    if (!p) return;
    const edits = new Map<string, number>();
    p.W.forEach((rows, j) => {
      const i = j + 1;
      const genuine = affine && i < p.W.length ? rows.length - 1 : rows.length; // the formal row stays [0, …, 0, 1]
      for (let r = 0; r < genuine; r++) rows[r]!.forEach((v, c) => edits.set(`${i}.${r}.${c}`, v)); // float32 values, exactly
    });
    this.actions.inspect({ w: formatEdits(edits) });
  }
}
