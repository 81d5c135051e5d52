/**
 * The network diagram (SVG): layers as columns of neurons, an edge per weight coloured by sign and as wide as |w|,
 * the formal neurons of §3 as squares with dashed edges. Click a neuron to change its σ; data attributes link it
 * to the matrices. In the training view each neuron shows a map of its output, and edges and maps are painted on
 * one canvas under the drawing (`paint`), so new weights repaint it instead of restyling SVG elements.
 */
import type { Matrix } from 'nabla/paper';
import { exact, fmt, subscript } from '../format.js';

export interface DiagramData {
  /** Homogeneous widths n_0 … n_k. */
  n: readonly number[];
  /** W_1 … W_k (index j holds W_{j+1}). */
  W: readonly Matrix[];
  /** Per layer 1 … k (index j holds layer j+1): one activation name per neuron, formal ones included. */
  acts: readonly (readonly string[])[];
  affine: boolean;
  /** Input names (x_1, …); default x_1 … x_{n_0}. */
  inputs?: readonly string[];
  /** Δ_i per layer, shown beside the neurons for the layers the backward pass has reached. */
  deltas?: ReadonlyMap<number, Matrix>;
  /** The layer the current backward step computes (drawn emphasised). */
  current?: number;
  /** Draw a map (canvas) in each genuine neuron, for the training view; the caller paints them (mapCanvas). */
  maps?: boolean;
  /** With maps: whether to write the new weights into the edges' data-value attributes too (default true). */
  values?: boolean;
  /** Fit the drawing into this box (CSS pixels; the Training view's maps) instead of the view's own width. */
  size?: { width: number; height: number };
  /** Without `size`: the drawing at most this tall (CSS pixels); neurons become flatter to fit. */
  maxHeight?: number;
  /** Leave room above each neuron for its Δ (the backward pass), so that the layout does not move as it steps. */
  tagRoom?: boolean;
  onNeuronClick?: (layer: number, j: number, at: DOMRect) => void;
  /** The pointer entered (rect) or left (undefined) a neuron. */
  onNeuronHover?: (layer: number, j: number, at: DOMRect | undefined) => void;
  /** An edge was clicked (or Enter pressed on it): entry (r, c) of W_i. */
  onEdgeClick?: (i: number, r: number, c: number, at: DOMRect) => void;
  /** ↑ (+1) or ↓ (−1) on a focused edge: entry (r, c) of W_i one step up or down. */
  onEdgeStep?: (i: number, r: number, c: number, direction: 1 | -1) => void;
  /** One line under the diagram (what the user can do here). */
  caption?: string;
}

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const SHORT: Record<string, string> = { identity: 'id', sigmoid: 'sigm', leaky_relu: 'lrelu', softplus: 'sp' };

/** The label inside a neuron: a short name; custom activations as c1, c2, … (their formulas are in the builder). */
export function shortName(act: string): string {
  const custom = /^custom(\d+)$/.exec(act);
  if (custom) return `c${custom[1]}`;
  return SHORT[act] ?? (act.length > 6 ? `${act.slice(0, 5)}…` : act);
}

/** Edge width for |w| relative to the largest |w| of the network. */
function edgeWidth(v: number, scale: number): string {
  return (scale === 0 ? 1 : 0.6 + (5 * Math.abs(v)) / scale).toFixed(2);
}

function weightScale(W: readonly Matrix[]): number {
  let scale = 0;
  for (const M of W) for (const v of M.data) scale = Math.max(scale, Math.abs(v));
  return scale;
}

/**
 * One tab stop for a list of items (the edges, the neurons of Training: a hundred tab stops would bury the rest of
 * the page): the first is reached by Tab, ← → Home End move between them (and the last one focused stays the stop).
 */
