/**
 * `nabla export`: a model trained on Fashion-MNIST from the CLI, exported to ONNX, gives in ONNX
 * Runtime the classes (and, within 1e-5, the probabilities) `nabla predict` gives on the whole
 * 10,000-image test set, fed the raw pixels; and each bad input is one line naming what is wrong.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FASHION_MNIST_CLASSES } from '../../src/data/idx.js';
import { FASHION_MNIST_DIR, readIdx } from '../../src/data/idx-node.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { runOnnx } from '../helpers/onnx-runtime.js';
import { assertUserError, nabla, tempDir } from './run-cli.js';

const TEST_IMAGES = `${FASHION_MNIST_DIR}/t10k-images-idx3-ubyte.gz`;

test('Fashion-MNIST 784/30/10 trained from the CLI: ONNX Runtime on raw pixels gives nabla predict\'s classes on all 10,000 test images', async (t) => {
  assert.ok(existsSync(TEST_IMAGES), `Fashion-MNIST is missing: apt-get install dataset-fashion-mnist (expected in ${FASHION_MNIST_DIR})`);
  const dir = tempDir();
  const trained = nabla(['train', '--data', 'fashion-mnist', '--layers', '784/30/10', '--epochs', '2', '--batch', '64', '--out', 'fashion.safetensors', '--no-report'], dir, 900_000);
  assert.equal(trained.status, 0, trained.stderr);

  const exported = nabla(['export', 'fashion.safetensors', '--out', 'fashion.onnx'], dir);
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stdout, /Wrote fashion\.onnx: 784\/30\/10 as ONNX \(IR 8, opset 17\)/);

  const predicted = nabla(['predict', '--model', 'fashion.safetensors', '--input', TEST_IMAGES, '--json'], dir);
  assert.equal(predicted.status, 0, predicted.stderr);
  const rows = predicted.stdout.trim().split('\n').map((l) => JSON.parse(l) as { class: number; label: string; probabilities: number[] });
  assert.equal(rows.length, 10_000);

  const images = readIdx(TEST_IMAGES);
  assert.deepEqual(images.dims, [10_000, 28, 28]);
  const { data, dims } = await runOnnx(readFileSync(join(dir, 'fashion.onnx')), Float32Array.from(images.data), 10_000, 784);
  assert.deepEqual(dims, [10_000, 10]);
  let sameClass = 0;
  let worst = 0;
  let correct = 0;
  const labels = readIdx(`${FASHION_MNIST_DIR}/t10k-labels-idx1-ubyte.gz`).data;
  for (let i = 0; i < 10_000; i++) {
    const p = data.subarray(10 * i, 10 * i + 10);
    const k = p.indexOf(Math.max(...p));
    if (k === rows[i]!.class && FASHION_MNIST_CLASSES[k] === rows[i]!.label) sameClass++;
    if (k === labels[i]) correct++;
    // predict prints 6 significant digits: |p − p̂| ≤ 5e-7 from the rounding alone
    for (let j = 0; j < 10; j++) worst = Math.max(worst, Math.abs(p[j]! - rows[i]!.probabilities[j]!));
  }
  t.diagnostic(`ONNX Runtime vs nabla predict: ${sameClass} / 10000 same class, max |Δp| ${worst.toExponential(2)}, ONNX accuracy ${correct / 100}%`);
  assert.equal(sameClass, 10_000);
  assert.ok(worst <= 1e-5, `max probability difference ${worst}`);
  assert.ok(correct > 8000, `a trained model (ONNX accuracy ${correct / 100}%)`);

  // --format safetensors rewrites the model file: the same bytes as nabla train wrote.
  const rewritten = nabla(['export', 'fashion.safetensors', '--format', 'safetensors', '--out', 'copy.bin'], dir);
  assert.equal(rewritten.status, 0, rewritten.stderr);
  assert.deepEqual(readFileSync(join(dir, 'copy.bin')), readFileSync(join(dir, 'fashion.safetensors')));
});

test('export errors: not a Nabla model, an unwritable output path, an unknown format, an activation the file cannot name', () => {
  const dir = tempDir();
  const trained = nabla(['train', '--data', 'iris', '--epochs', '1', '--out', 'iris.safetensors', '--no-report', '--no-checkpoint'], dir);
  assert.equal(trained.status, 0, trained.stderr);

  writeFileSync(join(dir, 'notes.txt'), 'these are my notes, not a model\n');
  assertUserError(['export', 'notes.txt', '--out', 'x.onnx'], /^nabla: notes\.txt is not a Nabla model file \(safetensors\): header length \d+ runs past the end/, dir);
  writeFileSync(join(dir, 'plain.safetensors'), encodeSafetensors([['w', [1], new Float32Array(1)]], { format: 'pt' }));
  assertUserError(['export', 'plain.safetensors', '--out', 'x.onnx'], /plain\.safetensors is not a Nabla model file \(safetensors\): __metadata__ has no 'sizes'/, dir);
  assertUserError(['export', 'missing.safetensors', '--out', 'x.onnx'], /cannot read missing\.safetensors: no such file/, dir);

  assertUserError(['export', 'iris.safetensors', '--out', 'no/such/folder/iris.onnx'], /--out no\/such\/folder\/iris\.onnx: no such folder/, dir);
  mkdirSync(join(dir, 'taken.onnx'));
  assertUserError(['export', 'iris.safetensors', '--out', 'taken.onnx'], /--out taken\.onnx: it is a folder, expected a file name/, dir);
  // --out naming the model itself (by another name too): refused before anything is written, the model intact
  const model = readFileSync(join(dir, 'iris.safetensors'));
  assertUserError(['export', 'iris.safetensors', '--out', 'iris.safetensors', '--format', 'onnx'], /--out iris\.safetensors is also the <model> file: writing it would replace that input/, dir);
  assertUserError(['export', 'iris.safetensors', '--out', './iris.safetensors'], /--out \.\/iris\.safetensors is also the <model> file/, dir);
  assert.deepEqual(readFileSync(join(dir, 'iris.safetensors')), model, 'the model file is untouched');

  assertUserError(['export', 'iris.safetensors', '--out', 'iris.onnx', '--format', 'tflite'], /unknown format 'tflite': expected one of onnx, safetensors/, dir);
  assertUserError(['export', 'iris.safetensors', '--out', 'iris.pb'], /--out iris\.pb: cannot tell the format from the extension '\.pb' \(expected \.onnx or \.safetensors\); give --format onnx\|safetensors/, dir);

  const header = readFileSync(join(dir, 'iris.safetensors'));
  const withGelu = Buffer.from(header.toString('latin1').replace('"hidden":"relu"', '"hidden":"gelu"'), 'latin1');
  assert.notDeepEqual(withGelu, header);
  writeFileSync(join(dir, 'gelu.safetensors'), withGelu);
  assertUserError(['export', 'gelu.safetensors', '--out', 'gelu.onnx'], /gelu\.safetensors is not a Nabla model file \(safetensors\): __metadata__ 'hidden': unknown activation 'gelu'/, dir);

  // Nothing half-written: no output, no temporary file left beside it.
  assert.deepEqual(readdirSync(dir).sort(), ['gelu.safetensors', 'iris.safetensors', 'notes.txt', 'plain.safetensors', 'taken.onnx']);
  assert.deepEqual(readdirSync(join(dir, 'taken.onnx')), []);
});
