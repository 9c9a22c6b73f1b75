import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adagrad, adam, adamw, rmsprop, sgd, sgdMomentum, sgdNesterov, type Optimizer } from '../../src/optim/index.js';
import { assertNear } from '../helpers/approx.js';

/**
 * One or two updates of each optimizer from fixed numbers, the expected values worked by hand
 * from PyTorch's formulas (written beside each assertion). Parameters θ = [1, −2] unless said;
 * Float64Array so the hand values can be checked to 1e-9 (ε terms of 1e-8 are included where they
 * show at that level).
 */
const TOL = 1e-9;

/** Runs the optimizer over the gradient lists (one per update) from θ = [1, −2]; returns θ after each update. */
function run(opt: Optimizer, gradients: number[][], theta: number[] = [1, -2]): number[][] {
  const p = Float64Array.from(theta);
  const state = opt.init([p]);
  return gradients.map((g) => {
    opt.step([p], [Float64Array.from(g)], state);
    return Array.from(p);
  });
}

function near(actual: number[], expected: number[], what: string, tol = TOL): void {
  expected.forEach((e, i) => assertNear(actual[i]!, e, tol, `${what}[${i}]`));
}

test('sgd: θ ← θ − γ(g + λθ)', () => {
  // γ = 0.1, g = [0.5, 1]: θ = [1 − 0.05, −2 − 0.1] = [0.95, −2.1]
  near(run(sgd({ lr: 0.1 }), [[0.5, 1]])[0]!, [0.95, -2.1], 'sgd');
  // λ = 0.1: g + λθ = [0.5 + 0.1, 1 − 0.2] = [0.6, 0.8]; θ = [1 − 0.06, −2 − 0.08] = [0.94, −2.08]
  near(run(sgd({ lr: 0.1, weightDecay: 0.1 }), [[0.5, 1]])[0]!, [0.94, -2.08], 'sgd + weight decay');
});

test('momentum: b ← g at the first update, then b ← μb + (1 − τ)g; θ ← θ − γb', () => {
  // γ = 0.1, μ = 0.9, g = [0.5, 1] twice.
  const [first, second] = run(sgdMomentum({ lr: 0.1, momentum: 0.9 }), [
    [0.5, 1],
    [0.5, 1],
  ]);
  // update 1: b = g = [0.5, 1]; θ = [1 − 0.05, −2 − 0.1] = [0.95, −2.1]
  near(first!, [0.95, -2.1], 'momentum update 1');
  // update 2: b = 0.9·[0.5, 1] + [0.5, 1] = [0.95, 1.9]; θ = [0.95 − 0.095, −2.1 − 0.19] = [0.855, −2.29]
  near(second!, [0.855, -2.29], 'momentum update 2');
  // τ = 0.5: update 1 is undamped (PyTorch copies g into b), so θ = [0.95, −2.1] again;
  // update 2: b = 0.9·[0.5, 1] + 0.5·[0.5, 1] = [0.7, 1.4]; θ = [0.95 − 0.07, −2.1 − 0.14] = [0.88, −2.24]
  const damped = run(sgd({ lr: 0.1, momentum: 0.9, dampening: 0.5 }), [
    [0.5, 1],
    [0.5, 1],
  ]);
  near(damped[0]!, [0.95, -2.1], 'dampened update 1');
  near(damped[1]!, [0.88, -2.24], 'dampened update 2');
});

test('nesterov: b as momentum, then θ ← θ − γ(g + μb)', () => {
  const [first, second] = run(sgdNesterov({ lr: 0.1, momentum: 0.9 }), [
    [0.5, 1],
    [0.5, 1],
  ]);
  // update 1: b = g = [0.5, 1]; g + μb = [0.5 + 0.45, 1 + 0.9] = [0.95, 1.9]; θ = [1 − 0.095, −2 − 0.19] = [0.905, −2.19]
  near(first!, [0.905, -2.19], 'nesterov update 1');
  // update 2: b = 0.9·[0.5, 1] + [0.5, 1] = [0.95, 1.9]; g + μb = [0.5 + 0.855, 1 + 1.71] = [1.355, 2.71];
  // θ = [0.905 − 0.1355, −2.19 − 0.271] = [0.7695, −2.461]
  near(second!, [0.7695, -2.461], 'nesterov update 2');
});

