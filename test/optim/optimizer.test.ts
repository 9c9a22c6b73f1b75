import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NablaError } from '../../src/errors.js';
import {
  adam,
  createOptimizer,
  defaultLearningRate,
  optimizerNames,
  optimizers,
  sgd,
  stepDecay,
  type AnyOptimizerOptions,
} from '../../src/optim/index.js';

function throwsCode(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof NablaError && e.code === code && pattern.test(e.message));
}

test('the registry holds every optimizer by name, with PyTorch defaults', () => {
  assert.deepEqual(optimizerNames, ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw']);
  assert.deepEqual(createOptimizer('sgd').config, { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 });
  assert.deepEqual(createOptimizer('momentum').config, { lr: 1e-3, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 });
  assert.deepEqual(createOptimizer('nesterov').config, { lr: 1e-3, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0 });
  assert.deepEqual(createOptimizer('adagrad').config, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
  assert.deepEqual(createOptimizer('rmsprop').config, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false });
  assert.deepEqual(createOptimizer('adam').config, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false });
  assert.deepEqual(createOptimizer('adamw').config, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2, amsgrad: false });
  for (const name of optimizerNames) assert.equal(optimizers[name]().name, name);
  assert.equal(sgd({ lr: stepDecay(0.1, 10, 0.5) }).config.lr, 'step(0.1, 10, 0.5)');
  // A schedule's base rate without an optimizer: PyTorch's defaults, the ones the optimizers take.
  assert.deepEqual(optimizerNames.map(defaultLearningRate), [1e-3, 1e-3, 1e-3, 1e-2, 1e-2, 1e-3, 1e-3]);
  for (const name of optimizerNames) assert.equal(defaultLearningRate(name), createOptimizer(name).learningRate(0), name);
  assert.throws(() => defaultLearningRate('lion'), (e: unknown) => e instanceof NablaError && e.code === 'UNKNOWN_NAME' && /unknown optimizer 'lion'/.test(e.message));
});

test('unknown names and bad hyperparameters are NablaErrors that say what was expected', () => {
  throwsCode(() => createOptimizer('adamax'), 'UNKNOWN_NAME', /unknown optimizer 'adamax': expected one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw/);
  throwsCode(() => createOptimizer('sgd', { lr: 0 }), 'ARGUMENT', /sgd lr 0: expected a finite number > 0/);
  throwsCode(() => createOptimizer('adam', { lr: -1 }), 'ARGUMENT', /adam lr -1/);
  throwsCode(() => createOptimizer('adam', { lr: NaN }), 'ARGUMENT', /adam lr NaN/);
  throwsCode(() => createOptimizer('adam', { beta1: 1 }), 'ARGUMENT', /adam beta1 1: expected a finite number in \[0, 1\)/);
  throwsCode(() => createOptimizer('rmsprop', { alpha: 2 }), 'ARGUMENT', /rmsprop alpha 2/);
  throwsCode(() => createOptimizer('adagrad', { eps: -1 }), 'ARGUMENT', /adagrad eps -1: expected a finite number ≥ 0/);
  throwsCode(() => createOptimizer('adamw', { weightDecay: -0.1 }), 'ARGUMENT', /adamw weightDecay -0.1/);
  throwsCode(() => createOptimizer('sgd', { nesterov: true }), 'ARGUMENT', /Nesterov momentum needs momentum > 0 and dampening 0/);
  throwsCode(() => createOptimizer('nesterov', { dampening: 0.1 }), 'ARGUMENT', /Nesterov momentum needs/);
  throwsCode(() => createOptimizer('adam', { momentum: 0.9 }), 'ARGUMENT', /adam has no option 'momentum': expected one of lr, beta1/);
  throwsCode(() => createOptimizer('rmsprop', { centered: 'yes' } as unknown as AnyOptimizerOptions), 'ARGUMENT', /rmsprop centered yes: expected true or false/);
  // a schedule that goes negative or NaN is caught at the step that uses it
  const opt = sgd({ lr: (t) => 0.1 - t });
  const p = [new Float32Array(1)];
  const state = opt.init(p);
  opt.step(p, p, state);
  throwsCode(() => opt.step(p, p, state), 'ARGUMENT', /sgd: learning rate -0.9 at step 1/);
});

