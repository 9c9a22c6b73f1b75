/**
 * One suite for every kernel backend (XNNPACK's gemm-microkernel-tester in spirit): each
 * operation is run on awkward shapes — 1×1, 1×n, 7×13, sizes one either side of every block
 * edge — and compared with `ReferenceKernels` computing in float64.
 */
import { test } from 'node:test';
import type { Kernels } from '../../src/kernels/kernels.js';
import { ReferenceKernels } from '../../src/kernels/reference.js';
import { activation, activationNames, type Activation } from '../../src/nn/activations.js';
import type { Floats } from '../../src/tensor/matrix.js';
import { Rng } from '../../src/tensor/rng.js';
import { assertClose } from '../helpers/approx.js';

/** Sizes around the block edges a blocked or SIMD GEMM uses (4, 8, 16, 32, 64, 128, 256). */
export const awkwardSizes = [1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 31, 33, 63, 65, 127, 129, 255, 257];

/** Shapes (m, n, k) tried for every GEMM. */
export function gemmShapes(): [number, number, number][] {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 13, 1],
    [1, 1, 13],
    [7, 13, 5],
    [13, 7, 11],
    [64, 100, 784], // C1 forward
    [10, 30, 784], // C2 forward
    [100, 784, 64], // C1 weight gradient
    [64, 784, 100], // C1 input gradient
  ];
  for (const s of awkwardSizes) shapes.push([s, 17, 33], [9, s, 31], [5, 15, s]);
  return shapes;
}

