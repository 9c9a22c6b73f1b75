import { NablaError, excerpt } from '../errors.js';
import type { Dataset } from './dataset.js';

/**
 * Throws NablaError('DATA') when `ds` cannot train a network sensibly: it has no sample, or its
 * labels (classification, binary) are all of one class, so there is nothing to tell apart.
 *
 * @example
 * checkTrainingSet(readCsv('one-class.csv')); // 'one-class.csv: all 5 samples are of class 'x' …'
 */
export function checkTrainingSet(ds: Dataset): void {
  const name = ds.name ?? 'the training data';
  if (ds.count === 0) throw new NablaError('DATA', `${name}: no samples to train on`);
  const labels = ds.task === 'regression' ? undefined : ds.labels;
  if (!labels || labels.some((l) => l !== labels[0])) return;
  const k = labels[0]!;
  const className = ds.classNames?.[k] !== undefined ? excerpt(ds.classNames[k]!, "'") : String(k);
  throw new NablaError(
    'DATA',
    `${name}: all ${ds.count.toLocaleString('en-US')} samples are of class ${className}: a classifier needs samples of at least two classes to learn from`,
  );
}
