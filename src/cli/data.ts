import type { Dataset, Scaling } from '../data/dataset.js';
import { DATASET_NAMES, loadDataset, type LoadedData, type LoadOptions } from '../data/load.js';
import { applyScaling, fitScaling } from '../data/scaling.js';
import { splitDataset } from '../data/split.js';
import { NablaError, excerpt } from '../errors.js';

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

/** The hold-out fraction when --split is not given. */
const DEFAULT_SPLIT = 0.2;

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
  if (loaded.test) return { train: loaded.train, test: loaded.test, testSource: `${o.data} test split` };
  const split = o.split ?? DEFAULT_SPLIT;
  if (split === 0) return { train: loaded.train, test: null, testSource: 'none' };
  const { train, test } = splitDataset(loaded.train, split, o.seed, { shuffle: o.shuffle });
  if (test.count === 0) {
    throw new NablaError('ARGUMENT', `--split ${split} of ${loaded.train.count} samples in ${o.data} holds out no sample: give a larger fraction, or 0 to train on every row`);
  }
  return { train, test, testSource: `a held-out ${Math.round(split * 100)}% of ${o.data} (seed ${o.seed})` };
}

/**
 * The scaling to train with: `auto` keeps image pixels as x/255 (IDX) and standardises other
 * data; the kind is fitted on the training split only.
 */
export function chooseScaling(train: Dataset, kind: string): Scaling {
  const resolved = kind === 'auto' ? (train.scaling && train.imageShape && train.inputSize > 100 ? 'none' : 'standard') : kind;
  return fitScaling(train, resolved);
}

/** Applies a scaling to a data set whose input size must match. */
export function scaled(ds: Dataset, scaling: Scaling, what: string): Dataset {
  if (scaling.shift.length !== ds.inputSize) {
    const name = ds.name ? ` ${ds.name}` : '';
    throw new NablaError('SHAPE', `${what}${name} has ${ds.inputSize} inputs per sample, the model expects ${scaling.shift.length}`);
  }
  return applyScaling(ds, scaling);
}
