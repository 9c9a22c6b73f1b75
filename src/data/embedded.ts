import { lookup } from '../errors.js';
import type { Dataset } from './dataset.js';
import { breastCancer } from './sets/breast-cancer.js';
import { digits } from './sets/digits.js';
import { iris } from './sets/iris.js';

/** The data sets shipped inside the package (embedded at build time, no file read), by the names users type. */
const embedded: Record<string, () => Dataset> = { digits, 'breast-cancer': breastCancer, iris };

/** The names of the shipped data sets. */
export const EMBEDDED_NAMES: readonly string[] = Object.keys(embedded);

/**
 * Loads a data set shipped inside the package: 'digits', 'breast-cancer' or 'iris'.
 *
 * @example
 * const digits = loadEmbedded('digits'); // 1,797 samples, 64 inputs, imageShape [8, 8], 10 classes
 */
export function loadEmbedded(name: string): Dataset {
  return lookup(embedded, name, 'embedded data set')();
}
