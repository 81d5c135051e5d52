/**
 * What `npm run bench` says about the machine before it measures: the CPU and its vector features, the OpenBLAS
 * core PyTorch detects (overridden to `SkylakeX` only where the detection is known wrong), the measured 128-bit FMA
 * peak (the ceiling of WebAssembly SIMD), and the native addon's FMA probes at 128, 256 and 512 bits.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNativeKernels, nativeIsas, nativeUnavailableReason } from '../../packages/nabla/src/kernels/native.js';
import { enableRelaxedSimdFlag } from '../../packages/nabla/src/kernels/wasm/detect.js';

export interface CpuInfo {
  model: string;
  cores: number;
  /** The vector features that matter here. */
  features: { sse3: boolean; avx2: boolean; fma: boolean; avx512f: boolean };
}

export function cpuInfo(): CpuInfo {
  let flags = new Set<string>();
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const line = text.split('\n').find((l) => l.startsWith('flags'));
    if (line) flags = new Set(line.split(':')[1]!.trim().split(/\s+/));
  } catch {
    // not Linux: the features stay unknown (false)
  }
  return {
    model: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    features: { sse3: flags.has('pni'), avx2: flags.has('avx2'), fma: flags.has('fma'), avx512f: flags.has('avx512f') },
  };
}

export interface OpenBlasChoice {
  /** The core OpenBLAS detects with no OPENBLAS_CORETYPE set, or undefined when it could not be asked. */
  detected: string | undefined;
  /** The environment the PyTorch rows run with (OPENBLAS_CORETYPE only where the detection is known to be wrong). */
  env: Record<string, string>;
  /** One line for the report. */
  note: string;
}

const CORE_PROBE = `
import ctypes, os, torch
torch.ones(64, 64) @ torch.ones(64, 64)  # the BLAS is loaded at the first product
libs = []
for line in open('/proc/self/maps'):
    p = line.split()[-1] if len(line.split()) >= 6 else ''
    if 'blas' in os.path.basename(p) and p not in libs: libs.append(p)
for p in libs:
    try:
        f = ctypes.CDLL(p).openblas_get_corename; f.restype = ctypes.c_char_p; print(f().decode()); break
    except (OSError, AttributeError): pass
`;

