/**
 * Gradient norms measured by the update (fit with plain SGD on the wasm backend): a layer whose ∂W
 * is certainly finite (Network.gradientBounded) has ‖∂W‖² taken in the update's pass over ∂W
 * instead of a pass of its own — the same bits of history and weights as measuring first, and the
 * same stop, at the same batch, when a gradient does overflow.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayDataset } from '../../src/data/array-dataset.js';
import { loadEmbedded } from '../../src/data/embedded.js';
import { NablaError } from '../../src/errors.js';
import type { Kernels } from '../../src/kernels/kernels.js';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';
import { Network } from '../../src/nn/network.js';
import { adam } from '../../src/optim/adam.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import { sgd } from '../../src/optim/sgd.js';
import { chain, clipByGlobalNorm } from '../../src/optim/transform.js';
import { fit } from '../../src/train/fit.js';
import { digitBytes } from '../helpers/digit-bytes.js';
import { wasmBackend } from '../helpers/wasm-backend.js';


/** The same optimizer without the ability to measure in its step: fit measures in the ∂W pass. */
function measuringFirst(opt: Optimizer): Optimizer {
  return { ...opt, measuresInStep: undefined };
}

/** Counts the backend's measured updates. */
function countMeasured(k: WasmKernels): { calls: number } {
  const count = { calls: 0 };
  const original = k.sgdUpdateMeasured.bind(k);
  k.sgdUpdateMeasured = (...args) => (count.calls++, original(...args));
  return count;
}

test('fit with plain SGD measures ‖∂W‖² in the update: the same gradient norms, costs and weights, bit for bit, as measuring first (1 and 2 threads, float and byte inputs)', async () => {
  for (const [data, hidden] of [[digitBytes(), 'sigmoid'], [loadEmbedded('digits'), 'relu']] as const) {
    for (const threads of [1, 2]) {
      const run = async (optimizer: Optimizer): Promise<{ norms: number[][]; costs: number[]; weights: Float32Array[]; measured: number }> => {
        const kernels = await wasmBackend(threads);
        const count = countMeasured(kernels);
        const net = Network.create([64, 30, 10], { hidden, output: 'sigmoid', cost: 'quadratic', seed: 1, kernels });
        const { history } = await fit(net, data, { epochs: 2, batchSize: 10, optimizer, seed: 1 });
        return { norms: history.epochs.map((e) => e.gradNorms), costs: history.epochs.map((e) => e.trainCost), weights: net.params().map((p) => Float32Array.from(p)), measured: count.calls };
      };
      const inUpdate = await run(sgd({ lr: 3 }));
      const first = await run(measuringFirst(sgd({ lr: 3 })));
      const what = `${data.name}, ${threads} thread(s)`;
      assert.ok(inUpdate.measured >= 2 * 2 * 180, `${what}: both layers measured in the update (${inUpdate.measured} calls)`);
      assert.equal(first.measured, 0, `${what}: measured first`);
      inUpdate.norms.flat().forEach((v, i) => assert.ok(Object.is(v, first.norms.flat()[i]), `${what}: gradient norm ${i}: ${v} vs ${first.norms.flat()[i]}`));
      assert.deepEqual(inUpdate.costs, first.costs, what);
      inUpdate.weights.forEach((w, i) => assert.deepEqual(w, first.weights[i], `${what}: parameter ${i}`));
    }
  }
});

test('a gradient that overflows is still caught before the update: the same stop, batch and kept weights as measuring first', async () => {
  // Huge inputs: the first batches' gradients grow until ∂W overflows float32 while the cost may still be finite.
  const xs = Array.from({ length: 64 }, (_, i) => [i * 1e17, 2e17 * i]);
  const data = arrayDataset(xs, { targets: xs.map(([a]) => [a! * 1e3]) }, 'ramp');
  const run = async (optimizer: Optimizer): Promise<{ message: string; weights: Float32Array[] }> => {
    const kernels = await wasmBackend(1);
    const net = Network.create([2, 8, 1], { hidden: 'relu', output: 'identity', cost: 'quadratic', seed: 1, kernels });
    const { history } = await fit(net, data, { epochs: 20, batchSize: 8, optimizer, seed: 1 });
    assert.equal(history.stopReason, 'non-finite');
    for (const p of net.params()) assert.ok(p.every(Number.isFinite), 'finite weights kept');
    return { message: history.stopMessage!, weights: net.params().map((p) => Float32Array.from(p)) };
  };
  const inUpdate = await run(sgd({ lr: 1e-3 }));
  const first = await run(measuringFirst(sgd({ lr: 1e-3 })));
  assert.equal(inUpdate.message, first.message);
  inUpdate.weights.forEach((w, i) => assert.deepEqual(w, first.weights[i], `parameter ${i}`));
});

