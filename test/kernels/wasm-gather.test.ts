import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { NablaError } from '../../src/errors.js';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';
import { Rng } from '../../src/tensor/rng.js';
import { assertClose } from '../helpers/approx.js';

const made: WasmKernels[] = [];
after(() => made.forEach((k) => k.dispose()));

test('wasm gatherScaledU8 gathers uint8 rows as (x − shift) · scale, any width', async () => {
  const k = await WasmKernels.create({ threads: 1, memoryMB: 16 });
  made.push(k);
  const rng = new Rng(21);
  for (const cols of [1, 3, 4, 5, 19, 784]) {
    const count = 50;
    const src = Uint8Array.from({ length: count * cols }, () => Math.floor(rng.uniformIn(0, 256)));
    for (const [shift, scale] of [
      [new Float32Array(cols), new Float32Array(cols).fill(1 / 255)], // IDX pixels: x/255
      [Float32Array.from({ length: cols }, () => rng.uniformIn(0, 100)), Float32Array.from({ length: cols }, () => rng.uniformIn(0.001, 0.1))],
    ] as const) {
      const indices = [7, 0, 49, 7, 23];
      const out = k.alloc(indices.length * cols);
      k.gatherScaledU8(src, cols, indices, shift, scale, out);
      const want = new Float64Array(indices.length * cols);
      indices.forEach((i, r) => {
        for (let j = 0; j < cols; j++) want[r * cols + j] = (src[i * cols + j]! - shift[j]!) * scale[j]!;
      });
      assertClose(out, want, 1e-6, `gather cols=${cols}`);
    }
  }
  // x/255 is exact to float32 rounding: the same bits as the JavaScript formula
  const src = Uint8Array.from({ length: 256 }, (_, i) => i);
  const out = k.alloc(256);
  k.gatherScaledU8(src, 256, [0], new Float32Array(256), new Float32Array(256).fill(1 / 255), out);
  assert.deepEqual(Array.from(out), Array.from(Float32Array.from(src, (x) => x * Math.fround(1 / 255))));
  assert.throws(() => k.gatherScaledU8(src, 256, [1], new Float32Array(256), new Float32Array(256), out), (e: unknown) => e instanceof NablaError && /row index 1/.test(e.message));
});

test('gatherScaledU8 with two scalings taking turns: each gather uses its own, and the memory does not grow', async () => {
  const k = await WasmKernels.create({ threads: 1, memoryMB: 16 });
  made.push(k);
  const cols = 5;
  const src = Uint8Array.from({ length: 2 * cols }, (_, i) => 10 * i);
  const a = { shift: new Float32Array(cols), scale: new Float32Array(cols).fill(0.5) };
  const b = { shift: new Float32Array(cols).fill(10), scale: new Float32Array(cols).fill(2) };
  const out = k.alloc(cols);
  k.gatherScaledU8(src, cols, [1], a.shift, a.scale, out);
  k.gatherScaledU8(src, cols, [1], b.shift, b.scale, out);
  const used = k.memory.used;
  for (let turn = 0; turn < 100; turn++) {
    const s = turn % 2 ? b : a;
    k.gatherScaledU8(src, cols, [1], s.shift, s.scale, out);
    assert.deepEqual(Array.from(out), [50, 60, 70, 80, 90].map((x) => (x - s.shift[0]!) * s.scale[0]!), `turn ${turn}`);
  }
  assert.equal(k.memory.used, used, 'no allocation per turn');
});

test('the staging areas of the gather and the read-ahead, and the row squares, can be the allocation that grows the memory', async () => {
  // before: the view was made on the buffer from before the growth and threw "Invalid typed array length"
  const cols = 784;
  const rows = 128;
  const src = Uint8Array.from({ length: 300 * cols }, (_, i) => i % 251);
  const shift = new Float32Array(cols);
  const scale = new Float32Array(cols).fill(1 / 255);
  const indices = Array.from({ length: rows }, (_, r) => (r * 7) % 300);
  for (const step of ['gather', 'read-ahead', 'row squares'] as const) {
    const k = await WasmKernels.create({ threads: 2, memoryMB: 1 });
    made.push(k);
    const out = k.alloc(rows * cols);
    const d = k.alloc(rows * 600);
    const dw = k.alloc(600 * cols);
    const db = k.alloc(600);
    // fill the memory to within a few bytes of its end, so the next allocation grows it
    const room = k.memory.memory.buffer.byteLength - k.memory.used;
    k.alloc(Math.max(0, Math.floor(room / 4) - 512));
    const before = k.memory.memory.buffer.byteLength;
    if (step === 'row squares') {
      assert.equal(k.denseBackwardParamsMeasured(rows, 600, cols, d, out, dw, db), 0);
      assert.ok(k.memory.memory.buffer.byteLength > before, `${step}: the memory grew`);
      continue;
    }
    if (step === 'read-ahead') k.prefetchRowsU8(src, cols, indices);
    k.gatherScaledU8(src, cols, indices, shift, scale, out);
    assert.ok(k.memory.memory.buffer.byteLength > before, `${step}: the memory grew`);
    for (const [r, i] of indices.entries()) assert.equal(out[r * cols + 5], Math.fround(src[i * cols + 5]! * Math.fround(1 / 255)), `${step}: row ${r}`);
  }
});

