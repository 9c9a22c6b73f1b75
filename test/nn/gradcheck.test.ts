import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReferenceKernels } from '../../src/kernels/reference.js';
import { activation, activationNames, sigmoid, type Activation } from '../../src/nn/activations.js';
import { Network } from '../../src/nn/network.js';
import { gradientCheck, type GradientCheckResult } from '../../src/train/gradcheck.js';
import { describeGradientCheck } from '../../src/train/gradcheck-text.js';
import { Matrix, type Floats } from '../../src/tensor/matrix.js';
import { Rng } from '../../src/tensor/rng.js';

const outputs = [
  { output: 'identity', cost: 'quadratic' },
  { output: 'sigmoid', cost: 'binary-cross-entropy' },
  { output: 'softmax', cost: 'cross-entropy' },
  { output: 'softmax', cost: 'quadratic' }, // through the softmax Jacobian
  { output: 'sigmoid', cost: 'quadratic' }, // the notes' MNIST network
] as const;

/** A batch of m samples for a 5/7/4/3 network: random inputs and targets suited to the cost. */
function batch(rng: Rng, m: number, nIn: number, nOut: number, output: string): { x: Matrix; t: Matrix } {
  const x = Matrix.zeros(m, nIn, 'float64');
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniformIn(-1, 1);
  const t = Matrix.zeros(m, nOut, 'float64');
  for (let i = 0; i < m; i++) {
    if (output === 'softmax') t.set(i, rng.int(nOut), 1);
    else if (output === 'sigmoid') for (let j = 0; j < nOut; j++) t.set(i, j, rng.int(2));
    else for (let j = 0; j < nOut; j++) t.set(i, j, rng.normal());
  }
  return { x, t };
}

for (const hidden of activationNames) {
  for (const { output, cost } of outputs) {
    test(`gradient check: ${hidden} hidden, ${output} + ${cost}, 5/7/4/3 on a batch of 6`, () => {
      const sizes = [5, 7, 4, 3];
      const net = Network.create(sizes, { hidden, output, cost, seed: 11, init: 'glorot-normal' });
      // Non-zero biases, so the check covers them in the forward pass too.
      const rng = new Rng(12);
      for (const layer of net.layers) for (let i = 0; i < layer.b.length; i++) layer.b[i] = rng.uniformIn(-0.5, 0.5);
      const { x, t } = batch(rng, 6, sizes[0]!, sizes[3]!, output);
      const result = gradientCheck(net, x, t);
      assert.equal(result.layers.length, 3);
      assert.equal(result.checked, net.numParams);
      for (const l of result.layers) {
        assert.ok(l.worst < 1e-6, `layer ${l.layer}: worst relative error ${l.worst.toExponential(2)} ≥ 1e-6`);
      }
    });
  }
}

/** A 5/7/4/3 network with random biases and a random batch of m, as seeded. */
function problem(seed: number, hidden: string | Activation | (string | Activation)[], output: string, cost: string, m = 4) {
  const net = Network.create([5, 7, 4, 3], { hidden, output, cost, seed });
  const rng = new Rng(1000 + seed);
  for (const layer of net.layers) for (let i = 0; i < layer.b.length; i++) layer.b[i] = rng.uniformIn(-0.5, 0.5);
  return { net, ...batch(rng, m, 5, 3, output) };
}

