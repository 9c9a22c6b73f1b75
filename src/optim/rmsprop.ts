import type { Floats } from '../tensor/matrix.js';
import { defineOptimizer } from './define-optimizer.js';
import { MOMENTUM_BOUNDS, checkBoolean, checkNumber, checkOptionNames } from './hyperparameters.js';
import type { LearningRate, Optimizer } from './optimizer.js';
import { DEFAULT_LEARNING_RATES } from './default-rates.js';
import { flushBelow, flushed } from './subnormal.js';

/** Options of `rmsprop`, named and defaulted as PyTorch's `torch.optim.RMSprop`. */
export interface RmspropOptions {
  /** γ, a number or a schedule; default 1e-2. */
  lr?: LearningRate;
  /** α, the smoothing constant of the mean square, default 0.99. */
  alpha?: number;
  /** ε, added to the root (after the square root, as PyTorch; TensorFlow adds it inside), default 1e-8. */
  eps?: number;
  /** λ, the L2 penalty, default 0. */
  weightDecay?: number;
  /** μ, default 0. */
  momentum?: number;
  /** Divide by the root of the variance instead of the mean square, default false. */
  centered?: boolean;
}

const rmspropOptionNames = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered'] as const;

/**
 * RMSprop (Hinton's lecture 6e; centered form from Graves 2013), as PyTorch's `torch.optim.RMSprop`:
 *
 *     g ← ∇C(θ) + λθ
 *     v ← αv + (1 − α)g²
 *     ṽ ← v,  or if centered:  ḡ ← αḡ + (1 − α)g,  ṽ ← v − ḡ²
 *     if μ > 0:  b ← μb + g / (√ṽ + ε),  θ ← θ − γb
 *     else:      θ ← θ − γ g / (√ṽ + ε)
 *
 * @example
 * const opt = rmsprop({ lr: 1e-3, momentum: 0.9, centered: true });
 */
export function rmsprop(options: RmspropOptions = {}): Optimizer {
  const name = 'rmsprop';
  checkOptionNames(name, options, rmspropOptionNames);
  const alpha = checkNumber(name, 'alpha', options.alpha ?? 0.99, { min: 0, max: 1 });
  const eps = checkNumber(name, 'eps', options.eps ?? 1e-8, { min: 0 });
  const weightDecay = checkNumber(name, 'weightDecay', options.weightDecay ?? 0, { min: 0 });
  const momentum = checkNumber(name, 'momentum', options.momentum ?? 0, MOMENTUM_BOUNDS);
  const centered = checkBoolean(name, 'centered', options.centered ?? false);
  const slots: Record<string, number> = { squareAvg: 0 };
  if (centered) slots.gradAvg = 0;
  if (momentum > 0) slots.momentumBuffer = 0;
  return defineOptimizer({
    name,
    lr: options.lr ?? DEFAULT_LEARNING_RATES.rmsprop,
    config: { alpha, eps, weightDecay, momentum, centered },
    weightDecay,
    slots,
    updateWith(kernels, i, p, g, state, lr) {
      if (!kernels.rmspropUpdate) return false;
      kernels.rmspropUpdate(p.length, p, g, state.squareAvg![i]!, centered ? state.gradAvg![i]! : null, momentum > 0 ? state.momentumBuffer![i]! : null, lr, alpha, eps, momentum);
      return true;
    },
    update(i, p, g, state, lr) {
      rmspropArray(
        p,
        g,
        state.squareAvg![i]!,
        centered ? state.gradAvg![i]! : null,
        momentum > 0 ? state.momentumBuffer![i]! : null,
        lr,
        alpha,
        eps,
        momentum,
      );
    },
  });
}

/**
 * The RMSprop loop over one parameter array (g already holds + λθ; top-level, constants passed in);
 * `gAvg` is null unless centered, `buf` null without momentum.
 */
function rmspropArray(
  p: Floats,
  g: Floats,
  v: Floats,
  gAvg: Floats | null,
  buf: Floats | null,
  lr: number,
  alpha: number,
  eps: number,
  momentum: number,
): void {
  const tiny = flushBelow(v); // running averages never subnormal (subnormal.ts)
  for (let j = 0; j < p.length; j++) {
    const d = g[j]!;
    const v1 = alpha * v[j]! + (1 - alpha) * d * d;
    const vj = flushed(v1, tiny);
    v[j] = vj;
    let variance = vj;
    if (gAvg !== null) {
      const a1 = alpha * gAvg[j]! + (1 - alpha) * d;
      const a = flushed(a1, tiny);
      gAvg[j] = a;
      // Trap: v − ḡ² ≥ 0 in exact arithmetic (Jensen) but can round to −1e-20; √ of that is NaN.
      variance = Math.max(vj - a * a, 0);
    }
    const scaled = d / (Math.sqrt(variance) + eps);
    if (buf !== null) {
      const b1 = momentum * buf[j]! + scaled;
      const b = flushed(b1, tiny);
      buf[j] = b;
      p[j] = p[j]! - lr * b;
    } else {
      p[j] = p[j]! - lr * scaled;
    }
  }
}
