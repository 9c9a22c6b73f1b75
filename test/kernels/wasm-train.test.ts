import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadEmbedded } from '../../src/data/embedded.js';
import { JsKernels } from '../../src/kernels/js.js';
import { ReferenceKernels } from '../../src/kernels/reference.js';
import type { Kernels } from '../../src/kernels/kernels.js';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';
import { Network } from '../../src/nn/network.js';
import { adam } from '../../src/optim/adam.js';
import { evaluate } from '../../src/train/metrics.js';
import { fit } from '../../src/train/fit.js';
import { digitBytes } from '../helpers/digit-bytes.js';

const made: WasmKernels[] = [];
after(() => made.forEach((k) => k.dispose()));

async function train(kernels: Kernels): Promise<{ cost: number; accuracy: number; weights: Float32Array[] }> {
  const digits = loadEmbedded('digits');
  const net = Network.create([64, 32, 10], { hidden: 'relu', output: 'softmax', cost: 'cross-entropy', seed: 1, kernels });
  const { history } = await fit(net, digits, { epochs: 8, batchSize: 32, optimizer: adam({ lr: 1e-2 }), seed: 1 });
  const e = evaluate(net, digits);
  return { cost: history.epochs.at(-1)!.trainCost, accuracy: e.accuracy!, weights: net.params().map((p) => Float32Array.from(p)) };
}

test('a full training run on wasm (1 and 2 threads) and on the reference loops reaches what the js backend reaches, bit-identically across threads', async () => {
  const js = await train(new JsKernels());
  const one = await WasmKernels.create({ threads: 1, memoryMB: 32 });
  const two = await WasmKernels.create({ threads: 2, minWorkPerThread: 1 });
  made.push(one, two);
  const w1 = await train(one);
  const w2 = await train(two);
  assert.ok(js.accuracy > 0.9, `js accuracy ${js.accuracy}`);
  // float32 sums in another order drift apart a little over 450 Adam steps, but the run is the same run
  assert.ok(Math.abs(w1.accuracy - js.accuracy) <= 0.01, `wasm accuracy ${w1.accuracy} vs js ${js.accuracy}`);
  assert.ok(Math.abs(w1.cost - js.cost) <= 0.01 * Math.max(1, js.cost), `wasm final cost ${w1.cost} vs js ${js.cost}`);
  assert.equal(w2.cost, w1.cost);
  // and the naive reference loops (float32 storage, float64 sums) reach the same too
  const ref = await train(new ReferenceKernels('float32'));
  assert.ok(Math.abs(ref.accuracy - js.accuracy) <= 0.01, `reference accuracy ${ref.accuracy} vs js ${js.accuracy}`);
  w1.weights.forEach((w, i) => assert.deepEqual(w2.weights[i], w, `parameter ${i} differs between 1 and 2 threads`));
});

test('training on uint8 images (gathered in wasm, the next batch copied ahead on 2 threads) gives the same weights on 1 and 2 threads and without the read-ahead', async () => {
  const data = digitBytes();
  assert.ok(data.storedU8 && data.scaling, 'IDX images stay uint8, scaled by x/255 as they are gathered');
  const run = async (kernels: Kernels): Promise<Float32Array[]> => {
    const net = Network.create([64, 32, 10], { hidden: 'relu', output: 'softmax', cost: 'cross-entropy', seed: 1, kernels });
    await fit(net, data, { epochs: 3, batchSize: 64, optimizer: adam({ lr: 1e-2 }), seed: 1 });
    return net.params().map((p) => Float32Array.from(p));
  };
  const one = await WasmKernels.create({ threads: 1, memoryMB: 32 });
  const two = await WasmKernels.create({ threads: 2, minWorkPerThread: 1 });
  const noAhead = await WasmKernels.create({ threads: 2, minWorkPerThread: 1 });
  Object.defineProperty(noAhead, 'prefetchRowsU8', { value: undefined });
  made.push(one, two, noAhead);
  let announced = 0;
  const prefetch = two.prefetchRowsU8.bind(two);
  two.prefetchRowsU8 = (...args) => {
    announced++;
    prefetch(...args);
  };
  const w1 = await run(one);
  const w2 = await run(two);
  const w3 = await run(noAhead);
  assert.ok(announced >= 3 * (Math.ceil(data.count / 64) - 1), `fit announced ${announced} batches ahead`);
  w1.forEach((w, i) => {
    assert.deepEqual(w2[i], w, `parameter ${i} differs between 1 and 2 threads`);
    assert.deepEqual(w3[i], w, `parameter ${i} differs with the read-ahead off`);
  });
});
