import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from './checkpoint-format.js';
import { readBytes, writeFileAtomic, type AtomicWriteIo } from './files.js';

/**
 * Saves a checkpoint atomically: a crash or kill mid-write leaves the previous checkpoint at
 * `file` intact, so a run can always resume from the last one written.
 *
 * @example
 * await fit(net, train, { epochs: 10, onCheckpoint: (state) => writeCheckpointFile('run.ckpt.safetensors', { model, state }) });
 */
export function writeCheckpointFile(file: string, checkpoint: Checkpoint, io?: AtomicWriteIo): void {
  writeFileAtomic(file, encodeCheckpoint(checkpoint), io);
}

/**
 * Reads a checkpoint file, checking every tensor and field before use (NablaError 'FILE' or
 * 'FORMAT' naming the file and what was expected).
 *
 * @example
 * const { state } = readCheckpointFile('run.ckpt.safetensors'); await fit(net, train, { epochs: 10, resume: state });
 */
export function readCheckpointFile(file: string): Checkpoint {
  return decodeCheckpoint(readBytes(file), file);
}
