/** Optimizers and learning-rate schedules: re-exports only. */
export type { LearningRate, Optimizer, OptimizerState, Schedule, TransformState } from './optimizer.js';
export {
  addDecayedWeights,
  chain,
  clipByGlobalNorm,
  clipByValue,
  globalSquaredNorm,
  type GradientTransformation,
} from './transform.js';
export { defineOptimizer, type Slots, type UpdateRule } from './define-optimizer.js';
export { sgd, sgdMomentum, sgdNesterov, type SgdOptions } from './sgd.js';
export { adagrad, type AdagradOptions } from './adagrad.js';
export { rmsprop, type RmspropOptions } from './rmsprop.js';
export { adam, type AdamOptions } from './adam.js';
export { adamw } from './adamw.js';
export {
  createOptimizer,
  defaultLearningRate,
  optimizerNames,
  optimizers,
  type AnyOptimizerOptions,
  type OptimizerName,
} from './registry.js';
export { constant, cosineDecay, exponentialDecay, inverseTimeDecay, stepDecay, warmup } from './schedules.js';
export { parseSchedule, scheduleSyntax } from './parse-schedule.js';
export {
  reduceOnPlateau,
  type PlateauController,
  type PlateauOptions,
  type PlateauState,
} from './reduce-on-plateau.js';
