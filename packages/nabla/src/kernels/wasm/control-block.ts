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
/** The job's arguments from here on: out, a, b, rows, inner, cols, tA, tB, acc, dim, chunk size, extent. */
export const ARG = 48;
/** Bytes of the control block. */
export const CONTROL_BYTES = 64 * 4;

/** CMD value that tells the workers to return. */
export const CMD_EXIT = 2;
