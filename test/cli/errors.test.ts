/**
 * Every user mistake ends in a non-zero exit and one line on stderr naming the file, field or
 * value and what was expected — never a stack trace.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { assertUserError, nabla, tempDir } from './run-cli.js';

/** IDX bytes: magic 00 00 08 <dims>, big-endian dimension sizes, then the uint8 data. */
function idx(dims: number[], data: number[], magicType = 0x08): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt8(magicType, 2);
  head.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

const pixels = (n: number): number[] => Array.from({ length: n * 4 }, (_, i) => (i * 37) % 256);

test('data files: missing, bad IDX magic, truncated, corrupt gzip, count mismatch, label out of range', () => {
  const dir = tempDir();
  assertUserError(['train', '--data', 'no/such/file.csv'], /cannot read no\/such\/file\.csv: no such file/, dir);
  assertUserError(['train', '--data', 'fashion-mnsit'], /unknown data set 'fashion-mnsit': expected one of digits, breast-cancer, iris, fashion-mnist, mnist/, dir);

  const wrongMagic = idx([2, 2, 2], pixels(2));
  wrongMagic[0] = 0x1a; // IDX magic numbers start 00 00
  writeFileSync(join(dir, 'magic-images-idx3-ubyte'), wrongMagic);
  assertUserError(['train', '--data', 'magic-images-idx3-ubyte'], /magic-images-idx3-ubyte.*magic/i, dir);
  writeFileSync(join(dir, 'type-images-idx3-ubyte'), idx([2, 2, 2], pixels(2), 0x0d));
  assertUserError(['train', '--data', 'type-images-idx3-ubyte'], /type-images-idx3-ubyte: IDX data type 0x0d is not supported, expected 0x08/, dir);

  writeFileSync(join(dir, 'short-images-idx3-ubyte'), idx([3, 2, 2], pixels(2)));
  assertUserError(['train', '--data', 'short-images-idx3-ubyte'], /short-images-idx3-ubyte: truncated/, dir);

  const gz = gzipSync(idx([2, 2, 2], pixels(2)));
  gz[gz.length - 6] ^= 0xff; // damage the CRC-32 of the stream
  writeFileSync(join(dir, 'bad-images-idx3-ubyte.gz'), Buffer.concat([gz.subarray(0, 12), Buffer.from([1, 2, 3]), gz.subarray(15)]));
  assertUserError(['train', '--data', 'bad-images-idx3-ubyte.gz'], /bad-images-idx3-ubyte\.gz: corrupt gzip/, dir);

  writeFileSync(join(dir, 'pair-images-idx3-ubyte'), idx([3, 2, 2], pixels(3)));
  writeFileSync(join(dir, 'pair-labels-idx1-ubyte'), idx([2], [1, 2]));
  assertUserError(['train', '--data', 'pair-images-idx3-ubyte'], /3 images.*2 labels|2 labels.*3 images/, dir);

  writeFileSync(join(dir, 'range-images-idx3-ubyte'), idx([2, 2, 2], pixels(2)));
  writeFileSync(join(dir, 'range-labels-idx1-ubyte'), idx([2], [3, 12]));
  assertUserError(['train', '--data', 'range-images-idx3-ubyte'], /range-labels-idx1-ubyte.*label 12.*0\.\.9/, dir);
});

test('CSV files: a non-numeric cell (row and column named), ragged rows, no rows', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'cell.csv'), '1,2,0\n3,abc,1\n5,6,0\n');
  assertUserError(['train', '--data', 'cell.csv'], /cell\.csv: line 2, column 2.*"abc" is not a number/, dir);
  writeFileSync(join(dir, 'ragged.csv'), '1,2,0\n3,4,1\n5,6\n');
  assertUserError(['train', '--data', 'ragged.csv'], /ragged\.csv: line 3 has 2 fields, expected 3/, dir);
  writeFileSync(join(dir, 'empty.csv'), '');
  assertUserError(['train', '--data', 'empty.csv'], /empty\.csv: no rows/, dir);
  writeFileSync(join(dir, 'header-only.csv'), 'a,b,label\n');
  assertUserError(['train', '--data', 'header-only.csv'], /header-only\.csv: no rows/, dir);
});

