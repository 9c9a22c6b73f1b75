import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEmbedded } from '../../src/data/embedded.js';
import { loadDataset } from '../../src/data/load.js';
import { splitDataset, subsetDataset } from '../../src/data/split.js';
import { applyScaling, fitScaling } from '../../src/data/scaling.js';
import { assertNablaError, gatherAll } from './helpers.js';

/** Samples per class of a labelled data set. */
function classCounts(labels: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const l of labels) counts[l]!++;
  return counts;
}

test('digits: 1,797 images of 8 × 8 pixels 0..16 in 10 classes, as in the file', () => {
  const { train, test: t } = loadDataset('digits');
  assert.equal(t, null);
  assert.equal(train.count, 1797);
  assert.equal(train.inputSize, 64);
  assert.equal(train.outputSize, 10);
  assert.deepEqual(train.imageShape, [8, 8]);
  assert.equal(train.task, 'classification');
  // truth from awk over data/digits.csv.gz: per-class counts, the first and last rows
  assert.deepEqual(classCounts(train.labels!, 10), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  const rows = gatherAll(train);
  assert.deepEqual(rows[0]!.slice(0, 8), [0, 0, 5, 13, 9, 1, 0, 0]);
  assert.deepEqual(rows[1796]!.slice(0, 8), [0, 0, 10, 14, 8, 1, 0, 0]);
  assert.equal(train.labels![1796], 8);
  assert.equal(Math.max(...rows.flat()), 16);
});

test('breast-cancer is binary with named classes and iris has 3; unknown names list the valid ones', () => {
  const bc = loadEmbedded('breast-cancer');
  assert.equal(bc.task, 'binary');
  assert.equal(bc.outputSize, 1);
  assert.deepEqual(classCounts(bc.labels!, 2), [212, 357]);
  const iris = loadEmbedded('iris');
  assert.deepEqual(classCounts(iris.labels!, 3), [50, 50, 50]);
  assertNablaError(() => loadDataset('digitz'), 'FILE', "unknown data set 'digitz'", 'digits, breast-cancer, iris, fashion-mnist, mnist');
});

test('splitDataset: seeded, stratified, disjoint, in file order', () => {
  const ds = loadEmbedded('iris');
  const a = splitDataset(ds, 0.2, 7);
  const b = splitDataset(ds, 0.2, 7);
  const c = splitDataset(ds, 0.2, 8);
  assert.equal(a.train.count, 120);
  assert.equal(a.test.count, 30);
  assert.deepEqual(classCounts(a.test.labels!, 3), [10, 10, 10]); // 20 % of 50 per class
  assert.deepEqual(gatherAll(a.test), gatherAll(b.test));
  assert.notDeepEqual(gatherAll(a.test), gatherAll(c.test));
  // disjoint, and together every row once: compare the rows as text (iris has a few duplicate rows, so compare multisets)
  const key = (r: number[]): string => r.join(',');
  const all = gatherAll(ds).map(key).sort();
  assert.deepEqual([...gatherAll(a.train), ...gatherAll(a.test)].map(key).sort(), all);
  // digits: 359 = round(0.2 · 1797) held out, each class within one sample of 20 %
  const digits = loadEmbedded('digits');
  const d = splitDataset(digits, 0.2, 1);
  assert.equal(d.test.count, 359);
  const perClass = classCounts(d.test.labels!, 10);
  classCounts(digits.labels!, 10).forEach((n, k) => assert.ok(Math.abs(perClass[k]! - 0.2 * n) <= 1, `class ${k}`));
  // targets follow their inputs through the subset
  const rows = gatherAll(d.test, 'targets');
  rows.forEach((r, i) => assert.equal(r.indexOf(1), d.test.labels![i]));
});

test('splitDataset without shuffling holds out the last rows; fraction 0 trains on every row in file order', () => {
  const ds = loadEmbedded('iris');
  const { train, test: t } = splitDataset(ds, 0.1, 1, { shuffle: false });
  assert.deepEqual(gatherAll(train), gatherAll(ds).slice(0, 135));
  assert.deepEqual(gatherAll(t), gatherAll(ds).slice(135));
  const all = splitDataset(ds, 0, 1, { shuffle: false });
  assert.equal(all.test.count, 0);
  assert.deepEqual(gatherAll(all.train), gatherAll(ds));
  assertNablaError(() => splitDataset(ds, 1, 1), 'ARGUMENT', 'split fraction 1');
});

test('a subset of a scaled data set stays scaled, from the stored values', () => {
  const digits = loadEmbedded('digits');
  const scaled = applyScaling(digits, fitScaling(digits, 'minmax'));
  const sub = subsetDataset(scaled, [1796, 0]);
  // row 0 begins 0,0,5,13,9,1,0,0; columns 2..5 range over 0..16 in the file (awk), so minmax divides them by 16
  assert.deepEqual(gatherAll(sub)[1]!.slice(0, 8), [0, 0, 5 / 16, 13 / 16, 9 / 16, 1 / 16, 0, 0]);
  assert.equal(sub.unscaled!.count, 2);
});
