import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { NablaError } from '../../src/errors.js';
import type { Kernels } from '../../src/kernels/kernels.js';
import { instantiate, kernelModule, opNames } from '../../src/kernels/wasm/module.js';
import { WasmKernels, type WasmKernelsOptions } from '../../src/kernels/wasm/wasm-kernels.js';
import { workerSource } from '../../src/kernels/wasm/worker-source.js';
import { activation } from '../../src/nn/activations.js';
import { Rng } from '../../src/tensor/rng.js';
import { kernelSuite } from './suite.js';

const made: WasmKernels[] = [];
async function make(options: WasmKernelsOptions): Promise<WasmKernels> {
  const k = await WasmKernels.create({ memoryMB: 64, ...options });
  made.push(k);
  return k;
}
after(() => made.forEach((k) => k.dispose()));

kernelSuite('wasm 1 thread', () => make({ threads: 1 }));
// minWorkPerThread 1: every call, however small, is split between the threads
kernelSuite('wasm 2 threads', () => make({ threads: 2, minWorkPerThread: 1 }));
kernelSuite('wasm 3 threads', () => make({ threads: 3, minWorkPerThread: 1 }));
// the plain SIMD kernels (a multiply then an add), which run where the engine lacks relaxed SIMD
kernelSuite('wasm 1 thread, no FMA', () => make({ threads: 1, fma: false }));
kernelSuite('wasm 2 threads, no FMA', () => make({ threads: 2, minWorkPerThread: 1, fma: false }));

/** An array of `len` values uniform in [−1, 1) from `rng`, allocated by `k`. */
function randomArray(k: Kernels, rng: Rng, len: number): Float32Array {
  const a = k.alloc(len) as Float32Array;
  for (let i = 0; i < len; i++) a[i] = rng.uniformIn(-1, 1);
  return a;
}

/** Runs every kernel on fixed inputs and returns all outputs concatenated. */
function exercise(k: Kernels): Float32Array {
  const rng = new Rng(7);
  const outs: Float32Array[] = [];
  const fill = (n: number, s = 1): Float32Array => {
    const a = k.alloc(n) as Float32Array;
    for (let i = 0; i < n; i++) a[i] = rng.uniformIn(-s, s);
    return a;
  };
  for (const [m, n, kk] of [[10, 30, 784], [64, 100, 784], [13, 17, 33], [5, 129, 65], [130, 9, 7]] as const) {
    for (const f of [activation('sigmoid'), activation('relu'), activation('softplus'), null]) {
      const x = fill(m * kk);
      const w = fill(n * kk, 0.1);
      const b = fill(n);
      const z = k.alloc(m * n);
      const a = k.alloc(m * n);
      k.denseForward(m, n, kk, x, w, b, z, f ? a : null, f);
      const d = fill(m * n);
      const aPrev = k.alloc(m * kk);
      if (f) k.activate(f, m * kk, x, aPrev);
      const out = k.alloc(m * kk);
      k.denseBackwardInput(m, n, kk, d, w, x, aPrev, f, out);
      const dw = k.alloc(n * kk);
      const db = k.alloc(n);
      k.denseBackwardParams(m, n, kk, d, x, dw, db);
      const cs = k.alloc(kk);
      k.colSums(m, kk, x, cs);
      outs.push(z as Float32Array, a as Float32Array, aPrev as Float32Array, out as Float32Array, dw as Float32Array, db as Float32Array, cs as Float32Array);
    }
  }
  const all = new Float32Array(outs.reduce((s, o) => s + o.length, 0));
  let at = 0;
  for (const o of outs) {
    all.set(o, at);
    at += o.length;
  }
  return all;
}

/** How many of two arrays' float32 values differ in any bit. */
function bitsDiffer(one: Float32Array, other: Float32Array): number {
  assert.equal(other.length, one.length);
  const a = new Uint32Array(one.buffer, one.byteOffset, one.length);
  const b = new Uint32Array(other.buffer, other.byteOffset, other.length);
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
  return differ;
}

test('wasm results are bit-identical for 1, 2 and 3 threads, with fused multiply-add and without', async () => {
  for (const fma of [true, false]) {
    const one = exercise(await make({ threads: 1, fma }));
    for (const threads of [2, 3]) {
      const differ = bitsDiffer(one, exercise(await make({ threads, minWorkPerThread: 1, fma })));
      assert.equal(differ, 0, `fma ${fma}: ${differ} of ${one.length} values differ between 1 and ${threads} threads`);
    }
  }
});

