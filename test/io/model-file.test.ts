import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadEmbedded } from '../../src/data/embedded.js';
import { fitScaling } from '../../src/data/scaling.js';
import { nodeAtomicIo, type AtomicWriteIo } from '../../src/io/files.js';
import { decodeModel, encodeModel, type ModelRecord } from '../../src/io/model-format.js';
import { readModelFile, writeModelFile } from '../../src/io/model-file.js';
import { Rng } from '../../src/tensor/rng.js';
import { assertNablaError, tempDir, writeIn } from '../data/helpers.js';

/** A model of the given sizes with seeded random weights. */
function randomModel(sizes: number[], seed = 1): ModelRecord {
  const rng = new Rng(seed);
  const fill = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());
  return {
    sizes,
    hidden: 'leaky-relu',
    hiddenAlpha: 0.01,
    output: 'softmax',
    cost: 'cross-entropy',
    weights: sizes.slice(1).map((n, l) => fill(n * sizes[l]!)),
    biases: sizes.slice(1).map((n) => fill(n)),
  };
}

/** A safetensors file assembled byte by byte: LE u64 header length, JSON header, LE float32 data. */
function handMade(header: object, floats: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + 4 * floats.length);
  let n = json.length;
  for (let i = 0; i < 8; i++, n = Math.floor(n / 256)) out[i] = n % 256;
  out.set(json, 8);
  const view = new DataView(out.buffer);
  floats.forEach((v, i) => view.setFloat32(8 + json.length + 4 * i, v, true));
  return out;
}

const META = { sizes: '[2, 1]', hidden: 'relu', output: 'sigmoid', cost: 'binary-cross-entropy' };

test('reads a model file written by hand as PyTorch lays out nn.Sequential(Linear(2, 1))', () => {
  const bytes = handMade(
    {
      __metadata__: { ...META, hidden_alpha: '0.2', task: 'binary', class_names: '["no","yes"]' },
      '0.weight': { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] },
      '0.bias': { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
    },
    [0.5, -2, 0.25],
  );
  const m = decodeModel(bytes, 'hand.safetensors');
  assert.deepEqual(m.sizes, [2, 1]);
  assert.equal(m.hidden, 'relu');
  assert.equal(m.hiddenAlpha, 0.2);
  assert.equal(m.output, 'sigmoid');
  assert.equal(m.cost, 'binary-cross-entropy');
  assert.equal(m.task, 'binary');
  assert.deepEqual(m.classNames, ['no', 'yes']);
  assert.deepEqual(Array.from(m.weights[0]!), [0.5, -2]);
  assert.deepEqual(Array.from(m.biases[0]!), [0.25]);
  assert.equal(m.scaling, undefined);
});

