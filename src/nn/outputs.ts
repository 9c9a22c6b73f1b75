import { lookup } from '../errors.js';
import type { CostName } from './costs.js';
import type { Floats } from '../tensor/matrix.js';
import type { Kernels } from '../kernels/kernels.js';
import { activation, sigmoid } from './activations.js';

/**
 * Output activations g, applied to the m × n matrix Z[L] row by row. `backward` turns
 * ∂C/∂Ŷ into ∂C/∂Z[L] by the chain rule — used only for pairings without a fused delta
 * (see output-layer.ts).
 */
export type OutputName = 'identity' | 'sigmoid' | 'softmax';

export interface OutputActivation {
  readonly name: OutputName;
  /** The cost that pairs with it when none is given: its canonical pair (see output-layer.ts). */
  readonly defaultCost: CostName;
  /**
   * a = g(z) over the m × n matrix; with `kernels`, on the backend's own kernels where it has them
   * (σ as a hidden layer's, softmax in SIMD), arrays then from its `alloc`.
   */
  forward(m: number, n: number, z: Floats, a: Floats, kernels?: Kernels): void;
  /** out = ∂C/∂Z given gradA = ∂C/∂Ŷ and a = g(z). */
  backward(m: number, n: number, z: Floats, a: Floats, gradA: Floats, out: Floats): void;
}

/** The hidden layers' σ, whose kernel the sigmoid output runs on. */
const SIGMOID = activation('sigmoid');

const identity: OutputActivation = {
  name: 'identity',
  defaultCost: 'quadratic',
  forward(m, n, z, a) {
    for (let i = 0; i < m * n; i++) a[i] = z[i]!;
  },
  backward(m, n, _z, _a, gradA, out) {
    for (let i = 0; i < m * n; i++) out[i] = gradA[i]!;
  },
};

const sigmoidOut: OutputActivation = {
  name: 'sigmoid',
  defaultCost: 'binary-cross-entropy',
  forward(m, n, z, a, kernels) {
    if (kernels) kernels.activate(SIGMOID, m * n, z, a); // the same σ: its kernel, or these calls
    else for (let i = 0; i < m * n; i++) a[i] = sigmoid(z[i]!);
  },
  // ∂C/∂z = ∂C/∂ŷ · σ(z)(1 − σ(z))
  backward(m, n, _z, a, gradA, out) {
    for (let i = 0; i < m * n; i++) out[i] = gradA[i]! * a[i]! * (1 - a[i]!);
  },
};

const softmax: OutputActivation = {
  name: 'softmax',
  defaultCost: 'cross-entropy',
  // σ_i = e^(z_i − max z) / Σ_j e^(z_j − max z): subtracting the row max keeps e^x ≤ 1, so
  // logits of ±1000 neither overflow nor give 0/0.
  forward(m, n, z, a, kernels) {
    if (kernels?.softmaxRows) {
      kernels.softmaxRows(m, n, z, a);
      return;
    }
    for (let r = 0; r < m; r++) {
      const o = r * n;
      let max = -Infinity;
      for (let j = 0; j < n; j++) if (z[o + j]! > max) max = z[o + j]!;
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const e = Math.exp(z[o + j]! - max);
        a[o + j] = e;
        sum += e;
      }
      for (let j = 0; j < n; j++) a[o + j] = a[o + j]! / sum;
    }
  },
  // Jacobian ∂σ_i/∂z_j = σ_i(δ_ij − σ_j), so ∂C/∂z_j = Σ_i g_i σ_i(δ_ij − σ_j) = σ_j (g_j − Σ_i g_i σ_i).
  backward(m, n, _z, a, gradA, out) {
    for (let r = 0; r < m; r++) {
      const o = r * n;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += gradA[o + i]! * a[o + i]!;
      for (let j = 0; j < n; j++) out[o + j] = a[o + j]! * (gradA[o + j]! - dot);
    }
  },
};

const table: Record<OutputName, OutputActivation> = { identity, sigmoid: sigmoidOut, softmax };
export const outputNames = Object.keys(table) as OutputName[];

/** The output activation named `name`: identity, sigmoid or softmax. */
export function outputActivation(name: string): OutputActivation {
  return lookup(table, name.toLowerCase(), 'output activation');
}
