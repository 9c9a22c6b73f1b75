import type { Dataset } from '../data/dataset.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Network } from '../nn/network.js';
import { squaredNorm } from '../optim/transform.js';
import type { Optimizer, OptimizerState, StepMeasure } from '../optim/optimizer.js';
import type { Floats } from '../tensor/matrix.js';
import { inputGatherer } from './input-gatherer.js';

/**
 * One step of mini-batch gradient descent, the body of fit's loop: gather the batch, forward,
 * backward (the four equations), check that the cost and every gradient are finite, then update
 * (clipping, weight decay, the optimizer's rule). fit's loop keeps the bookkeeping around it:
 * the batch order, the epoch's totals, callbacks, checkpoints and what to do when a step fails.
 */
export class TrainingStep {
  /** Per layer, ‖∂C/∂W[ℓ]‖₂² of the last step (for the epoch's gradient norms). */
  readonly layerSquares: Float64Array;
  /** Whether the last step's cost and gradients were all finite, and it updated the weights. */
  updated = true;
  private readonly grads: Floats[];
  private readonly gather: (ids: Int32Array, out: Floats) => void;
  private readonly prefetch: (ids: Int32Array) => void;
  private readonly inputBound: number;
  /** Whether the backend measures ‖∂W‖² in the pass that writes ∂W (then backwardBatch fills layerSquares). */
  private readonly inKernel: boolean;
  /**
   * Whether a layer whose gradients are certainly finite (Network.gradientBounded) has ‖∂W‖²
   * measured by the update, which reads ∂W anyway, instead of by a pass of its own before it: the
   * same bits, one pass over ∂W fewer (plain SGD on the wasm backend: C2's epoch 3–4% shorter).
   */
  private readonly inUpdate: boolean;
  private readonly measure: StepMeasure | undefined;

  constructor(
    private readonly net: Network,
    private readonly data: Dataset,
    private readonly optimizer: Optimizer,
    private readonly params: readonly Floats[],
  ) {
    this.grads = net.grads();
    const { gather, prefetch, inputBound } = inputGatherer(data, net.kernels);
    this.gather = gather;
    this.prefetch = prefetch;
    this.inputBound = inputBound;
    this.layerSquares = new Float64Array(net.layers.length);
    this.inKernel = net.kernels.denseBackwardParamsMeasured !== undefined;
    this.inUpdate = this.inKernel && net.kernels.maxAbs !== undefined && optimizer.measuresInStep?.(net.kernels) === true;
    this.measure = this.inUpdate ? { squares: new Float64Array(params.length), rows: net.layers.flatMap((l) => [l.outputs, 1]) } : undefined;
  }

  /**
   * Trains on the rows `ids` (`next`: the following batch's, copied ahead while this step waits for
   * the backend's workers) and returns the batch's cost. When the cost or a gradient is NaN or
   * infinite it updates nothing, and `updated` is false.
   */
  run(ids: Int32Array, next: Int32Array | null, state: OptimizerState, lrScale: number): number {
    const { net, layerSquares, measure } = this;
    const { x, t } = net.batchBuffers(ids.length);
    this.gather(ids, x);
    if (next) this.prefetch(next);
    this.data.gatherTargets(ids, t);
    net.forwardBatch(ids.length, true);
    const cost = net.backwardBatch(this.inKernel ? layerSquares : undefined, this.inUpdate, this.inputBound);
    this.updated = Number.isFinite(cost) && measureGradients(this.grads, net.kernels, layerSquares, this.inKernel);
    if (!this.updated) return cost;
    // Update (clipping, weight decay, then the optimizer's rule), measuring the deferred ‖∂W‖².
    if (measure) for (let l = 0; l < layerSquares.length; l++) measure.squares[2 * l] = layerSquares[l]!;
    this.optimizer.step(this.params, this.grads, state, lrScale, net.kernels, measure);
    if (measure) for (let l = 0; l < layerSquares.length; l++) layerSquares[l] = measure.squares[2 * l]!;
    return cost;
  }
}

/**
 * Per layer, ‖∂C/∂W[ℓ]‖₂² into `layerSquares` (unless the backward pass already put them there:
 * `measured`; −1 there is a layer it proved finite, left for the update to measure); false when
 * any weight or bias gradient is NaN or infinite.
 */
function measureGradients(grads: readonly Floats[], kernels: Kernels, layerSquares: Float64Array, measured: boolean): boolean {
  let sum = 0;
  for (let l = 0; l < layerSquares.length; l++) {
    if (!measured) layerSquares[l] = squaredNorm(grads[2 * l]!, kernels);
    const w = layerSquares[l]!;
    sum += (w === -1 ? 0 : w) + squaredNorm(grads[2 * l + 1]!, kernels);
  }
  return Number.isFinite(sum);
}
