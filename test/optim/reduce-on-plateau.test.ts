import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { NablaError } from '../../src/errors.js';
import { reduceOnPlateau, type PlateauOptions } from '../../src/optim/index.js';

test('reduce-on-plateau halves the rate after more than `patience` epochs without improvement', () => {
  const plateau = reduceOnPlateau({ patience: 2, factor: 0.5 });
  const state = plateau.init();
  // epoch 1: 1.0 < ∞ → best 1.0; epoch 2: 0.9 < 1.0·(1 − 1e-4) → best 0.9;
  // epochs 3, 4, 5: 0.95, 0.91, 0.92 are not below 0.9·0.9999 = 0.89991 → bad = 1, 2, 3;
  // at bad = 3 > patience 2 the multiplier halves and bad resets; epoch 6: 0.8 → best.
  const scales = [1.0, 0.9, 0.95, 0.91, 0.92, 0.8].map((x) => plateau.update(state, x));
  assert.deepEqual(scales, [1, 1, 1, 1, 0.5, 0.5]);
  assert.equal(state.best, 0.8);
  assert.equal(state.epochs, 6);
});

test('reduce-on-plateau: cooldown, minLr and a NaN metric', () => {
  // patience 0, cooldown 1: every non-improving epoch outside cooldown reduces; the epoch after a
  // reduction is cooldown (its bad epoch is forgotten).
  const p = reduceOnPlateau({ patience: 0, factor: 0.5, cooldown: 1 });
  const s = p.init();
  // 1 → best; 2: bad 1 > 0 → 0.5, cooldown 1; 2: bad, cooldown → 0, bad reset; 2: bad 1 → 0.25
  assert.deepEqual([1, 2, 2, 2].map((x) => p.update(s, x)), [1, 0.5, 0.5, 0.25]);
  // minLr 0.02 with baseLr 0.1: 0.1 → 0.05 → 0.025 → 0.02 (floored: scale 0.02/0.1 = 0.2, to rounding) → stays
  const floor = reduceOnPlateau({ patience: 0, factor: 0.5, minLr: 0.02, baseLr: 0.1 });
  const fs = floor.init();
  const floored = [1, 1, 1, 1, 1].map((x) => floor.update(fs, x));
  assert.deepEqual(floored.map((x) => +x.toPrecision(12)), [1, 0.5, 0.25, 0.2, 0.2]);
  // a NaN is never an improvement
  const n = reduceOnPlateau({ patience: 0, factor: 0.5 });
  const ns = n.init();
  assert.deepEqual([1, NaN].map((x) => n.update(ns, x)), [1, 0.5]);
});

test('reduce-on-plateau rejects bad options', () => {
  const bad = (o: PlateauOptions, pattern: RegExp): void =>
    assert.throws(() => reduceOnPlateau(o), (e: unknown) => e instanceof NablaError && e.code === 'ARGUMENT' && pattern.test(e.message));
  bad({ factor: 1 }, /factor 1: expected a finite number in \(0, 1\)/);
  bad({ patience: -1 }, /patience -1/);
  bad({ patience: 1.5 }, /patience 1.5: expected an integer/);
  bad({ mode: 'up' as 'min' }, /mode 'up': expected 'min' or 'max'/);
  bad({ thresholdMode: 'pct' as 'rel' }, /thresholdMode 'pct'/);
});

interface PlateauFixture {
  options: PlateauOptions;
  metrics: number[];
  lr: number[];
}

test('reduce-on-plateau matches torch.optim.lr_scheduler.ReduceLROnPlateau on the golden sequences', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch/optim-golden.json', import.meta.url), 'utf8')) as {
    plateaus: PlateauFixture[];
  };
  assert.ok(fixture.plateaus.length >= 6);
  for (const { options, metrics, lr } of fixture.plateaus) {
    const plateau = reduceOnPlateau(options);
    const state = plateau.init();
    const baseLr = options.baseLr ?? 1;
    metrics.forEach((m, epoch) => {
      const ours = baseLr * plateau.update(state, m);
      // PyTorch multiplies the lr itself; we multiply a scale: equal to rounding (relative 1e-12).
      assert.ok(
        Math.abs(ours - lr[epoch]!) <= 1e-12 * lr[epoch]!,
        `${JSON.stringify(options)} epoch ${epoch + 1}: lr ${ours}, PyTorch ${lr[epoch]}`,
      );
    });
  }
});
