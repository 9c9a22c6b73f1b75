/**
 * The training history: plain JSON-serialisable data returned by `fit`, written by
 * `--history run.json`, and rendered by the HTML report.
 */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean cost over the epoch's training batches (with dropout, as trained). */
  trainCost: number;
  /** Classification: fraction correct on the training data; regression: absent. */
  trainAccuracy?: number;
  /** Regression: mean squared error on the training data. */
  trainMse?: number;
  valCost?: number;
  valAccuracy?: number;
  valMse?: number;
  /** Correct count and size of the validation set (the notes' "Epoch 3: 352 / 360"). */
  valCorrect?: number;
  valCount?: number;
  /** Learning rate at the epoch's last step. */
  lr: number;
  /** Wall-clock seconds for the epoch (training only). */
  seconds: number;
  /** ‖∂C/∂W[ℓ]‖₂ for ℓ = 1..L, averaged over the epoch's batches. */
  gradNorms: number[];
  /** Per hidden layer: fraction of saturated units (sigmoid/tanh, |f′| < 0.01... see diagnostics) or dead units (ReLU family); null where not meaningful. */
  saturation: (number | null)[];
}

export interface BatchRecord {
  step: number;
  cost: number;
  lr: number;
}

export interface HistoryMeta {
  command?: string;
  dataset?: string;
  /** N0/N1/.../NL */
  sizes: number[];
  hidden: string[];
  output: string;
  cost: string;
  task: 'classification' | 'binary' | 'regression';
  classNames?: string[];
  optimizer: { name: string; [key: string]: number | boolean | string };
  schedule?: string;
  batchSize: number;
  /** The most epochs the run could take (all of them unless it stopped early). */
  epochs: number;
  /** The budget of updates of a run trained until converged (no epochs given). */
  maxSteps?: number;
  seed: number;
  backend: string;
  threads: number;
  /** Why the kernels fell back to this backend or thread count (`Kernels.reason`), when they did. */
  backendReason?: string;
  numBiases: number;
  numWeights: number;
  trainCount: number;
  valCount?: number;
  startedAt: string;
  /** Regularisers and controls, when used. */
  dropout?: number | number[];
  clipNorm?: number;
  clipValue?: number;
  earlyStoppingPatience?: number;
  reduceOnPlateauPatience?: number;
  /** Input scaling kind fitted on the training split. */
  scaling?: string;
  /** The model file training started from (--init). */
  initFrom?: string;
}

export interface FinalEvaluation {
  split: 'test' | 'validation';
  count: number;
  cost: number;
  accuracy?: number;
  mse?: number;
  /** confusion[true][predicted] counts (classification). */
  confusion?: number[][];
  /** Up to a few dozen misclassified samples, with pixels (0..1) when the input is an image. */
  misclassified?: { index: number; label: number; predicted: number; pixels?: number[] }[];
  /** [height, width] of image inputs. */
  imageShape?: [number, number];
  /** 1-D regression: the data points and the fitted curve on a grid. */
  curve?: { x: number[]; y: number[]; gridX: number[]; gridY: number[] };
}

export interface History {
  meta: HistoryMeta;
  epochs: EpochRecord[];
  batches: BatchRecord[];
  /** Why training ended: 'completed', 'early-stopping', 'non-finite' (with message) ... */
  stopReason: string;
  stopMessage?: string;
  bestEpoch?: number;
  totalSeconds: number;
  final?: FinalEvaluation;
}
