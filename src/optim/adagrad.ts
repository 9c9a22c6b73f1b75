import type { Floats } from '../tensor/matrix.js';
import { defineOptimizer } from './define-optimizer.js';
import { checkNumber, checkOptionNames } from './hyperparameters.js';
import type { LearningRate, Optimizer } from './optimizer.js';
import { DEFAULT_LEARNING_RATES } from './default-rates.js';

/** Options of `adagrad`, named and defaulted as PyTorch's `torch.optim.Adagrad`. */
export interface AdagradOptions {
  /** γ, a number or a schedule; default 1e-2. */
  lr?: LearningRate;
  /** η, default 0: the rate shrinks as γ / (1 + (t − 1)η). */
  lrDecay?: number;
  /** λ, the L2 penalty, default 0. */
  weightDecay?: number;
  /** The value the sum of squared gradients starts at, default 0. */
  initialAccumulatorValue?: number;
  /** ε, added to the square root, default 1e-10. */
  eps?: number;
}

const adagradOptionNames = ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'] as const;

/**
 * Adagrad (Duchi, Hazan & Singer 2011): each weight's step is divided by the root of the sum of
 * all its squared gradients so far, as PyTorch's `torch.optim.Adagrad`:
 *
 *     g ← ∇C(θ) + λθ
 *     γ̃ ← γ / (1 + (t − 1)η)
 *     s ← s + g²                         (s starts at initialAccumulatorValue)
 *     θ ← θ − γ̃ g / (√s + ε)
 *
 * @example
 * const opt = adagrad({ lr: 0.1 });
 */
export function adagrad(options: AdagradOptions = {}): Optimizer {
  const name = 'adagrad';
  checkOptionNames(name, options, adagradOptionNames);
  const lrDecay = checkNumber(name, 'lrDecay', options.lrDecay ?? 0, { min: 0 });
  const weightDecay = checkNumber(name, 'weightDecay', options.weightDecay ?? 0, { min: 0 });
  const initialAccumulatorValue = checkNumber(name, 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0, {
    min: 0,
  });
  const eps = checkNumber(name, 'eps', options.eps ?? 1e-10, { min: 0 });
  return defineOptimizer({
    name,
    lr: options.lr ?? DEFAULT_LEARNING_RATES.adagrad,
    config: { lrDecay, weightDecay, initialAccumulatorValue, eps },
    weightDecay,
    slots: { sum: initialAccumulatorValue },
    updateWith(kernels, i, p, g, slots, lr, t) {
      if (!kernels.adagradUpdate) return false;
      kernels.adagradUpdate(p.length, p, g, slots.sum![i]!, lr / (1 + (t - 1) * lrDecay), eps);
      return true;
    },
    update(i, p, g, slots, lr, t) {
      adagradArray(p, g, slots.sum![i]!, lr / (1 + (t - 1) * lrDecay), eps);
    },
  });
}

/** The Adagrad loop over one parameter array (g already holds + λθ), at the decayed rate `clr` (top-level, constants passed in). */
function adagradArray(p: Floats, g: Floats, sum: Floats, clr: number, eps: number): void {
  for (let j = 0; j < p.length; j++) {
    const d = g[j]!;
    const s = sum[j]! + d * d;
    sum[j] = s;
    p[j] = p[j]! - (clr * d) / (Math.sqrt(s) + eps);
  }
}
