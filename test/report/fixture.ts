import { Rng } from '../../src/tensor/rng.js';
import type { BatchRecord, EpochRecord, History } from '../../src/train/history.js';

/**
 * A deterministic, plausible History built without training: costs fall along 1/√step with seeded
 * noise, the confusion matrix agrees with the stated accuracy and the misclassified list, and
 * N_b / N_w agree with the sizes. Unit tests use it; the browser test trains a real network.
 */
export function syntheticClassification(opts: { epochs?: number; stepsPerEpoch?: number; classNames?: string[]; command?: string } = {}): History {
  const rng = new Rng(7);
  const sizes = [64, 16, 10];
  const epochs = opts.epochs ?? 5;
  const stepsPerEpoch = opts.stepsPerEpoch ?? 40;
  const k = 10;
  const testCount = 360;
  const batches: BatchRecord[] = [];
  const records: EpochRecord[] = [];
  for (let e = 1; e <= epochs; e++) {
    let sum = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const step = (e - 1) * stepsPerEpoch + s;
      const lr = 0.01 * 0.5 * (1 + Math.cos((Math.PI * step) / (epochs * stepsPerEpoch)));
      const cost = 2.3 / Math.sqrt(1 + step / 4) + 0.05 * rng.uniform();
      sum += cost;
      batches.push({ step, cost, lr });
    }
    const trainCost = sum / stepsPerEpoch;
    const valCorrect = Math.round(testCount * (0.55 + 0.4 * (1 - Math.exp(-e / 1.5))));
    records.push({
      epoch: e,
      trainCost,
      trainAccuracy: Math.min(0.999, 1 - trainCost / 2.6),
      valCost: trainCost * 1.08,
      valAccuracy: valCorrect / testCount,
      valCorrect,
      valCount: testCount,
      lr: batches[batches.length - 1]!.lr,
      seconds: 0.12 + 0.01 * e,
      // the first layer's gradient is ~30× smaller than the last: a mild vanishing gradient to see
      gradNorms: [0.02 * Math.exp(-e / 3), 0.6 * Math.exp(-e / 4)],
      saturation: [0.05 + 0.02 * e],
    });
  }
  // confusion[true][predicted]: each class has 36 test samples; class c loses (c % 4) of them to c+1.
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const misclassified: NonNullable<NonNullable<History['final']>['misclassified']> = [];
  let index = 0;
  for (let c = 0; c < k; c++) {
    const wrong = c % 4;
    confusion[c]![c] = 36 - wrong;
    confusion[c]![(c + 1) % k] = wrong;
    for (let w = 0; w < wrong; w++) misclassified.push({ index: index + w, label: c, predicted: (c + 1) % k, pixels: digitPixels(c, rng) });
    index += 36;
  }
  const correct = confusion.reduce((s, row, i) => s + row[i]!, 0);
  return {
    meta: {
      command: opts.command ?? 'nabla train digits --layers 16 --epochs 5 --batch-size 32 --optimizer adam --lr 0.01',
      dataset: 'digits',
      sizes,
      hidden: ['relu'],
      output: 'softmax',
      cost: 'cross-entropy',
      task: 'classification',
      classNames: opts.classNames ?? Array.from({ length: k }, (_, i) => String(i)),
      optimizer: { name: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      schedule: 'cosine',
      batchSize: 32,
      epochs,
      seed: 1,
      backend: 'js',
      threads: 1,
      numBiases: 16 + 10,
      numWeights: 64 * 16 + 16 * 10,
      trainCount: 1437,
      valCount: testCount,
      startedAt: '2026-11-23T17:00:00.000Z',
    },
    epochs: records,
    batches,
    stopReason: 'completed',
    bestEpoch: epochs,
    totalSeconds: records.reduce((s, r) => s + r.seconds, 0) + 0.05,
    final: {
      split: 'test',
      count: testCount,
      cost: records[records.length - 1]!.valCost!,
      accuracy: correct / testCount,
      confusion,
      misclassified,
      imageShape: [8, 8],
    },
  };
}

/** An 8 × 8 blob loosely shaped by the class (a ring for 0, a bar for 1 ...), with noise. */
function digitPixels(c: number, rng: Rng): number[] {
  const px: number[] = [];
  for (let r = 0; r < 8; r++)
    for (let col = 0; col < 8; col++) {
      const d = Math.hypot(r - 3.5, col - 3.5);
      const ring = Math.abs(d - 1.5 - (c % 3) * 0.5) < 0.8 ? 1 : 0;
      const bar = c % 2 === 1 && Math.abs(col - 3.5 - ((c % 5) - 2) * 0.5) < 0.7 ? 1 : 0;
      px.push(Math.min(1, Math.max(ring, bar) * (0.7 + 0.3 * rng.uniform())));
    }
  return px;
}

/** A 1-D regression run: y = sin(x) data and a fitted curve on a grid, MSE instead of accuracy. */
export function syntheticRegression(): History {
  const rng = new Rng(3);
  const x = Array.from({ length: 60 }, (_, i) => -3 + (6 * i) / 59);
  const y = x.map((v) => Math.sin(v) + 0.1 * (rng.uniform() - 0.5));
  const gridX = Array.from({ length: 101 }, (_, i) => -3 + (6 * i) / 100);
  const gridY = gridX.map((v) => 0.95 * Math.sin(v));
  const epochs: EpochRecord[] = Array.from({ length: 4 }, (_, i) => ({
    epoch: i + 1,
    trainCost: 0.4 / (i + 1),
    trainMse: 0.8 / (i + 1),
    valCost: 0.45 / (i + 1),
    valMse: 0.9 / (i + 1),
    lr: 0.05,
    seconds: 0.02,
    gradNorms: [0.3 / (i + 1), 0.2 / (i + 1)],
    saturation: [0.3 - 0.05 * i],
  }));
  return {
    meta: {
      sizes: [1, 20, 1],
      hidden: ['tanh'],
      output: 'identity',
      cost: 'mse',
      task: 'regression',
      optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, nesterov: false },
      batchSize: 16,
      epochs: 4,
      seed: 2,
      backend: 'reference',
      threads: 1,
      numBiases: 21,
      numWeights: 40,
      trainCount: 60,
      startedAt: '2026-11-23T17:05:00.000Z',
    },
    epochs,
    batches: Array.from({ length: 16 }, (_, i) => ({ step: i, cost: 0.5 / (1 + i / 4), lr: 0.05 })),
    stopReason: 'completed',
    totalSeconds: 0.1,
    final: { split: 'validation', count: 60, cost: 0.1, mse: 0.2, curve: { x, y, gridX, gridY } },
  };
}
