// The CSV reader of files (Node): the text-in, data-set-out core is csv.ts.
import { formatBytes, gunzipIfGzipped, readBytes } from '../io/files.js';
import { MAX_CSV_BYTES, parseCsv, type CsvOptions } from './csv.js';
import type { Dataset } from './dataset.js';

/**
 * Reads a CSV file (gzipped or not) of numeric features and a label column as a data set.
 * The first line may be a header of column names, or scikit-learn's `569,30,malignant,benign`
 * (row count, feature count, class names); labels may be integers, strings (mapped to class
 * indices in sorted order, names kept) or regression targets.
 *
 * @example
 * const iris = readCsv('data/iris.csv'); // 150 samples, 4 inputs, 3 classes 'setosa', 'versicolor', 'virginica'
 */
export function readCsv(file: string, options: CsvOptions = {}): Dataset {
  const limit = { bytes: MAX_CSV_BYTES, why: `Nabla reads CSV text of up to ${formatBytes(MAX_CSV_BYTES)} (store larger data as IDX files)` };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(gunzipIfGzipped(readBytes(file, limit), file, limit));
  return parseCsv(text, file, options);
}
