/**
 * The classic mistakes, each computed exactly so that a wrong answer can be matched against it: Σ' forgotten,
 * W and Wᵀ swapped, the wrong order, an index shifted, the transpose on the wrong factor, σ not applied, Σ and Σ' swapped,
 * σ' at the wrong argument, a row for a column, the sign, and a mistake carried from an earlier answer.
 * A variant is only offered when its shapes fit; the caller compares it with the student's matrix.
 */
import { ShapeError } from '../errors.js';
import { RMatrix } from '../exact/matrix.js';
import { rhadamard, rkron, rmatmul, rscale, rtranspose } from '../exact/products.js';
import { Fraction } from '../exact/rational.js';
import { Layers } from '../net/layers.js';
import type { Ask, Solution } from './exercise-types.js';

/** A classic mistake of the backward pass or a form (its title is in `mistakeTitles`). */
export type MistakeId =
  | 'forgot-dsigma'
  | 'w-for-wt'
  | 'wrong-order'
  | 'index-shift'
  | 'transpose-wrong-factor'
  | 'forgot-sigma'
  | 'swapped'
  | 'wrong-argument'
  | 'transposed'
  | 'sign'
  | 'carried';

/**
 * Each mistake's title, true of every detail of it (`Variant.detail`): "W and Wᵀ swapped" covers Wᵀ for W in N_i
 * and W for Wᵀ in Δ_i.
 */
export const mistakeTitles: Readonly<Record<MistakeId, string>> = {
  'forgot-dsigma': "Σ' forgotten",
  'w-for-wt': 'W and Wᵀ swapped',
  'wrong-order': 'the product taken in the wrong order',
  'index-shift': 'an index shifted by one layer',
  'transpose-wrong-factor': 'the transpose on the wrong factor or left out',
  'forgot-sigma': 'σ not applied',
  swapped: "Σ and Σ' swapped",
  'wrong-argument': "σ' taken at the wrong argument",
  transposed: 'a row instead of a column',
  sign: 'the sign flipped',
  carried: 'an earlier mistake carried forward',
};

export interface Variant {
  id: MistakeId;
  /** What exactly was computed, e.g. "Δ_1 = W_2ᵀ·Δ_2 without ∘ Σ'_1". */
  detail: string;
  /**
   * The factors of the right formula that went wrong, named as answers are ("dS_1", "W_2", "S_0", "D_2") plus
   * "sigma_i" for the activation σ_i itself; empty when the whole matrix is off (a sign, a transpose).
   * Formulas: N_i = W_i·Σ_{i−1}, Σ_i = σ_i(N_i), Σ'_i = σ'_i(N_i), Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i, ∇_{W_i} f = Δ_i·Σ_{i−1}ᵀ.
   */
  factors: string[];
  value: RMatrix;
}

/** The student's other answers of the same exercise (exact values), for "carried" variants. */
export type GivenValues = ReadonlyMap<string, RMatrix>;

/** "W_2ᵀ·W_3ᵀ" for W_fromᵀ·…·W_toᵀ. */
function chainText(from: number, to: number): string {
  const parts: string[] = [];
  for (let r = from; r <= to; r++) parts.push(`W_${r}ᵀ`);
  return parts.join('·');
}

function attempt(f: () => RMatrix): RMatrix | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof ShapeError) return undefined;
    throw e;
  }
}

const T = rtranspose;
const mul = (a: RMatrix, b: RMatrix) => rmatmul(a, b);
const had = (a: RMatrix, b: RMatrix) => rhadamard(a, b);

/** The recursion with a mistake at every layer: `step(i, Δ'_{i+1})` gives Δ'_i (undefined when it does not fit). */
function recursionWith(sol: Solution, step: (i: number, next: RMatrix) => RMatrix | undefined): Layers<RMatrix> {
  const k = sol.net.k;
  const D = new Layers<RMatrix>("Δ'", 1, k + 1);
  D.set(k + 1, sol.seed);
  for (let i = k; i >= 1; i--) {
    const d = step(i, D.get(i + 1));
    if (!d) break;
    D.set(i, d);
  }
  return D;
}

