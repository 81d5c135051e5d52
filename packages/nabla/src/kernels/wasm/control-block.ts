/**
 * The control block through which the main thread hands matrix products to the worker threads: Int32 words in
 * the shared memory, read and written with `Atomics` (the protocol is described in threads.ts). Shared by the
 * pool (threads.ts) and the worker's body (worker-script.ts), which has these numbers pasted into its source.
 */

/** Word indices; groups on separate 64-byte lines. */
export const SEQ = 0;
export const CMD = 1;
export const SLEEPERS = 2;
export const SPIN_US = 3;
export const NEXT = 16;
export const FIN = 32;
export const ERR = 33;
export const WORKER_CHUNKS = 34;
/**
 * The job's arguments from here on. A product (KIND_MATMUL): out, a, b, rows, inner, cols, tA, tB, acc, dim, and at
 * ARG + 13 the factor h of a fused product (out = (op(a)·op(b)) ∘ h; 0: none). An
 * optimizer update: its arrays (SGD: w, g, v; Adam: w, g, m, v) from ARG, its flags (SGD: nesterov at ARG + 4; Adam:
 * step, decoupled at ARG + 5, ARG + 6) and its float parameters as float64 from byte FLOATS_BYTE (SGD: lr, momentum,
 * weight decay; Adam: lr, β1, β2, ε, weight decay). Every job: the chunk size at ARG + 10, the extent cut into
 * chunks (rows, columns or floats) at ARG + 11, its kind at ARG + 12.
 */
export const ARG = 48;
export const KIND = ARG + 12;
/** The factor h of a fused product (0: none). */
export const HADAMARD = ARG + 13;
/** Byte offset of the float64 parameters (word 64, 8-aligned). */
export const FLOATS_BYTE = 64 * 4;
/** Bytes of the control block. */
export const CONTROL_BYTES = 128 * 4;

/** Job kinds. */
export const KIND_MATMUL = 0;
export const KIND_SGD = 1;
export const KIND_ADAM = 2;

/** CMD value that tells the workers to return. */
export const CMD_EXIT = 2;
