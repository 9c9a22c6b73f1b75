import type { Dataset } from './dataset.js';

const CHUNK_ROWS = 256;

/**
 * A 64-bit fingerprint (16 hex digits) of a data set as training sees it: its shape, task, and
 * the bits of every sample's inputs (after scaling) and targets, in order. Two independent 32-bit
 * multiply–xorshift hashes over the float32 words; equal data give equal fingerprints on every
 * machine, and a changed value, row order, scaling or split changes it.
 *
 * @example
 * datasetFingerprint(train); // '3f9a0c1b77d2e410'
 */
export function datasetFingerprint(data: Dataset): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  const mix = (word: number): void => {
    a = Math.imul(a ^ word, 0x01000193);
    b = Math.imul(b ^ word, 0x85ebca6b);
    b ^= b >>> 13;
  };
  for (const v of [data.count, data.inputSize, data.outputSize, ['classification', 'binary', 'regression'].indexOf(data.task)]) mix(v);
  const rows = Math.min(CHUNK_ROWS, data.count);
  const inputs = new Float32Array(rows * data.inputSize);
  const targets = new Float32Array(rows * data.outputSize);
  const ids = new Int32Array(rows);
  for (let start = 0; start < data.count; start += rows) {
    const m = Math.min(rows, data.count - start);
    const chunk = ids.subarray(0, m);
    for (let i = 0; i < m; i++) chunk[i] = start + i;
    data.gatherInputs(chunk, inputs);
    data.gatherTargets(chunk, targets);
    for (const words of [new Uint32Array(inputs.buffer, 0, m * data.inputSize), new Uint32Array(targets.buffer, 0, m * data.outputSize)]) {
      for (let i = 0; i < words.length; i++) mix(words[i]!);
    }
  }
  return hex(a) + hex(b);
}

function hex(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}
