/**
 * Nabla for Node: everything in the main entry point, plus what reads and writes files — data
 * readers of paths (IDX, CSV, data sets by name), model files, the HTML report and history files.
 * Kernel selection runs on worker_threads here (the `node` condition of `#platform`).
 */
export * from './index.js';
export { loadDataset, loadInputs, DATASET_NAMES, type LoadedData, type LoadOptions } from './data/load.js';
export { readCsv } from './data/csv-node.js';
export { readIdx, readIdxPair, readIdxFolder, FASHION_MNIST_DIR } from './data/idx-node.js';
export { loadEmbedded, EMBEDDED_NAMES } from './data/embedded.js';
export { readModelFile, writeModelFile } from './io/model-file.js';
export { writeReport, writeHistory, readHistory } from './report/index.js';
export { readCheckpointFile, writeCheckpointFile } from './io/checkpoint-file.js';

import { readModelFile, writeModelFile } from './io/model-file.js';
import { networkFromRecord, networkToRecord, type ModelExtras } from './io/network-record.js';
import type { Kernels } from './kernels/kernels.js';
import type { Network } from './nn/network.js';

/**
 * Saves a network as a safetensors model file (atomically: a temporary file, then a rename).
 *
 * @example
 * await saveModel(net, 'model.safetensors', { scaling });
 */
export async function saveModel(net: Network, path: string, extras: ModelExtras = {}): Promise<void> {
  writeModelFile(path, networkToRecord(net, extras));
}

/**
 * Loads a network from a safetensors model file, every length, dtype, shape and name checked.
 *
 * @example
 * const net = await loadModel('model.safetensors');
 */
export async function loadModel(path: string, kernels?: Kernels): Promise<Network> {
  return networkFromRecord(readModelFile(path), kernels);
}
