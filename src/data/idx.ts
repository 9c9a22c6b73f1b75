import { NablaError } from '../errors.js';
import { decompressIfGzipped } from '../io/gzip.js';
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
  const { dims, headerSize, size } = decodeIdxHeader(bytes, file);
  const found = bytes.length - headerSize;
  if (found !== size) {
    const what = found < size ? 'truncated: ' : '';
    throw new NablaError('FORMAT', `${file}: ${what}dimensions ${dims.join(' × ')} need ${size} bytes of data after the header, found ${found}`);
  }
  return { dims, data: bytes.subarray(headerSize) };
}

/** The largest IDX data Nabla reads: 1 GiB of pixels (Fashion-MNIST's training images are 47 MB). */
export const MAX_IDX_BYTES = 2 ** 30;

/** The dimensions an IDX header declares, the header's length and the data's (bytes holds at least the header). */
export function decodeIdxHeader(bytes: Uint8Array, file: string): { dims: number[]; headerSize: number; size: number } {
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
  return { dims, headerSize, size };
}

/** The longest IDX header: the magic and 255 dimensions. */
export const MAX_IDX_HEADER = 4 + 4 * 255;

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

/** Names of the two IDX arrays in messages (their files, or what the user dropped on a page). */
export interface IdxNames {
  images: string;
  labels?: string;
}

/**
 * A data set from decoded IDX arrays: images (count × height × width) and, optionally, labels
 * (count labels 0..9); pixels stay uint8 in memory and are gathered as x/255. Without labels the
 * data set holds inputs for prediction alone.
 *
 * @example
 * const test = idxDataset(decodeIdx(imageBytes, 'images'), decodeIdx(labelBytes, 'labels'), { images: 'images', labels: 'labels' });
 */
export function idxDataset(images: IdxArray, labels: IdxArray | null, names: IdxNames, options: IdxOptions = {}): Dataset {
  const imagesFile = names.images;
  const labelsFile = names.labels ?? 'labels';
  if (images.dims.length !== 3) {
    throw new NablaError('FORMAT', `${imagesFile}: an images file has 3 dimensions (count × height × width), this one has ${images.dims.length}: ${images.dims.join(' × ')}`);
  }
  const [count, height, width] = images.dims as [number, number, number];
  const classNames = options.classNames ?? DIGIT_NAMES;
  let targets = null;
  if (labels !== null) {
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

/**
 * A data set from the bytes of an images IDX file and, optionally, its labels file, each gzipped
 * (1f 8b, unpacked through DecompressionStream) or raw: what a page does with files a user drops.
 *
 * @example
 * const ds = await decodeIdxPair({ bytes: imageBytes, name: 't10k-images-idx3-ubyte.gz' }, { bytes: labelBytes, name: 't10k-labels-idx1-ubyte.gz' });
 */
export async function decodeIdxPair(
  images: { bytes: Uint8Array; name: string },
  labels: { bytes: Uint8Array; name: string } | null,
  options: IdxOptions = {},
): Promise<Dataset> {
  const decoded = async (f: { bytes: Uint8Array; name: string }): Promise<IdxArray> => decodeIdx(await decompressIfGzipped(f.bytes, f.name), f.name);
  return idxDataset(await decoded(images), labels ? await decoded(labels) : null, { images: images.name, ...(labels ? { labels: labels.name } : {}) }, options);
}

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
