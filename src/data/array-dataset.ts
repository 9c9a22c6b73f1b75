import { NablaError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { tableDataset } from './table.js';

/**
 * An in-memory data set of features (one row per sample) and labels or targets. Inputs given as a
 * Float32Array or Uint8Array (`{ rows, cols, data }`) and labels given as an Int32Array are used
 * in place, not copied (uint8 inputs stay uint8 and are converted a mini-batch at a time).
 *
 * @example
 * const xor = arrayDataset([[0, 0], [0, 1], [1, 0], [1, 1]], { labels: [0, 1, 1, 0], task: 'binary' });
 * const pixels = arrayDataset({ rows: 60000, cols: 784, data: uint8Pixels }, { labels: int32Labels, task: 'classification', classes: 10 });
 */
export function arrayDataset(
  x: readonly (readonly number[])[] | { rows: number; cols: number; data: ArrayLike<number> },
  y: { labels: ArrayLike<number>; task: 'classification' | 'binary'; classes?: number } | { targets: readonly (readonly number[])[] },
  name = 'array',
): Dataset {
  const rows = 'rows' in x ? x.rows : x.length;
  const cols = 'rows' in x ? x.cols : rows === 0 ? 0 : x[0]!.length;
  if ('rows' in x && x.data.length < rows * cols) {
    throw new NablaError('SHAPE', `${name}: ${x.data.length} input values for ${rows} rows of ${cols}, expected ${rows * cols}`);
  }
  const inPlace = 'rows' in x && (x.data instanceof Float32Array || x.data instanceof Uint8Array);
  const data = inPlace ? (x.data as Float32Array | Uint8Array).subarray(0, rows * cols) : new Float32Array(rows * cols);
  if ('rows' in x) {
    if (!inPlace) data.set(Array.from(x.data).slice(0, rows * cols));
  } else
    x.forEach((r, i) => {
      if (r.length !== cols) throw new NablaError('SHAPE', `${name}: row ${i} has ${r.length} inputs, expected ${cols}`);
      data.set(r, i * cols);
    });
  if ('targets' in y) {
    const outputSize = y.targets[0]?.length ?? 0;
    if (y.targets.length !== rows) throw new NablaError('SHAPE', `${name}: ${y.targets.length} targets for ${rows} samples`);
    const t = new Float32Array(rows * outputSize);
    y.targets.forEach((r, i) => t.set(r, i * outputSize));
    return tableDataset({ name, inputs: data, inputSize: cols, targets: { values: t, size: outputSize } });
  }
  if (y.labels.length !== rows) throw new NablaError('SHAPE', `${name}: ${y.labels.length} labels for ${rows} samples`);
  const labels = y.labels instanceof Int32Array ? y.labels : Int32Array.from(y.labels);
  const classes = y.classes ?? (y.task === 'binary' ? 2 : Math.max(0, ...labels) + 1);
  for (let i = 0; i < rows; i++) {
    const l = y.labels[i]!; // before Int32Array truncated it: 1.5 is no class
    if (!Number.isInteger(l) || l < 0 || l >= classes) {
      throw new NablaError('DATA', `${name}: label ${l} of sample ${i} is outside 0..${classes - 1}`);
    }
  }
  return tableDataset({ name, inputs: data, inputSize: cols, targets: { labels, task: y.task, classes } });
}