/** The layers the verdict line names as failing, read back from the text a user sees. */
function failedLayers(r: GradientCheckResult): number[] {
  const text = describeGradientCheck(r, 'check').join('\n');
  const line = /^FAILED in (.*): above the limit/m.exec(text);
  assert.ok(line, `no FAILED verdict in:\n${text}`);
  return [...line[1]!.matchAll(/layer (\d+) \(/g)].map((mm) => Number(mm[1]));
}

// No false alarm: a right backprop, 200 seeds of every hidden activation × output/cost pair.
// ReLU and leaky ReLU meet their kink within the default stencil on some seeds (seen in
// `smallerStep`); the check must shrink the step there instead of reading FAILED.
for (const hidden of activationNames) {
  test(`gradient check: no false failure over 200 seeds, ${hidden} hidden × every output/cost pair`, (t) => {
    const failures: string[] = [];
    let smallerStep = 0;
    let leftOut = 0;
    for (const { output, cost } of outputs) {
      for (let seed = 1; seed <= 200; seed++) {
        const { net, x, t: target } = problem(seed, hidden, output, cost);
        const r = gradientCheck(net, x, target);
        if (!r.ok) failures.push(`seed ${seed} ${output}+${cost}: ${r.worst.toExponential(2)}`);
        assert.equal(r.checked + r.leftOut.length, net.numParams);
        smallerStep += r.smallerStep;
        leftOut += r.leftOut.length;
      }
    }
    t.diagnostic(`${hidden}: ${smallerStep} parameters checked with a smaller step, ${leftOut} left out, over 1000 checks`);
    assert.deepEqual(failures, []);
    if (activation(hidden).kinks) assert.ok(smallerStep > 0, 'the sweep should meet kinks inside the default stencil');
    else assert.equal(smallerStep + leftOut, 0, 'a smooth activation never shrinks the step');
  });
}

test('no false failure when the cost is large: regression targets of size 1e3 (C ~ 1e6), 100 seeds', () => {
  // The difference quotient's rounding error grows with C (≈ ε C / h ≈ 1e-7 here), far above a
  // fixed floor of 1e-6 × limit; the floor follows the cost's size, so small gradients are not FAILED.
  const failures: string[] = [];
  for (let seed = 1; seed <= 100; seed++) {
    for (const hidden of ['tanh', 'relu'] as const) {
      const { net, x, t } = problem(seed, hidden, 'identity', 'quadratic');
      for (let i = 0; i < t.data.length; i++) t.data[i] = 1000 * t.data[i]!;
      const r = gradientCheck(net, x, t);
      if (!r.ok) failures.push(`${hidden} seed ${seed}: ${r.worst.toExponential(2)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('a kink inside the stencil: checked with a smaller step, or left out and named, never FAILED', () => {
  // ReLU at z = 1e-5: the ±2h stencil of b[1] (h = 1e-3) spans z ∈ [−2e-3, 2e-3], across the
  // kink. The plain quotient then averages the slopes 0 and 1 (the false alarm users met);
  // the check divides h by 10 until the stencil stays on one side (h = 1e-6: z ∈ [8e-6, 1.2e-5]).
  const kink = Network.create([1, 1, 1], { hidden: 'relu', output: 'identity', cost: 'quadratic' });
  kink.setParams([[1], [1]], [[0], [0]]);
  const x = Matrix.from([[1e-5]], 'float64');
  const t = Matrix.from([[1]], 'float64');
  const k = gradientCheck(kink, x, t);
  // C = ½(relu(w1 x + b1) − 1)², so ∂C/∂b1 = (1e-5 − 1) · 1 at θ; the plain quotient is off:
  const h = 1e-3;
  const b1 = kink.layers[0]!.b;
  const at = (d: number): number => {
    b1[0] = d;
    return kink.evaluateCost(x, t);
  };
  const plain = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
  b1[0] = 0;
  assert.ok(Math.abs(plain - (1e-5 - 1)) > 0.1, `the plain quotient straddles the kink: ${plain}`);
  assert.equal(k.ok, true);
  assert.equal(k.smallerStep, 1);
  assert.equal(k.smallestStep, 1e-6);
  assert.equal(k.leftOut.length, 0);
  assert.deepEqual(k.firstCrossing, { layer: 1, node: 0, sample: 0, z: 1e-5, kink: 0, activation: 'relu' });
  // Allowed no smaller step, the check leaves b[1] out rather than fail it.
  const fixed = gradientCheck(kink, x, t, { minStep: 1e-3 });
  assert.equal(fixed.ok, true);
  assert.deepEqual(fixed.leftOut.map((p) => `${p.tensor}[${p.layer}][${p.row}]`), ['b[1][0]']);
  assert.match(describeGradientCheck(fixed, 'check').join('\n'), /1 parameter left out \(layer 1: 1\): even at h = 0\.001 the stencil crosses a kink/);

  // z exactly on the kink (w1 x + b1 = 1 − 1 = 0): any step crosses it, so W[1] and b[1] are
  // left out and said to be; layer 2 is checked as usual.
  kink.setParams([[1], [1]], [[-1], [0]]);
  const on = gradientCheck(kink, Matrix.from([[1]], 'float64'), t);
  assert.equal(on.ok, true);
  assert.equal(on.checked, 2);
  assert.deepEqual(on.leftOut.map((p) => `${p.tensor}[${p.layer}][${p.row},${p.col}] h=${p.step} z=${p.crossing.z}`), ['W[1][0,0] h=0.000001 z=0', 'b[1][0,0] h=0.000001 z=0']);
  const text = describeGradientCheck(on, 'check').join('\n');
  assert.match(text, /2 parameters left out \(layer 1: 2\): even at h = 1e-6 the stencil crosses a kink/);
  assert.match(text, /^OK: .*\(2 of 4 parameters checked, 0 with a smaller step, 2 left out\)$/m);
});

test('the text teaches: per layer ∂C/∂W and ∂C/∂b, the limit and why float64 reaches it', () => {
  const { net, x, t } = problem(3, 'tanh', 'softmax', 'cross-entropy');
  const r = gradientCheck(net, x, t);
  const text = describeGradientCheck(r, 'Gradient check').join('\n');
  for (const l of r.layers) {
    assert.match(text, new RegExp(`^ +${l.layer} +${l.weights.toExponential(1).replace('+', '\\+')} +${l.biases.toExponential(1).replace('+', '\\+')} +ok +${l.checked} of ${l.checked}$`, 'm'));
  }
  assert.match(text, /truncation error \(~h⁴ = 1\.0e-12\)/);
  assert.match(text, /below the limit 1e-6/);
  assert.match(text, /^OK: worst relative error .* < 1e-6 \(89 of 89 parameters checked, 0 with a smaller step, 0 left out\)$/m);
});

// Mutations: each bug a learner writes must read FAILED and name its layer.

/** A wrong f′ per activation: a slip from each one's derivative rule. */
const wrongDerivative: Record<string, Activation['df']> = {
  identity: (z) => z, // f instead of f′
  sigmoid: (z) => z * (1 - z), // σ′ = a(1 − a) applied to z instead of a
  tanh: (z) => 1 - z * z, // the same slip
  relu: (z) => (z > 0 ? z : 0), // f instead of f′
  'leaky-relu': (z) => (z > 0 ? 1 : 0), // the slope α forgotten
  softplus: (z) => sigmoid(-z), // σ(−z) for σ(z)
  swish: (z) => sigmoid(z), // the product rule's z σ(1 − σ) forgotten
  'gelu-tanh': (z) => 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3))), // the product rule's ½ z · tanh′ term forgotten
};

for (const name of activationNames) {
  test(`a wrong f′ of ${name} in hidden layer 1 reads FAILED in layer 1 only`, () => {
    const wrong: Activation = { ...activation(name), df: wrongDerivative[name]! };
    for (const seed of [1, 2, 3]) {
      const { net, x, t } = problem(seed, [wrong, name], 'softmax', 'cross-entropy');
      const r = gradientCheck(net, x, t);
      assert.equal(r.ok, false, `seed ${seed}`);
      assert.deepEqual(failedLayers(r), [1], `seed ${seed}`);
      assert.ok(r.layers[0]!.worst > 1e-3, `seed ${seed}: layer 1 error ${r.layers[0]!.worst}`);
    }
  });
}

/** The reference kernels with one bug injected into a backward operation of the layer of shape n × k. */
class FaultyKernels extends ReferenceKernels {
  constructor(
    private readonly bug: 'transposed ∂W' | 'missing 1/m' | 'missing ⊙ f′',
    private readonly shape: [number, number],
  ) {
    super('float64');
  }

  override denseBackwardParams(m: number, n: number, k: number, d: Floats, x: Floats, dw: Floats, db: Floats): void {
    const here = n === this.shape[0] && k === this.shape[1];
    if (here && this.bug === 'transposed ∂W') {
      this.gemmTN(k, n, m, x, d, dw); // Aᵀ·Δ (k × n) for Δᵀ·A (n × k), stored row-major as n × k
      this.colSums(m, n, d, db);
      return;
    }
    if (here && this.bug === 'missing 1/m') for (let i = 0; i < m * n; i++) d[i] = d[i]! * m; // Δ[L] = Ŷ − T, not (Ŷ − T)/m
    super.denseBackwardParams(m, n, k, d, x, dw, db);
  }

  override denseBackwardInput(m: number, n: number, k: number, d: Floats, w: Floats, zPrev: Floats, aPrev: Floats, f: Activation | null, out: Floats): void {
    const here = n === this.shape[0] && k === this.shape[1];
    super.denseBackwardInput(m, n, k, d, w, zPrev, aPrev, here && this.bug === 'missing ⊙ f′' ? null : f, out);
  }
}

for (const hidden of activationNames) {
  test(`injected bugs read FAILED and name the layer, ${hidden} hidden`, () => {
    for (const seed of [1, 2]) {
      const { net, x, t } = problem(seed, hidden, 'softmax', 'cross-entropy');
      // ∂W[2] transposed (W[2] is 4 × 7): only ∂C/∂W of layer 2 is wrong.
      const transposed = gradientCheck(net, x, t, { kernels: new FaultyKernels('transposed ∂W', [4, 7]) });
      assert.deepEqual(failedLayers(transposed), [2], `seed ${seed}`);
      assert.ok(transposed.layers[1]!.weights > 1e-3 && transposed.layers[1]!.biases < 1e-6);
      // Δ[L] without its 1/m: every gradient is m = 4 times too large (relative error 3/4) in every layer.
      const sum = gradientCheck(net, x, t, { kernels: new FaultyKernels('missing 1/m', [3, 4]) });
      assert.deepEqual(failedLayers(sum), [1, 2, 3], `seed ${seed}`);
      assert.ok(Math.abs(sum.worst - 0.75) < 1e-6, `missing 1/m: ${sum.worst}`);
      // Δ[2] = Δ[3]·W[3] without ⊙ f′(Z[2]): layers 2 and 1 go wrong, layer 3 stays right (no bug where f′ ≡ 1).
      const noDerivative = gradientCheck(net, x, t, { kernels: new FaultyKernels('missing ⊙ f′', [3, 4]) });
      if (hidden === 'identity') assert.equal(noDerivative.ok, true);
      else assert.deepEqual(failedLayers(noDerivative), [1, 2], `seed ${seed}`);
    }
  });
}

test('the check runs on float64 kernels only', () => {
  const { net, x, t } = problem(1, 'relu', 'softmax', 'cross-entropy');
  assert.throws(() => gradientCheck(net, x, t, { kernels: new ReferenceKernels('float32') }), /finite differences need float64 kernels/);
});
