import type { Dataset } from '../data/dataset.js';
import type { Network } from '../nn/network.js';
import type { Floats } from '../tensor/matrix.js';
import { unitHealth } from './diagnostics.js';
import type { EpochRecord } from './history.js';
import { evaluate, predictedClass } from './metrics.js';
import type { EpochTotals } from './training-state.js';

const PROBE_ROWS = 256;

/** The totals of an epoch before its first batch. */
export function emptyTotals(layers: number): EpochTotals {
  return { cost: 0, seen: 0, correct: 0, squaredError: 0, gradNorms: new Array<number>(layers).fill(0) };
}

/**
 * Adds one trained batch to the epoch's totals: its mean cost over its m rows, ‖∂C/∂W[ℓ]‖₂ from
 * the squared norms, and how many rows the network (its output buffer, ŷ) got right — or Σ (ŷ − t)²
 * without class labels.
 */
export function addBatch(totals: EpochTotals, net: Network, data: Dataset, ids: Int32Array, targets: Floats, cost: number, layerSquares: Float64Array): void {
  const m = ids.length;
  const yhat = net.outputBuffer();
  const nOut = net.sizes[net.sizes.length - 1]!;
  totals.cost += cost * m;
  totals.seen += m;
  if (classifies(data)) {
    for (let r = 0; r < m; r++) if (predictedClass(yhat, r, nOut) === data.labels![ids[r]!]) totals.correct++;
  } else {
    let s = 0;
    for (let i = 0; i < m * nOut; i++) s += (yhat[i]! - targets[i]!) ** 2;
    totals.squaredError += s;
  }
  for (let l = 0; l < layerSquares.length; l++) totals.gradNorms[l] = totals.gradNorms[l]! + Math.sqrt(layerSquares[l]!);
}

/**
 * The epoch's record: training cost and accuracy (or MSE) from its totals, the gradient norms
 * averaged over its batches, the unit-health probe, and the validation data's cost and accuracy.
 */
export function epochRecord(net: Network, train: Dataset, validation: Dataset | undefined, epoch: number, totals: EpochTotals, batches: number, lr: number, seconds: number): EpochRecord {
  const nOut = net.sizes[net.sizes.length - 1]!;
  const record: EpochRecord = {
    epoch,
    trainCost: totals.cost / totals.seen,
    ...(classifies(train) ? { trainAccuracy: totals.correct / totals.seen } : { trainMse: totals.squaredError / (totals.seen * nOut) }),
    lr,
    seconds,
    gradNorms: totals.gradNorms.map((s) => s / batches),
    saturation: probeUnits(net, train),
  };
  if (validation && validation.count > 0) {
    const v = evaluate(net, validation);
    record.valCost = v.cost;
    if (v.accuracy !== undefined) Object.assign(record, { valAccuracy: v.accuracy, valCorrect: v.correct, valCount: v.count });
    if (v.mse !== undefined) record.valMse = v.mse;
  }
  return record;
}

function classifies(data: Dataset): boolean {
  return data.task !== 'regression' && data.labels !== undefined;
}

/** Forward over up to PROBE_ROWS training samples (fixed, in data order) to measure saturation and dead units. */
function probeUnits(net: Network, data: Dataset): (number | null)[] {
  if (net.layers.length < 2) return [];
  const m = Math.min(PROBE_ROWS, data.count);
  const ids = Int32Array.from({ length: m }, (_, i) => Math.floor((i * data.count) / m));
  const { x } = net.batchBuffers(m);
  data.gatherInputs(ids, x);
  net.forwardBatch(m, false);
  return unitHealth(net);
}
