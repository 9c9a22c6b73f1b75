/**
 * TensorFlow.js peers (`cpu`: pure JavaScript; `wasm`: XNNPACK SIMD, one thread in Node) training
 * the same configurations with tf.layers. Slow peers train a fraction of an epoch once and are
 * scaled to a full epoch; the note says so.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BenchConfig, Timing } from './configs.js';

export type TfBackend = 'cpu' | 'wasm';

const require = createRequire(import.meta.url);
let wasmReady = false;

async function useBackend(backend: TfBackend): Promise<void> {
  if (backend === 'wasm' && !wasmReady) {
    setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
    wasmReady = true;
  }
  await tf.setBackend(backend);
  await tf.ready();
}

/** Raw training data: uint8 pixels (count × 784) and labels. */
export interface RawData {
  pixels: Uint8Array;
  labels: Uint8Array | Int32Array;
  count: number;
}

function model(cfg: BenchConfig): tf.Sequential {
  const m = tf.sequential();
  for (let l = 1; l < cfg.sizes.length; l++) {
    const last = l === cfg.sizes.length - 1;
    m.add(
      tf.layers.dense({
        units: cfg.sizes[l]!,
        activation: last ? cfg.output : cfg.hidden,
        ...(l === 1 ? { inputShape: [cfg.sizes[0]!] } : {}),
      }),
    );
  }
  m.compile({
    optimizer: cfg.optimizer === 'adam' ? tf.train.adam(cfg.lr) : tf.train.sgd(cfg.lr),
    // C2's quadratic cost ½‖a − y‖² is MSE up to a constant factor: the same work per step
    loss: cfg.cost === 'cross-entropy' ? 'categoricalCrossentropy' : 'meanSquaredError',
  });
  return m;
}

/**
 * Trains one run of about `budget` seconds (sized from a timed 8-batch pilot after a 4-batch
 * warm-up; a whole epoch when that fits) and returns its seconds scaled to 60,000 samples.
 */
export async function tfjsRun(cfg: BenchConfig, backend: TfBackend, data: RawData, budget: number, fullEpoch = 60000): Promise<Timing> {
  await useBackend(backend);
  const pilot = await tfjsTrain(cfg, data, 8 * cfg.batchSize);
  const perSample = pilot / (8 * cfg.batchSize);
  const n = Math.min(data.count, fullEpoch, Math.max(8, Math.round(budget / perSample / cfg.batchSize)) * cfg.batchSize);
  const seconds = await tfjsTrain(cfg, data, n);
  const scale = fullEpoch / n;
  return {
    seconds: [seconds * scale],
    samples: n,
    note: n < fullEpoch ? `1 run on ${n} samples (${((100 * n) / fullEpoch).toFixed(1)}% of an epoch) ×${scale.toFixed(1)}` : '1 run',
  };
}

/** Seconds to train a fresh model on the first n samples for one epoch, after a 4-batch warm-up. */
async function tfjsTrain(cfg: BenchConfig, data: RawData, n: number): Promise<number> {
  const inputs = cfg.sizes[0]!;
  const classes = cfg.sizes[cfg.sizes.length - 1]!;
  const xs = new Float32Array(n * inputs);
  for (let i = 0; i < n * inputs; i++) xs[i] = data.pixels[i]! / 255;
  const ys = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) ys[i * classes + data.labels[i]!] = 1;
  const x = tf.tensor2d(xs, [n, inputs]);
  const y = tf.tensor2d(ys, [n, classes]);
  const net = model(cfg);
  const warm = Math.min(n, 4 * cfg.batchSize);
  const xw = x.slice([0, 0], [warm, inputs]);
  const yw = y.slice([0, 0], [warm, classes]);
  await net.fit(xw, yw, { batchSize: cfg.batchSize, epochs: 1, shuffle: true, verbose: 0 });
  const t0 = performance.now();
  await net.fit(x, y, { batchSize: cfg.batchSize, epochs: 1, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([x, y, xw, yw]);
  net.dispose();
  return seconds;
}
