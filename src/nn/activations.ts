import { lookup, NablaError } from '../errors.js';
import { activationKernels, type ActivationKernel } from '../kernels/activation-kernels.gen.js';
import type { InitName } from './init.js';

/**
 * Hidden-layer activations. Each is one object that knows everything about itself (micrograd's
 * forward rule with its backward rule beside it): f and f′ in float64, the weight initialisation
 * that suits it, what an unhealthy unit looks like, and, when the wasm build has a SIMD kernel
 * for it, that kernel's id. The kernel backends use the id where they have a fast path and f and
 * f′ otherwise, and are tested against f and f′.
 *
 * `df(z, a)` receives both z and a = f(z): sigmoid and tanh differentiate more cheaply (and more
 * accurately) from a.
 */
export type ActivationName = 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leaky-relu' | 'softplus' | 'swish' | 'gelu-tanh';

/**
 * What an unhealthy unit of a hidden layer is, measured on a probe batch (train/diagnostics.ts):
 * - 'dead': a unit that is not `alive` for any sample of the batch (the ReLU family: f′ = 0, or
 *   α, wherever z ≤ 0), counted per unit;
 * - 'saturated': an activation in the flat tails where f′ is below a tenth of its peak, counted
 *   per unit and sample — the saturation that makes gradients vanish.
 */
export type UnitHealth =
  | { readonly kind: 'dead'; alive(z: number): boolean }
  | { readonly kind: 'saturated'; saturated(z: number, a: number): boolean };

export interface Activation {
  /** The name users type and model files store; a user's own activation may reuse a built-in name. */
  readonly name: string;
  /** Leaky ReLU's negative slope; 0 for the others. */
  readonly alpha: number;
  f(z: number): number;
  df(z: number, a: number): number;
  /** The default initialisation of the weights feeding a layer of this activation (Glorot when absent). */
  readonly init?: InitName;
  /** What an unhealthy unit is for this activation (absent: not measured). */
  readonly health?: UnitHealth;
  /**
   * The id of the SIMD kernel computing this f and f′ (assembly/activation-kernels.json). The
   * kernels take it only from an object whose f and df are the built-in functions of that id
   * (see `kernelOf`): an object spread from a built-in with its own f or df gets f and df.
   */
  readonly kernel?: ActivationKernel;
  /** The z where f is not differentiable (ReLU's and leaky ReLU's 0): the gradient check keeps its stencil off them. */
  readonly kinks?: readonly number[];
}

/** σ(z) = 1 / (1 + e^−z), written so that neither branch overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** softplus(z) = ln(1 + e^z) = max(z, 0) + ln(1 + e^−|z|): stable for any z. */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** The f and f′ functions each kernel id stands for: `kernelOf` trusts an id only beside them. */
const kernelFunctions = new WeakMap<object, ActivationKernel>();

/** A built-in activation: registers f and df as the functions of its kernel id. */
function builtIn(a: Activation & { kernel: ActivationKernel }): Activation {
  kernelFunctions.set(a.f, a.kernel);
  kernelFunctions.set(a.df, a.kernel);
  return Object.freeze(a);
}

/**
 * The SIMD kernel id of `f`, or undefined when its f and f′ must be called: an id is taken only
 * from an object whose f and df are the built-in functions of that id.
 */
export function kernelOf(f: Activation): ActivationKernel | undefined {
  const id = f.kernel;
  return id !== undefined && kernelFunctions.get(f.f) === id && kernelFunctions.get(f.df) === id ? id : undefined;
}

