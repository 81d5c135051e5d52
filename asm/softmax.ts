// The output-layer seed for softmax + cross-entropy, samples as columns:
//   P[:, j] = softmax(N[:, j]) (stable: subtract the column max),  seed = (P − Y)/B,
//   loss = −(1/B) Σ_j Σ_i Y_ij · ln P_ij = (1/B) Σ_j (Σ_i Y_ij · ln s_j − Σ_i Y_ij (N_ij − m_j)).
// Four columns are processed at once (one per lane); rows are contiguous in each column group.

import { expv, fma } from './simd';

/**
 * Writes seed (rows×B) and returns the mean loss. `seed` may alias `N` but not `Y`. Returns 0 when
 * rows or B is 0.
 */
export function softmaxCrossEntropySeed(N: usize, Y: usize, seed: usize, rows: i32, B: i32): f64 {
  if (rows <= 0 || B <= 0) return 0;
  const ld = <usize>B << 2;
  const invB = <f32>(1.0 / <f64>B);
  const vinvB = f32x4.splat(invB);
  let loss: f64 = 0;
  let j = 0;
  for (; j + 4 <= B; j += 4) {
    const base = <usize>j << 2;
    let mx = v128.load(N + base);
    for (let i = 1; i < rows; i++) mx = f32x4.pmax(mx, v128.load(N + base + <usize>i * ld)); // (NaN still reaches the sum)
    let s = f32x4.splat(0), t = f32x4.splat(0), ys = f32x4.splat(0);
    for (let i = 0; i < rows; i++) {
      const o = base + <usize>i * ld;
      const x = f32x4.sub(v128.load(N + o), mx);
      const y = v128.load(Y + o);
      const e = expv(x);
      v128.store(seed + o, e);
      s = f32x4.add(s, e);
      t = fma(y, x, t);
      ys = f32x4.add(ys, y);
    }
    const inv = f32x4.div(f32x4.splat(1), s);
    for (let i = 0; i < rows; i++) {
      const o = base + <usize>i * ld;
      v128.store(seed + o, f32x4.mul(f32x4.sub(f32x4.mul(v128.load(seed + o), inv), v128.load(Y + o)), vinvB));
    }
    loss += <f64>f32x4.extract_lane(ys, 0) * Math.log(<f64>f32x4.extract_lane(s, 0)) - <f64>f32x4.extract_lane(t, 0);
    loss += <f64>f32x4.extract_lane(ys, 1) * Math.log(<f64>f32x4.extract_lane(s, 1)) - <f64>f32x4.extract_lane(t, 1);
    loss += <f64>f32x4.extract_lane(ys, 2) * Math.log(<f64>f32x4.extract_lane(s, 2)) - <f64>f32x4.extract_lane(t, 2);
    loss += <f64>f32x4.extract_lane(ys, 3) * Math.log(<f64>f32x4.extract_lane(s, 3)) - <f64>f32x4.extract_lane(t, 3);
  }
  // the last B mod 4 columns, one at a time in f64
  for (; j < B; j++) {
    const base = <usize>j << 2;
    let mx = <f64>load<f32>(N + base);
    for (let i = 1; i < rows; i++) mx = Math.max(mx, <f64>load<f32>(N + base + <usize>i * ld));
    let s: f64 = 0, t: f64 = 0, ys: f64 = 0;
    for (let i = 0; i < rows; i++) {
      const o = base + <usize>i * ld;
      const x = <f64>load<f32>(N + o) - mx;
      const y = <f64>load<f32>(Y + o);
      const e = Math.exp(x);
      store<f32>(seed + o, <f32>e);
      s += e;
      t += y * x;
      ys += y;
    }
    const inv = 1 / s;
    for (let i = 0; i < rows; i++) {
      const o = base + <usize>i * ld;
      store<f32>(seed + o, <f32>((<f64>load<f32>(seed + o) * inv - <f64>load<f32>(Y + o)) * <f64>invB));
    }
    loss += ys * Math.log(s) - t;
  }
  return loss / <f64>B;
}
