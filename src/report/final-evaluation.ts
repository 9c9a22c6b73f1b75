import type { Dataset } from '../data/dataset.js';
import type { Network } from '../nn/network.js';
import { Matrix } from '../tensor/matrix.js';
import type { FinalEvaluation } from '../train/history.js';
import { evaluate } from '../train/metrics.js';

export interface FinalEvaluationOptions {
  /** Which split `data` is, as the report names it (default 'test'). */
  split?: 'test' | 'validation';
  /** Most misclassified samples kept, with their pixels when the data are images (default 48). */
  maxMisclassified?: number;
  /** 1-D regression: points on the fitted curve's grid (default 200) and most data points kept (default 2000). */
  gridPoints?: number;
  maxPoints?: number;
}

/**
 * What the report shows of the trained network on held-out data, for `history.final`: cost and
 * accuracy (or MSE), the confusion matrix, the first misclassified samples (with their pixels
 * scaled to 0..1 for image data), and for a 1-D regression the data points with the network's
 * curve over their x range. Uses `evaluate`, so the numbers are the ones `nabla evaluate` prints.
 *
 * @example
 * const { history } = await fit(net, train, { epochs: 10, validation: test });
 * history.final = finalEvaluation(net, test);
 * writeReport('run.html', history);
 */
export function finalEvaluation(net: Network, data: Dataset, options: FinalEvaluationOptions = {}): FinalEvaluation {
  const ev = evaluate(net, data);
  const final: FinalEvaluation = { split: options.split ?? 'test', count: ev.count, cost: ev.cost };
  if (ev.accuracy !== undefined) final.accuracy = ev.accuracy;
  if (ev.mse !== undefined) final.mse = ev.mse;
  if (ev.confusion) final.confusion = ev.confusion;
  if (ev.predictions && data.labels) {
    const wrong: number[] = [];
    const max = options.maxMisclassified ?? 48;
    for (let i = 0; i < data.count && wrong.length < max; i++) if (ev.predictions[i] !== data.labels[i]) wrong.push(i);
    const pixels = data.imageShape ? displayPixels(data, wrong) : undefined;
    final.misclassified = wrong.map((index, k) => ({
      index,
      label: data.labels![index]!,
      predicted: ev.predictions![index]!,
      ...(pixels ? { pixels: pixels[k]! } : {}),
    }));
    if (data.imageShape) final.imageShape = [data.imageShape[0], data.imageShape[1]];
  }
  if (data.task === 'regression' && data.inputSize === 1 && data.outputSize === 1 && data.count > 0)
    final.curve = fittedCurve(net, data, options.gridPoints ?? 200, options.maxPoints ?? 2000);
  return final;
}

/**
 * The samples' pixels as stored (before any input scaling: 0..16 for digits, 0..255 for IDX),
 * mapped to 0..1 by one min–max over all of them (with 0 and 1 inside the range), 3 decimals.
 */
function displayPixels(data: Dataset, indices: readonly number[]): number[][] {
  const n = data.inputSize;
  const x = new Float32Array(indices.length * n);
  if (indices.length > 0) (data.unscaled ?? data).gatherInputs(indices, x);
  let lo = 0;
  let hi = 1;
  for (const v of x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo || 1;
  return indices.map((_, k) => Array.from(x.subarray(k * n, (k + 1) * n), (v) => Math.round((1000 * (v - lo)) / span) / 1000));
}

/**
 * Up to `maxPoints` data points (evenly strided) and the network's output on an even grid over
 * their x range, in the data's own units (the grid is scaled as the network's inputs are).
 */
function fittedCurve(net: Network, data: Dataset, gridPoints: number, maxPoints: number): NonNullable<FinalEvaluation['curve']> {
  const stride = Math.max(1, Math.ceil(data.count / maxPoints));
  const indices = Array.from({ length: Math.ceil(data.count / stride) }, (_, i) => i * stride);
  const xs = new Float32Array(indices.length);
  const ys = new Float32Array(indices.length);
  (data.unscaled ?? data).gatherInputs(indices, xs);
  data.gatherTargets(indices, ys);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of xs) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const steps = Math.max(2, gridPoints);
  const gridX = Array.from({ length: steps }, (_, i) => lo + ((hi - lo) * i) / (steps - 1));
  const shift = data.scaling?.shift[0] ?? 0;
  const scale = data.scaling?.scale[0] ?? 1;
  const input = Float32Array.from(gridX, (x) => (x - shift) * scale);
  const gridY = Array.from(net.predict(new Matrix(steps, 1, input)).data);
  return { x: Array.from(xs), y: Array.from(ys), gridX, gridY };
}
