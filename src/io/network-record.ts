import type { Scaling, Task } from '../data/dataset.js';
import type { Kernels } from '../kernels/kernels.js';
import { Network } from '../nn/network.js';
import type { ModelRecord } from './model-format.js';

/** What a model file adds to the network: how its inputs are scaled and what its outputs mean. */
export interface ModelExtras {
  scaling?: Scaling;
  task?: Task;
  classNames?: readonly string[];
}

/**
 * The model-file record of a network (float32 copies of its weights).
 *
 * @example
 * writeModelFile('model.safetensors', networkToRecord(net, { scaling, task: 'classification' }));
 */
export function networkToRecord(net: Network, extras: ModelExtras = {}): ModelRecord {
  return {
    ...net.toRecord(),
    ...(extras.scaling ? { scaling: extras.scaling } : {}),
    ...(extras.task ? { task: extras.task } : {}),
    ...(extras.classNames ? { classNames: [...extras.classNames] } : {}),
  };
}

/**
 * The network a model-file record describes, on the given kernels.
 *
 * @example
 * const net = networkFromRecord(readModelFile('model.safetensors'));
 */
export function networkFromRecord(record: ModelRecord, kernels?: Kernels): Network {
  return Network.fromRecord(record, kernels);
}
