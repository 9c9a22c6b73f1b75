import type { Dataset } from '../../src/data/dataset.js';
import { loadEmbedded } from '../../src/data/embedded.js';
import { idxDataset } from '../../src/data/idx.js';

/**
 * The embedded 8 × 8 digits (0..16) as uint8 pixels, an IDX images file in memory: a data set kept
 * as bytes, gathered and scaled (x/255) by the backend, as Fashion-MNIST is.
 */
export function digitBytes(): Dataset {
  const digits = loadEmbedded('digits');
  const n = digits.count;
  const x = new Float32Array(n * 64);
  digits.gatherInputs(Int32Array.from({ length: n }, (_, i) => i), x);
  const images = { dims: [n, 8, 8], data: Uint8Array.from(x, (v) => Math.min(255, Math.round(v * 16))) };
  const labels = { dims: [n], data: Uint8Array.from(digits.labels!) };
  return idxDataset(images, labels, { images: 'digits-images', labels: 'digits-labels' });
}
