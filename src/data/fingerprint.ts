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
  // The two hash states live in a small array handed to a top-level loop that keeps them in
  // locals: updated through a closure, they lived on the heap and the loop ran 5 times slower.
  const state = Int32Array.of(0x811c9dc5, 0x9e3779b9);
  mixWords(state, Int32Array.of(data.count, data.inputSize, data.outputSize, ['classification', 'binary', 'regression'].indexOf(data.task)), 4);
  const rows = Math.min(CHUNK_ROWS, data.count);
  const inputs = new Float32Array(rows * data.inputSize);
  const targets = new Float32Array(rows * data.outputSize);
  const inputWords = new Int32Array(inputs.buffer);
  const targetWords = new Int32Array(targets.buffer);
  const ids = new Int32Array(rows);
  for (let start = 0; start < data.count; start += rows) {
    const m = Math.min(rows, data.count - start);
    const chunk = ids.subarray(0, m);
    for (let i = 0; i < m; i++) chunk[i] = start + i;
    data.gatherInputs(chunk, inputs);
    data.gatherTargets(chunk, targets);
    mixWords(state, inputWords, m * data.inputSize);
    mixWords(state, targetWords, m * data.outputSize);
  }
  return hex(state[0]!) + hex(state[1]!);
}

/** Mixes words[0..n) into the two multiply–xorshift hashes in `state`, in order. */
function mixWords(state: Int32Array, words: Int32Array, n: number): void {
  let a = state[0]!;
  let b = state[1]!;
  for (let i = 0; i < n; i++) {
    const word = words[i]!;
    a = Math.imul(a ^ word, 0x01000193);
    b = Math.imul(b ^ word, 0x85ebca6b);
    b ^= b >>> 13;
  }
  state[0] = a;
  state[1] = b;
}

function hex(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}
