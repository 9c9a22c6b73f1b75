import type { Dataset, Scaling } from '../data/dataset.js';
import { loadDataset, type LoadOptions } from '../data/load.js';
import { applyScaling, fitScaling } from '../data/scaling.js';
import { splitDataset } from '../data/split.js';
import { NablaError } from '../errors.js';

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
  if (loaded.test) return { train: loaded.train, test: loaded.test, testSource: `${o.data} test split` };
  if (o.split === 0) return { train: loaded.train, test: null, testSource: 'none' };
  const { train, test } = splitDataset(loaded.train, o.split, o.seed, { shuffle: o.shuffle });
  if (test.count === 0) {
    throw new NablaError('ARGUMENT', `--split ${o.split} of ${loaded.train.count} samples in ${o.data} holds out no sample: give a larger fraction, or 0 to train on every row`);
  }
  return { train, test, testSource: `a held-out ${Math.round(o.split * 100)}% of ${o.data} (seed ${o.seed})` };
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
