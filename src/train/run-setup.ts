import type { Dataset } from '../data/dataset.js';
import { checkTrainingSet } from '../data/check-training-set.js';
import { datasetFingerprint } from '../data/fingerprint.js';
import { splitDataset } from '../data/split.js';
import { NablaError } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Network } from '../nn/network.js';
import { adam } from '../optim/adam.js';
import { checkBoolean, checkNumber } from '../optim/hyperparameters.js';
import type { Optimizer, OptimizerState } from '../optim/optimizer.js';
import { reduceOnPlateau, type PlateauController } from '../optim/reduce-on-plateau.js';
import { chain, clipByGlobalNorm, clipByValue, type GradientTransformation } from '../optim/transform.js';
import { Rng } from '../tensor/rng.js';
import { BatchOrder } from './batches.js';
import { earlyStopping, type EarlyStoppingController } from './early-stopping.js';
import { emptyTotals } from './epoch-record.js';
import type { FitOptions } from './fit-options.js';
import { historyMeta } from './history-meta.js';
import { checkResumable, copyArrays, type TrainingConfig, type TrainingState } from './training-state.js';

/**
 * The defaults of a run whose length is not given (`epochs` omitted): a budget of updates, and
 * early stopping on the epoch's cost — scikit-learn's MLP rule (`n_iter_no_change` 10, `tol`
 * 1e-4) with Keras's `restore_best_weights`. Measured with `npm run compare`: the small data sets
 * converge in 4,000–6,000 steps (hundreds of epochs), and Fashion-MNIST (1,875 batches of 32 an
 * epoch) uses the budget: 32 epochs, 89.0% in 22 s on two cores (30,000 steps gave 88.3%).
 */
export const CONVERGENCE = { maxSteps: 60_000, patience: 10, minDelta: 1e-4 } as const;

/** Everything fixed for the length of a run: its data, optimizer (clipping chained in), batch order, generators and controllers. */
export interface Run {
  /** The most epochs the run may take: `options.epochs`, or the budget `maxSteps` in whole epochs. */
  readonly epochs: number;
  /** The budget of updates when `options.epochs` was omitted (training until converged), else null. */
  readonly maxSteps: number | null;
  readonly train: Dataset;
  readonly validation: Dataset | undefined;
  readonly optimizer: Optimizer;
  readonly order: BatchOrder;
  readonly shuffleRng: Rng;
  readonly dropoutRng: Rng | null;
  /** Early stopping tracks the best epoch always; it stops training only when `stopEarly`. */
  readonly early: EarlyStoppingController;
  readonly stopEarly: boolean;
  readonly plateau: PlateauController | null;
  /** The settings and data fingerprints the run's numbers depend on (computed once, when first asked). */
  config(): TrainingConfig;
}

/**
 * The live loop state: a TrainingState whose arrays are the network's and the optimizer's own; the
 * generators' states, the batch order and the configuration are read from the Run when a snapshot is taken.
 */
export type LoopState = Omit<TrainingState, 'rng' | 'order' | 'config'>;

