/**
 * Which kernels the CLI trains with: the WebAssembly SIMD kernels when available (float32 training), the
 * reference TypeScript kernels otherwise, saying so once.
 */
import { OptionError, UnsupportedError, type Kernels } from 'nabla';
import { createWasmKernels } from 'nabla/kernels';

export interface KernelChoice {
  kernels: Kernels | undefined;
  description: string;
  notice?: string;
}

export async function selectKernels(which: 'auto' | 'ref' | 'wasm', threads: string | undefined, dtype: 'float32' | 'float64'): Promise<KernelChoice> {
  let t: number | 'auto' = 'auto';
  if (threads !== undefined && threads !== 'auto') {
    if (!/^\d+$/.test(threads) || Number(threads) < 1 || Number(threads) > 64) {
      throw new OptionError(`--threads ${JSON.stringify(threads)}: expected auto or a whole number from 1 to 64 (example: --threads 1)`);
    }
    t = Number(threads);
  }
  if (which === 'ref') return { kernels: undefined, description: 'reference (TypeScript)' };
  if (dtype === 'float64') {
    if (which === 'wasm') throw new OptionError('--kernels wasm computes in float32; use --dtype float32, or --kernels ref for float64');
    return { kernels: undefined, description: 'reference (TypeScript, float64)' };
  }
  try {
    const k = await createWasmKernels({ threads: t });
    const simd = k.relaxed ? 'WebAssembly SIMD with relaxed FMA' : 'WebAssembly SIMD';
    const threadText = k.threads > 1 ? `, ${k.threads} threads for products above ${(k.splitFlops / 1e6).toFixed(0)} MFLOP` : ', 1 thread';
    const choice: KernelChoice = { kernels: k, description: simd + threadText };
    if (t === 'auto' && k.threads === 1 && k.threadsNote) choice.description += ` (${k.threadsNote})`;
    return choice;
  } catch (e) {
    if (which === 'wasm' || t !== 'auto') throw e instanceof UnsupportedError ? new OptionError(`--kernels wasm${t !== 'auto' ? ` --threads ${t}` : ''}: ${e.message}`) : e;
    const why = e instanceof Error ? e.message : String(e);
    return { kernels: undefined, description: 'reference (TypeScript)', notice: `nabla: WebAssembly SIMD is not available here (${why}); using the reference kernels` };
  }
}
