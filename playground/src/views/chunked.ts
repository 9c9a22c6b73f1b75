import type { Floats, Network } from './lib.js';
import { nextTask } from './dom.js';

/**
 * Forward passes over `count` rows, `chunk` rows at a time, yielding to the page between chunks so
 * that a large test set (10,000 MNIST images) never freezes it. `fill` writes rows start..start+m−1
 * of the inputs into x; `take` reads the m rows of Ŷ. Returns false when `current()` turned false
 * (a newer update superseded this one) before the end.
 */
export async function forwardInChunks(
  net: Network,
  count: number,
  fill: (start: number, m: number, x: Floats) => void,
  take: (start: number, m: number, yhat: Floats) => void,
  current: () => boolean,
  chunk = 256,
): Promise<boolean> {
  for (let start = 0; start < count; start += chunk) {
    if (!current()) return false;
    const m = Math.min(chunk, count - start);
    const { x } = net.batchBuffers(m);
    fill(start, m, x);
    net.forwardBatch(m, false);
    take(start, m, net.outputBuffer());
    if (start + chunk < count) await nextTask();
  }
  return current();
}
