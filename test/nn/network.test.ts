import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NablaError } from '../../src/errors.js';
import { JsKernels } from '../../src/kernels/js.js';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';
import { ReferenceKernels } from '../../src/kernels/reference.js';
import { Network } from '../../src/nn/network.js';
import { Matrix } from '../../src/tensor/matrix.js';
import { Rng } from '../../src/tensor/rng.js';
import { maxScaledError } from '../helpers/approx.js';

test('784/100/10 has N_b = 110 and N_w = 79,400: 79,510 in all, as in the notes', () => {
  // N_b = 100 + 10;  N_w = 784·100 + 100·10 = 78,400 + 1,000
  const net = Network.create([784, 100, 10]);
  assert.equal(net.numBiases, 110);
  assert.equal(net.numWeights, 79400);
  assert.equal(net.numParams, 79510);
  assert.equal(net.architecture, '784/100/10');
  assert.deepEqual(net.layers.map((l) => [l.outputs, l.inputs]), [[100, 784], [10, 100]]);
});

test('weights are never zero, biases start at zero, and the init scale matches its formula', () => {
  const net = Network.create([400, 300, 10], { hidden: 'relu', seed: 5 });
  const w = Array.from(net.layers[0]!.w);
  assert.ok(w.every((v) => v !== 0));
  assert.ok(net.layers.every((l) => l.b.every((v) => v === 0)));
  // He normal: Var = 2 / fan_in = 2/400 = 0.005 — the sample variance of 120,000 draws is within 3%.
  const mean = w.reduce((s, v) => s + v, 0) / w.length;
  const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
  assert.ok(Math.abs(variance / 0.005 - 1) < 0.03, `variance ${variance}`);
  // Glorot uniform for sigmoid: U(−r, r), r = √(6/(400+300)) = 0.09258
  const g = Array.from(Network.create([400, 300, 10], { hidden: 'sigmoid', seed: 5 }).layers[0]!.w);
  const r = Math.sqrt(6 / 700);
  assert.ok(g.every((v) => Math.abs(v) <= r) && g.some((v) => Math.abs(v) > 0.99 * r));
});

