// The 128-bit FMA throughput probe of `npm run bench` (AssemblyScript, compiled in the bench run with relaxed
// SIMD): 12 independent chains of f32x4.relaxed_madd (V8: vfmadd231ps xmm), enough to cover the FMA latency
// on two ports. Each iteration is 12 × 4 × 2 = 96 FLOP. Returns a lane sum so nothing is optimised away.
export function fma(iters: i32, seed: f32): f32 {
  const b = f32x4.splat(0.999999);
  const c = f32x4.splat(seed * 1e-6);
  let a0 = f32x4.splat(seed), a1 = f32x4.splat(seed + 1), a2 = f32x4.splat(seed + 2), a3 = f32x4.splat(seed + 3);
  let a4 = f32x4.splat(seed + 4), a5 = f32x4.splat(seed + 5), a6 = f32x4.splat(seed + 6), a7 = f32x4.splat(seed + 7);
  let a8 = f32x4.splat(seed + 8), a9 = f32x4.splat(seed + 9), a10 = f32x4.splat(seed + 10), a11 = f32x4.splat(seed + 11);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.relaxed_madd(a0, b, c); a1 = f32x4.relaxed_madd(a1, b, c); a2 = f32x4.relaxed_madd(a2, b, c);
    a3 = f32x4.relaxed_madd(a3, b, c); a4 = f32x4.relaxed_madd(a4, b, c); a5 = f32x4.relaxed_madd(a5, b, c);
    a6 = f32x4.relaxed_madd(a6, b, c); a7 = f32x4.relaxed_madd(a7, b, c); a8 = f32x4.relaxed_madd(a8, b, c);
    a9 = f32x4.relaxed_madd(a9, b, c); a10 = f32x4.relaxed_madd(a10, b, c); a11 = f32x4.relaxed_madd(a11, b, c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  const t = f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11));
  const u = f32x4.add(s, t);
  return f32x4.extract_lane(u, 0) + f32x4.extract_lane(u, 1) + f32x4.extract_lane(u, 2) + f32x4.extract_lane(u, 3);
}