/** Checks the options and data against the network and builds the run's fixed parts (dropout is switched on in `net`). */
export function setUpRun(net: Network, data: Dataset, options: FitOptions): Run {
  if (options.epochs !== undefined && !(Number.isInteger(options.epochs) && options.epochs >= 0)) {
    throw new NablaError('ARGUMENT', `epochs ${options.epochs}: expected a whole number ≥ 0`);
  }
  const maxSteps = options.epochs === undefined ? (options.maxSteps ?? CONVERGENCE.maxSteps) : null;
  if (maxSteps !== null && !(Number.isInteger(maxSteps) && maxSteps >= 1)) throw new NablaError('ARGUMENT', `maxSteps ${maxSteps}: expected a whole number ≥ 1`);
  const seed = options.seed ?? 1;
  if (options.checkpointEvery !== undefined) checkNumber('fit', 'checkpointEvery', options.checkpointEvery, { min: 1, integer: true });
  if (options.checkpointSeconds !== undefined) checkNumber('fit', 'checkpointSeconds', options.checkpointSeconds, { min: 0 });
  if (options.yieldEveryMs !== undefined) checkNumber('fit', 'yieldEveryMs', options.yieldEveryMs, { min: 0 });
  if (options.tuneThreads !== undefined) checkBoolean('fit', 'tuneThreads', options.tuneThreads);
  checkData(net, data, 'training data');
  checkTrainingSet(data);
  let train = data;
  let validation = options.validation;
  if (!validation && options.validationSplit !== undefined && options.validationSplit > 0) {
    const split = splitDataset(train, options.validationSplit, seed);
    train = split.train;
    validation = split.test;
  }
  if (validation) checkData(net, validation, 'validation data');
  if (validation?.count === 0) throw new NablaError('DATA', `${validation.name ?? 'validation data'}: no samples to test on`);
  const clipping = gradientClipping(options);
  const optimizer = chain(clipping, options.optimizer ?? adam());
  const shuffleRng = new Rng(seed);
  const order = new BatchOrder(train.count, options.batchSize ?? 32, options.shuffle === false ? null : shuffleRng);
  const dropoutRng = options.dropout !== undefined ? new Rng(seed + 0x9e3779b9) : null;
  if (dropoutRng) net.setDropout(options.dropout!, dropoutRng);
  const epochs = maxSteps === null ? options.epochs! : Math.ceil(maxSteps / order.count);
  // Without a length, train until converged: early stopping is on unless switched off.
  const stopping = options.earlyStopping ?? maxSteps !== null;
  const stopEarly = stopping !== false;
  const early = earlyStopping({
    ...(maxSteps !== null ? { patience: CONVERGENCE.patience, minDelta: CONVERGENCE.minDelta } : {}),
    ...(typeof stopping === 'object' ? stopping : {}),
  });
  if (early.config.monitor === 'validation' && !validation) throw new NablaError('ARGUMENT', `early stopping monitors the validation cost, but there is no validation data (give validation or validationSplit)`);
  const plateau = options.reduceOnPlateau
    ? reduceOnPlateau({ baseLr: optimizer.learningRate(0), ...(options.reduceOnPlateau === true ? {} : options.reduceOnPlateau) })
    : null;
  let config: TrainingConfig | null = null;
  const dataConfig = (d: Dataset): TrainingConfig => ({ count: d.count, fingerprint: datasetFingerprint(d) });
  return {
    epochs,
    maxSteps,
    train,
    validation,
    optimizer,
    order,
    shuffleRng,
    dropoutRng,
    early,
    stopEarly,
    plateau,
    config: () =>
      (config ??= {
        network: { sizes: [...net.sizes], hidden: net.hidden.map((h) => (h.alpha !== undefined ? `${h.name}(${h.alpha})` : h.name)), output: net.output.name, cost: net.cost.name },
        backend: net.kernels.name,
        optimizer: { name: optimizer.name, ...optimizer.config },
        transforms: clipping.map((c) => ({ name: c.name, ...c.config })),
        batchSize: order.size,
        maxSteps,
        shuffle: options.shuffle !== false,
        seed,
        dropout: options.dropout === undefined ? null : typeof options.dropout === 'number' ? options.dropout : [...options.dropout],
        earlyStopping: stopEarly ? { ...early.config } : null,
        reduceOnPlateau: plateau ? { ...plateau.config } : null,
        train: dataConfig(train),
        validation: validation ? dataConfig(validation) : null,
      }),
  };
}

/** The loop state at the start of a new run: epoch 1, batch 0, a fresh (or given) optimizer state, an empty history. */
export function startLoop(run: Run, net: Network, options: FitOptions): LoopState {
  const params = net.params();
  const L = net.layers.length;
  // A given optimizer state is copied into the backend's memory, where its fast paths need it.
  const optimizer = options.optimizerState ? adoptState(options.optimizerState, net.kernels) : run.optimizer.init(params, net.kernels);
  const meta = historyMeta(
    net,
    run.train,
    run.validation,
    {
      optimizer: run.optimizer,
      batchSize: run.order.size,
      epochs: run.epochs,
      ...(run.maxSteps !== null ? { maxSteps: run.maxSteps } : {}),
      seed: options.seed ?? 1,
      dropout: options.dropout,
      clipNorm: options.clipNorm,
      clipValue: options.clipValue,
      earlyStoppingPatience: run.stopEarly ? run.early.config.patience : undefined,
      reduceOnPlateauPatience: run.plateau?.config.patience,
    },
    options.meta,
  );
  return {
    epoch: 1,
    batch: 0,
    finished: false,
    params,
    optimizer,
    plateau: run.plateau?.init() ?? null,
    early: run.early.init(),
    bestParams: run.stopEarly && run.early.config.restoreBest ? params.map((p) => new Float32Array(p.length)) : null,
    epochStartParams: params.map((p) => new Float32Array(p.length)),
    totals: emptyTotals(L),
    batchLogEvery: options.batchLogEvery ?? Math.max(1, Math.ceil((run.epochs * run.order.count) / 2000)),
    history: { meta, epochs: [], batches: [], stopReason: 'completed', totalSeconds: 0 },
  };
}

