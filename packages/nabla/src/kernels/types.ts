/**
 * The kernel layer: raw functions on typed arrays plus dimensions. They take no objects, never allocate (but for
 * `region`, which hands out memory),
 * and assume valid input (the `linalg` layer checks shapes before calling them). Passed around as a value.
 */

/** The storage of a matrix: a Float64Array (float64) or a Float32Array (float32). */
export type FloatArray = Float64Array | Float32Array;
/** A precision: `'float64'` (Float64Array storage) or `'float32'` (Float32Array storage). */
export type DType = 'float64' | 'float32';

/**
 * A set of numeric kernels on row-major typed arrays: the products W_i·Σ_{i−1}, W_{i+1}ᵀ·Δ_{i+1}, the Hadamard
 * products ∘ of the paper, the activations, the loss seed and the optimizer steps of training run through one of
 * these. Every member is required and takes every `FloatArray` (Float32Array and Float64Array): a set whose fast
 * path cannot take some arguments runs the reference kernels (kernels/ref.ts, the specification) for them.
 * Preconditions (shapes, lengths, aliasing) are documented here, not checked.
 */
export interface Kernels {
  /** Name of the implementation, e.g. `'ref'` for the plain TypeScript kernels. */
  readonly name: string;
  /**
   * out (rows×cols) = op(a)·op(b) (+ out when `accumulate`), where op(a) is rows×inner and op(b) is inner×cols;
   * `transA` means a is stored inner×rows, `transB` means b is stored cols×inner. All row-major. With inner = 0
   * the product is zero. `out` must not alias `a` or `b`; entries past rows·cols are left alone.
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
  /**
   * out = (op(a)·op(b)) ∘ h (h rows×cols): the backward step Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i with the Hadamard
   * product fused into the product. Gives exactly `matmul` (no accumulate) followed by `hadamard`, bit for bit.
   * `out` must not alias `a`, `b` or `h`.
   */
  matmulHadamard(
    out: FloatArray,
    a: FloatArray,
    b: FloatArray,
    h: FloatArray,
    rows: number,
    inner: number,
    cols: number,
    transA: boolean,
    transB: boolean,
  ): void;
  /** out[i] = a[i]·b[i] for i < length. `out` may alias `a` or `b`. */
  hadamard(out: FloatArray, a: FloatArray, b: FloatArray, length: number): void;
  /**
   * S[j] = σ(N[j]), dS[j] = σ'(N[j]) for start ≤ j < end, in one fused pass, σ the built-in activation `name`
   * (a name of the catalog in net/activation.ts, whose `map` is the reference pass; not a user-defined σ). S or dS
   * (not both) may alias N. Entries outside start … end − 1 are left alone.
   */
  activation(name: string, N: FloatArray, S: FloatArray, dS: FloatArray, start: number, end: number): void;
  /**
   * The seed of softmax cross-entropy on the logits N (rows×B, samples as columns) with targets Y (rows×B, one-hot
   * or soft labels): seed = (softmax(N) − Y)/B column by column, softmax computed stably (the column's maximum
   * subtracted); returns the mean loss L = −(1/B)·Σ Y∘log softmax(N), always computed (see train/loss.ts).
   * `seed` may alias N, not Y.
   */
  softmaxCrossEntropySeed(N: FloatArray, Y: FloatArray, seed: FloatArray, rows: number, B: number): number;
  /**
   * One SGD step in place over `length` entries, PyTorch `SGD` with dampening 0: d = g + weightDecay·w; with
   * momentum μ ≠ 0, v ← μ·v + d and d = nesterov ? d + μ·v : v; then w ← w − lr·d. `v` starts at zero; it is
   * neither read nor written when μ = 0 (pass any array of the same type, e.g. g).
   */
  sgdUpdate(
    w: FloatArray,
    g: FloatArray,
    v: FloatArray,
    length: number,
    lr: number,
    momentum: number,
    weightDecay: number,
    nesterov: boolean,
  ): void;
  /**
   * One Adam step t = `step` ≥ 1 in place over `length` entries, PyTorch `Adam` (`decoupled`: `AdamW`):
   * d = g + wd·w (Adam) or, for AdamW, w ← w·(1 − lr·wd) and d = g; then m ← β1·m + (1 − β1)·d,
   * v ← β2·v + (1 − β2)·d², w ← w − (lr/(1 − β1ᵗ))·m / (√v/√(1 − β2ᵗ) + ε). `m` and `v` start at zero.
   */
  adamUpdate(
    w: FloatArray,
    g: FloatArray,
    m: FloatArray,
    v: FloatArray,
    length: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    step: number,
    decoupled: boolean,
  ): void;
  /**
   * A region with room for `floats` float32 values, for the arrays of a training run or a resident network: in
   * kernels with memory of their own (WebAssembly) its arrays reach the kernels without copying; in the reference
   * kernels they are ordinary Float32Arrays. `release()` frees the region (its arrays must not be used after).
   */
  region(floats: number): KernelRegion;
}

/** A region from `Kernels.region`: with WebAssembly kernels, of their own memory, so its arrays reach them without copying. */
export interface KernelRegion {
  /** A zeroed Float32Array of `length` values inside the region. */
  alloc(length: number): Float32Array;
  /** Frees the region; arrays allocated from it must not be used afterwards. */
  release(): void;
}
