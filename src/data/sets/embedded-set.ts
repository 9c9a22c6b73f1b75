import { decodeBase64 } from '../../io/base64.js';
import type { Dataset } from '../dataset.js';
import { tableDataset } from '../table.js';

/** A shipped data set as scripts/build-embedded.mjs stores it in a generated module: parsed numbers, base64. */
export interface EmbeddedSet {
  name: string;
  task: 'classification' | 'binary';
  inputSize: number;
  /** How `inputs` is stored: uint8 (digits' pixels 0..16) or little-endian float32. */
  inputType: 'uint8' | 'float32';
  classNames: string[];
  /** count × inputSize values, base64. */
  inputs: string;
  /** count class indices (uint8), base64. */
  labels: string;
}

/**
 * The data set of a generated module, with the same float32 inputs, labels and class names as the
 * CSV reader gives for the shipped file.
 *
 * @example
 * const iris = embeddedDataset(data); // data from './iris.gen.js'
 */
export function embeddedDataset(set: EmbeddedSet, imageShape?: readonly [number, number]): Dataset {
  const bytes = decodeBase64(set.inputs);
  // Float32 in memory as the CSV reader makes them: training sees the same numbers either way.
  const inputs = set.inputType === 'uint8' ? Float32Array.from(bytes) : new Float32Array(bytes.buffer, 0, bytes.length / 4);
  const labels = Int32Array.from(decodeBase64(set.labels));
  const classes = set.task === 'binary' ? 2 : set.classNames.length;
  return tableDataset({
    name: set.name,
    inputs,
    inputSize: set.inputSize,
    targets: { labels, task: set.task, classes },
    classNames: set.classNames,
    ...(imageShape ? { imageShape } : {}),
  });
}
