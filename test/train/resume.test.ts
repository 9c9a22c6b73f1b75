import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEmbedded } from '../../src/data/embedded.js';
import { applyScaling, fitScaling } from '../../src/data/scaling.js';
import { splitDataset } from '../../src/data/split.js';
import { NablaError } from '../../src/errors.js';
import { Network } from '../../src/nn/network.js';
import { adam } from '../../src/optim/adam.js';
import { parseSchedule } from '../../src/optim/parse-schedule.js';
import { fit, type FitOptions } from '../../src/train/fit.js';
import type { History } from '../../src/train/history.js';
import type { TrainingState } from '../../src/train/training-state.js';

const digits = loadEmbedded('digits');
const { train: rawTrain, test: rawVal } = splitDataset(digits, 0.2, 1);
const scaling = fitScaling(rawTrain, 'minmax');
const train = applyScaling(rawTrain, scaling);
const validation = applyScaling(rawVal, scaling);

/** Dropout, a schedule, clipping, reduce-on-plateau and early stopping: every piece of state a run has. */
function options(extra: Partial<FitOptions> = {}): FitOptions {
  return {
    epochs: 10,
    batchSize: 100, // 1,438 samples: 15 batches an epoch, the last of 38
    optimizer: adam({ lr: parseSchedule('warmup:10+cosine:100', 0.1) }),
    validation,
    dropout: 0.2,
    clipNorm: 2,
    reduceOnPlateau: { patience: 0, factor: 0.5 },
    earlyStopping: { patience: 2 },
    seed: 3,
    ...extra,
  };
}

/** The history without its wall-clock fields. */
function timeless(h: History): unknown {
  return JSON.parse(JSON.stringify(h, (key, value: unknown) => (['seconds', 'totalSeconds', 'startedAt'].includes(key) ? undefined : value)));
}

test('a run stopped at any step and resumed from its state ends with the same weights and history', async () => {
  const whole = Network.create([64, 16, 10], { seed: 1 });
  const reference = await fit(whole, train, options());
  const steps = reference.state.optimizer.step;
  // Early stopping ends it after epoch 9 (the cosine reaches 0 at step 110), and restores epoch 7's weights.
  assert.equal(reference.history.stopReason, 'early-stopping');
  assert.ok(reference.history.bestEpoch! < reference.history.epochs.length);
  assert.ok(reference.history.epochs.some((e) => e.lr < reference.history.epochs[0]!.lr / 1.9), 'reduce-on-plateau acted');

  for (const stopAt of [1, 7, 15, 16, 29, 30, 31, steps - 1]) {
    const controller = new AbortController();
    const first = await fit(Network.create([64, 16, 10], { seed: 1 }), train, {
      ...options(),
      signal: controller.signal,
      onBatchEnd: (info) => {
        if (info.step === stopAt) controller.abort();
      },
    });
    assert.equal(first.history.stopReason, 'interrupted', `stop at ${stopAt}`);
    const saved = structuredClone(first.state);
    const net = Network.create([64, 16, 10], { seed: 99 }); // weights come from the state
    const resumed = await fit(net, train, options({ resume: saved }));
    assert.deepEqual(net.params(), whole.params(), `weights after resuming at step ${stopAt}`);
    assert.deepEqual(timeless(resumed.history), timeless(reference.history), `history after resuming at step ${stopAt}`);
  }
});

test('states handed to onCheckpoint (every N steps and every epoch end) resume exactly', async () => {
  const states: TrainingState[] = [];
  const whole = Network.create([64, 16, 10], { seed: 1 });
  const reference = await fit(whole, train, options({ epochs: 3, checkpointEvery: 10, onCheckpoint: (s) => void states.push(s) }));
  // Steps 10, 20, 40 mid-epoch; epoch ends after 15, 30, 45 (the last one also the final state).
  assert.deepEqual(states.map((s) => [s.optimizer.step, s.epoch, s.batch]), [[10, 1, 10], [15, 2, 0], [20, 2, 5], [30, 3, 0], [40, 3, 10], [45, 4, 0]]);
  for (const s of states) {
    const net = Network.create([64, 16, 10], { seed: 5 });
    const resumed = await fit(net, train, options({ epochs: 3, resume: structuredClone(s) }));
    assert.deepEqual(net.params(), whole.params(), `from step ${s.optimizer.step}`);
    assert.deepEqual(timeless(resumed.history), timeless(reference.history));
  }
  // --epochs may be raised: training goes on from the last state as if it had been asked for 4 epochs.
  const longer = Network.create([64, 16, 10], { seed: 1 });
  const four = await fit(longer, train, options({ epochs: 4 }));
  const more = Network.create([64, 16, 10], { seed: 5 });
  const onFrom3 = await fit(more, train, options({ epochs: 4, resume: structuredClone(states.at(-1)!) }));
  assert.deepEqual(more.params(), longer.params());
  assert.deepEqual(timeless(onFrom3.history), timeless(four.history));
});

test('resuming with other data or another setting is an error naming the difference', async () => {
  const { state } = await fit(Network.create([64, 16, 10], { seed: 1 }), train, options({ epochs: 1 }));
  const resumeWith = (extra: Partial<FitOptions>, data = train): Promise<unknown> =>
    fit(Network.create([64, 16, 10], { seed: 1 }), data, options({ ...extra, resume: structuredClone(state) }));
  const code = (pattern: RegExp) => (e: unknown) => e instanceof NablaError && e.code === 'RESUME' && pattern.test(e.message);
  await assert.rejects(resumeWith({ batchSize: 64 }), code(/batchSize: 100 in the checkpoint, 64 now/));
  await assert.rejects(resumeWith({ dropout: 0.3 }), code(/dropout: 0.2 in the checkpoint, 0.3 now/));
  await assert.rejects(resumeWith({ optimizer: adam({ lr: 0.1 }) }), code(/optimizer.lr: "warmup\(10\) \+ cosine\(0.1, 100, 0\)" in the checkpoint, 0.1 now/));
  const shifted = applyScaling(rawTrain, fitScaling(rawTrain, 'standard'));
  await assert.rejects(resumeWith({}, shifted), code(/the training data differ from the checkpoint's \(train.fingerprint: "[0-9a-f]{16}" in the checkpoint, "[0-9a-f]{16}" now\)/));
  await assert.rejects(resumeWith({ epochs: 0 }), /epochs 0: the run to resume has already completed 1 epochs/);
});
