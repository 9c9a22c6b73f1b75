import { NablaError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { tableDataset } from './table.js';

/**
 * An in-memory data set of float features (one row per sample) and labels or targets.
 *
 * @example
 * const xor = arrayDataset([[0, 0], [0, 1], [1, 0], [1, 1]], { labels: [0, 1, 1, 0], task: 'binary' });
 */
export function arrayDataset(
  x: readonly (readonly number[])[] | { rows: number; cols: number; data: ArrayLike<number> },
  y: { labels: ArrayLike<number>; task: 'classification' | 'binary'; classes?: number } | { targets: readonly (readonly number[])[] },
  name = 'array',
): Dataset {
  const rows = 'rows' in x ? x.rows : x.length;
  const cols = 'rows' in x ? x.cols : rows === 0 ? 0 : x[0]!.length;
  const data = new Float32Array(rows * cols);
  if ('rows' in x) data.set(Array.from(x.data).slice(0, rows * cols));
  else
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
  const labels = Int32Array.from(y.labels);
  const classes = y.classes ?? (y.task === 'binary' ? 2 : Math.max(0, ...labels) + 1);
  for (let i = 0; i < rows; i++) {
    const l = y.labels[i]!; // before Int32Array truncated it: 1.5 is no class
    if (!Number.isInteger(l) || l < 0 || l >= classes) {
      throw new NablaError('DATA', `${name}: label ${l} of sample ${i} is outside 0..${classes - 1}`);
    }
  }
  return tableDataset({ name, inputs: data, inputSize: cols, targets: { labels, task: y.task, classes } });
}
