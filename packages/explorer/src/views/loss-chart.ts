/**
 * An appending line chart of the training and test loss over the epochs (TensorFlow Playground's
 * AppendingLineChart, in SVG with axes): `append` adds a point, `draw` shows them, `reset` clears.
 */
import { fmt } from '../format.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 340;
const H = 120;
const M = { left: 50, right: 8, top: 10, bottom: 24 };

interface Point {
  epoch: number;
  train: number;
  test: number;
}

export class LossChart {
  private points: Point[] = [];
  private readonly svg: SVGSVGElement;
  private readonly legend: HTMLElement;

  constructor(parent: HTMLElement) {
    const box = document.createElement('div');
    box.className = 'loss-chart';
    box.id = 'loss-chart';
    this.legend = document.createElement('div');
    this.legend.className = 'loss-legend';
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.svg.setAttribute('class', 'loss-svg');
    // a picture for screen readers, named by what the curves show (updated as they grow)
    this.svg.setAttribute('role', 'img');
    box.append(this.legend, this.svg);
    parent.append(box);
    this.draw();
  }

  reset(): void {
    this.points = [];
    this.draw();
  }

  append(epoch: number, train: number, test: number): void {
    const last = this.points[this.points.length - 1];
    if (last && last.epoch === epoch) this.points[this.points.length - 1] = { epoch, train, test };
    else if (last && epoch < last.epoch) this.points = [{ epoch, train, test }];
    else this.points.push({ epoch, train, test });
    if (this.points.length > 2000)
      this.points = this.points.filter((_, j) => j % 2 === 0 || j === this.points.length - 1);
  }

  /** The points drawn so far (the tests read the losses from the data attributes instead). */
  get data(): readonly Point[] {
    return this.points;
  }

  /** Draws the points appended so far (once per animation frame, by the training view). */
  draw(): void {
    const p = this.points;
    const last = p[p.length - 1];
    this.legend.innerHTML = last
      ? `<span class="sw train"></span>training loss <b data-value="${last.train}" ` +
        `id="train-loss">${fmt(last.train)}</b> <span class="sw test"></span>test loss <b ` +
        `data-value="${last.test}" id="test-loss">${fmt(last.test)}</b> <span class="muted">epoch ` +
        `${last.epoch}</span>`
      : '<span class="muted">the loss curves appear when training starts</span>';
    const first = p[0];
    const name =
      first && last
        ? `Loss chart over ${last.epoch} epochs: training loss from ${fmt(first.train)} to ${fmt(last.train)}, ` +
          `test loss from ${fmt(first.test)} to ${fmt(last.test)}`
        : 'Loss chart: the training and test loss curves appear when training starts';
    if (this.svg.getAttribute('aria-label') !== name) this.svg.setAttribute('aria-label', name);
    const maxE = Math.max(1, ...p.map((q) => q.epoch));
    const maxL = Math.max(1e-9, ...p.flatMap((q) => [q.train, q.test].filter(Number.isFinite)));
    const x = (e: number) => M.left + (e / maxE) * (W - M.left - M.right);
    const y = (l: number) => M.top + (1 - Math.min(l, maxL) / maxL) * (H - M.top - M.bottom);
    const path = (key: 'train' | 'test') =>
      p.map((q, j) => `${j === 0 ? 'M' : 'L'}${x(q.epoch).toFixed(1)},${y(q[key]).toFixed(1)}`).join('');
    const ticks = [0, maxL / 2, maxL];
    this.svg.innerHTML = [
      `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" class="axis"/>`,
      `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" class="axis"/>`,
      ...ticks.map((t) => `<text x="${M.left - 4}" y="${y(t) + 4}" class="tick" text-anchor="end">${fmt(t, 2)}</text>`),
      `<text x="${W - M.right}" y="${H - 6}" class="tick" text-anchor="end">epoch ${maxE}</text>`,
      `<text x="${M.left}" y="${H - 6}" class="tick">0</text>`,
      p.length > 0 ? `<path d="${path('test')}" class="line test"/>` : '',
      p.length > 0 ? `<path d="${path('train')}" class="line train"/>` : '',
    ].join('');
  }
}
