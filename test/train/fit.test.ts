import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayDataset } from '../../src/data/array-dataset.js';
import { loadEmbedded } from '../../src/data/embedded.js';
import { applyScaling, fitScaling } from '../../src/data/scaling.js';
import { splitDataset } from '../../src/data/split.js';
import { Network } from '../../src/nn/network.js';
import { adam } from '../../src/optim/adam.js';
import { sgd } from '../../src/optim/sgd.js';
import { BatchOrder } from '../../src/train/batches.js';
import { fit } from '../../src/train/fit.js';
import { evaluate } from '../../src/train/metrics.js';
import { Matrix } from '../../src/tensor/matrix.js';
import { Rng } from '../../src/tensor/rng.js';

test('batches: every sample once per epoch, last batch smaller, reshuffled every epoch', () => {
  // The notes' chunker example: 32 samples in batches of 12 → 12, 12, 8.
  const order = new BatchOrder(32, 12, new Rng(1));
  const epochs: number[][] = [];
  for (let e = 0; e < 3; e++) {
    order.newEpoch();
    assert.deepEqual(Array.from({ length: order.count }, (_, b) => order.batch(b).length), [12, 12, 8]);
    const all = Array.from({ length: order.count }, (_, b) => Array.from(order.batch(b))).flat();
    assert.deepEqual([...all].sort((a, b) => a - b), Array.from({ length: 32 }, (_, i) => i));
    epochs.push(all);
  }
  assert.notDeepEqual(epochs[0], epochs[1]);
  const kept = new BatchOrder(5, 2, null);
  kept.newEpoch();
  assert.deepEqual([0, 1, 2].map((b) => Array.from(kept.batch(b))), [[0, 1], [2, 3], [4]]);
  const online = new BatchOrder(7, 1, new Rng(2));
  assert.equal(online.count, 7);
  const full = new BatchOrder(7, 100, new Rng(2));
  assert.equal(full.count, 1);
  assert.equal(full.batch(0).length, 7);
  assert.throws(() => new BatchOrder(7, 0, null), /batch size 0: expected a positive integer/);
  assert.throws(() => new BatchOrder(7, -3, null), /batch size -3/);
});

const xor = arrayDataset([[0, 0], [0, 1], [1, 0], [1, 1]], { labels: [0, 1, 1, 0], task: 'binary' }, 'xor');

test('XOR is learned by a 2/3/1 network', async () => {
  // (Small XOR nets have local minima — with tanh, seeds 1 and 2 stall with one point wrong.)
  const net = Network.create([2, 3, 1], { hidden: 'sigmoid', seed: 1 });
  const { history } = await fit(net, xor, { epochs: 1000, batchSize: 4, optimizer: adam({ lr: 0.05 }), seed: 1 });
  const e = evaluate(net, xor);
  assert.equal(e.accuracy, 1, `XOR predictions ${Array.from(e.predictions!)}`);
  assert.ok(e.cost < 0.05, `final cost ${e.cost}`);
  assert.ok(history.epochs[0]!.trainCost > 10 * e.cost);
});

test('a 1/16/1 tanh network fits sin x on [−π, π]', async () => {
  const xs = Array.from({ length: 200 }, (_, i) => -Math.PI + (2 * Math.PI * i) / 199);
  const data = arrayDataset(xs.map((x) => [x]), { targets: xs.map((x) => [Math.sin(x)]) }, 'sin');
  const net = Network.create([1, 16, 1], { hidden: 'tanh', output: 'identity', cost: 'quadratic', seed: 3 });
  const { history } = await fit(net, data, { epochs: 300, batchSize: 20, optimizer: adam({ lr: 0.01 }) });
  const last = history.epochs.at(-1)!;
  const e = evaluate(net, data);
  // sin has variance 1/2 on the interval: an MSE of 1e-3 explains 99.8% of it.
  assert.ok(e.mse! < 1e-3, `MSE ${e.mse}`);
  assert.ok(last.trainMse! < 2e-3);
  const y = net.predict(Matrix.from([[Math.PI / 2]]));
  assert.ok(Math.abs(y.get(0, 0) - 1) < 0.1, `sin(π/2) ≈ ${y.get(0, 0)}`);
});

