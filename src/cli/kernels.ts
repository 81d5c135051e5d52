/**
 * Which kernels the CLI trains with: the WebAssembly SIMD kernels when available (float32 training), the
 * reference TypeScript kernels otherwise, saying so once.
 */
import { OptionError, UnsupportedError, type Kernels } from '../index.js';
import { createWasmKernels } from '../kernels/wasm/index.js';

export interface KernelChoice {
  kernels: Kernels | undefined;
  description: string;
  notice?: string;
}

export async function selectKernels(which: 'auto' | 'ref' | 'wasm', threads: string | undefined, dtype: 'float32' | 'float64'): Promise<KernelChoice> {
  if (threads !== undefined && threads !== '1') {
    throw new OptionError(`--threads ${JSON.stringify(threads)}: only 1 thread is supported in this version`);
  }
  if (which === 'ref') return { kernels: undefined, description: 'reference (TypeScript)' };
  if (dtype === 'float64') {
    if (which === 'wasm') throw new OptionError('--kernels wasm computes in float32; use --dtype float32, or --kernels ref for float64');
    return { kernels: undefined, description: 'reference (TypeScript, float64)' };
  }
  try {
    const k = await createWasmKernels();
    return { kernels: k, description: k.relaxed ? 'WebAssembly SIMD with relaxed FMA' : 'WebAssembly SIMD' };
  } catch (e) {
    if (which === 'wasm') throw e instanceof UnsupportedError ? new OptionError(`--kernels wasm: ${e.message}`) : e;
    const why = e instanceof Error ? e.message : String(e);
    return { kernels: undefined, description: 'reference (TypeScript)', notice: `nabla: WebAssembly SIMD is not available here (${why}); using the reference kernels` };
  }
}
