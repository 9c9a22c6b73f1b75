import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEmbedded } from '../../src/data/embedded.js';
import { applyScaling, fitScaling } from '../../src/data/scaling.js';
import { splitDataset } from '../../src/data/split.js';
import { NablaError } from '../../src/errors.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../src/io/checkpoint-format.js';
import { decodeModel, encodeModel } from '../../src/io/model-format.js';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { ReferenceKernels } from '../../src/kernels/reference.js';
import { Network } from '../../src/nn/network.js';
import { adam } from '../../src/optim/adam.js';
import { sgdMomentum } from '../../src/optim/sgd.js';
import { fit, type FitOptions } from '../../src/train/fit.js';
import type { TrainingState } from '../../src/train/training-state.js';

const digits = loadEmbedded('digits');
const { train: rawTrain, test: rawVal } = splitDataset(digits, 0.2, 1);
const scaling = fitScaling(rawTrain, 'minmax');
const train = applyScaling(rawTrain, scaling);
const validation = applyScaling(rawVal, scaling);
const model = { sizes: [64, 12, 10], hidden: 'relu', output: 'softmax', cost: 'cross-entropy', scaling, task: 'classification' as const };

const options = (extra: Partial<FitOptions>): FitOptions => ({
  epochs: 3,
  batchSize: 128,
  optimizer: adam({ lr: 0.02, amsgrad: true }),
  validation,
  dropout: 0.1,
  earlyStopping: { patience: 5 },
  reduceOnPlateau: { patience: 0 },
  ...extra,
});

test('a checkpoint file round-trips the training state, and resuming from its bytes ends exactly as the run that went on', async () => {
  const states: TrainingState[] = [];
  const whole = Network.create([64, 12, 10], { seed: 1 });
  const reference = await fit(whole, train, options({ checkpointEvery: 4, onCheckpoint: (s) => void states.push(s) }));
  assert.ok(states.length >= 5);
  for (const state of states) {
    const bytes = encodeCheckpoint({ model, state, settings: { note: 'flags', nan: NaN } });
    const back = decodeCheckpoint(bytes, 'run.ckpt');
    assert.deepEqual(back.state, state, `state at step ${state.optimizer.step} survives the file`);
    assert.ok(Number.isNaN(back.settings!.nan), 'non-finite numbers survive the JSON');
    assert.deepEqual(back.model, model);
    // The file is a model file as well: its weights under the nn.Sequential names.
    const asModel = decodeModel(bytes, 'run.ckpt');
    assert.deepEqual(asModel.weights, [state.params[0], state.params[2]]);
    const names = [...decodeSafetensors(bytes, 'run.ckpt').tensors.keys()];
    for (const name of ['optimizer.expAvg.0.weight', 'optimizer.maxExpAvgSq.2.bias', 'best.0.weight', 'epoch_start.2.weight', 'order']) assert.ok(names.includes(name), name);
    const net = Network.create([64, 12, 10], { seed: 7 });
    const resumed = await fit(net, train, options({ resume: back.state }));
    assert.deepEqual(net.params(), whole.params());
    assert.deepEqual(resumed.history.epochs.map((e) => ({ ...e, seconds: 0 })), reference.history.epochs.map((e) => ({ ...e, seconds: 0 })));
  }
});

test('a float64 run keeps its exact weights in the checkpoint; a model file is not a checkpoint; a damaged state is named', async () => {
  const net = Network.create([64, 12, 10], { seed: 1, kernels: new ReferenceKernels() });
  const { state } = await fit(net, train, { epochs: 1, batchSize: 256, optimizer: sgdMomentum({ lr: 0.1 }) });
  const checkpoint: Checkpoint = { model, state };
  const back = decodeCheckpoint(encodeCheckpoint(checkpoint), 'f64.ckpt').state;
  assert.ok(back.params[0] instanceof Float64Array);
  assert.deepEqual(back.params, state.params);
  assert.deepEqual(back.optimizer, state.optimizer);

  const weightsOnly = encodeModel({ ...model, weights: [new Float32Array(768), new Float32Array(120)], biases: [new Float32Array(12), new Float32Array(10)] });
  assert.throws(() => decodeCheckpoint(weightsOnly, 'model.safetensors'), (e) => e instanceof NablaError && e.code === 'FORMAT' && /model.safetensors: not a checkpoint/.test(e.message));

  const damaged = encodeCheckpoint({ model, state: { ...state, batch: -1 } });
  assert.throws(() => decodeCheckpoint(damaged, 'bad.ckpt'), /bad.ckpt: __metadata__ 'state' field 'batch' is -1, expected a whole number ≥ 0/);
  const shortOrder = encodeCheckpoint({ model, state: { ...state, order: state.order.subarray(1) } });
  assert.throws(() => decodeCheckpoint(shortOrder, 'short.ckpt'), /short.ckpt: tensor 'order' has 1437 values, expected 1438/);
});
