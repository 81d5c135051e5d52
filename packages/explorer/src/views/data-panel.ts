/**
 * The data column of the training view: the teaching sets of the chosen problem (each button shows a small
 * picture of its points) or the user's CSV file, the noise, the share used for training, the number of samples,
 * Regenerate (new seeded points), and the input features chosen by clicking (they become the rows of Σ_0 = X).
 */
import { makeRegressionSynthetic, makeSynthetic } from 'nabla/train';
import { featureLabels, featureNames, parseFeatures, toggleFeature } from '../features.js';
import { classificationSets, regressionSets, type State } from '../state.js';
import { button, type FieldParts, field, filePicker, input, select, setError } from './field.js';
import { CLASS_COLORS, diverging } from './heatmap.js';

export interface DataPanelActions {
  update(patch: Partial<State>): void;
  readCsv(file: File): void;
}

const COUNTS = [100, 200, 300, 500, 1000];

/** Options for a select of numbers, with `v` added when it is not one of them (a value from the link). */
export function withValue(list: readonly number[], v: number): [string, string][] {
  const all = list.includes(v) ? list : [...list, v].sort((a, b) => a - b);
  return all.map((x) => [String(x), String(x)]);
}

export class DataPanel {
  readonly root: HTMLElement;
  private readonly csvField: FieldParts;
  private readonly noise: HTMLInputElement;
  private readonly split: HTMLInputElement;
  private readonly count: HTMLSelectElement;
  private readonly noiseLabel: HTMLElement;
  private readonly splitLabel: HTMLElement;
  private readonly regenerate: HTMLButtonElement;
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private readonly features = new Map<string, HTMLButtonElement>();
  private readonly featureNote: HTMLElement;
  private state: Readonly<State> | undefined;

  constructor(actions: DataPanelActions) {
    this.root = document.createElement('div');
    this.root.className = 'panel train-data';
    this.root.append(Object.assign(document.createElement('h3'), { textContent: 'Data' }));
    const sets = document.createElement('div');
    sets.className = 'datasets';
    for (const name of [...classificationSets, ...regressionSets, 'csv'] as const) {
      const b = button('', () => actions.update({ data: name }), 'dataset');
      b.dataset.dataset = name;
      b.title = name === 'csv' ? 'your own CSV file' : name;
      b.setAttribute('aria-label', `data set: ${name === 'csv' ? 'CSV, your CSV file' : name}`);
      if (name === 'csv')
        // the space keeps "CSV" and "your CSV" two words for the accessible name (a flex box does not show it)
        b.append(Object.assign(document.createElement('span'), { className: 'csv-icon', textContent: 'CSV' }), ' ');
      else b.append(datasetIcon(name));
      b.append(Object.assign(document.createElement('span'), { textContent: name === 'csv' ? 'your CSV' : name }));
      this.buttons.set(name, b);
      sets.append(b);
    }
    const file = filePicker('.csv,text/csv', 'csv-file', (f) => actions.readCsv(f));
    this.csvField = field('data', 'CSV file (header row, the last column is the target); or drop it here', file);
    this.noise = input({ type: 'range', min: '0', max: '2', step: '0.1', id: 'noise' });
    this.noise.addEventListener('change', () => actions.update({ noise: Number(this.noise.value) }));
    this.split = input({ type: 'range', min: '10', max: '90', step: '10', id: 'split' });
    this.split.addEventListener('change', () => actions.update({ split: Number(this.split.value) / 100 }));
    this.count = select([], '');
    this.count.id = 'count';
    this.count.setAttribute('aria-label', 'number of samples');
    this.count.addEventListener('change', () => actions.update({ count: Number(this.count.value) }));
    const noiseField = field('noise', 'noise', this.noise);
    const splitField = field('split', 'training share', this.split);
    this.noiseLabel = noiseField.row.querySelector('span')!;
    this.splitLabel = splitField.row.querySelector('span')!;
    this.regenerate = button(
      'Regenerate',
      () => this.state && actions.update({ dseed: this.state.dseed + 1 }),
      'button small',
    );
    this.regenerate.id = 'regenerate';
    this.regenerate.title = 'new points for this data set (another seed)';
    this.regenerate.setAttribute('aria-label', 'Regenerate the samples (another seed)');
    const countRow = document.createElement('div');
    countRow.className = 'inline';
    countRow.append(this.count, this.regenerate);

    const feats = document.createElement('div');
    feats.className = 'features';
    feats.id = 'features';
    for (const f of featureNames) {
      const b = button(
        featureLabels[f],
        () => this.state && actions.update({ feat: toggleFeature(this.state.feat, f) }),
        'button small feature',
      );
      b.dataset.feature = f;
      b.setAttribute('aria-label', `feature ${featureLabels[f]}`);
      this.features.set(f, b);
      feats.append(b);
    }
    this.featureNote = Object.assign(document.createElement('div'), { className: 'field-hint' });
    this.root.append(
      sets,
      this.csvField.row,
      noiseField.row,
      splitField.row,
      field('count', 'samples', countRow).row,
      Object.assign(document.createElement('h3'), {
        innerHTML: 'Features <span class="muted">(rows of Σ<sub>0</sub> = <i>X</i>)</span>',
      }),
      feats,
      this.featureNote,
    );
  }