/** The student's answer by name ("D_2"), when given and a number everywhere. */
function givenOf(given: GivenValues | undefined, name: string): RMatrix | undefined {
  return given?.get(name);
}

export function mistakenVariants(sol: Solution, ask: Ask, given?: GivenValues): Variant[] {
  const { net, trace, D, gradW, seed } = sol;
  const k = net.k;
  const W = (i: number) => net.W.get(i);
  const N = (i: number) => trace.N.get(i);
  const S = (i: number) => trace.S.get(i);
  const dS = (i: number) => trace.dS.get(i);
  const out: Variant[] = [];
  const add = (id: MistakeId, detail: string, f: () => RMatrix, factors: string[] = []) => {
    const v = attempt(f);
    if (v) out.push({ id, detail, factors, value: v });
  };
  const i = ask.index ?? k;
  const apply = (l: number, M: RMatrix, which: 'sigma' | 'dsigma') => {
    const col = net.sigma.get(l);
    if (M.rows !== col.length) throw new ShapeError(`σ_${l}: ${M.shape}`);
    return new RMatrix(
      M.rows,
      M.cols,
      M.data.map((x, e) =>
        which === 'sigma' ? col[Math.floor(e / M.cols)]!.sigma(x) : col[Math.floor(e / M.cols)]!.dsigma(x),
      ),
    );
  };
  const right = ((): RMatrix => {
    switch (ask.key) {
      case 'f':
        return trace.f;
      case 'N':
        return N(i);
      case 'S':
        return S(i);
      case 'dS':
        return dS(i);
      case 'D':
        return D.get(i);
      case 'gradW':
        return gradW.get(i);
    }
  })();
  add('sign', 'every entry has the opposite sign', () => rscale(right, new Fraction(-1)));

  switch (ask.key) {
    case 'f': {
      add('forgot-sigma', `f = N_${k}: σ_${k} not applied`, () => N(k), [`sigma_${k}`]);
      const gN = givenOf(given, `N_${k}`);
      if (gN && !gN.equals(N(k)))
        add('carried', `f = Σ_${k}(N_${k}) is right for the N_${k} you gave`, () => apply(k, gN, 'sigma'), [`N_${k}`]);
      break;
    }
    case 'N': {
      add('wrong-order', `Σ_${i - 1}ᵀ·W_${i}ᵀ (a row) instead of W_${i}·Σ_${i - 1}`, () => mul(T(S(i - 1)), T(W(i))), [
        `W_${i}`,
        `S_${i - 1}`,
      ]);
      add('w-for-wt', `W_${i}ᵀ used instead of W_${i}: W_${i}ᵀ·Σ_${i - 1}`, () => mul(T(W(i)), S(i - 1)), [`W_${i}`]);
      if (i >= 2) {
        add(
          'forgot-sigma',
          `N_${i - 1} used instead of Σ_${i - 1} = Σ_${i - 1}(N_${i - 1}): W_${i}·N_${i - 1}`,
          () => mul(W(i), N(i - 1)),
          [`S_${i - 1}`],
        );
        // every σ left out: the linear network
        add(
          'forgot-sigma',
          `σ not applied in any layer: N_${i} of the network without activations`,
          () => {
            let M = N(1);
            for (let l = 2; l <= i; l++) M = mul(W(l), M);
            return M;
          },
          [`S_${i - 1}`],
        );
        add('index-shift', `Σ_${i - 2} used instead of Σ_${i - 1}: W_${i}·Σ_${i - 2}`, () => mul(W(i), S(i - 2)), [
          `S_${i - 1}`,
        ]);
        const gS = givenOf(given, `S_${i - 1}`);
        if (gS && !gS.equals(S(i - 1)))
          add('carried', `N_${i} = W_${i}·Σ_${i - 1} is right for the Σ_${i - 1} you gave`, () => mul(W(i), gS), [
            `S_${i - 1}`,
          ]);
      }
      break;
    }
    case 'S': {
      add('transposed', `Σ_${i}ᵀ: a row instead of a column`, () => T(S(i)));
      add('forgot-sigma', `Σ_${i} = N_${i}: σ_${i} not applied`, () => N(i), [`sigma_${i}`]);
      add('swapped', `Σ'_${i}(N_${i}) given for Σ_${i}(N_${i})`, () => dS(i), [`sigma_${i}`]);
      const gN = givenOf(given, `N_${i}`);
      if (gN && !gN.equals(N(i)))
        add('carried', `Σ_${i} = Σ_${i}(N_${i}) is right for the N_${i} you gave`, () => apply(i, gN, 'sigma'), [
          `N_${i}`,
        ]);
      break;
    }
    case 'dS': {
      add('transposed', `Σ'_${i}ᵀ: a row instead of a column`, () => T(dS(i)));
      add('swapped', `Σ_${i}(N_${i}) given for Σ'_${i}(N_${i})`, () => S(i), [`sigma_${i}`]);
      add(
        'wrong-argument',
        `σ' taken at Σ_${i} instead of at N_${i}: Σ'_${i}(Σ_${i})`,
        () => apply(i, S(i), 'dsigma'),
        [`N_${i}`],
      );
      const gN = givenOf(given, `N_${i}`);
      if (gN && !gN.equals(N(i)))
        add('carried', `Σ'_${i} = Σ'_${i}(N_${i}) is right for the N_${i} you gave`, () => apply(i, gN, 'dsigma'), [
          `N_${i}`,
        ]);
      break;
    }
    case 'D': {
      if (i === k) add('transposed', `Δ_${i}ᵀ: a row instead of a column`, () => T(D.get(i)));
      const noDsigma = recursionWith(sol, (l, next) => (l === k ? next : attempt(() => mul(T(W(l + 1)), next))));
      const wNotT = recursionWith(sol, (l, next) =>
        attempt(() => (l === k ? had(next, dS(k)) : had(mul(W(l + 1), next), dS(l)))),
      );
      if (i === k) {
        add('forgot-dsigma', `Δ_${k} = Δ_${k + 1} without ∘ Σ'_${k}`, () => seed, [`dS_${k}`]);
        if (k >= 2)
          add(
            'index-shift',
            `Σ'_${k - 1} used instead of Σ'_${k}: Δ_${k + 1} ∘ Σ'_${k - 1}`,
            () => had(seed, dS(k - 1)),
            [`dS_${k}`],
          );
      } else {
        const up = mul(T(W(i + 1)), D.get(i + 1));
        add('forgot-dsigma', `Δ_${i} = W_${i + 1}ᵀ·Δ_${i + 1} without ∘ Σ'_${i}`, () => up, [`dS_${i}`]);
        if (noDsigma.has(i))
          add(
            'forgot-dsigma',
            `Σ' left out at every step of the recursion (Δ_${i} = ${chainText(i + 1, k)}·1)`,
            () => noDsigma.get(i),
            [`dS_${i}`],
          );
        add(
          'w-for-wt',
          `W_${i + 1} used instead of W_${i + 1}ᵀ: Δ_${i} = (W_${i + 1}·Δ_${i + 1}) ∘ Σ'_${i}`,
          () => had(mul(W(i + 1), D.get(i + 1)), dS(i)),
          [`W_${i + 1}`],
        );
        if (wNotT.has(i))
          add('w-for-wt', `W used instead of Wᵀ at every step of the recursion`, () => wNotT.get(i), [`W_${i + 1}`]);
        add(
          'wrong-order',
          `Δ_${i + 1}ᵀ·W_${i + 1} (a row) instead of Δ_${i + 1} • W_${i + 1}ᵀ = W_${i + 1}ᵀ·Δ_${i + 1}`,
          () => had(mul(T(D.get(i + 1)), W(i + 1)), T(dS(i))),
          [`W_${i + 1}`, `D_${i + 1}`],
        );
        add(
          'index-shift',
          `Σ'_${i + 1} used instead of Σ'_${i}: Δ_${i} = (W_${i + 1}ᵀ·Δ_${i + 1}) ∘ Σ'_${i + 1}`,
          () => had(up, dS(i + 1)),
          [`dS_${i}`],
        );
        add(
          'index-shift',
          `Σ'_${i + 1} used instead of Σ'_${i}: Δ_${i} = W_${i + 1}ᵀ·(Δ_${i + 1} ∘ Σ'_${i + 1})`,
          () => mul(T(W(i + 1)), had(D.get(i + 1), dS(i + 1))),
          [`dS_${i}`],
        );
        add(
          'index-shift',
          `W_${i} used instead of W_${i + 1}: Δ_${i} = (W_${i}ᵀ·Δ_${i + 1}) ∘ Σ'_${i}`,
          () => had(mul(T(W(i)), D.get(i + 1)), dS(i)),
          [`W_${i + 1}`],
        );
        if (i >= 2)
          add(
            'index-shift',
            `Σ'_${i - 1} used instead of Σ'_${i}: Δ_${i} = (W_${i + 1}ᵀ·Δ_${i + 1}) ∘ Σ'_${i - 1}`,
            () => had(up, dS(i - 1)),
            [`dS_${i}`],
          );
        const gD = givenOf(given, `D_${i + 1}`);
        if (gD && !gD.equals(D.get(i + 1)))
          add(
            'carried',
            `Δ_${i} = (W_${i + 1}ᵀ·Δ_${i + 1}) ∘ Σ'_${i} is right for the Δ_${i + 1} you gave`,
            () => had(mul(T(W(i + 1)), gD), dS(i)),
            [`D_${i + 1}`],
          );
      }
      const gdS = givenOf(given, `dS_${i}`);
      if (gdS && !gdS.equals(dS(i))) {
        add(
          'carried',
          `Δ_${i} is right for the Σ'_${i} you gave`,
          () => (i === k ? had(seed, gdS) : had(mul(T(W(i + 1)), D.get(i + 1)), gdS)),
          [`dS_${i}`],
        );
      }
      break;
    }
    case 'gradW': {
      const ST = T(S(i - 1));
      const Di = D.get(i);
      const noDsigma = recursionWith(sol, (l, next) => (l === k ? next : attempt(() => mul(T(W(l + 1)), next))));
      const wNotT = recursionWith(sol, (l, next) =>
        attempt(() => (l === k ? had(next, dS(k)) : had(mul(W(l + 1), next), dS(l)))),
      );
      const upRaw = i === k ? seed : mul(T(W(i + 1)), D.get(i + 1));
      add(
        'forgot-dsigma',
        `∘ Σ'_${i} left out of Δ_${i}: ∇_{W_${i}} f = ${i === k ? `Δ_${k + 1}` : `(W_${i + 1}ᵀ·Δ_${i + 1})`}·Σ_${i - 1}ᵀ`,
        () => mul(upRaw, ST),
        [`D_${i}`],
      );
      if (noDsigma.has(i))
        add(
          'forgot-dsigma',
          `Σ' left out at every step of the recursion, then Δ_${i}·Σ_${i - 1}ᵀ`,
          () => mul(noDsigma.get(i), ST),
          [`D_${i}`],
        );
      if (i < k && wNotT.has(i))
        add('w-for-wt', `W used instead of Wᵀ in the recursion, then Δ_${i}·Σ_${i - 1}ᵀ`, () => mul(wNotT.get(i), ST), [
          `D_${i}`,
        ]);
      if (i < k)
        add(
          'w-for-wt',
          `W_${i + 1} used instead of W_${i + 1}ᵀ in Δ_${i}, then Δ_${i}·Σ_${i - 1}ᵀ`,
          () => mul(had(mul(W(i + 1), D.get(i + 1)), dS(i)), ST),
          [`D_${i}`],
        );
      add('wrong-order', `Σ_${i - 1}·Δ_${i}ᵀ instead of Δ_${i}·Σ_${i - 1}ᵀ`, () => mul(S(i - 1), T(Di)), [
        `D_${i}`,
        `S_${i - 1}`,
      ]);
      add('transpose-wrong-factor', `Δ_${i}ᵀ·Σ_${i - 1} instead of Δ_${i}·Σ_${i - 1}ᵀ`, () => mul(T(Di), S(i - 1)), [
        `D_${i}`,
        `S_${i - 1}`,
      ]);
      add(
        'transpose-wrong-factor',
        `Σ_${i - 1} ⊗ Δ_${i}ᵀ instead of Σ_${i - 1}ᵀ ⊗ Δ_${i}`,
        () => rkron(S(i - 1), T(Di)),
        [`D_${i}`, `S_${i - 1}`],
      );
      add(
        'transpose-wrong-factor',
        `Σ_${i - 1} ⊗ Δ_${i} (a column) instead of Σ_${i - 1}ᵀ ⊗ Δ_${i}`,
        () => rkron(S(i - 1), Di),
        [`D_${i}`, `S_${i - 1}`],
      );
      add('index-shift', `Σ_${i} used instead of Σ_${i - 1}: Δ_${i}·Σ_${i}ᵀ`, () => mul(Di, T(S(i))), [`S_${i - 1}`]);
      if (i >= 2)
        add('index-shift', `Σ_${i - 2} used instead of Σ_${i - 1}: Δ_${i}·Σ_${i - 2}ᵀ`, () => mul(Di, T(S(i - 2))), [
          `S_${i - 1}`,
        ]);
      if (i < k) {
        add('index-shift', `Δ_${i + 1} used instead of Δ_${i}: Δ_${i + 1}·Σ_${i - 1}ᵀ`, () => mul(D.get(i + 1), ST), [
          `D_${i}`,
        ]);
        add(
          'index-shift',
          `Σ'_${i + 1} used instead of Σ'_${i} in Δ_${i}, then Δ_${i}·Σ_${i - 1}ᵀ`,
          () => mul(had(upRaw, dS(i + 1)), ST),
          [`D_${i}`],
        );
        add(
          'index-shift',
          `Σ'_${i + 1} used instead of Σ'_${i}: W_${i + 1}ᵀ·(Δ_${i + 1} ∘ Σ'_${i + 1})·Σ_${i - 1}ᵀ`,
          () => mul(mul(T(W(i + 1)), had(D.get(i + 1), dS(i + 1))), ST),
          [`D_${i}`],
        );
      }
      if (i >= 2) {
        add('index-shift', `Δ_${i - 1} used instead of Δ_${i}: Δ_${i - 1}·Σ_${i - 1}ᵀ`, () => mul(D.get(i - 1), ST), [
          `D_${i}`,
        ]);
        add(
          'forgot-sigma',
          `N_${i - 1} used instead of Σ_${i - 1} = Σ_${i - 1}(N_${i - 1}): Δ_${i}·N_${i - 1}ᵀ`,
          () => mul(Di, T(N(i - 1))),
          [`S_${i - 1}`],
        );
      }
      const gD = givenOf(given, `D_${i}`);
      if (gD && !gD.equals(Di))
        add('carried', `∇_{W_${i}} f = Δ_${i}·Σ_${i - 1}ᵀ is right for the Δ_${i} you gave`, () => mul(gD, ST), [
          `D_${i}`,
        ]);
      const gS = i >= 2 ? givenOf(given, `S_${i - 1}`) : undefined;
      if (gS && !gS.equals(S(i - 1)))
        add('carried', `∇_{W_${i}} f = Δ_${i}·Σ_${i - 1}ᵀ is right for the Σ_${i - 1} you gave`, () => mul(Di, T(gS)), [
          `S_${i - 1}`,
        ]);
      break;
    }
  }
  // a variant equal to the right answer is no mistake; the same mistake giving the same matrix twice is one
  return out.filter(
    (v, j) => !v.value.equals(right) && !out.slice(0, j).some((u) => u.id === v.id && u.value.equals(v.value)),
  );
}