function rove(items: readonly SVGElement[]): void {
  items.forEach((item, j) => {
    item.setAttribute('tabindex', j === 0 ? '0' : '-1');
    item.addEventListener('keydown', (e) => {
      const keys: Record<string, number> = { ArrowLeft: j - 1, ArrowRight: j + 1, Home: 0, End: items.length - 1 };
      const to = items[Math.max(0, Math.min(items.length - 1, keys[e.key] ?? j))]!;
      if (!(e.key in keys) || e.altKey || e.ctrlKey || e.metaKey) return;
      for (const x of items) x.setAttribute('tabindex', x === to ? '0' : '-1');
      to.focus();
      e.preventDefault();
      e.stopPropagation();
    });
  });
}

/** Where everything goes: the drawing's size, the neurons' radii (ry < r: flattened), their spacing, the type size. */
interface Geometry {
  width: number;
  height: number;
  /** Room above the first neuron (the labels' row, and a Δ tag) and below the last. */
  top: number;
  bottom: number;
  r: number;
  ry: number;
  gapY: number;
  /** The labels' type size (CSS pixels, drawn 1:1). */
  f: number;
  /** Each Δ is written inside its neuron (flattened neurons leave no room above them). */
  inside: boolean;
  x: (i: number) => number;
}

/**
 * The layout, in CSS pixels drawn 1:1 (the viewBox is the drawn size, so a label of `f` px is `f` px on the screen):
 * neurons sized from the type size, columns spread over the width given (at most 15 f apart), flattened neurons when
 * `maxHeight` is short. With `size` (the Training view's maps) the box is given and the maps fill it.
 */
function layout(d: DiagramData, fit: { width: number; font: number }): Geometry {
  const f = fit.font;
  const k = d.n.length - 1;
  const maxN = Math.max(...d.n);
  if (d.size) {
    const { width, height } = d.size;
    const top = 1.7 * f + 8;
    const bottom = 4;
    const gapY = Math.min(4.8 * f, (height - top - bottom) / maxN);
    const left = 2.5 * f + 20;
    const right = 40;
    const r = Math.max(7, Math.min(1.85 * f, gapY * 0.4, ((width - left - right) / Math.max(1, k)) * 0.2));
    const x = (i: number) => left + (i * (width - left - right)) / Math.max(1, k);
    return { width, height, top: top + (gapY - 2 * r) / 2, bottom, r, ry: r, gapY, f, inside: false, x };
  }
  let r = 1.55 * f;
  let tag = d.tagRoom ? 1.25 * f : 0;
  let top = 1.6 * f + 6 + tag;
  const bottom = 4;
  let ry = r;
  let gapY = 2 * r + 0.6 * f + tag;
  const natural = top + bottom + (maxN - 1) * gapY + 2 * ry;
  let inside = false;
  if (d.maxHeight !== undefined && natural > d.maxHeight && maxN > 1) {
    // too tall: a Δ is written inside its neuron (made wide enough for it) instead of above; if that is not
    // enough, flatter neurons, closer together, as tall as allowed (never flatter than the type)
    inside = d.tagRoom === true;
    tag = 0;
    top = 1.6 * f + 6;
    gapY = 2 * r + 0.6 * f;
    const room = d.maxHeight - top - bottom - (maxN - 1) * 0.3 * f;
    if (top + bottom + (maxN - 1) * gapY + 2 * ry > d.maxHeight) {
      ry = Math.max(0.62 * f, Math.min(r, room / (2 * maxN)));
      gapY = 2 * ry + 0.3 * f;
    }
    if (inside) r = Math.max(r, 2.6 * f);
  }
  const height = top + bottom + (maxN - 1) * gapY + 2 * ry;
  const left = Math.max(r, 3 * f) + 4;
  const right = Math.max(r, 2.4 * f) + 4;
  const colGap = Math.max(2 * r + 8, Math.min((fit.width - left - right) / Math.max(1, k), 18 * f));
  const width = left + right + k * colGap;
  return { width, height, top: top + ry, bottom: bottom + ry, r, ry, gapY, f, inside, x: (i) => left + i * colGap };
}