test('a row of every product has the same bits whichever register tile computes it: with its neighbours or alone', async () => {
  // m = 15 rows go through the 6-, 2- and 1-row tiles of the broadcast products and the 4-, 2-
  // and 1-row tiles of the forward one; 17 and 37 columns through the wide, 8-, 4-, 2- and 1-column
  // ones; depths not a multiple of 4 through every tile's k-tail. Alone, a row takes the 1-row tiles.
  for (const fma of [true, false]) {
    const k = await make({ threads: 1, fma });
    const rng = new Rng(5);
    const fill = (len: number): Float32Array => {
      const a = k.alloc(len);
      for (let i = 0; i < len; i++) a[i] = rng.uniformIn(-1, 1);
      return a;
    };
    const rowOf = (a: Float32Array, r: number, width: number): Float32Array => {
      const out = k.alloc(width);
      out.set(a.subarray(r * width, (r + 1) * width));
      return out;
    };
    for (const [m, n, kk] of [[15, 17, 31], [15, 37, 33], [10, 30, 784], [7, 5, 6]] as const) {
      const x = fill(m * kk);
      const w = fill(n * kk);
      const b = fill(n);
      const d = fill(m * n);
      // forward Z = X·Wᵀ + b: row r of Z from row r of X
      const z = k.alloc(m * n);
      k.gemmNT(m, n, kk, x, w, z, b);
      // input gradient Δ·W: row r from row r of Δ
      const dx = k.alloc(m * kk);
      k.gemmNN(m, kk, n, d, w, dx);
      // weight gradient ∂W = Δᵀ·X: row i of ∂W from column i of Δ
      const dw = k.alloc(n * kk);
      k.gemmTN(n, kk, m, d, x, dw);
      for (let r = 0; r < m; r++) {
        const zr = k.alloc(n);
        k.gemmNT(1, n, kk, rowOf(x, r, kk), w, zr, b);
        assert.equal(bitsDiffer(zr, z.subarray(r * n, (r + 1) * n)), 0, `fma ${fma} ${m}×${n}×${kk}: forward row ${r}`);
        const dxr = k.alloc(kk);
        k.gemmNN(1, kk, n, rowOf(d, r, n), w, dxr);
        assert.equal(bitsDiffer(dxr, dx.subarray(r * kk, (r + 1) * kk)), 0, `fma ${fma} ${m}×${n}×${kk}: input-gradient row ${r}`);
      }
      for (let i = 0; i < n; i++) {
        const di = k.alloc(m);
        for (let r = 0; r < m; r++) di[r] = d[r * n + i]!;
        const dwi = k.alloc(kk);
        k.gemmTN(1, kk, m, di, x, dwi);
        assert.equal(bitsDiffer(dwi, dw.subarray(i * kk, (i + 1) * kk)), 0, `fma ${fma} ${m}×${n}×${kk}: weight-gradient row ${i}`);
      }
    }
  }
});

test('where the engine has relaxed SIMD (Node 20 with the flag the platform sets), the GEMMs fuse the multiply-add: one rounding', async () => {
  const fused = await make({ threads: 1 });
  const plain = await make({ threads: 1, fma: false });
  assert.equal(fused.fma, true, 'Node 20 runs relaxed SIMD once --experimental-wasm-relaxed-simd is set');
  assert.equal(plain.fma, false);
  // z = x · w over k = 8, lane 0 taking x[0]·w[0] then x[4]·w[4]: −(1 + 2⁻¹¹) then + a² with
  // a = 1 + 2⁻¹², a² = 1 + 2⁻¹¹ + 2⁻²⁴. Rounded to float32 first (a multiply, then an add), a²
  // is 1 + 2⁻¹¹ (a tie, to even) and z = 0; fused, z = 2⁻²⁴ exactly.
  const a = 1 + 2 ** -12;
  const z = (k: WasmKernels): number => {
    const x = k.alloc(8);
    const w = k.alloc(8);
    x.set([1, 0, 0, 0, a, 0, 0, 0]);
    w.set([-(1 + 2 ** -11), 0, 0, 0, a, 0, 0, 0]);
    const out = k.alloc(1);
    k.gemmNT(1, 1, 8, x, w, out);
    return out[0]!;
  };
  assert.equal(z(plain), 0);
  assert.equal(z(fused), 2 ** -24);
  // and the two builds agree to float32 rounding on the whole exercise
  const f = exercise(fused);
  const p = exercise(plain);
  let worst = 0;
  for (let i = 0; i < f.length; i++) worst = Math.max(worst, Math.abs(f[i]! - p[i]!) / (1 + Math.abs(p[i]!)));
  assert.ok(worst < 1e-5, `fused and plain differ by ${worst}`);
  assert.ok(bitsDiffer(f, p) > 0, 'the fused kernels should round differently somewhere');
});

