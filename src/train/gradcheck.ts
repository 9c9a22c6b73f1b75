import { NablaError } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import { ReferenceKernels } from '../kernels/reference.js';
import type { Network } from '../nn/network.js';
import { Matrix } from '../tensor/matrix.js';

/** A unit whose z lies on the other side of an activation's kink at a point of the stencil than at θ. */
export interface KinkCrossing {
  /** Hidden layer ℓ of the unit (1..L−1), its node (0-based) and the batch row (0-based). */
  layer: number;
  node: number;
  sample: number;
  /** z of the unit at θ, and the kink it crosses. */
  z: number;
  kink: number;
  activation: string;
}

/** A parameter the check could not compare: even the smallest step's stencil crosses a kink. */
export interface LeftOutParameter {
  /** ℓ = 1..L, the tensor W[ℓ] or b[ℓ], and the entry (row = node of layer ℓ; col = input, 0 for b). */
  layer: number;
  tensor: 'W' | 'b';
  row: number;
  col: number;
  /** The step of the last attempt, and the crossing it still made. */
  step: number;
  crossing: KinkCrossing;
}

export interface LayerCheck {
  /** ℓ = 1..L */
  layer: number;
  /** Worst relative error over the compared entries of W[ℓ] and of b[ℓ] (0 when none was compared). */
  weights: number;
  biases: number;
  worst: number;
  /** worst < limit */
  ok: boolean;
  /** Entries of W[ℓ] and b[ℓ] compared. */
  checked: number;
  /** Of those, how many needed a step smaller than `step` to keep their stencil off a kink. */
  smallerStep: number;
  /** Entries left out (see `LeftOutParameter`). */
  leftOut: number;
}

export interface GradientCheckResult {
  layers: LayerCheck[];
  /** Worst relative error over every compared parameter. */
  worst: number;
  /** worst < limit in every layer. */
  ok: boolean;
  /** Parameters compared, out of `total`. */
  checked: number;
  total: number;
  /** Parameters compared with a step smaller than `step`, and the smallest step any of them needed. */
  smallerStep: number;
  smallestStep: number;
  /** Parameters not compared, and why. */
  leftOut: LeftOutParameter[];
  /** The options in force. */
  step: number;
  minStep: number;
  floor: number;
  limit: number;
  /** S, the size of the numbers the cost is computed from (see `roundingError`). */
  costScale: number;
  /** An example of the first kink a default-step stencil crossed (null when none did). */
  firstCrossing: KinkCrossing | null;
}

export interface GradientCheckOptions {
  /** Step h of the finite differences (default 1e-3). */
  step?: number;
  /** The smallest step tried, dividing h by 10 at a time, to keep a stencil off a kink (default 1e-6). */
  minStep?: number;
  /** Gradients smaller than this are compared on this scale at the default step (default 1e-6; see `relativeError`). */
  floor?: number;
  /** Pass threshold of the relative error (default 1e-6). */
  limit?: number;
  /** Float64 kernels to run backprop and the cost on (default: the reference kernels). */
  kernels?: Kernels;
}

/** The default pass threshold of the relative error (see `gradientCheck` for why float64 reaches it). */
export const GRADIENT_CHECK_LIMIT = 1e-6;

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
 * (−C(θ+2h) + 8C(θ+h) − 8C(θ−h) + C(θ−2h)) / 12h, whose truncation error O(h⁴) ≈ 1e-12 and
 * rounding error ≤ 16εS/h ≈ 1e-11 (`roundingError`) at h = 1e-3 are far below the limit 1e-6;
 * gradients smaller than max(floor, rounding error / limit) are compared on that scale.
 *
 * Kinks: ReLU and leaky ReLU are not differentiable at z = 0, and a stencil that pushes some
 * unit's z across 0 averages two slopes, so a right backprop would read wrong. For each parameter
 * the check compares which side of every kink each unit's z lies on at θ and at the four
 * points of the stencil; where they differ it divides h by 10 (down to `minStep`) until they
 * agree (the rounding floor grows as 1/h with it). A parameter whose stencil still crosses a kink
 * at `minStep` is left out and listed in `leftOut`.
 *
 * @example
 * const { ok, worst, leftOut } = gradientCheck(net, x, t); // ok: worst < 1e-6 when backprop is right
 */
