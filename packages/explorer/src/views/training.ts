/**
 * The Training view (TensorFlow Playground's side of the explorer) on one screen: the control bar on top, then
 * the data and features | the network with a map per neuron | the output map and the loss curves. It lays the
 * panels out, keeps their controls as the state has them, and draws the run's results one part per frame.
 */
import type { CustomActivation } from '../custom-activation.js';
import { parseFeatures } from '../features.js';
import { cannotLearn } from '../limits.js';
import { formatActs, formatEdits, parseHidden } from '../model.js';
import type { Progress, Ready } from '../run/protocol.js';
import { classificationSets, regressionSets, type State } from '../state.js';
import { activationChoices } from './builder.js';
import { DataPanel, withValue } from './data-panel.js';
import { button, select } from './field.js';
import type { Popover } from './popover.js';
import { type TrainBar, trainBar } from './train-bar.js';
import { type RunView, setText, TrainNetworkPanel } from './train-network.js';
import { TrainOutputPanel } from './train-output.js';

export interface TrainingActions {
  update(patch: Partial<State>): void;
  /** Show the trained weights in the Forward & backward view. */
  inspect(): void;
  play(): void;
  step(): void;
  reset(): void;
  download(): void;
  setWeight(i: number, r: number, c: number, value: number): void;
  /** A CSV file the user chose or dropped. */
  csv(name: string, text: string): void;
  /** The window was resized (everything is drawn again). */
  resized(): void;
}

const LEARNING_RATES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const BATCHES = [1, 2, 5, 10, 20, 50, 100];
const RATES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];

export class TrainingView {
  readonly bar: TrainBar;
  private readonly data: DataPanel;
  private readonly network: TrainNetworkPanel;
  private readonly output: TrainOutputPanel;
  /** The results last drawn, the parts of them still to draw, and when the diagram was last drawn. */
  private drawn: Progress | undefined;
  private parts: ('maps' | 'diagram' | 'heat')[] = [];
  private diagramAt = 0;
  constructor(
    root: HTMLElement,
    private readonly actions: TrainingActions,
    popover: Popover,
    /** The run's results and the state, as they are now. */
    private readonly current: () => RunView,
  ) {
    this.bar = trainBar({
      update: actions.update,
      play: actions.play,
      step: actions.step,
      reset: () => {
        this.output.chart.reset();
        actions.reset();
      },
    });
    // a CSV file may be chosen in the data column or dropped anywhere on the view
    this.data = new DataPanel({ update: actions.update, readCsv: (f) => void this.readCsv(f) });
    root.addEventListener('dragover', (e) => e.preventDefault());
    root.addEventListener('drop', (e) => {
      e.preventDefault();
      const f = e.dataTransfer?.files[0];
      if (f) void this.readCsv(f);
    });
    this.network = new TrainNetworkPanel(
      {
        update: actions.update,
        hover: (key) => this.output.zoom(key, this.current()),
        setWeight: actions.setWeight,
      },
      popover,
    );
    this.output = new TrainOutputPanel({
      update: actions.update,
      download: actions.download,
      inspect: actions.inspect,
    });
    const grid = document.createElement('div');
    grid.className = 'train-grid';
    grid.append(this.data.root, this.network.root, this.output.root);
    // the view's heading for screen readers (its panels' headings are h3)
    const heading = Object.assign(document.createElement('h2'), { className: 'sr-only', textContent: 'Training' });
    root.append(heading, this.bar.root, grid);
    let resize = 0;
    window.addEventListener('resize', () => {
      clearTimeout(resize);
      resize = window.setTimeout(() => {
        this.network.resized();
        actions.resized();
      }, 100);
    });
  }

  /**
   * The controls as the state has them. False when the state named a data set of the other problem type: then
   * the first one of the chosen type is asked for instead, and nothing else is to be done with this state.
   */
  update(s: Readonly<State>, customs: readonly (CustomActivation | undefined)[]): boolean {
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
    this.network.update(s);
    this.output.update(s);
    this.data.update(s);
    this.renderLimits(s);
    const offered: readonly string[] = s.problem === 'classification' ? classificationSets : regressionSets;
    if (s.data !== 'csv' && !offered.includes(s.data)) {
      this.actions.update({ data: offered[0] as State['data'] });
      return false;
    }
    return true;
  }

  /** A new run: its curves start again. */
  started(): void {
    this.output.chart.reset();
  }

