import { lookup } from '../errors.js';
import { checkBoolean, checkNumber } from '../optim/hyperparameters.js';

export interface EarlyStoppingOptions {
  /** Epochs without improvement of the monitored cost before stopping (default 5). */
  patience?: number;
  /** The least decrease that counts as improvement (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping (default true). */
  restoreBest?: boolean;
  /**
   * The cost watched: 'validation' needs validation data, 'training' is the epoch's mean training
   * cost (scikit-learn's default), 'auto' (the default) the validation cost where there is one.
   */
  monitor?: 'auto' | 'training' | 'validation';
}

/** The controller's state, plain data for checkpoints. */
export interface EarlyStoppingState {
  /** The best monitored cost so far (Infinity before the first epoch). */
  best: number;
  /** The epoch it was reached in (0 before the first epoch). */
  bestEpoch: number;
  /** Epochs since then. */
  badEpochs: number;
  /** Epochs seen. */
  epochs: number;
}

/** What one epoch's cost decides: whether it is the new best (keep its weights) and whether to stop. */
export interface EarlyStoppingDecision {
  improved: boolean;
  stop: boolean;
}

/** An early-stopping controller, shaped like `reduceOnPlateau`: `init` makes its state, `update` feeds one epoch's cost. */
export interface EarlyStoppingController {
  readonly config: Readonly<Required<EarlyStoppingOptions>>;
  init(): EarlyStoppingState;
  update(state: EarlyStoppingState, cost: number): EarlyStoppingDecision;
}

/**
 * Early stopping on a cost that should fall (Keras' `EarlyStopping(mode='min')`): after each
 * epoch's cost x,
 *
 *     if x < best − minDelta:  best ← x, bestEpoch ← epoch, bad ← 0   (improved)
 *     else                     bad ← bad + 1
 *     stop when bad ≥ patience
 *
 * A NaN cost is never an improvement.
 *
 * @example
 * const early = earlyStopping({ patience: 3 });
 * const es = early.init();
 * // each epoch: const { improved, stop } = early.update(es, validationCost);
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStoppingController {
  const owner = 'early stopping';
  const config = {
    patience: checkNumber(owner, 'patience', options.patience ?? 5, { min: 0, integer: true }),
    minDelta: checkNumber(owner, 'minDelta', options.minDelta ?? 0, { min: 0 }),
    restoreBest: checkBoolean(owner, 'restoreBest', options.restoreBest ?? true),
    monitor: lookup({ auto: 'auto', training: 'training', validation: 'validation' } as const, options.monitor ?? 'auto', 'early-stopping monitor'),
  };
  return {
    config,
    init: () => ({ best: Infinity, bestEpoch: 0, badEpochs: 0, epochs: 0 }),
    update(state, cost) {
      state.epochs += 1;
      const improved = cost < state.best - config.minDelta;
      if (improved) {
        state.best = cost;
        state.bestEpoch = state.epochs;
        state.badEpochs = 0;
      } else {
        state.badEpochs += 1;
      }
      return { improved, stop: state.badEpochs >= config.patience };
    },
  };
}
