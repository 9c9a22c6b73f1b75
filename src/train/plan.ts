/**
 * From settings (the CLI's flags, or the playground's form) and raw data to what `fit` needs:
 * the split, the scaling, the network, the optimizer and the fit options. `nabla train` and the
 * playground's worker both call these, so the same settings train the same weights everywhere.
 */
import type { Dataset, Scaling } from '../data/dataset.js';
import { applyScaling, fitScaling } from '../data/scaling.js';
import { splitDataset } from '../data/split.js';
import { NablaError } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import type { InitName } from '../nn/init.js';
import { Network } from '../nn/network.js';
import type { Optimizer } from '../optim/optimizer.js';
import { parseSchedule } from '../optim/parse-schedule.js';
import { createOptimizer, defaultLearningRate, type AnyOptimizerOptions } from '../optim/registry.js';
import type { FitOptions } from './fit.js';
import { TRAIN_DEFAULTS } from './defaults.js';

/** The settings that decide a training run, named as the CLI's flags (camel-cased). */
export interface TrainSettings {
  /** The hold-out fraction when the data has no test split of its own (undefined: the default, TRAIN_DEFAULTS.split). */
  split?: number;
  seed: number;
  shuffle: boolean;
  layers?: number[];
  /** One activation for every hidden layer, or one per hidden layer. */
  hiddenActivation: string | readonly string[];
  leakySlope?: number;
  outputActivation?: string;
  cost?: string;
  weightInit?: string;
  optimizer: string;
  lr?: number;
  momentum?: number;
  weightDecay?: number;
  schedule?: string;
  batch: number;
  /** Exactly this many epochs; undefined: until converged, within `maxSteps` (see `fit`). */
  epochs?: number;
  maxSteps?: number;
  scale: string;
  dropout?: number;
  clipNorm?: number;
  clipValue?: number;
  earlyStop?: number | boolean;
  reduceOnPlateau?: number | boolean;
}

/** The settings of a run with no flags given. */
export function defaultSettings(): TrainSettings {
  const d = TRAIN_DEFAULTS;
  return { seed: d.seed, shuffle: d.shuffle, hiddenActivation: d.hiddenActivation, optimizer: d.optimizer, batch: d.batch, scale: d.scale };
}

/** The training and test sets: the source's own test split when it has one, else a seeded hold-out of `split` (none with 0). */
export function splitForTraining(train: Dataset, ownTest: Dataset | null, s: Pick<TrainSettings, 'split' | 'seed' | 'shuffle'>, what: string): { train: Dataset; test: Dataset | null } {
  if (ownTest) return { train, test: ownTest };
  const split = s.split ?? TRAIN_DEFAULTS.split;
  if (split === 0) return { train, test: null };
  const parts = splitDataset(train, split, s.seed, { shuffle: s.shuffle });
  if (parts.test.count === 0) {
    throw new NablaError('ARGUMENT', `--split ${split} of ${train.count} samples in ${what} holds out no sample: give a larger fraction, or 0 to train on every row`);
  }
  return parts;
}

/**
 * The scaling to train with: `auto` keeps image pixels as x/255 (IDX) and standardises other
 * data; the kind is fitted on the training split only.
 */
export function chooseScaling(train: Dataset, kind: string): Scaling {
  const resolved = kind === 'auto' ? (train.scaling && train.imageShape && train.inputSize > 100 ? 'none' : 'standard') : kind;
  return fitScaling(train, resolved);
}

/** Applies a scaling to a data set whose input size must match. */
export function scaled(ds: Dataset, scaling: Scaling, what: string): Dataset {
  if (scaling.shift.length !== ds.inputSize) {
    const name = ds.name ? ` ${ds.name}` : '';
    throw new NablaError('SHAPE', `${what}${name} has ${ds.inputSize} inputs per sample, the model expects ${scaling.shift.length}`);
  }
  return applyScaling(ds, scaling);
}

/**
 * The network's sizes from `--layers` and the data: the notes' full form N0/.../NL must fit the
 * data at both ends; sizes whose first is not N0 and last not NL are the hidden sizes alone.
 */
