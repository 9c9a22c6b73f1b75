/** Nabla's side of the benchmark: the real training path (Network + fit) on a chosen kernel backend. */
import { FASHION_MNIST_CLASSES } from '../src/data/idx.js';
import { readIdxFolder } from '../src/data/idx-node.js';
import type { Dataset } from '../src/data/dataset.js';
import type { Kernels } from '../src/kernels/kernels.js';
import type { WasmKernels } from '../src/kernels/wasm/wasm-kernels.js';
import { Network } from '../src/nn/network.js';
import { adam } from '../src/optim/adam.js';
import { sgd } from '../src/optim/sgd.js';
import { evaluate } from '../src/train/metrics.js';
import { BatchOrder } from '../src/train/batches.js';
import { ThreadTuner } from '../src/train/thread-tuner.js';
import { fit } from '../src/train/fit.js';
import { Rng } from '../src/tensor/rng.js';
import { FASHION_DIR, type BenchConfig, type Timing } from './configs.js';

export function loadFashion(): { train: Dataset; test: Dataset } {
  return readIdxFolder(FASHION_DIR, { classNames: FASHION_MNIST_CLASSES, name: 'fashion-mnist' });
}

/**
 * Trains `runs` epochs (each one run) and returns their seconds and the final test accuracy;
 * `afterEpoch` runs after each epoch's timing (the hand-written step's epochs, interleaved with
 * fit's so that both see the same state of a shared machine).
 */
export async function nablaRuns(cfg: BenchConfig, kernels: Kernels, data: { train: Dataset; test: Dataset }, runs: number, afterEpoch?: () => void): Promise<Timing> {
  const net = Network.create(cfg.sizes, { hidden: cfg.hidden, output: cfg.output, cost: cfg.cost, seed: 1, kernels });
  const optimizer = cfg.optimizer === 'adam' ? adam({ lr: cfg.lr }) : sgd({ lr: cfg.lr });
  const { history } = await fit(net, data.train, { epochs: runs, batchSize: cfg.batchSize, optimizer, seed: 1, onEpochEnd: () => afterEpoch?.() });
  const accuracy = evaluate(net, data.test).accuracy;
  return {
    seconds: history.epochs.map((e) => e.seconds),
    samples: data.train.count,
    note: '',
    ...(accuracy !== undefined ? { accuracy } : {}),
  };
}

/**
 * The same network, data and batches, but a hand-written loop in which the input gather (uint8
 * pixels → x/255 from the data set's own storage, WasmKernels.gatherScaledU8, the next batch's
 * rows announced with prefetchRowsU8 as fit does) and the optimizer update (adamUpdate /
 * sgdUpdate on state allocated in the wasm memory) also run in wasm, its thread count chosen as
 * fit chooses it (ThreadTuner), without fit's per-batch
 * diagnostics (gradient norms, accuracy): what the training step costs when nothing but the step
 * runs. Labelled separately in the table. `epoch()` trains one epoch and returns its seconds.
 */
export function nablaWasmStep(cfg: BenchConfig, kernels: WasmKernels, data: { train: Dataset; test: Dataset }): { epoch: () => number; result: (seconds: number[]) => Timing } {
  const net = Network.create(cfg.sizes, { hidden: cfg.hidden, output: cfg.output, cost: cfg.cost, seed: 1, kernels });
  const params = net.params();
  const grads = net.grads();
  const m = params.map((p) => kernels.alloc(p.length));
  const v = params.map((p) => kernels.alloc(p.length));
  const train = data.train;
  const u8 = train.storedU8;
  if (!u8) throw new Error('the hand-written step needs a data set stored as uint8');
  const order = new BatchOrder(train.count, cfg.batchSize, new Rng(1));
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const cols = cfg.sizes[0]!;
  const shift = new Float32Array(cols);
  const scale = new Float32Array(cols).fill(1 / 255);
  const rows = [new Int32Array(cfg.batchSize), new Int32Array(cfg.batchSize)];
  /** The storage rows of a batch, in one of two buffers (this batch's and the next's). */
  const storageRows = (ids: Int32Array, which: number): Int32Array => {
    if (rows[which]!.length !== ids.length) rows[which] = new Int32Array(ids.length);
    const r = rows[which]!;
    for (let i = 0; i < ids.length; i++) r[i] = u8.row(ids[i]!);
    return r;
  };
  let step = 0;
  // the thread count chosen as fit() chooses it (all or one, whichever runs faster now), by a tuner
  // of its own kept across its epochs; fit's tuner, paused between fit's epochs, keeps its choice
  let ownChoice = kernels.threads;
  let tuner: ThreadTuner | null | undefined;
  const epoch = (): number => {
    const t0 = performance.now();
    const fitsChoice = kernels.activeThreads;
    kernels.activeThreads = ownChoice;
    if (tuner === undefined) tuner = ThreadTuner.for(kernels, () => performance.now());
    tuner?.restart();
    order.newEpoch();
    for (let b = 0; b < order.count; b++) {
      const ids = order.batch(b);
      const { x, t } = net.batchBuffers(ids.length);
      kernels.gatherScaledU8(u8.data, cols, storageRows(ids, b & 1), shift, scale, x);
      if (b + 1 < order.count) kernels.prefetchRowsU8(u8.data, cols, storageRows(order.batch(b + 1), (b + 1) & 1));
      train.gatherTargets(ids, t);
      net.forwardBatch(ids.length, true);
      net.backwardBatch();
      step++;
      const h = { stepSize: cfg.lr / (1 - beta1 ** step), sqrtCorrection2: Math.sqrt(1 - beta2 ** step), beta1, beta2, eps, shrink: 1 };
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