test('round trip: every weight, bias, the architecture and the scaling come back bit for bit', () => {
  const dir = tempDir();
  const file = path.join(dir, 'digits.safetensors');
  const model: ModelRecord = { ...randomModel([64, 30, 20, 10]), scaling: fitScaling(loadEmbedded('digits'), 'standard'), task: 'classification', classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
  writeModelFile(file, model);
  const back = readModelFile(file);
  assert.deepEqual(back, model);
  // the tensor names and shapes PyTorch's nn.Sequential(Linear, act, Linear, act, Linear) expects
  const n = Number(new DataView(fs.readFileSync(file).buffer).getBigUint64(0, true));
  const header = JSON.parse(fs.readFileSync(file).subarray(8, 8 + n).toString('utf8'));
  assert.deepEqual(
    Object.keys(header).filter((k) => k !== '__metadata__').sort(),
    ['0.bias', '0.weight', '2.bias', '2.weight', '4.bias', '4.weight'],
  );
  assert.deepEqual(header['2.weight'].shape, [20, 30]);
  assert.equal(header.__metadata__.sizes, '[64,30,20,10]');
  assert.equal(fs.readdirSync(dir).length, 1, 'no temporary file is left behind');
  // one hidden activation per hidden layer
  const mixed: ModelRecord = { ...randomModel([3, 5, 4, 2]), hidden: ['tanh', 'relu'] };
  assert.deepEqual(decodeModel(encodeModel(mixed), 'mixed'), mixed);
  assertNablaError(() => encodeModel({ ...mixed, hidden: ['tanh'] }), 'SHAPE', '2 hidden layers, got 1 hidden activations');
});

test('a model file that is missing, truncated, has a header length past its end, a wrong dtype or shape, or a missing tensor is refused', () => {
  const dir = tempDir();
  const file = (name: string, bytes: Uint8Array): string => writeIn(dir, name, bytes);
  assertNablaError(() => readModelFile(path.join(dir, 'none.safetensors')), 'FILE', `cannot read ${path.join(dir, 'none.safetensors')}: no such file`);
  const good = encodeModel(randomModel([3, 4, 2]));
  let p = file('truncated.safetensors', good.subarray(0, good.length - 10));
  assertNablaError(() => readModelFile(p), 'FORMAT', p, 'truncated', "tensor '2.weight' needs bytes 64..96", 'has 94'); // 0.weight 48 B, 0.bias 16, 2.weight 32, 2.bias 8: 104 − 10
  p = file('stub.safetensors', good.subarray(0, 5));
  assertNablaError(() => readModelFile(p), 'FORMAT', p, 'truncated');
  const past = good.slice();
  past[4] = 1; // header length + 2^32
  p = file('past.safetensors', past);
  assertNablaError(() => readModelFile(p), 'FORMAT', p, 'header length 4294967', 'runs past the end of the file');
  const entry = (dtype: string, shape: number[], from: number, to: number): object => ({ dtype, shape, data_offsets: [from, to] });
  p = file(
    'f64.safetensors',
    handMade({ __metadata__: META, '0.weight': entry('F64', [1, 2], 0, 16), '0.bias': entry('F32', [1], 16, 20) }, [1, 2, 3, 4, 5]),
  );
  assertNablaError(() => readModelFile(p), 'FORMAT', p, "tensor '0.weight' has dtype F64, expected F32");
  p = file('shape.safetensors', handMade({ __metadata__: META, '0.weight': entry('F32', [2, 1], 0, 8), '0.bias': entry('F32', [1], 8, 12) }, [1, 2, 3]));
  assertNablaError(() => readModelFile(p), 'FORMAT', p, "tensor '0.weight' has shape [2, 1], expected [1, 2]", '2/1');
  p = file('missing.safetensors', handMade({ __metadata__: META, '0.weight': entry('F32', [1, 2], 0, 8) }, [1, 2]));
  assertNablaError(() => readModelFile(p), 'FORMAT', p, "missing tensor '0.bias'", 'F32 [1]');
  p = file('extra.safetensors', handMade({ __metadata__: META, '0.weight': entry('F32', [1, 2], 0, 8), '0.bias': entry('F32', [1], 8, 12), '1.weight': entry('F32', [1], 12, 16) }, [1, 2, 3, 4]));
  assertNablaError(() => readModelFile(p), 'FORMAT', p, "unexpected tensor '1.weight'");
  // a PyTorch Sequential(Linear, ReLU, Dropout, Linear) holds its Linear tensors at 0 and 3
  const dropout = { ...META, sizes: '[1, 1, 1]' };
  const four = [entry('F32', [1, 1], 0, 4), entry('F32', [1], 4, 8), entry('F32', [1, 1], 8, 12), entry('F32', [1], 12, 16)];
  const m = decodeModel(handMade({ __metadata__: dropout, '0.weight': four[0], '0.bias': four[1], '3.weight': four[2], '3.bias': four[3] }, [1, 2, 3, 4]), 'd');
  assert.deepEqual([...m.weights, ...m.biases].map((a) => a[0]), [1, 3, 2, 4]);
  p = file('nometa.safetensors', handMade({ '0.weight': entry('F32', [1, 2], 0, 8), '0.bias': entry('F32', [1], 8, 12) }, [1, 2, 3]));
  assertNablaError(() => readModelFile(p), 'FORMAT', p, "__metadata__ has no 'sizes'");
  p = file('json.safetensors', handMade({ __metadata__: { ...META, sizes: '[2, 1' } }, []));
  assertNablaError(() => readModelFile(p), 'FORMAT', p, "'sizes' is not valid JSON");
});

test('a write that fails midway leaves the old model file intact and no temporary file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'model.safetensors');
  const old = randomModel([784, 400, 10], 1); // 1.27 MB: two write chunks
  writeModelFile(file, old);
  const before = fs.readFileSync(file);
  let writes = 0;
  const failing: AtomicWriteIo = {
    ...nodeAtomicIo,
    writeSync: (fd, data, offset, length) => {
      if (writes++ === 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return fs.writeSync(fd, data, offset, length);
    },
  };
  assertNablaError(() => writeModelFile(file, randomModel([784, 400, 10], 2), failing), 'FILE', `cannot write ${file}: no space left on the device`);
  assert.ok(fs.readFileSync(file).equals(before));
  assert.deepEqual(fs.readdirSync(dir), ['model.safetensors']);
});

test('a process killed (SIGKILL) mid-write leaves the old model file intact', () => {
  const dir = tempDir();
  const file = path.join(dir, 'model.safetensors');
  const old = randomModel([784, 400, 10], 1);
  writeModelFile(file, old);
  const before = fs.readFileSync(file);
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'atomic-child.ts');
  const run = spawnSync(process.execPath, ['--import', 'tsx', child, file], { encoding: 'utf8' });
  assert.equal(run.signal, 'SIGKILL', `the child was killed mid-write (stdout ${run.stdout}, stderr ${run.stderr})`);
  assert.ok(fs.readFileSync(file).equals(before), 'the old file is byte for byte the same');
  assert.deepEqual(readModelFile(file), old);
  const leftovers = fs.readdirSync(dir).filter((f) => f !== 'model.safetensors');
  assert.equal(leftovers.length, 1, 'the killed write left only its temporary file');
  assert.ok(fs.statSync(path.join(dir, leftovers[0]!)).size < before.length, 'the temporary file was partly written');
});

