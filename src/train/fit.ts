import type { Dataset } from '../data/dataset.js';
import { splitDataset } from '../data/split.js';
import { NablaError } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Network } from '../nn/network.js';
import { adam } from '../optim/adam.js';
import type { Optimizer, OptimizerState } from '../optim/optimizer.js';
import { reduceOnPlateau, type PlateauOptions } from '../optim/reduce-on-plateau.js';
import type { Floats } from '../tensor/matrix.js';
import { Rng } from '../tensor/rng.js';
import { BatchOrder } from './batches.js';
import { sumOfSquares, unitHealth } from './diagnostics.js';
import type { EpochRecord, History, HistoryMeta } from './history.js';
import { evaluate, predictedClass } from './metrics.js';

export interface EarlyStoppingOptions {
  /** Epochs without improvement of the monitored cost before stopping (default 5). */
  patience?: number;
  /** The least decrease that counts as improvement (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping (default true). */
  restoreBest?: boolean;
}

export interface BatchInfo {
  epoch: number;
  /** 0-based batch index within the epoch, and the epoch's number of batches. */
  batch: number;
  batches: number;
  /** Optimizer updates made so far (after this one). */
  step: number;
  /** The batch's mean cost and the learning rate its update used. */
  cost: number;
  lr: number;
  rows: number;
}

export interface FitOptions {
  epochs: number;
  /** Mini-batch size (default 32); the last batch of an epoch may be smaller. 1 is online learning, ≥ the count full-batch. */
  batchSize?: number;
  /** Default: Adam with PyTorch's defaults (lr 1e-3). */
  optimizer?: Optimizer;
  /** Optimizer state to continue from (a checkpoint); default: a fresh `optimizer.init`. */
  optimizerState?: OptimizerState;
  /** Validation data, evaluated after every epoch. */
  validation?: Dataset;
  /** Without `validation`: the fraction of the training data held out for validation (seeded, stratified). */
  validationSplit?: number;
  /** Reshuffle the batches every epoch (default true); false keeps the data's order. */
  shuffle?: boolean;
  /** Seed of the shuffling, the validation split and dropout (default 1). */
  seed?: number;
  /** Inverted dropout rate on the hidden layers (one rate, or one per hidden layer); off by default. */
  dropout?: number | readonly number[];
  /** Rescale all gradients together when their global L2 norm exceeds this (PyTorch's clip_grad_norm_). */
  clipNorm?: number;
  /** Clamp every gradient entry to [−clipValue, clipValue] (PyTorch's clip_grad_value_). */
  clipValue?: number;
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Reduce the learning rate when the validation (else training) cost stops improving. */
  reduceOnPlateau?: PlateauOptions | boolean;
  /** Called after every batch; return false to stop training. */
  onBatchEnd?: (info: BatchInfo) => void | boolean | Promise<void | boolean>;
  /** Called after every epoch with its record; return false to stop training. */
  onEpochEnd?: (record: EpochRecord, history: History) => void | boolean | Promise<void | boolean>;
  /** Record every k-th batch's cost in history.batches (default: about 2,000 points in all). */
  batchLogEvery?: number;
  /** Extra facts for the history (command, data set name ...). */
  meta?: Partial<HistoryMeta>;
}

/** What `fit` returns: the history, and the optimizer state to checkpoint or continue from. */
export interface FitResult {
  history: History;
  optimizerState: OptimizerState;
}

const PROBE_ROWS = 256;

/**
 * Mini-batch gradient descent: for each epoch, the batches of a reshuffled order; for each batch,
 * forward, backward (the four equations), optional clipping, one optimizer update. After each
 * epoch: training and validation cost and accuracy (or MSE), the per-layer gradient norms and
 * the saturated or dead unit fractions; early stopping and reduce-on-plateau act on the
 * validation cost. A NaN or infinite cost or gradient stops training at once with a clear
 * reason in `history.stopMessage`, and the network keeps its last finite weights.
 *
 * @example
 * const { history } = await fit(net, train, { epochs: 10, batchSize: 64, optimizer: adam({ lr: 1e-3 }), validation: test });
 */
