/**
 * A column of activations Σ_i = [σ_i1, …, σ_in_i]ᵀ (paper §2). Neurons that share an activation are grouped
 * into runs of consecutive rows; since samples are columns and storage is row-major, each run is one
 * contiguous block, so a uniform layer is one elementwise pass.
 */
import { ShapeError } from '../errors.js';
import { refKernels } from '../kernels/ref.js';
import type { Kernels } from '../kernels/types.js';
import type { Matrix } from '../linalg/matrix.js';
import { type Activation, activations } from './activation.js';

/** A run of consecutive neurons (rows) of a column Σ_i that share one activation: rows start … end − 1. */
export interface ActivationRun {
  /** The activation σ_ij shared by every neuron of the run. */
  activation: Activation;
  /** First row (0-based neuron index) of the run. */
  start: number;
  /** One past the last row. */
  end: number;
}

/** A column of activations Σ_i = [σ_i1, …, σ_in_i]ᵀ (paper §2), one per neuron of layer i, grouped into runs of consecutive equal activations. */
export class Column {
  /** σ_ij for j = 1 … n_i (stored 0-based). */
  readonly sigmas: readonly Activation[];
  /** The maximal runs of consecutive neurons with the same activation (compared by identity), in row order. */
  readonly runs: readonly ActivationRun[];

  constructor(sigmas: readonly Activation[]) {
    this.sigmas = sigmas;
    const runs: ActivationRun[] = [];
    sigmas.forEach((a, j) => {
      const last = runs[runs.length - 1];
      if (last && last.activation === a) last.end = j + 1;
      else runs.push({ activation: a, start: j, end: j + 1 });
    });
    this.runs = runs;
  }

  /** A column of n neurons that all have the same activation. */
  static uniform(activation: Activation, n: number): Column {
    return new Column(new Array<Activation>(n).fill(activation));
  }

  /** Number of neurons n_i (activations in the column). */
  get n(): number {
    return this.sigmas.length;
  }

  /** True when every neuron has the same activation (at most one run). */
  get isUniform(): boolean {
    return this.runs.length <= 1;
  }

  /** One name when uniform, otherwise one per neuron (the model-file form). */
  describe(): string | string[] {
    return this.isUniform && this.sigmas.length > 0 ? this.sigmas[0]!.name : this.sigmas.map((a) => a.name);
  }

  /**
   * Writes S = Σ(N) and dS = Σ'(N) (all n_i × B); each run of neurons is one contiguous pass, by the kernels'
   * activation pass for a built-in activation and by the activation's own `map` for a user-defined one.
   */
  apply(N: Matrix, S: Matrix, dS: Matrix, symbol = 'Σ', kernels: Kernels = refKernels): void {
    if (N.rows !== this.n || S.rows !== N.rows || dS.rows !== N.rows || S.cols !== N.cols || dS.cols !== N.cols) {
      throw new ShapeError(
        `${symbol}(N): the column has ${this.n} activations but N is ${N.shape} (S ${S.shape}, Σ' ${dS.shape})`,
      );
    }
    const B = N.cols;
    for (let r = 0; r < this.runs.length; r++) {
      const run = this.runs[r]!;
      const a = run.activation;
      // the kernels' pass for catalog activations (never for a user's own σ that happens to share a name)
      if (activations[a.name] === a) kernels.activation(a.name, N.data, S.data, dS.data, run.start * B, run.end * B);
      else a.map(N.data, S.data, dS.data, run.start * B, run.end * B);
    }
  }
}
