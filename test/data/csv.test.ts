import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseCsv } from '../../src/data/csv.js';
import { readCsv } from '../../src/data/csv-node.js';
import { loadDataset, loadInputs } from '../../src/data/load.js';
import { assertNablaError, gatherAll, gzipBomb, tempDir } from './helpers.js';

test('a header of column names is detected, the label is the last column, integer labels are classes', () => {
  const ds = parseCsv('a,b,label\n1,2,0\n3,4.5,2\n-1,1e3,1\n', 'x.csv');
  assert.equal(ds.count, 3);
  assert.equal(ds.inputSize, 2);
  assert.equal(ds.task, 'classification');
  assert.equal(ds.outputSize, 3);
  assert.deepEqual(gatherAll(ds), [
    [1, 2],
    [3, 4.5],
    [-1, 1000],
  ]);
  assert.deepEqual(gatherAll(ds, 'targets'), [
    [1, 0, 0],
    [0, 0, 1],
    [0, 1, 0],
  ]);
});

test('no header; the label column by index or by header name; CR LF and quoted fields', () => {
  const first = parseCsv('7,1,2\r\n8,0,3\r\n', 'y.csv', { label: 0, task: 'regression' });
  assert.equal(first.task, 'regression');
  assert.deepEqual(gatherAll(first), [
    [1, 2],
    [0, 3],
  ]);
  assert.deepEqual(gatherAll(first, 'targets'), [[7], [8]]);
  const named = parseCsv('"kind",x,y\n"dog",1,2\n"cat, big",3,4\n', 'z.csv', { label: 'kind' });
  assert.deepEqual(named.classNames, ['cat, big', 'dog']); // string classes in sorted order
  assert.deepEqual(Array.from(named.labels!), [1, 0]);
  assert.equal(named.task, 'binary');
  assert.deepEqual(gatherAll(named, 'targets'), [[1], [0]]);
});

test('string labels map through given class names; regression inferred from non-integer targets', () => {
  const ds = parseCsv('1,2,b\n3,4,c\n', 's.csv', { classNames: ['a', 'b', 'c'] });
  assert.deepEqual(Array.from(ds.labels!), [1, 2]);
  assert.equal(ds.outputSize, 3);
  assertNablaError(() => parseCsv('1,2,d\n', 's.csv', { classNames: ['a', 'b', 'c'] }), 'DATA', 's.csv', 'line 1', "label 'd'", "'a', 'b', 'c'");
  const reg = parseCsv('x,y\n1,0.5\n2,1.5\n', 'r.csv');
  assert.equal(reg.task, 'regression');
  assert.equal(reg.outputSize, 1);
  assert.deepEqual(gatherAll(reg, 'targets'), [[0.5], [1.5]]);
  const noHeader = parseCsv('1,2,dog\n3,4,cat\n', 'n.csv'); // text in the label column only: data, not a header
  assert.equal(noHeader.count, 2);
  const inputsOnly = parseCsv('1,2,3\n4,5,6\n', 'p.csv', { label: false });
  assert.equal(inputsOnly.inputSize, 3);
  assert.equal(inputsOnly.outputSize, 0);
});

test('the shipped sklearn-style CSV files: the first line gives counts and class names', () => {
  const bc = readCsv('data/breast_cancer.csv');
  assert.equal(bc.count, 569);
  assert.equal(bc.inputSize, 30);
  assert.equal(bc.task, 'binary');
  assert.deepEqual(bc.classNames, ['malignant', 'benign']);
  // truth from awk over the file: 212 rows of label 0, 357 of label 1; the first row begins 17.99,10.38 and is 0
  const counts = [0, 0];
  for (const l of bc.labels!) counts[l]!++;
  assert.deepEqual(counts, [212, 357]);
  const rows = gatherAll(bc);
  assert.equal(rows[0]![0], Math.fround(17.99));
  assert.equal(rows[0]![1], Math.fround(10.38));
  assert.equal(rows[568]![3], 181);
  assert.equal(bc.labels![0], 0);
  const iris = readCsv('data/iris.csv');
  assert.equal(iris.count, 150);
  assert.equal(iris.inputSize, 4);
  assert.deepEqual(iris.classNames, ['setosa', 'versicolor', 'virginica']);
  assert.equal(iris.task, 'classification');
  assert.deepEqual(gatherAll(iris)[149], [5.9, 3.0, 5.1, 1.8].map(Math.fround));
  assert.equal(iris.labels![149], 2);
});

