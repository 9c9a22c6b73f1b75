import { NablaError } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Floats } from '../tensor/matrix.js';
import { checkNumber } from './hyperparameters.js';
import type { Optimizer, OptimizerState, TransformState } from './optimizer.js';

/**
 * A gradient transformation in the (init, update) style of optax's `GradientTransformation`: `init`
 * makes its state as plain data, `update` rewrites the gradients in place (optax's "updates")
 * before the optimizer sees them. `chain(clipByGlobalNorm(1), adam())` runs them in order.
 */
/** The state of a transformation that keeps none: one shared object, so a step allocates nothing. */
export const NO_STATE: TransformState = Object.freeze({}) as TransformState;

export interface GradientTransformation {
  readonly name: string;
  /** Its settings as plain values, for reports and checkpoints. */
  readonly config: Readonly<Record<string, number>>;
  init(params: readonly Floats[]): TransformState;
  /** Transforms `grads` in place; may read `params` and the backend's reductions; must not allocate. */
  update(grads: readonly Floats[], state: TransformState, params: readonly Floats[], kernels?: Kernels): void;
}

/** Σ g² over every array: the squared global L2 norm, by the backend's reduction where it has one. */
export function globalSquaredNorm(grads: readonly Floats[], kernels?: Kernels): number {
  let sum = 0;
  for (const g of grads) sum += squaredNorm(g, kernels);
  return sum;
}

/** Σ g² over one array, by the backend's reduction where it has one (float64 accumulation otherwise). */
export function squaredNorm(g: Floats, kernels?: Kernels): number {
  if (kernels?.sumOfSquares) return kernels.sumOfSquares(g.length, g);
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return s;
}

const noState = (): TransformState => ({});

/**
 * Clamps every gradient entry to [−v, v], PyTorch's `clip_grad_value_` (optax's `clip`): g ← min(v, max(−v, g)).
 *
 * @example
 * const opt = chain(clipByValue(0.5), sgd({ lr: 0.1 }));
 */
export function clipByValue(v: number): GradientTransformation {
  checkNumber('clipByValue', 'clipValue', v, { min: 0, minExclusive: true });
  return {
    name: 'clipByValue',
    config: { clipValue: v },
    init: noState,
    update(grads, _state, _params, kernels) {
      for (const g of grads) {
        if (kernels?.clampValues) kernels.clampValues(g.length, g, v);
        else for (let i = 0; i < g.length; i++) g[i] = Math.min(v, Math.max(-v, g[i]!));
      }
    },
  };
}

/**
 * Rescales all gradients together when their global L2 norm exceeds `maxNorm`, PyTorch's
 * `clip_grad_norm_`: with ‖g‖ = √(Σ g²) over every array, g ← g · maxNorm / (‖g‖ + 1e-6) if ‖g‖ > maxNorm.
 *
 * @example
 * const opt = chain(clipByGlobalNorm(1), adam());
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation {
  checkNumber('clipByGlobalNorm', 'clipNorm', maxNorm, { min: 0, minExclusive: true });
  return {
    name: 'clipByGlobalNorm',
    config: { clipNorm: maxNorm },
    init: noState,
    update(grads, _state, _params, kernels) {
      const norm = Math.sqrt(globalSquaredNorm(grads, kernels));
      if (!(norm > maxNorm)) return;
      const s = maxNorm / (norm + 1e-6);
      for (const g of grads) {
        if (kernels?.scaleValues) kernels.scaleValues(g.length, g, s);
        else for (let i = 0; i < g.length; i++) g[i] = g[i]! * s;
      }
    },
  };
}

/**
 * L2 weight decay as a gradient term, PyTorch's `weight_decay` of SGD, Adagrad, RMSprop and Adam
 * (optax's `add_decayed_weights`): g ← g + λθ, the gradient of ½λ‖θ‖² added to the cost.
 * (AdamW's decoupled decay shrinks θ itself and stays inside AdamW.)
 *
 * @example
 * const opt = chain(addDecayedWeights(1e-4), sgd({ lr: 0.1 })); // = sgd({ lr: 0.1, weightDecay: 1e-4 })
 */
export function addDecayedWeights(lambda: number): GradientTransformation {
  checkNumber('addDecayedWeights', 'weightDecay', lambda, { min: 0 });
  return {
    name: 'addDecayedWeights',
    config: { weightDecay: lambda },
    init: noState,
    update(grads, _state, params, kernels) {
      if (lambda === 0) return;
      grads.forEach((g, k) => {
        const p = params[k]!;
        if (kernels?.addScaled) kernels.addScaled(g.length, g, p, lambda);
        else for (let i = 0; i < g.length; i++) g[i] = g[i]! + lambda * p[i]!;
      });
    },
  };
}

/**
 * Runs `transforms` on the gradients, in order, before `optimizer`'s update: optax's `chain`. The
 * result is an Optimizer whose state also holds each transformation's state (`state.transforms`).
 *
 * @example
 * const opt = chain([clipByValue(5), clipByGlobalNorm(1)], adam({ lr: 1e-3 }));
 */
export function chain(transforms: readonly GradientTransformation[], optimizer: Optimizer): Optimizer {
  if (transforms.length === 0) return optimizer;
  return {
    name: optimizer.name,
    config: optimizer.config,
    learningRate: optimizer.learningRate,
    init(params, kernels) {
      return { ...optimizer.init(params, kernels), transforms: transforms.map((t) => t.init(params)) };
    },
    step(params, grads, state: OptimizerState, lrScale, kernels) {
      checkShapes(optimizer.name, params, grads);
      const states = state.transforms ?? [];
      for (let k = 0; k < transforms.length; k++) transforms[k]!.update(grads, states[k] ?? NO_STATE, params, kernels);
      optimizer.step(params, grads, state, lrScale, kernels);
    },
  };
}

/** Throws NablaError('SHAPE') unless every gradient array matches its parameter array in length. */
export function checkShapes(owner: string, params: readonly Floats[], grads: readonly Floats[]): void {
  if (params.length !== grads.length) {
    throw new NablaError('SHAPE', `${owner}: ${params.length} parameter arrays but ${grads.length} gradient arrays`);
  }
  for (let i = 0; i < params.length; i++) {
    if (grads[i]!.length !== params[i]!.length) {
      throw new NablaError('SHAPE', `${owner}: parameter ${i} has ${params[i]!.length} values but its gradient ${grads[i]!.length}`);
    }
  }
}