test('adagrad: s ← s + g², θ ← θ − γ/(1 + (t − 1)η) · g/(√s + ε)', () => {
  // γ = 0.1. Update 1, g = [0.5, 1]: s = [0.25, 1], √s = [0.5, 1]; θ = [1 − 0.1, −2 − 0.1] = [0.9, −2.1]
  // Update 2, g = [1.5, 0]: s = [0.25 + 2.25, 1] = [2.5, 1]; θ₀ = 0.9 − 0.1·1.5/√2.5 = 0.9 − 0.15/1.58113883
  //   = 0.9 − 0.0948683298 = 0.8051316702; θ₁ unchanged (g₁ = 0).
  const plain = run(adagrad({ lr: 0.1 }), [
    [0.5, 1],
    [1.5, 0],
  ]);
  near(plain[0]!, [0.9, -2.1], 'adagrad update 1');
  near(plain[1]!, [0.8051316702, -2.1], 'adagrad update 2', 1e-9);
  // η = 0.5, s starting at 0.75, g = [0.5, 1] twice.
  // Update 1: γ̃ = 0.1; s = [1, 1.75]; θ = [1 − 0.1·0.5/1, −2 − 0.1/√1.75] = [0.95, −2 − 0.0755928946] = [0.95, −2.0755928946]
  // Update 2: γ̃ = 0.1/(1 + 0.5) = 0.0666667; s = [1.25, 2.75];
  //   θ₀ = 0.95 − 0.0666667·0.5/√1.25 = 0.95 − 0.0333333/1.1180339887 = 0.95 − 0.0298142397 = 0.9201857603
  //   θ₁ = −2.0755928946 − 0.0666667/√2.75 = −2.0755928946 − 0.0402015126 = −2.1157944072
  const decayed = run(adagrad({ lr: 0.1, lrDecay: 0.5, initialAccumulatorValue: 0.75 }), [
    [0.5, 1],
    [0.5, 1],
  ]);
  near(decayed[0]!, [0.95, -2.0755928946], 'adagrad lrDecay update 1');
  near(decayed[1]!, [0.9201857603, -2.1157944072], 'adagrad lrDecay update 2');
});

test('rmsprop: v ← αv + (1 − α)g², θ ← θ − γ g/(√v + ε); centered and momentum forms', () => {
  // γ = 0.01, α = 0.99, ε = 1e-8, g = [0.5, 1]: v = 0.01·[0.25, 1] = [0.0025, 0.01], √v = [0.05, 0.1],
  // g/(√v + ε) = [0.5/0.05000001, 1/0.10000001] = [9.999998, 9.9999990];
  // θ = [1 − 0.09999998, −2 − 0.09999999] = [0.90000002, −2.09999999]
  near(run(rmsprop({ lr: 0.01 }), [[0.5, 1]])[0]!, [0.90000002, -2.09999999], 'rmsprop');
  // centered: ḡ = 0.01·g = [0.005, 0.01]; ṽ = v − ḡ² = [0.0025 − 0.000025, 0.01 − 0.0001] = [0.002475, 0.0099];
  // √ṽ = [0.0497493719, 0.0994987437]; g/(√ṽ + ε) = [10.0503761, 10.0503771] (1/√(α(1 − α)) less the ε part);
  // θ = [1 − 0.100503761, −2 − 0.100503771] = [0.899496239, −2.100503771]
  near(run(rmsprop({ lr: 0.01, centered: true }), [[0.5, 1]])[0]!, [0.899496239, -2.100503771], 'centered', 1e-9);
  // μ = 0.9, g = [0.5, 1] twice. Update 1: b = g/(√v + ε) = [9.999998, 9.999999]; θ = [0.90000002, −2.09999999]
  // Update 2: v = 0.99·[0.0025, 0.01] + 0.01·[0.25, 1] = [0.004975, 0.0199]; √v = [0.0705336798, 0.1410673598];
  //   g/√v = [7.0888121, 7.0888121]; b = 0.9·b + g/(√v + ε) = [9.0 + 7.0888111, 9.0 + 7.0888116] = [16.0888092, 16.0888106]
  //   θ = [0.90000002 − 0.160888092, −2.09999999 − 0.160888106] = [0.739111928, −2.260888096]
  const withMomentum = run(rmsprop({ lr: 0.01, momentum: 0.9 }), [
    [0.5, 1],
    [0.5, 1],
  ]);
  near(withMomentum[1]!, [0.739111928, -2.260888096], 'rmsprop momentum update 2', 1e-9);
});

