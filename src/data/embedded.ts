import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NablaError, lookup } from '../errors.js';
import { exists } from '../io/files.js';
import { readCsv } from './csv.js';
import type { Dataset } from './dataset.js';

/**
 * The package's `data/` folder. This module runs from `src/data/` (under tsx) or from
 * `dist/src/data/` (built), so look upwards for the folder holding the shipped files.
 */
export function dataFolder(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    dir = path.dirname(dir);
    const candidate = path.join(dir, 'data');
    if (exists(path.join(candidate, 'digits.csv.gz'))) return candidate;
  }
  throw new NablaError('FILE', `cannot find the package's data folder (with digits.csv.gz) above ${fileURLToPath(import.meta.url)}`);
}

const DIGIT_NAMES = Array.from({ length: 10 }, (_, i) => String(i));

/** The data sets shipped inside the package, by the names users type. */
const embedded: Record<string, () => Dataset> = {
  /** UCI optical digits (Alpaydin & Kaynak, 1998): 1,797 images of 8 × 8 pixels 0..16, 10 classes. */
  digits: () => {
    const ds = readCsv(path.join(dataFolder(), 'digits.csv.gz'), { header: false, classNames: DIGIT_NAMES, task: 'classification', name: 'digits' });
    return { ...ds, imageShape: [8, 8] as const };
  },
  /** Breast Cancer Wisconsin (Diagnostic): 569 samples of 30 features, malignant (0) or benign (1). */
  'breast-cancer': () => readCsv(path.join(dataFolder(), 'breast_cancer.csv'), { task: 'binary', name: 'breast-cancer' }),
  /** Fisher's iris: 150 samples of 4 features, 3 species. */
  iris: () => readCsv(path.join(dataFolder(), 'iris.csv'), { task: 'classification', name: 'iris' }),
};

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
