import type { Dataset } from '../dataset.js';
import { embeddedDataset } from './embedded-set.js';
import { data } from './breast-cancer.gen.js';

/**
 * Breast Cancer Wisconsin (Diagnostic): 569 samples of 30 features, malignant (0) or benign (1),
 * embedded in the package (no file to read): `import { breastCancer } from 'nabla/data/breast-cancer'`.
 *
 * @example
 * const ds = breastCancer(); // ds.task 'binary'
 */
export function breastCancer(): Dataset {
  return embeddedDataset(data);
}