/** Asks OpenBLAS (through PyTorch, as the bench's rows load it) which core it detects, and decides the setting. */
export function openBlasChoice(python: string, cpu: CpuInfo): OpenBlasChoice {
  const env: Record<string, string> = {};
  const clean = { ...process.env };
  delete clean['OPENBLAS_CORETYPE'];
  delete clean['OPENBLAS_L2_SIZE'];
  const r = spawnSync(python, ['-c', CORE_PROBE], { env: clean, encoding: 'utf8', timeout: 60_000 });
  const detected = r.status === 0 ? r.stdout.trim() || undefined : undefined;
  if (detected === undefined) {
    const why =
      r.status === 0
        ? 'the BLAS PyTorch loads is not OpenBLAS'
        : (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').pop();
    return { detected, env, note: `OpenBLAS core: not known (${why}); OPENBLAS_CORETYPE left unset` };
  }
  if (detected === 'Prescott' && cpu.features.avx512f) {
    env['OPENBLAS_CORETYPE'] = 'SkylakeX';
    return {
      detected,
      env,
      note: `OpenBLAS core: detected Prescott (the SSE3 fallback) on a CPU with AVX-512: set OPENBLAS_CORETYPE=SkylakeX`,
    };
  }
  return { detected, env, note: `OpenBLAS core: ${detected} (its own detection; OPENBLAS_CORETYPE left unset)` };
}

export interface FmaPeak {
  /** GFLOP/s of one thread; undefined when the probe could not run. */
  gflops: number | undefined;
  note: string;
}

/** The 128-bit FMA peak of one core: the relaxed-SIMD probe (asm/probe/fma.ts), compiled now, best of several runs. */
export async function fmaPeak(): Promise<FmaPeak> {
  const src = join(dirname(fileURLToPath(import.meta.url)), '../../asm/probe/fma.ts');
  if (!existsSync(src)) return { gflops: undefined, note: 'FMA probe: asm/probe/fma.ts is missing' };
  try {
    const { default: asc } = await import('assemblyscript/asc');
    let binary: Uint8Array | undefined;
    const errors: string[] = [];
    const { error } = await asc.main(
      [src, '-O3', '--runtime', 'stub', '--enable', 'simd', '--enable', 'relaxed-simd', '-o', 'fma.wasm'],
      {
        writeFile(name: string, contents: Uint8Array) {
          if (name.endsWith('.wasm')) binary = contents;
        },
        stdout: { write: () => true },
        stderr: { write: (s: string) => void errors.push(String(s)) },
      } as never,
    );
    if (error || !binary)
      return { gflops: undefined, note: `FMA probe: does not compile (${String(error ?? errors.join(''))})` };
    if (!enableRelaxedSimdFlag())
      return { gflops: undefined, note: 'FMA probe: this engine has no relaxed SIMD (f32x4.relaxed_madd)' };
    const instance = await WebAssembly.instantiate(binary as Uint8Array<ArrayBuffer>).then((r) => r.instance);
    const fma = instance.exports['fma'] as (iters: number, seed: number) => number;
    const iters = 20_000_000;
    fma(1_000_000, 1); // warm-up: tier up to the optimising compiler
    let best = 0;
    for (let rep = 0; rep < 5; rep++) {
      const t0 = performance.now();
      fma(iters, rep);
      const s = (performance.now() - t0) / 1000;
      best = Math.max(best, (iters * 96) / s / 1e9);
    }
    return {
      gflops: best,
      note: `128-bit FMA peak (probe: 12 chains of f32x4.relaxed_madd, 1 thread, best of 5): ${best.toFixed(1)} GFLOP/s`,
    };
  } catch (e) {
    return { gflops: undefined, note: `FMA probe: could not run (${(e as Error).message})` };
  }
}

export interface NativeProbes {
  /** One thread's FMA GFLOP/s by vector width; a width the CPU lacks (or every width, without the addon) is missing. */
  gflops: Partial<Record<128 | 256 | 512, number>>;
  /** Why the addon cannot run here, when it cannot. */
  unavailable?: string;
  /** The widest vectors the native kernels use here (512 with AVX-512F, else 256), when they run. */
  widest?: 256 | 512;
  /** Two threads of the pool running the probe at the widest width at once: their GFLOP/s together, best of the runs. */
  twoThreads?: number;
  note: string;
}

/** The native addon's FMA probes (probeFma: independent FMA chains on one thread), best of `reps` runs of `seconds`. */
export function nativeFmaProbes(seconds = 0.15, reps = 3): NativeProbes {
  const why = nativeUnavailableReason();
  if (why !== undefined)
    return { gflops: {}, unavailable: why, note: `native FMA probes: the addon is unavailable (${why})` };
  const isas = nativeIsas();
  const k = createNativeKernels({ isa: 'auto', threads: 1 });
  const gflops: NativeProbes['gflops'] = {};
  const widths: (128 | 256 | 512)[] = isas.includes('avx512') ? [128, 256, 512] : [128, 256];
  for (const bits of widths) {
    k.probeFma(bits, 0.05); // warm-up (clock ramp)
    let best = 0;
    for (let r = 0; r < reps; r++) best = Math.max(best, k.probeFma(bits, seconds));
    gflops[bits] = best;
  }
  const widest = isas.includes('avx512') ? 512 : 256;
  const parts = widths.map((b) => `${b}-bit ${gflops[b]!.toFixed(1)}`);
  const no512 = isas.includes('avx512') ? '' : '; 512-bit: no AVX-512 on this CPU';
  // two threads at once: on a virtual machine two CPUs may share one physical core (then together they give one's)
  const k2 = createNativeKernels({ isa: 'auto', threads: 2 });
  let twoThreads: number | undefined;
  if (k2.threads === 2) {
    k2.probeFmaThreads(widest, 0.05); // warm-up (clock ramp)
    twoThreads = 0;
    for (let r = 0; r < reps; r++) twoThreads = Math.max(twoThreads, k2.probeFmaThreads(widest, seconds));
  }
  const two =
    twoThreads === undefined
      ? ''
      : `; ${widest}-bit on 2 threads at once: ${twoThreads.toFixed(1)} ` +
        `(${(twoThreads / gflops[widest]!).toFixed(2)}× one thread)`;
  return {
    gflops,
    widest,
    ...(twoThreads === undefined ? {} : { twoThreads }),
    note:
      `native FMA probes (nabla-native probeFma, ${k.name}, 1 thread, best of ${reps}): ${parts.join(', ')} GFLOP/s` +
      `${no512}${two}`,
  };
}
