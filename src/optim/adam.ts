import type { AdamStepConstants } from '../kernels/kernels.js';
import type { Floats } from '../tensor/matrix.js';
import { defineOptimizer, type UpdateRule } from './define-optimizer.js';
import { checkBoolean, checkNumber, checkOptionNames } from './hyperparameters.js';
import type { LearningRate, Optimizer } from './optimizer.js';
import { DEFAULT_LEARNING_RATES } from './default-rates.js';
import { flushBelow, flushed } from './subnormal.js';

/** Options of `adam` and `adamw`, named and defaulted as PyTorch's `torch.optim.Adam` / `AdamW`. */
export interface AdamOptions {
  /** γ, a number or a schedule; default 1e-3. */
  lr?: LearningRate;
  /** β₁, the decay of the mean of the gradient, default 0.9 (PyTorch's `betas[0]`). */
  beta1?: number;
  /** β₂, the decay of the mean of its square, default 0.999 (PyTorch's `betas[1]`). */
  beta2?: number;
  /** ε, added to the bias-corrected root, default 1e-8. */
  eps?: number;
  /** λ: the L2 penalty for adam (default 0), the decoupled decay for adamw (default 1e-2). */
  weightDecay?: number;
  /** Divide by the running maximum of v (Reddi et al. 2018), default false. */
  amsgrad?: boolean;
}

const adamOptionNames = ['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'amsgrad'] as const;

/**
 * Adam (Kingma & Ba 2015) with PyTorch's bias correction, AMSGrad option and L2 weight decay,
 * as `torch.optim.Adam`:
 *
 *     g ← ∇C(θ) + λθ
 *     m ← β₁m + (1 − β₁)g
 *     v ← β₂v + (1 − β₂)g²
 *     v̂ ← max(v̂, v) if amsgrad, else v
 *     θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 *
 * Trap: ε is added after dividing √v̂ by √(1 − β₂ᵗ), not to √v̂ itself (PyTorch's order; putting it
 * inside changes the first steps when gradients are small).
 *
 * @example
 * const opt = adam({ lr: 1e-3, amsgrad: true });
 */
export function adam(options: AdamOptions = {}): Optimizer {
  return defineOptimizer(adamRule('adam', options, { weightDecay: 0, decoupled: false }));
}

/**
 * The Adam update rule shared by `adam` (weight decay as an L2 term in the gradient) and `adamw`
 * (decoupled weight decay, θ ← θ(1 − γλ) before the Adam step).
 */
export function adamRule(
  name: string,
  options: AdamOptions,
  defaults: { weightDecay: number; decoupled: boolean },
): UpdateRule {
  checkOptionNames(name, options, adamOptionNames);
  const beta1 = checkNumber(name, 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1, maxExclusive: true });
  const beta2 = checkNumber(name, 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1, maxExclusive: true });
  const eps = checkNumber(name, 'eps', options.eps ?? 1e-8, { min: 0 });
  const weightDecay = checkNumber(name, 'weightDecay', options.weightDecay ?? defaults.weightDecay, { min: 0 });
  const amsgrad = checkBoolean(name, 'amsgrad', options.amsgrad ?? false);
  const decoupled = defaults.decoupled;
  const slots: Record<string, number> = { expAvg: 0, expAvgSq: 0 };
  if (amsgrad) slots.maxExpAvgSq = 0;
  // The constants of update t, computed once here for both paths, in one object reused by every
  // update (no allocation per step).
  // Adam's L2 term is already in g (defineOptimizer's addDecayedWeights).
  const h: AdamStepConstants = { stepSize: 0, sqrtCorrection2: 0, beta1, beta2, eps, shrink: 1 };
  const constantsAt = (lr: number, t: number): AdamStepConstants => adamStepConstants(h, lr, t, decoupled ? 1 - lr * weightDecay : 1);
  return {
    name,
    lr: options.lr ?? DEFAULT_LEARNING_RATES.adam,
    config: { beta1, beta2, eps, weightDecay, amsgrad },
    ...(decoupled ? {} : { weightDecay }),
    slots,
    updateWith(kernels, i, p, g, state, lr, t) {
      if (!kernels.adamUpdate) return false;
      kernels.adamUpdate(p.length, p, g, state.expAvg![i]!, state.expAvgSq![i]!, amsgrad ? state.maxExpAvgSq![i]! : null, constantsAt(lr, t));
      return true;
    },
    update(i, p, g, state, lr, t) {
      adamArray(p, g, state.expAvg![i]!, state.expAvgSq![i]!, amsgrad ? state.maxExpAvgSq![i]! : null, constantsAt(lr, t));
    },
  };
}

/**
 * Fills `h` (its β₁, β₂ and ε as given) with the constants of update t at learning rate lr, PyTorch's
 * bias corrections: stepSize = lr / (1 − β₁ᵗ), sqrtCorrection2 = √(1 − β₂ᵗ); `shrink` is AdamW's
 * decoupled decay factor (1: none). Returns h.
 */
export function adamStepConstants(h: AdamStepConstants, lr: number, t: number, shrink = 1): AdamStepConstants {
  h.stepSize = lr / (1 - h.beta1 ** t);
  h.sqrtCorrection2 = Math.sqrt(1 - h.beta2 ** t);
  h.shrink = shrink;
  return h;
}

/**
 * The Adam loop over one parameter array (g already holds Adam's L2 term): θ ← θ·shrink; m, v (and v̂) updated, flushed to zero below float32's normal range;
 * θ ← θ − stepSize · m / (√v̂ / sqrtCorrection2 + ε). A top-level function with the constants
 * read into locals before the loop, so V8 compiles one fast loop shared by adam and adamw.
 */
function adamArray(p: Floats, g: Floats, m: Floats, v: Floats, vMax: Floats | null, h: AdamStepConstants): void {
  const { stepSize, sqrtCorrection2, beta1, beta2, eps, shrink } = h;
  const tiny = flushBelow(m);
  for (let j = 0; j < p.length; j++) {
    const theta = p[j]! * shrink;
    const d = g[j]!;
    const m1 = beta1 * m[j]! + (1 - beta1) * d;
    const v1 = beta2 * v[j]! + (1 - beta2) * d * d;
    const mj = flushed(m1, tiny); // never subnormal (subnormal.ts)
    const vj = flushed(v1, tiny);
    m[j] = mj;
    v[j] = vj;
    let vHat = vj;
    if (vMax !== null) {
      vHat = Math.max(vMax[j]!, vj);
      vMax[j] = vHat;
    }
    p[j] = theta - (stepSize * mj) / (Math.sqrt(vHat) / sqrtCorrection2 + eps);
  }
}
