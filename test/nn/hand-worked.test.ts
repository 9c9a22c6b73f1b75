/**
 * Backprop against numbers worked by hand (the sigmoid values are to the digits shown;
 * σ(z) = 1/(1 + e^−z), σ′ = σ(1 − σ)).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReferenceKernels } from '../../src/kernels/reference.js';
import { Network } from '../../src/nn/network.js';
import { Matrix } from '../../src/tensor/matrix.js';
import { assertNear } from '../helpers/approx.js';

test("the notes' single-neuron chain a(L−1) → a(L) with cost (a(L) − y)²", () => {
  // 003: C0 = (a(L) − y)², z(L) = w(L) a(L−1) + b(L), a(L) = σ(z(L));
  //   ∂C0/∂w(L) = a(L−1) σ′(z(L)) 2(a(L) − y),  ∂C0/∂b(L) = σ′(z(L)) 2(a(L) − y),
  //   ∂C0/∂a(L−1) = w(L) σ′(z(L)) 2(a(L) − y), and on to the layer before.
  // A 1/1/1 sigmoid chain: x = 1, w(L−1) = 0.8, b(L−1) = −0.7, w(L) = 1.5, b(L) = −0.05, y = 1.
  //   z(L−1) = 0.8·1 − 0.7 = 0.1            a(L−1) = σ(0.1) = 0.5249792
  //   z(L) = 1.5·0.5249792 − 0.05 = 0.7374688  a(L) = σ(0.7374688) = 0.6764421
  //   C0 = (0.6764421 − 1)² = 0.1046897
  //   ∂C0/∂z(L) = 2(a − y) σ′ = 2·(−0.3235579)·0.6764421·0.3235579 = −0.1416331
  //   ∂C0/∂w(L) = a(L−1)·(−0.1416331) = −0.0743544     ∂C0/∂b(L) = −0.1416331
  //   ∂C0/∂a(L−1) = w(L)·(−0.1416331) = −0.2124496
  //   ∂C0/∂z(L−1) = −0.2124496·σ′(0.1) = −0.2124496·0.2493760 = −0.0529798 = ∂C0/∂w(L−1) (x = 1) = ∂C0/∂b(L−1)
  // Nabla's quadratic cost is ½‖ŷ − t‖², half of the notes' C0, so its gradients are half of these.
  const net = Network.create([1, 1, 1], { hidden: 'sigmoid', output: 'sigmoid', cost: 'quadratic', kernels: new ReferenceKernels() });
  net.setParams([[0.8], [1.5]], [[-0.7], [-0.05]]);
  const c = net.computeGradients(Matrix.from([[1]], 'float64'), Matrix.from([[1]], 'float64'));
  assertNear(2 * c, 0.1046897, 1e-7, 'C0');
  assertNear(net.layerState(1).a.get(0, 0), 0.5249792, 1e-7, 'a(L−1)');
  assertNear(net.layerState(2).a.get(0, 0), 0.6764421, 1e-7, 'a(L)');
  const [l1, l2] = net.layers;
  assertNear(2 * l2!.dw[0]!, -0.0743544, 1e-7, '∂C0/∂w(L)');
  assertNear(2 * l2!.db[0]!, -0.1416331, 1e-7, '∂C0/∂b(L)');
  assertNear(2 * net.layerState(2).delta.get(0, 0), -0.1416331, 1e-7, 'Δ(L)');
  assertNear(2 * l1!.dw[0]!, -0.0529798, 1e-7, '∂C0/∂w(L−1)');
  assertNear(2 * l1!.db[0]!, -0.0529798, 1e-7, '∂C0/∂b(L−1)');
});

test('a 2/2/1 sigmoid network with quadratic cost, worked by hand', () => {
  // x = (0.05, 0.10), W[1] = [0.15 0.20; 0.25 0.30], b[1] = (0.35, 0.35), W[2] = [0.40 0.45], b[2] = 0.60, t = 0.01
  // Forward:
  //   z[1] = (0.15·0.05 + 0.20·0.10 + 0.35, 0.25·0.05 + 0.30·0.10 + 0.35) = (0.3775, 0.3925)
  //   a[1] = σ(z[1]) = (0.59326999, 0.59688438)
  //   z[2] = 0.40·0.59326999 + 0.45·0.59688438 + 0.60 = 1.10590597,   ŷ = σ(1.10590597) = 0.75136507
  //   C = ½(0.75136507 − 0.01)² = 0.27481108
  // Backward:
  //   (1) Δ[2] = (ŷ − t) σ′(z[2]) = 0.74136507 · 0.75136507 · 0.24863493 = 0.13849856
  //   (4) ∂C/∂W[2] = Δ[2] a[1] = (0.08216704, 0.08266763)   (3) ∂C/∂b[2] = 0.13849856
  //   (2) Δ[1] = Δ[2] W[2] ⊙ σ′(z[1]) = (0.13849856·0.40·0.24130071, 0.13849856·0.45·0.24061342)
  //            = (0.01336792, 0.01499608)
  //   (4) ∂C/∂W[1] = Δ[1]ᵀ x = [0.00066840 0.00133679; 0.00074980 0.00149961]   (3) ∂C/∂b[1] = Δ[1]
  // (The first entry of ∂C/∂W[2], 0.082167041, is also in Matt Mazur's well-known worked example.)
  const net = Network.create([2, 2, 1], { hidden: 'sigmoid', output: 'sigmoid', cost: 'quadratic', kernels: new ReferenceKernels() });
  net.setParams([[0.15, 0.2, 0.25, 0.3], [0.4, 0.45]], [[0.35, 0.35], [0.6]]);
  const c = net.computeGradients(Matrix.from([[0.05, 0.1]], 'float64'), Matrix.from([[0.01]], 'float64'));
  assertNear(c, 0.27481108, 1e-8, 'C');
  assertNear(net.layerState(2).a.get(0, 0), 0.75136507, 1e-8, 'ŷ');
  const [l1, l2] = net.layers;
  const close = (got: ArrayLike<number>, want: number[], what: string): void =>
    want.forEach((w, i) => assertNear(got[i]!, w, 1e-8, `${what}[${i}]`));
  close(l2!.dw, [0.08216704, 0.08266763], '∂C/∂W[2]');
  close(l2!.db, [0.13849856], '∂C/∂b[2]');
  close(net.layerState(1).delta.data, [0.01336792, 0.01499608], 'Δ[1]');
  close(l1!.dw, [0.0006684, 0.00133679, 0.0007498, 0.00149961], '∂C/∂W[1]');
  close(l1!.db, [0.01336792, 0.01499608], '∂C/∂b[1]');
});

test('a batch gradient is the mean of the per-sample gradients', () => {
  // C = (1/m) Σ C⁽ⁱ⁾, so ∂C/∂θ over a batch of two equals the average of the two single-sample gradients.
  const net = Network.create([3, 4, 2], { hidden: 'tanh', output: 'softmax', seed: 7, kernels: new ReferenceKernels() });
  const x = [[0.1, -0.5, 0.3], [1.2, 0.4, -0.7]];
  const t = [[1, 0], [0, 1]];
  const single = x.map((row, i) => {
    net.computeGradients(Matrix.from([row], 'float64'), Matrix.from([t[i]!], 'float64'));
    return net.grads().map((g) => Array.from(g));
  });
  net.computeGradients(Matrix.from(x, 'float64'), Matrix.from(t, 'float64'));
  net.grads().forEach((g, p) => {
    g.forEach((v, j) => assertNear(v, (single[0]![p]![j]! + single[1]![p]![j]!) / 2, 1e-12, `param ${p}[${j}]`));
  });
  assert.equal(net.batchRows, 2);
});
