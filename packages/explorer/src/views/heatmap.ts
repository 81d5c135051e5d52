/**
 * The decision map (canvas): the network's output over the input plane, orange for class 0 through white to
 * blue for class 1 (TensorFlow Playground's colours), one colour per class, or for regression f on the scale
 * orange −s … white 0 … blue +s, with the data points on top (training points with a white ring, test points
 * with a dark ring). Also the small per-neuron maps; the output neuron's map uses the big map's colours.
 */
import type { Grid, OutputMap } from '../run/protocol.js';

export const CLASS_COLORS = [
  '#f59322',
  '#0877bd',
  '#2ca02c',
  '#9467bd',
  '#d62728',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

type RGB = [number, number, number];
const ORANGE: RGB = [245, 147, 34];
const BLUE: RGB = [8, 119, 189];
const WHITE: RGB = [240, 240, 240];

function hex(c: string): RGB {
  return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
}

function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** −1 → orange, 0 → white, 1 → blue (values beyond are clamped). */
export function diverging(v: number): RGB {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  return t < 0 ? mix(WHITE, ORANGE, -t) : mix(WHITE, BLUE, t);
}

/** diverging() at 2·STEPS + 1 points of [−1, 1]: the maps are painted from this table, without allocating. */
const STEPS = 256;
const TABLE = new Uint8ClampedArray(3 * (2 * STEPS + 1));
for (let i = 0; i <= 2 * STEPS; i++) TABLE.set(diverging(i / STEPS - 1), 3 * i);

/** Paints value(b) ∈ [−1, 1] (clamped) of each grid point b in the diverging colours. */
function paintDiverging(ctx: CanvasRenderingContext2D, G: number, value: (b: number) => number): void {
  const img = imageFor(ctx, G);
  const d = img.data;
  for (let b = 0; b < G * G; b++) {
    const v = value(b);
    const t = v > 1 ? 1 : v < -1 ? -1 : Number.isNaN(v) ? 0 : v;
    const i = 3 * Math.round((t + 1) * STEPS);
    d[4 * b] = TABLE[i]!;
    d[4 * b + 1] = TABLE[i + 1]!;
    d[4 * b + 2] = TABLE[i + 2]!;
    d[4 * b + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

const images = new WeakMap<CanvasRenderingContext2D, ImageData>();
function imageFor(ctx: CanvasRenderingContext2D, G: number): ImageData {
  let img = images.get(ctx);
  if (!img || img.width !== G) {
    img = ctx.createImageData(G, G);
    images.set(ctx, img);
  }
  return img;
}

/**
 * Paints the output map: the one rule for the big map and the output neuron's small map. P(class 1) as 2p − 1,
 * f / scale for regression, the winning class paler where unsure; `discrete`: only the sign (or the class).
 */
export function paintOutput(ctx: CanvasRenderingContext2D, G: number, output: OutputMap, discrete: boolean): void {
  switch (output.kind) {
    case 'binary':
      return paintDiverging(ctx, G, discrete ? (b) => Math.sign(output.p[b]! - 0.5) : (b) => 2 * output.p[b]! - 1);
    case 'regression':
      return paintDiverging(ctx, G, discrete ? (b) => Math.sign(output.f[b]!) : (b) => output.f[b]! / output.scale);
    case 'classes':
      return paint(ctx, G, (b) =>
        mix(
          WHITE,
          hex(CLASS_COLORS[output.cls[b]! % CLASS_COLORS.length]!),
          discrete ? 1 : Math.max(0, (output.conf[b]! - 1 / output.classes) / (1 - 1 / output.classes)),
        ),
      );
    case 'none':
      return paintDiverging(ctx, G, () => 0);
  }
}

/** What the colours of the output map mean (the caption under it). */
export function outputCaption(output: OutputMap['kind'], classes: number, scale: number, discrete: boolean): string {
  if (output === 'none') return '';
  if (output === 'regression') {
    return (
      `Colour: the network’s output f, orange at −${round(scale)}, white at 0, blue at ` +
      `+${round(scale)}${discrete ? ' (discretized: its sign)' : ''}; each point has the colour ` +
      'of its target.'
    );
  }
  if (output === 'classes' || classes > 2)
    return `Colour: the predicted class${discrete ? '' : ', paler where the network is unsure'}.`;
  return discrete
    ? 'Colour: the predicted class, orange for class 0, blue for class 1 (discretized at ½).'
    : 'Colour: P(class 1), orange for class 0, white at ½, blue for class 1.';
}

function paint(ctx: CanvasRenderingContext2D, G: number, color: (b: number) => RGB): void {
  const img = imageFor(ctx, G);
  for (let b = 0; b < G * G; b++) {
    const [r, g, bl] = color(b);
    img.data[4 * b] = r;
    img.data[4 * b + 1] = g;
    img.data[4 * b + 2] = bl;
    img.data[4 * b + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** The 2-D context of a G × G canvas (its pixels are the grid points; drawn larger, it is interpolated). */
export function gridContext(canvas: HTMLCanvasElement, G: number): CanvasRenderingContext2D {
  if (canvas.width !== G) canvas.width = G;
  if (canvas.height !== G) canvas.height = G;
  return canvas.getContext('2d')!;
}

/** A neuron's Σ over the grid divided by `scale`: orange −1 … white 0 … blue +1. */
export function paintNeuron(canvas: HTMLCanvasElement, values: Float32Array, G: number, scale = 1): void {
  paintDiverging(gridContext(canvas, G), G, (b) => values[b]! / scale);
}

/** The output map into a small canvas (the output neuron's square). */
export function paintOutputMap(canvas: HTMLCanvasElement, G: number, output: OutputMap, discrete: boolean): void {
  paintOutput(gridContext(canvas, G), G, output, discrete);
}

export interface Points {
  xy: Float32Array;
  labels: Int32Array | undefined;
  /** Regression: the targets, drawn on the scale ±scale. */
  targets: Float32Array | undefined;
  scale: number;
  isTrain: Uint8Array;
}

export class HeatMap {
  readonly canvas: HTMLCanvasElement;
  private readonly cells: HTMLCanvasElement;
  private readonly size: number;

  /** The points, axes and labels on a canvas of their own over the map: drawn again only when they change. */
  private readonly overlay: HTMLCanvasElement;
  private overlayKey: unknown[] = [];

  constructor(parent: HTMLElement, size = 340) {
    this.size = size;
    const box = Object.assign(document.createElement('div'), { className: 'heatmap-box' });
    this.canvas = Object.assign(document.createElement('canvas'), { width: size, height: size, className: 'heatmap' });
    this.canvas.id = 'heatmap';
    this.overlay = Object.assign(document.createElement('canvas'), {
      width: size,
      height: size,
      className: 'heatmap-points',
    });
    this.overlay.id = 'heatmap-points';
    this.cells = document.createElement('canvas');
    box.append(this.canvas, this.overlay);
    parent.append(box);
  }

  update(grid: Grid, output: OutputMap, points: Points | undefined, showTest: boolean, discrete: boolean): void {
    const ctx = this.canvas.getContext('2d')!;
    const S = this.size;
    const G = grid.size;
    ctx.clearRect(0, 0, S, S);
    if (output.kind !== 'none') {
      paintOutput(gridContext(this.cells, G), G, output, discrete);
      // the grid drawn G → S with bilinear interpolation: a smooth map, no stair steps
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.cells, 0, 0, S, S);
    }
    const key = [grid, points, showTest];
    if (key.every((k, j) => k === this.overlayKey[j])) return;
    this.overlayKey = key;
    this.drawPoints(grid, points, showTest);
  }

  private drawPoints(grid: Grid, points: Points | undefined, showTest: boolean): void {
    const ctx = this.overlay.getContext('2d')!;
    const S = this.size;
    const k = S / 300; // points and rings as drawn on a 300-pixel map
    ctx.clearRect(0, 0, S, S);
    // axes through the origin when it is in view
    const px = (x: number) => ((x - grid.x0) / (grid.x1 - grid.x0)) * S;
    const py = (y: number) => ((grid.y1 - y) / (grid.y1 - grid.y0)) * S;
    ctx.strokeStyle = 'rgba(0,0,0,0.15)';
    ctx.lineWidth = 1;
    if (grid.x0 < 0 && grid.x1 > 0) line(ctx, px(0), 0, px(0), S);
    if (grid.y0 < 0 && grid.y1 > 0) line(ctx, 0, py(0), S, py(0));
    if (points) {
      for (let s = 0; s < points.isTrain.length; s++) {
        const train = points.isTrain[s] === 1;
        if (!train && !showTest) continue;
        const label = points.labels?.[s] ?? 0;
        const x = px(points.xy[2 * s]!);
        const y = py(points.xy[2 * s + 1]!);
        ctx.beginPath();
        ctx.arc(x, y, 4 * k, 0, 2 * Math.PI);
        const target = points.targets?.[s];
        if (target !== undefined) {
          const [r, g, bl] = diverging(target / points.scale);
          ctx.fillStyle = `rgb(${r | 0}, ${g | 0}, ${bl | 0})`;
        } else ctx.fillStyle = CLASS_COLORS[label % CLASS_COLORS.length]!;
        ctx.fill();
        // training points: a white ring (and a faint dark edge, to stand out on their own colour); test points: a dark ring
        ctx.lineWidth = (train ? 1.4 : 1.8) * k;
        ctx.strokeStyle = train ? '#ffffff' : '#1b1b1b';
        ctx.stroke();
        if (train) {
          ctx.beginPath();
          ctx.arc(x, y, 5 * k, 0, 2 * Math.PI);
          ctx.lineWidth = 0.8 * k;
          ctx.strokeStyle = 'rgba(0,0,0,0.45)';
          ctx.stroke();
        }
      }
    }
    ctx.fillStyle = 'rgba(0,0,0,0.55)';
    // the axis labels a fixed share of the map, so they grow with it (the map fills its column)
    const font = Math.round(S / 24);
    ctx.font = `${font}px system-ui, sans-serif`;
    ctx.fillText(`x₁ ∈ [${round(grid.x0)}, ${round(grid.x1)}]`, 6, S - 6);
    ctx.save();
    ctx.translate(font + 2, S - 10 * font);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(`x₂ ∈ [${round(grid.y0)}, ${round(grid.y1)}]`, 0, 0);
    ctx.restore();
  }
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

function round(v: number): string {
  return String(Math.round(v * 10) / 10);
}
