import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSafetensors, encodeSafetensors, float32Values } from '../../src/io/safetensors.js';
import { assertNablaError } from '../data/helpers.js';

/** A safetensors file assembled byte by byte from the format's description, without the encoder. */
function handMade(headerJson: string, data: number[]): Uint8Array {
  const header = Array.from(new TextEncoder().encode(headerJson));
  const n = header.length;
  // 8 bytes: N as an unsigned little-endian 64-bit integer (N < 256 here, so one byte and seven zeros)
  assert.ok(n < 256);
  return Uint8Array.from([n, 0, 0, 0, 0, 0, 0, 0, ...header, ...data]);
}

// float32 little-endian: 1.0 = 3f800000, 2.0 = 40000000, -1.5 = bfc00000, 0.5 = 3f000000
const ONE = [0x00, 0x00, 0x80, 0x3f];
const TWO = [0x00, 0x00, 0x00, 0x40];
const MINUS_ONE_AND_HALF = [0x00, 0x00, 0xc0, 0xbf];
const HALF = [0x00, 0x00, 0x00, 0x3f];

test('decodes a file written by hand from the specification', () => {
  const json = '{"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},"__metadata__":{"who":"hand"},"a":{"dtype":"F32","shape":[1,3],"data_offsets":[0,12]}}';
  const bytes = handMade(json, [...ONE, ...TWO, ...MINUS_ONE_AND_HALF, ...HALF]);
  const { tensors, metadata } = decodeSafetensors(bytes, 'hand.safetensors');
  assert.deepEqual(metadata, { who: 'hand' });
  assert.deepEqual(tensors.get('a')!.shape, [1, 3]);
  assert.deepEqual(Array.from(float32Values(tensors.get('a')!)), [1, 2, -1.5]);
  assert.deepEqual(Array.from(float32Values(tensors.get('b')!)), [0.5]);
});

test('encodes what the specification describes: LE length, JSON header padded to 8 bytes, LE data', () => {
  const bytes = encodeSafetensors([['w', [2], Float32Array.of(1, -1.5)]], { k: 'v' });
  const n = bytes[0]! + 256 * bytes[1]!;
  assert.deepEqual(Array.from(bytes.subarray(2, 8)), [0, 0, 0, 0, 0, 0]);
  assert.equal(n % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assert.deepEqual(header, { __metadata__: { k: 'v' }, w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } });
  assert.deepEqual(Array.from(bytes.subarray(8 + n)), [...ONE, ...MINUS_ONE_AND_HALF]);
  const back = decodeSafetensors(bytes, 'x');
  assert.deepEqual(Array.from(float32Values(back.tensors.get('w')!)), [1, -1.5]);
});

test('every length, offset, dtype and shape is checked before use', () => {
  const good = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const data = [...ONE, ...TWO];
  assertNablaError(() => decodeSafetensors(Uint8Array.of(1, 2, 3), 'f.st'), 'FORMAT', 'f.st', 'truncated', '3 bytes');
  const past = handMade(good, data);
  past[0] = 200; // header length 200 > the 63 bytes that follow
  assertNablaError(() => decodeSafetensors(past, 'f.st'), 'FORMAT', 'f.st', 'header length 200 runs past the end');
  const huge = handMade(good, data);
  huge[7] = 1; // 2^56 + ...: past the end of any file
  assertNablaError(() => decodeSafetensors(huge, 'f.st'), 'FORMAT', 'runs past the end');
  assertNablaError(() => decodeSafetensors(handMade('{"a":', []), 'f.st'), 'FORMAT', 'f.st', 'not valid JSON');
  assertNablaError(() => decodeSafetensors(handMade('[1,2]', []), 'f.st'), 'FORMAT', "does not start with '{'");
  assertNablaError(() => decodeSafetensors(handMade(good, data.slice(0, 6)), 'f.st'), 'FORMAT', 'f.st', 'truncated', "tensor 'a'", 'bytes 0..8', 'has 6');
  assertNablaError(
    () => decodeSafetensors(handMade('{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}', data), 'f.st'),
    'FORMAT',
    "tensor 'a': unknown dtype \"F33\"",
  );
  assertNablaError(
    () => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', data), 'f.st'),
    'FORMAT',
    "tensor 'a': shape [3] of F32 needs 12 bytes",
  );
  assertNablaError(
    () => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}', data), 'f.st'),
    'FORMAT',
    "tensors 'a' and 'b' overlap",
  );
  assertNablaError(() => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', data), 'f.st'), 'FORMAT', 'bytes 0..4', 'no tensor');
  assertNablaError(() => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', data), 'f.st'), 'FORMAT', '4 bytes after the last tensor');
  assertNablaError(() => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', data), 'f.st'), 'FORMAT', 'shape [-1]');
  assertNablaError(() => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', data), 'f.st'), 'FORMAT', 'data_offsets [4,0]');
  assertNablaError(() => decodeSafetensors(handMade('{"__metadata__":{"n":1}}', []), 'f.st'), 'FORMAT', "__metadata__ 'n' is 1, expected a string");
});
