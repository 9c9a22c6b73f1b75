import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeModel, encodeModel } from '../../src/io/model-format.js';
import { networkFromRecord, networkToRecord } from '../../src/io/network-record.js';
import { leakyRelu } from '../../src/nn/activations.js';
import { Network } from '../../src/nn/network.js';
import { Matrix } from '../../src/tensor/matrix.js';
import { Rng } from '../../src/tensor/rng.js';
import { assertNablaError } from '../data/helpers.js';

/** The metadata of a safetensors file: its JSON header's `__metadata__`. */
function metadataOf(bytes: Uint8Array): Record<string, string> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))).__metadata__;
}

test('leaky ReLU layers of different slopes are saved and loaded with their own slopes, the outputs bit for bit', () => {
  const net = Network.create([4, 6, 5, 3, 2], { hidden: [leakyRelu(0.1), 'tanh', leakyRelu(0.3)], seed: 4 });
  const bytes = encodeModel(networkToRecord(net));
  const meta = metadataOf(bytes);
  assert.equal(meta.hidden, '["leaky-relu","tanh","leaky-relu"]');
  assert.deepEqual(JSON.parse(meta.hidden_alpha!), [0.1, 0, 0.3]);
  const back = networkFromRecord(decodeModel(bytes, 'mixed.safetensors'));
  assert.deepEqual(back.hidden.map((h) => [h.name, h.alpha]), [['leaky-relu', 0.1], ['tanh', 0], ['leaky-relu', 0.3]]);
  const rng = new Rng(9);
  // inputs of both signs, so the negative slopes are exercised
  const x = Matrix.from(Array.from({ length: 8 }, () => Array.from({ length: 4 }, () => rng.normal(0, 3))), 'float32');
  assert.deepEqual(Array.from(back.predict(x).data), Array.from(net.predict(x).data));
});

test('one slope shared by every leaky ReLU layer is still written as one number', () => {
  const net = Network.create([3, 4, 4, 2], { hidden: 'leaky-relu', leakySlope: 0.2, seed: 1 });
  const record = networkToRecord(net);
  assert.equal(record.hidden, 'leaky-relu');
  assert.equal(record.hiddenAlpha, 0.2);
  assert.equal(metadataOf(encodeModel(record)).hidden_alpha, '0.2');
});

test('a list of slopes of the wrong length is refused when written and when read', () => {
  const record = networkToRecord(Network.create([3, 4, 4, 2], { hidden: [leakyRelu(0.1), leakyRelu(0.2)], seed: 1 }));
  assertNablaError(() => encodeModel({ ...record, hiddenAlpha: [0.1] }), 'SHAPE', '2 hidden layers, got 1 leaky-relu slopes');
  assertNablaError(() => Network.fromRecord({ ...record, hiddenAlpha: [0.1, 0.2, 0.3] }), 'SHAPE', '2 hidden layers need 2 hidden leaky-relu slopes, got 3');
  const bytes = encodeModel(record);
  // three slopes in place of two, the same number of bytes (the tensors stay where they are)
  const at = new TextDecoder('latin1').decode(bytes).indexOf('"[0.1,0.2]"');
  bytes.set(new TextEncoder().encode('"[0.1,2,3]"'), at);
  assertNablaError(() => decodeModel(bytes, 'bad.safetensors'), 'FORMAT', 'bad.safetensors', "'hidden_alpha' is [0.1,2,3]", 'a list of 2');
});
