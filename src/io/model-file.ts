import { readBytes, writeFileAtomic, type AtomicWriteIo } from './files.js';
import { decodeModel, encodeModel, type ModelRecord } from './model-format.js';

/**
 * Saves a model as a safetensors file loadable by PyTorch's `load_state_dict`, atomically: a
 * crash or kill mid-write leaves any old file at `file` intact.
 *
 * @example
 * writeModelFile('model.safetensors', { sizes: [64, 32, 10], hidden: 'relu', output: 'softmax', cost: 'cross-entropy', weights, biases });
 */
export function writeModelFile(file: string, model: ModelRecord, io?: AtomicWriteIo): void {
  writeFileAtomic(file, encodeModel(model), io);
}

/**
 * Reads a model file, checking every length, name, dtype and shape before use (NablaError
 * 'FILE' or 'FORMAT' naming the file, the tensor and what was expected).
 *
 * @example
 * const model = readModelFile('model.safetensors'); // model.sizes, model.weights, model.scaling ...
 */
export function readModelFile(file: string): ModelRecord {
  return decodeModel(readBytes(file), file);
}
