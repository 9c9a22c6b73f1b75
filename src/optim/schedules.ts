import { checkNumber } from './hyperparameters.js';
import type { Schedule } from './optimizer.js';

/**
 * Learning-rate schedules: plain functions of the step t (0-based count of updates already made,
 * the optimizer's `state.step`), each with its closed form. They equal PyTorch's
 * `lr_scheduler` classes stepped once per batch (after `optimizer.step()`), as noted beside each.
 */

function schedule(description: string, fn: (step: number) => number): Schedule {
  return Object.assign(fn, { description });
}

function checkLr(owner: string, lr: number): number {
  return checkNumber(owner, 'lr', lr, { min: 0, minExclusive: true });
}

/**
 * The same rate at every step: γ(t) = γ.
 *
 * @example
 * constant(0.1)(1000); // 0.1
 */
export function constant(lr: number): Schedule {
  checkLr('constant schedule', lr);
  return schedule(`constant(${lr})`, () => lr);
}

/**
 * Step decay, PyTorch's `StepLR`: γ(t) = γ · factor^⌊t / every⌋.
 *
 * @example
 * stepDecay(0.1, 10, 0.5)(25); // 0.1 · 0.5² = 0.025
 */
export function stepDecay(lr: number, every: number, factor = 0.1): Schedule {
  const owner = 'step schedule';
  checkLr(owner, lr);
  checkNumber(owner, 'every', every, { min: 1, integer: true });
  checkNumber(owner, 'factor', factor, { min: 0, minExclusive: true, max: 1 });
  return schedule(`step(${lr}, ${every}, ${factor})`, (t) => lr * factor ** Math.floor(t / every));
}

/**
 * Exponential decay: γ(t) = γ · rate^(t / every); with every = 1 it is PyTorch's `ExponentialLR(gamma = rate)`.
 *
 * @example
 * exponentialDecay(0.1, 0.5, 100)(50); // 0.1 · 0.5^0.5 ≈ 0.0707
 */
export function exponentialDecay(lr: number, rate: number, every = 1): Schedule {
  const owner = 'exp schedule';
  checkLr(owner, lr);
  checkNumber(owner, 'rate', rate, { min: 0, minExclusive: true, max: 1 });
  checkNumber(owner, 'every', every, { min: 0, minExclusive: true });
  return schedule(`exp(${lr}, ${rate}, ${every})`, (t) => lr * rate ** (t / every));
}

/**
 * Inverse-time decay (Keras' `InverseTimeDecay`): γ(t) = γ / (1 + rate · t / every).
 *
 * @example
 * inverseTimeDecay(0.1, 0.5)(4); // 0.1 / (1 + 2) ≈ 0.0333
 */
export function inverseTimeDecay(lr: number, rate: number, every = 1): Schedule {
  const owner = 'invtime schedule';
  checkLr(owner, lr);
  checkNumber(owner, 'rate', rate, { min: 0 });
  checkNumber(owner, 'every', every, { min: 0, minExclusive: true });
  return schedule(`invtime(${lr}, ${rate}, ${every})`, (t) => lr / (1 + (rate * t) / every));
}

/**
 * Cosine decay from γ to γ_min over T steps, then γ_min (PyTorch's `CosineAnnealingLR(T_max = T,
 * eta_min = γ_min)` for t ≤ T; it does not restart): γ(t) = γ_min + (γ − γ_min)(1 + cos(π·min(t, T)/T))/2.
 *
 * @example
 * cosineDecay(0.1, 100)(50); // 0.05
 */
export function cosineDecay(lr: number, steps: number, minLr = 0): Schedule {
  const owner = 'cosine schedule';
  checkLr(owner, lr);
  checkNumber(owner, 'steps', steps, { min: 1, integer: true });
  checkNumber(owner, 'minLr', minLr, { min: 0, max: lr });
  return schedule(
    `cosine(${lr}, ${steps}, ${minLr})`,
    (t) => minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * Math.min(t, steps)) / steps))) / 2,
  );
}

/**
 * Linear warm-up over W steps before any schedule s, which then starts from its own step 0:
 * γ(t) = s(0) · (t + 1)/W for t < W, and s(t − W) afterwards. The first update uses s(0)/W, the
 * W-th the full s(0) (PyTorch: `LinearLR(start_factor = 1/W, total_iters = W − 1)` then s, joined by
 * `SequentialLR` at milestone W).
 *
 * @example
 * const s = warmup(100, cosineDecay(1e-3, 5000)); // s(0) = 1e-5, s(99) = 1e-3, s(5100) = 0
 */
export function warmup(steps: number, after: Schedule): Schedule {
  checkNumber('warmup schedule', 'steps', steps, { min: 1, integer: true });
  return schedule(`warmup(${steps}) + ${after.description ?? 'schedule'}`, (t) =>
    t < steps ? (after(0) * (t + 1)) / steps : after(t - steps),
  );
}
