/**
 * The optimizers sgd (momentum, Nesterov, dampening), adam and adamw, with PyTorch's update rules (torch.optim) so
 * a user moving between the two gets the same numbers. Each update is one pass over the weights by the kernels
 * (`sgdUpdate`, `adamUpdate`; sgd with dampening and momentum is a loop here) and allocates nothing after step 1.
 */
import { OptionError } from '../errors.js';
import { refKernels } from '../kernels/ref.js';
import type { Kernels } from '../kernels/types.js';
import { type FloatArray, type Matrix, newArray } from '../linalg/matrix.js';
import type { Layers } from '../net/layers.js';

/**
 * An optimizer by name, with PyTorch's update rules: `'sgd'` (optionally with momentum or Nesterov), `'adam'` (L2 weight decay)
 * or `'adamw'` (decoupled weight decay).
 */
export type OptimizerName = 'sgd' | 'adam' | 'adamw';
/** The names of all optimizers. */
export const optimizerNames: readonly OptimizerName[] = ['sgd', 'adam', 'adamw'];

/** Hyperparameters of the optimizers; each optimizer reads the ones that apply to it and checks their ranges. */
export interface OptimizerOptions {
  /** Momentum μ for sgd (default 0). */
  momentum?: number;
  /** Dampening τ for sgd momentum (default 0). */
  dampening?: number;
  /** Nesterov momentum for sgd (default false; needs momentum > 0). */
  nesterov?: boolean;
  /** Weight decay λ (L2 for sgd/adam, decoupled for adamw). Defaults: 0, and 0.01 for adamw as in PyTorch. */
  weightDecay?: number;
  /** Decay rate β₁ of Adam's first-moment estimate m, in [0, 0.999999] (default 0.9). */
  beta1?: number;
  /** Decay rate β₂ of Adam's second-moment estimate v, in [0, 0.99999999] (default 0.999). */
  beta2?: number;
  /** ε added to √v̂ in Adam's denominator, in [0, 1] (default 1e-8). */
  eps?: number;
}

/** An optimizer's state (step count, options and slots such as momentum), as the model file stores it. */
export interface OptimizerState {
  /** The optimizer the state belongs to. */
  name: OptimizerName;
  /** Steps taken so far (t). */
  step: number;
  /** The hyperparameters the optimizer ran with. */
  options: Record<string, number | boolean>;
  /** Slot name → one array per layer (W_1 … W_k), each as rows. */
  state: Record<string, number[][][]>;
}

export interface Optimizer {
  readonly name: OptimizerName;
  /** Steps taken so far (t). */
  readonly step: number;
  /** One step: updates every W_i in place from ∇_{W_i} L with learning rate η. Mutates `W`. */
  update(W: Layers<Matrix>, G: Layers<Matrix>, lr: number): void;
  /** The optimizer's state for saving (to resume training). */
  save(W: Layers<Matrix>): OptimizerState;
}

/** One hyperparameter: a number in a range (`open`: the lower end excluded) or a boolean, with its default. */
type ParameterSpec =
  | { kind: 'number'; lo: number; hi: number; open?: boolean; dflt: number }
  | { kind: 'boolean'; dflt: boolean };

/**
 * The hyperparameters each optimizer takes, their ranges and defaults (PyTorch's), and the state slots it keeps:
 * the one table the optimizers, the model file's optimizer state and `--resume` are checked against.
 */
export const optimizerSpecs: Readonly<
  Record<OptimizerName, { parameters: Readonly<Record<string, ParameterSpec>>; slots: readonly string[] }>
> = {
  sgd: {
    parameters: {
      momentum: { kind: 'number', lo: 0, hi: 1, dflt: 0 },
      dampening: { kind: 'number', lo: 0, hi: 1, dflt: 0 },
      nesterov: { kind: 'boolean', dflt: false },
      weightDecay: { kind: 'number', lo: 0, hi: Infinity, dflt: 0 },
    },
    slots: ['momentum'],
  },
  adam: adamSpec(0),
  adamw: adamSpec(0.01),
};

