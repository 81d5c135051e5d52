/**
 * The kernels a model uses when the caller names none: the fastest this engine runs — native (nabla-native) in
 * Node where it loads and the CPU has the instructions, else WebAssembly SIMD (relaxed FMA, two threads where
 * possible), the reference kernels only without SIMD. `kernels` or NABLA_KERNELS forces a set (refused with the
 * reason if it cannot run); the choice is reported (`KernelsInfo`).
 */
import { OptionError, UnsupportedError } from '../errors.js';
import { createNativeKernels, nativeUnavailableReason } from '../kernels/native.js';
import { refKernels } from '../kernels/ref.js';
import type { Kernels } from '../kernels/types.js';
import { createWasmKernels, createWasmKernelsSync } from '../kernels/wasm/index.js';

/** Which kernels ran: `native-avx512`, `native-avx2`, `wasm-relaxed` (SIMD + FMA), `wasm-simd`, or `ref` (plain TypeScript), and on how many threads. */
export interface KernelsInfo {
  /** `native-avx512`, `native-avx2`, `wasm-relaxed`, `wasm-simd`, `ref`, or a caller's kernels' name. */
  name: string;
  /** Threads the matrix products use. */
  threads: number;
  /** Why slower kernels or fewer threads than the best are in use, when they are. */
  note?: string;
}

export interface SelectedKernels {
  kernels: Kernels;
  info: KernelsInfo;
}

/** A kernel set by name: what the `kernels` option and NABLA_KERNELS take (`'auto'`: the fastest that runs here). */
export type KernelSetName = 'native' | 'wasm' | 'ref';
const SET_NAMES: readonly string[] = ['native', 'wasm', 'ref', 'auto'];

/** The environment variable that forces a kernel set (`native`, `wasm`, `ref`, or `auto`). */
export const KERNELS_ENV = 'NABLA_KERNELS';

function envValue(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.[KERNELS_ENV];
}

/** How a forced set was asked for, for messages: the option, or the environment variable. */
function askedBy(option: string | undefined, set: KernelSetName): string {
  return option !== undefined ? `kernels: '${set}'` : `${KERNELS_ENV}=${set}`;
}

/**
 * The set forced by the `kernels` option (which wins) or else by NABLA_KERNELS, or undefined for the automatic choice.
 * Refuses a name that is not a set, and an empty NABLA_KERNELS (unset it for the automatic choice).
 */
export function forcedKernelSet(option?: string): KernelSetName | undefined {
  if (option !== undefined) {
    if (!SET_NAMES.includes(option)) {
      throw new OptionError(
        `kernels: expected 'native', 'wasm', 'ref', 'auto' or a Kernels object, got ${JSON.stringify(option)}`,
      );
    }
    return option === 'auto' ? undefined : (option as KernelSetName);
  }
  const env = envValue();
  if (env === undefined) return undefined;
  if (!SET_NAMES.includes(env)) {
    throw new OptionError(
      `${KERNELS_ENV}=${JSON.stringify(env)}: expected native, wasm, ref or auto${env === '' ? ' (unset it for the automatic choice)' : ''}`,
    );
  }
  return env === 'auto' ? undefined : (env as KernelSetName);
}

function describe(kernels: Kernels, note: string | undefined): KernelsInfo {
  const k = kernels as Kernels & { threads?: number; threadsNote?: string };
  const info: KernelsInfo = { name: kernels.name ?? 'custom', threads: k.threads ?? 1 };
  const why = note ?? k.threadsNote;
  if (why !== undefined) info.note = why;
  return info;
}

