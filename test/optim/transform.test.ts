import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsKernels } from '../../src/kernels/js.js';
import { addDecayedWeights, chain, clipByGlobalNorm, clipByValue, globalSquaredNorm } from '../../src/optim/transform.js';
import { sgd } from '../../src/optim/sgd.js';
import { adam } from '../../src/optim/adam.js';

const f64 = (...v: number[]): Float64Array => Float64Array.from(v);

test('clipByValue clamps every entry to [−v, v] (clip_grad_value_)', () => {
  const g = [f64(-3, 0.5, 2), f64(1.5)];
  clipByValue(1).update(g, {}, [f64(0, 0, 0), f64(0)]);
  assert.deepEqual(g.map((a) => Array.from(a)), [[-1, 0.5, 1], [1]]);
});

test('clipByGlobalNorm rescales all arrays together by maxNorm / (‖g‖ + 1e-6), only above maxNorm (clip_grad_norm_)', () => {
  // ‖(3, 4, 12)‖ = 13 over both arrays; maxNorm 1 → each entry × 1/(13 + 1e-6).
  const g = [f64(3, 4), f64(12)];
  assert.equal(globalSquaredNorm(g), 169);
  assert.equal(globalSquaredNorm(g, new JsKernels()), 169);
  clipByGlobalNorm(1).update(g, {}, [f64(0, 0), f64(0)]);
  const s = 1 / (13 + 1e-6);
  assert.deepEqual(g.map((a) => Array.from(a)), [[3 * s, 4 * s], [12 * s]]);
  const small = [f64(0.3, 0.4)]; // ‖g‖ = 0.5 ≤ 1: untouched
  clipByGlobalNorm(1).update(small, {}, [f64(0, 0)]);
  assert.deepEqual(Array.from(small[0]!), [0.3, 0.4]);
  assert.throws(() => clipByGlobalNorm(0), /clipByGlobalNorm clipNorm 0: expected a finite number > 0/);
});

test('addDecayedWeights adds λθ, the gradient of ½λ‖θ‖²', () => {
  const g = [f64(0.5, 0.5)];
  addDecayedWeights(0.1).update(g, {}, [f64(1, -2)]);
  assert.deepEqual(Array.from(g[0]!), [0.5 + 0.1, 0.5 - 0.2]);
});

test('chain runs the transformations in order before the optimizer, its state holding theirs', () => {
  // sgd lr 0.1 after L2 0.1: θ = (1, −2), g = (0.5, 0.5) → g = (0.6, 0.3) → θ = (0.94, −2.03).
  const decayed = chain([addDecayedWeights(0.1)], sgd({ lr: 0.1 }));
  const p = [f64(1, -2)];
  const st = decayed.init(p);
  assert.deepEqual(st.transforms, [{}]);
  decayed.step(p, [f64(0.5, 0.5)], st);
  assert.deepEqual(Array.from(p[0]!).map((v) => +v.toFixed(12)), [0.94, -2.03]);
  assert.equal(st.step, 1);
  // Order matters: by value (2) then by norm (1): (3, 4) → (2, 2) → (2, 2)/(√8 + 1e-6);
  // by norm then by value: (3, 4)/(5 + 1e-6) ≈ (0.6, 0.8), which the value clip leaves alone.
  const id = (): Float64Array[] => [f64(0, 0)];
  const a = id();
  chain([clipByValue(2), clipByGlobalNorm(1)], sgd({ lr: 1 })).step(a, [f64(3, 4)], sgd().init(a));
  const r = 2 / (Math.sqrt(8) + 1e-6);
  assert.deepEqual(Array.from(a[0]!), [-r, -r]);
  const b = id();
  chain([clipByGlobalNorm(1), clipByValue(2)], sgd({ lr: 1 })).step(b, [f64(3, 4)], sgd().init(b));
  assert.deepEqual(Array.from(b[0]!), [-3 / (5 + 1e-6), -4 / (5 + 1e-6)]);
  // An optimizer's own weightDecay is the same L2 transformation: adam({ weightDecay }) = chain(addDecayedWeights, adam()).
  const q1 = [f64(0.5, -1)];
  const q2 = [f64(0.5, -1)];
  const own = adam({ lr: 0.1, weightDecay: 0.3 });
  const chained = chain([addDecayedWeights(0.3)], adam({ lr: 0.1 }));
  const s1 = own.init(q1);
  const s2 = chained.init(q2);
  for (let k = 0; k < 3; k++) {
    own.step(q1, [f64(0.2, 0.1 * k)], s1);
    chained.step(q2, [f64(0.2, 0.1 * k)], s2);
  }
  assert.deepEqual(q1, q2);
  assert.throws(() => chained.step(q2, [f64(1)], s2), /adam: parameter 0 has 2 values but its gradient 1/);
});

test('on the wasm backend the transformations run as its kernels: clipping by value exactly as the TypeScript loop, weight decay and the norm clip as float32 arithmetic, the same bits on 1 and 3 threads', async () => {
  const { wasmBackend } = await import('../helpers/wasm-backend.js');
  const { Rng } = await import('../../src/tensor/rng.js');
  const ks = [await wasmBackend(1), await wasmBackend(3)];
  const n = 1031; // tails in every share
  const results: number[][] = [];
  for (const k of ks) {
    const rng = new Rng(4);
    const make = (scale: number): Float32Array => {
      const a = k.alloc(n);
      for (let i = 0; i < n; i++) a[i] = scale * rng.uniformIn(-1, 1);
      return a;
    };
    const [g, p] = [make(3), make(1)];
    g[5] = NaN;
    g[6] = Infinity;
    g[7] = -Infinity;
    const js = Float32Array.from(g);
    clipByValue(0.3).update([g], {}, [p], k); // 0.3 is not a float32: the clamp stores its nearest one, as a Float32Array store of 0.3 does
    for (let i = 0; i < n; i++) js[i] = Math.min(0.3, Math.max(-0.3, js[i]!));
    g.forEach((v, i) => assert.ok(Object.is(v, js[i]), `clipByValue entry ${i}: ${v} vs ${js[i]}`));
    g[5] = 0.25; // finite again for the rest
    const before = Float32Array.from(g);
    addDecayedWeights(0.05).update([g], {}, [p], k);
    const a = Math.fround(0.05);
    g.forEach((v, i) => assert.ok(Object.is(v, Math.fround(before[i]! + Math.fround(a * p[i]!))), `addDecayedWeights entry ${i}`));
    const norm = Math.sqrt(globalSquaredNorm([g], k));
    const unclipped = Float32Array.from(g);
    clipByGlobalNorm(1).update([g], {}, [p], k);
    const c = Math.fround(1 / (norm + 1e-6));
    g.forEach((v, i) => assert.ok(Object.is(v, Math.fround(unclipped[i]! * c)), `clipByGlobalNorm entry ${i}`));
    results.push(Array.from(g));
  }
  assert.ok(results[1]!.every((v, i) => Object.is(v, results[0]![i])), '3 threads differ from 1');
});
