/**
 * `nabla grad`: one model, one input, every quantity of the paper printed with its symbol: the forward pass, the
 * recursion Δ_i (Remark 3) and ∇_{W_i} f by the chosen form (default: the recursion).
 *   nabla grad --model model.json --input x.json [--form recursive|…|all] [--delta v.json] [--json] [--precision 6]
 */
import { type Command, Option } from 'commander';
import {
  type GradientForm,
  gradientFormNames,
  NonFiniteError,
  OptionError,
  writeFloat32,
  writeFloat64,
  writeJson,
} from 'nabla';
import type { AffineNetwork, Layers, Matrix, Network, Trace, WorkedGradient } from 'nabla/paper';
import { affineGradient, formApplies, fromColumns, gradientForms, workedGradient } from 'nabla/paper';
import type { CommandContext } from '../context.js';
import { formatMatrix, shapeOf } from '../format.js';
import { samplesFrom, vectorFrom } from '../input.js';
import { loadModelArg } from '../model-file.js';
import { InputOption } from '../option-rules.js';
import { parseInteger } from '../options.js';

type FormChoice = GradientForm | 'all';

interface GradOptions {
  model: string;
  input: string;
  form: FormChoice;
  delta?: string;
  json?: boolean;
  precision: string;
}

/** What `grad` prints, read from the worked gradient (grad/worked.ts), in the paper's indices. */
export interface GradReport {
  net: Network;
  affine: AffineNetwork | undefined;
  /** The one worked gradient: the forward pass once, the recursion and each form asked for once. */
  worked: WorkedGradient;
  trace: Trace;
  /** Δ_1 … Δ_{k+1} from the recursion. */
  D: Layers<Matrix>;
  /** ∇_{W_i} f from the chosen form. */
  gradW: Layers<Matrix>;
  form: FormChoice;
  /** Given with --delta. */
  v: number[] | undefined;
  forms?: { form: GradientForm; maxDiff: number }[];
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('grad')
    .summary("print N_i, Σ_i, Σ'_i, Δ_i and ∇_{W_i} f for a model and an input")
    .description(
      "Run the forward pass and the backward pass of the paper on one model and input, and print N_i, Σ_i, Σ'_i, Δ_i and ∇_{W_i} f\n" +
        'for every layer (samples are the columns of X; gradients are summed over them).',
    )
    .addOption(new InputOption('--model <path>', 'model file (nabla-model JSON)').makeOptionMandatory())
    .addOption(
      new InputOption(
        '--input <path>',
        'x.json: one sample [x_1, …, x_n0] or several [[…], …] (the columns of X)',
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option('--form <name>', 'gradient form for ∇_{W_i} f; "all" compares every applicable form')
        .choices([...gradientFormNames, 'all'])
        .default('recursive'),
    )
    .addOption(
      new InputOption(
        '--delta <path>',
        'v.json: a vector v of n_k numbers taking the place of Δ_{k+1} = 1 (required when n_k > 1)',
      ),
    )
    .option('--json', 'print one JSON object {f, N, S, dS, D, gradW[, forms]} instead')
    .option('--precision <digits>', 'significant digits in printed matrices (1–17)', '6')
    .action(async (opts: GradOptions) => {
      const precision = parseInteger('--precision', opts.precision, '6', { min: 1, max: 17 });
      const report = await computeGrad(opts, ctx);
      ctx.io.stdout.write(opts.json ? jsonReport(report) : textReport(report, opts, precision));
    });
}

async function computeGrad(opts: GradOptions, ctx: CommandContext): Promise<GradReport> {
  const { network: net, affine } = await loadModelArg(ctx, opts.model);
  const k = net.k;
  const nk = net.n[k]!;
  if (opts.form !== 'all' && !formApplies(net, opts.form)) {
    throw new OptionError(
      `--form ${opts.form}: the ${opts.form} form ${gradientForms[opts.form].equation} needs every width to be 1; ` +
        `${opts.model} has widths [${net.n.join(', ')}]${affine ? ' (the homogeneous form of the affine network)' : ''}`,
    );
  }
  const samples = affine
    ? samplesFrom(await ctx.readJson(opts.input), opts.input, affine.m[0]!, 'm_0')
    : samplesFrom(await ctx.readJson(opts.input), opts.input, net.n[0]!, 'n_0');
  const X0 = fromColumns(samples, 'X', net.dtype);
  let v: number[] | undefined;
  if (opts.delta !== undefined) v = vectorFrom(await ctx.readJson(opts.delta), opts.delta, nk, 'v', 'n_k');
  else if (nk > 1) {
    throw new OptionError(
      `--delta is required: n_k = ${nk} > 1, so a vector v of ${nk} numbers (--delta v.json) ` +
        `takes the place of Δ_${k + 1} = 1 (the gradients are then ∇_W (v·f))`,
    );
  }
  // §3 for an affine model, the forward pass once, the recursion and the form(s) asked for once on that trace
  const asked = opts.form === 'all' ? undefined : opts.form;
  const worked = workedGradient(net, X0, { seed: v, affine: affine !== undefined, forms: asked ? [asked] : 'all' });
  const chosen = worked.forms.find((f) => f.form === (asked ?? 'recursive'))!;
  const forms = !asked ? worked.forms.map(({ form, maxDiff }) => ({ form, maxDiff })) : undefined;
  const { trace, D } = worked;
  return { net, affine, worked, trace, D, gradW: chosen.grads.gradW, form: opts.form, v, ...(forms ? { forms } : {}) };
}

/**
 * The --json object: f, then N, S (with "0" = X), dS, D (with "k+1" = the seed), gradW, keyed by the paper index.
 * gradW has the shape of each layer's W in the model file: for an affine model [∇_{A_i} f | ∇_{b_i} f]; the
 * homogeneous network's ∇_{W_i} f of §3 (with the formal neuron's row) is under "homogeneous".
 */
export function jsonObject(r: GradReport): Record<string, unknown> {
  const rows = (m: Matrix) => m.toRows();
  const out: Record<string, unknown> = {
    f: r.trace.f.toRows(),
    N: r.trace.N.toRecord(rows),
    S: r.trace.S.toRecord(rows),
    dS: r.trace.dS.toRecord(rows),
    D: r.D.toRecord(rows),
    gradW: r.affine
      ? Object.fromEntries(affineGradient(r.gradW).map((G, j) => [String(j + 1), G.toRows()]))
      : r.gradW.toRecord(rows),
  };
  if (r.affine) out.homogeneous = { n: [...r.net.n], gradW: r.gradW.toRecord(rows) };
  if (r.forms) out.forms = Object.fromEntries(r.forms.map((f) => [f.form, f.maxDiff]));
  return out;
}

function jsonReport(r: GradReport): string {
  const f32 = r.net.dtype === 'float32';
  return `${writeJson(jsonObject(r), (v, path) => {
    if (!Number.isFinite(v)) {
      const [key, index, row, col] = path;
      const where =
        key === 'f' ? `f[${index}][${row}]` : `${String(key)}_${String(index)}[${String(row)}][${String(col)}]`;
      throw new NonFiniteError(`${where} is ${v}, which JSON cannot hold (run without --json to see every value)`);
    }
    return f32 && path[0] !== 'forms' ? writeFloat32(v) : writeFloat64(v);
  })}\n`;
}

function textReport(r: GradReport, opts: GradOptions, p: number): string {
  const { net, affine, trace } = r;
  const k = net.k;
  const B = trace.f.cols;
  const out: string[] = [];
  const block = (label: string, m: Matrix, note = '') => {
    out.push(`${label}   (${shapeOf(m)}${note})`);
    out.push(formatMatrix(m, p));
  };
  const sig = (i: number) => {
    const d = net.sigma.get(i).describe();
    return Array.isArray(d) ? `[${d.join(', ')}]` : d;
  };
  const samples = `${B} sample${B === 1 ? '' : 's'} (the columns of X)`;
  if (affine) {
    out.push(
      `${opts.model}: affine network, m = [${affine.m.join(', ')}], k = ${k}; as the homogeneous network of §3: n = [${net.n.join(', ')}]; ${samples}`,
    );
    out.push(
      `  §3: the last entry of Σ_0 = X is the constant 1; for i < k the last neuron of layer i is the formal one (σ = identity, value 1).`,
    );
  } else {
    out.push(`${opts.model}: n = [${net.n.join(', ')}], k = ${k}; ${samples}`);
  }
  out.push(
    `  ${net.sigma
      .indices()
      .map((i) => `Σ_${i} = ${sig(i)}`)
      .join(', ')}`,
  );
  out.push('');
  out.push(`forward:  N_1 = W_1·X,  N_{i+1} = W_{i+1}·Σ_i(N_i),  f = Σ_${k}(N_${k})`);
  block('Σ_0 = X', trace.S.get(0));
  for (let i = 1; i <= k; i++) {
    block(`N_${i} = W_${i}·Σ_${i - 1}`, trace.N.get(i));
    block(`Σ_${i} = Σ_${i}(N_${i})`, trace.S.get(i), `, ${sig(i)}`);
    block(`Σ'_${i} = Σ'_${i}(N_${i})`, trace.dS.get(i));
  }
  block(`f = Σ_${k}(N_${k})`, trace.f);
  out.push('');
  out.push(`backward:  Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i  (Remark 3)`);
  const seedLabel = r.v
    ? `Δ_${k + 1} = v  (from ${opts.delta}; the gradients below are ∇_W (v·f))`
    : `Δ_${k + 1} = W_${k + 1}ᵀ = 1`;
  block(seedLabel, r.D.get(k + 1));
  for (let i = k; i >= 1; i--)
    block(i === k ? `Δ_${k} = Δ_${k + 1} ∘ Σ'_${k}` : `Δ_${i} = (W_${i + 1}ᵀ·Δ_${i + 1}) ∘ Σ'_${i}`, r.D.get(i));
  out.push('');
  const formName: GradientForm = r.form === 'all' ? 'recursive' : r.form;
  const info = gradientForms[formName];
  out.push(
    `gradient, ${formName} form ${info.equation}: ${info.title}${B > 1 ? ` (summed over the ${B} samples)` : ''}`,
  );
  for (let i = k; i >= 1; i--) {
    const label = formName === 'recursive' ? `∇_{W_${i}} f = Δ_${i}·Σ_${i - 1}ᵀ` : `∇_{W_${i}} f`;
    block(label, r.gradW.get(i));
    if (affine) {
      const cols = net.n[i - 1]!;
      out.push(
        `  last column (column ${cols} of ${cols}) is the bias gradient ∇_{b_${i}} f; the others are ∇_{A_${i}} f`,
      );
      if (i < k) out.push(`  last row: the formal neuron, whose row [0, …, 0, 1] of W_${i} is fixed (not a parameter)`);
    }
  }
  if (r.forms) {
    out.push('');
    out.push('forms: largest |∇_{W_i} f − ∇_{W_i} f (recursive)| over all layers and entries');
    const w = Math.max(...r.forms.map((f) => f.form.length));
    const we = Math.max(...r.forms.map((f) => gradientForms[f.form].equation.length));
    for (const f of r.forms) {
      const g = gradientForms[f.form];
      const d = f.maxDiff === 0 ? '0' : Number.isNaN(f.maxDiff) ? 'NaN' : f.maxDiff.toExponential(2);
      out.push(`  ${f.form.padEnd(w)}  ${g.equation.padEnd(we)}  ${d.padStart(9)}   ${g.title}`);
    }
  }
  return `${out.join('\n')}\n`;
}
