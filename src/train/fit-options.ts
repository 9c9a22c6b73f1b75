import type { Dataset } from '../data/dataset.js';
import type { Optimizer, OptimizerState } from '../optim/optimizer.js';
import type { PlateauOptions } from '../optim/reduce-on-plateau.js';
import type { EarlyStoppingOptions } from './early-stopping.js';
import type { EpochRecord, History, HistoryMeta } from './history.js';
import type { TrainingState } from './training-state.js';

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
  /**
   * Train exactly this many epochs (fewer only with `earlyStopping`). Omitted: train until
   * converged — early stopping on the epoch's cost (patience 10, minDelta 1e-4, best weights
   * restored) within a budget of `maxSteps` updates.
   */
  epochs?: number;
  /** The budget of updates when `epochs` is omitted (default 60,000), taken in whole epochs. */
  maxSteps?: number;
  /** Mini-batch size (default 32); the last batch of an epoch may be smaller. 1 is online learning, ≥ the count full-batch. */
  batchSize?: number;
  /** Default: Adam with PyTorch's defaults (lr 1e-3). */
  optimizer?: Optimizer;
  /** Optimizer state to continue from (weights-and-moments only); default: a fresh `optimizer.init`. `resume` continues a whole run. */
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
  /** Rescale all gradients together when their global L2 norm exceeds this (PyTorch's clip_grad_norm_; `clipByGlobalNorm`). */
  clipNorm?: number;
  /** Clamp every gradient entry to [−clipValue, clipValue] (PyTorch's clip_grad_value_; `clipByValue`, applied before clipNorm). */
  clipValue?: number;
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Reduce the learning rate when the validation (else training) cost stops improving. */
  reduceOnPlateau?: PlateauOptions | boolean;
  /** Called after every batch; return (or resolve to) false to stop training. `fit` awaits a returned promise (pause, single step). */
  onBatchEnd?: (info: BatchInfo) => void | boolean | Promise<void | boolean>;
  /** Called after every epoch with its record; return false to stop training. */
  onEpochEnd?: (record: EpochRecord, history: History) => void | boolean | Promise<void | boolean>;
  /** Record every k-th batch's cost in history.batches (default: about 2,000 points in all). */
  batchLogEvery?: number;
  /** Extra facts for the history (command, data set name ...). */
  meta?: Partial<HistoryMeta>;
  /**
   * Give the event loop a turn within an epoch whenever this many milliseconds have passed since
   * the last (a page stays responsive, a Ctrl-C handler runs); between epochs it always does.
   */
  yieldEveryMs?: number;
  /**
   * On a backend with several threads, measure while training whether steps run faster on all of
   * them or on one, and use the faster (a few blocks of steps every second; default true). The
   * results are the same bits either way; false keeps every call on all the threads.
   */
  tuneThreads?: boolean;
  /** Stop after the current step once `aborted` is true (an AbortSignal will do): stopReason 'interrupted', weights as they are, the state resumable. */
  signal?: { readonly aborted: boolean };
  /**
   * A training state (a checkpoint) to continue from, mid-epoch included: the network's weights are
   * set from it and its history goes on (its meta included, so `meta` is not used). The settings and
   * data must be those it was made with (else NablaError 'RESUME' names the difference); `epochs` may be larger.
   */
  resume?: TrainingState;
  /** Receives the training state at every epoch's end, every `checkpointEvery` steps, and when training stops. */
  onCheckpoint?: (state: TrainingState) => void | Promise<void>;
  /** Also hand a state to `onCheckpoint` every this many optimizer steps (default: epoch ends only). */
  checkpointEvery?: number;
  /**
   * An epoch's end is checkpointed only when at least this many seconds have passed since the last
   * checkpoint (default 0: every epoch). Runs of thousands of millisecond epochs then write a few
   * checkpoints a second, not one an epoch; `checkpointEvery` steps and the final state always are.
   */
  checkpointSeconds?: number;
}

/** What `fit` returns: the history, the optimizer state, and the whole training state (before best weights are restored) to resume from. */
export interface FitResult {
  history: History;
  optimizerState: OptimizerState;
  state: TrainingState;
}
