/**
 * The seed Δ_{k+1}: the paper's 1 (n_k = 1), or a vector v of n_k numbers for ∇_W (v·f) when n_k > 1 —
 * as `seedMatrix` in types.ts, here over any algebra.
 */
import { ShapeError } from '../errors.js';
import type { Algebra } from './algebra.js';

/** Whether the seed is the paper's Δ_{k+1} = W_{k+1}ᵀ = 1 (n_k = 1 and every entry 1). */
export function seedIsOne<M>(alg: Algebra<M>, seed: M): boolean {
  return alg.rows(seed) === 1 && alg.toNumbers(seed).every((row) => row.every((v) => v === 1));
}

/** Checks that a seed is n_k × B. */
export function checkSeed<M>(alg: Algebra<M>, seed: M, nk: number, B: number, k: number): void {
  if (alg.rows(seed) !== nk || alg.cols(seed) !== B) {
    throw new ShapeError(`Δ_${k + 1}: the seed is ${alg.rows(seed)}×${alg.cols(seed)}, expected n_k × B = ${nk}×${B}`);
  }
}

/** TeX for Δ_{k+1}: "1" or "v". */
export function seedTex(one: boolean): string {
  return one ? '1' : 'v';
}
