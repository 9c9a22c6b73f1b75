import { NablaError } from '../errors.js';
import type { Floats } from '../tensor/matrix.js';
import type { Dataset, Task } from './dataset.js';

/** What a reader hands `tableDataset`: the stored inputs, one row per sample, and the targets. */
export interface TableSpec {
  name: string;
  /** count × inputSize values as stored in the file: uint8 pixels stay uint8. */
  inputs: Uint8Array | Float32Array;
  inputSize: number;
  /**
   * Class labels (classification, binary), regression targets (count × targetSize), or nothing
   * for inputs read for prediction alone.
   */
  targets: { labels: Int32Array; task: 'classification' | 'binary'; classes: number } | { values: Float32Array; size: number } | null;
  classNames?: readonly string[];
  imageShape?: readonly [number, number];
}

/**
 * A data set over typed arrays already in memory: inputs are converted to float only as they are
 * gathered, a mini-batch at a time.
 *
 * @example
 * const ds = tableDataset({ name: 'or', inputs: Uint8Array.of(0, 0, 0, 1, 1, 0, 1, 1), inputSize: 2,
 *   targets: { labels: Int32Array.of(0, 1, 1, 1), task: 'binary', classes: 2 } });
 */
export function tableDataset(spec: TableSpec): Dataset {
  const { name, inputs, inputSize, targets } = spec;
  if (!Number.isInteger(inputSize) || inputSize < 0 || (inputSize === 0 ? inputs.length !== 0 : inputs.length % inputSize !== 0)) {
    throw new NablaError('SHAPE', `${name}: ${inputs.length} input values do not make rows of ${inputSize}`);
  }
  const count = inputSize === 0 ? 0 : inputs.length / inputSize;
  const gatherInputs = (indices: ArrayLike<number>, out: Floats): void => {
    for (let r = 0; r < indices.length; r++) {
      const i = indices[r]!;
      out.set(inputs.subarray(i * inputSize, (i + 1) * inputSize), r * inputSize);
    }
  };
  const storedU8 = inputs instanceof Uint8Array ? { data: inputs, row: (i: number) => i } : undefined;
  const common = { name, count, inputSize, gatherInputs, classNames: spec.classNames, imageShape: spec.imageShape, ...(storedU8 ? { storedU8 } : {}) };
  if (targets === null) {
    return { ...common, outputSize: 0, task: 'regression', gatherTargets: () => {} };
  }
  if ('values' in targets) {
    const size = targets.size;
    if (targets.values.length !== count * size) {
      throw new NablaError('SHAPE', `${name}: ${targets.values.length} target values for ${count} samples of ${size}`);
    }
    return {
      ...common,
      outputSize: size,
      task: 'regression' as Task,
      gatherTargets(indices, out) {
        for (let r = 0; r < indices.length; r++) out.set(targets.values.subarray(indices[r]! * size, (indices[r]! + 1) * size), r * size);
      },
    };
  }
  const { labels, task, classes } = targets;
  if (labels.length !== count) throw new NablaError('SHAPE', `${name}: ${labels.length} labels for ${count} samples`);
  return { ...common, outputSize: task === 'binary' ? 1 : classes, task, labels, gatherTargets: labelTargets(labels, task, classes) };
}

/**
 * The `gatherTargets` of labelled data: one-hot rows of `classes`, or one 0/1 column for 'binary'.
 *
 * @example
 * labelTargets(Int32Array.of(2, 0), 'classification', 3)([0, 1], out); // out = 0 0 1, 1 0 0
 */
export function labelTargets(labels: Int32Array, task: 'classification' | 'binary', classes: number): Dataset['gatherTargets'] {
  return (indices, out) => {
    if (task === 'binary') {
      for (let r = 0; r < indices.length; r++) out[r] = labels[indices[r]!]!;
      return;
    }
    out.fill(0, 0, indices.length * classes);
    for (let r = 0; r < indices.length; r++) out[r * classes + labels[indices[r]!]!] = 1;
  };
}

/**
 * Throws a DATA error naming the first label of `labels` outside 0..classes−1.
 *
 * @example
 * checkLabels(labels, 10, 'train-labels-idx1-ubyte', 'item'); // '…: label 12 of item 5 is outside the class range 0..9'
 */
export function checkLabels(labels: ArrayLike<number>, classes: number, where: string, what = 'sample'): void {
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!(l >= 0 && l < classes)) throw new NablaError('DATA', `${where}: label ${l} of ${what} ${i + 1} is outside the class range 0..${classes - 1}`);
  }
}
