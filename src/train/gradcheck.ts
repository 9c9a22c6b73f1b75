import { NablaError } from '../errors.js';
import { ReferenceKernels } from '../kernels/reference.js';
import type { Network } from '../nn/network.js';
import { Matrix } from '../tensor/matrix.js';

export interface LayerCheck {
  /** ℓ = 1..L */
  layer: number;
  /** Worst relative error over the entries of W[ℓ] and of b[ℓ]. */
  weights: number;
  biases: number;
  worst: number;
}

export interface GradientCheckResult {
  layers: LayerCheck[];
  worst: number;
  /** Number of parameters compared. */
  checked: number;
}

export interface GradientCheckOptions {
  /** Step h of the finite differences (default 1e-3). */
  step?: number;
  /** Gradients smaller than this are compared on this scale (default 1e-6; see `relativeError`). */
  floor?: number;
}

/**
 * |a − b| / max(|a|, |b|, floor): relative error, except that two gradients both below `floor`
 * in magnitude are compared on the scale of `floor` (two values of 1e-13 and 3e-13 are both
 * "zero" to a finite difference, not 200% apart).
 */
export function relativeError(a: number, b: number, floor: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/**
 * Compares every backprop gradient of `net` on the batch (X, T) with finite differences, both in
 * float64 on a float64 copy of the network (reference kernels), and returns the worst relative
 * error per layer. The finite difference is the fourth-order central one
 * (−C(θ+2h) + 8C(θ+h) − 8C(θ−h) + C(θ−2h)) / 12h, whose truncation error O(h⁴) and rounding
 * error O(ε/h) are about 1e-12 and 1e-13 at h = 1e-3. (Piecewise-linear activations are not differentiable at
 * their kink: a unit whose z lies within 2h of 0 can fail the check honestly.)
 *
 * @example
 * const { worst } = gradientCheck(net, x, t); // worst < 1e-6 when backprop is right
 */
export function gradientCheck(net: Network, x: Matrix, t: Matrix, options: GradientCheckOptions = {}): GradientCheckResult {
  const h = options.step ?? 1e-3;
  const floor = options.floor ?? 1e-6;
  const net64 = net.clone(new ReferenceKernels('float64'));
  const x64 = toFloat64(x);
  const t64 = toFloat64(t);
  net64.computeGradients(x64, t64);
  const layers: LayerCheck[] = [];
  let checked = 0;
  net64.layers.forEach((layer, i) => {
    const analyticW = Float64Array.from(layer.dw);
    const analyticB = Float64Array.from(layer.db);
    const worstOf = (params: Float64Array | Float32Array, analytic: Float64Array): number => {
      let worst = 0;
      for (let j = 0; j < params.length; j++) {
        const saved = params[j]!;
        const at = (delta: number): number => {
          params[j] = saved + delta;
          return net64.evaluateCost(x64, t64);
        };
        const numeric = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
        params[j] = saved;
        const e = relativeError(analytic[j]!, numeric, floor);
        if (!Number.isFinite(e)) throw new NablaError('NUMERIC', `gradient check: non-finite gradient at layer ${i + 1}, parameter ${j}`);
        worst = Math.max(worst, e);
        checked++;
      }
      return worst;
    };
    const weights = worstOf(layer.w, analyticW);
    const biases = worstOf(layer.b, analyticB);
    layers.push({ layer: i + 1, weights, biases, worst: Math.max(weights, biases) });
  });
  return { layers, worst: Math.max(...layers.map((l) => l.worst)), checked };
}

function toFloat64(m: Matrix): Matrix<Float64Array> {
  return new Matrix(m.rows, m.cols, Float64Array.from(m.data));
}
