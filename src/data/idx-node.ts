// The IDX readers of files (Node): the bytes-in, data-set-out core is idx.ts.
import * as path from 'node:path';
import { NablaError } from '../errors.js';
import { exists, formatBytes, gunzipIfGzipped, gunzippedPrefix, isDirectory, readBytes } from '../io/files.js';
import type { Dataset } from './dataset.js';
import { decodeIdx, decodeIdxHeader, idxDataset, MAX_IDX_BYTES, MAX_IDX_HEADER, type IdxArray, type IdxOptions } from './idx.js';

/**
 * Reads an IDX file, gzipped (detected by its 1f 8b magic) or raw. The header is read first, and
 * the data must be no larger than it declares (nor than MAX_IDX_BYTES): a file that inflates to
 * more is refused before memory grows.
 *
 * @example
 * const images = readIdx('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'); // dims [10000, 28, 28]
 */
export function readIdx(file: string): IdxArray {
  const cap = { bytes: MAX_IDX_HEADER + MAX_IDX_BYTES, why: `Nabla reads IDX data of up to ${formatBytes(MAX_IDX_BYTES)}` };
  const bytes = readBytes(file, cap);
  const { dims, headerSize, size } = decodeIdxHeader(gunzippedPrefix(bytes, MAX_IDX_HEADER, file), file);
  if (size > MAX_IDX_BYTES) throw new NablaError('DATA', `${file}: its IDX header declares ${dims.join(' × ')} = ${formatBytes(size)} of data; ${cap.why}`);
  const declared = { bytes: headerSize + size, why: `its IDX header declares ${dims.join(' × ')} (${formatBytes(headerSize + size)} with the header)` };
  return decodeIdx(gunzipIfGzipped(bytes, file, declared), file);
}

/**
 * A data set from an images IDX file (count × height × width) and, optionally, its labels IDX file
 * (count labels 0..9); pixels stay uint8 in memory and are gathered as x/255. Without labels the
 * data set holds inputs for prediction alone.
 *
 * @example
 * const test = readIdxPair('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');
 */
export function readIdxPair(imagesFile: string, labelsFile: string | null, options: IdxOptions = {}): Dataset {
  return idxDataset(readIdx(imagesFile), labelsFile === null ? null : readIdx(labelsFile), { images: imagesFile, ...(labelsFile === null ? {} : { labels: labelsFile }) }, options);
}

/** Where `apt-get install dataset-fashion-mnist` puts Fashion-MNIST on Debian. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

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
