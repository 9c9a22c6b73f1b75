import { adamRule, type AdamOptions } from './adam.js';
import { defineOptimizer } from './define-optimizer.js';
import type { Optimizer } from './optimizer.js';

/**
 * AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay, as PyTorch's
 * `torch.optim.AdamW` (weightDecay default 1e-2). The decay shrinks the weights directly instead
 * of entering the gradient, so Adam's per-weight scaling does not weaken it:
 *
 *     θ ← θ(1 − γλ)
 *     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,   v̂ ← max(v̂, v) if amsgrad, else v
 *     θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 *
 * @example
 * const opt = adamw({ lr: 1e-3, weightDecay: 0.05 });
 */
export function adamw(options: AdamOptions = {}): Optimizer {
  return defineOptimizer(adamRule('adamw', options, { weightDecay: 1e-2, decoupled: true }));
}