test('step updates the given arrays in place and keeps the state as plain arrays and a step count', () => {
  // views into one buffer, as the WebAssembly memory holds them
  const memory = new Float32Array(10);
  const params = [memory.subarray(0, 3), memory.subarray(3, 5)];
  const grads = [Float32Array.of(1, 2, 3), Float32Array.of(-1, 1)];
  memory.set([1, 1, 1, 1, 1]);
  const opt = adam({ lr: 0.1, amsgrad: true });
  const state = opt.init(params);
  assert.deepEqual(Object.keys(state.slots), ['expAvg', 'expAvgSq', 'maxExpAvgSq']);
  const slotArrays = state.slots.expAvg!;
  for (let k = 0; k < 3; k++) opt.step(params, grads, state);
  assert.equal(state.step, 3);
  assert.equal(state.slots.expAvg, slotArrays, 'slot arrays are reused, not replaced');
  assert.ok(state.slots.expAvg![0] instanceof Float32Array, 'float32 parameters get float32 state');
  // first Adam steps move every weight by about γ against the sign of its gradient: 1 − 3·0.1 = 0.7 or 1 + 0.3 = 1.3
  const moved = Array.from(memory.subarray(0, 5), (v) => Math.round(v * 1e5) / 1e5);
  assert.deepEqual(moved, [0.7, 0.7, 0.7, 1.3, 0.7]);
  assert.deepEqual(Array.from(memory.subarray(5)), [0, 0, 0, 0, 0], 'nothing written outside the views');
  // a JSON round trip of the state resumes identically (a checkpoint is weights + state)
  const copy = JSON.parse(JSON.stringify({ step: state.step, slots: Object.fromEntries(Object.entries(state.slots).map(([k, v]) => [k, v.map((a) => Array.from(a))])) })) as {
    step: number;
    slots: Record<string, number[][]>;
  };
  const restored = { step: copy.step, slots: Object.fromEntries(Object.entries(copy.slots).map(([k, v]) => [k, v.map((a) => Float32Array.from(a))])) };
  const p2 = params.map((p) => Float32Array.from(p));
  opt.step(params, grads, state);
  opt.step(p2, grads, restored);
  assert.deepEqual(p2.map((p) => Array.from(p)), params.map((p) => Array.from(p)));
});

test('step checks that parameters, gradients and state agree', () => {
  const opt = sgd({ lr: 0.1, momentum: 0.9 });
  const params = [new Float32Array(3)];
  const state = opt.init(params);
  throwsCode(() => opt.step(params, [], state), 'SHAPE', /1 parameter arrays but 0 gradient arrays/);
  throwsCode(() => opt.step(params, [new Float32Array(2)], state), 'SHAPE', /parameter 0 has 3 values but its gradient 2/);
  throwsCode(() => opt.step([new Float32Array(4)], [new Float32Array(4)], state), 'SHAPE', /state slot 'momentumBuffer' does not match parameter 0/);
});

test('a momentum of 1 or more is refused as what makes the run diverge; dampening outside [0, 1] too', () => {
  // Why the bound: heavy ball on C = ½θ² (PyTorch's rule b ← μb + g, θ ← θ − γb) has the
  // characteristic roots of λ² − (1 + μ − γ)λ + μ = 0, whose product is μ: for μ > 1 one root
  // lies outside the unit circle whatever γ > 0, so |θ| grows without bound even at γ = 1e-4.
  const run = (mu: number): number => {
    let theta = 1;
    let b = 0;
    for (let t = 0; t < 5000; t++) {
      b = mu * b + theta;
      theta -= 1e-4 * b;
    }
    return Math.abs(theta);
  };
  assert.ok(run(1.01) > 1e6, `μ = 1.01: |θ| ${run(1.01)}`);
  assert.ok(run(0.99) < 1, `μ = 0.99: |θ| ${run(0.99)}`);
  for (const name of ['sgd', 'momentum', 'nesterov', 'rmsprop'] as const) {
    for (const momentum of [1, 1.01, 5]) {
      throwsCode(() => createOptimizer(name, { momentum }), 'ARGUMENT', new RegExp(`^${name} momentum ${momentum}: expected a finite number in \\[0, 1\\) \\(momentum ≥ 1 makes the velocity grow without bound: the run diverges at any learning rate\\)$`));
    }
    assert.equal(createOptimizer(name, { momentum: 0.99 }).config.momentum, 0.99);
  }
  throwsCode(() => sgd({ momentum: 0.9, dampening: 1.5 }), 'ARGUMENT', /sgd dampening 1\.5: expected a finite number in \[0, 1\]/);
  throwsCode(() => sgd({ momentum: 0.9, dampening: -0.1 }), 'ARGUMENT', /sgd dampening -0\.1: expected a finite number in \[0, 1\]/);
});

test('float32 running averages are flushed to zero below the normal range (x86 runs subnormals through a microcode assist); float64 ones are not', () => {
  const minNormal = 2 ** -126;
  for (const [name, slot] of [['momentum', 'momentumBuffer'], ['nesterov', 'momentumBuffer'], ['rmsprop', 'squareAvg'], ['adam', 'expAvg'], ['adam', 'expAvgSq']] as const) {
    for (const Array32or64 of [Float32Array, Float64Array]) {
      const params = [new Array32or64(3).fill(0.5)];
      const zero = [new Array32or64(3)];
      const opt = createOptimizer(name, { lr: 1e-3 });
      const state = opt.init(params);
      opt.step(params, zero, state); // past the first step (momentum's buffer starts as the gradient)
      const s = state.slots[slot]![0]!;
      // just above the smallest normal float32: one decay step (β ≤ 0.999 on a zero gradient) falls below it
      s.set([minNormal * 1.0001, -minNormal * 1.0001, 1e-3].map((x) => (slot === 'expAvgSq' || slot === 'squareAvg' ? Math.abs(x) : x)));
      opt.step(params, zero, state);
      const below = Array.from(s.subarray(0, 2));
      if (Array32or64 === Float32Array) assert.deepEqual(below, [0, 0], `${name} ${slot} float32: ${below}`);
      else assert.ok(below.every((x) => x !== 0 && Math.abs(x) < minNormal), `${name} ${slot} float64 keeps ${below}`);
      assert.ok(Math.abs(s[2]!) > 1e-4, `${name} ${slot}: a normal value decays as usual (${s[2]})`);
    }
  }
});
