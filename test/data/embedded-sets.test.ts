import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CsvOptions } from '../../src/data/csv.js';
import { readCsv } from '../../src/data/csv-node.js';
import type { Dataset } from '../../src/data/dataset.js';
import { breastCancer } from '../../src/data/sets/breast-cancer.js';
import { digits } from '../../src/data/sets/digits.js';
import { iris } from '../../src/data/sets/iris.js';
import { repo } from '../cli/run-cli.js';

/** Every input row of `ds`, gathered as training gathers them. */
function inputs(ds: Dataset): Float32Array {
  const out = new Float32Array(ds.count * ds.inputSize);
  ds.gatherInputs(Int32Array.from({ length: ds.count }, (_, i) => i), out);
  return out;
}

// The truth: the shipped files read by the CSV reader, as `nabla train --data <file>` reads them.
const cases: [string, () => Dataset, string, CsvOptions, readonly [number, number] | undefined][] = [
  ['digits', digits, 'digits.csv.gz', { header: false, task: 'classification', classNames: Array.from({ length: 10 }, (_, i) => String(i)) }, [8, 8]],
  ['iris', iris, 'iris.csv', { task: 'classification' }, undefined],
  ['breast-cancer', breastCancer, 'breast_cancer.csv', { task: 'binary' }, undefined],
];

for (const [name, embedded, file, options, imageShape] of cases) {
  test(`nabla/data/${name} holds exactly the numbers, labels and classes of data/${file}`, () => {
    const ds = embedded();
    const truth = readCsv(join(repo, 'data', file), options);
    assert.equal(ds.name, name);
    assert.equal(ds.count, truth.count);
    assert.equal(ds.inputSize, truth.inputSize);
    assert.equal(ds.outputSize, truth.outputSize);
    assert.equal(ds.task, truth.task);
    assert.deepEqual(ds.classNames, truth.classNames);
    assert.deepEqual(ds.labels, truth.labels);
    assert.deepEqual(ds.imageShape, imageShape);
    assert.ok(Buffer.from(inputs(ds).buffer).equals(Buffer.from(inputs(truth).buffer)), 'inputs are bit-identical');
  });
}
