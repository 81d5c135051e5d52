// f32 GEMM, BLIS style: C (rows×cols) = op(A)·op(B) (+ C), all row-major.
//
// Loops: jc over cols in NC blocks → pc over inner in KC blocks (pack op(B) into NR-column panels) →
// ic over rows in MC blocks (pack op(A) into MR-row panels) → jr, ir over the panels → a 4×8 micro-kernel
// holding a 4×8 block of C in 8 f32x4 registers. Packing normalises the layout, so the four transpose
// cases share one micro-kernel; transposed-in-memory operands are packed with 4×4 SIMD transposes.
// Edge blocks are zero-padded in the packed panels and computed into a 4×8 scratch tile.

import { fma } from './simd';

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128; // multiple of MR
const NC: i32 = 2048; // multiple of NR

let packA: usize = 0;
let packB: usize = 0;
let tile: usize = 0;

/** Bytes of workspace (packing buffers and the edge tile) the GEMM needs; see `setGemmWorkspace`. */
export function gemmWorkspaceBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/** Sets the workspace (16-byte aligned, `gemmWorkspaceBytes()` long) used by every later `matmul`. */
export function setGemmWorkspace(ptr: usize): void {
  packA = ptr;
  packB = packA + <usize>(MC * KC * 4);
  tile = packB + <usize>(KC * NC * 4);
}

// @ts-ignore: decorator
@inline function min(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/** The 4×4 transpose of rows r0..r3: returns column `c` (compile-time lane pattern via the switch). */
// @ts-ignore: decorator
@inline function tcol0(x0: v128, x2: v128): v128 { return f32x4.shuffle(x0, x2, 0, 1, 4, 5); }
// @ts-ignore: decorator
@inline function tcol1(x0: v128, x2: v128): v128 { return f32x4.shuffle(x0, x2, 2, 3, 6, 7); }
// @ts-ignore: decorator
@inline function lo(r0: v128, r1: v128): v128 { return f32x4.shuffle(r0, r1, 0, 4, 1, 5); }
// @ts-ignore: decorator
@inline function hi(r0: v128, r1: v128): v128 { return f32x4.shuffle(r0, r1, 2, 6, 3, 7); }

/**
 * Packs op(B)[pc.., jc..] (kc×nc) into NR-column panels: panel q holds, for each k, the 8 entries
 * op(B)[pc+k, jc+8q .. jc+8q+7] (zero past nc). `transB`: B is stored cols×inner, else inner×cols.
 */
function packPanelsB(b: usize, inner: i32, cols: i32, pc: i32, jc: i32, kc: i32, nc: i32, transB: bool): void {
  let dst = packB;
  if (!transB) {
    const ld = <usize>cols << 2;
    for (let j = 0; j < nc; j += NR) {
      const w = min(NR, nc - j);
      let src = b + ((<usize>pc * <usize>cols + <usize>(jc + j)) << 2);
      if (w == NR) {
        for (let k = 0; k < kc; k++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          dst += 32;
          src += ld;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let c = 0; c < NR; c++) store<f32>(dst + (<usize>c << 2), c < w ? load<f32>(src + (<usize>c << 2)) : 0);
          dst += 32;
          src += ld;
        }
      }
    }
  } else {
    const ld = <usize>inner << 2; // B[j, p] at b + (j·inner + p)·4
    for (let j = 0; j < nc; j += NR) {
      const w = min(NR, nc - j);
      const row0 = b + ((<usize>(jc + j) * <usize>inner + <usize>pc) << 2);
      if (w == NR) {
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const s = row0 + (<usize>k << 2);
          const r0 = v128.load(s);
          const r1 = v128.load(s + ld);
          const r2 = v128.load(s + 2 * ld);
          const r3 = v128.load(s + 3 * ld);
          const r4 = v128.load(s + 4 * ld);
          const r5 = v128.load(s + 5 * ld);
          const r6 = v128.load(s + 6 * ld);
          const r7 = v128.load(s + 7 * ld);
          const x0 = lo(r0, r1), x1 = hi(r0, r1), x2 = lo(r2, r3), x3 = hi(r2, r3);
          const y0 = lo(r4, r5), y1 = hi(r4, r5), y2 = lo(r6, r7), y3 = hi(r6, r7);
          v128.store(dst, tcol0(x0, x2));
          v128.store(dst, tcol0(y0, y2), 16);
          v128.store(dst, tcol1(x0, x2), 32);
          v128.store(dst, tcol1(y0, y2), 48);
          v128.store(dst, tcol0(x1, x3), 64);
          v128.store(dst, tcol0(y1, y3), 80);
          v128.store(dst, tcol1(x1, x3), 96);
          v128.store(dst, tcol1(y1, y3), 112);
          dst += 128;
        }
        for (; k < kc; k++) {
          const s = row0 + (<usize>k << 2);
          for (let c = 0; c < NR; c++) store<f32>(dst + (<usize>c << 2), load<f32>(s + <usize>c * ld));
          dst += 32;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const s = row0 + (<usize>k << 2);
          for (let c = 0; c < NR; c++) store<f32>(dst + (<usize>c << 2), c < w ? load<f32>(s + <usize>c * ld) : 0);
          dst += 32;
        }
      }
    }
  }
}