export class NetworkView {
  readonly root: HTMLElement;
  private key = '';
  private edges: SVGLineElement[] = [];
  private canvases = new Map<string, HTMLCanvasElement>();
  /** Where each map goes: x, y and side in the drawing's coordinates. */
  private squares = new Map<string, [number, number, number]>();
  private weights: readonly Matrix[] = [];
  /** Where layer i's column is, as a fraction of the drawing's width (for controls placed above it). */
  columns: number[] = [];
  /** Whether the last update drew the diagram anew (new canvases) rather than restyling its edges. */
  rebuilt = false;

  /** The last drawing's data and the width it was fitted to (drawn again when the view's width changes). */
  private last: DiagramData | undefined;
  private fittedWidth = 0;

  constructor(parent: HTMLElement) {
    this.root = document.createElement('div');
    this.root.className = 'network-view';
    parent.append(this.root);
    new ResizeObserver(() => {
      const w = this.root.clientWidth;
      if (this.last && !this.last.size && w > 0 && Math.abs(w - this.fittedWidth) >= 1) this.update(this.last);
    }).observe(this.root);
  }

  /** The width to fit and the type size: --diagram-font of the page's CSS (larger on a projector). */
  private fit(d: DiagramData): { width: number; font: number } {
    const font = Number.parseFloat(getComputedStyle(this.root).getPropertyValue('--diagram-font')) || 12;
    if (!d.size) this.fittedWidth = this.root.clientWidth;
    return { width: this.fittedWidth || 600, font };
  }

  /** The canvas of neuron j of layer i ("i:j") when the diagram draws maps. */
  mapCanvas(key: string): HTMLCanvasElement | undefined {
    return this.canvases.get(key);
  }

