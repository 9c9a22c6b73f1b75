import type { Dataset } from '../data/dataset.js';
import type { Network } from '../nn/network.js';
import type { Floats } from '../tensor/matrix.js';

/** The class a row of outputs predicts: argmax for several outputs, ŷ > 0.5 for one sigmoid output. */
export function predictedClass(yhat: Floats, row: number, n: number): number {
  if (n === 1) return yhat[row]! > 0.5 ? 1 : 0;
  const o = row * n;
  let best = 0;
  for (let j = 1; j < n; j++) if (yhat[o + j]! > yhat[o + best]!) best = j;
  return best;
}

export interface Evaluation {
  count: number;
  /** Mean cost, as trained (C averaged over samples). */
  cost: number;
  /** Classification: fraction and number correct, and confusion[true][predicted]. */
  accuracy?: number;
  correct?: number;
  confusion?: number[][];
  /** Regression: mean over samples and outputs of (ŷ − t)². */
  mse?: number;
  /** Predicted class of every sample (classification). */
  predictions?: Int32Array;
}

/**
 * Cost, accuracy (or mean squared error) and confusion matrix of `net` on `data`, in batches,
 * without dropout and without touching the gradients.
 *
 * @example
 * const { accuracy, confusion } = evaluate(net, test);
 */
export function evaluate(net: Network, data: Dataset, batchSize = 500): Evaluation {
  const n = net.sizes[net.sizes.length - 1]!;
  const classify = data.task !== 'regression' && data.labels !== undefined;
  const classes = data.task === 'binary' ? 2 : n;
  const confusion = classify ? Array.from({ length: classes }, () => new Array<number>(classes).fill(0)) : undefined;
  const predictions = classify ? new Int32Array(data.count) : undefined;
  let costSum = 0;
  let correct = 0;
  let sqErr = 0;
  const idx = new Int32Array(Math.min(batchSize, Math.max(1, data.count)));
  for (let start = 0; start < data.count; start += batchSize) {
    const m = Math.min(batchSize, data.count - start);
    const ids = idx.subarray(0, m);
    for (let r = 0; r < m; r++) ids[r] = start + r;
    const { x, t } = net.batchBuffers(m);
    data.gatherInputs(ids, x);
    data.gatherTargets(ids, t);
    net.forwardBatch(m, false);
    costSum += net.batchCost() * m;
    const yhat = net.outputBuffer();
    if (classify) {
      for (let r = 0; r < m; r++) {
        const p = predictedClass(yhat, r, n);
        const label = data.labels![start + r]!;
        predictions![start + r] = p;
        confusion![label]![p]!++;
        if (p === label) correct++;
      }
    } else {
      for (let i = 0; i < m * n; i++) sqErr += (yhat[i]! - t[i]!) ** 2;
    }
  }
  const count = data.count;
  const out: Evaluation = { count, cost: count ? costSum / count : NaN };
  if (classify) Object.assign(out, { accuracy: count ? correct / count : NaN, correct, confusion, predictions });
  else out.mse = count ? sqErr / (count * n) : NaN;
  return out;
}