/**
 * Packs op(A)[ic.., pc..] (mc×kc) into MR-row panels: panel p holds, for each k, the 4 entries
 * op(A)[ic+4p .. ic+4p+3, pc+k] (zero past mc). `transA`: A is stored inner×rows, else rows×inner.
 */
function packPanelsA(a: usize, rows: i32, inner: i32, ic: i32, pc: i32, mc: i32, kc: i32, transA: bool): void {
  let dst = packA;
  if (transA) {
    const ld = <usize>rows << 2; // A[p, i] at a + (p·rows + i)·4: 4 contiguous floats per k
    for (let i = 0; i < mc; i += MR) {
      const h = min(MR, mc - i);
      let src = a + ((<usize>pc * <usize>rows + <usize>(ic + i)) << 2);
      if (h == MR) {
        for (let k = 0; k < kc; k++) {
          v128.store(dst, v128.load(src));
          dst += 16;
          src += ld;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < h ? load<f32>(src + (<usize>r << 2)) : 0);
          dst += 16;
          src += ld;
        }
      }
    }
  } else {
    const ld = <usize>inner << 2; // A[i, p] at a + (i·inner + p)·4: rows are strided, 4×4 transposes
    for (let i = 0; i < mc; i += MR) {
      const h = min(MR, mc - i);
      const row0 = a + ((<usize>(ic + i) * <usize>inner + <usize>pc) << 2);
      if (h == MR) {
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const s = row0 + (<usize>k << 2);
          const r0 = v128.load(s);
          const r1 = v128.load(s + ld);
          const r2 = v128.load(s + 2 * ld);
          const r3 = v128.load(s + 3 * ld);
          const x0 = lo(r0, r1), x1 = hi(r0, r1), x2 = lo(r2, r3), x3 = hi(r2, r3);
          v128.store(dst, tcol0(x0, x2));
          v128.store(dst, tcol1(x0, x2), 16);
          v128.store(dst, tcol0(x1, x3), 32);
          v128.store(dst, tcol1(x1, x3), 48);
          dst += 64;
        }
        for (; k < kc; k++) {
          const s = row0 + (<usize>k << 2);
          for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), load<f32>(s + <usize>r * ld));
          dst += 16;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const s = row0 + (<usize>k << 2);
          for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < h ? load<f32>(s + <usize>r * ld) : 0);
          dst += 16;
        }
      }
    }
  }
}

/**
 * The 4×8 micro-kernel: C[0..4, 0..8] (row stride `ldc` bytes) = Σ_k ap[k]ᵀ·bp[k] (+ C when `beta`).
 * Register budget (V8 11.3 uses xmm0–14): V8 issues an iteration's loads before its arithmetic (loads
 * follow the effect chain, pure ops sink to their use), so everything loaded is live at once. A 6×8
 * kernel with `load32_splat` broadcasts (12 + 2 + 6) spills three accumulators per iteration; here A's
 * 4 values are one load and each broadcast is a `vpshufd` next to its FMAs: 8 + 2 + 1 + 1 = 12 live.
 * Unrolling k by 2 spills one accumulator onto the FMA dependency chain (−25 % with relaxed FMA).
 */
