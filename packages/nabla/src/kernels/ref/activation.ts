/**
 * The reference activation kernel: for each catalog activation (net/activation.ts) one fused pass writing Σ(N)
 * and Σ'(N) side by side, for Float32Array and Float64Array; the catalog's `map` is this pass. At a kink:
 * relu'(0) = 0, leaky_relu'(0) = 0.01; elu (α = 1) has elu'(0) = 1.
 */
import { OptionError } from '../../errors.js';
import type { FloatArray } from '../types.js';

/** S[j] = σ(N[j]), dS[j] = σ'(N[j]) for start ≤ j < end. Each reads N[j] once before writing, so S or dS may alias N. */
export type ActivationMap = (N: FloatArray, S: FloatArray, dS: FloatArray, start: number, end: number) => void;

/** The logistic function 1/(1 + e^{−x}), without overflow for either sign of x. */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** ln(1 + eˣ) = max(x, 0) + ln(1 + e^{−|x|}), which neither overflows nor loses small values. */
export function softplusValue(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/** gelu (tanh form): x/2 · (1 + tanh(√(2/π)·(x + 0.044715x³))). */
export function geluValue(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_A * x * x * x)));
}
/** gelu'(x) of the tanh form. */
export function geluDerivative(x: number): number {
  const t = Math.tanh(GELU_C * (x + GELU_A * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * x * x);
}

/** σ(x) = x for x > 0 and a·x otherwise, σ' = 1 or a (σ'(0) = a): relu (a = 0, +0 not −0) and leaky_relu. */
function piecewiseLinear(a: number): ActivationMap {
  return (N, S, dS, start, end) => {
    for (let j = start; j < end; j++) {
      const x = N[j]!;
      const pos = x > 0;
      S[j] = pos ? x : a === 0 ? 0 : a * x;
      dS[j] = pos ? 1 : a;
    }
  };
}

/** The fused pass of each built-in activation, by catalog name. */
export const activationMaps: Readonly<Record<string, ActivationMap>> = Object.freeze({
  identity(N, S, dS, start, end) {
    for (let j = start; j < end; j++) {
      S[j] = N[j]!;
      dS[j] = 1;
    }
  },
  sigmoid(N, S, dS, start, end) {
    for (let j = start; j < end; j++) {
      const s = logistic(N[j]!);
      S[j] = s;
      dS[j] = s * (1 - s);
    }
  },
  tanh(N, S, dS, start, end) {
    for (let j = start; j < end; j++) {
      const s = Math.tanh(N[j]!);
      S[j] = s;
      dS[j] = 1 - s * s;
    }
  },
  relu: piecewiseLinear(0),
  leaky_relu: piecewiseLinear(0.01),
  elu(N, S, dS, start, end) {
    for (let j = start; j < end; j++) {
      const x = N[j]!;
      S[j] = x > 0 ? x : Math.expm1(x);
      dS[j] = x > 0 ? 1 : Math.exp(x);
    }
  },
  softplus(N, S, dS, start, end) {
    for (let j = start; j < end; j++) {
      const x = N[j]!;
      S[j] = softplusValue(x);
      dS[j] = logistic(x);
    }
  },
  silu(N, S, dS, start, end) {
    for (let j = start; j < end; j++) {
      const x = N[j]!;
      const g = logistic(x);
      S[j] = x * g;
      dS[j] = g * (1 + x * (1 - g));
    }
  },
  gelu(N, S, dS, start, end) {
    for (let j = start; j < end; j++) {
      const x = N[j]!;
      S[j] = geluValue(x);
      dS[j] = geluDerivative(x);
    }
  },
  sin(N, S, dS, start, end) {
    for (let j = start; j < end; j++) {
      const x = N[j]!;
      S[j] = Math.sin(x);
      dS[j] = Math.cos(x);
    }
  },
  square(N, S, dS, start, end) {
    for (let j = start; j < end; j++) {
      const x = N[j]!;
      S[j] = x * x;
      dS[j] = 2 * x;
    }
  },
} satisfies Record<string, ActivationMap>);

/** S[j] = σ(N[j]), dS[j] = σ'(N[j]) for start ≤ j < end, σ the built-in activation `name`. */
export function activation(
  name: string,
  N: FloatArray,
  S: FloatArray,
  dS: FloatArray,
  start: number,
  end: number,
): void {
  const map = Object.hasOwn(activationMaps, name) ? activationMaps[name] : undefined;
  if (!map)
    throw new OptionError(
      `activation kernel: "${name}" is not a built-in activation; expected one of: ${Object.keys(activationMaps).join(', ')}`,
    );
  map(N, S, dS, start, end);
}
