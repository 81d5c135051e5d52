/**
 * The kernel layer: raw functions on typed arrays plus dimensions. They take no objects, never allocate,
 * and assume valid input (the `linalg` layer checks shapes before calling them). Passed around as a value.
 */

/** The storage of a matrix: a Float64Array (float64) or a Float32Array (float32). */
export type FloatArray = Float64Array | Float32Array;
/** A precision: `'float64'` (Float64Array storage) or `'float32'` (Float32Array storage). */
export type DType = 'float64' | 'float32';

/**
 * A set of numeric kernels (the required `matmul` and `hadamard` plus optional fused capabilities) on row-major typed arrays;
 * the products W_i·Σ_{i−1}, W_{i+1}ᵀ·Δ_{i+1} and the Hadamard products ∘ of the paper run through one of these.
 */
export interface Kernels {
  /** Name of the implementation, e.g. `'ref'` for the plain TypeScript kernels. */
  readonly name: string;
  /**
   * out (rows×cols) = op(a)·op(b) (+ out when `accumulate`), where op(a) is rows×inner and op(b) is inner×cols;
   * `transA` means a is stored inner×rows, `transB` means b is stored cols×inner. All row-major.
   */
  matmul(
    out: FloatArray,
    a: FloatArray,
    b: FloatArray,
    rows: number,
    inner: number,
    cols: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
  ): void;
  /** out[i] = a[i]·b[i] for i < length. `out` may alias `a` or `b`. */
  hadamard(out: FloatArray, a: FloatArray, b: FloatArray, length: number): void;

  // Optional capabilities of faster kernels. A caller falls back to plain TypeScript when one is missing, and also
  // when it declines: a capability that cannot take the arrays it is given (e.g. Float64Array for float32-only
  // kernels) writes nothing and returns its "not handled" value (false, or NaN for the loss).

  /**
   * S[j] = σ(N[j]), dS[j] = σ'(N[j]) for start ≤ j < end, σ the catalog activation `name`, in one fused pass.
   * Returns false (and writes nothing) when these kernels do not provide it for these arrays.
   */
  activation?(name: string, N: FloatArray, S: FloatArray, dS: FloatArray, start: number, end: number): boolean;
  /**
   * A region of the kernels' own memory with room for `floats` float32 values: arrays allocated from it are
   * passed to the kernels without copying. `release()` frees the region (its arrays must not be used after).
   */
  region?(floats: number): KernelRegion;
  /**
   * out = (op(a)·op(b)) ∘ h (h rows×cols, not aliasing out): the backward step Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i with
   * the Hadamard product fused into the product. Must give exactly matmul followed by hadamard, for every FloatArray
   * (it never declines).
   */
  matmulHadamard?(out: FloatArray, a: FloatArray, b: FloatArray, h: FloatArray, rows: number, inner: number, cols: number, transA: boolean, transB: boolean): void;
  /**
   * seed = (softmax(N) − Y)/B column by column; returns the mean cross-entropy (see train/loss.ts). Returns NaN and
   * writes nothing when these kernels do not take these arrays: a caller treats NaN as "compute it yourself" (a
   * loss that really is NaN comes out NaN again that way).
   */
  softmaxCrossEntropySeed?(N: FloatArray, Y: FloatArray, seed: FloatArray, rows: number, B: number): number;
  /**
   * One SGD step in place, PyTorch rules with dampening 0 (see train/optimizer.ts). Returns false and writes nothing
   * when these kernels do not take these arrays.
   */
  sgdUpdate?(w: FloatArray, g: FloatArray, v: FloatArray, length: number, lr: number, momentum: number, weightDecay: number, nesterov: boolean): boolean;
  /**
   * One Adam/AdamW step in place, PyTorch rules (see train/optimizer.ts). Returns false and writes nothing when
   * these kernels do not take these arrays.
   */
  adamUpdate?(
    w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, length: number,
    lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number, decoupled: boolean,
  ): boolean;
}

/** A region of a kernel set's own memory, from `Kernels.region`: arrays allocated in it reach the kernels without copying. */
export interface KernelRegion {
  /** A Float32Array of `length` values inside the region. */
  alloc(length: number): Float32Array;
  /** Frees the region; arrays allocated from it must not be used afterwards. */
  release(): void;
}
