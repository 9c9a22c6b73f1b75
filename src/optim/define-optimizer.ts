import { NablaError } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Floats } from '../tensor/matrix.js';
import { checkNumber } from './hyperparameters.js';
import type { LearningRate, Optimizer, OptimizerState, StepMeasure } from './optimizer.js';
import { addDecayedWeights, checkShapes, NO_STATE } from './transform.js';

/** The state slots of an optimizer: for each slot name, one array per parameter array. */
export type Slots = OptimizerState['slots'];

/**
 * The math of one optimizer, without the plumbing: which state slots it keeps and how it
 * updates one parameter array. `defineOptimizer` owns the rest (schedule, lrScale, step count,
 * shape checks, state creation), so each optimizer file holds only its formula.
 */
export interface UpdateRule {
  readonly name: string;
  readonly lr: LearningRate;
  /** Hyperparameters other than lr, as plain values. */
  readonly config: Readonly<Record<string, number | boolean | string>>;
  /** λ of L2 weight decay, g ← g + λθ applied by `addDecayedWeights` before `update` (PyTorch's weight_decay); default 0. */
  readonly weightDecay?: number;
  /** Slot name → the value every element starts at (PyTorch starts all at 0 except Adagrad's sum). */
  readonly slots: Readonly<Record<string, number>>;
  /**
   * Updates parameter array `p` (the i-th) in place from its gradient `g`, reading and writing
   * `slots[name][i]`. `lr` is the learning rate of this update (schedule × lrScale) and `t` the
   * 1-based number of this update (PyTorch's `step` after its increment). Must not allocate.
   */
  update(i: number, p: Floats, g: Floats, slots: Slots, lr: number, t: number): void;
  /**
   * The same update through a kernel backend's fused loop, when it has one for this rule and
   * these options; returns false to fall back on `update`.
   */
  updateWith?(kernels: Kernels, i: number, p: Floats, g: Floats, slots: Slots, lr: number, t: number): boolean;
  /**
   * updateWith that also returns ‖g‖₂², g read as `rows` rows (Kernels.sgdUpdateMeasured's bits);
   * only called where `measuresWith(kernels)` said it could.
   */
  updateMeasured?(kernels: Kernels, i: number, p: Floats, g: Floats, slots: Slots, lr: number, t: number, rows: number): number;
  /** Whether updateMeasured can run on these kernels with this rule's options. */
  measuresWith?(kernels: Kernels): boolean;
}

function validLearningRate(owner: string, lr: LearningRate): LearningRate {
  if (typeof lr === 'function') return lr;
  return checkNumber(owner, 'lr', lr, { min: 0, minExclusive: true });
}

/**
 * Makes an Optimizer from an UpdateRule: `step` computes lr = learningRate(state.step) × lrScale,
 * adds the rule's L2 weight decay to the gradients (g ← g + λθ, a chained `addDecayedWeights`),
 * calls the rule on every parameter array with t = state.step + 1, then stores t in `state.step`.
 *
 * @example
 * const opt = defineOptimizer({ name: 'plain', lr: 0.1, config: {}, slots: {},
 *   update: (_i, p, g, _s, lr) => { for (let j = 0; j < p.length; j++) p[j] -= lr * g[j]; } });
 */
export function defineOptimizer(rule: UpdateRule): Optimizer {
  const lr = validLearningRate(rule.name, rule.lr);
  const slotNames = Object.keys(rule.slots);
  const learningRate = typeof lr === 'number' ? () => lr : (step: number) => lr(step);
  const config = { lr: typeof lr === 'number' ? lr : (lr.description ?? 'schedule'), ...rule.config };
  const decay = rule.weightDecay ? addDecayedWeights(rule.weightDecay) : null;

  return {
    name: rule.name,
    config,
    learningRate,

    init(params: readonly Floats[], kernels?: Kernels): OptimizerState {
      const slots: Record<string, Floats[]> = {};
      for (const name of slotNames) {
        const start = rule.slots[name]!;
        slots[name] = params.map((p) => {
          const s = kernels ? kernels.alloc(p.length) : p instanceof Float64Array ? new Float64Array(p.length) : new Float32Array(p.length);
          if (start !== 0) s.fill(start);
          return s;
        });
      }
      return { step: 0, slots };
    },

    ...(rule.updateMeasured && rule.measuresWith && !decay ? { measuresInStep: (kernels: Kernels) => rule.measuresWith!(kernels) } : {}),

    step(params: readonly Floats[], grads: readonly Floats[], state: OptimizerState, lrScale = 1, kernels?: Kernels, measure?: StepMeasure): void {
      checkShapes(rule.name, params, grads);
      const rate = learningRate(state.step) * lrScale;
      if (!(rate >= 0 && rate < Infinity)) {
        throw new NablaError(
          'ARGUMENT',
          `${rule.name}: learning rate ${rate} at step ${state.step} (schedule × lrScale ${lrScale}): expected a finite number ≥ 0`,
        );
      }
      for (let i = 0; i < params.length; i++) {
        const p = params[i]!;
        for (let k = 0; k < slotNames.length; k++) {
          const s = state.slots[slotNames[k]!]?.[i];
          if (s === undefined || s.length !== p.length) {
            throw new NablaError(
              'SHAPE',
              `${rule.name}: state slot '${slotNames[k]}' does not match parameter ${i} (${p.length} values); make the state with init(params)`,
            );
          }
        }
      }
      decay?.update(grads, NO_STATE, params, kernels);
      const t = state.step + 1;
      const fused = kernels && rule.updateWith;
      for (let i = 0; i < params.length; i++) {
        if (measure && kernels && measure.squares[i] === -1) {
          if (decay || !rule.updateMeasured || !rule.measuresWith?.(kernels)) {
            throw new NablaError('ARGUMENT', `${rule.name}: cannot measure gradient norms in its update here (see measuresInStep)`);
          }
          const rows = measure.rows[i]!;
          if (!(Number.isInteger(rows) && rows >= 1 && params[i]!.length % rows === 0)) {
            throw new NablaError('SHAPE', `${rule.name}: parameter ${i} has ${params[i]!.length} values, which ${rows} rows cannot hold (measure.rows[${i}])`);
          }
          measure.squares[i] = rule.updateMeasured(kernels, i, params[i]!, grads[i]!, state.slots, rate, t, rows);
        } else if (!(fused && rule.updateWith!(kernels, i, params[i]!, grads[i]!, state.slots, rate, t))) rule.update(i, params[i]!, grads[i]!, state.slots, rate, t);
      }
      state.step = t;
    },
  };
}
