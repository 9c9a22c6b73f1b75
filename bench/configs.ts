/** The benchmark configurations of issue 5, shared by every runner (Nabla, TF.js, PyTorch). */
export interface BenchConfig {
  id: 'C1' | 'C2' | 'C3';
  sizes: number[];
  hidden: 'relu' | 'sigmoid';
  output: 'softmax' | 'sigmoid';
  cost: 'cross-entropy' | 'quadratic';
  optimizer: 'adam' | 'sgd';
  lr: number;
  batchSize: number;
}

export const configs: readonly BenchConfig[] = [
  { id: 'C1', sizes: [784, 100, 10], hidden: 'relu', output: 'softmax', cost: 'cross-entropy', optimizer: 'adam', lr: 1e-3, batchSize: 64 },
  { id: 'C2', sizes: [784, 30, 10], hidden: 'sigmoid', output: 'sigmoid', cost: 'quadratic', optimizer: 'sgd', lr: 3.0, batchSize: 10 },
  { id: 'C3', sizes: [784, 512, 512, 10], hidden: 'relu', output: 'softmax', cost: 'cross-entropy', optimizer: 'adam', lr: 1e-3, batchSize: 128 },
];

/** Weights (not biases) of a network: the flop count of an epoch is 6 × weights × samples. */
export function weightCount(sizes: readonly number[]): number {
  let w = 0;
  for (let l = 1; l < sizes.length; l++) w += sizes[l]! * sizes[l - 1]!;
  return w;
}

/** One timed training run of a configuration. */
export interface Timing {
  /** Seconds per full epoch of 60,000 samples (scaled up when only a fraction was trained). */
  seconds: number[];
  /** Samples actually trained per run. */
  samples: number;
  /** e.g. "1 run on 10% of an epoch, ×10"; empty for full epochs. */
  note: string;
  /** Test accuracy after the runs, when measured. */
  accuracy?: number;
}

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
