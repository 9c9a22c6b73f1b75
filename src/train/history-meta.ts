import type { Dataset } from '../data/dataset.js';
import type { Network } from '../nn/network.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { HistoryMeta } from './history.js';

/** The settings of a run that the history records beside the network and the data. */
export interface RunSettings {
  optimizer: Optimizer;
  batchSize: number;
  epochs: number;
  maxSteps?: number | undefined;
  seed: number;
  dropout?: number | readonly number[] | undefined;
  clipNorm?: number | undefined;
  clipValue?: number | undefined;
  earlyStoppingPatience?: number | undefined;
  reduceOnPlateauPatience?: number | undefined;
}

/**
 * The history's `meta`: the network (sizes, activations, cost, parameter counts), the data (task,
 * classes, sample counts, name), the settings of the run and the backend, then the caller's `extra`
 * facts (command, scaling ...), which win over the rest.
 *
 * @example
 * const meta = historyMeta(net, train, validation, { optimizer, batchSize: 32, epochs: 10, seed: 1 });
 */
export function historyMeta(net: Network, train: Dataset, validation: Dataset | undefined, run: RunSettings, extra: Partial<HistoryMeta> = {}): HistoryMeta {
  const { optimizer, dropout } = run;
  return {
    sizes: [...net.sizes],
    hidden: net.hidden.map((h) => h.name),
    output: net.output.name,
    cost: net.cost.name,
    task: train.task,
    ...(train.classNames ? { classNames: [...train.classNames] } : {}),
    optimizer: { name: optimizer.name, ...optimizer.config },
    batchSize: run.batchSize,
    epochs: run.epochs,
    ...(run.maxSteps !== undefined ? { maxSteps: run.maxSteps } : {}),
    seed: run.seed,
    backend: net.kernels.name,
    threads: net.kernels.threads,
    ...(net.kernels.reason ? { backendReason: net.kernels.reason } : {}),
    numBiases: net.numBiases,
    numWeights: net.numWeights,
    trainCount: train.count,
    ...(validation ? { valCount: validation.count } : {}),
    startedAt: new Date().toISOString(),
    ...(train.name ? { dataset: train.name } : {}),
    ...(dropout !== undefined ? { dropout: typeof dropout === 'number' ? dropout : [...dropout] } : {}),
    ...(run.clipNorm !== undefined ? { clipNorm: run.clipNorm } : {}),
    ...(run.clipValue !== undefined ? { clipValue: run.clipValue } : {}),
    ...(run.earlyStoppingPatience !== undefined ? { earlyStoppingPatience: run.earlyStoppingPatience } : {}),
    ...(run.reduceOnPlateauPatience !== undefined ? { reduceOnPlateauPatience: run.reduceOnPlateauPatience } : {}),
    ...extra,
  };
}
