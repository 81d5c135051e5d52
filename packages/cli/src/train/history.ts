/** How `nabla train` names a model's shape and its kernels in the run's header. */
import type { KernelsInfo, Model } from 'nabla';

export function describeWidths(model: Model): string {
  const m = model.widths;
  if (!model.bias) return `n = [${m.join(', ')}]`;
  const n = m.map((w, i) => (i < m.length - 1 ? w + 1 : w)); // the formal neuron of §3 in every layer but the last
  return `${m.join('-')} (homogeneous n = [${n.join(', ')}], paper §3)`;
}

const KERNEL_NAMES: Record<string, string> = {
  'native-avx512': 'native AVX-512',
  'native-avx2': 'native AVX2 + FMA',
  'wasm-relaxed': 'WebAssembly SIMD with relaxed FMA',
  'wasm-simd': 'WebAssembly SIMD',
  ref: 'reference (TypeScript)',
};

/** The kernels a run used (`history.kernels`), in words: the set, its threads, and why not a faster one. */
export function describeKernels(k: KernelsInfo): string {
  const threads = `${k.threads} thread${k.threads === 1 ? '' : 's'}`;
  return `${KERNEL_NAMES[k.name] ?? k.name}, ${threads}${k.note !== undefined ? ` (${k.note})` : ''}`;
}