export function resolveLayers(layers: readonly number[] | undefined, n0: number, nL: number, what: string): number[] {
  if (!layers) return [n0, ...TRAIN_DEFAULTS.hiddenLayers, nL];
  const full = layers.length >= 2 && (layers[0] === n0 || layers[layers.length - 1] === nL);
  if (!full) return [n0, ...layers, nL];
  if (layers[0] !== n0) throw new NablaError('SHAPE', `--layers ${layers.join('/')}: N0 = ${layers[0]}, but ${what} has ${n0} inputs per sample`);
  if (layers[layers.length - 1] !== nL) {
    throw new NablaError('SHAPE', `--layers ${layers.join('/')}: NL = ${layers[layers.length - 1]}, but ${what} needs ${nL} output${nL === 1 ? '' : 's'}`);
  }
  return [...layers];
}

/** The output activation the task calls for (its cost then follows from it, see `OutputActivation.defaultCost`). */
const outputForTask: Record<Dataset['task'], string> = { classification: 'softmax', binary: 'sigmoid', regression: 'identity' };

/** A fresh network for `data` from the settings: sizes, activations, output and cost (from the task unless given), init, seed. */
export function createNetwork(s: TrainSettings, data: Dataset, kernels: Kernels, what: string): Network {
  const sizes = resolveLayers(s.layers, data.inputSize, data.outputSize, what);
  const hidden = typeof s.hiddenActivation === 'string' ? s.hiddenActivation : [...s.hiddenActivation];
  if (Array.isArray(hidden) && hidden.length !== sizes.length - 2) {
    throw new NablaError('ARGUMENT', `hidden-activation ${hidden.join(',')}: ${hidden.length} names for ${sizes.length - 2} hidden layers`);
  }
  return Network.create(sizes, {
    hidden,
    ...(s.leakySlope !== undefined ? { leakySlope: s.leakySlope } : {}),
    output: s.outputActivation ?? outputForTask[data.task],
    ...(s.cost ? { cost: s.cost } : {}),
    ...(s.weightInit ? { init: s.weightInit as InitName } : {}),
    seed: s.seed,
    kernels,
  });
}

/** The optimizer from the settings: its name, learning rate (or schedule over the base rate), momentum and weight decay. */
export function createOptimizerFromSettings(s: TrainSettings): Optimizer {
  const schedule = s.schedule ? parseSchedule(s.schedule, s.lr ?? defaultLearningRate(s.optimizer)) : undefined;
  const options: AnyOptimizerOptions = {
    ...(schedule ? { lr: schedule } : s.lr !== undefined ? { lr: s.lr } : {}),
    ...(s.momentum !== undefined ? { momentum: s.momentum } : {}),
    ...(s.weightDecay !== undefined ? { weightDecay: s.weightDecay } : {}),
  };
  return createOptimizer(s.optimizer, options);
}

/** The options of `fit` the settings decide (callbacks and meta are the caller's). */
export function fitOptionsFromSettings(s: TrainSettings, optimizer: Optimizer, test: Dataset | null): FitOptions {
  return {
    ...(s.epochs !== undefined ? { epochs: s.epochs } : {}),
    ...(s.maxSteps !== undefined ? { maxSteps: s.maxSteps } : {}),
    // Trained until converged, the run watches its training cost: the test split stays unseen until the end.
    ...(s.epochs === undefined && s.earlyStop === undefined ? { earlyStopping: { monitor: 'training' as const } } : {}),
    batchSize: s.batch,
    optimizer,
    ...(test && test.count > 0 ? { validation: test } : {}),
    shuffle: s.shuffle,
    seed: s.seed,
    ...(s.dropout !== undefined ? { dropout: s.dropout } : {}),
    ...(s.clipNorm !== undefined ? { clipNorm: s.clipNorm } : {}),
    ...(s.clipValue !== undefined ? { clipValue: s.clipValue } : {}),
    ...(s.earlyStop !== undefined && s.earlyStop !== false ? { earlyStopping: { patience: s.earlyStop === true ? 5 : s.earlyStop } } : {}),
    ...(s.reduceOnPlateau !== undefined && s.reduceOnPlateau !== false ? { reduceOnPlateau: s.reduceOnPlateau === true ? true : { patience: s.reduceOnPlateau } } : {}),
  };
}
