import * as path from 'node:path';
import { NablaError } from '../errors.js';
import { exists, gunzipIfGzipped, isDirectory, readBytes } from '../io/files.js';
import type { Dataset, Scaling } from './dataset.js';
import { applyScaling } from './scaling.js';
import { checkLabels, tableDataset } from './table.js';

/** An IDX array: its dimensions (outermost first) and its unsigned bytes, row-major. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/**
 * Decodes IDX bytes (the MNIST format: magic 00 00 08 D, then D big-endian uint32 dimensions,
 * then the unsigned bytes), checking the magic, the type and the exact length; `file` names the
 * source in errors.
 *
 * @example
 * const { dims, data } = decodeIdx(bytes, 'train-labels-idx1-ubyte'); // dims [60000]
 */
export function decodeIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new NablaError('FORMAT', `${file}: not an IDX file: ${bytes.length} bytes, shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new NablaError('FORMAT', `${file}: not an IDX file: magic number ${magic}, expected 00 00 08 followed by the number of dimensions`);
  }
  if (bytes[2] !== 0x08) {
    throw new NablaError('FORMAT', `${file}: IDX data type 0x${bytes[2]!.toString(16).padStart(2, '0')} is not supported, expected 0x08 (unsigned bytes)`);
  }
  const rank = bytes[3]!;
  if (rank === 0) throw new NablaError('FORMAT', `${file}: IDX header gives 0 dimensions, expected at least 1`);
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    throw new NablaError('FORMAT', `${file}: truncated: the IDX header of ${rank} dimensions needs ${headerSize} bytes, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    dims.push(view.getUint32(4 + 4 * d, false));
    size *= dims[d]!;
  }
  const found = bytes.length - headerSize;
  if (found !== size) {
    const what = found < size ? 'truncated: ' : '';
    throw new NablaError('FORMAT', `${file}: ${what}dimensions ${dims.join(' × ')} need ${size} bytes of data after the header, found ${found}`);
  }
  return { dims, data: bytes.subarray(headerSize) };
}

/**
 * Reads an IDX file, gzipped (detected by its 1f 8b magic) or raw.
 *
 * @example
 * const images = readIdx('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'); // dims [10000, 28, 28]
 */
export function readIdx(file: string): IdxArray {
  return decodeIdx(gunzipIfGzipped(readBytes(file), file), file);
}

/**
 * The x/255 scaling that maps uint8 pixels to [0, 1]: min–max over the pixel range, not a fitted one.
 *
 * @example
 * const images = applyScaling(rawImages, pixelScaling(784));
 */
export function pixelScaling(inputSize: number): Scaling {
  return { kind: 'minmax', shift: new Float32Array(inputSize), scale: new Float32Array(inputSize).fill(1 / 255) };
}

/** Options of the IDX readers. */
export interface IdxOptions {
  /** Names of the classes 0..9 (default '0'..'9'). */
  classNames?: readonly string[];
  /** Name for messages and reports (default: the images file). */
  name?: string;
}

const DIGIT_NAMES = Array.from({ length: 10 }, (_, i) => String(i));

/**
 * A data set from an images IDX file (count × height × width) and, optionally, its labels IDX file
 * (count labels 0..9); pixels stay uint8 in memory and are gathered as x/255. Without labels the
 * data set holds inputs for prediction alone.
 *
 * @example
 * const test = readIdxPair('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');
 */
export function readIdxPair(imagesFile: string, labelsFile: string | null, options: IdxOptions = {}): Dataset {
  return idxImagesDataset({ file: imagesFile, idx: readIdx(imagesFile) }, labelsFile === null ? null : { file: labelsFile, idx: readIdx(labelsFile) }, options);
}

/**
 * The data set of decoded IDX images (count × height × width) and, optionally, their labels, as
 * `readIdxPair` makes it from files: pixels stay uint8 and are gathered as x/255. `file` names each
 * part in errors.
 *
 * @example
 * const ds = idxImagesDataset({ file: 'images', idx: decodeIdx(imageBytes, 'images') }, { file: 'labels', idx: decodeIdx(labelBytes, 'labels') });
 */
export function idxImagesDataset(imagesPart: { file: string; idx: IdxArray }, labelsPart: { file: string; idx: IdxArray } | null, options: IdxOptions = {}): Dataset {
  const { file: imagesFile, idx: images } = imagesPart;
  if (images.dims.length !== 3) {
    throw new NablaError('FORMAT', `${imagesFile}: an images file has 3 dimensions (count × height × width), this one has ${images.dims.length}: ${images.dims.join(' × ')}`);
  }
  const [count, height, width] = images.dims as [number, number, number];
  const classNames = options.classNames ?? DIGIT_NAMES;
  let targets = null;
  if (labelsPart !== null) {
    const { file: labelsFile, idx: labels } = labelsPart;
    if (labels.dims.length !== 1) {
      throw new NablaError('FORMAT', `${labelsFile}: a labels file has 1 dimension, this one has ${labels.dims.length}: ${labels.dims.join(' × ')}`);
    }
    if (labels.dims[0] !== count) {
      throw new NablaError('DATA', `${imagesFile} holds ${count} images but ${labelsFile} holds ${labels.dims[0]} labels`);
    }
    checkLabels(labels.data, classNames.length, labelsFile, 'item');
    targets = { labels: Int32Array.from(labels.data), task: 'classification' as const, classes: classNames.length };
  }
  const raw = tableDataset({
    name: options.name ?? imagesFile,
    inputs: images.data,
    inputSize: height * width,
    targets,
    classNames,
    imageShape: [height, width],
  });
  return applyScaling(raw, pixelScaling(height * width));
}

/** Where `apt-get install dataset-fashion-mnist` puts Fashion-MNIST on Debian. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The ten Fashion-MNIST classes (Xiao, Rasul & Vollgraf, 2017), in label order. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/**
 * The file of `stem` ('train-images-idx3-ubyte' ...) in `dir`: raw or .gz, with '-idx' or '.idx'
 * (both spellings circulate); a FILE error naming what was looked for when there is none.
 */
function findIdxFile(dir: string, stem: string): string {
  const dotted = stem.replace('-idx', '.idx');
  for (const name of [stem, `${stem}.gz`, dotted, `${dotted}.gz`]) {
    const p = path.join(dir, name);
    if (exists(p)) return p;
  }
  throw new NablaError('FILE', `cannot read ${path.join(dir, stem)}[.gz]: no such file (a folder of IDX data holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, gzipped or not)`);
}

/**
 * Reads a folder of the four MNIST-format files (`train-images-idx3-ubyte[.gz]`,
 * `train-labels-idx1-ubyte[.gz]`, `t10k-…`) as a training set and its test set.
 *
 * @example
 * const { train, test } = readIdxFolder('/usr/share/datasets/fashion-mnist', { classNames: FASHION_MNIST_CLASSES });
 */
export function readIdxFolder(dir: string, options: IdxOptions = {}): { train: Dataset; test: Dataset } {
  if (!isDirectory(dir)) {
    throw new NablaError('FILE', exists(dir) ? `${dir}: expected a folder of IDX files, found a file` : `cannot read ${dir}: no such folder`);
  }
  const base = options.name ?? dir;
  const read = (split: 'train' | 't10k'): Dataset =>
    readIdxPair(findIdxFile(dir, `${split}-images-idx3-ubyte`), findIdxFile(dir, `${split}-labels-idx1-ubyte`), {
      ...options,
      name: `${base} (${split === 'train' ? 'train' : 'test'})`,
    });
  return { train: read('train'), test: read('t10k') };
}
