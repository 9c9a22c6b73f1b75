/**
 * Every user mistake ends in a non-zero exit and one line on stderr naming the file, field or
 * value and what was expected — never a stack trace.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readModelFile } from '../../src/io/model-file.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { gzipBomb } from '../data/helpers.js';
import { assertFailure, assertUserError, nabla, nablaPeakMemory, tempDir } from './run-cli.js';

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

test('outputs that cannot be written are found before training starts, and nothing a user saved is touched', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'saved.safetensors'), 'a model the user keeps');
  writeFileSync(join(dir, 'flowers.csv'), 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n1,1,x\n');
  mkdirSync(join(dir, 'folder'));
  const cases: [string[], RegExp][] = [
    [['--out', 'no/such/folder/m.safetensors'], /--out no\/such\/folder\/m\.safetensors: no such folder .*no\/such\/folder/],
    [['--history', 'folder'], /--history folder: it is a folder, expected a file name/],
    [['--out', 'new-folder/'], /--out new-folder\/: it is a folder, expected a file name/],
    [['--out', 'saved.safetensors/m.safetensors'], /--out saved\.safetensors\/m\.safetensors: .*saved\.safetensors is not a folder/],
    [['--out', 'saved.safetensors', '--report', '/proc/nabla.html'], /--report \/proc\/nabla\.html: cannot create a file in \/proc/],
    [['--out', 'saved.safetensors', '--history', 'no/such/h.json'], /--history no\/such\/h\.json: no such folder/],
    [['--out', 'm.safetensors', '--report', 'm.safetensors'], /--report m\.safetensors is also given to --out: give each output its own file/],
    [['--data', 'flowers.csv', '--out', 'flowers.csv'], /--out flowers\.csv is also the --data file: writing it would replace that input/],
    [['--data', 'flowers.csv', '--report', './flowers.csv'], /--report \.\/flowers\.csv is also the --data file/],
  ];
  for (const [args, pattern] of cases) {
    const r = assertUserError(['train', '--data', 'iris', '--epochs', '1', ...args], pattern, dir);
    assert.doesNotMatch(r.stdout, /Epoch|Training/, `no training before the error: ${args.join(' ')}`);
  }
  assert.equal(readFileSync(join(dir, 'saved.safetensors'), 'utf8'), 'a model the user keeps');
  assert.equal(readFileSync(join(dir, 'flowers.csv'), 'utf8'), 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n1,1,x\n');
  assert.deepEqual(readdirSync(dir).sort(), ['flowers.csv', 'folder', 'saved.safetensors'], 'no file left behind (probes removed)');
  writeFileSync(join(dir, 'history.json'), '{}');
  assertUserError(['report', 'history.json', '--out', 'history.json'], /--out history\.json is also the <history\.json> file/, dir);
});

test('data that parses but cannot train or test: one class, empty labels, ambiguous or misplaced label columns, an empty test split', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'one-class.csv'), 'a,b,label\n1,2,x\n3,4,x\n5,6,x\n7,8,x\n1,1,x\n');
  assertUserError(['train', '--data', 'one-class.csv'], /one-class\.csv.*all 4 samples are of class 'x': a classifier needs samples of at least two classes/, dir);
  writeFileSync(join(dir, 'empty-label.csv'), 'a,b,label\n1,2,x\n3,4,\n5,6,y\n');
  assertUserError(['train', '--data', 'empty-label.csv'], /empty-label\.csv: line 3, column 3 \('label'\): the label is empty/, dir);
  writeFileSync(join(dir, 'twice.csv'), 'a,a,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n');
  assertUserError(['train', '--data', 'twice.csv', '--label', 'a'], /twice\.csv: label column 'a' names two columns, 1 and 2: give the column's index instead/, dir);
  assertUserError(['train', '--data', 'twice.csv', '--label', '3'], /twice\.csv: label column 3 is outside the 3 columns \(0\.\.2, or −1 for the last\)/, dir);
  assertUserError(['train', '--data', 'twice.csv', '--label', '-4'], /twice\.csv: label column -4 is outside the 3 columns/, dir);
  assertUserError(['train', '--data', 'iris', '--label', '0'], /--label '0' applies to CSV files; iris is a named data set/, dir);
  assertUserError(['train', '--data', 'digits', '--task', 'regression'], /--task regression applies to CSV files; digits is a named data set/, dir);
  writeFileSync(join(dir, 'none-images-idx3-ubyte'), idx([0, 2, 2], []));
  writeFileSync(join(dir, 'none-labels-idx1-ubyte'), idx([0], []));
  assertUserError(['train', '--data', 'iris', '--layers', '4/3/3', '--test', 'none-images-idx3-ubyte'], /none-images-idx3-ubyte: no samples to test on/, dir);
  assertUserError(['train', '--data', 'none-images-idx3-ubyte'], /none-images-idx3-ubyte: no samples/, dir);
  assertUserError(['train', '--data', 'twice.csv', '--test', 'iris', '--split', '0.5'], /--split 0\.5 cannot take effect: --test iris is the test set/, dir);
});

test('compressed data that inflates to gigabytes is refused with its size named, in bounded memory', () => {
  const dir = tempDir();
  // 3 GiB of zeros after a header declaring 2 × 2 × 2 images; a trailer saying 0 bytes, so only the inflation itself can tell.
  writeFileSync(join(dir, 'bomb-images-idx3-ubyte.gz'), gzipBomb(idx([2, 2, 2], pixels(2)), 3 * 2 ** 30));
  writeFileSync(join(dir, 'bomb.csv.gz'), gzipBomb(Buffer.from('a,b,label\n1,2,0\n3,4,1\n'), 3 * 2 ** 30));
  writeFileSync(join(dir, 'huge-images-idx3-ubyte.gz'), gzipSync(idx([60000, 280, 280], [])));
  writeFileSync(join(dir, 'big.safetensors'), '');
  truncateSync(join(dir, 'big.safetensors'), 600 * 2 ** 20);
  const cases: [string[], RegExp][] = [
    [['train', '--data', 'bomb-images-idx3-ubyte.gz'], /bomb-images-idx3-ubyte\.gz: inflates to more than 24 bytes .*its IDX header declares 2 × 2 × 2/],
    [['train', '--data', 'bomb.csv.gz'], /bomb\.csv\.gz: inflates to more than 256 MiB \(\d+(\.\d)? MiB gzipped\); Nabla reads CSV text of up to 256 MiB/],
    [['train', '--data', 'huge-images-idx3-ubyte.gz'], /huge-images-idx3-ubyte\.gz: its IDX header declares 60000 × 280 × 280 = 4\.4 GiB of data; Nabla reads IDX data of up to 1\.0 GiB/],
    // A device without end or size: read up to the cap, then refused.
    [['train', '--data', '/dev/zero'], /\/dev\/zero: more than 256 MiB; Nabla reads CSV text of up to 256 MiB/],
    [['report', '/dev/zero', '--out', 'zero.html'], /\/dev\/zero: more than 64 MiB; a training history is at most 64 MiB/],
    // A sparse file: 600 MiB by its size, refused before a byte is read.
    [['eval', '--model', 'big.safetensors', '--data', 'iris'], /big\.safetensors: 600 MiB; Nabla reads model files of up to 512 MiB/],
  ];
  for (const [args, pattern] of cases) {
    const r = nablaPeakMemory(args, dir);
    assertFailure(r, args, pattern);
    // Node and tsx alone take about 100 MB; the CSV cap adds its 256 MiB.
    assert.ok(r.maxRssBytes < 600 * 2 ** 20, `${args.join(' ')}: peak memory ${(r.maxRssBytes / 2 ** 20).toFixed(0)} MiB`);
  }
});

test('messages quote a short excerpt, never a megabyte cell', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'wide.csv'), `a,b,label\n1,${'9x'.repeat(1 << 19)},0\n3,4,1\n`);
  const r = assertUserError(['train', '--data', 'wide.csv'], /wide\.csv: line 2, column 2 \('b'\): "(9x){16}…" \(1,048,576 characters\) is not a number/, dir);
  assert.ok(r.stderr.length < 300, `${r.stderr.length} characters on stderr`);
  writeFileSync(join(dir, 'labels.csv'), `a,b,c,d,label\n1,2,3,4,${'y'.repeat(1 << 20)}\n3,4,5,6,setosa\n`);
  const t = assertUserError(['train', '--data', 'iris', '--test', 'labels.csv'], /labels\.csv: line 2, column 5 \('label'\): label 'y{32}…' \(1,048,576 characters\) is not one of the classes 'setosa', 'versicolor', 'virginica'/, dir);
  assert.ok(t.stderr.length < 300, `${t.stderr.length} characters on stderr`);
});

test('model files whose metadata disagree with their tensors or the data, or whose weights are not finite', () => {
  const dir = tempDir();
  const good = nabla(['train', '--data', 'iris', '--layers', '4/3/3', '--epochs', '1', '--out', 'good.safetensors', '--no-report'], dir);
  assert.equal(good.status, 0, good.stderr);
  const model = readModelFile(join(dir, 'good.safetensors'));
  const bytes = readFileSync(join(dir, 'good.safetensors'));
  const meta = (JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as { __metadata__: Record<string, string> }).__metadata__;
  const write = (name: string, changes: Record<string, string | undefined>, weights = model.weights): void => {
    const metadata = Object.fromEntries(Object.entries({ ...meta, ...changes }).filter((e): e is [string, string] => e[1] !== undefined));
    const tensors: [string, number[], Float32Array][] = [
      ['0.weight', [3, 4], weights[0]!],
      ['0.bias', [3], model.biases[0]!],
      ['2.weight', [3, 3], weights[1]!],
      ['2.bias', [3], model.biases[1]!],
    ];
    writeFileSync(join(dir, name), encodeSafetensors(tensors, metadata));
  };
  write('activation.safetensors', { hidden: 'relux' });
  assertUserError(['eval', '--model', 'activation.safetensors', '--data', 'iris'], /activation\.safetensors: __metadata__ 'hidden': unknown activation 'relux': expected one of identity, sigmoid/, dir);
  write('output.safetensors', { output: 'softmaxx' });
  assertUserError(['predict', '--model', 'output.safetensors', '--input', 'iris'], /output\.safetensors: __metadata__ 'output': unknown output activation 'softmaxx'/, dir);
  write('classes.safetensors', { class_names: JSON.stringify(['setosa', 'versicolor']) });
  assertUserError(['eval', '--model', 'classes.safetensors', '--data', 'iris'], /classes\.safetensors: __metadata__ 'class_names' has 2 names, but the network has 3 outputs: expected 3/, dir);
  const nan = model.weights.map((w) => Float32Array.from(w));
  nan[1]![4] = NaN;
  write('nan.safetensors', {}, nan);
  assertUserError(['eval', '--model', 'nan.safetensors', '--data', 'iris'], /nan\.safetensors: W\[2\] holds NaN at index 4: a model's weights and biases must be finite/, dir);
  // Without recorded scaling the input width is still checked against the data.
  write('unscaled.safetensors', { scaling: undefined });
  assertUserError(['eval', '--model', 'unscaled.safetensors', '--data', 'digits'], /digits.* has 64 inputs per sample, the model expects 4/, dir);
  // Data whose classes are not the model's: named, whether evaluating or training on from it.
  writeFileSync(join(dir, 'other.csv'), 'a,b,c,d,label\n1,2,3,4,rose\n4,5,6,7,tulip\n1,1,1,1,rose\n2,2,2,2,tulip\n');
  assertUserError(['eval', '--model', 'good.safetensors', '--data', 'other.csv', '--split', '0'], /other\.csv: line 2, column 5 \('label'\): label 'rose' is not one of the classes 'setosa', 'versicolor', 'virginica'/, dir);
  assertUserError(['train', '--init', 'good.safetensors', '--data', 'other.csv'], /other\.csv: line 2, .*label 'rose' is not one of the classes 'setosa'/, dir);
});

test('settings outside their range or that cannot take effect', () => {
  const dir = tempDir();
  const cores = availableParallelism();
  assertUserError(['train', '--threads', String(cores + 1)], new RegExp(`--threads.*'${cores + 1}' is invalid.*at most ${cores}, the logical cores of this machine`), dir);
  assertUserError(['train', '--threads', '1', '--backend', 'js'], /--threads 1 cannot take effect: the js backend runs on one thread/, dir);
  assertUserError(['train', '--optimizer', 'sgd', '--momentum', '1'], /sgd momentum 1: expected a finite number in \[0, 1\) \(momentum ≥ 1 makes the velocity grow without bound: the run diverges at any learning rate\)/, dir);
  assertUserError(['train', '--optimizer', 'adam', '--momentum', '0.9'], /adam has no option 'momentum'/, dir);
  assertUserError(['train', '--leaky-slope', '0.2'], /--leaky-slope 0\.2 is the slope of leaky-relu, but the hidden activation is relu: add --hidden-activation leaky-relu/, dir);
  assertUserError(['gradcheck', '--leaky-slope', '0.2', '--hidden-activation', 'tanh'], /--leaky-slope 0\.2 is the slope of leaky-relu, but the hidden activation is tanh/, dir);
  assertUserError(['train', '--data', 'iris', '--layers', '4/3', '--dropout', '0.5'], /dropout rate 0\.5 cannot take effect: 4\/3 has no hidden layer/, dir);
  assertUserError(['train', '--seed', String(2 ** 32)], /--seed.*'4294967296' is invalid.*0 to 4294967295/, dir);
  assertUserError(['train', '--data', 'iris', '--layers', '100000/100000'], /--layers 4\/100000\/100000\/3 has 10,000,900,003 parameters: training holds 186 GiB of them, more than this machine's .* of memory/, dir);
  assertUserError(['gradcheck', '--batch', '1001'], /--batch 1001: .*use a batch of at most 1000/, dir);
  assertUserError(['info', '--layers', '5'], /--layers 5: give the full form N0\/\.\.\.\/NL \(at least two sizes\)/, dir);
  const made = nabla(['train', '--data', 'iris', '--layers', '4/3/3', '--epochs', '1', '--out', 'm.safetensors', '--no-report'], dir);
  assert.equal(made.status, 0, made.stderr);
  for (const flag of [['--hidden-activation', 'tanh'], ['--weight-init', 'he-normal']]) {
    assertUserError(['train', '--data', 'iris', '--init', 'm.safetensors', ...flag], new RegExp(`${flag[0]} cannot take effect with --init: the network, its activations, cost and weights come from m\\.safetensors`), dir);
  }
});

test('a budget beside an exact epoch count, and checkpoint steps without a checkpoint, are errors rather than silently ignored', () => {
  const dir = tempDir();
  assertUserError(['train', '--data', 'iris', '--epochs', '3', '--max-steps', '5'], /--max-steps 5 cannot take effect with --epochs 3: the budget bounds a run trained until converged/, dir);
  assertUserError(['train', '--data', 'iris', '--checkpoint-every', '2', '--no-checkpoint'], /--checkpoint-every 2 cannot take effect with --no-checkpoint/, dir);
});

test('a large CSV file is parsed in memory proportional to its size, not one string per cell', () => {
  const dir = tempDir();
  const rows: string[] = [];
  for (let i = 0; i < 20_000; i++) rows.push(`${Array.from({ length: 200 }, (_, j) => (i * 7 + j * 13) % 97).join(',')},${i % 3}`);
  const text = `${rows.join('\n')}\n`;
  writeFileSync(join(dir, 'large.csv'), text);
  const args = ['--epochs', '1', '--layers', '4', '--no-report', '--no-checkpoint', '--split', '0'];
  const baseline = nablaPeakMemory(['train', '--data', 'iris', ...args], dir);
  const large = nablaPeakMemory(['train', '--data', 'large.csv', ...args], dir);
  assert.equal(large.status, 0, large.stderr);
  // The text (one byte per character, held as bytes and as a string) and the float32 inputs
  // (4 bytes per cell, ~3.5 characters each) come to about 3× the file; a string per cell, ~9×
  // (the old parser: 91 MiB more). Measured 3.1–4.0× on an idle machine and up to 5.4× while the
  // other test file loads the second core (the garbage collector runs later), hence 6.5×.
  const extra = large.maxRssBytes - baseline.maxRssBytes;
  assert.ok(extra < 6.5 * text.length, `parsing ${(text.length / 2 ** 20).toFixed(1)} MiB took ${(extra / 2 ** 20).toFixed(0)} MiB more than iris`);
});