function micro(kc: i32, ap: usize, bp: usize, cp: usize, ldc: usize, beta: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const bend = bp + (<usize>kc << 5);
  while (bp < bend) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const av = v128.load(ap);
    let a = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = fma(a, b0, c00);
    c01 = fma(a, b1, c01);
    a = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = fma(a, b0, c10);
    c11 = fma(a, b1, c11);
    a = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = fma(a, b0, c20);
    c21 = fma(a, b1, c21);
    a = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = fma(a, b0, c30);
    c31 = fma(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  let p = cp;
  if (beta) {
    c00 = f32x4.add(c00, v128.load(p)); c01 = f32x4.add(c01, v128.load(p, 16)); p += ldc;
    c10 = f32x4.add(c10, v128.load(p)); c11 = f32x4.add(c11, v128.load(p, 16)); p += ldc;
    c20 = f32x4.add(c20, v128.load(p)); c21 = f32x4.add(c21, v128.load(p, 16)); p += ldc;
    c30 = f32x4.add(c30, v128.load(p)); c31 = f32x4.add(c31, v128.load(p, 16));
    p = cp;
  }
  v128.store(p, c00); v128.store(p, c01, 16); p += ldc;
  v128.store(p, c10); v128.store(p, c11, 16); p += ldc;
  v128.store(p, c20); v128.store(p, c21, 16); p += ldc;
  v128.store(p, c30); v128.store(p, c31, 16);
}

/** All micro-tiles of one mc×nc block of C (at `c`, row stride `ldc` bytes) from the packed panels. */
function macro(c: usize, ldc: usize, mc: i32, nc: i32, kc: i32, beta: bool): void {
  const aStride = <usize>(kc * MR * 4);
  const bStride = <usize>(kc * NR * 4);
  let bp = packB;
  for (let j = 0; j < nc; j += NR) {
    const nr = min(NR, nc - j);
    let ap = packA;
    for (let i = 0; i < mc; i += MR) {
      const mr = min(MR, mc - i);
      const cij = c + <usize>i * ldc + (<usize>j << 2);
      if (mr == MR && nr == NR) {
        micro(kc, ap, bp, cij, ldc, beta);
      } else {
        // edge block: go through the MR×NR tile
        if (beta) {
          for (let r = 0; r < mr; r++) {
            for (let q = 0; q < nr; q++) {
              store<f32>(tile + (<usize>(r * NR + q) << 2), load<f32>(cij + <usize>r * ldc + (<usize>q << 2)));
            }
          }
        }
        micro(kc, ap, bp, tile, <usize>(NR * 4), beta);
        for (let r = 0; r < mr; r++) {
          for (let q = 0; q < nr; q++) {
            store<f32>(cij + <usize>r * ldc + (<usize>q << 2), load<f32>(tile + (<usize>(r * NR + q) << 2)));
          }
        }
      }
      ap += aStride;
    }
    bp += bStride;
  }
}

/**
 * out (rows×cols) = op(a)·op(b) (+ out when `accumulate`), op(a) rows×inner, op(b) inner×cols.
 * `transA`: a is stored inner×rows; `transB`: b is stored cols×inner. Pointers are byte offsets of f32
 * data; `out` must not overlap `a` or `b`. Needs `setGemmWorkspace` first.
 */
export function matmul(
  out: usize, a: usize, b: usize, rows: i32, inner: i32, cols: i32, transA: i32, transB: i32, accumulate: i32,
): void {
  matmulPart(out, a, b, rows, inner, cols, transA, transB, accumulate, 0, rows, 0, cols);
}

/**
 * The block rows r0..r1 × columns c0..c1 of `matmul(out, a, b, rows, inner, cols, …)`, written in place
 * (the rest of `out` is untouched). Each entry is summed in the same order as by `matmul` (the inner
 * dimension in KC blocks from 0, each block left to right), so threads that compute disjoint blocks with
 * their own workspace produce exactly the single-thread result.
 */
export function matmulPart(
  out: usize, a: usize, b: usize, rows: i32, inner: i32, cols: i32, transA: i32, transB: i32, accumulate: i32,
  r0: i32, r1: i32, c0: i32, c1: i32,
): void {
  gemm(out, a, b, rows, inner, cols, transA, transB, accumulate, r0, r1, c0, c1, 0);
}

/**
 * out (rows×cols) = (op(a)·op(b)) ∘ h, h rows×cols: the backward step Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i with the
 * Hadamard product fused into the product. Each block of `out` is multiplied by h as soon as its last inner
 * block is done, while it is still in cache, instead of in a second pass over `out`. Every entry is computed
 * exactly as `matmul` followed by `hadamardInto` would (the same sum, then one multiplication).
 */
export function matmulHadamard(
  out: usize, a: usize, b: usize, h: usize, rows: i32, inner: i32, cols: i32, transA: i32, transB: i32,
): void {
  gemm(out, a, b, rows, inner, cols, transA, transB, 0, 0, rows, 0, cols, h);
}

/**
 * The block rows r0..r1 × columns c0..c1 of `matmulHadamard(out, a, b, h, rows, inner, cols, …)`, written in place:
 * what `matmulPart` is to `matmul` (each entry computed exactly as by the whole call), for split fused products.
 */
export function matmulHadamardPart(
  out: usize, a: usize, b: usize, h: usize, rows: i32, inner: i32, cols: i32, transA: i32, transB: i32,
  r0: i32, r1: i32, c0: i32, c1: i32,
): void {
  gemm(out, a, b, rows, inner, cols, transA, transB, 0, r0, r1, c0, c1, h);
}

/** out[r, c] ∘= h[r, c] for the block r0..r0+mr × c0..c0+nc of row-major rows with stride `ld` bytes. */
function hadamardBlock(out: usize, h: usize, ld: usize, r0: i32, mr: i32, c0: i32, nc: i32): void {
  for (let r = r0; r < r0 + mr; r++) {
    let p = out + <usize>r * ld + (<usize>c0 << 2);
    let q = h + <usize>r * ld + (<usize>c0 << 2);
    let c = 0;
    for (; c + 4 <= nc; c += 4) {
      v128.store(p, f32x4.mul(v128.load(p), v128.load(q)));
      p += 16;
      q += 16;
    }
    for (; c < nc; c++) {
      store<f32>(p, load<f32>(p) * load<f32>(q));
      p += 4;
      q += 4;
    }
  }
}

/** The four f32 lanes of v, summed as (l0 + l2) + (l1 + l3). */
// @ts-ignore: decorator
@inline function lanes(v: v128): f32 {
  const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}

/**
 * One column (cols = 1, a matrix-vector product): out[r] = Σ_p op(A)[r, p]·x[p] (+ out[r]) (∘ h[r]) for r0 ≤ r < r1.
 * Packing for the GEMM would cost more than the product (A is read once), and 7 of the micro-kernel's 8 columns
 * would be padding. Row-major A: four rows at a time, each a dot product with two SIMD accumulators (eight
 * independent FMA chains), the lanes summed at the end. Transposed A (stored inner×rows): sixteen entries of out
 * at a time in registers, each step adding x[p] times a row of A. Every entry is summed in an order that depends
 * only on (inner, transA), never on r0, r1, so a split across threads gives the one-thread result bit for bit.
 */
function gemv(out: usize, a: usize, x: usize, rows: i32, inner: i32, transA: bool, accumulate: bool, r0: i32, r1: i32, h: usize): void {
  if (!transA) {
    const ld = <usize>inner << 2;
    const k8 = inner & ~7;
    let r = r0;
    for (; r + 4 <= r1; r += 4) {
      const a0 = a + <usize>r * ld;
      const a1 = a0 + ld, a2 = a1 + ld, a3 = a2 + ld;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
      for (let p = 0; p < k8; p += 8) {
        const o = <usize>p << 2;
        const x0 = v128.load(x + o);
        const x1 = v128.load(x + o, 16);
        s0 = fma(v128.load(a0 + o), x0, s0);
        t0 = fma(v128.load(a0 + o, 16), x1, t0);
        s1 = fma(v128.load(a1 + o), x0, s1);
        t1 = fma(v128.load(a1 + o, 16), x1, t1);
        s2 = fma(v128.load(a2 + o), x0, s2);
        t2 = fma(v128.load(a2 + o, 16), x1, t2);
        s3 = fma(v128.load(a3 + o), x0, s3);
        t3 = fma(v128.load(a3 + o, 16), x1, t3);
      }
      let d0 = lanes(f32x4.add(s0, t0)), d1 = lanes(f32x4.add(s1, t1)), d2 = lanes(f32x4.add(s2, t2)), d3 = lanes(f32x4.add(s3, t3));
      for (let p = k8; p < inner; p++) {
        const o = <usize>p << 2;
        const xp = load<f32>(x + o);
        d0 += load<f32>(a0 + o) * xp;
        d1 += load<f32>(a1 + o) * xp;
        d2 += load<f32>(a2 + o) * xp;
        d3 += load<f32>(a3 + o) * xp;
      }
      gemvStore(out, r, d0, accumulate, h);
      gemvStore(out, r + 1, d1, accumulate, h);
      gemvStore(out, r + 2, d2, accumulate, h);
      gemvStore(out, r + 3, d3, accumulate, h);
    }
    for (; r < r1; r++) {
      const a0 = a + <usize>r * ld;
      let s0 = f32x4.splat(0), t0 = f32x4.splat(0);
      for (let p = 0; p < k8; p += 8) {
        const o = <usize>p << 2;
        s0 = fma(v128.load(a0 + o), v128.load(x + o), s0);
        t0 = fma(v128.load(a0 + o, 16), v128.load(x + o, 16), t0);
      }
      let d0 = lanes(f32x4.add(s0, t0));
      for (let p = k8; p < inner; p++) d0 += load<f32>(a0 + (<usize>p << 2)) * load<f32>(x + (<usize>p << 2));
      gemvStore(out, r, d0, accumulate, h);
    }
    return;
  }
  // A stored inner×rows: out[r0..r1] = Σ_p x[p]·A[p, r0..r1], sixteen (then four, then one) entries at a time
  const ld = <usize>rows << 2;
  let r = r0;
  for (; r + 16 <= r1; r += 16) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let src = a + (<usize>r << 2);
    for (let p = 0; p < inner; p++) {
      const xp = v128.load32_splat(x + (<usize>p << 2));
      c0 = fma(xp, v128.load(src), c0);
      c1 = fma(xp, v128.load(src, 16), c1);
      c2 = fma(xp, v128.load(src, 32), c2);
      c3 = fma(xp, v128.load(src, 48), c3);
      src += ld;
    }
    gemvStore4(out, r, c0, accumulate, h);
    gemvStore4(out, r + 4, c1, accumulate, h);
    gemvStore4(out, r + 8, c2, accumulate, h);
    gemvStore4(out, r + 12, c3, accumulate, h);
  }
  for (; r + 4 <= r1; r += 4) {
    let c0 = f32x4.splat(0);
    let src = a + (<usize>r << 2);
    for (let p = 0; p < inner; p++) {
      c0 = fma(v128.load32_splat(x + (<usize>p << 2)), v128.load(src), c0);
      src += ld;
    }
    gemvStore4(out, r, c0, accumulate, h);
  }
  for (; r < r1; r++) {
    // one lane of the same FMA chain as the SIMD blocks above (an unfused a·b + c would round differently)
    let c0 = f32x4.splat(0);
    let src = a + (<usize>r << 2);
    for (let p = 0; p < inner; p++) {
      c0 = fma(v128.load32_splat(x + (<usize>p << 2)), v128.load32_splat(src), c0);
      src += ld;
    }
    gemvStore(out, r, f32x4.extract_lane(c0, 0), accumulate, h);
  }
}

