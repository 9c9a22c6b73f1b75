import { NablaError } from '../errors.js';
import type { OptimizerState } from '../optim/optimizer.js';
import type { PlateauState } from '../optim/reduce-on-plateau.js';
import type { Floats } from '../tensor/matrix.js';
import type { RngState } from '../tensor/rng.js';
import type { EarlyStoppingState } from './early-stopping.js';
import type { History } from './history.js';

/** The running sums of the epoch in progress, from which its record is made at its end. */
export interface EpochTotals {
  /** Σ over batches of the batch's mean cost × its rows, and the rows seen. */
  cost: number;
  seen: number;
  /** Classification: samples predicted right; regression: Σ (ŷ − t)². */
  correct: number;
  squaredError: number;
  /** Per layer ℓ: Σ over batches of ‖∂C/∂W[ℓ]‖₂. */
  gradNorms: number[];
}

/**
 * The settings and data a run's result depends on; resuming checks them against the checkpoint's
 * (plain JSON values; `epochs` is left out, so a resumed run may train on for longer).
 */
export interface TrainingConfig {
  [key: string]: TrainingConfigValue;
}
export type TrainingConfigValue = number | string | boolean | null | readonly TrainingConfigValue[] | { readonly [key: string]: TrainingConfigValue };

/**
 * The whole state of a training run as plain data — everything `fit` needs to continue it exactly,
 * mid-epoch included: a checkpoint is this, written to a file.
 */
export interface TrainingState {
  /** The epoch in progress (1-based) and how many of its batches are done (all of them: its end is pending). */
  epoch: number;
  batch: number;
  /** True once the run has ended for good (early stopping, a non-finite cost): resuming trains no further. */
  finished: boolean;
  /** The network's parameters, W[1], b[1], W[2] ... as `Network.params()`. */
  params: Floats[];
  /** The optimizer's state (with its step, the schedule's position) and its chained transformations'. */
  optimizer: OptimizerState;
  /** reduce-on-plateau's state, when it is on. */
  plateau: PlateauState | null;
  /** Early stopping's state (it tracks the best epoch even when stopping is off), and the best epoch's parameters. */
  early: EarlyStoppingState;
  bestParams: Floats[] | null;
  /** The parameters at the start of the epoch in progress (or the last finite ones): restored after a non-finite update. */
  epochStartParams: Floats[];
  /** The random generators: the shuffle's, and dropout's when it is on. */
  rng: { shuffle: RngState; dropout: RngState | null };
  /** The sample order of the epoch in progress (each epoch reshuffles the previous one). */
  order: Int32Array;
  totals: EpochTotals;
  /** Every k-th step's cost goes into history.batches. */
  batchLogEvery: number;
  history: History;
  config: TrainingConfig;
}

/** Copies of the arrays (in ordinary memory, not the backend's). */
export function copyArrays(arrays: readonly Floats[]): Floats[] {
  return arrays.map((a) => a.slice());
}

/**
 * The first difference between the settings a checkpoint was made with and the ones given now, as
 * `batchSize: 32 in the checkpoint, 64 now`, or null when they agree.
 */
export function configDifference(saved: TrainingValue, now: TrainingValue, path = ''): string | null {
  if (isRecord(saved) && isRecord(now)) {
    for (const key of new Set([...Object.keys(saved), ...Object.keys(now)])) {
      const d = configDifference(saved[key] ?? null, now[key] ?? null, path ? `${path}.${key}` : key);
      if (d) return d;
    }
    return null;
  }
  const a = JSON.stringify(saved);
  const b = JSON.stringify(now);
  return a === b ? null : `${path}: ${a} in the checkpoint, ${b} now`;
}

type TrainingValue = TrainingConfigValue | undefined;

function isRecord(v: TrainingValue): v is { readonly [key: string]: TrainingConfigValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throws NablaError('RESUME') naming the first setting, or the data, that differs between the checkpoint and now. */
export function checkResumable(saved: TrainingConfig, now: TrainingConfig): void {
  const d = configDifference(saved, now);
  if (!d) return;
  const data = /^(train|validation)\.(count|fingerprint)/.exec(d);
  const what = data ? `the ${data[1] === 'train' ? 'training' : 'validation'} data differ from the checkpoint's (${d})` : d;
  throw new NablaError('RESUME', `cannot resume: ${what}; a run resumes with the data and settings it started with`);
}