test('a non-numeric cell is named by file, line and column', () => {
  const dir = tempDir();
  const p = path.join(dir, 'bad.csv');
  fs.writeFileSync(p, 'a,b,c\n1,2,0\n3,abc,1\n');
  assertNablaError(() => readCsv(p), 'DATA', p, 'line 3', "column 2 ('b')", '"abc" is not a number');
  fs.writeFileSync(p, '1,2,0\n3,4,1\n5,,1\n');
  assertNablaError(() => readCsv(p), 'DATA', p, 'line 3', 'column 2', '"" is not a number');
  fs.writeFileSync(p, '1;2;0\n3;4;1\n');
  assertNablaError(() => readCsv(p), 'DATA', p, 'no input columns', 'separated by ";"');
  const gz = path.join(dir, 'bad.csv.gz');
  fs.writeFileSync(gz, gzipSync('1,2,0\n3,4,1\n5,NaN,1\n'));
  assertNablaError(() => readCsv(gz), 'DATA', gz, 'line 3', 'column 2');
});

test('ragged rows, no rows and labels out of range are refused with the file named', () => {
  const dir = tempDir();
  const p = path.join(dir, 'data.csv');
  fs.writeFileSync(p, '1,2,0\n3,4,1\n5,6,7,1\n');
  assertNablaError(() => readCsv(p), 'DATA', p, 'line 3 has 4 fields, expected 3');
  fs.writeFileSync(p, 'x,y,label\n1,2\n');
  assertNablaError(() => readCsv(p), 'DATA', p, 'line 2 has 2 fields, expected 3', 'header');
  fs.writeFileSync(p, '');
  assertNablaError(() => readCsv(p), 'DATA', p, 'no rows');
  fs.writeFileSync(p, 'x,y,label\n\n');
  assertNablaError(() => readCsv(p), 'DATA', p, 'no rows');
  fs.writeFileSync(p, '2,2,a,b\n1,2,0\n3,4,2\n'); // sklearn header: 2 classes, label 2 given
  assertNablaError(() => readCsv(p), 'DATA', p, 'line 3', 'label 2 is outside the class range 0..1');
  fs.writeFileSync(p, '1,2,0\n3,4,-1\n');
  assertNablaError(() => readCsv(p, { task: 'classification' }), 'DATA', p, 'line 2', 'label -1');
  fs.writeFileSync(p, '1,2,0\n3,4,5\n');
  assertNablaError(() => readCsv(p, { classes: 3 }), 'DATA', p, 'line 2', 'label 5 is outside the class range 0..2');
  fs.writeFileSync(p, '3,2,a,b\n1,2,0\n');
  assertNablaError(() => readCsv(p), 'DATA', p, 'announces 3 rows', 'has 1');
  assertNablaError(() => readCsv(path.join(dir, 'none.csv')), 'FILE', `cannot read ${path.join(dir, 'none.csv')}: no such file`);
  assertNablaError(() => loadDataset(path.join(dir, 'none.csv')), 'FILE', `cannot read ${path.join(dir, 'none.csv')}: no such file`);
  assertNablaError(() => readCsv(p, { label: 'target' }), 'ARGUMENT', "no label column named 'target'");
});

