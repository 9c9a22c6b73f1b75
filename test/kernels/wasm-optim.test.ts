import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';
import { Rng } from '../../src/tensor/rng.js';
import { assertClose } from '../helpers/approx.js';

const made: WasmKernels[] = [];
after(() => made.forEach((k) => k.dispose()));

async function backends(): Promise<WasmKernels[]> {
  const ks = [await WasmKernels.create({ threads: 1, memoryMB: 16 }), await WasmKernels.create({ threads: 2, minWorkPerThread: 1 })];
  made.push(...ks);
  return ks;
}

function filled(k: WasmKernels, n: number, rng: Rng, lo: number, hi: number): Float32Array {
  const a = k.alloc(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniformIn(lo, hi);
  return a;
}

test('wasm sgdUpdate: θ − lr·g on every element, tails included', async () => {
  for (const k of await backends()) {
    const rng = new Rng(11);
    for (const n of [1, 3, 4, 5, 63, 65, 1000]) {
      const p = filled(k, n, rng, -1, 1);
      const g = filled(k, n, rng, -1, 1);
      const want = Float64Array.from(p, (x, i) => x - 0.3 * g[i]!);
      k.sgdUpdate(n, p, g, 0.3);
      assertClose(p, want, 1e-6, `sgd n=${n} threads=${k.threads}`);
    }
  }
});

test('wasm adamUpdate follows PyTorch Adam (with decoupled decay and AMSGrad) over several steps', async () => {
  for (const k of await backends()) {
    // 37: whole vectors and a tail; 201: shares of 64-element blocks on the threaded backends
    for (const [variant, n] of [{ wd: 0, ams: false }, { wd: 0, ams: true }, { wd: 0.01, ams: false }].flatMap((v) => [37, 201].map((n) => [v, n] as const))) {
      const rng = new Rng(12);
      const [lr, beta1, beta2, eps] = [1e-2, 0.9, 0.999, 1e-8];
      const p = filled(k, n, rng, -1, 1);
      const g = k.alloc(n);
      const m = k.alloc(n);
      const v = k.alloc(n);
      const vmax = variant.ams ? k.alloc(n) : null;
      // float64 truth, written out from torch.optim.Adam / AdamW's documented algorithm
      const P = Float64Array.from(p);
      const M = new Float64Array(n);
      const V = new Float64Array(n);
      const VMAX = new Float64Array(n);
      for (let t = 1; t <= 5; t++) {
        for (let i = 0; i < n; i++) g[i] = rng.uniformIn(-1, 1);
        const shrink = 1 - lr * variant.wd;
        k.adamUpdate(n, p, g, m, v, vmax, {
          stepSize: lr / (1 - beta1 ** t),
          sqrtCorrection2: Math.sqrt(1 - beta2 ** t),
          beta1,
          beta2,
          eps,
          shrink,
        });
        for (let i = 0; i < n; i++) {
          const theta = P[i]! * shrink;
          const d = g[i]!;
          M[i] = beta1 * M[i]! + (1 - beta1) * d;
          V[i] = beta2 * V[i]! + (1 - beta2) * d * d;
          VMAX[i] = Math.max(VMAX[i]!, V[i]!);
          const vHat = variant.ams ? VMAX[i]! : V[i]!;
          P[i] = theta - ((lr / (1 - beta1 ** t)) * M[i]!) / (Math.sqrt(vHat / (1 - beta2 ** t)) + eps);
        }
      }
      assertClose(p, P, 2e-6, `adam ${JSON.stringify(variant)} n=${n} threads=${k.threads}`);
      assertClose(m, M, 2e-6, `adam m ${JSON.stringify(variant)} n=${n}`);
      assertClose(v, V, 2e-6, `adam v ${JSON.stringify(variant)} n=${n}`);
    }
  }
});

test('wasm sumOfSquares accumulates in float64', async () => {
  const [k] = await backends();
  const rng = new Rng(13);
  for (const n of [0, 1, 5, 1001]) {
    const a = filled(k!, n, rng, -2, 2);
    let want = 0;
    for (let i = 0; i < n; i++) want += a[i]! * a[i]!;
    assert.ok(Math.abs(k!.sumOfSquares(n, a) - want) <= 1e-12 * Math.max(1, want), `n=${n}`);
  }
});

test('wasm adamUpdate flushes m and v to zero where they would turn subnormal (x86 runs subnormals 40× slower); the weights move as in float64', async () => {
  for (const k of await backends()) {
    const n = 9;
    const minNormal = 2 ** -126;
    const p = k.alloc(n);
    const g = k.alloc(n);
    const m = k.alloc(n);
    const v = k.alloc(n);
    p.fill(0.5);
    // g = 0: m ← 0.9 m and v ← 0.999 v; from just above the smallest normal both fall below it
    m.set([minNormal, -minNormal, 1.05 * minNormal, 1e-3, -1e-3, 0, minNormal * 1.2, 1, -minNormal * 1.01]);
    v.set([minNormal, minNormal * 1.0005, 1e-6, 1e-6, 1e-6, 0, minNormal, 1, 1e-30]);
    const mBefore = Float64Array.from(m);
    const vBefore = Float64Array.from(v);
    k.adamUpdate(n, p, g, m, v, null, { stepSize: 1e-3, sqrtCorrection2: 0.5, beta1: 0.9, beta2: 0.999, eps: 1e-8, shrink: 1 });
    for (let i = 0; i < n; i++) {
      const mWant = Math.fround(Math.fround(0.9) * mBefore[i]!);
      const vWant = Math.fround(Math.fround(0.999) * vBefore[i]!);
      assert.equal(m[i], Math.abs(mWant) < minNormal ? 0 : mWant, `m[${i}] threads=${k.threads}`);
      assert.equal(v[i], vWant < minNormal ? 0 : vWant, `v[${i}] threads=${k.threads}`);
      const update = (1e-3 * mWant) / (Math.sqrt(vWant) / 0.5 + 1e-8);
      assert.ok(Math.abs(p[i]! - (0.5 - update)) <= 1e-7, `p[${i}] = ${p[i]} vs ${0.5 - update}`);
    }
  }
});
