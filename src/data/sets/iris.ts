import type { Dataset } from '../dataset.js';
import { embeddedDataset } from './embedded-set.js';
import { data } from './iris.gen.js';

/**
 * Fisher's iris: 150 samples of 4 features, 3 species, embedded in the package (no file to read):
 * `import { iris } from 'nabla/data/iris'`.
 *
 * @example
 * const ds = iris(); // ds.classNames ['setosa', 'versicolor', 'virginica']
 */
export function iris(): Dataset {
  return embeddedDataset(data);
}
