/**
 * Feature detection for the WASM kernels with `WebAssembly.validate` on tiny modules (no compilation).
 *
 * Relaxed SIMD ships behind a flag in Node 20 (V8 11.3): `enableRelaxedSimdFlag()` switches it on from
 * inside the process with `v8.setFlagsFromString('--experimental-wasm-relaxed-simd')`, which must run
 * before the relaxed module is compiled. `node:v8` is reached through `process.getBuiltinModule`, never
 * imported statically, so browser bundles don't see it.
 */

// (func (result v128) i32.const 0  i8x16.splat  i8x16.popcnt)
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

// (func (result v128) f32.const 1  f32x4.splat  ×3  f32x4.relaxed_madd)
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 28, 1, 26, 0,
  67, 0, 0, 128, 63, 253, 19, 67, 0, 0, 128, 63, 253, 19, 67, 0, 0, 128, 63, 253, 19, 253, 133, 2, 11,
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

interface NodeV8 {
  setFlagsFromString(flags: string): void;
}
interface NodeProcessLike {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * In Node, turns on V8's `--experimental-wasm-relaxed-simd` (a process-wide flag; harmless where relaxed
 * SIMD is already on). Does nothing outside Node or when the engine already supports it. Returns whether
 * relaxed SIMD is available afterwards.
 */
export function enableRelaxedSimdFlag(): boolean {
  if (relaxedSimdSupported()) return true;
  const proc = (globalThis as { process?: NodeProcessLike }).process;
  if (proc?.versions?.node === undefined || typeof proc.getBuiltinModule !== 'function') return false;
  try {
    const v8 = proc.getBuiltinModule('node:v8') as NodeV8 | undefined;
    v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return relaxedSimdSupported();
}
