/**
 * Which kernels the CLI trains with: the library's choice (`--kernels auto`, or NABLA_KERNELS): the native kernels
 * where nabla-native is built and the CPU has AVX-512 or AVX2 + FMA, else the WebAssembly SIMD kernels (float32
 * training), else the reference TypeScript kernels, saying why once when a faster set could not run.
 */
import { OptionError, UnsupportedError } from 'nabla';
import { type Kernels, createNativeKernels, createWasmKernels, nativeUnavailableReason } from 'nabla/train';

export interface KernelChoice {
  kernels: Kernels | undefined;
  description: string;
  notice?: string;
}

type Which = 'auto' | 'native' | 'wasm' | 'ref';
const SETS: readonly string[] = ['auto', 'native', 'wasm', 'ref'];

/** `--kernels`, or NABLA_KERNELS when `--kernels` is left at auto. */
function chosen(which: Which): Which {
  if (which !== 'auto') return which;
  // (also bundled into a browser page by test/browser: no `process` there)
  const env = typeof process === 'undefined' ? undefined : process.env.NABLA_KERNELS;
  if (env === undefined) return 'auto';
  if (!SETS.includes(env)) throw new OptionError(`NABLA_KERNELS=${JSON.stringify(env)}: expected native, wasm, ref or auto${env === '' ? ' (unset it for the automatic choice)' : ''}`);
  return env as Which;
}

function threadText(k: { threads: number; splitFlops: number }): string {
  return k.threads > 1 ? `, ${k.threads} threads for products above ${(k.splitFlops / 1e6).toFixed(0)} MFLOP` : ', 1 thread';
}

export async function selectKernels(asked: Which, threads: string | undefined, dtype: 'float32' | 'float64'): Promise<KernelChoice> {
  let t: number | 'auto' = 'auto';
  if (threads !== undefined && threads !== 'auto') {
    if (!/^\d+$/.test(threads) || Number(threads) < 1 || Number(threads) > 64) {
      throw new OptionError(`--threads ${JSON.stringify(threads)}: expected auto or a whole number from 1 to 64 (example: --threads 1)`);
    }
    t = Number(threads);
  }
  const which = chosen(asked);
  // how the set was named, for messages: the flag, or the environment variable
  const named = asked === 'auto' && which !== 'auto' ? `NABLA_KERNELS=${which}` : `--kernels ${which}`;
  if (which === 'ref') return { kernels: undefined, description: 'reference (TypeScript)' };
  if (dtype === 'float64') {
    if (which === 'wasm' || which === 'native') throw new OptionError(`${named} computes in float32; use --dtype float32, or --kernels ref for float64`);
    return { kernels: undefined, description: 'reference (TypeScript, float64)' };
  }
  let nativeNote: string | undefined;
  if (which === 'native' || which === 'auto') {
    const why = nativeUnavailableReason();
    if (why === undefined) {
      const k = createNativeKernels({ threads: t });
      return { kernels: k, description: `native ${k.isa === 'avx512' ? 'AVX-512' : 'AVX2 + FMA'}${threadText(k)}` };
    }
    if (which === 'native') throw new OptionError(`${named}: the native kernels are unavailable: ${why}; use --kernels wasm`);
    // said in the kernels line of the run's header, not as a notice (a page has no native kernels to miss:
    // test/browser bundles this choice too)
    if (typeof process !== 'undefined') nativeNote = `native kernels unavailable: ${why}`;
  }
  try {
    const k = await createWasmKernels({ threads: t });
    const simd = k.relaxed ? 'WebAssembly SIMD with relaxed FMA' : 'WebAssembly SIMD';
    const choice: KernelChoice = { kernels: k, description: simd + threadText(k) };
    if (t === 'auto' && k.threads === 1 && k.threadsNote) choice.description += ` (${k.threadsNote})`;
    if (nativeNote) choice.description += ` (${nativeNote})`;
    return choice;
  } catch (e) {
    if (which === 'wasm' || t !== 'auto') throw e instanceof UnsupportedError ? new OptionError(`${which === 'wasm' ? named : '--kernels auto'}${t !== 'auto' ? ` --threads ${t}` : ''}: ${e.message}`) : e;
    const why = e instanceof Error ? e.message : String(e);
    return { kernels: undefined, description: 'reference (TypeScript)', notice: `nabla: WebAssembly SIMD is not available here (${why}); using the reference kernels` };
  }
}
