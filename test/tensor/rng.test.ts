import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Matrix } from '../../src/tensor/matrix.js';
import { Rng } from '../../src/tensor/rng.js';

test('xoshiro128** is deterministic per seed and differs across seeds', () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const c = new Rng(8);
  const sa = Array.from({ length: 5 }, () => a.nextUint32());
  assert.deepEqual(sa, Array.from({ length: 5 }, () => b.nextUint32()));
  assert.notDeepEqual(sa, Array.from({ length: 5 }, () => c.nextUint32()));
});

test('uniform and normal draws have the moments of their distributions', () => {
  // n = 200,000: the standard error of a mean of U(0,1) is 0.289/√n ≈ 6.5e-4, of N(0,1) 2.2e-3.
  const rng = new Rng(1);
  const n = 200000;
  let su = 0;
  let sn = 0;
  let sn2 = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = rng.normal();
    sn += z;
    sn2 += z * z;
  }
  assert.ok(Math.abs(su / n - 0.5) < 0.003);
  assert.ok(Math.abs(sn / n) < 0.01);
  assert.ok(Math.abs(sn2 / n - 1) < 0.02);
});

test('shuffle is a permutation and int(n) stays in range', () => {
  const rng = new Rng(3);
  const a = Int32Array.from({ length: 100 }, (_, i) => i);
  rng.shuffle(a);
  assert.deepEqual(Array.from(a).sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
  assert.notDeepEqual(Array.from(a), Array.from({ length: 100 }, (_, i) => i));
  for (let i = 0; i < 1000; i++) {
    const k = rng.int(7);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 7);
  }
});

test('Matrix checks its shape and views rows without copying', () => {
  assert.throws(() => new Matrix(2, 3, new Float32Array(5)), /matrix 2 × 3 needs 6 values, got 5/);
  assert.throws(() => Matrix.from([[1, 2], [3]]), /row 1 has 1 values, expected 2/);
  const m = Matrix.from([[1, 2], [3, 4], [5, 6]]);
  const top = m.topRows(2);
  top.set(1, 1, 40);
  assert.equal(m.get(1, 1), 40);
  assert.deepEqual(m.toArray(), [[1, 2], [3, 40], [5, 6]]);
});

test('getState / setState continue the same sequence, the kept normal draw included', () => {
  const a = new Rng(11);
  a.normal(); // leaves the second draw of a pair kept
  a.nextUint32();
  const saved = JSON.parse(JSON.stringify(a.getState())) as ReturnType<Rng['getState']>;
  const ahead = [a.normal(), a.uniform(), a.nextUint32(), a.normal()];
  const b = new Rng(99).setState(saved);
  assert.deepEqual([b.normal(), b.uniform(), b.nextUint32(), b.normal()], ahead);
});
