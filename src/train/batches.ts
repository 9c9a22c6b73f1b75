import { NablaError } from '../errors.js';
import type { Rng } from '../tensor/rng.js';

/**
 * The notes' "chunker": every sample exactly once per epoch, in batches of `batchSize`, the last
 * one smaller when the size does not divide the count. The order is reshuffled at the start of
 * every epoch from `rng`, or kept as given when `rng` is null.
 *
 * @example
 * const batches = new BatchOrder(32, 12, rng); // epochs of batches of 12, 12 and 8 indices
 * batches.newEpoch(); for (let b = 0; b < batches.count; b++) use(batches.batch(b));
 */
export class BatchOrder {
  readonly size: number;
  readonly count: number;
  private readonly order: Int32Array;

  constructor(samples: number, batchSize: number, private readonly rng: Rng | null) {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new NablaError('ARGUMENT', `batch size ${batchSize}: expected a positive integer`);
    }
    if (samples < 1) throw new NablaError('DATA', 'no training samples: the training set is empty');
    this.size = Math.min(batchSize, samples);
    this.count = Math.ceil(samples / this.size);
    this.order = Int32Array.from({ length: samples }, (_, i) => i);
  }

  /** Starts an epoch: reshuffles the order (unless the order is kept). */
  newEpoch(): void {
    if (this.rng) this.rng.shuffle(this.order);
  }

  /** A copy of the current order (for a checkpoint: each epoch reshuffles the previous order). */
  getOrder(): Int32Array {
    return this.order.slice();
  }

  /** Puts back an order from `getOrder`; it must be a permutation of the same samples. */
  setOrder(order: ArrayLike<number>): void {
    const seen = new Uint8Array(this.order.length);
    const valid = order.length === this.order.length && Array.prototype.every.call(order, (i: number) => Number.isInteger(i) && i >= 0 && i < seen.length && !seen[i] && (seen[i] = 1));
    if (!valid) throw new NablaError('FORMAT', `batch order: expected a permutation of ${this.order.length} sample indices`);
    this.order.set(order);
  }

  /** The indices of batch b (0-based) of the current epoch: a view, valid until the next epoch. */
  batch(b: number): Int32Array {
    const start = b * this.size;
    return this.order.subarray(start, Math.min(start + this.size, this.order.length));
  }
}