const identity = builtIn({ name: 'identity', alpha: 0, f: (z) => z, df: () => 1, init: 'glorot-uniform', kernel: activationKernels.identity });
// σ′(z) = σ(z)(1 − σ(z)): the notes' "nice property" — and the reason deep sigmoid nets vanish (σ′ ≤ 1/4).
// Saturated where σ′ < 0.025 (a tenth of its peak 1/4), i.e. a < 0.026 or a > 0.974.
const sigmoidAct = builtIn({
  name: 'sigmoid',
  alpha: 0,
  f: sigmoid,
  df: (_z, a) => a * (1 - a),
  init: 'glorot-uniform',
  health: { kind: 'saturated', saturated: (_z, a) => a * (1 - a) < 0.025 },
  kernel: activationKernels.sigmoid,
});
// tanh′(z) = 1 − tanh²(z); saturated where tanh′ < 0.1 (a tenth of its peak 1), i.e. |a| > 0.949.
const tanhAct = builtIn({
  name: 'tanh',
  alpha: 0,
  f: Math.tanh,
  df: (_z, a) => 1 - a * a,
  init: 'glorot-uniform',
  health: { kind: 'saturated', saturated: (_z, a) => 1 - a * a < 0.1 },
  kernel: activationKernels.tanh,
});
/** A ReLU-family unit is dead when z ≤ 0 for every sample of the batch. */
const reluHealth: UnitHealth = { kind: 'dead', alive: (z) => z > 0 };
// ReLU′(0) is taken as 0, as PyTorch does.
const relu = builtIn({
  name: 'relu',
  alpha: 0,
  kinks: [0],
  f: (z) => (z > 0 ? z : 0),
  df: (z) => (z > 0 ? 1 : 0),
  init: 'he-normal',
  health: reluHealth,
  kernel: activationKernels.relu,
});
// softplus′(z) = σ(z)
const softplusAct = builtIn({ name: 'softplus', alpha: 0, f: softplus, df: (z) => sigmoid(z), init: 'glorot-uniform', kernel: activationKernels.softplus });
// swish(z) = z σ(z) (β = 1, PyTorch's SiLU); swish′(z) = σ(z) + z σ(z)(1 − σ(z)) = σ(z)(1 + z(1 − σ(z)))
const swish = builtIn({
  name: 'swish',
  alpha: 0,
  f: (z) => z * sigmoid(z),
  df: (z) => {
    const s = sigmoid(z);
    return s * (1 + z * (1 - s));
  },
  init: 'glorot-uniform',
  kernel: activationKernels.swish,
});

/** √(2/π) and the cubic coefficient of GELU's tanh approximation. */
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;
// GELU, tanh approximation (Hendrycks & Gimpel 2016; PyTorch's GELU(approximate='tanh')):
//   f(z) = ½ z (1 + tanh u),  u = √(2/π)(z + 0.044715 z³)
//   f′(z) = ½ (1 + tanh u) + ½ z (1 − tanh² u) √(2/π)(1 + 3 · 0.044715 z²)
// ReLU-like (≈ z for z ≫ 0, ≈ 0 for z ≪ 0), so He initialisation.
const geluTanh = builtIn({
  name: 'gelu-tanh',
  alpha: 0,
  f: (z) => 0.5 * z * (1 + Math.tanh(GELU_C * (z + GELU_K * z * z * z))),
  df: (z) => {
    const t = Math.tanh(GELU_C * (z + GELU_K * z * z * z));
    return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * z * z);
  },
  init: 'he-normal',
  kernel: activationKernels['gelu-tanh'],
});

/** Leaky ReLU: f(z) = z for z > 0, αz otherwise (α = 0.01 by default, as PyTorch's `negative_slope`). */
export function leakyRelu(alpha = 0.01): Activation {
  if (!Number.isFinite(alpha) || alpha < 0) {
    throw new NablaError('ARGUMENT', `leaky-relu slope ${alpha}: expected a finite number ≥ 0`);
  }
  return builtIn({
    name: 'leaky-relu',
    alpha,
    kinks: [0],
    f: (z) => (z > 0 ? z : alpha * z),
    df: (z) => (z > 0 ? 1 : alpha),
    init: 'he-normal',
    health: reluHealth,
    kernel: activationKernels['leaky-relu'],
  });
}

const table: Record<ActivationName, Activation> = {
  identity,
  sigmoid: sigmoidAct,
  tanh: tanhAct,
  relu,
  'leaky-relu': leakyRelu(0.01),
  softplus: softplusAct,
  swish,
  'gelu-tanh': geluTanh,
};

export const activationNames = Object.keys(table) as ActivationName[];

/** The activation named `name` (as users type it: `relu`, `leaky-relu`, ...); `alpha` sets leaky ReLU's slope. */
export function activation(name: string, alpha?: number): Activation {
  const key = name.toLowerCase().replace(/_/g, '-');
  if (key === 'leaky-relu' && alpha !== undefined) return leakyRelu(alpha);
  return lookup(table, key, 'activation');
}