test('denseBackwardParamsMeasured: the ∂W and ∂b of denseBackwardParams and ‖∂W‖² within ⌈k/16⌉·2⁻²⁴ of a float64 sum, the same bits for 1, 2 and 3 threads', async () => {
  const ks = [await make({ threads: 1 }), await make({ threads: 2, minWorkPerThread: 1 }), await make({ threads: 3, minWorkPerThread: 1 })];
  // [m, n, k]: ∂W is n × k; few rows and many columns make the threads split ∂W by columns
  for (const [m, n, kk] of [[10, 30, 784], [64, 100, 10], [7, 3, 100], [5, 1, 9], [33, 17, 13]] as const) {
    const norms: number[] = [];
    for (const k of ks) {
      const rng = new Rng(21);
      const fill = (len: number): Float32Array => randomArray(k, rng, len);
      const d = fill(m * n);
      const x = fill(m * kk);
      const [dw, db, dwPlain, dbPlain] = [k.alloc(n * kk), k.alloc(n), k.alloc(n * kk), k.alloc(n)];
      const norm = k.denseBackwardParamsMeasured(m, n, kk, d, x, dw, db);
      k.denseBackwardParams(m, n, kk, d, x, dwPlain, dbPlain);
      assert.deepEqual(dw, dwPlain, `∂W ${m}×${n}×${kk} threads=${k.threads}`);
      assert.deepEqual(db, dbPlain, `∂b ${m}×${n}×${kk} threads=${k.threads}`);
      let want = 0;
      for (let i = 0; i < n * kk; i++) want += dw[i]! * dw[i]!;
      // each row: float32 partial sums of at most ⌈k/16⌉ squares (all ≥ 0, so the bound is relative to the total)
      const bound = Math.ceil(kk / 16) * 2 ** -24;
      assert.ok(Math.abs(norm - want) <= bound * want, `‖∂W‖² ${m}×${n}×${kk} threads=${k.threads}: ${norm} vs ${want} (bound ${bound})`);
      norms.push(norm);
    }
    assert.ok(norms.every((v) => Object.is(v, norms[0])), `‖∂W‖² ${m}×${n}×${kk} differs between thread counts: ${norms.join(', ')}`);
  }
});