test('prefetchRowsU8: the announced rows are copied while the caller waits for the workers, and the gather gives the same values as without', async () => {
  const k = await WasmKernels.create({ threads: 2, minWorkPerThread: 1 });
  made.push(k);
  const rng = new Rng(22);
  const cols = 784;
  const count = 300;
  const src = Uint8Array.from({ length: count * cols }, () => Math.floor(rng.uniformIn(0, 256)));
  const shift = new Float32Array(cols);
  const scale = new Float32Array(cols).fill(1 / 255);
  const want = (indices: number[]): Float64Array => {
    const w = new Float64Array(indices.length * cols);
    indices.forEach((i, r) => {
      for (let j = 0; j < cols; j++) w[r * cols + j] = src[i * cols + j]! * Math.fround(1 / 255);
    });
    return w;
  };
  // A call split between the two threads, during which the caller copies announced rows.
  const a = k.alloc(64 * 784);
  const b = k.alloc(100 * 784);
  const c = k.alloc(64 * 100);
  const work = (): void => k.gemmNT(64, 100, 784, a, b, c);
  const batches = [Array.from({ length: 64 }, (_, r) => (r * 37) % count), Array.from({ length: 64 }, (_, r) => (r * 101 + 5) % count), [3, 3, 299, 0]];
  for (const [n, indices] of batches.entries()) {
    const out = k.alloc(indices.length * cols);
    k.prefetchRowsU8(src, cols, indices);
    for (let i = 0; i < n; i++) work(); // none, one or two waits before the gather: all, some or none of the rows copied ahead
    k.gatherScaledU8(src, cols, indices, shift, scale, out);
    assert.deepEqual(Array.from(out), Array.from(Float32Array.from(want(indices))), `batch ${n}`);
  }
  // announced rows that the gather does not ask for are ignored; the gather copies its own
  const out = k.alloc(2 * cols);
  k.prefetchRowsU8(src, cols, [1, 2]);
  work();
  k.gatherScaledU8(src, cols, [2, 1], shift, scale, out);
  assert.deepEqual(Array.from(out), Array.from(Float32Array.from(want([2, 1]))));
  assert.throws(() => k.prefetchRowsU8(src, cols, [count]), (e: unknown) => e instanceof NablaError && new RegExp(`row index ${count} is outside 0..${count - 1}`).test(e.message));
});

