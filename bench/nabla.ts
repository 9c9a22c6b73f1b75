/** Nabla's side of the benchmark: the real training path (Network + fit) on a chosen kernel backend. */
import { FASHION_MNIST_CLASSES, readIdxFolder } from '../src/data/idx.js';
import type { Dataset } from '../src/data/dataset.js';
import type { Kernels } from '../src/kernels/kernels.js';
import { Network } from '../src/nn/network.js';
import { adam } from '../src/optim/adam.js';
import { sgd } from '../src/optim/sgd.js';
import { evaluate } from '../src/train/metrics.js';
import { fit } from '../src/train/fit.js';
import { FASHION_DIR, type BenchConfig, type Timing } from './configs.js';

export function loadFashion(): { train: Dataset; test: Dataset } {
  return readIdxFolder(FASHION_DIR, { classNames: FASHION_MNIST_CLASSES, name: 'fashion-mnist' });
}

/** Trains `runs` epochs (each one run) and returns their seconds and the final test accuracy. */
export async function nablaRuns(cfg: BenchConfig, kernels: Kernels, data: { train: Dataset; test: Dataset }, runs: number): Promise<Timing> {
  const net = Network.create(cfg.sizes, { hidden: cfg.hidden, output: cfg.output, cost: cfg.cost, seed: 1, kernels });
  const optimizer = cfg.optimizer === 'adam' ? adam({ lr: cfg.lr }) : sgd({ lr: cfg.lr });
  const { history } = await fit(net, data.train, { epochs: runs, batchSize: cfg.batchSize, optimizer, seed: 1 });
  const accuracy = evaluate(net, data.test).accuracy;
  return {
    seconds: history.epochs.map((e) => e.seconds),
    samples: data.train.count,
    note: '',
    ...(accuracy !== undefined ? { accuracy } : {}),
  };
}