test('sgdUpdateMeasured: the weights of sgdUpdate and ‖g‖² with the bits of denseBackwardParamsMeasured (and weightSquares), for 1, 2 and 3 threads', async () => {
  const ks = [await make({ threads: 1 }), await make({ threads: 2, minWorkPerThread: 1 }), await make({ threads: 3, minWorkPerThread: 1 })];
  // [m, n, k]: ∂W is n × k — rows of 784, of 33 (k mod 16 = 1) and of 6 (mod 4 = 2), and one row
  for (const [m, n, kk] of [[10, 30, 784], [64, 100, 33], [7, 9, 6], [5, 1, 40]] as const) {
    const results: { norm: number; p: number[] }[] = [];
    for (const k of ks) {
      const rng = new Rng(5);
      const fill = (len: number): Float32Array => randomArray(k, rng, len);
      const d = fill(m * n);
      const x = fill(m * kk);
      const [dw, db] = [k.alloc(n * kk), k.alloc(n)];
      // ∂W from the product, so a threaded update splits it at the rows the product did
      const want = k.denseBackwardParamsMeasured(m, n, kk, d, x, dw, db);
      assert.ok(Object.is(k.weightSquares(n, kk, dw), want), `weightSquares ${n}×${kk} threads=${k.threads}`);
      const p = fill(n * kk);
      const pPlain = k.alloc(n * kk);
      pPlain.set(p);
      k.sgdUpdate(n * kk, pPlain, dw, 0.37);
      const norm = k.sgdUpdateMeasured(n, kk, p, dw, 0.37);
      assert.ok(Object.is(norm, want), `‖g‖² ${n}×${kk} threads=${k.threads}: ${norm} vs ${want}`);
      assert.deepEqual(p, pPlain, `weights ${n}×${kk} threads=${k.threads}`);
      // a gradient no product wrote by rows: the threads' shares may cut rows, and the result is the same
      const g = fill(n * kk);
      const q = fill(n * kk);
      const qPlain = k.alloc(n * kk);
      qPlain.set(q);
      k.sgdUpdate(n * kk, qPlain, g, 0.5);
      assert.ok(Object.is(k.sgdUpdateMeasured(n, kk, q, g, 0.5), k.weightSquares(n, kk, g)), `‖g‖² of a gradient from elsewhere ${n}×${kk} threads=${k.threads}`);
      assert.deepEqual(q, qPlain);
      results.push({ norm, p: Array.from(p) });
    }
    assert.ok(results.every((r) => Object.is(r.norm, results[0]!.norm)), `‖g‖² ${n}×${kk} differs between thread counts`);
    assert.ok(results.every((r) => r.p.every((v, i) => Object.is(v, results[0]!.p[i]))), `weights ${n}×${kk} differ between thread counts`);
  }
});

test('the momentum, Adagrad and RMSprop kernels give the same bits on 1, 2 and 3 threads (their formulas: test/optim/torch-golden.test.ts)', async () => {
  const ks = [await make({ threads: 1 }), await make({ threads: 2, minWorkPerThread: 1 }), await make({ threads: 3, minWorkPerThread: 1 })];
  const n = 1031; // not a multiple of 4 or of 64: tails in every share
  type Run = (k: WasmKernels, a: Float32Array[]) => void;
  // [name, arrays (parameters, gradient, state…), the call]; the third array is a running sum of squares where one is needed (made ≥ 0)
  const runs: [string, number, Run][] = [
    ['momentum, first update', 3, (k, [p, g, b]) => k.momentumUpdate(n, p!, g!, b!, 0.1, 0.9, 0.1, false, true)],
    ['momentum', 3, (k, [p, g, b]) => k.momentumUpdate(n, p!, g!, b!, 0.1, 0.9, 0.1, false, false)],
    ['Nesterov', 3, (k, [p, g, b]) => k.momentumUpdate(n, p!, g!, b!, 0.1, 0.9, 0, true, false)],
    ['Adagrad', 3, (k, [p, g, s]) => k.adagradUpdate(n, p!, g!, s!, 0.05, 1e-10)],
    ['RMSprop', 3, (k, [p, g, v]) => k.rmspropUpdate(n, p!, g!, v!, null, null, 0.01, 0.99, 1e-8, 0)],
    ['RMSprop, centered, momentum', 5, (k, [p, g, v, a, b]) => k.rmspropUpdate(n, p!, g!, v!, a!, b!, 0.01, 0.9, 1e-8, 0.5)],
  ];
  for (const [name, count, run] of runs) {
    const outs: number[][] = [];
    for (const k of ks) {
      const rng = new Rng(9);
      const arrays = Array.from({ length: count }, () => randomArray(k, rng, n));
      arrays[2]!.forEach((x, i) => (arrays[2]![i] = Math.abs(x)));
      run(k, arrays);
      run(k, arrays); // a second step from the first one's state
      outs.push(arrays.flatMap((x) => Array.from(x)));
    }
    assert.ok(outs[0]!.every(Number.isFinite), `${name}: finite`);
    outs.slice(1).forEach((o, t) => assert.ok(o.every((v, i) => Object.is(v, outs[0]![i])), `${name}: ${t + 2} threads differ from 1`));
  }
});