const inNode = (): boolean =>
  (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !== undefined;

/** The native kernels when they run here (or were forced: then their absence is an error), else the note why not. */
function nativeOrNote(
  forced: KernelSetName | undefined,
  option?: string,
  threads: Threads = 'auto',
): { selected?: SelectedKernels; note?: string } {
  if (forced === 'wasm' || forced === 'ref') return {};
  const why = nativeUnavailableReason();
  if (why === undefined) {
    const k = createNativeKernels({ threads });
    return { selected: { kernels: k, info: describe(k, undefined) } };
  }
  if (forced === 'native')
    throw new UnsupportedError(
      `${askedBy(option, 'native')} was asked for, but the native kernels are unavailable: ${why}`,
    );
  return inNode() ? { note: `native kernels unavailable: ${why}` } : {};
}

function refOnly(why: string | undefined): SelectedKernels {
  return {
    kernels: refKernels,
    info: why === undefined ? { name: 'ref', threads: 1 } : { name: 'ref', threads: 1, note: why },
  };
}

function wasmFailed(e: unknown, forced: KernelSetName | undefined, option?: string): SelectedKernels {
  if (!(e instanceof UnsupportedError)) throw e;
  if (forced === 'wasm') throw new UnsupportedError(`${askedBy(option, 'wasm')} was asked for, but ${e.message}`);
  return refOnly(e.message);
}

const sharedAsync = new Map<string, Promise<SelectedKernels>>();
const sharedSync = new Map<string, SelectedKernels>();
/** Whether a fit holds the shared WebAssembly kernels (a fit holds a region of their memory from start to end). */
let sharedBusy = false;

/** Threads for the large products: `'auto'` (two where a second core and shared memory exist) or a number. */
export type Threads = 'auto' | number;

function checkThreads(threads: unknown): Threads {
  if (threads === 'auto' || (Number.isInteger(threads) && (threads as number) >= 1 && (threads as number) <= 64))
    return threads as Threads;
  throw new OptionError(`threads = ${JSON.stringify(threads)}; expected 'auto' or a whole number from 1 to 64`);
}

/**
 * The shared kernels for asynchronous training (made once per set and thread count): `set` forces one (else
 * NABLA_KERNELS, else the fastest that runs here); `threads` (default 'auto') the threads of the large products.
 */
export function defaultKernels(set?: string, threads: Threads = 'auto'): Promise<SelectedKernels> {
  const forced = forcedKernelSet(set);
  const t = checkThreads(threads);
  const key = `${forced ?? 'auto'}/${t}`;
  let p = sharedAsync.get(key);
  if (!p) {
    p = (async () => {
      if (forced === 'ref') return refOnly(undefined);
      const { selected, note } = nativeOrNote(forced, set, t);
      if (selected) return selected;
      return createWasmKernels({ threads: t }).then(
        (k) => ({ kernels: k, info: describe(k, note) }),
        (e) => wasmFailed(e, forced, set),
      );
    })();
    sharedAsync.set(key, p);
    p.catch(() => sharedAsync.delete(key));
  }
  return p;
}

/**
 * The kernels made synchronously (for `fitSync`, `predict`, `evaluate`): native with its threads where it runs,
 * else WebAssembly on one thread; `set` forces one as in `defaultKernels`.
 */
export function defaultKernelsSync(set?: string): SelectedKernels {
  const forced = forcedKernelSet(set);
  const key = forced ?? 'auto';
  let s = sharedSync.get(key);
  if (!s) {
    if (forced === 'ref') {
      s = refOnly(undefined);
    } else {
      const { selected, note } = nativeOrNote(forced, set);
      if (selected) {
        s = selected;
      } else {
        try {
          const k = createWasmKernelsSync();
          s = {
            kernels: k,
            info: note === undefined ? { name: k.name, threads: 1 } : { name: k.name, threads: 1, note },
          };
        } catch (e) {
          s = wasmFailed(e, forced, set);
        }
      }
    }
    sharedSync.set(key, s);
  }
  return s;
}

/**
 * The kernels a float64 model computes on: the reference kernels, saying so (the native and WebAssembly kernels are
 * float32, so no faster set is made for it). Forcing a float32 set for a float64 model is refused.
 */
export function float64Kernels(set?: string): SelectedKernels {
  const forced = forcedKernelSet(set);
  if (forced === 'native' || forced === 'wasm') {
    throw new OptionError(
      `${askedBy(set, forced)}: these kernels compute in float32, the model is float64; use kernels: 'ref' (or 'auto'), or a float32 model`,
    );
  }
  return refOnly(
    forced === 'ref'
      ? undefined
      : 'a float64 model runs on the reference kernels (the native and WebAssembly kernels are float32)',
  );
}

/** True for a caller's `Kernels` object (as opposed to a set's name). */
export function isKernelsObject(k: unknown): k is Kernels {
  return typeof k === 'object' && k !== null;
}

/**
 * The kernels predictions run on: the native kernels where they are the choice (they keep no memory of their own),
 * `'wasm'` for an instance of the WebAssembly kernels of the caller's own, `'ref'` for the reference kernels.
 */
export function predictionSet(): { native: Kernels } | 'wasm' | 'ref' {
  const forced = forcedKernelSet();
  if (forced === 'ref') return 'ref';
  const { selected } = nativeOrNote(forced);
  return selected ? { native: selected.kernels } : 'wasm';
}

/** Describes caller-given kernels the same way. */
export function describeKernels(kernels: Kernels): KernelsInfo {
  return describe(kernels, undefined);
}

/**
 * Runs a fit's `job` on the selected kernels. The native and reference kernels keep no memory of their own, so fits
 * run on them at once, side by side or one inside another's callback. The shared WebAssembly kernels are held by one
 * fit at a time (it keeps a region of their memory from start to end): a fit that starts while another holds them,
 * another model's or one started from a callback, runs on an instance of its own (one thread, closed after). So a
 * fit never waits for another, and never deadlocks; the results are the same floats either way.
 */
export async function onKernels<T>(selected: SelectedKernels, job: (s: SelectedKernels) => Promise<T>): Promise<T> {
  if (!('allocF32' in selected.kernels)) return job(selected);
  if (!sharedBusy) {
    sharedBusy = true;
    try {
      return await job(selected);
    } finally {
      sharedBusy = false;
    }
  }
  const own = await createWasmKernels({
    threads: 1,
    relaxed: (selected.kernels as { relaxed?: boolean }).relaxed === true,
  });
  try {
    return await job({
      kernels: own,
      info: {
        name: own.name,
        threads: 1,
        note: 'another fit held the shared WebAssembly kernels: this one ran on an instance of its own, on one thread',
      },
    });
  } finally {
    await own.close();
  }
}