  /** Each progress message is a point of the loss curves (drawn with the next frame). */
  progress(p: Progress): void {
    this.output.chart.append(p.epoch, p.trainLoss, p.testLoss);
  }

  /** A message beside the field it is about; `undefined` clears every one. */
  showError(field: 'data' | 'network' | 'train' | undefined, message: string): void {
    if (field === undefined) {
      this.bar.trainError.textContent = '';
      this.data.showError(undefined);
      this.bar.networkError.replaceChildren();
    } else if (field === 'data') this.data.showError(message);
    else if (field === 'network') this.bar.networkError.textContent = message;
    else this.bar.trainError.textContent = message;
  }

  /**
   * One animation frame's drawing. New results (or `full`) mark the parts to draw — the neurons' maps, the
   * diagram (its edges and those maps, on one canvas), the output map with the curves — and each frame draws
   * one. True while parts are left.
   */
  draw(full: boolean): boolean {
    const v = this.current();
    if (full || this.drawn !== v.last) {
      this.drawn = v.last;
      // the diagram at most five times a second while training (its canvas is the largest thing to hand over)
      const now = performance.now();
      const diagram = !v.running || now - this.diagramAt > 200;
      if (diagram) this.diagramAt = now;
      this.parts = diagram ? ['maps', 'diagram', 'heat'] : ['heat'];
    }
    const b = this.bar;
    setText(b.play, v.running ? '❚❚ Pause' : '▶ Train');
    b.play.classList.toggle('running', v.running);
    setText(b.epoch, `epoch ${v.last?.epoch ?? 0}`);
    b.epoch.dataset.value = String(v.last?.epoch ?? 0);
    this.network.renderCount(v.state);
    this.output.renderStatus(v);
    const part = this.parts.shift();
    if (part === 'maps') this.network.paintMaps(v);
    else if (part === 'diagram') this.network.renderDiagram(v);
    else {
      this.output.drawHeat(v);
      this.output.chart.draw();
    }
    return this.parts.length > 0;
  }

  /** Why this network cannot learn this data, next to the Train button (limits.ts). */
  private renderLimits(s: Readonly<State>): void {
    const hidden = parseHidden(s.th);
    const features = parseFeatures(s.feat);
    const lines =
      hidden.ok && features.ok && s.data !== 'csv'
        ? cannotLearn({ features: features.value, hidden: hidden.value, act: s.ta, biases: s.tb }, s.data)
        : [];
    const els: HTMLElement[] = lines.map((t) => Object.assign(document.createElement('p'), { textContent: t }));
    if (!s.tb && lines.length > 0) {
      const fix = button('switch on biases', () => this.actions.update({ tb: true }), 'button small');
      fix.id = 'train-affine';
      els.push(fix);
    }
    this.bar.why.replaceChildren(...els);
    this.bar.why.hidden = els.length === 0;
  }

  private async readCsv(f: File): Promise<void> {
    let text: string;
    try {
      text = await f.text();
    } catch (e) {
      this.data.showError(`cannot read ${f.name}: ${(e as Error).message}`);
      return;
    }
    this.actions.csv(f.name, text);
  }
}

/** The trained network for Forward & backward: its widths, σ, biases, every weight, and one training sample as X. */
export function inspectPatch(r: Ready | undefined, p: Progress | undefined): Partial<State> | undefined {
  if (!p || !r) return undefined;
  const edits = new Map<string, number>();
  p.W.forEach((rows, j) => {
    const i = j + 1;
    const genuine = r.affine && i < p.W.length ? rows.length - 1 : rows.length; // the formal row stays [0, …, 0, 1]
    for (let row = 0; row < genuine; row++) rows[row]!.forEach((v, c) => edits.set(`${i}.${row}.${c}`, v)); // float32 values, exactly
  });
  return {
    widths: r.widths.join(', '),
    affine: r.affine,
    act: formatActs(r.acts),
    w: formatEdits(edits),
    x: r.sample.map((v) => Number(v.toPrecision(4))).join(', '),
    v: '',
    step: 0,
  };
}

function fill(sel: HTMLSelectElement, options: readonly (string | [string, string])[], value: string): void {
  const key = JSON.stringify(options);
  if (sel.dataset.options !== key) {
    sel.dataset.options = key;
    sel.replaceChildren(...Array.from(select(options, '').children));
  }
  sel.value = value;
}
