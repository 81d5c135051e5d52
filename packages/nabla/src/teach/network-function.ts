/**
 * The network function of the paper's §2 as the derivation states it: f(X;W) = Σ_k(W_k·…Σ_1(W_1·X)) nested
 * and as the product Σ_k∘W_k·…·Σ_1∘W_1·X, the widths n_0 … n_k, each column Σ_i = [σ_i1, …]ᵀ, the matrices
 * W_i and the input X = Σ_0 (and v = Δ_{k+1} when n_k > 1); for an affine model file, the homogeneous form of §3.
 */
import { seedIsOne } from '../grad/seed.js';
import type { ColumnInfo, DerivationOptions, DerivationProblem } from './derivation-types.js';
import { type Block, code, equation, type Inline, math, paragraph } from './doc.js';

function widthsTex(n: readonly number[], sym = 'n'): string {
  return n.map((w, i) => `${sym}_${i} = ${w}`).join(',\\ ');
}

/** f(X;W) = Σ_k(W_k·Σ_{k−1}(…Σ_1(W_1·X)…)). */
export function nestedTex(k: number): string {
  let s = 'X';
  for (let i = 1; i <= k; i++) s = `\\Sigma_{${i}}(W_{${i}}\\cdot ${s})`;
  return s;
}

/** f(X;W) = Σ_k∘W_k·Σ_{k−1}∘W_{k−1}·…·Σ_1∘W_1·X (the paper's product form, read right to left). */
export function productTex(k: number): string {
  const parts: string[] = [];
  for (let i = k; i >= 1; i--) parts.push(`\\Sigma_{${i}}\\circ W_{${i}}`);
  return `${parts.join('\\cdot ')}\\cdot X`;
}

/** The list items describing Σ_1 … Σ_k, one per layer, grouping neurons that share σ. */
export function columnItems(columns: readonly (readonly ColumnInfo[])[]): Inline[][] {
  return columns.map((col, j) => {
    const i = j + 1;
    const item: Inline[] = [
      math(`\\Sigma_{${i}} = [${col.map((_, r) => `\\sigma_{${i}${r + 1}}`).join(', ')}]^T`),
      ': ',
    ];
    const groups = new Map<string, { info: ColumnInfo; neurons: number[] }>();
    col.forEach((info, r) => {
      const g = groups.get(info.name);
      if (g) g.neurons.push(r + 1);
      else groups.set(info.name, { info, neurons: [r + 1] });
    });
    [...groups.values()].forEach((g, gi) => {
      if (gi > 0) item.push('; ');
      const who =
        groups.size === 1 && col.length > 1
          ? `\\sigma_{${i}j}`
          : g.neurons.map((r) => `\\sigma_{${i}${r}}`).join(' = ');
      item.push(math(who), ' = ', code(g.info.name), ', ', math(g.info.tex));
      if (g.info.dtex) item.push(', ', math(g.info.dtex));
    });
    return item;
  });
}

/** "The network" blocks: f, widths, columns, W_i, X (and v). */
export function networkBlocks<M>(p: DerivationProblem<M>, opts: Pick<DerivationOptions, 'affineWidths'>): Block[] {
  const k = p.net.n.length - 1;
  const out: Block[] = [
    paragraph(
      math(`k = ${k}`),
      k === 1 ? ' layer, widths ' : ' layers, widths ',
      math(widthsTex(p.net.n)),
      '; ',
      math('W_i'),
      ' is an ',
      math('n_i\\times n_{i-1}'),
      ' matrix:',
    ),
    equation('f(X;W)', nestedTex(k), productTex(k)),
    paragraph('with the columns of activations (', math('\\sigma_{ij}'), ' acts on row ', math('j'), '):'),
    { type: 'list', items: columnItems(p.columns) },
  ];
  if (opts.affineWidths) {
    out.push(
      paragraph(
        'The model file is affine (genuine widths ',
        math(widthsTex(opts.affineWidths, 'm')),
        '). As in section 3 of the paper it is written as the homogeneous network: ',
        math('X'),
        ' gets a last entry 1, every hidden layer a last "formal" neuron (identity, value 1, its row of ',
        math('W_i'),
        ' fixed at ',
        math('[0,\\dots,0,1]'),
        '), and the bias is the last column of ',
        math('W_i'),
        '.',
      ),
    );
  }
  for (let i = 1; i <= k; i++) out.push(equation(`W_{${i}}`, p.tex(p.net.W.get(i))));
  out.push(equation('X = \\Sigma_0', p.tex(p.X)));
  if (!seedIsOne(p.alg, p.seed)) {
    out.push(
      paragraph(
        math(`n_${k} = ${p.net.n[k]} > 1`),
        ', so a vector ',
        math('v'),
        ' takes the place of ',
        math(`\\Delta_{${k + 1}} = 1`),
        ' and every gradient below is that of ',
        math('v\\cdot f'),
        ':',
      ),
      equation(`v = \\Delta_{${k + 1}}`, p.tex(p.seed)),
    );
  }
  return out;
}
