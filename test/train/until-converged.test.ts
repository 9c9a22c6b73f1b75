import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayDataset } from '../../src/data/array-dataset.js';
import { Network } from '../../src/nn/network.js';
import { adam } from '../../src/optim/adam.js';
import { sgd } from '../../src/optim/sgd.js';
import { earlyStopping } from '../../src/train/early-stopping.js';
import { fit } from '../../src/train/fit.js';
import { CONVERGENCE } from '../../src/train/run-setup.js';
import { epochShown } from '../../src/cli/progress.js';

// y = 2x − 1 on 64 points of [−1, 1]: a 1/8/1 tanh network fits it, so its cost keeps falling for a while.
const line = arrayDataset(
  Array.from({ length: 64 }, (_, i) => [-1 + (2 * i) / 63]),
  { targets: Array.from({ length: 64 }, (_, i) => [2 * (-1 + (2 * i) / 63) - 1]) },
  'line',
);
const net = (seed: number) => Network.create([1, 8, 1], { hidden: 'tanh', output: 'identity', cost: 'quadratic', seed });

test('the convergence rule: a flat cost stops after exactly `patience` epochs without a gain over minDelta on the best; a falling one never stops', () => {
  const rule = earlyStopping({ patience: CONVERGENCE.patience, minDelta: CONVERGENCE.minDelta, monitor: 'training' });
  // Flat: epoch 1 improves on ∞ (best), epochs 2..11 are 10 epochs without a decrease → stop at 11.
  const flat = rule.init();
  const stops = Array.from({ length: 20 }, () => rule.update(flat, 0.5).stop);
  assert.equal(stops.indexOf(true) + 1, 1 + CONVERGENCE.patience);
  // Falling by 2e-4 an epoch (more than minDelta 1e-4) for 2,000 epochs: never stops.
  const falling = rule.init();
  assert.ok(Array.from({ length: 2000 }, (_, e) => rule.update(falling, 1 - 2e-4 * e).stop).every((s) => !s));
  // Progress counts against the best so far (Keras's rule): falling 0.9e-5 an epoch gains only 0.9e-4
  // over the 10 epochs after epoch 1, under minDelta → stop at 11; falling 2e-5 an epoch gains 1.2e-4
  // by epoch 7, which is a new best, and so on → no stop.
  const creeping = rule.init();
  assert.equal(Array.from({ length: 20 }, (_, e) => rule.update(creeping, 1 - 0.9e-5 * e).stop).indexOf(true) + 1, 11);
  const slow = rule.init();
  assert.ok(Array.from({ length: 2000 }, (_, e) => rule.update(slow, 1 - 2e-5 * e).stop).every((s) => !s));
});

test('fit without epochs: a flat cost converges (stopReason, message, best weights), a still-falling cost runs to the budget', async () => {
  // lr 1e-9: the weights barely move, the training cost is flat to ~1e-9 → converged after 1 + 10 epochs.
  const flat = await fit(net(1), line, { batchSize: 16, optimizer: sgd({ lr: 1e-9 }) });
  assert.equal(flat.history.stopReason, 'converged');
  assert.equal(flat.history.epochs.length, 1 + CONVERGENCE.patience);
  assert.match(flat.history.stopMessage!, /^converged after 11 epochs: training cost flat for 10 \(no improvement over 0\.0001\); best was epoch 1/);
  assert.equal(flat.history.meta.maxSteps, CONVERGENCE.maxSteps);
  assert.equal(flat.history.meta.epochs, CONVERGENCE.maxSteps / 4, 'the budget in whole epochs: 60,000 steps of 4 batches an epoch');

  // Adam 1e-2 on the line: the cost falls by far more than 1e-4 an epoch for the first hundred epochs,
  // so a budget of 400 steps (100 epochs of 4 batches) is used up without converging.
  const falling = await fit(net(1), line, { batchSize: 16, optimizer: adam({ lr: 1e-2 }), maxSteps: 400 });
  const costs = falling.history.epochs.map((e) => e.trainCost);
  assert.equal(falling.history.stopReason, 'budget');
  assert.equal(costs.length, 100);
  assert.ok(costs[99]! < costs[0]! / 10, `the cost fell: ${costs[0]} → ${costs[99]}`);
  assert.match(falling.history.stopMessage!, /^stopped at the budget of 400 steps \(100 epochs\) before the training cost flattened/);

  // The same run given a validation set watches the validation cost (monitor 'auto').
  const watched = await fit(net(1), line, { batchSize: 16, optimizer: sgd({ lr: 1e-9 }), validation: line });
  assert.match(watched.history.stopMessage!, /validation cost flat for 10/);
});

test('an explicit epochs is honoured exactly, however flat the cost', async () => {
  const { history } = await fit(net(2), line, { epochs: 37, batchSize: 16, optimizer: sgd({ lr: 1e-9 }) });
  assert.equal(history.epochs.length, 37);
  assert.equal(history.stopReason, 'completed');
  assert.equal(history.meta.maxSteps, undefined);
  await assert.rejects(fit(net(2), line, { maxSteps: 0 }), /maxSteps 0: expected a whole number ≥ 1/);
  await assert.rejects(fit(net(2), line, { earlyStopping: { monitor: 'validation' } }), /early stopping monitors the validation cost, but there is no validation data/);
});

test('long runs print epochs 1–10, then every 10th, 100th …; runs of up to 50 epochs print every one', () => {
  const shown = Array.from({ length: 1500 }, (_, i) => i + 1).filter((e) => epochShown(e, 3000));
  assert.deepEqual(shown, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  assert.ok(Array.from({ length: 50 }, (_, i) => epochShown(i + 1, 50)).every(Boolean));
});
