import { NablaError, excerpt } from '../errors.js';

/**
 * Hidden-layer activations. Each is one small object holding its function f and its derivative
 * f′ side by side, in float64; the kernel backends implement the same rules on whole arrays and
 * are tested against these.
 *
 * `df(z, a)` receives both z and a = f(z): sigmoid and tanh differentiate more cheaply (and more
 * accurately) from a.
 */
export type ActivationName = 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leaky-relu' | 'softplus' | 'swish';

export interface Activation {
  readonly name: ActivationName;
  /** Leaky ReLU's negative slope; 0 for the others. */
  readonly alpha: number;
  f(z: number): number;
  df(z: number, a: number): number;
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

const identity: Activation = { name: 'identity', alpha: 0, f: (z) => z, df: () => 1 };
// σ′(z) = σ(z)(1 − σ(z)): the notes' "nice property" — and the reason deep sigmoid nets vanish (σ′ ≤ 1/4).
const sigmoidAct: Activation = { name: 'sigmoid', alpha: 0, f: sigmoid, df: (_z, a) => a * (1 - a) };
// tanh′(z) = 1 − tanh²(z)
const tanhAct: Activation = { name: 'tanh', alpha: 0, f: Math.tanh, df: (_z, a) => 1 - a * a };
// ReLU′(0) is taken as 0, as PyTorch does.
const relu: Activation = { name: 'relu', alpha: 0, f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) };
// softplus′(z) = σ(z)
const softplusAct: Activation = { name: 'softplus', alpha: 0, f: softplus, df: (z) => sigmoid(z) };
// swish(z) = z σ(z) (β = 1, PyTorch's SiLU); swish′(z) = σ(z) + z σ(z)(1 − σ(z)) = σ(z)(1 + z(1 − σ(z)))
const swish: Activation = {
  name: 'swish',
  alpha: 0,
  f: (z) => z * sigmoid(z),
  df: (z) => {
    const s = sigmoid(z);
    return s * (1 + z * (1 - s));
  },
};

/** Leaky ReLU: f(z) = z for z > 0, αz otherwise (α = 0.01 by default, as PyTorch's `negative_slope`). */
export function leakyRelu(alpha = 0.01): Activation {
  if (!Number.isFinite(alpha) || alpha < 0) {
    throw new NablaError('ARGUMENT', `leaky-relu slope ${alpha}: expected a finite number ≥ 0`);
  }
  return { name: 'leaky-relu', alpha, f: (z) => (z > 0 ? z : alpha * z), df: (z) => (z > 0 ? 1 : alpha) };
}

const table: Record<ActivationName, Activation> = {
  identity,
  sigmoid: sigmoidAct,
  tanh: tanhAct,
  relu,
  'leaky-relu': leakyRelu(0.01),
  softplus: softplusAct,
  swish,
};

export const activationNames = Object.keys(table) as ActivationName[];

/** The activation named `name` (as users type it: `relu`, `leaky-relu`, ...); `alpha` sets leaky ReLU's slope. */
export function activation(name: string, alpha?: number): Activation {
  const key = name.toLowerCase().replace(/_/g, '-') as ActivationName;
  if (key === 'leaky-relu' && alpha !== undefined) return leakyRelu(alpha);
  if (!Object.hasOwn(table, key)) {
    throw new NablaError('UNKNOWN_NAME', `unknown activation ${excerpt(name, "'")}: expected one of ${activationNames.join(', ')}`);
  }
  return table[key];
}
