import { formatBytes, readBytes, writeFileAtomic, type AtomicWriteIo } from './files.js';

/** The largest model file read: 128 million float32 parameters. */
const MAX_MODEL_BYTES = 512 * 2 ** 20;
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
  return decodeModel(readBytes(file, { bytes: MAX_MODEL_BYTES, why: `Nabla reads model files of up to ${formatBytes(MAX_MODEL_BYTES)}` }), file);
}