// @ts-ignore: decorator
@inline function gemvStore(out: usize, r: i32, d: f32, accumulate: bool, h: usize): void {
  const o = out + (<usize>r << 2);
  if (accumulate) d += load<f32>(o);
  if (h != 0) d *= load<f32>(h + (<usize>r << 2));
  store<f32>(o, d);
}

// @ts-ignore: decorator
@inline function gemvStore4(out: usize, r: i32, d: v128, accumulate: bool, h: usize): void {
  const o = out + (<usize>r << 2);
  if (accumulate) d = f32x4.add(d, v128.load(o));
  if (h != 0) d = f32x4.mul(d, v128.load(h + (<usize>r << 2)));
  v128.store(o, d);
}

function gemm(
  out: usize, a: usize, b: usize, rows: i32, inner: i32, cols: i32, transA: i32, transB: i32, accumulate: i32,
  r0: i32, r1: i32, c0: i32, c1: i32, h: usize,
): void {
  if (r0 < 0) r0 = 0;
  if (c0 < 0) c0 = 0;
  if (r1 > rows) r1 = rows;
  if (c1 > cols) c1 = cols;
  if (r1 <= r0 || c1 <= c0) return;
  const ldc = <usize>cols << 2;
  if (inner <= 0) {
    if (!accumulate) {
      for (let i = r0; i < r1; i++) memory.fill(out + <usize>i * ldc + (<usize>c0 << 2), 0, <usize>(c1 - c0) << 2);
    }
    if (h != 0) hadamardBlock(out, h, ldc, r0, r1 - r0, c0, c1 - c0);
    return;
  }
  // one column: op(B) is a vector whichever way B is stored
  if (cols == 1) {
    gemv(out, a, b, rows, inner, transA != 0, accumulate != 0, r0, r1, h);
    return;
  }
  for (let jc = c0; jc < c1; jc += NC) {
    const nc = min(NC, c1 - jc);
    for (let pc = 0; pc < inner; pc += KC) {
      const kc = min(KC, inner - pc);
      packPanelsB(b, inner, cols, pc, jc, kc, nc, transB != 0);
      const beta = accumulate != 0 || pc > 0;
      for (let ic = r0; ic < r1; ic += MC) {
        const mc = min(MC, r1 - ic);
        packPanelsA(a, rows, inner, ic, pc, mc, kc, transA != 0);
        macro(out + <usize>ic * ldc + (<usize>jc << 2), ldc, mc, nc, kc, beta);
        // the block is complete after the last inner block: apply ∘ h now, while it is in cache
        if (h != 0 && pc + kc >= inner) hadamardBlock(out, h, ldc, ic, mc, jc, nc);
      }
    }
  }
}