test('loadInputs reads rows to predict, with or without a label column, and checks their width', () => {
  const dir = tempDir();
  const bare = path.join(dir, 'bare.csv');
  fs.writeFileSync(bare, '1,2,3\n4,5,6\n');
  const a = loadInputs(bare, 3);
  assert.equal(a.outputSize, 0);
  assert.deepEqual(gatherAll(a), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = loadInputs(bare, 2, { classNames: ['x', 'y', 'z', 'w', 'v', 'u', 't'] });
  assert.deepEqual(Array.from(b.labels!), [3, 6]);
  assertNablaError(() => loadInputs(bare, 5), 'DATA', bare, 'samples of 3 values', 'takes 5 inputs', 'or 6 with a label');
  assertNablaError(() => loadInputs('digits', 784), 'DATA', 'digits: samples of 64 values, but the model takes 784 inputs');
});

test('data that parses but cannot train: empty label cells, a label name that matches two columns, an index out of range', () => {
  const dir = tempDir();
  const p = path.join(dir, 'bad.csv');
  fs.writeFileSync(p, 'a,b,label\n1,2,x\n3,4,\n5,6,y\n');
  assertNablaError(() => readCsv(p), 'DATA', p, "line 3, column 3 ('label')", 'the label is empty');
  fs.writeFileSync(p, 'a,b,label\n1,2,0\n3,4, \n'); // a blank cell is as empty as an empty one (fields are trimmed)
  assertNablaError(() => readCsv(p), 'DATA', p, 'line 3', 'the label is empty');
  fs.writeFileSync(p, 'a,a,label\n1,2,0\n3,4,1\n');
  assertNablaError(() => readCsv(p, { label: 'a' }), 'ARGUMENT', p, "label column 'a' names two columns, 1 and 2");
  assertNablaError(() => readCsv(p, { label: 3 }), 'ARGUMENT', p, 'label column 3 is outside the 3 columns');
  assertNablaError(() => readCsv(p, { label: -4 }), 'ARGUMENT', p, 'label column -4 is outside the 3 columns');
  // 1e39 is a finite double but float32's largest is 3.4028235e38: stored, it would be Infinity.
  assert.equal(Math.fround(1e39), Infinity);
  fs.writeFileSync(p, 'a,b,label\n1,3.4e38,0\n3,1e39,1\n');
  assertNablaError(() => readCsv(p), 'DATA', p, "line 3, column 2 ('b'): \"1e39\" is beyond the float32 range");
  fs.writeFileSync(p, 'a,b,y\n1,2,0.5\n3,4,-1e39\n');
  assertNablaError(() => readCsv(p, { task: 'regression' }), 'DATA', p, 'line 3', '"-1e39" is beyond the float32 range');
});

test('messages quote at most a short excerpt of a bad cell, label or column name', () => {
  const dir = tempDir();
  const p = path.join(dir, 'wide.csv');
  const megabyte = 'z'.repeat(1 << 20);
  fs.writeFileSync(p, `a,b,label\n1,${megabyte},0\n3,4,1\n`);
  const cell = assertNablaError(() => readCsv(p), 'DATA', p, 'line 2, column 2', `"${'z'.repeat(32)}…" (1,048,576 characters) is not a number`);
  assert.ok(cell.message.length < 300, `${cell.message.length} characters`);
  fs.writeFileSync(p, `a,b,label\n1,2,${megabyte}\n3,4,y\n`);
  const label = assertNablaError(() => readCsv(p, { classNames: ['x', 'y'] }), 'DATA', p, "is not one of the classes 'x', 'y'");
  assert.ok(label.message.length < 300, `${label.message.length} characters`);
  const names = Array.from({ length: 5000 }, (_, i) => `c${i}`);
  fs.writeFileSync(p, `${names.join(',')}\n${names.map(() => 1).join(',')}\n`);
  const column = assertNablaError(() => readCsv(p, { label: 'target' }), 'ARGUMENT', "no label column named 'target'", "'c0', 'c1'", 'and 4,992 more');
  assert.ok(column.message.length < 300, `${column.message.length} characters`);
});

test('a CSV file of more than 256 MiB, or gzipped to inflate past it, is refused by its size, its trailer or as it inflates', () => {
  const dir = tempDir();
  const p = path.join(dir, 'bomb.csv.gz');
  fs.writeFileSync(p, gzipBomb(Buffer.from('a,b,label\n1,2,0\n3,4,1\n'), 300 << 20));
  assertNablaError(() => readCsv(p), 'DATA', p, 'inflates to more than 256 MiB', 'Nabla reads CSV text of up to 256 MiB');
  // A trailer that claims 3 GiB (its length field, the last 4 bytes) is refused before inflating.
  const small = gzipSync(Buffer.from('a,b,label\n1,2,0\n3,4,1\n'));
  small.writeUInt32LE(3 * 2 ** 30, small.length - 4);
  fs.writeFileSync(p, small);
  assertNablaError(() => readCsv(p), 'DATA', p, 'inflates to 3.0 GiB (its gzip trailer says)');
  // A plain file over the cap is refused from its size, before a byte is read (a sparse file: no disk used).
  const big = path.join(dir, 'big.csv');
  fs.writeFileSync(big, 'a,b,label\n');
  fs.truncateSync(big, 300 * 2 ** 20);
  assertNablaError(() => readCsv(big), 'DATA', big, '300 MiB; Nabla reads CSV text of up to 256 MiB');
});

test('loadInputs names an unknown label in the column after the inputs, not "is not a number"', () => {
  const dir = tempDir();
  const p = path.join(dir, 'new.csv');
  fs.writeFileSync(p, 'a,b,c,d,label\n1,2,3,4,rose\n');
  assertNablaError(() => loadInputs(p, 4, { classNames: ['setosa', 'versicolor', 'virginica'] }), 'DATA', p, "line 2, column 5 ('label'): label 'rose' is not one of the classes 'setosa', 'versicolor', 'virginica'");
  fs.writeFileSync(p, '1,2,3,x\n');
  assertNablaError(() => loadInputs(p, 4, { classNames: ['setosa', 'versicolor', 'virginica'] }), 'DATA', p, 'line 1, column 4: "x" is not a number');
});
