// The fused backward product (A·B) ∘ H of the WebAssembly kernels gives exactly what the product followed by the
// Hadamard product gives (same sums, then one multiplication), for every transpose case and edge-sized blocks; and
// float64 training, which the WebAssembly kernels hand to the reference kernels, equals training on those.

import { ShapeError } from 'nabla';
import { hadamard, Matrix, matmul } from 'nabla/paper';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../packages/nabla/src/data/dataset.js';
import { refKernels } from '../packages/nabla/src/kernels/ref.js';
import { createWasmKernels, type WasmKernels } from '../packages/nabla/src/kernels/wasm/index.js';
import { matmulHadamard } from '../packages/nabla/src/linalg/products.js';
import { createNetwork } from '../packages/nabla/src/net/init.js';
import { Rng } from '../packages/nabla/src/rng.js';
import { fit } from '../packages/nabla/src/train/fit.js';

let k: WasmKernels;
beforeAll(async () => {
  k = await createWasmKernels({ threads: 1 });
});

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [17, 2, 5],
  [129, 10, 64],
  [785, 129, 64],
  [130, 300, 33],
  [4, 0, 8],
  [129, 10, 1],
  [515, 785, 1],
];

describe("matmulHadamard (fused Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i)", () => {
  for (const [rows, inner, cols] of shapes) {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`${rows}×${inner}×${cols}, transA ${tA}, transB ${tB}: bit-identical to matmul then hadamard`, () => {
        const rng = new Rng(rows * 7 + inner * 3 + cols);
        const fill = (n: number) => {
          const a = k.allocF32(n);
          for (let j = 0; j < n; j++) a[j] = rng.uniform(-1, 1);
          return a;
        };
        const a = fill(rows * inner);
        const b = fill(inner * cols);
        const h = fill(rows * cols);
        const fused = k.allocF32(rows * cols);
        const plain = k.allocF32(rows * cols);
        k.matmulHadamard(fused, a, b, h, rows, inner, cols, tA, tB);
        k.matmul(plain, a, b, rows, inner, cols, tA, tB, false);
        k.hadamard(plain, plain, h, rows * cols);
        expect(Array.from(fused)).toEqual(Array.from(plain));
        // and against the reference kernels in float64 (float32 tolerance)
        const r = new Float64Array(rows * cols);
        refKernels.matmul(r, Float64Array.from(a), Float64Array.from(b), rows, inner, cols, tA, tB, false);
        for (let j = 0; j < r.length; j++)
          expect(Math.abs(fused[j]! - r[j]! * h[j]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, inner));
        k.arena.reset();
      });
    }
  }

  it("the checked linalg function names Σ' when H has the wrong shape", () => {
    const W = new Matrix(3, 2);
    const D = new Matrix(3, 4);
    const H = new Matrix(3, 4);
    expect(() => matmulHadamard(W, D, H, { transA: true, names: ['W_2', 'Δ_2'], hName: "Σ'_1" })).toThrow(ShapeError);
    expect(() => matmulHadamard(W, D, H, { transA: true, names: ['W_2', 'Δ_2'], hName: "Σ'_1" })).toThrowError(
      "(W_2ᵀ · Δ_2) ∘ Σ'_1: W_2ᵀ · Δ_2 is 2×4 but Σ'_1 is 3×4; expected the same shape",
    );
    // on the reference kernels it is the product followed by ∘ H
    const rng = new Rng(5);
    const M = (r: number, c: number) =>
      new Matrix(
        r,
        c,
        Float64Array.from({ length: r * c }, () => rng.uniform(-1, 1)),
      );
    const A = M(3, 2),
      B = M(3, 4),
      G = M(2, 4);
    expect(Array.from(matmulHadamard(A, B, G, { transA: true }).data)).toEqual(
      Array.from(hadamard(matmul(A, B, { transA: true }), G).data),
    );
  });
});

describe('the WebAssembly kernels run float64 on the reference kernels', () => {
  for (const optimizer of ['sgd', 'adam'] as const) {
    it(`fit in float64 (${optimizer}, softmax-ce) with the WASM kernels equals fit with the reference kernels bit for bit`, () => {
      const count = 60;
      const rng = new Rng(9);
      const data: Dataset = {
        name: 'random',
        x: Float32Array.from({ length: count * 6 }, () => rng.uniform(-1, 1)),
        inputs: 6,
        count,
        task: 'classification',
        labels: new Int32Array(count).map((_, i) => i % 3),
        classes: [0, 1, 2],
        outputs: 3,
      };
      const net = createNetwork({ widths: [6, 8, 3], activation: ['tanh', 'identity'], dtype: 'float64', seed: 3 });
      const opts = {
        loss: 'softmax-ce',
        optimizer,
        optimizerOptions: optimizer === 'sgd' ? { momentum: 0.9 } : {},
        learningRate: 0.05,
        batchSize: 16,
        epochs: 2,
        seed: 1,
        dtype: 'float64',
      } as const;
      const viaWasm = fit(net, data, { ...opts, kernels: k });
      const viaRef = fit(net, data, { ...opts, kernels: refKernels });
      for (const i of viaRef.network.W.indices()) {
        expect(viaWasm.network.W.get(i).data).toBeInstanceOf(Float64Array);
        expect(Array.from(viaWasm.network.W.get(i).data), `W_${i}`).toEqual(Array.from(viaRef.network.W.get(i).data));
      }
      expect(viaWasm.history.map((h) => h.loss)).toEqual(viaRef.history.map((h) => h.loss));
    });
  }
});
