import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTrainingSet } from '../../src/data/check-training-set.js';
import { arrayDataset } from '../../src/data/array-dataset.js';
import { parseCsv } from '../../src/data/csv.js';
import { subsetDataset } from '../../src/data/split.js';
import { NablaError } from '../../src/errors.js';
import { Network } from '../../src/nn/network.js';
import { Rng } from '../../src/tensor/rng.js';
import { fit } from '../../src/train/fit.js';
import { assertNablaError } from './helpers.js';

test('a training set of one class, or of no sample, is refused; two classes and regression pass', () => {
  const one = parseCsv('a,b,label\n1,2,cat\n3,4,cat\n5,6,cat\n', 'pets.csv', { classNames: ['cat', 'dog'] });
  assertNablaError(() => checkTrainingSet(one), 'DATA', "pets.csv: all 3 samples are of class 'cat': a classifier needs samples of at least two classes");
  const binary = arrayDataset([[0], [1]], { labels: [1, 1], task: 'binary' }, 'ones');
  assertNablaError(() => checkTrainingSet(binary), 'DATA', 'ones: all 2 samples are of class 1');
  const both = arrayDataset([[0], [1]], { labels: [0, 1], task: 'binary' }, 'both');
  checkTrainingSet(both);
  checkTrainingSet(arrayDataset([[0], [1]], { targets: [[2], [2]] }, 'constant targets')); // regression: nothing to tell apart
  assertNablaError(() => checkTrainingSet(subsetDataset(both, [], 'nothing')), 'DATA', 'nothing: no samples to train on');
});

test('fit refuses a one-class training set and an empty validation set before any step', async () => {
  const net = Network.create([1, 2, 1], { output: 'sigmoid', cost: 'binary-cross-entropy', seed: 1 });
  const before = net.toRecord().weights.map((w) => Array.from(w));
  const ones = arrayDataset([[0], [1], [2]], { labels: [1, 1, 1], task: 'binary' }, 'ones');
  await assert.rejects(fit(net, ones, { epochs: 1 }), (e: unknown) => e instanceof NablaError && e.code === 'DATA' && /ones: all 3 samples are of class 1/.test(e.message));
  const both = arrayDataset([[0], [1], [2]], { labels: [0, 1, 1], task: 'binary' }, 'both');
  await assert.rejects(fit(net, both, { epochs: 1, validation: subsetDataset(both, [], 'held out') }), (e: unknown) => e instanceof NablaError && /held out: no samples to test on/.test(e.message));
  assert.deepEqual(net.toRecord().weights.map((w) => Array.from(w)), before, 'no step was taken');
  // Dropout acts on hidden layers: a network without one cannot take it.
  const flat = Network.create([1, 1], { output: 'sigmoid', cost: 'binary-cross-entropy', seed: 1 });
  assert.throws(() => flat.setDropout(0.5, new Rng(1)), (e: unknown) => e instanceof NablaError && /dropout rate 0\.5 cannot take effect: 1\/1 has no hidden layer/.test(e.message));
});