test('the same seed gives the same weights; another seed does not', () => {
  const a = Network.create([20, 10, 3], { seed: 42 }).params();
  const b = Network.create([20, 10, 3], { seed: 42 }).params();
  const c = Network.create([20, 10, 3], { seed: 43 }).params();
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('bad architectures and names give NablaErrors that say what was expected', () => {
  assert.throws(() => Network.create([784]), (e: unknown) => e instanceof NablaError && /at least N0\/NL/.test(e.message));
  assert.throws(() => Network.create([784, 0, 10]), /N1 = 0 must be a positive integer/);
  assert.throws(() => Network.create([4, 3, 2], { hidden: 'relux' }), /unknown activation 'relux': expected one of identity, sigmoid, tanh, relu, leaky-relu, softplus, swish/);
  assert.throws(() => Network.create([4, 3, 2], { output: 'tanh' }), /unknown output activation 'tanh': expected one of identity, sigmoid, softmax/);
  assert.throws(() => Network.create([4, 3, 2], { cost: 'hinge' }), /unknown cost 'hinge'/);
  const net = Network.create([4, 3, 2]);
  assert.throws(() => net.forward(Matrix.zeros(5, 3)), /input is 5 × 3, expected 5 × 4/);
});

test('float32 js forward/backward agree with the float64 reference on 784/100/10 (relative 1e-4)', () => {
  // float32 rounding (ε = 6e-8) accumulated over dot products of length ≤ 784 stays far below 1e-4
  // of the values' scale; an indexing or fusion error would be of order 1.
  const rng = new Rng(9);
  const m = 32;
  const x = Matrix.zeros(m, 784);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform();
  const t = Matrix.zeros(m, 10);
  for (let i = 0; i < m; i++) t.set(i, rng.int(10), 1);
  for (const hidden of ['relu', 'sigmoid', 'tanh', 'swish'] as const) {
    const net32 = Network.create([784, 100, 10], { hidden, seed: 3, kernels: new JsKernels() });
    const net64 = net32.clone(new ReferenceKernels('float64'));
    const c32 = net32.computeGradients(x, t);
    const c64 = net64.computeGradients(new Matrix(m, 784, Float64Array.from(x.data)), new Matrix(m, 10, Float64Array.from(t.data)));
    assert.ok(Math.abs(c32 - c64) / c64 < 1e-5, `${hidden}: cost ${c32} vs ${c64}`);
    for (let l = 1; l <= 2; l++) {
      const s32 = net32.layerState(l);
      const s64 = net64.layerState(l);
      assert.ok(maxScaledError(s32.a.data, s64.a.data) < 1e-5, `${hidden}: A[${l}]`);
    }
    net32.layers.forEach((layer, i) => {
      const ref = net64.layers[i]!;
      const scale = Math.max(...Array.from(ref.dw, Math.abs));
      const err = Array.from(layer.dw).reduce((w, v, j) => Math.max(w, Math.abs(v - ref.dw[j]!)), 0) / scale;
      assert.ok(err < 1e-4, `${hidden}: ∂W[${i + 1}] relative error ${err}`);
      const bScale = Math.max(...Array.from(ref.db, Math.abs));
      const bErr = Array.from(layer.db).reduce((w, v, j) => Math.max(w, Math.abs(v - ref.db[j]!)), 0) / bScale;
      assert.ok(bErr < 1e-4, `${hidden}: ∂b[${i + 1}] relative error ${bErr}`);
    });
  }
});

test('saturated outputs (logits of ±1000) give finite costs and gradients', async () => {
  const wasm = await WasmKernels.create({ threads: 1, memoryMB: 16 });
  for (const [output, cost, nOut] of [
    ['softmax', 'cross-entropy', 3],
    ['sigmoid', 'binary-cross-entropy', 1],
    ['softmax', 'quadratic', 3],
    ['sigmoid', 'quadratic', 1],
    ['sigmoid', 'binary-cross-entropy', 2],
  ] as const) {
    for (const kernels of [new JsKernels(), new ReferenceKernels(), wasm]) {
      const net = Network.create([2, nOut], { output, cost, kernels });
      // Z = X·Wᵀ + b with W = 0 and b = ±1000: the logits themselves are ±1000.
      const bias = Array.from({ length: nOut }, (_, j) => (j % 2 === 0 ? 1000 : -1000));
      net.setParams([new Array(2 * nOut).fill(0)], [bias]);
      const x = Matrix.from([[1, 2], [3, 4]], kernels.dtype);
      // Targets that disagree with the saturated output: the worst case for log(0).
      const wrong = bias.map((b) => (b > 0 ? 0 : 1));
      const t = Matrix.from([wrong, wrong], kernels.dtype);
      if (nOut === 3) t.data.set([0, 1, 0, 0, 1, 0]); // class 1 has logit −1000, class 0 has +1000
      const c = net.computeGradients(x, t);
      assert.ok(Number.isFinite(c), `${output}+${cost}: cost ${c}`);
      for (const g of net.grads()) assert.ok(g.every(Number.isFinite), `${output}+${cost}: gradient ${Array.from(g)}`);
      if (cost !== 'quadratic') {
        // The fused cost is exact from the logits: the right class 2000 below the top logit costs
        // logsumexp(z) − z_1 = (1000 + ln 2) − (−1000) per sample (softmax over z = (1000, −1000, 1000),
        // two logits tied at the top); a sigmoid output at
        // ±1000 with the opposite target costs softplus(1000) = 1000 per output.
        const want = output === 'softmax' ? 2000 + Math.LN2 : 1000 * nOut;
        assert.ok(Math.abs(c - want) < 1e-6 * want, `${output}+${cost}: cost ${c}, expected ${want}`);
      }
    }
  }
  wasm.dispose();
});

test('softmax + cross-entropy: the cost from the probabilities where every target class has one ≥ 2⁻¹⁰⁰, from the logits elsewhere; float64 log-sum-exp within 1e-6 both ways', async () => {
  const wasm = await WasmKernels.create({ threads: 1, memoryMB: 16 });
  // logits 0, d, −d: the target class 0 has probability 1 / (1 + e^d + e^−d)
  for (const d of [0, 3, 30, 69, 75, 200]) {
    const lse = Math.log(1 + Math.exp(d) + Math.exp(-d));
    for (const kernels of [new JsKernels(), wasm]) {
      const net = Network.create([1, 3], { output: 'softmax', cost: 'cross-entropy', kernels });
      net.setParams([[0, 0, 0]], [[0, d, -d]]);
      const c = net.computeGradients(Matrix.from([[1]], kernels.dtype), Matrix.from([[1, 0, 0]], kernels.dtype));
      // d = 69: ŷ₀ ≈ e^−69 ≈ 2⁻¹⁰⁰·1.2, just above the threshold; d ≥ 75: the logits
      assert.ok(Math.abs(c - lse) <= 1e-6 * lse, `${kernels.name} d=${d}: cost ${c}, log-sum-exp gives ${lse}`);
    }
  }
  wasm.dispose();
});

test('dropout masks hidden units in training passes only, and scales the kept ones by 1/(1 − p)', () => {
  const net = Network.create([6, 50, 2], { hidden: 'relu', seed: 1 });
  const rng = new Rng(2);
  const x = Matrix.zeros(4, 6);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform();
  const plain = Array.from(net.forward(x).data);
  net.setDropout(0.5, new Rng(3));
  assert.deepEqual(Array.from(net.forward(x).data), plain, 'evaluation passes ignore dropout');
  const { x: buf } = net.batchBuffers(4);
  buf.set(x.data);
  net.forwardBatch(4, true);
  assert.notDeepEqual(Array.from(net.layerState(2).a.data), plain, 'training passes drop units');
});

test('an output layer that cannot learn is refused: softmax over one output, cross-entropy on outputs that are not probabilities', () => {
  const refuses = (options: Parameters<typeof Network.create>[1], sizes: number[], pattern: RegExp): void => {
    assert.throws(() => Network.create(sizes, options), (e: unknown) => e instanceof NablaError && e.code === 'ARGUMENT' && pattern.test(e.message));
  };
  // softmax(z) = e^z / e^z = 1 for one output: the cost cannot depend on the weights.
  refuses({ output: 'softmax', cost: 'quadratic' }, [2, 3, 1], /output softmax over 1 output is always 1/);
  // −t·log ŷ with an identity output ŷ < 0 is NaN.
  refuses({ output: 'identity', cost: 'cross-entropy' }, [2, 3, 2], /cost cross-entropy takes the log of the outputs.*not identity/);
  refuses({ output: 'identity', cost: 'binary-cross-entropy' }, [2, 3, 1], /cost binary-cross-entropy takes the log of the outputs/);
  for (const [output, cost, nL] of [['softmax', 'cross-entropy', 2], ['sigmoid', 'binary-cross-entropy', 1], ['sigmoid', 'cross-entropy', 3], ['identity', 'quadratic', 1]] as const) {
    assert.equal(Network.create([2, 3, nL], { output, cost }).architecture, `2/3/${nL}`);
  }
});