test('a replicated gather: the next forward and ∂W products on two threads read the workers\' copies with the same bits as one thread, and no copy outlives rows written over it', async () => {
  const one = await WasmKernels.create({ threads: 1 });
  const two = await WasmKernels.create({ threads: 2, minWorkPerThread: 1 });
  made.push(one, two);
  const rng = new Rng(23);
  const cols = 100; // X: m × cols
  const m = 12;
  const n = 40; // W: n × cols — enough rows that the forward splits W's rows, so each thread reads all of X
  const src = Uint8Array.from({ length: 300 * cols }, () => Math.floor(rng.uniformIn(0, 256)));
  const shift = Float32Array.from({ length: cols }, () => rng.uniformIn(0, 50));
  const scale = Float32Array.from({ length: cols }, () => rng.uniformIn(0.001, 0.05));
  const rowsA = Array.from({ length: m }, (_, r) => (r * 37) % 300);
  const rowsB = Array.from({ length: m }, (_, r) => (r * 101 + 7) % 300);
  const w = Float32Array.from({ length: n * cols }, () => rng.uniformIn(-1, 1));
  const d = Float32Array.from({ length: m * n }, () => rng.uniformIn(-1, 1));
  const on = (k: WasmKernels) => {
    const x = k.alloc(m * cols);
    const kw = k.alloc(n * cols);
    const kd = k.alloc(m * n);
    kw.set(w);
    kd.set(d);
    const z = k.alloc(m * n);
    const dw = k.alloc(n * cols);
    return {
      k, x,
      gather: (rows: number[], replicate: boolean) => k.gatherScaledU8(src, cols, rows, shift, scale, x, replicate),
      forward: () => (k.gemmNT(m, n, cols, x, kw, z), Array.from(z)),
      dW: () => (k.gemmTN(n, cols, m, kd, x, dw), Array.from(dw)),
    };
  };
  const ref = on(one);
  const want = (rows: number[]) => {
    ref.gather(rows, false);
    return { x: Float32Array.from(ref.x), z: ref.forward(), dw: ref.dW() };
  };
  const A = want(rowsA);
  const B = want(rowsB);
  const t = on(two);

  t.gather(rowsA, true);
  assert.deepEqual(Array.from(t.x), Array.from(A.x));
  assert.deepEqual(t.forward(), A.z, 'forward from the copies');
  assert.deepEqual(t.dW(), A.dw, '∂W from the copies');
  // the copies served their step: rows copied into X by JavaScript are what the next products read
  t.x.set(B.x);
  assert.deepEqual(t.forward(), B.z, 'forward after a JavaScript copy into X');
  assert.deepEqual(t.dW(), B.dw, '∂W after a JavaScript copy into X');
  // a gather that is not replicated drops the copies of the one before, unused as they are
  t.gather(rowsA, true);
  t.gather(rowsB, false);
  assert.deepEqual(t.forward(), B.z, 'forward after a plain gather');
  assert.deepEqual(t.dW(), B.dw, '∂W after a plain gather');
  // a gather on one active thread makes no copies and drops the old ones
  t.gather(rowsA, true);
  assert.deepEqual(t.forward(), A.z);
  two.activeThreads = 1;
  t.gather(rowsB, true);
  two.activeThreads = 2;
  assert.deepEqual(t.dW(), B.dw, '∂W on two threads after a one-thread gather');
  // any kernel writing over X drops them too
  t.gather(rowsA, true);
  two.gemmNT(m, cols, 1, two.alloc(m), two.alloc(cols), t.x); // X = 0 · 0ᵀ
  assert.deepEqual(Array.from(t.x), new Array(m * cols).fill(0), 'X written over by a product');
  assert.deepEqual(t.forward(), new Array(m * n).fill(0), 'forward of the written-over X');
});

test('a uniform scaling (every shift 0, one scale: pixels as x/255) takes the kernel that skips loading them, with the bits of x · k in float32, on one thread and in each worker\'s copy', async () => {
  const one = await WasmKernels.create({ threads: 1 });
  const two = await WasmKernels.create({ threads: 2, minWorkPerThread: 1 });
  made.push(one, two);
  const rng = new Rng(24);
  for (const cols of [1, 3, 5, 19, 33, 784]) {
    const src = Uint8Array.from({ length: 40 * cols }, () => Math.floor(rng.uniformIn(0, 256)));
    const rows = [3, 39, 0, 17, 17, 8];
    for (const k of [1 / 255, Math.fround(rng.uniformIn(0.001, 3)), -0.5]) {
      const shift = new Float32Array(cols);
      const scale = new Float32Array(cols).fill(k);
      // x · k is exact in float64 (8 bits times 24), so fround rounds it once, as float32's multiply does
      const want = rows.flatMap((i) => Array.from(src.subarray(i * cols, i * cols + cols), (x) => Math.fround(x * Math.fround(k))));
      const product = (kern: WasmKernels, x: Float32Array): number[] => {
        const w = kern.alloc(8 * cols);
        w.fill(1);
        const z = kern.alloc(rows.length * 8);
        kern.gemmNT(rows.length, 8, cols, x, w, z);
        return Array.from(z);
      };
      const x1 = one.alloc(rows.length * cols);
      x1.set(want);
      const z1 = product(one, x1);
      for (const kern of [one, two]) {
        const x = kern.alloc(rows.length * cols);
        kern.gatherScaledU8(src, cols, rows, shift, scale, x, true);
        assert.deepEqual(Array.from(x), want, `cols ${cols}, k ${k}, ${kern.threads} thread(s)`);
        // on two threads the worker's share reads its own copy: the same bits
        assert.deepEqual(product(kern, x), z1, `a product over the gathered rows, cols ${cols}, ${kern.threads} thread(s)`);
      }
    }
  }
  // one scale that differs (or a nonzero shift) keeps the general kernel: (x − shift) · scale per feature
  const src = Uint8Array.from({ length: 2 * 5 }, (_, i) => 20 * i);
  const out = one.alloc(5);
  one.gatherScaledU8(src, 5, [1], new Float32Array(5), Float32Array.of(1, 1, 1, 1, 2), out);
  assert.deepEqual(Array.from(out), [100, 120, 140, 160, 360]);
  one.gatherScaledU8(src, 5, [1], Float32Array.of(0, 0, 0, 0, 10), new Float32Array(5).fill(1), out);
  assert.deepEqual(Array.from(out), [100, 120, 140, 160, 170]);
});
