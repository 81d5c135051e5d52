/**
 * Gradient clipping by the global norm, as torch.nn.utils.clip_grad_norm_:
 *   ‖g‖ = √(Σ_i ‖∇_{W_i} L‖²_F);  if ‖g‖ > c, every ∇_{W_i} L ← ∇_{W_i} L · c / (‖g‖ + 1e-6).
 * Returns the norm before clipping. Mutates the gradients.
 */
import type { Matrix } from '../linalg/matrix.js';
import type { Layers } from '../net/layers.js';

export function clipGradNorm(G: Layers<Matrix>, maxNorm: number): number {
  let sq = 0;
  for (const i of G.indices()) {
    const g = G.get(i).data;
    for (let e = 0; e < g.length; e++) sq += g[e]! * g[e]!;
  }
  const norm = Math.sqrt(sq);
  if (norm > maxNorm) {
    const f = maxNorm / (norm + 1e-6);
    for (const i of G.indices()) {
      const g = G.get(i).data;
      for (let e = 0; e < g.length; e++) g[e]! *= f;
    }
  }
  return norm;
}