  update(d: DiagramData): void {
    // the same drawing with new weights (training): restyle the edges, keep everything else
    const key = JSON.stringify([d.n, d.acts, d.affine, d.inputs, d.maps, d.size, d.caption]);
    if (key === this.key && d.maps && !d.deltas?.size) {
      this.rebuilt = false;
      this.restyle(d.W, d.values ?? true);
      return;
    }
    this.rebuilt = true;
    this.last = d;
    this.key = d.maps ? key : '';
    const k = d.n.length - 1;
    const maps = d.maps === true;
    const geo = layout(d, this.fit(d));
    const { width, height, r, ry, gapY, f } = geo;
    const x = geo.x;
    const y = (i: number, j: number) => geo.top + (height - geo.top - geo.bottom) / 2 + (j - (d.n[i]! - 1) / 2) * gapY;
    const formal = (i: number, j: number) => d.affine && i < k && j === d.n[i]! - 1;
    this.columns = d.n.map((_, i) => x(i) / width);
    this.edges = [];
    this.canvases = new Map();
    this.squares = new Map();

    const svg = el('svg', {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      class: 'network-svg',
      style: `--f: ${f}px`,
      // a picture, unless it holds controls (an img's children are presentational)
      role: d.onNeuronClick || d.onEdgeClick || d.onNeuronHover ? 'group' : 'img',
      'aria-label': `network with widths ${d.n.join(', ')}`,
    });
    const scale = weightScale(d.W);
    /** The neurons that are tab stops only for their maps (one tab stop for them all, see rove). */
    const browse: SVGElement[] = [];
    // edges: W_i entry (r, c) joins neuron c of layer i−1 to neuron r of layer i
    for (let i = 1; i <= k; i++) {
      const M = d.W[i - 1]!;
      const label = el(
        'text',
        { x: (x(i - 1) + x(i)) / 2, y: 1.25 * f + 2, class: 'layer-label w-label', 'data-sym': `W${i}` },
        `W${subscript(i)}`,
      );
      svg.append(label);
      for (let row = 0; row < M.rows; row++) {
        if (formal(i, row)) continue; // the fixed row [0, …, 0, 1] of §3 (b): drawn as the formal neuron itself
        for (let c = 0; c < M.cols; c++) {
          const v = M.get(row, c);
          const line = el('line', {
            x1: x(i - 1) + r,
            y1: y(i - 1, c),
            x2: x(i) - r,
            y2: y(i, row),
            // with maps (training) the edges are painted on the canvas below and these lines only take the pointer
            stroke: maps ? 'transparent' : v >= 0 ? '#2171b5' : '#e6781e',
            'stroke-width': maps ? 6 : edgeWidth(v, scale),
            'stroke-opacity': 0.75,
            class: `edge${formal(i - 1, c) ? ' bias-edge' : ''}`,
            'data-sym': `W${i}`,
            'data-r': row,
            'data-c': c,
            'data-value': exact(v),
          });
          // what the edge is and its value: the instant card (popover.ts WeightCard) reads the data attributes
          if (d.onEdgeClick) {
            const click = d.onEdgeClick;
            const step = d.onEdgeStep;
            line.classList.add('clickable');
            line.addEventListener('click', (e) => click(i, row, c, new DOMRect(e.clientX, e.clientY, 0, 0)));
            // from the keyboard: a tab stop; Enter opens the editor, ↑ and ↓ change the weight by a step
            line.setAttribute('role', 'button');
            const name = () =>
              `weight W${subscript(i)} row ${row + 1}, column ${c + 1} = ${fmt(Number(line.dataset.value))}` +
              `${formal(i - 1, c) ? ' (bias)' : ''}, from neuron ${c + 1} of layer ${i - 1} to neuron ` +
              `${row + 1} of layer ${i}: Enter to type a new value${step ? ', up and down arrows change it' : ''}, ` +
              'left and right arrows go to the other weights';
            line.setAttribute('aria-label', name());
            line.addEventListener('focus', () => line.setAttribute('aria-label', name())); // the value of now
            line.addEventListener('keydown', (e) => {
              if (e.key === 'Enter' || e.key === ' ') click(i, row, c, line.getBoundingClientRect());
              else if (step && (e.key === 'ArrowUp' || e.key === 'ArrowDown'))
                step(i, row, c, e.key === 'ArrowUp' ? 1 : -1);
              else return;
              e.preventDefault();
              e.stopPropagation();
            });
          }
          this.edges.push(line);
          svg.append(line);
        }
      }
    }
    // neurons
    for (let i = 0; i <= k; i++) {
      const title = i === 0 ? 'X = Σ₀' : i === k ? `Σ${subscript(k)}: f` : `Σ${subscript(i)}`;
      svg.append(el('text', { x: x(i), y: 1.25 * f + 2, class: 'layer-label', 'data-sym': `S${i}` }, title));
      for (let j = 0; j < d.n[i]!; j++) {
        const cx = x(i);
        const cy = y(i, j);
        const g = el('g', { class: `neuron${i === d.current ? ' current' : ''}`, 'data-layer': i, 'data-r': j });
        const isFormal = formal(i, j) || (d.affine && i === 0 && j === d.n[0]! - 1);
        let nodeText: SVGTextElement | undefined;
        const act = i === 0 ? '' : (d.acts[i - 1]?.[j] ?? '');
        if (isFormal) {
          g.classList.add('formal');
          g.append(el('rect', { x: cx - r, y: cy - ry, width: 2 * r, height: 2 * ry, rx: 4 }));
          g.append(el('text', { x: cx, y: cy + 0.42 * f, class: 'neuron-text big' }, '1'));
          g.append(
            el(
              'title',
              {},
              i === 0
                ? 'the constant input 1 (paper §3 (a))'
                : `formal neuron of layer ${i}: σ = identity, always 1; its weights in the next layer are the biases (paper §3)`,
            ),
          );
        } else if (maps) {
          g.append(el('rect', { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r, class: 'thumb-frame' }));
          // the map: a canvas of its own (not shown; `paint` copies it into the square on the diagram's canvas)
          const canvas = document.createElement('canvas');
          canvas.className = 'neuron-map';
          canvas.dataset.key = `${i}:${j}`;
          this.canvases.set(`${i}:${j}`, canvas);
          this.squares.set(`${i}:${j}`, [cx - r + 1, cy - r + 1, 2 * r - 2]);
          const name = i === 0 ? (d.inputs?.[j] ?? `x${subscript(j + 1)}`) : shortName(act);
          // the neuron's name beside its map, so the diagram reads without the pictures too
          g.append(
            el(
              'text',
              {
                x: i === 0 ? cx - r - 4 : cx,
                y: i === 0 ? cy + 0.36 * f : cy + r + 0.9 * f,
                class: `neuron-text map-label${i === 0 ? ' input-label' : ''}`,
              },
              i === 0 || gapY - 2 * r >= f + 2 ? name : '',
            ),
          );
          g.append(
            el(
              'title',
              {},
              i === 0
                ? `input ${name}: its value over the input plane`
                : `neuron ${j + 1} of layer ${i} (${act}): its output over the input plane`,
            ),
          );
        } else {
          // a circle, or an ellipse as wide as the circle where the height is short (the label keeps its size)
          g.append(ry < r ? el('ellipse', { cx, cy, rx: r, ry }) : el('circle', { cx, cy, r }));
          const text = i === 0 ? (d.inputs?.[j] ?? `x${subscript(j + 1)}`) : shortName(act);
          nodeText = el('text', { x: cx, y: cy + 0.36 * f, class: 'neuron-text' }, text);
          g.append(nodeText);
          g.append(
            el(
              'title',
              {},
              i === 0
                ? `input ${j + 1}`
                : `neuron ${j + 1} of layer ${i}: σ${subscript(i)}${subscript(j + 1)} = ${act}${d.onNeuronClick ? ' (click to change)' : ''}`,
            ),
          );
        }
        if (i > 0 && !isFormal && d.onNeuronClick) {
          g.classList.add('clickable');
          const click = d.onNeuronClick;
          g.setAttribute('tabindex', '0');
          g.setAttribute('role', 'button');
          g.setAttribute('aria-label', `neuron ${j + 1} of layer ${i}, σ = ${act}: choose its σ`);
          g.addEventListener('click', () => click(i, j, g.getBoundingClientRect()));
          g.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              click(i, j, g.getBoundingClientRect());
            }
          });
        }
        if (!isFormal && d.onNeuronHover) {
          const hover = d.onNeuronHover;
          g.addEventListener('mouseenter', () => hover(i, j, g.getBoundingClientRect()));
          g.addEventListener('mouseleave', () => hover(i, j, undefined));
          // keyboard focus does what the pointer does
          g.addEventListener('focus', () => hover(i, j, g.getBoundingClientRect()));
          g.addEventListener('blur', () => hover(i, j, undefined));
          if (!g.hasAttribute('tabindex')) {
            browse.push(g);
            g.setAttribute('role', 'img');
            g.setAttribute(
              'aria-label',
              `${i === 0 ? `input ${j + 1}` : `neuron ${j + 1} of layer ${i}, σ = ${act}`}: its map large beside; ` +
                'left and right arrows go to the other neurons',
            );
          }
        }
        const tags: SVGElement[] = [];
        const D = d.deltas?.get(i);
        if (D && !isFormal) {
          // Δ above the neuron, in the room the layout leaves there (no edge passes above a neuron), or inside it
          // in place of its σ; sample 1's value (the matrices show every sample)
          const tag = el('text', { x: cx, y: geo.inside ? cy + 0.36 * f : cy - ry - 0.3 * f, class: 'delta-tag' });
          const v = D.get(j, 0);
          tag.append(
            el('tspan', {}, geo.inside ? '' : 'Δ='),
            el(
              'tspan',
              { 'data-sym': `D${i}`, 'data-r': j, 'data-c': 0, 'data-value': exact(v) },
              fmt(v, geo.inside ? 2 : 3),
            ),
          );
          if (D.cols > 1 || geo.inside)
            tag.append(
              el('title', {}, `Δ${subscript(i)} of neuron ${j + 1}${D.cols > 1 ? `, sample 1 of ${D.cols}` : ''}`),
            );
          if (geo.inside) nodeText?.remove();
          tags.push(tag); // beside the neuron, not inside it: the neuron's button shows its σ only
        }
        // a button's name starts with the text it shows ("tanh"), then says what it is
        const label = g.getAttribute('aria-label');
        if (label) {
          const shown = Array.from(g.querySelectorAll('text'), (t) => t.textContent).join(' ');
          g.setAttribute('aria-label', `${shown}: ${label}`);
        }
        svg.append(g, ...tags);
      }
    }
    rove(this.edges.filter((e) => e.getAttribute('role') === 'button'));
    rove(browse);
    const caption = Object.assign(document.createElement('div'), {
      className: 'diagram-caption',
      textContent: d.caption ?? '',
    });
    if (maps) {
      // the edges on a canvas under the drawing: new weights repaint one canvas, not hundreds of SVG lines
      const box = Object.assign(document.createElement('div'), { className: 'diagram-box' });
      this.edgeCanvas = Object.assign(document.createElement('canvas'), {
        className: 'edge-canvas',
        width: Math.round(width),
        height: Math.round(height),
      });
      this.edgeSize = { width, height };
      const store = Object.assign(document.createElement('div'), { className: 'neuron-maps', hidden: true });
      store.append(...this.canvases.values());
      box.append(this.edgeCanvas, svg, store);
      // drawn through an OffscreenCanvas: its frames go to the compositor directly, not in the page's commit
      const c = this.edgeCanvas;
      this.edgeContext =
        typeof c.transferControlToOffscreen === 'function'
          ? c.transferControlToOffscreen().getContext('2d')!
          : c.getContext('2d')!;
      this.root.replaceChildren(box, caption);
      this.weights = d.W;
    } else {
      this.edgeCanvas = undefined;
      this.root.replaceChildren(svg, caption);
    }
  }

  private edgeCanvas: HTMLCanvasElement | undefined;
  private edgeContext: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | undefined;
  private edgeSize = { width: 1, height: 1 };

  /** Paints every edge (its line's end points, sign and |w|) and every neuron's map on the diagram's canvas. */
  paint(): void {
    const ctx = this.edgeContext;
    if (!this.edgeCanvas || !ctx) return;
    const canvas = ctx.canvas;
    const W = this.weights;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(canvas.width / this.edgeSize.width, 0, 0, canvas.height / this.edgeSize.height, 0, 0);
    ctx.globalAlpha = 0.75;
    const scale = weightScale(W);
    for (const line of this.edges) {
      const i = Number(line.dataset.sym!.slice(1));
      const v = W[i - 1]?.get(Number(line.dataset.r), Number(line.dataset.c)) ?? 0;
      ctx.strokeStyle = v >= 0 ? '#2171b5' : '#e6781e';
      ctx.lineWidth = Number(edgeWidth(v, scale));
      ctx.setLineDash(line.classList.contains('bias-edge') ? [5, 3] : []);
      ctx.beginPath();
      ctx.moveTo(Number(line.getAttribute('x1')), Number(line.getAttribute('y1')));
      ctx.lineTo(Number(line.getAttribute('x2')), Number(line.getAttribute('y2')));
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    ctx.imageSmoothingEnabled = true;
    for (const [key, [x, y, side]] of this.squares) {
      const map = this.canvases.get(key)!;
      if (map.width > 0 && map.height > 0) ctx.drawImage(map, x, y, side, side);
    }
  }

  /** New weights on the same drawing: each edge's colour, width, value and title. */
  private restyle(W: readonly Matrix[], values: boolean): void {
    if (this.edgeCanvas) {
      this.weights = W;
      if (values)
        for (const line of this.edges) {
          const i = Number(line.dataset.sym!.slice(1));
          const v = W[i - 1]?.get(Number(line.dataset.r), Number(line.dataset.c));
          if (v !== undefined) line.dataset.value = exact(v);
        }
      return;
    }
    const scale = weightScale(W);
    for (const line of this.edges) {
      const i = Number(line.dataset.sym!.slice(1));
      const r = Number(line.dataset.r);
      const c = Number(line.dataset.c);
      const v = W[i - 1]?.get(r, c);
      if (v === undefined) continue;
      line.setAttribute('stroke', v >= 0 ? '#2171b5' : '#e6781e');
      line.setAttribute('stroke-width', edgeWidth(v, scale));
      line.dataset.value = exact(v);
    }
  }
}