function fill(k: Kernels, n: number, rng: Rng, scale = 1): Float32Array | Float64Array {
  const a = k.alloc(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniformIn(-scale, scale);
  return a;
}

function copyTo(src: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = src[i]!;
  return out;
}

/**
 * float32 GEMM error grows like √k · ε: tol = 4e-6 · √k (scaled error, see approx.ts) leaves a
 * margin over the ~1e-7·√k typical error but catches any wrong index (error ~1).
 */
function gemmTol(k: Kernels, depth: number): number {
  return k.dtype === 'float64' ? 1e-12 : 4e-6 * Math.sqrt(depth) + 1e-6;
}

/**
 * The three GEMMs as one table: C[m×n] over depth k from A and B of the lengths `operands` gives,
 * C filled with a stale value first; only NT takes a bias (tried without and with).
 */
const gemmCases: {
  name: string;
  title: string;
  seed: number;
  stale: number;
  operands(m: number, n: number, k: number): [number, number];
  biases: boolean[];
  run(kernels: Kernels, m: number, n: number, k: number, a: Floats, b: Floats, c: Floats, bias: Floats | null): void;
}[] = [
  { name: 'gemmNT', title: 'gemmNT with and without bias', seed: 1, stale: 123, operands: (m, n, k) => [m * k, n * k], biases: [false, true], run: (kern, m, n, k, a, b, c, bias) => kern.gemmNT(m, n, k, a, b, c, bias) },
  { name: 'gemmTN', title: 'gemmTN', seed: 2, stale: -7, operands: (m, n, k) => [k * m, k * n], biases: [false], run: (kern, m, n, k, a, b, c) => kern.gemmTN(m, n, k, a, b, c) },
  { name: 'gemmNN', title: 'gemmNN', seed: 3, stale: 5, operands: (m, n, k) => [m * k, k * n], biases: [false], run: (kern, m, n, k, a, b, c) => kern.gemmNN(m, n, k, a, b, c) },
];

/** Registers the whole suite for the backend that `make` builds (called once, possibly async). */
export function kernelSuite(label: string, make: () => Kernels | Promise<Kernels>): void {
  const ref = new ReferenceKernels('float64');

  for (const g of gemmCases) {
    test(`${label}: ${g.title} on awkward shapes`, async () => {
      const k = await make();
      const rng = new Rng(g.seed);
      for (const [m, n, kk] of gemmShapes()) {
        const [aLength, bLength] = g.operands(m, n, kk);
        const a = fill(k, aLength, rng);
        const b = fill(k, bLength, rng);
        const bias = g.biases.includes(true) ? fill(k, n, rng) : null;
        for (const withBias of g.biases) {
          const c = k.alloc(m * n);
          c.fill(g.stale); // stale values must be overwritten, not accumulated
          g.run(k, m, n, kk, a, b, c, withBias ? bias : null);
          const want = new Float64Array(m * n);
          g.run(ref, m, n, kk, copyTo(a, aLength), copyTo(b, bLength), want, withBias ? copyTo(bias!, n) : null);
          assertClose(c, want, gemmTol(k, kk), `${g.name} ${m}×${n}×${kk}${g.biases.length > 1 ? ` bias=${withBias}` : ''}`);
        }
      }
    });
  }

  test(`${label}: colSums on awkward shapes`, async () => {
    const k = await make();
    const rng = new Rng(4);
    for (const m of awkwardSizes) {
      for (const n of [1, 3, 4, 5, 10, 17, 100]) {
        const a = fill(k, m * n, rng);
        const out = k.alloc(n);
        out.fill(9);
        k.colSums(m, n, a, out);
        const want = new Float64Array(n);
        ref.colSums(m, n, copyTo(a, m * n), want);
        assertClose(out, want, gemmTol(k, m), `colSums ${m}×${n}`);
      }
    }
  });

  test(`${label}: every activation and its derivative, including saturated inputs`, async () => {
    const k = await make();
    const rng = new Rng(5);
    const tol = k.dtype === 'float64' ? 1e-12 : 2e-6;
    for (const name of activationNames) {
      for (const f of name === 'leaky-relu' ? [activation(name), activation(name, 0.2)] : [activation(name)]) {
        for (const n of [1, 3, 4, 5, 7, 8, 9, 33, 1000]) {
          const z = fill(k, n, rng, 8);
          if (n >= 4) {
            z[0] = 0; // the kink of ReLU-like activations: derivative taken as 0 (1 for identity)
            z[1] = 1000; // saturated: no NaN, no Infinity for sigmoid, tanh, softplus, swish
            z[2] = -1000;
          }
          const a = k.alloc(n);
          k.activate(f, n, z, a);
          const z64 = copyTo(z, n);
          const want = new Float64Array(n);
          ref.activate(f, n, z64, want);
          assertClose(a, want, tol, `${f.name}(α=${f.alpha}) forward n=${n}`);
          const d = fill(k, n, rng);
          const d64 = copyTo(d, n);
          k.activateGrad(f, n, z, a, d);
          ref.activateGrad(f, n, z64, want, d64);
          assertClose(d, d64, tol, `${f.name}(α=${f.alpha}) derivative n=${n}`);
        }
      }
    }
  });

  test(`${label}: an activation without a kernel id runs its own f and f′, even under a built-in name`, async () => {
    const k = await make();
    const rng = new Rng(8);
    // softsign f(z) = z / (1 + |z|), f′(z) = 1 / (1 + |z|)², calling itself 'relu'
    const ownRelu: Activation = { name: 'relu', alpha: 0, f: (z) => z / (1 + Math.abs(z)), df: (z) => 1 / (1 + Math.abs(z)) ** 2 };
    // a built-in spread with its own derivative: the sigmoid kernel id must not replace that df
    const ownDf: Activation = { ...activation('sigmoid'), df: (z) => Math.cos(z) };
    const tol = k.dtype === 'float64' ? 1e-12 : 2e-6;
    for (const f of [ownRelu, ownDf]) {
      const [m, n, kk] = [7, 13, 5];
      const x = fill(k, m * kk, rng, 3);
      const w = fill(k, n * kk, rng);
      const b = fill(k, n, rng);
      const z = k.alloc(m * n);
      const a = k.alloc(m * n);
      k.denseForward(m, n, kk, x, w, b, z, a, f);
      const want = Float64Array.from(z, (v) => f.f(v));
      assertClose(a, want, tol, `${f.name} own f, fused forward`);
      const d = fill(k, m * n, rng);
      const out = k.alloc(m * kk);
      const aPrev = k.alloc(m * kk);
      k.activate(f, m * kk, x, aPrev);
      assertClose(aPrev, Float64Array.from(x, (v) => f.f(v)).subarray(0, m * kk), tol, `${f.name} own f`);
      k.denseBackwardInput(m, n, kk, d, w, x, aPrev, f, out);
      const outWant = new Float64Array(m * kk);
      ref.gemmNN(m, kk, n, copyTo(d, m * n), copyTo(w, n * kk), outWant);
      for (let i = 0; i < m * kk; i++) outWant[i] = outWant[i]! * f.df(x[i]!, aPrev[i]!);
      assertClose(out, outWant, gemmTol(k, n) * 4, `${f.name} own f′, fused backward`);
    }
  });

  test(`${label}: fused dense forward and backward agree with the primitives`, async () => {
    const k = await make();
    const rng = new Rng(6);
    for (const [m, n, kk] of [[1, 1, 1], [7, 13, 5], [10, 30, 784], [33, 17, 65], [64, 10, 100]] as const) {
      for (const f of [activation('relu'), activation('sigmoid'), activation('swish'), null]) {
        const x = fill(k, m * kk, rng);
        const w = fill(k, n * kk, rng, 0.1);
        const b = fill(k, n, rng);
        const z = k.alloc(m * n);
        const a = k.alloc(m * n);
        k.denseForward(m, n, kk, x, w, b, z, f ? a : null, f);
        const zWant = new Float64Array(m * n);
        ref.gemmNT(m, n, kk, copyTo(x, m * kk), copyTo(w, n * kk), zWant, copyTo(b, n));
        assertClose(z, zWant, gemmTol(k, kk), `denseForward Z ${m}×${n}×${kk} ${f?.name}`);
        if (f) {
          const aWant = new Float64Array(m * n);
          ref.activate(f, m * n, zWant, aWant);
          assertClose(a, aWant, gemmTol(k, kk) * 4, `denseForward A ${m}×${n}×${kk} ${f.name}`);
        }
        // backward to the input side: out = (Δ · W) ⊙ f′(X as if it were Zprev)
        const d = fill(k, m * n, rng);
        const aPrev = k.alloc(m * kk);
        if (f) k.activate(f, m * kk, x, aPrev);
        const out = k.alloc(m * kk);
        k.denseBackwardInput(m, n, kk, d, w, x, aPrev, f, out);
        const outWant = new Float64Array(m * kk);
        ref.gemmNN(m, kk, n, copyTo(d, m * n), copyTo(w, n * kk), outWant);
        if (f) ref.activateGrad(f, m * kk, copyTo(x, m * kk), copyTo(aPrev, m * kk), outWant);
        assertClose(out, outWant, gemmTol(k, n) * 4, `denseBackwardInput ${m}×${n}×${kk} ${f?.name}`);
        const dw = k.alloc(n * kk);
        const db = k.alloc(n);
        dw.fill(3);
        k.denseBackwardParams(m, n, kk, d, x, dw, db);
        const dwWant = new Float64Array(n * kk);
        const dbWant = new Float64Array(n);
        ref.gemmTN(n, kk, m, copyTo(d, m * n), copyTo(x, m * kk), dwWant);
        ref.colSums(m, n, copyTo(d, m * n), dbWant);
        assertClose(dw, dwWant, gemmTol(k, m), `denseBackwardParams ∂W ${m}×${n}×${kk}`);
        assertClose(db, dbWant, gemmTol(k, m), `denseBackwardParams ∂b ${m}×${n}×${kk}`);
      }
    }
  });
}