test('Network.gradientBounded: true for ordinary Δ and inputs; false once Δ holds a NaN, an infinity, or values whose products could overflow', async () => {
  const kernels = await wasmBackend(1);
  const net = Network.create([4, 3, 2], { hidden: 'tanh', output: 'identity', cost: 'quadratic', seed: 1, kernels });
  const { x, t } = net.batchBuffers(5);
  x.set(Array.from({ length: 20 }, (_, i) => Math.sin(i)));
  t.set(Array.from({ length: 10 }, (_, i) => Math.cos(i)));
  net.forwardBatch(5, true);
  net.backwardBatch();
  assert.equal(net.gradientBounded(1), true);
  assert.equal(net.gradientBounded(2), true);
  const delta = net.layerState(2).delta.data;
  const keep = delta[3]!;
  for (const [v, want] of [[NaN, false], [Infinity, false], [1e38, false], [1e30, true]] as const) {
    delta[3] = v;
    assert.equal(net.gradientBounded(2), want, `Δ value ${v}: 5 rows × ${v} × max(max|A|, 1) against 2¹²⁶ ≈ 8.5e37`);
  }
  delta[3] = keep;
  // the input of layer 1: a bound given instead of measured, and a measured NaN
  assert.equal(net.gradientBounded(1, 1e45), false, 'a huge input bound');
  assert.equal(net.gradientBounded(1, 2), true, 'a modest input bound');
  x[7] = NaN;
  assert.equal(net.gradientBounded(1), false, 'a NaN input');
  assert.equal(net.gradientBounded(3), false, 'no layer 3');
});

test('which optimizers measure in their step: plain SGD on a backend with the kernel; not with momentum, weight decay, clipping, Adam, or the js backend', async () => {
  const kernels = await wasmBackend(1);
  assert.equal(sgd({ lr: 0.1 }).measuresInStep?.(kernels), true);
  assert.equal(sgd({ lr: 0.1, momentum: 0.9 }).measuresInStep?.(kernels), false);
  assert.equal(sgd({ lr: 0.1, weightDecay: 1e-4 }).measuresInStep, undefined);
  assert.equal(chain([clipByGlobalNorm(1)], sgd({ lr: 0.1 })).measuresInStep, undefined);
  assert.equal(adam().measuresInStep, undefined);
  const { JsKernels } = await import('../../src/kernels/js.js');
  assert.equal(sgd({ lr: 0.1 }).measuresInStep?.(new JsKernels() as Kernels), false);
  // asked to measure where it cannot, a step says so instead of skipping the measurement
  const opt = sgd({ lr: 0.1, momentum: 0.9 });
  const params = [kernels.alloc(6)];
  const grads = [kernels.alloc(6)];
  const state = opt.init(params, kernels);
  assert.throws(
    () => opt.step(params, grads, state, 1, kernels, { squares: Float64Array.of(-1), rows: [2] }),
    (e: unknown) => e instanceof NablaError && /cannot measure gradient norms in its update/.test(e.message),
  );
  // and rows that cannot divide the array are named, not read as a wrong matrix
  const plain = sgd({ lr: 0.1 });
  assert.throws(
    () => plain.step(params, grads, plain.init(params, kernels), 1, kernels, { squares: Float64Array.of(-1), rows: [4] }),
    (e: unknown) => e instanceof NablaError && e.code === 'SHAPE' && /parameter 0 has 6 values, which 4 rows cannot hold/.test(e.message),
  );
});
