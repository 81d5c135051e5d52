// Whether the native kernels (packages/native, built by `npm ci` where g++ exists) run in this process, and what a
// test may therefore expect of the default kernels. NABLA_EXPECT_NATIVE=built (set by .ci/run's main pass) makes
// their absence a failure; NABLA_EXPECT_NATIVE=absent (its no-compiler pass) makes their presence one. Without it,
// a machine without a compiler runs the WebAssembly expectations and says so once on stderr.
import { nativeIsas, nativeUnavailableReason } from '../../packages/nabla/src/kernels/native.js';

export const nativeReason = nativeUnavailableReason();
export const NATIVE = nativeReason === undefined;
export const NATIVE_ISAS = nativeIsas();

const expected = process.env.NABLA_EXPECT_NATIVE;
if (expected === 'built' && !NATIVE)
  throw new Error(`NABLA_EXPECT_NATIVE=built, but the native kernels are unavailable: ${nativeReason}`);
if (expected === 'absent' && NATIVE) throw new Error('NABLA_EXPECT_NATIVE=absent, but the native kernels loaded');
if (expected !== undefined && expected !== 'built' && expected !== 'absent')
  throw new Error(`NABLA_EXPECT_NATIVE=${expected}: expected built or absent`);

let said = false;
/** True when the native kernels run here; otherwise prints why once (tests of `what` then skip). */
export function haveNative(what: string): boolean {
  if (NATIVE) return true;
  if (!said) process.stderr.write(`skipped: ${what}: the native kernels are unavailable (${nativeReason})\n`);
  said = true;
  return false;
}

/** The kernels `fit` picks by default in this process: native where it runs, else WebAssembly. */
export const DEFAULT_KERNELS = NATIVE ? /^native-(avx512|avx2)$/ : /^wasm-(relaxed|simd)$/;
