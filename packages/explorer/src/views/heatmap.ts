/**
 * The decision map (canvas): the network's output over the input plane, orange for class 0 through white to
 * blue for class 1 (TensorFlow Playground's colours), or one colour per class, with the data points on top
 * (training points with a white ring, test points with a dark ring). Also the small per-neuron maps.
 */
import type { Grid, OutputMap } from '../protocol.js';

export const CLASS_COLORS = ['#f59322', '#0877bd', '#2ca02c', '#9467bd', '#d62728', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

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

function paint(ctx: CanvasRenderingContext2D, G: number, color: (b: number) => RGB): void {
  const img = ctx.createImageData(G, G);
  for (let b = 0; b < G * G; b++) {
    const [r, g, bl] = color(b);
    img.data[4 * b] = r;
    img.data[4 * b + 1] = g;
    img.data[4 * b + 2] = bl;
    img.data[4 * b + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** A neuron's Σ over the grid as a small picture (data URL), coloured like the decision map. */
export function neuronImage(values: Float32Array, G: number): string {
  const c = document.createElement('canvas');
  c.width = G;
  c.height = G;
  paint(c.getContext('2d')!, G, (b) => diverging(values[b]!));
  return c.toDataURL();
}

export interface Points {
  xy: Float32Array;
  labels: Int32Array | undefined;
  isTrain: Uint8Array;
}

export class HeatMap {
  readonly canvas: HTMLCanvasElement;
  private readonly cells: HTMLCanvasElement;
  private readonly size: number;

  constructor(parent: HTMLElement, size = 340) {
    this.size = size;
    this.canvas = Object.assign(document.createElement('canvas'), { width: size, height: size, className: 'heatmap' });
    this.canvas.id = 'heatmap';
    this.cells = document.createElement('canvas');
    parent.append(this.canvas);
  }

  update(grid: Grid, output: OutputMap, points: Points | undefined, showTest: boolean): void {
    const ctx = this.canvas.getContext('2d')!;
    const S = this.size;
    const G = grid.size;
    ctx.clearRect(0, 0, S, S);
    if (output.kind !== 'none') {
      this.cells.width = G;
      this.cells.height = G;
      const cctx = this.cells.getContext('2d')!;
      if (output.kind === 'binary') paint(cctx, G, (b) => diverging(2 * output.p[b]! - 1));
      else paint(cctx, G, (b) => mix(WHITE, hex(CLASS_COLORS[output.cls[b]! % CLASS_COLORS.length]!), Math.max(0, (output.conf[b]! - 1 / output.classes) / (1 - 1 / output.classes))));
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.cells, 0, 0, S, S);
    }
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
        ctx.arc(x, y, 4, 0, 2 * Math.PI);
        ctx.fillStyle = CLASS_COLORS[label % CLASS_COLORS.length]!;
        ctx.fill();
        // training points: a white ring (and a faint dark edge, to stand out on their own colour); test points: a dark ring
        ctx.lineWidth = train ? 1.4 : 1.8;
        ctx.strokeStyle = train ? '#ffffff' : '#1b1b1b';
        ctx.stroke();
        if (train) {
          ctx.beginPath();
          ctx.arc(x, y, 5, 0, 2 * Math.PI);
          ctx.lineWidth = 0.8;
          ctx.strokeStyle = 'rgba(0,0,0,0.45)';
          ctx.stroke();
        }
      }
    }
    ctx.fillStyle = 'rgba(0,0,0,0.55)';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(`x₁ ∈ [${round(grid.x0)}, ${round(grid.x1)}]`, 6, S - 6);
    ctx.save();
    ctx.translate(12, S - 110);
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
