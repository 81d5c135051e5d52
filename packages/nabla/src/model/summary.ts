/** `Model.summary`: the layers, their shapes and parameter counts, and the homogeneous network of §3. */
import type { DType } from '../kernels/types.js';
import type { Network } from '../net/network.js';
import type { LayerInfo } from './types.js';

/** What the summary reads of a model: its public view (a `Model` is one). */
export interface Summarized {
  readonly widths: readonly number[];
  readonly bias: boolean;
  readonly depth: number;
  readonly dtype: DType;
  readonly loss: string | undefined;
  readonly classes: readonly (string | number)[] | undefined;
  readonly parameterCount: number;
  readonly inputScaling: object | undefined;
  readonly inputs: number;
  layer(i: number): LayerInfo;
  homogeneous(): Network;
}

/** The summary's lines (built from the model's public view only). */
export function summaryLines(model: Summarized): string[] {
  const m = model.widths;
  const rows: string[][] = [['layer', 'units', 'activation', model.bias ? '[A_i | b_i]' : 'W_i', 'parameters']];
  for (let i = 1; i <= model.depth; i++) {
    const l = model.layer(i);
    const act = Array.isArray(l.activation) ? `per neuron: ${l.activation.join(', ')}` : l.activation;
    rows.push([String(i), String(m[i]), act, `${l.W.rows}×${l.W.cols}`, String(l.W.rows * l.W.cols)]);
  }
  const width = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((s, c) => (c === 2 ? s.padEnd(width[c]!) : s.padStart(width[c]!))).join('  ');
  const rule = '─'.repeat(width.reduce((a, b) => a + b + 2, -2));
  const n = model.homogeneous().n;
  const lines = [
    `Model ${m.join('-')}, ${model.bias ? 'with biases' : 'homogeneous (no biases)'}, ` +
      `${model.dtype}${model.loss ? `, loss ${model.loss}` : ''}${model.classes ? `, classes ${model.classes.map((c) => JSON.stringify(c)).join(' ')}` : ''}`,
    rule,
    line(rows[0]!),
    rule,
    ...rows.slice(1).map(line),
    rule,
    `parameters: ${model.parameterCount}`,
    `homogeneous network (paper §2${model.bias ? ', built by §3' : ''}): widths ${n.join('-')}, ${n
      .slice(1)
      .map((w, j) => `W_${j + 1} ${w}×${n[j]}`)
      .join(', ')}`,
  ];
  if (model.inputScaling) lines.push(`input scaling: (x − mean) / std over ${model.inputs} inputs`);
  return lines;
}
