import type { Kernels } from '../kernels/kernels.js';
import type { Floats } from '../tensor/matrix.js';

/**
 * A learning-rate schedule: a plain function of the step (0-based count of updates already made).
 * The schedules of `schedules.ts` also carry a `description` such as `cosine(0.001, 1000)` for
 * reports; any plain `(step) => number` function is a Schedule too.
 */
export type Schedule = ((step: number) => number) & { readonly description?: string };

/** A learning rate: a constant, or a schedule of the step. */
export type LearningRate = number | Schedule;

/**
 * Optimizer state is plain data — a step count and named slots of arrays shaped like the
 * parameters — so a checkpoint is the weights, this state and nothing else.
 */
export interface OptimizerState {
  step: number;
  slots: { [name: string]: Floats[] };
  /** The state of each gradient transformation chained before the optimizer (`chain`), in order. */
  transforms?: TransformState[];
}

/** A gradient transformation's state: plain JSON data (the clipping transformations keep none). */
export type TransformState = { [key: string]: number | boolean | string | null };

/**
 * An optimizer in the (init, update) style of optax: `init` makes the state for a list of
 * parameter arrays; `step` updates the parameters in place from their gradients and advances
 * `state.step`. `lrScale` multiplies the scheduled learning rate (reduce-on-plateau uses it).
 */
export interface Optimizer {
  readonly name: string;
  /** The hyperparameters as plain values, for reports and model metadata. */
  readonly config: Readonly<Record<string, number | boolean | string>>;
  /** The learning rate (after the schedule) used by the update at `step`. */
  learningRate(step: number): number;
  /** The state for `params`; with `kernels`, its arrays are allocated by that backend (so its fast paths can use them). */
  init(params: readonly Floats[], kernels?: Kernels): OptimizerState;
  /**
   * One update in place; with `kernels`, the backend's fused update runs where it has one for this
   * rule. Gradient transformations (weight decay, clipping) rewrite `grads` in place first.
   */
  step(params: readonly Floats[], grads: readonly Floats[], state: OptimizerState, lrScale?: number, kernels?: Kernels, measure?: StepMeasure): void;
  /**
   * Whether `step` on `kernels` can measure ‖g‖² of the parameter arrays `measure` names in the
   * pass that reads g for the update (the rule has such a kernel path, and nothing rewrites the
   * gradient before it). Absent: it cannot.
   */
  measuresInStep?(kernels: Kernels): boolean;
}

/**
 * What a step measures as it updates (see Optimizer.measuresInStep): for each parameter array i
 * whose `squares[i]` is −1 (no square is negative), `squares[i]` ← ‖grads[i]‖₂², the array read as
 * a matrix of `rows[i]` rows (the bits of Kernels.denseBackwardParamsMeasured); other entries are
 * left as they are. −1 is also how Network.backwardBatch marks a layer it left to the update.
 */
export interface StepMeasure {
  readonly squares: Float64Array;
  readonly rows: readonly number[];
}
