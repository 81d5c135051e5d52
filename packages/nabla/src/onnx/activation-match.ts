/**
 * Which activation an elementwise chain of ONNX operators computes. PyTorch and tf2onnx write one activation
 * in several ways (GELU as eight Mul/Add/Tanh nodes in either operand order, SiLU as x·sigmoid(x), nabla's own
 * float64 elu in elementary operators), so the chain is not matched by its shape: it is evaluated at the probe
 * points of operators.ts, in float64, and compared with each candidate σ (the catalog, then the file's
 * polynomials). The first σ that agrees at every probe to float32 accuracy is the answer.
 */
import { activations, type Activation } from '../net/activation.js';
import { probePoints, PROBE_TOLERANCE } from './operators.js';

/** The catalog activation or polynomial equal to `fn` at every probe point, or the first probe where none is (for the message). */
export function matchActivation(
  fn: (x: number) => number,
  extra: readonly Activation[],
): { ok: true; activation: Activation } | { ok: false; x: number; value: number } {
  const candidates = [...Object.values(activations), ...extra];
  const values = probePoints.map(fn);
  for (const a of candidates) {
    const agrees = probePoints.every((x, j) => {
      const want = a.sigma(x);
      return Math.abs(values[j]! - want) <= PROBE_TOLERANCE * Math.max(1, Math.abs(want));
    });
    if (agrees) return { ok: true, activation: a };
  }
  const j = values.findIndex((v) => !Number.isFinite(v));
  return { ok: false, x: probePoints[j >= 0 ? j : 0]!, value: values[j >= 0 ? j : 0]! };
}