export async function fit(net: Network, train: Dataset, options: FitOptions): Promise<FitResult> {
  const epochs = options.epochs;
  if (!Number.isInteger(epochs) || epochs < 0) throw new NablaError('ARGUMENT', `epochs ${epochs}: expected a whole number ≥ 0`);
  const seed = options.seed ?? 1;
  const rng = new Rng(seed);
  checkData(net, train, 'training data');
  let validation = options.validation;
  if (!validation && options.validationSplit !== undefined && options.validationSplit > 0) {
    const split = splitDataset(train, options.validationSplit, seed);
    train = split.train;
    validation = split.test;
  }
  if (validation) checkData(net, validation, 'validation data');
  for (const [name, v] of [['clipNorm', options.clipNorm], ['clipValue', options.clipValue]] as const) {
    if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new NablaError('ARGUMENT', `${name} ${v}: expected a positive number`);
  }

  const optimizer = options.optimizer ?? adam();
  const params = net.params();
  const grads = net.grads();
  const kernels = net.kernels;
  // A given state (a checkpoint) is copied into the backend's memory, where its fast paths need it.
  const state = options.optimizerState ? adoptState(options.optimizerState, kernels) : optimizer.init(params, kernels);
  const gather = inputGatherer(train, kernels);
  const order = new BatchOrder(train.count, options.batchSize ?? 32, options.shuffle === false ? null : rng);
  if (options.dropout !== undefined) net.setDropout(options.dropout, new Rng(seed + 0x9e3779b9));
  const classify = train.task !== 'regression' && train.labels !== undefined;
  const nOut = net.sizes[net.sizes.length - 1]!;
  const L = net.layers.length;
  const logEvery = options.batchLogEvery ?? Math.max(1, Math.ceil((epochs * order.count) / 2000));

  const early = options.earlyStopping ? { patience: 5, minDelta: 0, restoreBest: true, ...(options.earlyStopping === true ? {} : options.earlyStopping) } : null;
  const plateau = options.reduceOnPlateau
    ? reduceOnPlateau({ baseLr: optimizer.learningRate(0), ...(options.reduceOnPlateau === true ? {} : options.reduceOnPlateau) })
    : null;
  const plateauState = plateau?.init();
  let lrScale = 1;

  const history: History = {
    meta: {
      sizes: [...net.sizes],
      hidden: net.hidden.map((h) => h.name),
      output: net.output.name,
      cost: net.cost.name,
      task: train.task,
      ...(train.classNames ? { classNames: [...train.classNames] } : {}),
      optimizer: { name: optimizer.name, ...optimizer.config },
      batchSize: order.size,
      epochs,
      seed,
      backend: net.kernels.name,
      threads: net.kernels.threads,
      numBiases: net.numBiases,
      numWeights: net.numWeights,
      trainCount: train.count,
      ...(validation ? { valCount: validation.count } : {}),
      startedAt: new Date().toISOString(),
      ...(train.name ? { dataset: train.name } : {}),
      ...(options.dropout !== undefined ? { dropout: typeof options.dropout === 'number' ? options.dropout : [...options.dropout] } : {}),
      ...(options.clipNorm !== undefined ? { clipNorm: options.clipNorm } : {}),
      ...(options.clipValue !== undefined ? { clipValue: options.clipValue } : {}),
      ...(early ? { earlyStoppingPatience: early.patience } : {}),
      ...(plateau ? { reduceOnPlateauPatience: plateau.config.patience } : {}),
      ...options.meta,
    },
    epochs: [],
    batches: [],
    stopReason: 'completed',
    totalSeconds: 0,
  };

  // Snapshots: the weights at the start of the epoch (to fall back on after a non-finite update)
  // and of the best epoch (early stopping).
  const epochStart = params.map((p) => new Float32Array(p.length));
  const best = early?.restoreBest ? params.map((p) => new Float32Array(p.length)) : null;
  let bestCost = Infinity;
  let bestEpoch = 0;
  let sinceBest = 0;
  const squares = kernels.sumOfSquares ? (g: Floats) => kernels.sumOfSquares!(g.length, g) : sumOfSquares;
  const layerSq = new Float64Array(L);
  const gradNormSums = new Float64Array(L);
  const t0 = now();

  training: for (let epoch = 1; epoch <= epochs; epoch++) {
    const te = now();
    // An update at the end of the last epoch may have overflowed: then keep the older snapshot.
    if (params.every(allFinite)) copyInto(epochStart, params);
    order.newEpoch();
    gradNormSums.fill(0);
    let costSum = 0;
    let seen = 0;
    let correct = 0;
    let sqErr = 0;
    let lr = optimizer.learningRate(state.step) * lrScale;
    for (let b = 0; b < order.count; b++) {
      const ids = order.batch(b);
      const m = ids.length;
      const { x, t } = net.batchBuffers(m);
      gather(ids, x);
      train.gatherTargets(ids, t);
      net.forwardBatch(m, true);
      const cost = net.backwardBatch();
      let sq = 0;
      for (let l = 0; l < L; l++) {
        layerSq[l] = squares(grads[2 * l]!);
        sq += layerSq[l]! + squares(grads[2 * l + 1]!);
      }
      if (!Number.isFinite(cost) || !Number.isFinite(sq)) {
        const what = !Number.isFinite(cost) ? `the cost became ${cost}` : 'a gradient became NaN or infinite';
        const restored = params.every(allFinite) ? 'the weights before this batch are kept' : `the weights from the start of epoch ${epoch} are restored`;
        if (!params.every(allFinite)) copyInto(params, epochStart);
        history.stopReason = 'non-finite';
        history.stopMessage = `training stopped at epoch ${epoch}, batch ${b + 1} of ${order.count}: ${what} (learning rate ${lr}); ${restored}. Try a smaller learning rate, gradient clipping (--clip-norm) or input scaling.`;
        break training;
      }
      for (let l = 0; l < L; l++) gradNormSums[l] = gradNormSums[l]! + Math.sqrt(layerSq[l]!);
      if (options.clipValue !== undefined) clipByValue(grads, options.clipValue);
      if (options.clipNorm !== undefined) {
        const norm = Math.sqrt(options.clipValue !== undefined ? grads.reduce((s, g) => s + sumOfSquares(g), 0) : sq);
        if (norm > options.clipNorm) scaleAll(grads, options.clipNorm / (norm + 1e-6));
      }
      lr = optimizer.learningRate(state.step) * lrScale;
      optimizer.step(params, grads, state, lrScale, kernels);

      costSum += cost * m;
      seen += m;
      const yhat = net.outputBuffer();
      if (classify) {
        for (let r = 0; r < m; r++) if (predictedClass(yhat, r, nOut) === train.labels![ids[r]!]) correct++;
      } else {
        for (let i = 0; i < m * nOut; i++) sqErr += (yhat[i]! - t[i]!) ** 2;
      }
      if (state.step % logEvery === 0 || b === order.count - 1) history.batches.push({ step: state.step, cost, lr });
      if ((await options.onBatchEnd?.({ epoch, batch: b, batches: order.count, step: state.step, cost, lr, rows: m })) === false) {
        history.stopReason = 'callback';
        break training;
      }
    }
    const seconds = (now() - te) / 1000;
    const record: EpochRecord = {
      epoch,
      trainCost: costSum / seen,
      ...(classify ? { trainAccuracy: correct / seen } : { trainMse: sqErr / (seen * nOut) }),
      lr,
      seconds,
      gradNorms: Array.from(gradNormSums, (s) => s / order.count),
      saturation: probeUnits(net, train),
    };
    if (validation && validation.count > 0) {
      const v = evaluate(net, validation);
      record.valCost = v.cost;
      if (v.accuracy !== undefined) Object.assign(record, { valAccuracy: v.accuracy, valCorrect: v.correct, valCount: v.count });
      if (v.mse !== undefined) record.valMse = v.mse;
    }
    history.epochs.push(record);
    history.totalSeconds = (now() - t0) / 1000;

    const monitored = record.valCost ?? record.trainCost;
    if (!Number.isFinite(monitored)) {
      history.stopReason = 'non-finite';
      history.stopMessage = `training stopped after epoch ${epoch}: the ${record.valCost !== undefined ? 'validation' : 'training'} cost is ${monitored}`;
      break;
    }
    if (monitored < bestCost - (early?.minDelta ?? 0)) {
      bestCost = monitored;
      bestEpoch = epoch;
      sinceBest = 0;
      if (best) copyInto(best, params);
    } else {
      sinceBest++;
    }
    history.bestEpoch = bestEpoch;
    if (plateau && plateauState) lrScale = plateau.update(plateauState, monitored);
    if ((await options.onEpochEnd?.(record, history)) === false) {
      history.stopReason = 'callback';
      break;
    }
    if (early && sinceBest >= early.patience) {
      history.stopReason = 'early-stopping';
      history.stopMessage = `no improvement of the ${record.valCost !== undefined ? 'validation' : 'training'} cost for ${early.patience} epochs; best was epoch ${bestEpoch} (${bestCost.toPrecision(4)})`;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // let progress output and timers run between epochs
  }
  if (best && bestEpoch > 0 && bestEpoch !== history.epochs.length) {
    copyInto(params, best);
    history.stopMessage = `${history.stopMessage ?? 'finished'}; weights restored from epoch ${bestEpoch}`;
  }
  history.totalSeconds = (now() - t0) / 1000;
  return { history, optimizerState: state };
}

function checkData(net: Network, data: Dataset, what: string): void {
  const n0 = net.sizes[0]!;
  const nL = net.sizes[net.sizes.length - 1]!;
  const where = data.name ? `${what} ${data.name}` : what;
  if (data.inputSize !== n0) {
    throw new NablaError('SHAPE', `${where} has ${data.inputSize} inputs per sample, but the network ${net.architecture} expects N0 = ${n0}`);
  }
  if (data.outputSize !== nL) {
    throw new NablaError('SHAPE', `${where} has ${data.outputSize} targets per sample (${data.task}), but the network ${net.architecture} has NL = ${nL} outputs`);
  }
}

/** Forward over up to PROBE_ROWS training samples (fixed, in data order) to measure saturation and dead units. */
function probeUnits(net: Network, data: Dataset): (number | null)[] {
  if (net.layers.length < 2) return [];
  const m = Math.min(PROBE_ROWS, data.count);
  const ids = Int32Array.from({ length: m }, (_, i) => Math.floor((i * data.count) / m));
  const { x } = net.batchBuffers(m);
  data.gatherInputs(ids, x);
  net.forwardBatch(m, false);
  return unitHealth(net);
}

/**
 * How a batch's inputs are gathered: natively by the backend from uint8 storage where it can
 * (scaled in SIMD, no float copy of the data set), else by the data set itself.
 */
function inputGatherer(data: Dataset, kernels: Kernels): (ids: Int32Array, out: Floats) => void {
  const u8 = data.storedU8;
  const scaling = data.scaling;
  if (!u8 || !scaling || !kernels.gatherScaledU8 || scaling.shift.length !== data.inputSize) return (ids, out) => data.gatherInputs(ids, out);
  let rows = new Int32Array(0);
  return (ids, out) => {
    if (rows.length < ids.length) rows = new Int32Array(ids.length);
    const r = rows.subarray(0, ids.length);
    for (let i = 0; i < ids.length; i++) r[i] = u8.row(ids[i]!);
    kernels.gatherScaledU8!(u8.data, data.inputSize, r, scaling.shift, scaling.scale, out);
  };
}

function adoptState(given: OptimizerState, kernels: Kernels): OptimizerState {
  const slots: OptimizerState['slots'] = {};
  for (const [name, arrays] of Object.entries(given.slots)) {
    slots[name] = arrays.map((a) => {
      const copy = kernels.alloc(a.length);
      copy.set(a);
      return copy;
    });
  }
  return { step: given.step, slots };
}

function allFinite(a: Floats): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

function copyInto(dst: readonly Floats[], src: readonly Floats[]): void {
  dst.forEach((d, i) => d.set(src[i]!));
}

function clipByValue(grads: readonly Floats[], v: number): void {
  for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = Math.min(v, Math.max(-v, g[i]!));
}

function scaleAll(grads: readonly Floats[], s: number): void {
  for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * s;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
