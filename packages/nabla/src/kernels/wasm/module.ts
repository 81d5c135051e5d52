/**
 * The compiled kernels modules, from the base64 builds in generated/ (scripts/build-wasm.mjs): the plain SIMD
 * and relaxed-SIMD builds, each also importing a shared memory for threads. Compiled once per variant.
 */
import { wasmBase64 as relaxedBase64 } from './generated/kernels-relaxed.wasm.js';
import { wasmBase64 as simdBase64 } from './generated/kernels-simd.wasm.js';

export type Variant = 'simd' | 'relaxed' | 'simd-shared' | 'relaxed-shared';
const moduleCache = new Map<Variant, Promise<WebAssembly.Module>>();
const syncModules = new Map<'simd' | 'relaxed', WebAssembly.Module>();

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The module of a variant, compiled asynchronously (the shared builds are imported only when asked for). */
export function loadModule(variant: Variant): Promise<WebAssembly.Module> {
  let p = moduleCache.get(variant);
  if (!p) {
    p = (async () => {
      const { wasmBase64 } =
        variant === 'relaxed'
          ? await import('./generated/kernels-relaxed.wasm.js')
          : variant === 'simd'
            ? await import('./generated/kernels-simd.wasm.js')
            : variant === 'relaxed-shared'
              ? await import('./generated/kernels-relaxed-shared.wasm.js')
              : await import('./generated/kernels-simd-shared.wasm.js');
      return WebAssembly.compile(decodeBase64(wasmBase64));
    })();
    p.catch(() => moduleCache.delete(variant));
    moduleCache.set(variant, p);
  }
  return p;
}

/**
 * The one-thread module compiled synchronously (browsers allow it for modules of this size, ~25 KB), for
 * `createWasmKernelsSync`.
 */
export function loadModuleSync(variant: 'simd' | 'relaxed'): WebAssembly.Module {
  let module = syncModules.get(variant);
  if (!module) {
    module = new WebAssembly.Module(decodeBase64(variant === 'relaxed' ? relaxedBase64 : simdBase64));
    syncModules.set(variant, module);
  }
  return module;
}

/** The `ACT_*` constants exported by the module, by name (for the test that pins them to `ActivationId`). */
export async function wasmActivationConstants(variant: 'simd' | 'relaxed'): Promise<Record<string, number>> {
  const module = await loadModule(variant);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(instance.exports)) {
    if (name.startsWith('ACT_') && value instanceof WebAssembly.Global) out[name] = Number(value.value);
  }
  return out;
}
