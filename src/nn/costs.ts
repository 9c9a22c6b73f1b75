import { NablaError, excerpt } from '../errors.js';
import type { Floats } from '../tensor/matrix.js';

/**
 * Costs C(Ŷ, T) = (1/m) Σ_samples C⁽ⁱ⁾ over a batch of m rows of n outputs, each with its
 * gradient ∂C/∂Ŷ beside it (the 1/m included). A cost knows nothing of the activation before
 * it: the fused deltas of the canonical pairs live in output-layer.ts.
 */
export type CostName = 'quadratic' | 'binary-cross-entropy' | 'cross-entropy';

export interface Cost {
  readonly name: CostName;
  value(m: number, n: number, yhat: Floats, t: Floats): number;
  gradient(m: number, n: number, yhat: Floats, t: Floats, out: Floats): void;
}

/**
 * Probabilities are kept in [ε, 1 − ε] before a logarithm, so a saturated output costs
 * −ln ε ≈ 36.8 instead of Infinity (the fused pairs avoid this clamp altogether).
 */
export const PROBABILITY_EPSILON = 1e-16;
const clampP = (p: number): number => Math.min(Math.max(p, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);

/** C⁽ⁱ⁾ = ½‖ŷ − t‖²;  ∂C/∂ŷ = (ŷ − t)/m. */
const quadratic: Cost = {
  name: 'quadratic',
  value(m, n, yhat, t) {
    let s = 0;
    for (let i = 0; i < m * n; i++) {
      const e = yhat[i]! - t[i]!;
      s += e * e;
    }
    return s / (2 * m);
  },
  gradient(m, n, yhat, t, out) {
    for (let i = 0; i < m * n; i++) out[i] = (yhat[i]! - t[i]!) / m;
  },
};

/** C⁽ⁱ⁾ = Σ_j −t ln ŷ − (1 − t) ln(1 − ŷ);  ∂C/∂ŷ = (ŷ − t) / (ŷ(1 − ŷ)) / m. */
const binaryCrossEntropy: Cost = {
  name: 'binary-cross-entropy',
  value(m, n, yhat, t) {
    let s = 0;
    for (let i = 0; i < m * n; i++) {
      const p = clampP(yhat[i]!);
      s -= t[i]! * Math.log(p) + (1 - t[i]!) * Math.log(1 - p);
    }
    return s / m;
  },
  gradient(m, n, yhat, t, out) {
    for (let i = 0; i < m * n; i++) {
      const p = clampP(yhat[i]!);
      out[i] = (p - t[i]!) / (p * (1 - p)) / m;
    }
  },
};

/** C⁽ⁱ⁾ = −Σ_k t_k ln ŷ_k;  ∂C/∂ŷ_k = −t_k / ŷ_k / m. */
const crossEntropy: Cost = {
  name: 'cross-entropy',
  value(m, n, yhat, t) {
    let s = 0;
    for (let i = 0; i < m * n; i++) if (t[i]! !== 0) s -= t[i]! * Math.log(clampP(yhat[i]!));
    return s / m;
  },
  gradient(m, n, yhat, t, out) {
    for (let i = 0; i < m * n; i++) out[i] = -t[i]! / clampP(yhat[i]!) / m;
  },
};

const table: Record<CostName, Cost> = {
  quadratic,
  'binary-cross-entropy': binaryCrossEntropy,
  'cross-entropy': crossEntropy,
};
/** Other names users type for the same costs. */
const aliases: Record<string, CostName> = {
  mse: 'quadratic',
  bce: 'binary-cross-entropy',
  'categorical-cross-entropy': 'cross-entropy',
  ce: 'cross-entropy',
};
export const costNames = Object.keys(table) as CostName[];

/** The cost named `name`: quadratic, binary-cross-entropy or cross-entropy (aliases mse, bce, categorical-cross-entropy). */
export function cost(name: string): Cost {
  const key = name.toLowerCase().replace(/_/g, '-');
  const resolved = (aliases[key] ?? key) as CostName;
  if (!Object.hasOwn(table, resolved)) {
    throw new NablaError('UNKNOWN_NAME', `unknown cost ${excerpt(name, "'")}: expected one of ${costNames.join(', ')}`);
  }
  return table[resolved];
}
