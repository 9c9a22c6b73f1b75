import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayDataset } from '../../src/data/array-dataset.js';
import { applyScaling, fitScaling, scalingFromJson, scalingToJson } from '../../src/data/scaling.js';
import { splitDataset } from '../../src/data/split.js';
import { loadEmbedded } from '../../src/data/embedded.js';
import { assertNablaError, gatherAll } from './helpers.js';

// Column 0: 1, 3, 5 (min 1, max 5, mean 3, population variance (4 + 0 + 4)/3 = 8/3); column 1: constant 4.
const ds = arrayDataset(
  [
    [1, 4],
    [3, 4],
    [5, 4],
  ],
  { labels: [0, 1, 0], task: 'binary' },
);

test('minmax maps each feature to [0, 1]; a constant feature gets scale 1, not NaN', () => {
  const s = fitScaling(ds, 'minmax');
  assert.deepEqual(Array.from(s.shift), [1, 4]);
  assert.deepEqual(Array.from(s.scale), [0.25, 1]);
  assert.deepEqual(gatherAll(applyScaling(ds, s)), [
    [0, 0],
    [0.5, 0],
    [1, 0],
  ]);
});

test('standard gives mean 0 and population std 1; a constant feature gets scale 1', () => {
  const s = fitScaling(ds, 'standard');
  assert.deepEqual(Array.from(s.shift), [3, 4]);
  assert.equal(s.scale[0], Math.fround(1 / Math.sqrt(8 / 3)));
  assert.equal(s.scale[1], 1);
  const rows = gatherAll(applyScaling(ds, s));
  assert.ok(Math.abs(rows[0]![0]! + Math.sqrt(3 / 2)) < 1e-6); // (1 − 3)/√(8/3) = −√(3/2)
  assert.equal(rows[1]![0], 0);
  assert.ok(rows.every((r) => r[1] === 0 && r.every(Number.isFinite)));
});

test('scaling is fitted on the training split only and applied to the test split as fitted', () => {
  const digits = loadEmbedded('digits');
  const { train, test: t } = splitDataset(digits, 0.25, 3);
  const s = fitScaling(train, 'standard');
  const scaledTrain = gatherAll(applyScaling(train, s));
  // mean over the training split ≈ 0 for every feature that varies there
  for (let j = 0; j < 64; j++) {
    const mean = scaledTrain.reduce((a, r) => a + r[j]!, 0) / train.count;
    assert.ok(Math.abs(mean) < 1e-5, `feature ${j} mean ${mean}`);
  }
  // the test split uses the training split's numbers: (x − shift)·scale on its stored values
  const raw = gatherAll(t);
  const scaled = gatherAll(applyScaling(t, s));
  assert.ok(Math.abs(scaled[5]![20]! - (raw[5]![20]! - s.shift[20]!) * s.scale[20]!) < 1e-9);
  assert.ok(scaled.flat().every(Number.isFinite));
  assertNablaError(() => fitScaling(train, 'zscore'), 'UNKNOWN_NAME', "unknown scaling 'zscore'", 'none, minmax, standard');
  assertNablaError(() => applyScaling(ds, s), 'SHAPE', 'the input scaling has 64 features, the data has 2');
});

test('a scaling survives JSON exactly; a bad one is refused', () => {
  const s = fitScaling(loadEmbedded('iris'), 'standard');
  const back = scalingFromJson(JSON.parse(JSON.stringify(scalingToJson(s))), 4, 'm.safetensors');
  assert.equal(back.kind, 'standard');
  assert.deepEqual(back.shift, s.shift);
  assert.deepEqual(back.scale, s.scale);
  assertNablaError(() => scalingFromJson({ kind: 'standard', shift: [0], scale: [1] }, 4, 'm.safetensors'), 'FORMAT', 'm.safetensors', "'shift' has 1 values, expected 4");
  assertNablaError(() => scalingFromJson({ kind: 'log', shift: [], scale: [] }, 0, 'm.safetensors'), 'FORMAT', 'kind "log"');
});