test('maxAbs: the largest |a[i]| as a JavaScript loop finds it, and NaN when any value is NaN', async () => {
  const k = await make({ threads: 1 });
  const rng = new Rng(3);
  for (const n of [1, 3, 4, 7, 8, 9, 300, 7840]) {
    const a = k.alloc(n);
    for (let i = 0; i < n; i++) a[i] = rng.uniformIn(-2, 2);
    let want = 0;
    for (let i = 0; i < n; i++) want = Math.max(want, Math.abs(a[i]!));
    assert.equal(k.maxAbs(n, a), want, `n = ${n}`);
    a[n - 1] = -1e30; // the last value (the tail, for most n) and a negative one
    assert.equal(k.maxAbs(n, a), Math.fround(1e30), `n = ${n}, a large negative last value`);
    a[n - 1] = -Infinity;
    assert.equal(k.maxAbs(n, a), Infinity, `n = ${n}, −∞`);
    for (const at of [0, n >> 1, n - 1]) {
      a[n - 1] = 0;
      a[at] = NaN;
      assert.ok(Number.isNaN(k.maxAbs(n, a)), `n = ${n}, NaN at ${at}`);
      a[at] = 0;
    }
  }
  assert.equal(k.maxAbs(0, k.alloc(4)), 0);
});

test('wasm kernels reject arrays that are not views of their memory', async () => {
  const k = await make({ threads: 1 });
  const other = await make({ threads: 1 });
  const good = k.alloc(4);
  assert.throws(() => k.colSums(2, 2, new Float32Array(4), good), (e: unknown) => e instanceof NablaError && e.code === 'BACKEND' && /colSums input/.test(e.message));
  assert.throws(() => k.colSums(2, 2, other.alloc(4), good), (e: unknown) => e instanceof NablaError && e.code === 'BACKEND');
  assert.throws(() => k.colSums(3, 2, good, good), (e: unknown) => e instanceof NablaError && e.code === 'SHAPE' && /needs 6/.test(e.message));
  assert.throws(() => k.colSums(2, 2, other.alloc(8).subarray(4), good), (e: unknown) => e instanceof NablaError && e.code === 'BACKEND', 'a subarray of another backend\'s array');
  // views that did not come from alloc() itself, but are views of this memory, are accepted
  const big = k.alloc(8);
  big.set([1, 2, 3, 4, 5, 6, 7, 8]);
  k.colSums(2, 2, big.subarray(4), good);
  assert.deepEqual(Array.from(good.subarray(0, 2)), [5 + 7, 6 + 8], 'a subarray');
  const remade = new Float32Array(k.memory.memory.buffer, big.byteOffset, 4);
  k.colSums(2, 2, remade, good);
  assert.deepEqual(Array.from(good.subarray(0, 2)), [1 + 3, 2 + 4], 'a view made on the memory\'s buffer');
});

test('wasm memory grows without detaching earlier arrays (threads) and reports exhaustion (1 thread)', async () => {
  const k = await make({ threads: 2, memoryMB: 1 });
  const first = k.alloc(16);
  first[3] = 42;
  const big = k.alloc(4 << 20); // 16 MB: forces growth past the initial 1 MB
  big[big.length - 1] = 1;
  assert.equal(first[3], 42);
  const sums = k.alloc(1);
  k.colSums(16, 1, first, sums);
  assert.equal(sums[0], 42);
  const small = await make({ threads: 1, memoryMB: 1 });
  assert.throws(() => small.alloc(1 << 20), (e: unknown) => e instanceof NablaError && e.code === 'BACKEND' && /out of memory/.test(e.message));
});

test('wasm kernels keep working on one thread after dispose()', async () => {
  const k = await make({ threads: 2, minWorkPerThread: 1 });
  const a = k.alloc(8).fill(1);
  const out = k.alloc(2);
  k.dispose();
  k.dispose();
  k.colSums(4, 2, a, out);
  assert.deepEqual(Array.from(out), [4, 4]);
});

test('every share of every call runs exactly once, however the threads race for them', { timeout: 30000 }, async () => {
  // 3 threads on a machine that may have fewer cores: workers are often late and the caller takes
  // their shares. An in-place update applied twice or skipped would show: p = −calls exactly.
  const k = await make({ threads: 3, minWorkPerThread: 1 });
  const n = 3000;
  const p = k.alloc(n);
  const g = k.alloc(n).fill(1);
  const calls = 3000;
  for (let i = 0; i < calls; i++) k.sgdUpdate(n, p, g, 1);
  const wrong = Array.from(p).filter((x) => x !== -calls).length;
  assert.equal(wrong, 0, `${wrong} of ${n} parameters are not −${calls}`);
});

