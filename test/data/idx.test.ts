import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeIdx, FASHION_MNIST_CLASSES } from '../../src/data/idx.js';
import { FASHION_MNIST_DIR, readIdx, readIdxFolder, readIdxPair } from '../../src/data/idx-node.js';
import { loadDataset } from '../../src/data/load.js';
import { assertNablaError, gatherAll, gzipBomb, idxBytes, tempDir, writeIn } from './helpers.js';

test('decodeIdx reads a 2 × 2 × 3 array written by hand, and gzip is detected by its magic', () => {
  const bytes = idxBytes([2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
  const a = decodeIdx(bytes, 'hand.idx');
  assert.deepEqual(a.dims, [2, 2, 3]);
  assert.deepEqual(Array.from(a.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.idx'), gzipSync(bytes)); // a gzipped file whose name does not say so
  assert.deepEqual(Array.from(readIdx(path.join(dir, 'a.idx')).data), Array.from(a.data));
});

/** Writes the four files of an IDX folder of 28 × 28 images (gzipped), with labels given. */
function writeFolder(dir: string, train: number[], test: number[], gz = true): void {
  const put = (name: string, bytes: Uint8Array): void => fs.writeFileSync(path.join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
  for (const [split, labels] of [['train', train], ['t10k', test]] as const) {
    // image i: every pixel is 10·i + the pixel's row, so the scaled values are known exactly
    const pixels = labels.flatMap((_, i) => Array.from({ length: 784 }, (_, p) => 10 * i + Math.floor(p / 28)));
    put(`${split}-images-idx3-ubyte`, idxBytes([labels.length, 28, 28], pixels));
    put(`${split}-labels-idx1-ubyte`, idxBytes([labels.length], labels));
  }
}

test('readIdxFolder reads a folder of four files, gzipped or raw, scaling pixels by 1/255 on gather', () => {
  for (const gz of [true, false]) {
    const dir = tempDir();
    writeFolder(dir, [3, 1, 4], [1, 5], gz);
    const { train, test: t } = readIdxFolder(dir);
    assert.equal(train.count, 3);
    assert.equal(t.count, 2);
    assert.equal(train.inputSize, 784);
    assert.deepEqual(train.imageShape, [28, 28]);
    assert.deepEqual(Array.from(train.labels!), [3, 1, 4]);
    const rows = gatherAll(train);
    // pixel (row 27, any column) of image 2 is 10·2 + 27 = 47 → 47/255 (to float32's precision)
    assert.ok(Math.abs(rows[2]![27 * 28 + 5]! - 47 / 255) < 1e-7);
    assert.equal(rows[0]![0], 0);
    const targets = gatherAll(t, 'targets');
    assert.deepEqual(targets[1], [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  }
});

test('a missing IDX file or folder is named', () => {
  const dir = tempDir();
  writeFolder(dir, [1], [2]);
  fs.rmSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'));
  assertNablaError(() => readIdxFolder(dir), 'FILE', path.join(dir, 't10k-labels-idx1-ubyte'), 'no such file');
  assertNablaError(() => readIdxFolder(path.join(dir, 'nowhere')), 'FILE', 'nowhere', 'no such folder');
  assertNablaError(() => readIdx(path.join(dir, 'absent-idx3-ubyte')), 'FILE', `cannot read ${path.join(dir, 'absent-idx3-ubyte')}: no such file`);
});

test('an IDX file with a wrong magic number, wrong type or truncated data is refused with the file named', () => {
  const dir = tempDir();
  const file = (name: string, bytes: Uint8Array): string => writeIn(dir, name, bytes);
  const good = idxBytes([2, 28, 28], new Array(2 * 784).fill(7));
  const wrongMagic = good.slice();
  wrongMagic[0] = 0x1a;
  let p = file('magic-idx3-ubyte', wrongMagic);
  assertNablaError(() => readIdx(p), 'FORMAT', p, 'magic number 1a 00 08 03');
  p = file('png-idx3-ubyte', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a));
  assertNablaError(() => readIdx(p), 'FORMAT', p, 'not an IDX file');
  p = file('float-idx3-ubyte', idxBytes([1], [0, 0, 0, 0], 0x0d));
  assertNablaError(() => readIdx(p), 'FORMAT', p, 'type 0x0d', 'expected 0x08');
  // 2 × 28 × 28 = 1568 bytes of data announced, 1000 present
  p = file('short-idx3-ubyte.gz', gzipSync(good.subarray(0, 16 + 1000)));
  assertNablaError(() => readIdx(p), 'FORMAT', p, 'truncated', '1568 bytes', 'found 1000');
  p = file('header-idx3-ubyte', good.subarray(0, 10));
  assertNablaError(() => readIdx(p), 'FORMAT', p, 'truncated', 'needs 16 bytes, found 10');
  p = file('long-idx3-ubyte', Uint8Array.from([...good, 1, 2]));
  assertNablaError(() => readIdx(p), 'FORMAT', p, 'need 1568 bytes', 'found 1570');
});

test('a corrupt gzip stream is refused with the file named', () => {
  const dir = tempDir();
  const gz = gzipSync(idxBytes([100], new Array(100).fill(3)));
  const corrupt = gz.slice();
  for (let i = 12; i < corrupt.length - 8; i++) corrupt[i] ^= 0x5a; // scramble the deflate data, keep the gzip header
  const p = path.join(dir, 'train-labels-idx1-ubyte.gz');
  fs.writeFileSync(p, corrupt);
  assertNablaError(() => readIdx(p), 'FORMAT', p, 'corrupt gzip');
  fs.writeFileSync(p, gz.subarray(0, gz.length - 20)); // cut short
  assertNablaError(() => readIdx(p), 'FORMAT', p, 'corrupt gzip');
});

test('image and label files of different counts, and a label outside 0..9, are refused', () => {
  const dir = tempDir();
  const images = path.join(dir, 'x-images-idx3-ubyte');
  const labels = path.join(dir, 'x-labels-idx1-ubyte');
  fs.writeFileSync(images, idxBytes([3, 2, 2], new Array(12).fill(0)));
  fs.writeFileSync(labels, idxBytes([2], [0, 1]));
  assertNablaError(() => readIdxPair(images, labels), 'DATA', images, '3 images', labels, '2 labels');
  fs.writeFileSync(labels, idxBytes([3], [0, 10, 1]));
  assertNablaError(() => readIdxPair(images, labels), 'DATA', labels, 'label 10', 'item 2', '0..9');
  fs.writeFileSync(labels, idxBytes([3, 1], [0, 1, 2]));
  assertNablaError(() => readIdxPair(images, labels), 'FORMAT', labels, '1 dimension');
  // through loadDataset, a single images file finds its labels beside it, or is read as inputs alone
  fs.writeFileSync(labels, idxBytes([3], [0, 9, 1]));
  assert.deepEqual(Array.from(loadDataset(images).train.labels!), [0, 9, 1]);
  fs.rmSync(labels);
  const inputs = loadDataset(images).train;
  assert.equal(inputs.outputSize, 0);
  assert.equal(inputs.count, 3);
});

test('Fashion-MNIST from Debian dataset-fashion-mnist: 60,000 + 10,000 images of 28 × 28, 10 named classes', () => {
  assert.ok(fs.existsSync(FASHION_MNIST_DIR), `${FASHION_MNIST_DIR} is missing: apt-get install dataset-fashion-mnist`);
  const { train, test: t } = loadDataset('fashion-mnist');
  assert.equal(train.count, 60000);
  assert.equal(t!.count, 10000);
  assert.equal(train.inputSize, 784);
  assert.deepEqual(train.imageShape, [28, 28]);
  assert.deepEqual(train.classNames, FASHION_MNIST_CLASSES);
  assert.equal(train.classNames![9], 'Ankle boot');
  // truth from the raw files (Python's gzip module): the first labels, 6,000 / 1,000 per class, image 0's pixel sum
  assert.deepEqual(Array.from(train.labels!.subarray(0, 10)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
  assert.deepEqual(Array.from(t!.labels!.subarray(0, 10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
  const perClass = new Array(10).fill(0);
  for (const l of train.labels!) perClass[l]++;
  assert.deepEqual(perClass, new Array(10).fill(6000));
  const image = new Float64Array(784);
  train.gatherInputs([0], image);
  const sum = image.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum * 255 - 76247) < 1e-2, `pixel sum ${sum * 255}`);
  assert.ok(Math.max(...image) <= 1 + 1e-7 && Math.min(...image) >= 0); // float32(1/255) · 255 = 1 + 6e-8
  // the fitted Scaling of the default reader is x/255, recorded for the model file
  assert.equal(train.scaling!.scale[0], Math.fround(1 / 255));
});

test('a gzipped IDX file that inflates past the size its header declares, or declares more than 1 GiB, is refused', () => {
  const dir = tempDir();
  // The header says 2 × 2 × 2 (24 bytes with the header); 64 MiB of zeros follow.
  const p = writeIn(dir, 'bomb-images-idx3-ubyte.gz', gzipBomb(idxBytes([2, 2, 2], new Array(8).fill(1)), 64 << 20));
  assertNablaError(() => readIdx(p), 'DATA', p, 'inflates to more than 24 bytes', 'its IDX header declares 2 × 2 × 2 (24 bytes with the header)');
  const huge = writeIn(dir, 'huge-images-idx3-ubyte.gz', gzipSync(idxBytes([60000, 280, 280], [])));
  assertNablaError(() => readIdx(huge), 'DATA', huge, 'declares 60000 × 280 × 280 = 4.4 GiB of data', 'up to 1.0 GiB');
  // Neither the name nor the magic: loadDataset sniffs the first bytes only.
  const unnamed = writeIn(dir, 'unnamed.gz', fs.readFileSync(p));
  assertNablaError(() => loadDataset(unnamed), 'DATA', unnamed, 'its IDX header declares 2 × 2 × 2');
});
