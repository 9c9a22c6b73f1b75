import type { Dataset } from '../dataset.js';
import { embeddedDataset } from './embedded-set.js';
import { data } from './digits.gen.js';

/**
 * UCI optical digits (Alpaydin & Kaynak, 1998): 1,797 images of 8 × 8 pixels 0..16, 10 classes,
 * embedded in the package (no file to read): `import { digits } from 'nabla/data/digits'`.
 *
 * @example
 * const ds = digits(); // ds.count 1797, ds.inputSize 64, ds.imageShape [8, 8]
 */
export function digits(): Dataset {
  return embeddedDataset(data, [8, 8]);
}