test('adam: bias-corrected m/√v; amsgrad keeps the largest v; weight decay as L2', () => {
  // γ = 0.1, β = (0.9, 0.999). Update 1, any g: m = 0.1g, v = 0.001g², m̂ = g, √v̂ = |g|, so θ ← θ − 0.1·g/(|g| + ε):
  //   g = [0.5, 1] → θ = [0.9, −2.1] (up to 0.1·ε/|g| = 2e-9).
  // Update 2, g = [−0.5, 1]:
  //   θ₀: m = 0.9·0.05 − 0.05 = −0.005, v = 0.999·0.00025 + 0.001·0.25 = 0.00049975;
  //       m̂ = −0.005/(1 − 0.81) = −0.0263157895, v̂ = 0.00049975/(1 − 0.998001) = 0.25, √v̂ = 0.5;
  //       θ₀ = 0.9 + 0.1·0.0263157895/0.5 = 0.9052631579 (+2e-9 from update 1's ε)
  //   θ₁: m = 0.09 + 0.1 = 0.19 → m̂ = 1; v = 0.000999 + 0.001 = 0.001999 → v̂ = 1; θ₁ = −2.1 − 0.1 = −2.2
  const steps = run(adam({ lr: 0.1 }), [
    [0.5, 1],
    [-0.5, 1],
  ]);
  near(steps[0]!, [0.9, -2.1], 'adam update 1', 1e-8);
  near(steps[1]!, [0.9052631579, -2.2], 'adam update 2', 1e-8);
  // amsgrad, θ = −2, g = 1 then 0.01: v₁ = 0.001, v₂ = 0.000999 + 0.001·0.0001 = 0.0009991 < v₁, so v̂ = v₁ = 0.001.
  //   Update 1: θ = −2.1. Update 2: m = 0.09 + 0.001 = 0.091, m̂ = 0.091/0.19 = 0.4789473684;
  //   √(0.001/0.001999) = 0.7072835956; θ = −2.1 − 0.1·0.4789473684/0.7072835956 = −2.1 − 0.0677164 = −2.1677164
  //   (plain adam would use v₂: √(0.0009991/0.001999) = 0.7069653, θ = −2.1677469)
  const ams = run(adam({ lr: 0.1, amsgrad: true }), [[1], [0.01]], [-2]);
  assertNear(ams[1]![0]!, -2.1677164, 1e-7, 'amsgrad update 2');
  const plain = run(adam({ lr: 0.1 }), [[1], [0.01]], [-2]);
  assertNear(plain[1]![0]!, -2.1677469, 1e-7, 'adam (no amsgrad) update 2');
  // λ = 0.1 as L2, g = [0.5, 0.1]: g + λθ = [0.6, −0.1]; the second sign flips, so update 1 moves θ by
  //   −0.1·sign: θ = [0.9, −1.9]
  near(run(adam({ lr: 0.1, weightDecay: 0.1 }), [[0.5, 0.1]])[0]!, [0.9, -1.9], 'adam L2', 1e-8);
});

test('adamw: θ ← θ(1 − γλ) before the Adam step', () => {
  // γ = 0.1, λ = 0.1: θ(1 − 0.01) = [0.99, −1.98]; then the first Adam step −0.1·sign(g): θ = [0.89, −2.08]
  near(run(adamw({ lr: 0.1, weightDecay: 0.1 }), [[0.5, 1]])[0]!, [0.89, -2.08], 'adamw', 1e-8);
  // the default λ is PyTorch's 1e-2: θ(1 − 0.001) − 0.1 = [0.899, −2.098]
  near(run(adamw({ lr: 0.1 }), [[0.5, 1]])[0]!, [0.899, -2.098], 'adamw default decay', 1e-8);
});

test('the learning rate comes from the schedule at state.step, times lrScale', () => {
  const p = Float64Array.of(1);
  const opt = sgd({ lr: (t) => 0.1 / (t + 1) });
  const state = opt.init([p]);
  // update 1: γ(0) = 0.1, θ = 1 − 0.1·1 = 0.9; update 2: γ(1) = 0.05, lrScale 0.5 → 0.025, θ = 0.9 − 0.025 = 0.875
  opt.step([p], [Float64Array.of(1)], state);
  assertNear(p[0]!, 0.9, TOL, 'scheduled update 1');
  opt.step([p], [Float64Array.of(1)], state, 0.5);
  assertNear(p[0]!, 0.875, TOL, 'scheduled update 2 with lrScale');
  assert.equal(state.step, 2);
  assert.equal(opt.learningRate(3), 0.025);
});