test('a 3-thread pool running calls of 2 and 3 shares back to back, thousands of times: every result complete and the same bits as on 1 thread', async () => {
  const one = await make({ threads: 1 });
  // 2 shares for the 20 × 30 × 100 product (60,000 multiply-adds / 30,000), 3 for the 40 × 30 × 100 one
  const three = await make({ threads: 3, minWorkPerThread: 30000 });
  const rng = new Rng(31);
  const inputs = (k: WasmKernels, m: number): { x: Float32Array; w: Float32Array; z: Float32Array } => {
    const r = new Rng(m);
    const x = k.alloc(m * 100);
    const w = k.alloc(30 * 100);
    for (let i = 0; i < x.length; i++) x[i] = r.uniformIn(-1, 1);
    for (let i = 0; i < w.length; i++) w[i] = r.uniformIn(-1, 1);
    return { x, w, z: k.alloc(m * 30) };
  };
  const want = new Map<number, Float32Array>();
  for (const m of [20, 40]) {
    const { x, w, z } = inputs(one, m);
    one.gemmNT(m, 30, 100, x, w, z);
    want.set(m, Float32Array.from(z));
  }
  const got = new Map([20, 40].map((m) => [m, inputs(three, m)]));
  let wrong = 0;
  for (let i = 0; i < 3000; i++) {
    const m = rng.uniform() < 0.5 ? 20 : 40;
    const { x, w, z } = got.get(m)!;
    z.fill(Number.NaN);
    three.gemmNT(m, 30, 100, x, w, z);
    if (bitsDiffer(z, want.get(m)!) !== 0) wrong++;
  }
  assert.equal(wrong, 0, `${wrong} of 3000 calls returned before every share was written, or wrote other bits`);
});

test('wasm softmaxRows: each row\'s softmax within 1e-6 (+ the float32 rounding of z − max) of float64, saturated rows exact 0 and 1, probabilities below the normal range 0, a NaN logit kept', async () => {
  const k = await make({ threads: 1 });
  const rng = new Rng(41);
  for (const n of [1, 3, 4, 5, 10, 17]) {
    const m = 7;
    const z = k.alloc(m * n);
    const a = k.alloc(m * n);
    for (let i = 0; i < m * n; i++) z[i] = rng.uniformIn(-20, 20);
    k.softmaxRows(m, n, z, a);
    for (let r = 0; r < m; r++) {
      const row = Array.from(z.subarray(r * n, r * n + n));
      const max = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
      row.forEach((v, j) => {
        const want = Math.exp(v - max) / sum;
        const got = a[r * n + j]!;
        if (want < 2 ** -126) assert.equal(got, 0, `n=${n} [${r}][${j}]: ${want} is below the normal range`);
        // float32 e^x to a few ulp, plus the rounding of x = z − max to float32 (half an ulp of |x|, relative in e^x)
        else assert.ok(Math.abs(got - want) <= (1e-6 + Math.abs(v - max) * 2 ** -24) * want, `n=${n} [${r}][${j}]: ${got} vs ${want}`);
      });
    }
  }
  const z = k.alloc(8);
  const a = k.alloc(8);
  z.set([1000, -1000, 0, 0, Number.NaN, 1, 2, 3]);
  k.softmaxRows(2, 4, z, a);
  assert.deepEqual(Array.from(a.subarray(0, 4)), [1, 0, 0, 0], 'logits of ±1000: exactly 1 and 0, no NaN');
  assert.ok(Array.from(a.subarray(4, 8)).every(Number.isNaN), `a NaN logit gives a NaN row, which stops training (got ${Array.from(a.subarray(4, 8))})`);
});

test('every kernel the pool runs has its own argument-count case in the worker (the generic path allocates an array per call)', async () => {
  const k = await WasmKernels.create({ threads: 2 });
  made.push(k);
  const module = await kernelModule(true, k.fma);
  const ex = instantiate(module, k.memory.memory) as unknown as Record<string, { length: number }>;
  const cases = new Set([...workerSource.matchAll(/case (\d+): f\(/g)].map((m) => Number(m[1])));
  for (const name of opNames) {
    const argc = ex[name]!.length - 2; // the pool passes (t, T) after the arguments
    assert.ok(cases.has(argc), `${name} takes ${argc} arguments before (t, T): the worker has no case for ${argc}`);
  }
});
