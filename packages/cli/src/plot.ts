/**
 * Training curves: drawn in the terminal with asciichart, and written as SVG or PNG with Vega-Lite (rendered
 * headless by Vega; PNG rasterised from the SVG by resvg).
 */
import asciichart from 'asciichart';
import type { EpochSummary } from 'nabla';
import { OptionError } from 'nabla';

/** A loss chart (and an accuracy chart for classification) for the terminal. */
export function terminalCurves(history: readonly EpochSummary[], color = true): string {
  if (history.length < 2) return '';
  const stretch = (ys: number[]) =>
    ys.length >= 30
      ? ys
      : ys.flatMap((y, j) => (j === ys.length - 1 ? [y] : Array.from({ length: Math.ceil(30 / ys.length) }, () => y)));
  const parts: string[] = [];
  const loss = history.map((h) => h.loss);
  const val = history.every((h) => h.valLoss !== undefined) ? history.map((h) => h.valLoss!) : undefined;
  const series = val ? [stretch(loss), stretch(val)] : [stretch(loss)];
  parts.push(
    `loss by epoch (${history[0]!.epoch}…${history[history.length - 1]!.epoch})` +
      `${val ? (color ? ': train (blue), validation (green)' : ': train and validation') : ''}`,
  );
  // no escape codes at all when the output is not a terminal
  const colors = color ? { colors: [asciichart.blue, asciichart.green] } : {};
  parts.push(asciichart.plot(series, { height: 8, ...colors, format: (x: number) => x.toFixed(4).padStart(9) }));
  if (history.every((h) => h.accuracy !== undefined)) {
    const acc = history.map((h) => 100 * h.accuracy!);
    const vacc = history.every((h) => h.valAccuracy !== undefined)
      ? history.map((h) => 100 * h.valAccuracy!)
      : undefined;
    parts.push(
      `accuracy % by epoch${vacc ? (color ? ': train (blue), validation (green)' : ': train and validation') : ''}`,
    );
    parts.push(
      asciichart.plot(vacc ? [stretch(acc), stretch(vacc)] : [stretch(acc)], {
        height: 6,
        ...colors,
        format: (x: number) => x.toFixed(2).padStart(9),
      }),
    );
  }
  return parts.join('\n');
}

/** The training curves as an SVG document (Vega-Lite spec rendered by Vega). */
export async function curvesSvg(history: readonly EpochSummary[], title: string): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const rows: { epoch: number; value: number; series: string; metric: string }[] = [];
  for (const h of history) {
    rows.push({ epoch: h.epoch, value: h.loss, series: 'train', metric: 'loss' });
    if (h.valLoss !== undefined) rows.push({ epoch: h.epoch, value: h.valLoss, series: 'validation', metric: 'loss' });
    if (h.accuracy !== undefined) rows.push({ epoch: h.epoch, value: h.accuracy, series: 'train', metric: 'accuracy' });
    if (h.valAccuracy !== undefined)
      rows.push({ epoch: h.epoch, value: h.valAccuracy, series: 'validation', metric: 'accuracy' });
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: rows },
    facet: { column: { field: 'metric', type: 'nominal', title: null } },
    spec: {
      width: 320,
      height: 220,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        color: { field: 'series', type: 'nominal', title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
    background: 'white',
  };
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** SVG or PNG bytes for `path`'s extension. */
export async function curvesFile(path: string, history: readonly EpochSummary[], title: string): Promise<Buffer> {
  const lower = path.toLowerCase();
  if (!lower.endsWith('.svg') && !lower.endsWith('.png'))
    throw new OptionError(`--plot ${JSON.stringify(path)}: expected a file name ending in .svg or .png`);
  const svg = await curvesSvg(history, title);
  if (lower.endsWith('.svg')) return Buffer.from(svg, 'utf8');
  const { Resvg } = await import('@resvg/resvg-js');
  return Buffer.from(
    new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } }).render().asPng(),
  );
}
