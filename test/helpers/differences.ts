// Central finite differences of a function of per-layer matrices (as rows), in float64: the independent reference
// for gradients that tests write their own forward pass for.
import { expect } from 'vitest';

/** Expects `grad(layer, r, c)` to equal (f(L + ε e_rc) − f(L − ε e_rc)) / 2ε for every entry of every layer. */
export function expectCentralDifferences(
  L: number[][][],
  f: (L: number[][][]) => number,
  grad: (layer: number, r: number, c: number) => number,
  digits: number,
  eps = 1e-6,
): void {
  L.forEach((Wi, li) =>
    Wi.forEach((row, r) =>
      row.forEach((w, c) => {
        const plus = structuredClone(L);
        const minus = structuredClone(L);
        plus[li]![r]![c] = w + eps;
        minus[li]![r]![c] = w - eps;
        expect(grad(li, r, c), `∂f/∂W_${li + 1}[${r}][${c}]`).toBeCloseTo((f(plus) - f(minus)) / (2 * eps), digits);
      }),
    ),
  );
}
