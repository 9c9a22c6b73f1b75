/** Nabla's side of the benchmark: the real training path (Network + fit) on a chosen kernel backend. */
import { FASHION_MNIST_CLASSES } from '../src/data/idx.js';
import { readIdxFolder } from '../src/data/idx-node.js';
import { subsetDataset } from '../src/data/split.js';
import type { Dataset } from '../src/data/dataset.js';
import type { Kernels } from '../src/kernels/kernels.js';
import type { WasmKernels } from '../src/kernels/wasm/wasm-kernels.js';
import { Network } from '../src/nn/network.js';
import { adam, adamStepConstants } from '../src/optim/adam.js';
import { sgd } from '../src/optim/sgd.js';
import { evaluate } from '../src/train/metrics.js';
import { BatchOrder } from '../src/train/batches.js';
import { inputGatherer } from '../src/train/input-gatherer.js';
import { ThreadTuner } from '../src/train/thread-tuner.js';
import { fit } from '../src/train/fit.js';
import { Rng } from '../src/tensor/rng.js';
import { FASHION_DIR, type BenchConfig, type Timing } from './configs.js';

export function loadFashion(): { train: Dataset; test: Dataset } {
  return readIdxFolder(FASHION_DIR, { classNames: FASHION_MNIST_CLASSES, name: 'fashion-mnist' });
}

/**
 * Trains `runs` epochs (each one run), after the warm-up every runner gets (a throwaway network
 * trained on 20 batches, again and again for a second), and returns their seconds and the final test accuracy;
 * `afterEpoch` runs after each epoch's timing (the hand-written step's epochs, interleaved with
 * fit's so that both see the same state of a shared machine).
 */
export async function nablaRuns(cfg: BenchConfig, kernels: Kernels, data: { train: Dataset; test: Dataset }, runs: number, afterEpoch?: () => void): Promise<Timing> {
  const optimizer = () => (cfg.optimizer === 'adam' ? adam({ lr: cfg.lr }) : sgd({ lr: cfg.lr }));
  // the warm-up every runner gets (bench/warm_up.py): 20 batches of a throwaway model, repeated for a second
  const warm = Network.create(cfg.sizes, { hidden: cfg.hidden, output: cfg.output, cost: cfg.cost, seed: 2, kernels });
  const first = subsetDataset(data.train, Array.from({ length: Math.min(data.train.count, 20 * cfg.batchSize) }, (_, i) => i));
  const start = performance.now();
  await fit(warm, first, { epochs: 1e6, batchSize: cfg.batchSize, optimizer: optimizer(), seed: 1, onEpochEnd: () => performance.now() - start < 1000 });
  const net = Network.create(cfg.sizes, { hidden: cfg.hidden, output: cfg.output, cost: cfg.cost, seed: 1, kernels });
  const { history } = await fit(net, data.train, { epochs: runs, batchSize: cfg.batchSize, optimizer: optimizer(), seed: 1, onEpochEnd: () => afterEpoch?.() });
  const accuracy = evaluate(net, data.test).accuracy;
  return {
    seconds: history.epochs.map((e) => e.seconds),
    samples: data.train.count,
    note: '',
    ...(accuracy !== undefined ? { accuracy } : {}),
  };
}

/**
 * The same network, data and batches, but a hand-written loop: fit's input gather (uint8 pixels
 * scaled by WasmKernels.gatherScaledU8, the next batch's rows announced with prefetchRowsU8), the
 * optimizer update in wasm too (adamUpdate / sgdUpdate on state allocated in the wasm memory), the
 * thread count chosen as fit chooses it (ThreadTuner), and none of fit's per-batch diagnostics
 * (gradient norms, accuracy): what the training step costs when nothing but the step runs.
 * Labelled separately in the table. `epoch()` trains one epoch and returns its seconds.
 */
export function nablaWasmStep(cfg: BenchConfig, kernels: WasmKernels, data: { train: Dataset; test: Dataset }): { epoch: () => number; result: (seconds: number[]) => Timing } {
  const net = Network.create(cfg.sizes, { hidden: cfg.hidden, output: cfg.output, cost: cfg.cost, seed: 1, kernels });
  const params = net.params();
  const grads = net.grads();
  const m = params.map((p) => kernels.alloc(p.length));
  const v = params.map((p) => kernels.alloc(p.length));
  const train = data.train;
  if (!train.storedU8 || !train.scaling) throw new Error('the hand-written step needs a data set stored as uint8');
  const order = new BatchOrder(train.count, cfg.batchSize, new Rng(1));
  // Adam's constants as src/optim/adam.ts computes them, in one object for every step (PyTorch's defaults)
  const h = { stepSize: 0, sqrtCorrection2: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, shrink: 1 };
  // fit's own gather: uint8 rows scaled in wasm, the next batch announced for the read-ahead
  const { gather, prefetch } = inputGatherer(train, kernels);
  let step = 0;
  // the thread count chosen as fit() chooses it (all or one, whichever runs faster now), by a tuner
  // of its own kept across its epochs; fit's tuner, paused between fit's epochs, keeps its choice
  const tuner = ThreadTuner.for(kernels, () => performance.now());
  let ownChoice = kernels.activeThreads;
  const epoch = (): number => {
    const t0 = performance.now();
    const fitsChoice = kernels.activeThreads;
    kernels.activeThreads = ownChoice;
    tuner?.restart();
    order.newEpoch();
    for (let b = 0; b < order.count; b++) {
      const ids = order.batch(b);
      const { x, t } = net.batchBuffers(ids.length);
      gather(ids, x);
      if (b + 1 < order.count) prefetch(order.batch(b + 1));
      train.gatherTargets(ids, t);
      net.forwardBatch(ids.length, true);
      net.backwardBatch();
      step++;
      if (cfg.optimizer === 'adam') adamStepConstants(h, cfg.lr, step);
      for (let i = 0; i < params.length; i++) {
        const p = params[i]!;
        if (cfg.optimizer === 'adam') kernels.adamUpdate(p.length, p, grads[i]!, m[i]!, v[i]!, null, h);
        else kernels.sgdUpdate(p.length, p, grads[i]!, cfg.lr);
      }
      tuner?.afterStep();
    }
    ownChoice = kernels.activeThreads;
    kernels.activeThreads = fitsChoice;
    return (performance.now() - t0) / 1000;
  };
  const result = (seconds: number[]): Timing => {
    const accuracy = evaluate(net, data.test).accuracy;
    return { seconds, samples: train.count, note: 'hand-written loop: gather and optimizer in wasm, no per-batch diagnostics', ...(accuracy !== undefined ? { accuracy } : {}) };
  };
  return { epoch, result };
}
