import { lookup } from '../errors.js';
import { adagrad, type AdagradOptions } from './adagrad.js';
import { adam, type AdamOptions } from './adam.js';
import { adamw } from './adamw.js';
import { DEFAULT_LEARNING_RATES } from './default-rates.js';
import type { Optimizer } from './optimizer.js';
import { rmsprop, type RmspropOptions } from './rmsprop.js';
import { sgd, sgdMomentum, sgdNesterov, type SgdOptions } from './sgd.js';

/** The names the CLI and model files use for the optimizers. */
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam' | 'adamw';

/**
 * The union of every optimizer's options, as a CLI collects them from flags. Each optimizer
 * rejects (NablaError 'ARGUMENT') an option it does not have, e.g. `momentum` given to adam.
 */
export type AnyOptimizerOptions = SgdOptions & AdagradOptions & RmspropOptions & AdamOptions;

/**
 * Every optimizer by name: `momentum` and `nesterov` are `sgd` with μ = 0.9 (and Nesterov on)
 * unless the options say otherwise; the rest take PyTorch's defaults.
 *
 * @example
 * const opt = optimizers.adam({ lr: 3e-4 });
 */
export const optimizers: Readonly<Record<OptimizerName, (options?: AnyOptimizerOptions) => Optimizer>> = {
  sgd,
  momentum: sgdMomentum,
  nesterov: sgdNesterov,
  adagrad,
  rmsprop,
  adam,
  adamw,
};

/** The names of `optimizers`, in order of increasing complexity. */
export const optimizerNames = Object.keys(optimizers) as OptimizerName[];

/**
 * The optimizer named `name` made from `options`; an unknown name throws NablaError('UNKNOWN_NAME')
 * listing the valid names.
 *
 * @example
 * const opt = createOptimizer('nesterov', { lr: 0.05, weightDecay: 1e-4 });
 */
export function createOptimizer(name: string, options: AnyOptimizerOptions = {}): Optimizer {
  return lookup(optimizers, name, 'optimizer')(options);
}

/** The update rule each optimizer name runs, for its default learning rate. */
const ruleOf: Readonly<Record<OptimizerName, keyof typeof DEFAULT_LEARNING_RATES>> = {
  sgd: 'sgd',
  momentum: 'sgd',
  nesterov: 'sgd',
  adagrad: 'adagrad',
  rmsprop: 'rmsprop',
  adam: 'adam',
  adamw: 'adam',
};

/**
 * PyTorch's default learning rate of the optimizer named `name` (a schedule's base rate when no
 * `lr` is given); an unknown name throws NablaError('UNKNOWN_NAME') listing the valid names.
 *
 * @example
 * defaultLearningRate('rmsprop'); // 0.01
 */
export function defaultLearningRate(name: string): number {
  return DEFAULT_LEARNING_RATES[lookup(ruleOf, name, 'optimizer')];
}
