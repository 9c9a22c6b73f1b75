import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayDataset } from '../../src/data/array-dataset.js';
import { applyScaling, fitScaling } from '../../src/data/scaling.js';
import { Network } from '../../src/nn/network.js';
import { finalEvaluation } from '../../src/report/final-evaluation.js';

test('classification: confusion matrix and the misclassified samples with their stored pixels', () => {
  // A 2/2 softmax network with W = I, b = 0 predicts the larger of its two (standardised) inputs.
  // Feature means 6.5 and 4.5, standard deviations √38.75 ≈ 6.22 and √8.75 ≈ 2.96, so the scaled
  // samples are (0.24, −1.52), (−1.04, 1.18), (1.53, −0.17), (−0.72, 0.51): predictions 0, 1, 0, 1.
  const net = Network.create([2, 2], { output: 'softmax', cost: 'cross-entropy' });
  net.setParams([[1, 0, 0, 1]], [[0, 0]]);
  const base = arrayDataset(
    [
      [8, 0],
      [0, 8],
      [16, 4],
      [2, 6],
    ],
    { labels: [0, 1, 1, 0], task: 'classification', classes: 2 },
  );
  const images = { ...base, imageShape: [1, 2] as const };
  const data = applyScaling(images, fitScaling(images, 'standard'));
  const final = finalEvaluation(net, data, { split: 'validation' });
  assert.equal(final.split, 'validation');
  assert.equal(final.count, 4);
  assert.equal(final.accuracy, 0.5);
  // confusion[true][predicted]: true 0 → {0: sample 0, 1: sample 3}; true 1 → {0: sample 2, 1: sample 1}
  assert.deepEqual(final.confusion, [
    [1, 1],
    [1, 1],
  ]);
  assert.deepEqual(final.imageShape, [1, 2]);
  // Pixels are the stored values (before the standard scaling), over one range 0..16 → 0..1.
  assert.deepEqual(final.misclassified, [
    { index: 2, label: 1, predicted: 0, pixels: [1, 0.25] },
    { index: 3, label: 0, predicted: 1, pixels: [0.125, 0.375] },
  ]);
  assert.equal(finalEvaluation(net, data, { maxMisclassified: 1 }).misclassified!.length, 1);
});

test('1-D regression: data points and the fitted curve in the data’s own units', () => {
  // y = 2x′ + 1 on the min–max scaled input x′ = x / 3 (x in 0..3): at x = 0, y = 1; at x = 3, y = 3.
  const net = Network.create([1, 1], { output: 'identity', cost: 'quadratic' });
  net.setParams([[2]], [[1]]);
  const raw = arrayDataset([[0], [1], [2], [3]], { targets: [[1], [1.5], [2.5], [3]] });
  const data = applyScaling(raw, fitScaling(raw, 'minmax'));
  const final = finalEvaluation(net, data, { gridPoints: 4 });
  assert.equal(final.accuracy, undefined);
  assert.equal(final.confusion, undefined);
  const curve = final.curve!;
  assert.deepEqual(curve.x, [0, 1, 2, 3]);
  assert.deepEqual(curve.y, [1, 1.5, 2.5, 3]);
  assert.deepEqual(curve.gridX, [0, 1, 2, 3]);
  curve.gridY.forEach((y, i) => assert.ok(Math.abs(y - (1 + (2 * i) / 3)) < 1e-6, `gridY[${i}] = ${y}`));
  // MSE: predictions 1, 5/3, 7/3, 3 against 1, 1.5, 2.5, 3 → (0 + 1/36 + 1/36 + 0) / 4 = 1/72
  assert.ok(Math.abs(final.mse! - 1 / 72) < 1e-6, `mse ${final.mse}`);
});