  update(s: Readonly<State>): void {
    this.state = s;
    this.count.replaceChildren(...Array.from(select(withValue(COUNTS, s.count), '').children));
    this.count.value = String(s.count);
    this.noise.value = String(s.noise);
    this.split.value = String(Math.round(s.split * 100));
    this.noiseLabel.textContent = `noise: ${s.noise}`;
    this.splitLabel.textContent = `training share: ${Math.round(s.split * 100)} %`;
    const offered = new Set<string>([...(s.problem === 'classification' ? classificationSets : regressionSets), 'csv']);
    for (const [name, b] of this.buttons) {
      b.classList.toggle('active', name === s.data);
      b.setAttribute('aria-pressed', String(name === s.data));
      b.hidden = !offered.has(name);
    }
    const synthetic = s.data !== 'csv';
    this.noise.disabled = !synthetic;
    this.count.disabled = !synthetic;
    this.regenerate.disabled = !synthetic;
    this.csvField.row.hidden = synthetic;
    const chosen = parseFeatures(s.feat);
    for (const [f, b] of this.features) {
      const on = chosen.ok && (chosen.value as string[]).includes(f);
      b.classList.toggle('active', on);
      b.setAttribute('aria-pressed', String(on));
      b.disabled = !synthetic;
    }
    this.featureNote.textContent = synthetic
      ? 'click to add or remove a feature'
      : 'a CSV file’s columns are the features';
  }

  /** A message under the CSV field (undefined clears it). */
  showError(message: string | undefined): void {
    setError(this.csvField, message);
    if (message) this.csvField.row.hidden = false;
  }
}

/** A small picture of a synthetic data set for its button. */
function datasetIcon(name: Exclude<State['data'], 'csv'>): HTMLCanvasElement {
  const c = Object.assign(document.createElement('canvas'), { width: 40, height: 40 });
  const ctx = c.getContext('2d')!;
  const regression = (regressionSets as readonly string[]).includes(name);
  const ds = regression
    ? makeRegressionSynthetic(name, { count: 260, seed: 3 })
    : makeSynthetic(name, { count: 160, seed: 3 });
  ctx.fillStyle = '#fafafa';
  ctx.fillRect(0, 0, 40, 40);
  for (let s = 0; s < ds.count; s++) {
    if (regression) {
      const [r, g, b] = diverging(ds.targets![s]!);
      ctx.fillStyle = `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
    } else ctx.fillStyle = CLASS_COLORS[ds.labels![s]!]!;
    ctx.fillRect(20 + ds.x[2 * s]! * 3.2 - 1, 20 - ds.x[2 * s + 1]! * 3.2 - 1, 2.2, 2.2);
  }
  return c;
}
