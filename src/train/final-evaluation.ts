import type { Dataset } from '../data/dataset.js';
import type { Network } from '../nn/network.js';
import { Matrix } from '../tensor/matrix.js';
import type { FinalEvaluation } from './history.js';
import { evaluate } from './metrics.js';

/**
 * The evaluation a report shows: cost and accuracy (or MSE), the confusion matrix, up to
 * `maxMisclassified` misclassified samples with their pixels scaled to [0, 1] (image data), and
 * for a 1-input regression the data points with the fitted curve on a grid.
 */
export function finalEvaluation(net: Network, data: Dataset, split: FinalEvaluation['split'], maxMisclassified = 36): FinalEvaluation {
  const e = evaluate(net, data);
  const out: FinalEvaluation = { split, count: e.count, cost: e.cost };
  if (e.accuracy !== undefined) out.accuracy = e.accuracy;
  if (e.mse !== undefined) out.mse = e.mse;
  if (e.confusion) out.confusion = e.confusion;
  if (e.predictions && data.labels) {
    const wrong: FinalEvaluation['misclassified'] = [];
    const raw = data.unscaled ?? data;
    const row = new Float32Array(data.inputSize);
    for (let i = 0; i < data.count && wrong.length < maxMisclassified; i++) {
      if (e.predictions[i] === data.labels[i]) continue;
      const item: NonNullable<FinalEvaluation['misclassified']>[number] = { index: i, label: data.labels[i]!, predicted: e.predictions[i]! };
      if (data.imageShape) {
        raw.gatherInputs([i], row);
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of row) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        item.pixels = Array.from(row, (v) => (hi > lo ? Math.round(((v - lo) / (hi - lo)) * 1000) / 1000 : 0));
      }
      wrong.push(item);
    }
    out.misclassified = wrong;
    if (data.imageShape) out.imageShape = [data.imageShape[0], data.imageShape[1]];
  }
  if (data.task === 'regression' && data.inputSize === 1 && data.outputSize === 1) out.curve = curve(net, data);
  return out;
}

/** The data points (inputs as stored) and the network's curve on 200 points spanning them. */
function curve(net: Network, data: Dataset): NonNullable<FinalEvaluation['curve']> {
  const raw = data.unscaled ?? data;
  const ids = Int32Array.from({ length: data.count }, (_, i) => i);
  const xRaw = new Float32Array(data.count);
  const y = new Float32Array(data.count);
  raw.gatherInputs(ids, xRaw);
  data.gatherTargets(ids, y);
  const lo = Math.min(...xRaw);
  const hi = Math.max(...xRaw);
  const gridX = Array.from({ length: 200 }, (_, i) => lo + ((hi - lo) * i) / 199);
  // Scale the grid as the data is scaled: x′ = (x − shift) · scale.
  const shift = data.scaling?.shift[0] ?? 0;
  const scale = data.scaling?.scale[0] ?? 1;
  const gridY = net.predict(new Matrix(200, 1, Float32Array.from(gridX, (x) => (x - shift) * scale)));
  return { x: Array.from(xRaw), y: Array.from(y), gridX, gridY: Array.from(gridY.data) };
}
