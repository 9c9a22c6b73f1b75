/**
 * Dropout on the wasm backend: the masks drawn in wasm with the Rng's own generator, the same
 * draws as the TypeScript loop, so the same run and the same generator state for a checkpoint.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEmbedded } from '../../src/data/embedded.js';
import { Network } from '../../src/nn/network.js';
import { adam } from '../../src/optim/adam.js';
import { Rng } from '../../src/tensor/rng.js';
import { fit } from '../../src/train/fit.js';
import { wasmBackend } from '../helpers/wasm-backend.js';

test('dropout on the wasm backend draws its masks in wasm with the Rng\'s own generator: the same masks, outputs, backward pass and generator state as the TypeScript loop', async () => {
  const k = await wasmBackend(1);
  for (const [n, p] of [[1031, 0.5], [7, 0.1], [64, 0.9]] as const) {
    const a = k.alloc(n);
    const rng = new Rng(11);
    for (let i = 0; i < n; i++) a[i] = i % 3 === 0 ? -rng.uniform() : rng.uniform();
    const [mask, out] = [k.alloc(n), k.alloc(n)];
    const keep = 1 / (1 - p);
    const drawn = new Rng(5);
    const loop = new Rng(5);
    const words = new Uint32Array(4);
    for (let round = 0; round < 3; round++) {
      drawn.saveWords(words);
      k.dropoutMask(n, a, mask, out, p, keep, words);
      drawn.loadWords(words);
      for (let i = 0; i < n; i++) {
        const v = loop.uniform() < p ? 0 : keep;
        assert.ok(Object.is(mask[i], Math.fround(v)), `n ${n} p ${p} round ${round}: mask ${i}`);
        assert.ok(Object.is(out[i], Math.fround(a[i]! * v)), `n ${n} p ${p} round ${round}: output ${i}`);
      }
      assert.deepEqual(drawn.getState(), loop.getState(), `n ${n} p ${p} round ${round}: generator state`);
    }
    const d = k.alloc(n);
    d.set(a);
    const want = Float32Array.from(a, (x, i) => x * mask[i]!);
    k.maskMultiply(n, d, mask);
    assert.deepEqual(d, want, `n ${n}: backward multiply`);
  }
});

test('fit with dropout gives the same weights, history and generator state with the masks drawn in wasm as in TypeScript', async () => {
  const run = async (inWasm: boolean): Promise<{ weights: Float32Array[]; costs: number[]; rng: unknown }> => {
    const kernels = await wasmBackend(2);
    if (!inWasm) Object.assign(kernels, { dropoutMask: undefined, maskMultiply: undefined });
    const net = Network.create([64, 32, 16, 10], { hidden: 'relu', seed: 1, kernels });
    const { history, state } = await fit(net, loadEmbedded('digits'), { epochs: 2, batchSize: 16, optimizer: adam({ lr: 1e-2 }), seed: 1, dropout: [0.3, 0.1] });
    return { weights: net.params().map((q) => Float32Array.from(q)), costs: history.epochs.map((e) => e.trainCost), rng: state.rng };
  };
  const wasmDrawn = await run(true);
  const tsDrawn = await run(false);
  assert.deepEqual(wasmDrawn.costs, tsDrawn.costs);
  wasmDrawn.weights.forEach((w, i) => assert.deepEqual(w, tsDrawn.weights[i], `parameter ${i}`));
  assert.deepEqual(wasmDrawn.rng, tsDrawn.rng);
});
