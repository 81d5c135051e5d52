// A hand-worked exercise for the course-platform tests (test/consumers/): widths [2, 2, 1], relu then identity,
// W_1 = [[1, -1], [2, 1]], W_2 = [[3, 1/2]], X = [1, 2]ᵀ. By hand: N_1 = [-1, 4]ᵀ, Σ_1 = [0, 4]ᵀ, Σ'_1 = [0, 1]ᵀ,
// N_2 = f = 2, Δ_2 = 1, Δ_1 = (W_2ᵀ·Δ_2) ∘ Σ'_1 = [3, 1/2]ᵀ ∘ [0, 1]ᵀ = [0, 1/2]ᵀ, ∇_{W_2} f = Δ_2·Σ_1ᵀ = [0, 4],
// ∇_{W_1} f = Δ_1·Xᵀ = [[0, 0], [1/2, 1]]. Forgetting ∘ Σ'_1 gives Δ_1 = [3, 1/2]ᵀ: entry (1, 1) is 3 instead of 0.
import { RMatrix } from '../../packages/nabla/src/exact/matrix.js';
import { Fraction } from '../../packages/nabla/src/exact/rational.js';
import type { ExerciseSet } from '../../packages/nabla/src/teach/exercise-types.js';

const m = (rows: number, cols: number, xs: (number | [number, number])[]) =>
  new RMatrix(
    rows,
    cols,
    xs.map((x) => (Array.isArray(x) ? new Fraction(x[0], x[1]) : new Fraction(x))),
  );

/** The hand-worked backward exercise as a set of one exercise (seed 0). */
export function handWorkedSet(): ExerciseSet {
  return {
    seed: 0,
    polynomials: {},
    exercises: [
      {
        id: 1,
        kind: 'backward',
        widths: [2, 2, 1],
        activations: [['relu', 'relu'], ['identity']],
        W: [m(2, 2, [1, -1, 2, 1]), m(1, 2, [3, [1, 2]])],
        X: m(2, 1, [1, 2]),
        asks: [
          { key: 'D', index: 2 },
          { key: 'D', index: 1 },
          { key: 'gradW', index: 2 },
          { key: 'gradW', index: 1 },
        ],
      },
    ],
  };
}

/** The right answers by hand, row by row, per response: Δ_2, Δ_1, ∇_{W_2} f, ∇_{W_1} f. */
export const HAND_ANSWERS: Record<string, number[][]> = {
  D_2: [[1]],
  D_1: [[0], [0.5]],
  gradW_2: [[0, 4]],
  gradW_1: [
    [0, 0],
    [0.5, 1],
  ],
};

/** The feedback the Σ' mistake at Δ_1 (1, 1) must carry, in the catalogue's words. */
export const FORGOT_DSIGMA = "Σ' forgotten: you computed Δ_1 = W_2ᵀ·Δ_2 without ∘ Σ'_1";