/**
 * The loop state of a run continued from `saved`: its settings and data must be the run's (else
 * NablaError 'RESUME' names the difference); the weights, generators and batch order are put back.
 */
export function resumeLoop(run: Run, net: Network, saved: TrainingState): LoopState {
  checkResumable(saved.config, run.config());
  if (saved.epoch - 1 > run.epochs) {
    throw new NablaError('ARGUMENT', `epochs ${run.epochs}: the run to resume has already completed ${saved.epoch - 1} epochs`);
  }
  net.setParams(saved.params.filter((_, i) => i % 2 === 0), saved.params.filter((_, i) => i % 2 === 1));
  run.shuffleRng.setState(saved.rng.shuffle);
  if (run.dropoutRng && saved.rng.dropout) run.dropoutRng.setState(saved.rng.dropout);
  run.order.setOrder(saved.order);
  const loop = { ...copyLoop(saved), params: net.params(), optimizer: adoptState(saved.optimizer, net.kernels) };
  loop.history.meta.epochs = run.epochs;
  if (!loop.finished) {
    loop.history.stopReason = 'completed';
    delete loop.history.stopMessage;
  }
  return loop;
}

/** A copy of the whole training state, plain data sharing no array with the live run. */
export function snapshot(run: Run, loop: LoopState): TrainingState {
  return {
    ...copyLoop(loop),
    rng: { shuffle: run.shuffleRng.getState(), dropout: run.dropoutRng?.getState() ?? null },
    order: run.order.getOrder(),
    config: run.config(),
  };
}

/** A deep copy of a loop state (its arrays in ordinary memory). */
function copyLoop(loop: LoopState): LoopState {
  const o = loop.optimizer;
  return {
    epoch: loop.epoch,
    batch: loop.batch,
    finished: loop.finished,
    params: copyArrays(loop.params),
    optimizer: {
      step: o.step,
      slots: Object.fromEntries(Object.entries(o.slots).map(([name, arrays]) => [name, copyArrays(arrays)])),
      ...(o.transforms ? { transforms: structuredClone(o.transforms) } : {}),
    },
    plateau: loop.plateau ? { ...loop.plateau } : null,
    early: { ...loop.early },
    bestParams: loop.bestParams ? copyArrays(loop.bestParams) : null,
    epochStartParams: copyArrays(loop.epochStartParams),
    totals: { ...loop.totals, gradNorms: [...loop.totals.gradNorms] },
    batchLogEvery: loop.batchLogEvery,
    history: structuredClone(loop.history),
  };
}

/** The clipping options as gradient transformations: by value first, then by global norm. */
function gradientClipping(options: FitOptions): GradientTransformation[] {
  for (const [name, v] of [['clipNorm', options.clipNorm], ['clipValue', options.clipValue]] as const) {
    if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new NablaError('ARGUMENT', `${name} ${v}: expected a positive number`);
  }
  return [
    ...(options.clipValue !== undefined ? [clipByValue(options.clipValue)] : []),
    ...(options.clipNorm !== undefined ? [clipByGlobalNorm(options.clipNorm)] : []),
  ];
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

/** A copy of `given` whose arrays live in the backend's memory. */
function adoptState(given: OptimizerState, kernels: Kernels): OptimizerState {
  const slots: OptimizerState['slots'] = {};
  for (const [name, arrays] of Object.entries(given.slots)) {
    slots[name] = arrays.map((a) => {
      const copy = kernels.alloc(a.length);
      copy.set(a);
      return copy;
    });
  }
  return { step: given.step, slots, ...(given.transforms ? { transforms: structuredClone(given.transforms) } : {}) };
}
