/**
 * Feature detection for the WASM kernels, with no side effects on import: SIMD and relaxed SIMD by
 * `WebAssembly.validate`, and what threads need. `enableRelaxedSimdFlag()` switches relaxed SIMD on in Node 20
 * before the module is compiled. Node built-ins come through `process.getBuiltinModule`, unseen by bundles.
 */

// (func (result v128) i32.const 0  i8x16.splat  i8x16.popcnt)
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

// (func (result v128) f32.const 1  f32x4.splat  ×3  f32x4.relaxed_madd)
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 28, 1, 26, 0, 67, 0, 0, 128, 63, 253, 19, 67, 0,
  0, 128, 63, 253, 19, 67, 0, 0, 128, 63, 253, 19, 253, 133, 2, 11,
]);

function validate(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** True when the engine runs WebAssembly SIMD128. */
export function simdSupported(): boolean {
  return validate(SIMD_PROBE);
}

/** True when the engine runs relaxed SIMD now (in Node 20 only after `enableRelaxedSimdFlag()`). */
export function relaxedSimdSupported(): boolean {
  return validate(RELAXED_PROBE);
}

interface ProcessLike {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

/** A Node built-in module by id (`'node:os'`), or undefined outside Node or when it cannot be had. */
export function nodeBuiltin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (proc?.versions?.node === undefined || typeof proc.getBuiltinModule !== 'function') return undefined;
  try {
    return proc.getBuiltinModule(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/**
 * In Node, turns on V8's `--experimental-wasm-relaxed-simd` (a process-wide flag; harmless where relaxed
 * SIMD is already on). Does nothing outside Node or when the engine already supports it. Returns whether
 * relaxed SIMD is available afterwards.
 */
export function enableRelaxedSimdFlag(): boolean {
  if (relaxedSimdSupported()) return true;
  const v8 = nodeBuiltin<{ setFlagsFromString(flags: string): void }>('node:v8');
  if (!v8) return false;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return relaxedSimdSupported();
}

/** Logical processors: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` elsewhere. */
export function availableCores(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? n : 1;
}

/**
 * Why threads cannot be used here, or undefined when they can: shared WebAssembly memory
 * (`SharedArrayBuffer`; browsers need cross-origin isolation) and a way to start a worker.
 */
export function threadsUnavailableReason(): string | undefined {
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean; Worker?: unknown };
  if (typeof g.SharedArrayBuffer !== 'function') {
    return g.crossOriginIsolated === false
      ? 'SharedArrayBuffer is unavailable: the page is not cross-origin isolated (serve it with the headers ' +
          'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
      : 'SharedArrayBuffer is unavailable in this JavaScript environment';
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return `shared WebAssembly memory is unavailable (${String(e)})`;
  }
  if (
    !nodeBuiltin('node:worker_threads') &&
    !(typeof g.Worker === 'function' && typeof Blob === 'function' && typeof URL?.createObjectURL === 'function')
  ) {
    return 'no way to start a worker thread here (neither node:worker_threads nor Worker)';
  }
  return undefined;
}

/** True when this thread may block in `Atomics.wait` (not on a browser's main thread). */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}