export function gradientCheck(net: Network, x: Matrix, t: Matrix, options: GradientCheckOptions = {}): GradientCheckResult {
  const step = options.step ?? 1e-3;
  const minStep = Math.min(options.minStep ?? 1e-6, step);
  const floor = options.floor ?? 1e-6;
  const limit = options.limit ?? GRADIENT_CHECK_LIMIT;
  const kernels = options.kernels ?? new ReferenceKernels('float64');
  if (kernels.dtype !== 'float64') {
    throw new NablaError('ARGUMENT', `gradient check: the ${kernels.name} kernels compute in ${kernels.dtype}; finite differences need float64 kernels`);
  }
  const net64 = net.clone(kernels);
  const x64 = toFloat64(x);
  const t64 = toFloat64(t);
  const cost = net64.computeGradients(x64, t64);
  const roundingScale = costScale(net64, cost, t64);
  const kinks = new KinkWatch(net64);
  const layers: LayerCheck[] = [];
  const leftOut: LeftOutParameter[] = [];
  let smallestStep = step;
  let firstCrossing: KinkCrossing | null = null;
  net64.layers.forEach((layer, i) => {
    const check: LayerCheck = { layer: i + 1, weights: 0, biases: 0, worst: 0, ok: true, checked: 0, smallerStep: 0, leftOut: 0 };
    const worstOf = (tensor: 'W' | 'b', params: Float64Array | Float32Array, analytic: Float64Array): number => {
      let worst = 0;
      for (let j = 0; j < params.length; j++) {
        const saved = params[j]!;
        /** The fourth-order central difference at step h, and the first kink its stencil crosses. */
        const quotient = (h: number): { numeric: number; crossing: KinkCrossing | null } => {
          let crossing: KinkCrossing | null = null;
          const c: number[] = [];
          for (const delta of [2 * h, h, -h, -2 * h]) {
            params[j] = saved + delta;
            c.push(net64.evaluateCost(x64, t64));
            crossing ??= kinks.crossing(i + 1);
          }
          return { numeric: (-c[0]! + 8 * c[1]! - 8 * c[2]! + c[3]!) / (12 * h), crossing };
        };
        let h = step;
        let { numeric, crossing } = quotient(h);
        if (crossing) firstCrossing ??= crossing;
        for (let shrink = 10; crossing && step / shrink >= minStep * (1 - 1e-9); shrink *= 10) {
          h = step / shrink;
          ({ numeric, crossing } = quotient(h));
        }
        params[j] = saved;
        if (crossing) {
          const cols = tensor === 'W' ? layer.inputs : 1;
          leftOut.push({ layer: i + 1, tensor, row: Math.floor(j / cols), col: j % cols, step: h, crossing });
          check.leftOut++;
          continue;
        }
        const e = relativeError(analytic[j]!, numeric, Math.max(floor, roundingError(roundingScale, h) / limit));
        if (!Number.isFinite(e)) throw new NablaError('NUMERIC', `gradient check: non-finite gradient at layer ${i + 1}, ${tensor}[${i + 1}] entry ${j}`);
        worst = Math.max(worst, e);
        check.checked++;
        if (h < step) {
          check.smallerStep++;
          smallestStep = Math.min(smallestStep, h);
        }
      }
      return worst;
    };
    check.weights = worstOf('W', layer.w, Float64Array.from(layer.dw));
    check.biases = worstOf('b', layer.b, Float64Array.from(layer.db));
    check.worst = Math.max(check.weights, check.biases);
    check.ok = check.worst < limit;
    layers.push(check);
  });
  const sum = (f: (l: LayerCheck) => number): number => layers.reduce((s, l) => s + f(l), 0);
  return {
    layers,
    worst: Math.max(...layers.map((l) => l.worst)),
    ok: layers.every((l) => l.ok),
    checked: sum((l) => l.checked),
    total: net64.numParams,
    smallerStep: sum((l) => l.smallerStep),
    smallestStep,
    leftOut,
    step,
    minStep,
    floor,
    limit,
    costScale: roundingScale,
    firstCrossing,
  };
}

/**
 * Which side of each kink every hidden unit's z lay on at θ (the last forward pass when made),
 * and the first unit whose side differs after a later forward pass.
 */
class KinkWatch {
  private readonly layers: { l: number; kinks: readonly number[]; name: string; z: Float64Array; n: number }[] = [];

  constructor(private readonly net: Network) {
    net.layers.forEach((layer, i) => {
      const kinks = layer.activation?.kinks ?? [];
      if (kinks.length === 0) return;
      const z = net.layerState(i + 1).z;
      this.layers.push({ l: i + 1, kinks, name: layer.activation!.name, z: Float64Array.from(z.data), n: z.cols });
    });
  }

  /** The first unit at or above layer `from` whose z changed side of a kink since θ, or null. */
  crossing(from: number): KinkCrossing | null {
    for (const { l, kinks, name, z: z0, n } of this.layers) {
      if (l < from) continue;
      const z = this.net.layerState(l).z.data;
      for (let u = 0; u < z0.length; u++) {
        for (const k of kinks) {
          if (Math.sign(z[u]! - k) !== Math.sign(z0[u]! - k)) {
            return { layer: l, node: u % n, sample: Math.floor(u / n), z: z0[u]!, kink: k, activation: name };
          }
        }
      }
    }
    return null;
  }
}

/** 16 ε S / h: a bound on the rounding error of the difference quotient at step h, for costs computed from values of size S. */
export function roundingError(scale: number, h: number): number {
  return (16 * Number.EPSILON * scale) / h;
}

/**
 * S = |C| + max|Z[L]| · (1 + max|Ŷ − T|): the size of the numbers the cost is computed from at θ
 * (logits enter log-sum-exp and softplus, outputs enter (ŷ − t)²), so C's rounding error is a few ε S.
 */
function costScale(net: Network, cost: number, t: Matrix): number {
  const { z, a } = net.layerState(net.layers.length);
  let zMax = 0;
  let residual = 0;
  for (let i = 0; i < z.data.length; i++) {
    zMax = Math.max(zMax, Math.abs(z.data[i]!));
    residual = Math.max(residual, Math.abs(a.data[i]! - t.data[i]!));
  }
  return Math.abs(cost) + zMax * (1 + residual);
}

function toFloat64(m: Matrix): Matrix<Float64Array> {
  return new Matrix(m.rows, m.cols, Float64Array.from(m.data));
}
