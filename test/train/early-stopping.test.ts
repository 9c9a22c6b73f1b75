import assert from 'node:assert/strict';
import { test } from 'node:test';
import { earlyStopping } from '../../src/train/early-stopping.js';

test('early stopping stops after `patience` epochs without a decrease of more than minDelta', () => {
  const early = earlyStopping({ patience: 3 });
  const s = early.init();
  // 1.0 < ∞ and 0.9 < 1.0 improve (best epoch 2); 0.95, 0.92, 0.91 do not beat 0.9: bad 1, 2, 3 → stop.
  const decisions = [1.0, 0.9, 0.95, 0.92, 0.91].map((x) => early.update(s, x));
  assert.deepEqual(decisions.map((d) => d.improved), [true, true, false, false, false]);
  assert.deepEqual(decisions.map((d) => d.stop), [false, false, false, false, true]);
  assert.deepEqual(s, { best: 0.9, bestEpoch: 2, badEpochs: 3, epochs: 5 });

  // minDelta 0.05: 0.96 is not below 1.0 − 0.05, 0.9 is; a NaN never improves.
  const strict = earlyStopping({ patience: 2, minDelta: 0.05 });
  const t = strict.init();
  assert.deepEqual([1.0, 0.96, 0.9, NaN].map((x) => strict.update(t, x).improved), [true, false, true, false]);
  assert.equal(t.bestEpoch, 3);
  assert.deepEqual(JSON.parse(JSON.stringify(t)), t, 'the state is plain data');
  assert.throws(() => earlyStopping({ patience: 1.5 }), /early stopping patience 1.5: expected an integer ≥ 0/);
});
