// gradeTyped: one matrix as a student types it in the explorer's "your turn", against a network worked by hand:
// n = 1, 2, 2, 1; σ_1 = σ_2 = square, σ_3 = identity; X = [1], W_1 = [1; −1], W_2 = [1 −1/2; 1/2 1], W_3 = [1 −1].
//   Σ_1 = [1; 1], Σ'_1 = [2; −2], Σ_2 = [1/4; 9/4], Σ'_2 = [1; 3], f = −2
//   Δ_2 = [1; −3], Δ_1 = [−1; 7], ∇_{W_2} f = [1 1; −3 −3], ∇_{W_1} f = [−1; 7]
// The classic wrong answers, also by hand: Σ' forgotten Δ_1 = [−1/2; −7/2]; W for Wᵀ [5; 5]; wrong order [−1 7]
// (a row); index shifted [−1/2; −21/2]; transpose on the wrong factor [−2] for ∇_{W_2} f.

import {
  type Ask,
  DECIMAL_ANSWER_TOLERANCE,
  decimalRegistry,
  type Exercise,
  exerciseIsExact,
  generateExercises,
  gradeTyped,
  solve,
} from 'nabla/teach';
import { describe, expect, it } from 'vitest';
import { rmatrix } from '../packages/nabla/src/exact/matrix.js';
import { answerText } from '../packages/nabla/src/teach/typed-answer.js';

const exact: Exercise = {
  id: 1,
  kind: 'backward',
  widths: [1, 2, 2, 1],
  activations: [['square', 'square'], ['square', 'square'], ['identity']],
  W: [
    rmatrix([[1], [-1]]),
    rmatrix([
      ['1', '-1/2'],
      ['1/2', '1'],
    ]),
    rmatrix([[1, -1]]),
  ],
  X: rmatrix([[1]]),
  asks: [],
};
const sol = solve(exact, decimalRegistry({}));
const D1: Ask = { key: 'D', index: 1 };
const D2: Ask = { key: 'D', index: 2 };
const G2: Ask = { key: 'gradW', index: 2 };
const grade = (ask: Ask, cells: string[][], given?: Map<string, ReturnType<typeof rmatrix>>) =>
  gradeTyped(exact, sol, ask, cells, given ? { given } : {});

describe('gradeTyped on a hand-worked exact network', () => {
  it('accepts the right Δ_1 and ∇_{W_2} f, as fractions, integers or exact decimals', () => {
    expect(grade(D1, [['-1'], ['7']]).status).toBe('right');
    expect(
      grade(G2, [
        ['1', '1'],
        ['-3', '-3'],
      ]).status,
    ).toBe('right');
    expect(grade(D2, [['1.0'], ['-6/2']]).status).toBe('right');
    expect(exerciseIsExact(exact, {})).toBe(true);
    expect(answerText(sol, D1, true)).toEqual([['-1'], ['7']]);
  });

  it('marks each entry: right, wrong, empty, not a number; a decimal near a fraction is "close"', () => {
    const g = grade(D1, [['-1'], ['']]);
    expect(g.status).toBe('incomplete');
    expect(g.entries.map((r) => r[0]!.status)).toEqual(['right', 'empty']);
    expect(g.right).toBe(1);
    expect(grade(D1, [['x'], ['7']]).entries[0]![0]!.status).toBe('malformed');
    const w = grade(D1, [['-1'], ['6.9999']]);
    expect(w.status).toBe('wrong');
    expect(w.entries[1]![0]).toMatchObject({ status: 'wrong', close: true });
    expect(w.mistakes).toEqual([]);
    // Σ_2 = [1/4; 9/4]: 0.25 is exactly 1/4
    expect(gradeTyped(exact, sol, { key: 'S', index: 2 }, [['0.25'], ['9/4']]).status).toBe('right');
  });

  it('names each classic mistake and the factor of the formula that went wrong', () => {
    const ids = (cells: string[][], ask = D1) => grade(ask, cells).mistakes.map((m) => m.id);
    const first = (cells: string[][], ask = D1) => grade(ask, cells).mistakes[0]!;
    expect(ids([['-1/2'], ['-7/2']])).toEqual(['forgot-dsigma']);
    expect(first([['-1/2'], ['-7/2']]).factors).toEqual(['dS_1']);
    expect(ids([['5'], ['5']])).toEqual(['w-for-wt']);
    expect(first([['5'], ['5']]).factors).toEqual(['W_2']);
    const row = grade(D1, [['-1', '7']]);
    expect(row.shapeRight).toBe(false);
    expect(row.shape).toEqual([2, 1]);
    expect(row.status).toBe('wrong');
    expect(row.mistakes.map((m) => m.id)).toEqual(['wrong-order']);
    expect(ids([['-1/2'], ['-21/2']])).toEqual(['index-shift']);
    expect(first([['-1/2'], ['-21/2']]).factors).toEqual(['dS_1']);
    expect(ids([['-2']], G2)).toEqual(['transpose-wrong-factor']);
    expect(first([['-2']], G2).factors).toEqual(['D_2', 'S_1']);
    expect(ids([['1'], ['-7']])).toEqual(['sign']);
    // wrong in a way the catalogue does not know: wrong, no mistake named
    expect(ids([['3'], ['3']])).toEqual([]);
  });

  it('says when Δ_1 is right for the student’s own wrong Δ_2 (the mistake is upstream)', () => {
    // the student's Δ_2 = [1; 1] (Σ'_2 forgotten); then (W_2ᵀ·[1; 1]) ∘ Σ'_1 = [3/2; 1/2] ∘ [2; −2] = [3; −1]
    const given = new Map([['D_2', rmatrix([[1], [1]])]]);
    const g = grade(D1, [['3'], ['-1']], given);
    expect(g.mistakes[0]).toMatchObject({ id: 'carried', factors: ['D_2'] });
  });

  it('refuses a grid that is not rectangular', () => {
    expect(() => grade(D1, [['1', '2'], ['3']])).toThrow(/rectangular/);
    expect(() => grade(D1, [])).toThrow(/rectangular/);
  });
});