test('metadata that disagree with the tensors, unknown names and non-finite weights are refused naming the file', () => {
  const good = randomModel([4, 3, 3]);
  const decode = (model: ModelRecord): ModelRecord => decodeModel(encodeModel(model), 'm.safetensors');
  assert.deepEqual(decode({ ...good, classNames: ['a', 'b', 'c'] }).classNames, ['a', 'b', 'c']);
  assertNablaError(() => decode({ ...good, hidden: 'relux' }), 'FORMAT', "m.safetensors: __metadata__ 'hidden': unknown activation 'relux': expected one of");
  assertNablaError(() => decode({ ...good, output: 'softmaxx' }), 'FORMAT', "m.safetensors: __metadata__ 'output': unknown output activation 'softmaxx'");
  assertNablaError(() => decode({ ...good, cost: 'hinge' }), 'FORMAT', "m.safetensors: __metadata__ 'cost': unknown cost 'hinge'");
  assertNablaError(() => decode({ ...good, output: 'identity' }), 'FORMAT', "m.safetensors: __metadata__ 'output': cost cross-entropy takes the log of the outputs");
  assertNablaError(() => decode({ ...good, hiddenAlpha: -1 }), 'FORMAT', "m.safetensors: __metadata__ 'hidden': leaky-relu slope -1");
  assertNablaError(() => decode({ ...good, classNames: ['a', 'b'] }), 'FORMAT', "m.safetensors: __metadata__ 'class_names' has 2 names, but the network has 3 outputs: expected 3");
  // One sigmoid output tells two classes apart: two names.
  const binary = randomModel([4, 3, 1]);
  assert.deepEqual(decode({ ...binary, output: 'sigmoid', cost: 'binary-cross-entropy', classNames: ['no', 'yes'] }).classNames, ['no', 'yes']);
  assertNablaError(() => decode({ ...binary, output: 'sigmoid', cost: 'binary-cross-entropy', classNames: ['yes'] }), 'FORMAT', 'has 1 names, but the network has 1 output (two classes): expected 2');
  for (const bad of [NaN, Infinity, -Infinity]) {
    const biases = good.biases.map((b) => Float32Array.from(b));
    biases[0]![2] = bad;
    assertNablaError(() => decode({ ...good, biases }), 'FORMAT', `m.safetensors: b[1] holds ${bad} at index 2: a model's weights and biases must be finite numbers`);
  }
  const long = 'x'.repeat(100_000);
  const e = assertNablaError(() => decode({ ...good, hidden: long }), 'FORMAT', `unknown activation '${'x'.repeat(32)}…' (100,000 characters)`);
  assert.ok(e.message.length < 300, `${e.message.length} characters`);
});