async function trainDigitsOnce(seed: number): Promise<Float32Array[]> {
  const digits = loadEmbedded('digits');
  const { train } = splitDataset(digits, 0.2, 1);
  const net = Network.create([64, 16, 10], { hidden: 'relu', seed });
  await fit(net, applyScaling(train, fitScaling(train, 'minmax')), { epochs: 2, batchSize: 32, optimizer: adam(), seed, dropout: 0.1 });
  return net.params().map((p) => Float32Array.from(p));
}

test('the same seed gives bit-identical weights after training; another seed does not', async () => {
  const a = await trainDigitsOnce(5);
  const b = await trainDigitsOnce(5);
  const c = await trainDigitsOnce(6);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('digits: a 64/30/10 network reaches ≥ 0.96 accuracy on a fixed held-out fifth', async () => {
  const digits = loadEmbedded('digits');
  const { train, test: held } = splitDataset(digits, 0.2, 1);
  assert.equal(held.count, 359);
  const scaling = fitScaling(train, 'standard');
  const net = Network.create([64, 30, 10], { hidden: 'tanh', seed: 1 });
  const { history } = await fit(net, applyScaling(train, scaling), {
    epochs: 100,
    batchSize: 32,
    optimizer: adam({ lr: 1e-3 }),
    validation: applyScaling(held, scaling),
  });
  const e = evaluate(net, applyScaling(held, scaling));
  assert.ok(e.accuracy! >= 0.96, `accuracy ${e.accuracy}`);
  assert.equal(history.epochs.at(-1)!.valCorrect, e.correct);
  const cells = e.confusion!.flat().reduce((s, v) => s + v, 0);
  assert.equal(cells, 359);
});

test('the vanishing gradient is visible: in a 10-layer sigmoid network W[1] gets orders of magnitude less gradient than W[10]', async () => {
  const digits = loadEmbedded('digits');
  const data = applyScaling(digits, fitScaling(digits, 'minmax'));
  const sizes = [64, 32, 32, 32, 32, 32, 32, 32, 32, 32, 10];
  const sigmoidNet = Network.create(sizes, { hidden: 'sigmoid', seed: 1 });
  const { history } = await fit(sigmoidNet, data, { epochs: 1, batchSize: 32, optimizer: sgd({ lr: 0.1 }) });
  const norms = history.epochs[0]!.gradNorms;
  assert.equal(norms.length, 10);
  const ratio = norms[0]! / norms[9]!;
  // Each sigmoid layer multiplies Δ by σ′ ≤ 1/4 (and by W, of norm ≈ 1 with Glorot's init): nine
  // hidden layers shrink it by far more than 100×.
  assert.ok(ratio < 1e-2, `‖∂C/∂W[1]‖ / ‖∂C/∂W[10]‖ = ${ratio.toExponential(2)}`);
  // The same depth with ReLU and He's init does not vanish like that.
  const reluNet = Network.create(sizes, { hidden: 'relu', seed: 1 });
  const relu = await fit(reluNet, data, { epochs: 1, batchSize: 32, optimizer: sgd({ lr: 0.01 }) });
  const reluNorms = relu.history.epochs[0]!.gradNorms;
  assert.ok(reluNorms[0]! / reluNorms[9]! > 100 * ratio, `ReLU ratio ${(reluNorms[0]! / reluNorms[9]!).toExponential(2)}`);
});

test('a diverging run stops with a clear message and keeps finite weights', async () => {
  const xs = Array.from({ length: 64 }, (_, i) => [i, 2 * i]);
  const data = arrayDataset(xs, { targets: xs.map(([a]) => [a! * 100]) }, 'ramp');
  const net = Network.create([2, 8, 1], { hidden: 'relu', output: 'identity', cost: 'quadratic', seed: 1 });
  const { history } = await fit(net, data, { epochs: 50, batchSize: 8, optimizer: sgd({ lr: 10 }) });
  assert.equal(history.stopReason, 'non-finite');
  assert.match(history.stopMessage!, /training stopped at epoch \d+, batch \d+ of 8: (the cost became (NaN|Infinity)|a gradient became NaN or infinite)/);
  for (const p of net.params()) assert.ok(p.every(Number.isFinite));
});

test('early stopping stops on a validation plateau and restores the best weights', async () => {
  const digits = loadEmbedded('digits');
  const { train, test: val } = splitDataset(digits, 0.2, 1);
  const small = splitDataset(train, 0.9, 2).test; // a tenth of the training set: overfits fast
  const scaling = fitScaling(small, 'minmax');
  const net = Network.create([64, 64, 10], { hidden: 'relu', seed: 1 });
  const valScaled = applyScaling(val, scaling);
  const { history } = await fit(net, applyScaling(small, scaling), {
    epochs: 300,
    batchSize: 16,
    optimizer: adam({ lr: 1e-2 }),
    validation: valScaled,
    earlyStopping: { patience: 5 },
  });
  assert.equal(history.stopReason, 'early-stopping');
  const best = history.epochs[history.bestEpoch! - 1]!;
  assert.equal(history.epochs.length, history.bestEpoch! + 5);
  assert.ok(Math.abs(evaluate(net, valScaled).cost - best.valCost!) < 1e-9, 'the restored weights give the best validation cost');
});

test('gradient clipping by global norm bounds the update', async () => {
  // With SGD (lr γ) one update moves θ by γ·g; clipped to ‖g‖ ≤ c the move is at most γc.
  const xs = Array.from({ length: 16 }, (_, i) => [i, -i]);
  const data = arrayDataset(xs, { targets: xs.map(([a]) => [a! * 10]) }, 'ramp');
  const net = Network.create([2, 4, 1], { hidden: 'relu', output: 'identity', cost: 'quadratic', seed: 1 });
  const before = net.params().map((p) => Float64Array.from(p));
  await fit(net, data, { epochs: 1, batchSize: 16, optimizer: sgd({ lr: 0.5 }), clipNorm: 0.1 });
  let moved = 0;
  net.params().forEach((p, i) => p.forEach((v, j) => (moved += (v - before[i]![j]!) ** 2)));
  assert.ok(Math.sqrt(moved) <= 0.5 * 0.1 * (1 + 1e-5), `moved ${Math.sqrt(moved)}`);
  assert.ok(Math.sqrt(moved) > 0.5 * 0.1 * 0.99, 'the raw gradient is far above the bound, so the move is exactly γc');
});

test('fit rejects data that does not fit the network, naming both', async () => {
  const net = Network.create([3, 4, 2]);
  await assert.rejects(fit(net, xor, { epochs: 1 }), /training data xor has 2 inputs per sample, but the network 3\/4\/2 expects N0 = 3/);
  const net2 = Network.create([2, 4, 3]);
  await assert.rejects(fit(net2, xor, { epochs: 1 }), /has 1 targets per sample \(binary\), but the network 2\/4\/3 has NL = 3 outputs/);
});

test('callbacks run after every batch and epoch and can stop training; reduce-on-plateau lowers the rate', async () => {
  const digits = loadEmbedded('digits');
  const { train, test: val } = splitDataset(digits, 0.2, 1);
  const scaling = fitScaling(train, 'standard');
  const net = Network.create([64, 16, 10], { seed: 1 });
  let batches = 0;
  const epochsSeen: number[] = [];
  const { history } = await fit(net, applyScaling(train, scaling), {
    epochs: 10,
    batchSize: 100, // 1,438 samples → 15 batches an epoch, the last of 38
    optimizer: adam({ lr: 1e-2 }),
    onBatchEnd: (info) => {
      batches++;
      assert.equal(info.batches, 15);
      assert.equal(info.rows, info.batch === 14 ? 38 : 100);
    },
    onEpochEnd: (record) => {
      epochsSeen.push(record.epoch);
      return record.epoch < 3;
    },
  });
  assert.equal(batches, 45);
  assert.deepEqual(epochsSeen, [1, 2, 3]);
  assert.equal(history.stopReason, 'callback');

  // A validation cost that cannot keep improving at lr 0.05 on a tiny network: the multiplier halves.
  const net2 = Network.create([64, 4, 10], { seed: 1 });
  const run = await fit(net2, applyScaling(train, scaling), {
    epochs: 30,
    batchSize: 32,
    optimizer: adam({ lr: 0.05 }),
    validation: applyScaling(val, scaling),
    reduceOnPlateau: { patience: 1, factor: 0.5 },
  });
  const lrs = run.history.epochs.map((e) => e.lr);
  assert.equal(lrs[0], 0.05);
  assert.ok(lrs.at(-1)! < 0.05 * 0.5 + 1e-12, `learning rates ${lrs.join(', ')}`);
  for (let i = 1; i < lrs.length; i++) {
    const ratio = lrs[i]! / lrs[i - 1]!;
    assert.ok(Math.abs(ratio - 1) < 1e-12 || Math.abs(ratio - 0.5) < 1e-12, `each change is a halving: ${lrs.join(', ')}`);
  }
});
