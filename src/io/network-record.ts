import type { Scaling, Task } from '../data/dataset.js';
import { NablaError } from '../errors.js';
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
  const hidden = net.hidden;
  const slopes = new Set(hidden.filter((h) => h.name === 'leaky-relu').map((h) => h.alpha));
  if (slopes.size > 1) {
    throw new NablaError('ARGUMENT', `model files hold one leaky-relu slope; this network has ${[...slopes].join(', ')}`);
  }
  const names = hidden.map((h) => h.name);
  const spec = net.toSpec();
  return {
    sizes: spec.sizes,
    hidden: new Set(names).size <= 1 ? (names[0] ?? 'relu') : names,
    ...(slopes.size === 1 ? { hiddenAlpha: [...slopes][0]! } : {}),
    output: spec.output,
    cost: spec.cost,
    weights: spec.weights as Float32Array[],
    biases: spec.biases as Float32Array[],
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
  const hiddenLayers = record.sizes.length - 2;
  return Network.fromSpec(
    {
      sizes: record.sizes,
      hidden: Array.from({ length: hiddenLayers }, (_, i) => ({
        name: Array.isArray(record.hidden) ? record.hidden[i]! : record.hidden,
        alpha: record.hiddenAlpha ?? 0.01,
      })),
      output: record.output,
      cost: record.cost,
      weights: record.weights,
      biases: record.biases,
    },
    kernels,
  );
}
