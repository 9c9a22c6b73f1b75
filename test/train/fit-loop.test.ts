import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEmbedded } from '../../src/data/embedded.js';
import { applyScaling, fitScaling } from '../../src/data/scaling.js';
import { subsetDataset } from '../../src/data/split.js';
import { Network } from '../../src/nn/network.js';
import { sgd } from '../../src/optim/sgd.js';
import { fit } from '../../src/train/fit.js';
import { yieldToEventLoop } from '../../src/train/yield.js';

function smallDigits() {
  const digits = loadEmbedded('digits');
  const part = subsetDataset(digits, Int32Array.from({ length: 200 }, (_, i) => i));
  return applyScaling(part, fitScaling(part, 'minmax'));
}

test('onBatchEnd may return a promise: the next batch waits for it, and resolving false stops', async () => {
  const data = smallDigits();
  const net = Network.create([64, 8, 10], { seed: 1 });
  const events: string[] = [];
  const { history, state } = await fit(net, data, {
    epochs: 3,
    batchSize: 50, // 4 batches an epoch
    optimizer: sgd({ lr: 0.1 }),
    onBatchEnd: async (info) => {
      events.push(`start ${info.step}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      events.push(`end ${info.step}`);
      return info.step < 6;
    },
  });
  assert.deepEqual(events, [1, 2, 3, 4, 5, 6].flatMap((s) => [`start ${s}`, `end ${s}`]));
  assert.equal(history.stopReason, 'callback');
  assert.equal(state.optimizer.step, 6);
  assert.deepEqual([state.epoch, state.batch], [2, 2], 'stopped after batch 2 of epoch 2');
  assert.equal(history.epochs.length, 1);
});

test('yieldToEventLoop lets work queued before it run first; yieldEveryMs 0 yields after every batch', async () => {
  const order: string[] = [];
  setImmediate(() => order.push('queued'));
  await yieldToEventLoop();
  order.push('after yield');
  assert.deepEqual(order, ['queued', 'after yield']);

  // An immediate queued during batch 1 runs before batch 2 only when fit yields within the epoch.
  const data = smallDigits();
  const ranAfter = async (yieldEveryMs: number | undefined): Promise<number> => {
    let batches = 0;
    let seenAt = -1;
    await fit(Network.create([64, 8, 10], { seed: 1 }), data, {
      epochs: 1,
      batchSize: 20, // 10 batches
      optimizer: sgd({ lr: 0.1 }),
      ...(yieldEveryMs !== undefined ? { yieldEveryMs } : {}),
      onBatchEnd: () => {
        batches++;
        if (batches === 1) setImmediate(() => (seenAt = batches));
      },
    });
    return seenAt;
  };
  assert.equal(await ranAfter(0), 1);
  assert.equal(await ranAfter(undefined), 10);
});

test('an aborted signal stops after the current step with the weights as they are', async () => {
  const data = smallDigits();
  const controller = new AbortController();
  const net = Network.create([64, 8, 10], { seed: 1 });
  const { history, state } = await fit(net, data, {
    epochs: 5,
    batchSize: 50,
    optimizer: sgd({ lr: 0.1 }),
    earlyStopping: { patience: 1 },
    onBatchEnd: (info) => {
      if (info.step === 7) controller.abort();
    },
    signal: controller.signal,
  });
  assert.equal(history.stopReason, 'interrupted');
  assert.equal(state.optimizer.step, 7);
  assert.deepEqual(net.params().map((p) => Array.from(p)), state.params.map((p) => Array.from(p)), 'no best-weights restore on interruption');
});

test('checkpointEvery and yieldEveryMs are checked', async () => {
  const data = smallDigits();
  const net = Network.create([64, 8, 10], { seed: 1 });
  await assert.rejects(fit(net, data, { epochs: 1, checkpointEvery: 0 }), /fit checkpointEvery 0: expected an integer ≥ 1/);
  await assert.rejects(fit(net, data, { epochs: 1, yieldEveryMs: -5 }), /fit yieldEveryMs -5: expected a finite number ≥ 0/);
});
