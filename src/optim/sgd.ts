import { NablaError } from '../errors.js';
import type { Floats } from '../tensor/matrix.js';
import { defineOptimizer } from './define-optimizer.js';
import { MOMENTUM_BOUNDS, checkBoolean, checkNumber, checkOptionNames } from './hyperparameters.js';
import type { LearningRate, Optimizer } from './optimizer.js';
import { DEFAULT_LEARNING_RATES } from './default-rates.js';
import { flushBelow, flushed } from './subnormal.js';

/** Options of `sgd`, named and defaulted as PyTorch's `torch.optim.SGD`. */
export interface SgdOptions {
  /** γ, a number or a schedule; default 1e-3 (PyTorch's). */
  lr?: LearningRate;
  /** μ, default 0 (plain gradient descent). */
  momentum?: number;
  /** τ, default 0. */
  dampening?: number;
  /** Nesterov momentum (needs μ > 0 and τ = 0), default false. */
  nesterov?: boolean;
  /** λ, the L2 penalty (½λ‖θ‖² added to the cost), default 0. */
  weightDecay?: number;
}

const sgdOptionNames = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay'] as const;

/**
 * Stochastic gradient descent, with PyTorch's momentum, dampening, Nesterov and L2 weight decay:
 *
 *     g ← ∇C(θ) + λθ
 *     if μ ≠ 0:  b ← g                      at the first update (t = 1: no dampening, as PyTorch)
 *                b ← μb + (1 − τ)g          afterwards
 *                g ← g + μb  (Nesterov)  or  g ← b
 *     θ ← θ − γg
 *
 * The Nesterov form is PyTorch's (Sutskever et al. 2013 rewritten to take the gradient at θ, not
 * at the look-ahead point θ − γμb), so the same numbers come out of both libraries.
 *
 * @example
 * const opt = sgd({ lr: 0.1, momentum: 0.9, nesterov: true });
 * const state = opt.init(net.params());
 * opt.step(net.params(), net.grads(), state);
 */
export function sgd(options: SgdOptions = {}): Optimizer {
  return sgdNamed('sgd', options);
}

/**
 * SGD with momentum, the CLI's `momentum`: `sgd` with μ = 0.9 unless given.
 *
 * @example
 * const opt = sgdMomentum({ lr: 0.01 }); // same as sgd({ lr: 0.01, momentum: 0.9 })
 */
export function sgdMomentum(options: SgdOptions = {}): Optimizer {
  return sgdNamed('momentum', { momentum: 0.9, ...options });
}

/**
 * SGD with Nesterov momentum, the CLI's `nesterov`: `sgd` with μ = 0.9 and nesterov = true unless given.
 *
 * @example
 * const opt = sgdNesterov({ lr: 0.01 }); // same as sgd({ lr: 0.01, momentum: 0.9, nesterov: true })
 */
export function sgdNesterov(options: SgdOptions = {}): Optimizer {
  return sgdNamed('nesterov', { momentum: 0.9, nesterov: true, ...options });
}

function sgdNamed(name: string, options: SgdOptions): Optimizer {
  checkOptionNames(name, options, sgdOptionNames);
  const momentum = checkNumber(name, 'momentum', options.momentum ?? 0, MOMENTUM_BOUNDS);
  const dampening = checkNumber(name, 'dampening', options.dampening ?? 0, { min: 0, max: 1 });
  const nesterov = checkBoolean(name, 'nesterov', options.nesterov ?? false);
  const weightDecay = checkNumber(name, 'weightDecay', options.weightDecay ?? 0, { min: 0 });
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new NablaError(
      'ARGUMENT',
      `${name}: Nesterov momentum needs momentum > 0 and dampening 0, got momentum ${momentum}, dampening ${dampening}`,
    );
  }
  return defineOptimizer({
    name,
    lr: options.lr ?? DEFAULT_LEARNING_RATES.sgd,
    config: { momentum, dampening, nesterov, weightDecay },
    weightDecay,
    slots: momentum !== 0 ? { momentumBuffer: 0 } : {},
    updateWith(kernels, i, p, g, slots, lr, t) {
      // the backend's loops (weight decay is already in g): θ ← θ − γ·g, or with momentum
      if (momentum === 0) {
        if (!kernels.sgdUpdate) return false;
        kernels.sgdUpdate(p.length, p, g, lr);
        return true;
      }
      if (!kernels.momentumUpdate) return false;
      kernels.momentumUpdate(p.length, p, g, slots.momentumBuffer![i]!, lr, momentum, dampening, nesterov, t === 1);
      return true;
    },
    measuresWith: (kernels) => momentum === 0 && kernels.sgdUpdateMeasured !== undefined,
    updateMeasured(kernels, _i, p, g, _slots, lr, _t, rows) {
      return kernels.sgdUpdateMeasured!(rows, p.length / rows, p, g, lr);
    },
    update(i, p, g, slots, lr, t) {
      const buf = momentum !== 0 ? slots.momentumBuffer![i]! : null;
      sgdArray(p, g, buf, lr, momentum, dampening, nesterov, t === 1);
    },
  });
}

/**
 * The SGD loop over one parameter array (a top-level function with every constant passed in, so
 * V8 compiles one fast loop for all SGD variants); g already holds + λθ. `buf` is null without
 * momentum; `first` marks update 1, where PyTorch copies the gradient into the buffer undamped.
 */
function sgdArray(
  p: Floats,
  g: Floats,
  buf: Floats | null,
  lr: number,
  momentum: number,
  dampening: number,
  nesterov: boolean,
  first: boolean,
): void {
  if (buf === null) {
    for (let j = 0; j < p.length; j++) p[j] = p[j]! - lr * g[j]!;
    return;
  }
  const keep = first ? 0 : momentum;
  const take = first ? 1 : 1 - dampening;
  const tiny = flushBelow(buf);
  for (let j = 0; j < p.length; j++) {
    const d = g[j]!;
    const b1 = keep * buf[j]! + take * d;
    const b = flushed(b1, tiny); // never subnormal (subnormal.ts)
    buf[j] = b;
    p[j] = p[j]! - lr * (nesterov ? d + momentum * b : b);
  }
}
