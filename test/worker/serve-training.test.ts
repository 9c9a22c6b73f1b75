/**
 * The training worker's protocol, run in-process over a fake worker scope: the weights it hands
 * back equal `nabla train`'s for the same settings (same split, scaling, init, defaults), and
 * pausing, stepping and resuming change nothing but when the mini-batches run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadEmbedded } from '../../src/data/embedded.js';
import { readIdxPair } from '../../src/data/idx-node.js';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import type { BatchInfo } from '../../src/train/fit.js';
import type { History } from '../../src/train/history.js';
import { defaultSettings, type TrainSettings } from '../../src/train/plan.js';
import type { FromWorker, ToWorker } from '../../src/worker/protocol.js';
import { serveTraining, type WorkerScope } from '../../src/worker/serve-training.js';
import { TrainingClient, type TrainingEvents } from '../../src/worker/training-client.js';
import { datasetToTransfer } from '../../src/worker/transfer.js';
import { nabla, repo, tempDir } from '../cli/run-cli.js';

/** A worker and its page joined by macrotasks, as postMessage joins them. */
function fakeWorker(events: TrainingEvents): TrainingClient {
  const scope: WorkerScope = { onmessage: null, postMessage: (m: FromWorker) => setImmediate(() => page.onmessage?.({ data: m } as MessageEvent<FromWorker>)) };
  const page = {
    onmessage: null as ((e: MessageEvent<FromWorker>) => void) | null,
    postMessage: (m: ToWorker) => setImmediate(() => scope.onmessage?.({ data: m } as MessageEvent<ToWorker>)),
    terminate: () => {},
  };
  serveTraining(scope);
  return new TrainingClient(page, events);
}

function tensors(bytes: Uint8Array): Record<string, number[]> {
  const { tensors: t } = decodeSafetensors(bytes, 'model');
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Array.from(v.bytes)]));
}

const settings: TrainSettings = { ...defaultSettings(), layers: [16], epochs: 3 };

test('the worker trains iris to the very bytes `nabla train` writes with the same flags', async () => {
  const dir = tempDir();
  const cli = nabla(['train', '--data', 'iris', '--layers', '16', '--epochs', '3', '--threads', '1', '--out', 'm.safetensors', '--no-report'], dir);
  assert.equal(cli.status, 0, cli.stderr);
  const expected = tensors(readFileSync(join(dir, 'm.safetensors')));
  const done = await new Promise<{ history: History; model: Uint8Array }>((resolve, reject) => {
    const client = fakeWorker({ onDone: (history, model) => resolve({ history, model }), onError: reject });
    client.start({ data: datasetToTransfer(loadEmbedded('iris')), settings, dataName: 'iris', threads: 1 });
  });
  assert.equal(done.history.stopReason, 'completed');
  assert.equal(done.history.epochs.length, 3);
  assert.equal(done.history.meta.valCount, 30); // 20 % of 150 held out, as the CLI does
  assert.deepEqual(tensors(done.model), expected);
});

test('uint8 images keep their x/255 scaling through the worker: 10,000 MNIST digits train to the bytes of `nabla train`', async () => {
  const dir = tempDir();
  const images = join(repo, 'playground', 'data', 'mnist-10k-images-idx3-ubyte.gz');
  const cli = nabla(['train', '--data', images, '--layers', '16', '--epochs', '1', '--threads', '1', '--out', 'm.safetensors', '--no-report'], dir);
  assert.equal(cli.status, 0, cli.stderr);
  const ds = readIdxPair(images, images.replace('images-idx3', 'labels-idx1'), { name: 'mnist' });
  const done = await new Promise<{ history: History; model: Uint8Array }>((resolve, reject) => {
    fakeWorker({ onDone: (history, model) => resolve({ history, model }), onError: reject }).start({
      data: datasetToTransfer(ds),
      settings: { ...settings, epochs: 1 },
      dataName: 'mnist',
      threads: 1,
    });
  });
  assert.equal(done.history.meta.scaling, 'minmax'); // the reader's pixels / 255, as `--scale auto` keeps for images
  assert.deepEqual(tensors(done.model), tensors(readFileSync(join(dir, 'm.safetensors'))));
});

test('paused, stepped one mini-batch at a time, resumed and run to the end: the same weights as a run never paused', async () => {
  const data = datasetToTransfer(loadEmbedded('iris'));
  const straight = await new Promise<Uint8Array>((resolve, reject) => {
    fakeWorker({ onDone: (_, model) => resolve(model), onError: reject }).start({ data, settings, dataName: 'iris', threads: 1 });
  });
  const pausedAt: (BatchInfo | null)[] = [];
  const seen: number[] = [];
  const stepped = await new Promise<Uint8Array>((resolve, reject) => {
    const client: TrainingClient = fakeWorker({
      onBatches: (b) => seen.push(...b.map((x) => x.step)),
      onPaused: (at) => {
        pausedAt.push(at);
        if (pausedAt.length <= 3) client.step();
        else client.resume();
      },
      onDone: (_, model) => resolve(model),
      onError: reject,
    });
    client.start({ data, settings, dataName: 'iris', threads: 1, paused: true });
  });
  // Paused before any batch, then after steps 1, 2 and 3: each step ran exactly one mini-batch.
  assert.deepEqual(pausedAt.map((a) => a?.step ?? 0), [0, 1, 2, 3]);
  // 120 training samples in batches of 32: 4 per epoch, 12 in all, every one reported once.
  assert.deepEqual(seen, Array.from({ length: 12 }, (_, i) => i + 1));
  assert.deepEqual(tensors(stepped), tensors(straight));
});

test('stop ends training after the current mini-batch with the history so far', async () => {
  const history = await new Promise<History>((resolve, reject) => {
    const client: TrainingClient = fakeWorker({
      onPaused: () => client.stop(),
      onDone: (h) => resolve(h),
      onError: reject,
    });
    client.start({ data: datasetToTransfer(loadEmbedded('iris')), settings, dataName: 'iris', threads: 1, paused: true });
  });
  assert.equal(history.stopReason, 'callback');
  assert.equal(history.epochs.length, 0);
});
