// The readers of bytes (no fs: what a page hands them), against the readers of files as the truth.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeCsv } from '../../src/data/csv.js';
import { readCsv } from '../../src/data/csv-node.js';
import { arrayDataset } from '../../src/data/array-dataset.js';
import { decodeIdxPair } from '../../src/data/idx.js';
import { readIdxPair } from '../../src/data/idx-node.js';
import { NablaError } from '../../src/errors.js';
import { decompressIfGzipped } from '../../src/io/gzip.js';
import { repo } from '../cli/run-cli.js';
import { gatherAll, idxBytes, tempDir, writeIn } from './helpers.js';

test('decompressIfGzipped (DecompressionStream) unpacks what zlib packed, passes raw bytes through, names a corrupt file', async () => {
  const text = 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n'.repeat(50);
  const raw = new TextEncoder().encode(text);
  assert.equal(new TextDecoder().decode(await decompressIfGzipped(gzipSync(raw), 'xor.csv.gz')), text);
  assert.equal(await decompressIfGzipped(raw, 'xor.csv'), raw);
  const corrupt = gzipSync(raw).subarray(0, 30);
  await assert.rejects(decompressIfGzipped(corrupt, 'cut.csv.gz'), (e: unknown) => e instanceof NablaError && e.code === 'FORMAT' && /^cut\.csv\.gz: corrupt gzip stream/.test(e.message));
});

test('decodeCsv of the bytes of data/digits.csv.gz gives what readCsv gives for the file', async () => {
  const file = join(repo, 'data', 'digits.csv.gz');
  const options = { header: false, task: 'classification' } as const;
  const fromBytes = await decodeCsv(readFileSync(file), 'digits.csv.gz', options);
  const fromFile = readCsv(file, options);
  assert.equal(fromBytes.count, 1797);
  assert.deepEqual(fromBytes.labels, fromFile.labels);
  assert.deepEqual(gatherAll(fromBytes), gatherAll(fromFile));
});

test('decodeIdxPair of gzipped and raw bytes gives what readIdxPair gives for the files', async () => {
  const labels = [3, 1, 4, 1, 5];
  const pixels = labels.flatMap((_, i) => Array.from({ length: 4 * 3 }, (_, p) => (40 * i + 7 * p) % 256));
  const images = idxBytes([labels.length, 4, 3], pixels);
  const labelBytes = idxBytes([labels.length], labels);
  const dir = tempDir();
  const truth = readIdxPair(writeIn(dir, 'images-idx3-ubyte', images), writeIn(dir, 'labels-idx1-ubyte', labelBytes));
  for (const pack of [(b: Uint8Array) => b, (b: Uint8Array) => new Uint8Array(gzipSync(b))]) {
    const ds = await decodeIdxPair({ bytes: pack(images), name: 'images' }, { bytes: pack(labelBytes), name: 'labels' });
    assert.deepEqual(ds.labels, Int32Array.from(labels));
    assert.deepEqual(ds.imageShape, [4, 3]);
    assert.deepEqual(gatherAll(ds), gatherAll(truth));
    assert.equal(gatherAll(ds)[1]![1], 47 * Math.fround(1 / 255)); // pixel 1 of image 1 is 40 + 7, times the float32 1/255
  }
  await assert.rejects(
    decodeIdxPair({ bytes: images, name: 'images' }, { bytes: labelBytes.subarray(0, 10), name: 'labels' }),
    (e: unknown) => e instanceof NablaError && /^labels: /.test(e.message),
  );
});

test('arrayDataset uses Float32Array and Uint8Array inputs and Int32Array labels in place, without copying', () => {
  const x = Float32Array.of(1, 2, 3, 4, 5, 6);
  const labels = Int32Array.of(0, 1, 0);
  const ds = arrayDataset({ rows: 3, cols: 2, data: x }, { labels, task: 'classification' });
  assert.deepEqual(gatherAll(ds), [[1, 2], [3, 4], [5, 6]]);
  x[3] = 40; // the data set sees the caller's array itself
  assert.deepEqual(gatherAll(ds)[1], [3, 40]);
  assert.equal(ds.labels, labels);
  const u8 = Uint8Array.of(0, 255, 128, 7);
  const pixels = arrayDataset({ rows: 2, cols: 2, data: u8 }, { labels: [1, 0], task: 'binary' });
  assert.equal(pixels.storedU8?.data.buffer, u8.buffer);
  assert.deepEqual(gatherAll(pixels), [[0, 255], [128, 7]]);
  assert.throws(() => arrayDataset({ rows: 3, cols: 2, data: new Float32Array(5) }, { labels: [0, 1, 0], task: 'binary' }), (e: unknown) => e instanceof NablaError && e.code === 'SHAPE' && /5 input values for 3 rows of 2/.test(e.message));
});
