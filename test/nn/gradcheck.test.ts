import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activation, activationNames, type Activation } from '../../src/nn/activations.js';
import { Network } from '../../src/nn/network.js';
import { gradientCheck } from '../../src/train/gradcheck.js';
import { Matrix } from '../../src/tensor/matrix.js';
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

test('gradient check fails a wrong derivative and a kink inside the stencil', () => {
  // A sigmoid whose "derivative" is 1 everywhere: backprop is then wrong in every layer below
  // the output, and the check must say so by orders of magnitude.
  const wrong: Activation = { ...activation('sigmoid'), df: () => 1 };
  const net = Network.create([3, 4, 4, 2], { hidden: wrong, output: 'identity', cost: 'quadratic', seed: 3 });
  const { x, t } = batch(new Rng(4), 4, 3, 2, 'identity');
  const res = gradientCheck(net, x, t);
  assert.ok(res.layers[0]!.worst > 1e-2, `layer 1 error ${res.layers[0]!.worst} should be large`);
  assert.ok(res.layers[2]!.worst < 1e-6, 'the output layer does not use f′ and stays right');
  // ReLU is not differentiable at 0: with z = 1e-5 inside the ±2h stencil the finite difference
  // averages the two slopes and disagrees with backprop's one-sided derivative.
  const kink = Network.create([1, 1, 1], { hidden: 'relu', output: 'identity', cost: 'quadratic' });
  kink.setParams([[1], [1]], [[0], [0]]);
  const k = gradientCheck(kink, Matrix.from([[1e-5]], 'float64'), Matrix.from([[1]], 'float64'));
  assert.ok(k.layers[0]!.worst > 1e-3, `a kink inside the stencil must show: ${k.layers[0]!.worst}`);
});