/** Adam's and AdamW's hyperparameters; they differ only in the default weight decay (PyTorch's). */
function adamSpec(weightDecay: number): { parameters: Record<string, ParameterSpec>; slots: readonly string[] } {
  return {
    parameters: {
      beta1: { kind: 'number', lo: 0, hi: 0.999999, dflt: 0.9 },
      beta2: { kind: 'number', lo: 0, hi: 0.99999999, dflt: 0.999 },
      eps: { kind: 'number', lo: 0, hi: 1, open: true, dflt: 1e-8 },
      weightDecay: { kind: 'number', lo: 0, hi: Infinity, dflt: weightDecay },
    },
    slots: ['m', 'v'],
  };
}

function rangeText(p: ParameterSpec): string {
  return p.kind === 'boolean'
    ? 'true or false'
    : `a number in ${p.open ? '(' : '['}${p.lo}, ${p.hi === Infinity ? '∞)' : `${p.hi}]`}`;
}

/** Why `value` is not a valid `name` of optimizer `opt`, or undefined. */
export function optimizerParameterProblem(opt: OptimizerName, name: string, value: unknown): string | undefined {
  const p = optimizerSpecs[opt].parameters[name];
  if (p === undefined)
    return `${opt} has no option "${name}"; its options are ${Object.keys(optimizerSpecs[opt].parameters).join(', ')}`;
  const ok =
    p.kind === 'boolean'
      ? typeof value === 'boolean'
      : typeof value === 'number' && Number.isFinite(value) && (p.open ? value > p.lo : value >= p.lo) && value <= p.hi;
  return ok ? undefined : `${opt} option ${name} = ${JSON.stringify(value) ?? String(value)}; expected ${rangeText(p)}`;
}

function num(o: OptimizerOptions, opt: OptimizerName, name: keyof OptimizerOptions): number {
  const p = optimizerSpecs[opt].parameters[name]!;
  const v = o[name];
  if (v === undefined) return p.dflt as number;
  const problem = optimizerParameterProblem(opt, name, v);
  if (problem) throw new OptionError(`optimizer option: ${problem}`);
  return v as number;
}

/** Where an optimizer keeps its state and which kernels run its updates. */
export interface OptimizerEnv {
  /** The kernels of the updates (`sgdUpdate`, `adamUpdate`); default the reference kernels. */
  kernels?: Kernels;
  /** Allocates a state array (default: a plain typed array of the weights' precision). */
  alloc?: (length: number) => FloatArray;
}

function slotsOf(W: Layers<Matrix>, env: OptimizerEnv): FloatArray[] {
  return W.indices().map((i) =>
    env.alloc ? env.alloc(W.get(i).data.length) : newArray(W.get(i).dtype, W.get(i).data.length),
  );
}

