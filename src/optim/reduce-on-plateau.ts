import { NablaError } from '../errors.js';
import { checkNumber } from './hyperparameters.js';

/** Options of `reduceOnPlateau`, named and defaulted as PyTorch's `lr_scheduler.ReduceLROnPlateau`. */
export interface PlateauOptions {
  /** 'min' when lower metric is better (a loss), 'max' when higher is (an accuracy); default 'min'. */
  mode?: 'min' | 'max';
  /** The multiplier applied on a plateau, in (0, 1); default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing; default 10. */
  patience?: number;
  /** How much better counts as better; default 1e-4. */
  threshold?: number;
  /** 'rel': better means below best·(1 − threshold) (min mode); 'abs': below best − threshold. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again; default 0. */
  cooldown?: number;
  /** The learning rate never goes below this; default 0. */
  minLr?: number;
  /** The learning rate the multiplier scales (the optimizer's lr), used with minLr and eps; default 1. */
  baseLr?: number;
  /** A reduction smaller than this (in learning rate) is skipped; default 1e-8. */
  eps?: number;
}

/** The controller's state, plain data for checkpoints. */
export interface PlateauState {
  /** The current learning-rate multiplier, to pass to `Optimizer.step` as `lrScale`. */
  scale: number;
  /** The best metric so far (±Infinity before the first epoch). */
  best: number;
  /** Epochs since the last improvement (PyTorch's `num_bad_epochs`). */
  badEpochs: number;
  /** Epochs of cooldown left. */
  cooldownLeft: number;
  /** Epochs seen. */
  epochs: number;
}

/** A reduce-on-plateau controller: `init` makes its state, `update` feeds one epoch's metric. */
export interface PlateauController {
  readonly config: Readonly<Required<PlateauOptions>>;
  init(): PlateauState;
  /** Feeds this epoch's validation metric and returns the learning-rate multiplier for the next epoch. */
  update(state: PlateauState, metric: number): number;
}

/**
 * Reduce-on-plateau, with PyTorch's `ReduceLROnPlateau` semantics, as a multiplier of the learning
 * rate. After each epoch's metric x (mode min, rel):
 *
 *     if x < best·(1 − threshold):  best ← x, bad ← 0     else bad ← bad + 1
 *     if cooldownLeft > 0:          cooldownLeft ← cooldownLeft − 1, bad ← 0
 *     if bad > patience:            lr ← max(lr·factor, minLr) (skipped if the change ≤ eps),
 *                                   cooldownLeft ← cooldown, bad ← 0
 *
 * where lr = baseLr · scale. (With a schedule as well, the optimizer uses schedule(t) · scale;
 * minLr then bounds baseLr · scale.)
 *
 * @example
 * const plateau = reduceOnPlateau({ patience: 2, factor: 0.5, baseLr: 0.1, minLr: 1e-3 });
 * const ps = plateau.init();
 * // each epoch: const lrScale = plateau.update(ps, validationLoss); then opt.step(p, g, s, lrScale)
 */
export function reduceOnPlateau(options: PlateauOptions = {}): PlateauController {
  const owner = 'reduce-on-plateau';
  const mode = options.mode ?? 'min';
  const thresholdMode = options.thresholdMode ?? 'rel';
  if (mode !== 'min' && mode !== 'max') {
    throw new NablaError('ARGUMENT', `${owner} mode '${String(mode)}': expected 'min' or 'max'`);
  }
  if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
    throw new NablaError('ARGUMENT', `${owner} thresholdMode '${String(thresholdMode)}': expected 'rel' or 'abs'`);
  }
  const config = {
    mode,
    thresholdMode,
    factor: checkNumber(owner, 'factor', options.factor ?? 0.1, { min: 0, minExclusive: true, max: 1, maxExclusive: true }),
    patience: checkNumber(owner, 'patience', options.patience ?? 10, { min: 0, integer: true }),
    threshold: checkNumber(owner, 'threshold', options.threshold ?? 1e-4, { min: 0 }),
    cooldown: checkNumber(owner, 'cooldown', options.cooldown ?? 0, { min: 0, integer: true }),
    minLr: checkNumber(owner, 'minLr', options.minLr ?? 0, { min: 0 }),
    baseLr: checkNumber(owner, 'baseLr', options.baseLr ?? 1, { min: 0, minExclusive: true }),
    eps: checkNumber(owner, 'eps', options.eps ?? 1e-8, { min: 0 }),
  } as const;
  const { factor, patience, threshold, cooldown, minLr, baseLr, eps } = config;

  const isBetter = (x: number, best: number): boolean => {
    if (mode === 'min') return thresholdMode === 'rel' ? x < best * (1 - threshold) : x < best - threshold;
    return thresholdMode === 'rel' ? x > best * (1 + threshold) : x > best + threshold;
  };

  return {
    config,
    init: () => ({ scale: 1, best: mode === 'min' ? Infinity : -Infinity, badEpochs: 0, cooldownLeft: 0, epochs: 0 }),
    update(state, metric) {
      state.epochs += 1;
      // A NaN metric is never better: it counts as a bad epoch, as in PyTorch.
      if (isBetter(metric, state.best)) {
        state.best = metric;
        state.badEpochs = 0;
      } else {
        state.badEpochs += 1;
      }
      if (state.cooldownLeft > 0) {
        state.cooldownLeft -= 1;
        state.badEpochs = 0;
      }
      if (state.badEpochs > patience) {
        const oldLr = baseLr * state.scale;
        const reduced = oldLr * factor;
        const newLr = Math.max(reduced, minLr);
        if (oldLr - newLr > eps) state.scale = reduced >= minLr ? state.scale * factor : minLr / baseLr;
        state.cooldownLeft = cooldown;
        state.badEpochs = 0;
      }
      return state.scale;
    },
  };
}
