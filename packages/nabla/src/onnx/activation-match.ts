/**
 * Which activation an elementwise chain of ONNX operators computes. Exporters write one activation in several ways,
 * so the chain is not matched by shape: it is evaluated at the probe points of operators.ts in float64, and the
 * first σ (the catalog, then the file's polynomials) that agrees at every probe to float32 accuracy is the answer.
 * A chain that agrees with none (such as ReLU6) is refused by the importer.
 */
import { type Activation, activations } from '../net/activation.js';
import { PROBE_TOLERANCE, probePointsFor } from './operators.js';

/** The catalog activation or polynomial equal to `fn` at every probe point, or the first probe where none is (for the message). */
export function matchActivation(
  fn: (x: number) => number,
  extra: readonly Activation[],
  constants: readonly number[] = [],
):
  | { ok: true; activation: Activation }
  | { ok: false; x: number; value: number; nearest?: { name: string; value: number } } {
  const candidates = [...Object.values(activations), ...extra];
  const probePoints = probePointsFor(constants);
  const values = probePoints.map(fn);
  let nearest: { a: Activation; agree: number; j: number } | undefined;
  for (const a of candidates) {
    let agree = 0;
    let first = -1;
    probePoints.forEach((x, j) => {
      const want = a.sigma(x);
      if (Math.abs(values[j]! - want) <= PROBE_TOLERANCE * Math.max(1, Math.abs(want))) agree++;
      else if (first < 0) first = j;
    });
    if (first < 0) return { ok: true, activation: a };
    if (!nearest || agree > nearest.agree) nearest = { a, agree, j: first };
  }
  const bad = values.findIndex((v) => !Number.isFinite(v));
  const j = bad >= 0 ? bad : (nearest?.j ?? 0);
  const x = probePoints[j]!;
  return {
    ok: false,
    x,
    value: values[j]!,
    ...(nearest && bad < 0 ? { nearest: { name: nearest.a.name, value: nearest.a.sigma(x) } } : {}),
  };
}
