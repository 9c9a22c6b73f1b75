import * as path from 'node:path';
import { NablaError } from '../errors.js';
import { exists, gunzippedPrefix, isDirectory, readStart } from '../io/files.js';
import type { CsvOptions } from './csv.js';
import { readCsv } from './csv-node.js';
import type { Dataset } from './dataset.js';
import { EMBEDDED_NAMES, loadEmbedded } from './embedded.js';
import { FASHION_MNIST_CLASSES } from './idx.js';
import { FASHION_MNIST_DIR, readIdxFolder, readIdxPair } from './idx-node.js';

/** A data set as loaded: its training samples and, when the source has one, its own test split. */
export interface LoadedData {
  train: Dataset;
  /** The source's test split (an IDX folder's t10k files), or null: then split `train` with `splitDataset`. */
  test: Dataset | null;
}

/** Options of `loadDataset`: those of the CSV reader, and the class names for IDX data. */
export type LoadOptions = CsvOptions;

/** Folders searched for MNIST, which no package installs: a user's own copy of the four IDX files. */
const MNIST_DIRS = ['/usr/share/datasets/mnist', 'mnist', 'data/mnist'];

/** Names `loadDataset` resolves besides paths. */
export const DATASET_NAMES: readonly string[] = [...EMBEDDED_NAMES, 'fashion-mnist', 'mnist'];

/**
 * Loads a data set by name ('digits', 'breast-cancer', 'iris', 'fashion-mnist', 'mnist') or by
 * path: a folder of MNIST-format IDX files, a .csv or .csv.gz file, or one images IDX file (with
 * its labels file beside it when there is one, else inputs to predict).
 *
 * @example
 * const { train, test } = loadDataset('fashion-mnist'); // 60,000 + 10,000 images of 28 × 28
 */
export function loadDataset(spec: string, options: LoadOptions = {}): LoadedData {
  if (EMBEDDED_NAMES.includes(spec)) return { train: loadEmbedded(spec), test: null };
  if (spec === 'fashion-mnist' && !exists(spec)) {
    if (!isDirectory(FASHION_MNIST_DIR)) {
      throw new NablaError(
        'FILE',
        `cannot read ${FASHION_MNIST_DIR}: no such folder (install Fashion-MNIST with 'apt-get install dataset-fashion-mnist', or give the folder holding its IDX files)`,
      );
    }
    return readIdxFolder(FASHION_MNIST_DIR, { classNames: options.classNames ?? FASHION_MNIST_CLASSES, name: 'fashion-mnist' });
  }
  if (spec === 'mnist' && !exists(spec)) {
    const dir = MNIST_DIRS.find(isDirectory);
    if (dir === undefined) {
      throw new NablaError('FILE', `cannot find MNIST in ${MNIST_DIRS.join(', ')}: give the folder holding train-images-idx3-ubyte[.gz] and the other three IDX files`);
    }
    return readIdxFolder(dir, { classNames: options.classNames, name: 'mnist' });
  }
  if (isDirectory(spec)) {
    const fashion = /fashion/i.test(path.basename(path.resolve(spec)));
    return readIdxFolder(spec, { classNames: options.classNames ?? (fashion ? FASHION_MNIST_CLASSES : undefined) });
  }
  if (!exists(spec)) {
    const looksLikeName = !/[./\\]/.test(spec);
    throw new NablaError(
      'FILE',
      looksLikeName
        ? `unknown data set '${spec}': expected one of ${DATASET_NAMES.join(', ')}, or the path of a folder of IDX files or of a .csv file`
        : `cannot read ${spec}: no such file`,
    );
  }
  if (isIdxFile(spec)) return { train: readIdxImages(spec, options), test: null };
  return { train: readCsv(spec, options), test: null };
}

/** True when `file` is named like an IDX file or its (gunzipped) bytes start with an IDX magic 00 00 08. */
function isIdxFile(file: string): boolean {
  if (/idx\d-ubyte(\.gz)?$/.test(file)) return true;
  if (/\.csv(\.gz)?$/i.test(file)) return false;
  const bytes = gunzippedPrefix(readStart(file, 1 << 16), 4, file);
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08;
}

/** One images IDX file, with the labels file beside it when there is one (…-images-idx3… → …-labels-idx1…). */
function readIdxImages(file: string, options: LoadOptions): Dataset {
  const partner = file.replace(/images([.-])idx3/, 'labels$1idx1');
  const labels = partner !== file && exists(partner) ? partner : null;
  const fashion = /fashion/i.test(path.resolve(file));
  return readIdxPair(file, labels, { classNames: options.classNames ?? (fashion ? FASHION_MNIST_CLASSES : undefined) });
}

/** The number of inputs `spec` has with its last column read as a label of any class, or null when it cannot be read so. */
function labelledWidth(spec: string, options: LoadOptions): number | null {
  try {
    return readCsv(spec, { ...options, classNames: undefined, classes: undefined }).inputSize;
  } catch {
    return null;
  }
}

/**
 * Reads inputs to predict for a model of `inputSize` inputs: a CSV file whose rows hold
 * `inputSize` values (or one more, a label, kept for scoring), an images IDX file, or a named
 * data set or IDX folder (its test split when it has one).
 *
 * @example
 * const inputs = loadInputs('new-flowers.csv', 4, { classNames: model.classNames });
 */
export function loadInputs(spec: string, inputSize: number, options: LoadOptions = {}): Dataset {
  const isCsv = /\.csv(\.gz)?$/i.test(spec) || (exists(spec) && !isDirectory(spec) && !isIdxFile(spec));
  let ds: Dataset;
  if (isCsv && options.label === undefined) {
    // First as labelled data (a label last, as the training file had it); if the columns do not
    // fit that way, as inputs only.
    let labelled: Dataset | null = null;
    let labelError: NablaError | null = null;
    try {
      labelled = readCsv(spec, options);
    } catch (e) {
      if (!(e instanceof NablaError)) throw e;
      labelError = e;
    }
    // Rows of inputs and a label whose only fault is the label (one not among the model's classes):
    // that fault is the one to name, not the label read as an input that "is not a number".
    if (labelError && labelledWidth(spec, options) === inputSize) throw labelError;
    ds = labelled && labelled.inputSize === inputSize ? labelled : readCsv(spec, { ...options, label: false });
  } else {
    const loaded = loadDataset(spec, options);
    ds = loaded.test ?? loaded.train;
  }
  if (ds.inputSize !== inputSize) {
    const extra = isCsv ? ` (or ${inputSize + 1} with a label in the last column)` : '';
    throw new NablaError('DATA', `${spec}: samples of ${ds.inputSize} values, but the model takes ${inputSize} inputs${extra}`);
  }
  return ds;
}
