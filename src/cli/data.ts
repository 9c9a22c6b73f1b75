import type { Dataset } from '../data/dataset.js';
import { loadDataset, type LoadOptions } from '../data/load.js';
import { splitForTraining } from '../train/plan.js';

export interface DataOptions {
  data: string;
  test?: string;
  split: number;
  seed: number;
  shuffle: boolean;
  label?: string;
  task?: string;
}

export interface Splits {
  train: Dataset;
  /** The test set: the source's own split, `--test`, or the seeded hold-out (null with --split 0). */
  test: Dataset | null;
  /** Where the test set came from, for messages. */
  testSource: string;
}

function loadOptions(o: DataOptions, classNames?: readonly string[]): LoadOptions {
  const label = o.label === undefined ? undefined : /^-?\d+$/.test(o.label) ? Number(o.label) : o.label;
  const task = o.task as LoadOptions['task'];
  return { ...(label !== undefined ? { label } : {}), ...(task ? { task } : {}), ...(classNames ? { classNames } : {}) };
}

/**
 * The training and test sets the flags describe: `--data` (a name or path), its own test split
 * when it has one, else `--test`, else a seeded hold-out of `--split` (stratified; the last rows in
 * file order with --no-shuffle).
 */
export function loadSplits(o: DataOptions): Splits {
  const loaded = loadDataset(o.data, loadOptions(o));
  if (o.test !== undefined) {
    const test = loadDataset(o.test, loadOptions(o, loaded.train.classNames)).train;
    return { train: loaded.train, test, testSource: o.test };
  }
  const { train, test } = splitForTraining(loaded.train, loaded.test, o, o.data);
  const testSource = loaded.test ? `${o.data} test split` : test ? `a held-out ${Math.round(o.split * 100)}% of ${o.data} (seed ${o.seed})` : 'none';
  return { train, test, testSource };
}
