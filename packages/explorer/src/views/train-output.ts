/**
 * The Training view's output column: the loss curves, the accuracy, the output map with the data (or, while the
 * pointer is on a neuron, that neuron's map large), what its colours mean, its switches, the download and
 * "show these weights" buttons, and the status lines (data, loss, kernels). It draws the run's results it is given.
 */

import type { Ready } from '../run/protocol.js';
import type { State } from '../state.js';
import { button, input } from './field.js';
import { HeatMap, outputCaption, type Points } from './heatmap.js';
import { LossChart } from './loss-chart.js';
import type { RunView } from './train-network.js';
import { setText } from './train-network.js';

export interface TrainOutputActions {
  update(patch: Partial<State>): void;
  download(): void;
  inspect(): void;
}

export class TrainOutputPanel {
  readonly root: HTMLElement;
  readonly chart: LossChart;
  private readonly heat: HeatMap;
  private readonly heatTitle: HTMLElement;
  private readonly heatNote: HTMLElement;
  private readonly accuracy: HTMLElement;
  private readonly status: HTMLElement;
  private readonly showTest: HTMLInputElement;
  private readonly discrete: HTMLInputElement;
  /** The data points of the run last drawn, and the run whose status lines are shown. */
  private points: { of: Ready; points: Points | undefined } | undefined;
  private statusOf: Ready | undefined | null = null;
  /** The neuron whose map the big map shows while the pointer is on it. */
  private zoomed: string | undefined;

  constructor(actions: TrainOutputActions) {
    const out = document.createElement('div');
    this.root = out;
    out.className = 'panel train-output';
    out.append(Object.assign(document.createElement('h3'), { textContent: 'Output' }));
    this.chart = new LossChart(out);
    this.accuracy = Object.assign(document.createElement('div'), { className: 'train-accuracy', id: 'train-accuracy' });
    out.append(this.accuracy);
    this.heatTitle = Object.assign(document.createElement('div'), { className: 'heat-title', id: 'heat-title' });
    const mapBox = document.createElement('div');
    mapBox.className = 'train-map';
    this.heat = new HeatMap(mapBox, 420); // sharp up to the projector's column (about 450 px)
    this.heatNote = Object.assign(document.createElement('div'), {
      className: 'hint heat-caption',
      id: 'heat-caption',
    });
    this.showTest = input({ type: 'checkbox', id: 'show-test' });
    this.showTest.addEventListener('change', () => actions.update({ test: this.showTest.checked }));
    this.discrete = input({ type: 'checkbox', id: 'discretize' });
    this.discrete.addEventListener('change', () => actions.update({ disc: this.discrete.checked }));
    const toggles = document.createElement('div');
    toggles.className = 'inline toggles';
    for (const [box, text] of [
      [this.showTest, 'show the test data (dark rings)'],
      [this.discrete, 'discretize output'],
    ] as const) {
      const row = document.createElement('label');
      row.className = 'switch';
      row.append(box, Object.assign(document.createElement('span'), { textContent: text }));
      toggles.append(row);
    }
    this.status = Object.assign(document.createElement('div'), { className: 'train-status', id: 'train-status' });
    const save = button('download the trained model', () => actions.download(), 'button small');
    save.id = 'download-trained';
    const inspect = button('show these weights in Forward & backward', () => actions.inspect(), 'button small');
    inspect.id = 'inspect-trained';
    const more = document.createElement('div');
    more.className = 'inline';
    more.append(save, inspect);
    out.append(this.heatTitle, mapBox, this.heatNote, toggles, more, this.status);
  }

  /** The switches as the state has them. */
  update(s: Readonly<State>): void {
    this.showTest.checked = s.test;
    this.discrete.checked = s.disc;
  }

  /** The big map shows neuron "i:j" (undefined: the output again). */
  zoom(key: string | undefined, v: RunView): void {
    this.zoomed = key;
    this.drawHeat(v);
  }

  /** The accuracy line, and the status lines about the data, the loss and the kernels (new with each run). */
  renderStatus(v: RunView): void {
    const { ready: r, last: p } = v;
    if (p?.testAccuracy !== undefined && p.trainAccuracy !== undefined) {
      setText(
        this.accuracy,
        `accuracy: test ${(100 * p.testAccuracy).toFixed(1)} %, training ${(100 * p.trainAccuracy).toFixed(1)} %`,
      );
      this.accuracy.dataset.test = String(p.testAccuracy);
    } else {
      this.accuracy.textContent = r?.task === 'regression' ? 'regression: the loss is the mean squared error' : '';
      delete this.accuracy.dataset.test;
    }
    const line = (label: string, text: string) => {
      const el = document.createElement('p');
      el.append(Object.assign(document.createElement('b'), { textContent: `${label}: ` }), text);
      return el;
    };
    if (this.statusOf === r) return;
    this.statusOf = r;
    const lines: HTMLElement[] = [];
    if (r)
      lines.push(
        line('Data', `${r.summary}.`),
        line('Loss', `${r.loss}, because ${r.lossWhy}.`),
        line('Kernels', `${r.kernels}, in a Web Worker.`),
      );
    this.status.replaceChildren(...lines);
    this.status.dataset.kernels = r?.kernels ?? '';
  }

  /** The output map (or the zoomed neuron's) with the data points, and its title and caption. */
  drawHeat(v: RunView): void {
    const { ready: r, last: p, state: s } = v;
    if (!r?.grid) {
      this.heatNote.textContent = r
        ? 'The output map needs data with two features; the loss curves still show the training.'
        : '';
      this.heatTitle.textContent = '';
      return;
    }
    if (this.points?.of !== r)
      this.points = {
        of: r,
        points: r.points
          ? { xy: r.points, labels: r.labels, targets: r.targets, scale: r.scale, isTrain: r.isTrain }
          : undefined,
      };
    const points = this.points.points;
    const zoomed = this.zoomed && p?.neurons[this.zoomed];
    if (zoomed && p) {
      const [i, j] = this.zoomed!.split(':').map(Number) as [number, number];
      const k = r.widths.length - 1;
      const values = p.neurons[this.zoomed!]!;
      const out = i === k && r.widths[k] === 1;
      let m = 1;
      if (i === 0) {
        m = 0;
        for (const x of values) m = Math.max(m, Math.abs(x));
      }
      this.heatTitle.textContent = out
        ? 'the output neuron (the map below)'
        : i === 0
          ? `input ${r.inputs[j]}, scaled to ±${Math.round(m * 100) / 100}`
          : `neuron ${j + 1} of layer ${i}: Σ${i} over the input plane`;
      const map = out ? p.output : ({ kind: 'regression', f: values, scale: m || 1 } as const);
      this.heat.update(r.grid, map, points, s.test, false);
      return;
    }
    this.heatTitle.textContent = 'the network’s output f over the input plane';
    this.heatNote.textContent = outputCaption(p?.output.kind ?? 'none', r.classes, r.scale, s.disc);
    this.heat.update(r.grid, p?.output ?? { kind: 'none' }, points, s.test, s.disc);
  }
}
