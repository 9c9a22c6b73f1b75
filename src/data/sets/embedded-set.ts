import { decodeBase64 } from '../../io/base64.js';
import type { Dataset } from '../dataset.js';
import { tableDataset } from '../table.js';

/** A shipped data set as scripts/build-embedded.mjs stores it in a generated module: the parsed numbers, compactly. */
export interface EmbeddedSet {
  name: string;
  task: 'classification' | 'binary';
  inputSize: number;
  /** How `inputs` is stored: 'letters' (small integers, digits' pixels 0..16) or 'float32' (little-endian, base64). */
  inputType: 'letters' | 'float32';
  classNames: string[];
  /** count × inputSize values. */
  inputs: string;
  /** count class indices, as letters. */
  labels: string;
}

/** Small integers stored one character each, v as the letter 'A' + v (0 ≤ v ≤ 57). */
function fromLetters(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) - 65;
  return out;
}

/**
 * The data set of a generated module, with the same float32 inputs, labels and class names as the
 * CSV reader gives for the shipped file.
 *
 * @example
 * const iris = embeddedDataset(data); // data from './iris.gen.js'
 */
export function embeddedDataset(set: EmbeddedSet, imageShape?: readonly [number, number]): Dataset {
  // Float32 in memory as the CSV reader makes them: training sees the same numbers either way.
  const inputs = set.inputType === 'letters' ? Float32Array.from(fromLetters(set.inputs)) : new Float32Array(decodeBase64(set.inputs).buffer);
  const labels = Int32Array.from(fromLetters(set.labels));
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