// A network with tanh (no exact definition): n = 1, 1, 1, X = [1], W_1 = [1], W_2 = [2], σ_1 = tanh, σ_2 = identity.
// By hand (float64 Math.tanh): Σ_1 = tanh 1, Σ'_1 = 1 − tanh² 1, Δ_2 = 1, Δ_1 = 2·Σ'_1, ∇_{W_2} f = Σ_1.
describe('gradeTyped with decimal answers (tanh)', () => {
  const ex: Exercise = {
    id: 1,
    kind: 'backward',
    widths: [1, 1, 1],
    activations: [['tanh'], ['identity']],
    W: [rmatrix([[1]]), rmatrix([[2]])],
    X: rmatrix([[1]]),
    asks: [],
  };
  const s = solve(ex, decimalRegistry({}));
  const t = Math.tanh(1);
  const d1 = 2 * (1 - t * t); // 0.83994…
  const opts = { tolerance: DECIMAL_ANSWER_TOLERANCE };

  it('accepts answers worked to three or four digits and refuses ones off in the third', () => {
    expect(exerciseIsExact(ex, {})).toBe(false);
    expect(gradeTyped(ex, s, D1, [[d1.toFixed(4)]], opts).status).toBe('right');
    expect(gradeTyped(ex, s, D1, [[d1.toFixed(2)]], opts).status).toBe('right');
    expect(gradeTyped(ex, s, G2, [[t.toFixed(3)]], opts).status).toBe('right');
    expect(gradeTyped(ex, s, D1, [[(d1 + 0.01).toFixed(4)]], opts).status).toBe('wrong');
    expect(Number(answerText(s, D1, false)[0]![0])).toBeCloseTo(d1, 4);
  });

  it('names Σ’ forgotten (Δ_1 = W_2ᵀ·Δ_2 = 2) and σ not applied in ∇_{W_2} f (Δ_2·N_1ᵀ = 1) within the tolerance', () => {
    expect(gradeTyped(ex, s, D1, [['2']], opts).mistakes.map((m) => m.id)).toContain('forgot-dsigma');
    expect(gradeTyped(ex, s, G2, [['1.000']], opts).mistakes.map((m) => m.id)).toContain('forgot-sigma');
  });
});

describe('generateExercises with decimals', () => {
  it('draws a tanh exercise only when decimals are allowed, with readable weights', () => {
    expect(() =>
      generateExercises({ seed: 3, count: 1, widths: [2, 2, 1], activations: ['tanh'], kinds: ['backward'] }),
    ).toThrow(/exact activations/);
    const set = generateExercises({
      seed: 3,
      count: 1,
      widths: [2, 2, 1],
      activations: ['tanh'],
      kinds: ['backward'],
      decimals: true,
    });
    const ex = set.exercises[0]!;
    expect(ex.activations).toEqual([['tanh', 'tanh'], ['tanh']]);
    // weights and inputs are integers and halves, as in every exercise
    for (const W of [...ex.W, ex.X]) for (const v of W.data) expect(v.mul(2).d).toBe(1n);
    // Σ_1 = tanh(N_1) to float64, N_1 = W_1·X computed here by hand
    const sol = solve(ex, decimalRegistry({}));
    const N1 = ex.W[0]!.toNumbers().map((row) => row.reduce((a, w, j) => a + w * ex.X.get(j, 0).valueOf(), 0));
    sol.trace.S.get(1)
      .toNumbers()
      .forEach((row, r) => expect(row[0]).toBeCloseTo(Math.tanh(N1[r]!), 14));
  });
});