function rowsOf(a: FloatArray, m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(a.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

function restoreSlot(target: FloatArray[], saved: number[][][] | undefined, W: Layers<Matrix>, name: string): void {
  if (!saved) throw new OptionError(`optimizer state: slot "${name}" is missing`);
  W.indices().forEach((i, j) => {
    const rows = saved[j];
    const m = W.get(i);
    if (!rows || rows.length !== m.rows || rows.some((r) => r.length !== m.cols)) {
      throw new OptionError(`optimizer state: slot "${name}" for W_${i} is not ${m.shape}`);
    }
    rows.forEach((r, ri) => target[j]!.set(r, ri * m.cols));
  });
}

class Sgd implements Optimizer {
  readonly name = 'sgd' as const;
  step = 0;
  private readonly env: OptimizerEnv;
  private readonly kernels: Kernels;
  private readonly mu: number;
  private readonly tau: number;
  private readonly nesterov: boolean;
  private readonly wd: number;
  private buf: FloatArray[] | undefined;

  constructor(o: OptimizerOptions, env: OptimizerEnv) {
    this.env = env;
    this.kernels = env.kernels ?? refKernels;
    this.mu = num(o, 'sgd', 'momentum');
    this.tau = num(o, 'sgd', 'dampening');
    this.nesterov = o.nesterov ?? false;
    this.wd = num(o, 'sgd', 'weightDecay');
    if (this.nesterov && (this.mu <= 0 || this.tau !== 0)) {
      throw new OptionError('sgd: Nesterov momentum needs momentum > 0 and dampening 0 (as in PyTorch)');
    }
  }

  update(W: Layers<Matrix>, G: Layers<Matrix>, lr: number): void {
    this.step++;
    const { mu, tau, wd, nesterov } = this;
    if (mu > 0 && !this.buf) this.buf = slotsOf(W, this.env);
    for (let i = W.first; i <= W.last; i++) {
      const j = i - W.first;
      const w = W.get(i).data;
      const g = G.get(i).data;
      const n = w.length;
      // dampening 0 (PyTorch's default) or no momentum is the kernels' rule (their v starts at 0, so v = d at t = 1)
      if (tau === 0 || mu === 0) {
        this.kernels.sgdUpdate(w, g, mu > 0 ? this.buf![j]! : g, n, lr, mu, wd, nesterov);
        continue;
      }
      // dampened momentum (τ ≠ 0), outside the kernel contract: b = d at t = 1, then b ← μb + (1 − τ)d
      const b = this.buf![j]!;
      const first = this.step === 1;
      for (let e = 0; e < n; e++) {
        const ge = g[e]! + wd * w[e]!;
        const be = first ? ge : mu * b[e]! + (1 - tau) * ge;
        b[e] = be;
        w[e]! -= lr * (nesterov ? ge + mu * be : be);
      }
    }
  }

  save(W: Layers<Matrix>): OptimizerState {
    const state: Record<string, number[][][]> = {};
    if (this.buf) state['momentum'] = W.indices().map((i, j) => rowsOf(this.buf![j]!, W.get(i)));
    return {
      name: 'sgd',
      step: this.step,
      options: { momentum: this.mu, dampening: this.tau, nesterov: this.nesterov, weightDecay: this.wd },
      state,
    };
  }

  load(s: OptimizerState, W: Layers<Matrix>): void {
    this.step = s.step;
    if (this.mu > 0 && s.state['momentum']) {
      this.buf = slotsOf(W, this.env);
      restoreSlot(this.buf, s.state['momentum'], W, 'momentum');
    }
  }
}

class Adam implements Optimizer {
  readonly name: 'adam' | 'adamw';
  step = 0;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly wd: number;
  private m: FloatArray[] | undefined;
  private v: FloatArray[] | undefined;
  private readonly env: OptimizerEnv;
  private readonly kernels: Kernels;

  constructor(o: OptimizerOptions, decoupled: boolean, env: OptimizerEnv) {
    this.env = env;
    this.kernels = env.kernels ?? refKernels;
    this.name = decoupled ? 'adamw' : 'adam';
    const opt = decoupled ? 'adamw' : 'adam';
    this.b1 = num(o, opt, 'beta1');
    this.b2 = num(o, opt, 'beta2');
    this.eps = num(o, opt, 'eps');
    this.wd = num(o, opt, 'weightDecay');
  }

  update(W: Layers<Matrix>, G: Layers<Matrix>, lr: number): void {
    this.step++;
    if (!this.m) {
      this.m = slotsOf(W, this.env);
      this.v = slotsOf(W, this.env);
    }
    const { b1, b2, eps, wd } = this;
    const decoupled = this.name === 'adamw';
    for (let i = W.first; i <= W.last; i++) {
      const j = i - W.first;
      const w = W.get(i).data;
      // PyTorch: W ← W − (η/c1) · m / (√v/√c2 + ε)   (Kernels.adamUpdate)
      this.kernels.adamUpdate(
        w,
        G.get(i).data,
        this.m[j]!,
        this.v![j]!,
        w.length,
        lr,
        b1,
        b2,
        eps,
        wd,
        this.step,
        decoupled,
      );
    }
  }

  save(W: Layers<Matrix>): OptimizerState {
    const state: Record<string, number[][][]> = {};
    if (this.m && this.v) {
      state['m'] = W.indices().map((i, j) => rowsOf(this.m![j]!, W.get(i)));
      state['v'] = W.indices().map((i, j) => rowsOf(this.v![j]!, W.get(i)));
    }
    return {
      name: this.name,
      step: this.step,
      options: { beta1: this.b1, beta2: this.b2, eps: this.eps, weightDecay: this.wd },
      state,
    };
  }

  load(s: OptimizerState, W: Layers<Matrix>): void {
    this.step = s.step;
    if (s.step > 0) {
      this.m = slotsOf(W, this.env);
      this.v = slotsOf(W, this.env);
      restoreSlot(this.m, s.state['m'], W, 'm');
      restoreSlot(this.v, s.state['v'], W, 'v');
    }
  }
}

/** Creates an optimizer; with `resume`, continues from a saved state (same name required). */
export function createOptimizer(
  name: string,
  opts: OptimizerOptions = {},
  resume?: { state: OptimizerState; W: Layers<Matrix> },
  env: OptimizerEnv = {},
): Optimizer {
  if (!optimizerNames.includes(name as OptimizerName))
    throw new OptionError(`unknown optimizer "${name}"; expected one of: ${optimizerNames.join(', ')}`);
  if (resume && resume.state.name !== name)
    throw new OptionError(`cannot resume: the saved optimizer is ${resume.state.name}, not ${name}`);
  // resuming continues with the saved hyperparameters; an option given again must agree with them
  const options = resume ? resumedOptions(resume.state, opts) : opts;
  const o = name === 'sgd' ? new Sgd(options, env) : new Adam(options, name === 'adamw', env);
  if (resume) o.load(resume.state, resume.W);
  return o;
}

function resumedOptions(state: OptimizerState, given: OptimizerOptions): OptimizerOptions {
  const saved = state.options as OptimizerOptions;
  for (const [key, value] of Object.entries(given) as [keyof OptimizerOptions, unknown][]) {
    if (value !== undefined && saved[key] !== undefined && saved[key] !== value) {
      throw new OptionError(
        `cannot resume with ${key} = ${String(value)}: the saved ${state.name} state was made with ${key} = ${String(saved[key])}`,
      );
    }
  }
  return { ...saved, ...given };
}

/**
 * Why a saved optimizer state cannot be resumed, as a path into it and a message, or undefined: an unknown
 * optimizer, an option that it does not take or that is out of range, a slot it does not keep, a missing slot
 * after the first step, or a negative second moment v.
 */
export function optimizerStateProblem(s: {
  name: string;
  step: number;
  options?: Record<string, unknown>;
  state?: Record<string, number[][][]>;
}): { path: (string | number)[]; message: string } | undefined {
  if (!optimizerNames.includes(s.name as OptimizerName))
    return {
      path: ['name'],
      message: `unknown optimizer ${JSON.stringify(s.name)}; expected one of: ${optimizerNames.join(', ')}`,
    };
  const name = s.name as OptimizerName;
  for (const [key, value] of Object.entries(s.options ?? {})) {
    const problem = optimizerParameterProblem(name, key, value);
    if (problem) return { path: ['options', key], message: problem };
  }
  const spec = optimizerSpecs[name];
  for (const slot of Object.keys(s.state ?? {})) {
    if (!spec.slots.includes(slot))
      return {
        path: ['state', slot],
        message: `${name} keeps no slot "${slot}"; its slots are ${spec.slots.join(', ')}`,
      };
  }
  const momentum = (s.options?.['momentum'] as number | undefined) ?? 0;
  const needed = s.step === 0 ? [] : name === 'sgd' ? (momentum > 0 ? ['momentum'] : []) : spec.slots;
  for (const slot of needed) {
    if (s.state?.[slot] === undefined)
      return { path: ['state'], message: `${name} after ${s.step} steps needs its slot "${slot}", which is missing` };
  }
  const v = s.state?.['v'];
  if (v) {
    for (let l = 0; l < v.length; l++) {
      for (let r = 0; r < v[l]!.length; r++) {
        const c = v[l]![r]!.findIndex((x) => x < 0);
        if (c >= 0)
          return {
            path: ['state', 'v', l, r, c],
            message: `${v[l]![r]![c]} is negative; the second moment v is a running mean of squares (≥ 0)`,
          };
      }
    }
  }
  return undefined;
}