test('flags: layers that do not fit the data, unknown names (listing the valid ones), bad batch size and learning rate', () => {
  assertUserError(['train', '--layers', '784/100/10'], /--layers 784\/100\/10: N0 = 784, but the data .*digits.* has 64 inputs per sample/);
  assertUserError(['train', '--layers', '64/30/5'], /--layers 64\/30\/5: NL = 5, but the data .* needs 10 outputs/);
  assertUserError(['train', '--layers', '64/x/10'], /expected sizes like 784\/100\/10/);
  assertUserError(['train', '--hidden-activation', 'relux'], /'relux' is invalid.*identity, sigmoid, tanh, relu, leaky-relu, softplus, swish/);
  assertUserError(['train', '--cost', 'hinge'], /'hinge' is invalid.*quadratic, binary-cross-entropy, cross-entropy/);
  assertUserError(['train', '--optimizer', 'adamax'], /'adamax' is invalid.*sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw/);
  assertUserError(['train', '--output-activation', 'relu'], /'relu' is invalid.*identity, sigmoid, softmax/);
  assertUserError(['train', '--batch', '0'], /--batch.*'0' is invalid.*whole number ≥ 1/);
  assertUserError(['train', '--batch', '-5'], /--batch.*'-5' is invalid.*whole number ≥ 1/);
  assertUserError(['train', '--lr', '0'], /--lr.*'0' is invalid.*number > 0/);
  assertUserError(['train', '--lr', '-0.1'], /--lr.*'-0.1' is invalid.*number > 0/);
  assertUserError(['train', '--schedule', 'cosin:100'], /unknown schedule 'cosin'/);
  assertUserError(['train', '--split', '1.5'], /--split.*'1.5' is invalid.*fraction in \[0, 1\)/);
  assertUserError(['train', '--data', 'iris', '--split', '0.001'], /--split 0.001 of 150 samples in iris holds out no sample/);
});

test('model files: truncated, header length past the end, wrong dtype, wrong shape, missing tensor', () => {
  const dir = tempDir();
  const good = nabla(['train', '--data', 'iris', '--layers', '4/3/3', '--epochs', '1', '--out', 'good.safetensors', '--no-report'], dir);
  assert.equal(good.status, 0, good.stderr);
  const bytes = readFileSync(join(dir, 'good.safetensors'));
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown> & { __metadata__: Record<string, string> };

  writeFileSync(join(dir, 'truncated.safetensors'), bytes.subarray(0, bytes.length - 10));
  assertUserError(['eval', '--model', 'truncated.safetensors', '--data', 'iris'], /truncated\.safetensors.*(truncated|past the end|ends|bytes)/, dir);

  const past = Buffer.from(bytes);
  past.writeBigUInt64LE(BigInt(bytes.length + 100), 0);
  writeFileSync(join(dir, 'past.safetensors'), past);
  assertUserError(['eval', '--model', 'past.safetensors', '--data', 'iris'], /past\.safetensors: header length \d+ runs past the end of the file/, dir);

  // The same model with every tensor stored as F64 (consistent lengths): a dtype Nabla does not read.
  const f64Header: Record<string, unknown> = { __metadata__: header.__metadata__ };
  const parts: Buffer[] = [];
  let offset = 0;
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { shape, data_offsets: [a, b] } = info as { shape: number[]; data_offsets: [number, number] };
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 8 + headerLength + a, bytes.byteOffset + 8 + headerLength + b));
    const wide = Buffer.from(Float64Array.from(values).buffer);
    f64Header[name] = { dtype: 'F64', shape, data_offsets: [offset, offset + wide.length] };
    offset += wide.length;
    parts.push(wide);
  }
  const json = Buffer.from(JSON.stringify(f64Header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(join(dir, 'dtype.safetensors'), Buffer.concat([length, json, ...parts]));
  assertUserError(['eval', '--model', 'dtype.safetensors', '--data', 'iris'], /dtype\.safetensors.*dtype F64, expected F32/, dir);

  const w = new Float32Array(12).fill(0.1);
  const meta = header.__metadata__;
  writeFileSync(join(dir, 'shape.safetensors'), encodeSafetensors([['0.weight', [4, 3], w], ['0.bias', [3], new Float32Array(3)], ['2.weight', [3, 3], new Float32Array(9)], ['2.bias', [3], new Float32Array(3)]], meta));
  assertUserError(['eval', '--model', 'shape.safetensors', '--data', 'iris'], /shape\.safetensors.*'0\.weight' has shape \[4, 3\], expected \[3, 4\]/, dir);

  writeFileSync(join(dir, 'missing.safetensors'), encodeSafetensors([['0.weight', [3, 4], w], ['2.weight', [3, 3], new Float32Array(9)], ['2.bias', [3], new Float32Array(3)]], meta));
  assertUserError(['eval', '--model', 'missing.safetensors', '--data', 'iris'], /missing\.safetensors.*missing tensor '0\.bias'/, dir);

  assertUserError(['eval', '--model', 'nothing.safetensors', '--data', 'iris'], /cannot read nothing\.safetensors: no such file/, dir);
});
