import type { Floats } from '../tensor/matrix.js';

export type Task = 'classification' | 'binary' | 'regression';

/**
 * A data set as training sees it: samples addressed by index, gathered a mini-batch at a time
 * into buffers the network owns. Inputs stay in their compact source form (uint8 pixels, say)
 * and are scaled as they are gathered, so a 60,000-image set costs 47 MB, not 188.
 *
 * Targets: for 'classification' one-hot rows of length `outputSize` (= number of classes);
 * for 'binary' one column of 0/1; for 'regression' `outputSize` numbers per sample. Inputs read
 * for prediction alone carry no targets: `outputSize` is 0 and `gatherTargets` writes nothing.
 */
export interface Dataset {
  readonly count: number;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly task: Task;
  /** Class index of each sample ('classification' and 'binary'). */
  readonly labels?: Int32Array;
  readonly classNames?: readonly string[];
  /** [height, width] when each sample is an image. */
  readonly imageShape?: readonly [number, number];
  /** Where it came from, for messages and reports. */
  readonly name?: string;
  /**
   * The input scaling `gatherInputs` applies to the stored values, when there is one (x/255 for
   * IDX pixels, or a scaling fitted by `fitScaling`); it maps the values as they are in the file.
   */
  readonly scaling?: Scaling;
  /** The same samples gathered without `scaling`: the values as stored in the file. */
  readonly unscaled?: Dataset;
  /**
   * The stored inputs when they are one uint8 matrix (IDX pixels): sample i is row `row(i)` of
   * `data` (inputSize columns), before `scaling`. Kernel backends gather and scale these natively.
   * A wrapper that changes which rows `gatherInputs` reads must remap or drop this.
   */
  readonly storedU8?: { readonly data: Uint8Array; row(i: number): number };
  /** Writes the (scaled) inputs of samples `indices` as consecutive rows of `out` (indices.length × inputSize). */
  gatherInputs(indices: ArrayLike<number>, out: Floats): void;
  /** Writes the targets of samples `indices` as consecutive rows of `out` (indices.length × outputSize). */
  gatherTargets(indices: ArrayLike<number>, out: Floats): void;
}

/** Per-feature affine input scaling x′ = (x − shift) · scale, fitted on the training split only. */
export interface Scaling {
  kind: 'none' | 'minmax' | 'standard';
  shift: Float32Array;
  scale: Float32Array;
}
