/**
 * The data column of the training tab: the five 2-D teaching sets (each button shows a small picture of its
 * points) or the user's CSV file, the noise, the share used for training and the number of samples.
 */
import { makeSynthetic } from 'nabla/train';
import { datasets, type State } from '../state.js';
import { button, field, filePicker, input, select, setError, type FieldParts } from './field.js';
import { CLASS_COLORS } from './heatmap.js';

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
  private readonly buttons = new Map<string, HTMLButtonElement>();

  constructor(actions: DataPanelActions) {
    this.root = document.createElement('div');
    this.root.className = 'panel train-data';
    this.root.append(Object.assign(document.createElement('h3'), { textContent: 'Data' }));
    const sets = document.createElement('div');
    sets.className = 'datasets';
    for (const name of datasets) {
      const b = button('', () => actions.update({ data: name }), 'dataset');
      b.dataset.dataset = name;
      b.title = name === 'csv' ? 'your own CSV file' : name;
      if (name === 'csv') b.append(Object.assign(document.createElement('span'), { className: 'csv-icon', textContent: 'CSV' }));
      else b.append(datasetIcon(name));
      b.append(Object.assign(document.createElement('span'), { textContent: name === 'csv' ? 'your CSV' : name }));
      this.buttons.set(name, b);
      sets.append(b);
    }
    const file = filePicker('.csv,text/csv', 'csv-file', (f) => actions.readCsv(f));
    this.csvField = field('data', 'CSV file (header row, the last column is the class); or drop it onto this tab', file);
    this.noise = input({ type: 'range', min: '0', max: '2', step: '0.1', id: 'noise' });
    this.noise.addEventListener('change', () => actions.update({ noise: Number(this.noise.value) }));
    this.split = input({ type: 'range', min: '10', max: '90', step: '10', id: 'split' });
    this.split.addEventListener('change', () => actions.update({ split: Number(this.split.value) / 100 }));
    this.count = select([], '');
    this.count.id = 'count';
    this.count.addEventListener('change', () => actions.update({ count: Number(this.count.value) }));
    const noiseField = field('noise', 'noise', this.noise);
    const splitField = field('split', 'training share', this.split);
    this.noiseLabel = noiseField.row.querySelector('span')!;
    this.splitLabel = splitField.row.querySelector('span')!;
    this.root.append(sets, this.csvField.row, noiseField.row, splitField.row, field('count', 'samples', this.count).row);
  }

  update(s: Readonly<State>): void {
    this.count.replaceChildren(...Array.from(select(withValue(COUNTS, s.count), '').children));
    this.count.value = String(s.count);
    this.noise.value = String(s.noise);
    this.split.value = String(Math.round(s.split * 100));
    this.noiseLabel.textContent = `noise (σ of the Gaussian added to x₁, x₂): ${s.noise}`;
    this.splitLabel.textContent = `training share: ${Math.round(s.split * 100)} % (the rest is the test set)`;
    for (const [name, b] of this.buttons) b.classList.toggle('active', name === s.data);
    const synthetic = s.data !== 'csv';
    this.noise.disabled = !synthetic;
    this.count.disabled = !synthetic;
  }

  /** A message under the CSV field (undefined clears it). */
  showError(message: string | undefined): void {
    setError(this.csvField, message);
  }
}

/** A small picture of a synthetic data set for its button. */
function datasetIcon(name: Exclude<State['data'], 'csv'>): HTMLCanvasElement {
  const c = Object.assign(document.createElement('canvas'), { width: 44, height: 44 });
  const ctx = c.getContext('2d')!;
  const ds = makeSynthetic(name, { count: 160, seed: 3 });
  ctx.fillStyle = '#fafafa';
  ctx.fillRect(0, 0, 44, 44);
  for (let s = 0; s < ds.count; s++) {
    ctx.fillStyle = CLASS_COLORS[ds.labels![s]!]!;
    ctx.fillRect(22 + ds.x[2 * s]! * 3.6 - 1, 22 - ds.x[2 * s + 1]! * 3.6 - 1, 2.2, 2.2);
  }
  return c;
}
