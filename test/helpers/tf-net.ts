/**
 * An independent reference by automatic differentiation: the same network function f written with
 * TensorFlow.js ops (tfjs-core + the CPU backend, float32), and ∇_{W_i} (v·f) summed over the batch from
 * tf.grads. Nothing of nabla is used here except plain numbers and activation names.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's node bundle ships no gradient functions; the union package @tensorflow/tfjs registers them with this
// side-effect module (kernel and gradient registries are global, so one registration serves every copy).
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { maxAbs, type Rows } from './reference.js';

// tfjs prints a "use tfjs-node" hint on first use in Node (backend_util.warn); IS_TEST silences its warn/log,
// so the no-console rule of test/helpers/fail-on-console.ts is not tripped.
tf.env().set('IS_TEST', true);

export async function useTfCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** σ written with tf ops, one per catalog name. */
export const tfActivations: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  identity: (x) => x,
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  relu: (x) => tf.relu(x),
  leaky_relu: (x) => tf.leakyRelu(x, 0.01),
  elu: (x) => tf.elu(x),
  softplus: (x) => tf.softplus(x),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  // tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
  gelu: (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(GELU_C, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))),
  sin: (x) => tf.sin(x),
  square: (x) => tf.square(x),
};

/** Σ_i applied to N (n_i × B): each neuron's σ on its own row (slice rows, apply, concat); one op if uniform. */
function applyColumn(names: readonly string[], N: tf.Tensor2D): tf.Tensor2D {
  if (names.every((a) => a === names[0])) return tfActivations[names[0]!]!(N) as tf.Tensor2D;
  const rows = names.map((a, j) => tfActivations[a]!(tf.slice(N, [j, 0], [1, -1])));
  return tf.concat(rows, 0) as tf.Tensor2D;
}

function tfForward(Ws: readonly tf.Tensor2D[], acts: readonly (readonly string[])[], X: tf.Tensor2D): tf.Tensor2D {
  let S = X;
  Ws.forEach((W, j) => {
    S = applyColumn(acts[j]!, tf.matMul(W, S)); // N_i = W_i · Σ_{i−1}, Σ_i = Σ_i(N_i)
  });
  return S;
}

export interface TfResult {
  /** f(X; W), n_k × B. */
  f: Rows;
  /** ∇_{W_i} Σ_{j,b} v_jb f_jb, i = 1 … k (index i − 1). */
  gradW: Rows[];
}

/** f and ∇_W (v·f) by tfjs autodiff. `seed` is n_k × B (v repeated per sample, or ones). */
export function tfGradients(W: readonly Rows[], acts: readonly (readonly string[])[], X: Rows, seed: Rows): TfResult {
  return tf.tidy(() => {
    const Xt = tf.tensor2d(X, [X.length, X[0]!.length]);
    const V = tf.tensor2d(seed, [seed.length, seed[0]!.length]);
    const Ws = W.map((w) => tf.tensor2d(w, [w.length, w[0]!.length]));
    const f = tfForward(Ws, acts, Xt);
    const loss = (...ws: tf.Tensor[]) => tf.sum(tf.mul(V, tfForward(ws as tf.Tensor2D[], acts, Xt)));
    const grads = tf.grads(loss)(Ws);
    return { f: f.arraySync() as Rows, gradW: grads.map((g) => g.arraySync() as Rows) };
  }) as unknown as TfResult;
}

/**
 * Tolerance against the float32 reference: atol = 2e-3 · max|∇W| (at least 2e-6). tfjs computes in float32
 * (unit roundoff 6e-8); rounding W, X and every intermediate perturbs the gradient by ~(depth × width)·6e-8 of
 * the largest terms, ~1e-5 of max|∇W| here, so 2e-3 is safe for float32 and still far below the O(1) relative
 * errors of a wrong formula.
 */
export function float32Tol(grads: Rows[]) {
  return { rtol: 0, atol: 2e-3 * Math.max(maxAbs(...grads), 1e-3) };
}
