import type { Dataset } from '../data/dataset.js';
import { DATASET_NAMES, loadDataset, type LoadedData, type LoadOptions } from '../data/load.js';
import { NablaError, excerpt } from '../errors.js';
import { TRAIN_DEFAULTS } from '../train/defaults.js';
import { splitForTraining } from '../train/plan.js';

export interface DataOptions {
  data: string;
  test?: string;
  /** The hold-out fraction; undefined when not given (0.2 where it applies). */
  split?: number;
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
export function loadSplits(o: DataOptions, classNames?: readonly string[]): Splits {
  const loaded = loadDataset(o.data, loadOptions(o, classNames));
  if (loaded.train.count === 0) throw new NablaError('DATA', `${o.data}: no samples`);
  if ((o.label !== undefined || o.task !== undefined) && (DATASET_NAMES.includes(o.data) || loaded.train.imageShape !== undefined)) {
    const flag = o.label !== undefined ? `--label ${excerpt(o.label, "'")}` : `--task ${o.task}`;
    throw new NablaError('ARGUMENT', `${flag} applies to CSV files; ${o.data} is ${DATASET_NAMES.includes(o.data) ? 'a named data set' : 'IDX data'} whose labels are fixed`);
  }
  if (o.split !== undefined && (o.test !== undefined || loaded.test)) {
    const other = o.test !== undefined ? `--test ${o.test} is the test set` : `${o.data} has its own test split`;
    throw new NablaError('ARGUMENT', `--split ${o.split} cannot take effect: ${other}`);
  }
  const splits = chooseTest(o, loaded, classNames ?? loaded.train.classNames);
  if (splits.test?.count === 0) throw new NablaError('DATA', `${splits.testSource}: no samples to test on`);
  return splits;
}

function chooseTest(o: DataOptions, loaded: LoadedData, classNames: readonly string[] | undefined): Splits {
  if (o.test !== undefined) {
    const test = loadDataset(o.test, loadOptions(o, classNames)).train;
    return { train: loaded.train, test, testSource: o.test };
  }
  const split = o.split ?? TRAIN_DEFAULTS.split;
  const { train, test } = splitForTraining(loaded.train, loaded.test, { ...o, split }, o.data);
  const testSource = loaded.test ? `${o.data} test split` : test ? `a held-out ${Math.round(split * 100)}% of ${o.data} (seed ${o.seed})` : 'none';
  return { train, test, testSource };
}
