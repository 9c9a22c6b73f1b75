import { NablaError } from '../errors.js';
import { Rng } from '../tensor/rng.js';
import type { Floats } from '../tensor/matrix.js';
import type { Dataset } from './dataset.js';
import { applyScaling } from './scaling.js';

/**
 * The samples `indices` of `ds`, in that order, as a data set of their own; nothing is copied
 * but the index list (and the labels), and a scaled data set stays scaled the same way.
 *
 * @example
 * const firstHundred = subsetDataset(ds, Array.from({ length: 100 }, (_, i) => i));
 */
export function subsetDataset(ds: Dataset, indices: ArrayLike<number>, name = ds.name): Dataset {
  const source = ds.unscaled ?? ds;
  const map = Int32Array.from(indices);
  for (const i of map) {
    if (!(i >= 0 && i < source.count)) throw new NablaError('ARGUMENT', `${ds.name ?? 'data'}: sample index ${i} is outside 0..${source.count - 1}`);
  }
  let scratch = new Int32Array(0);
  const translate = (wanted: ArrayLike<number>): Int32Array => {
    if (scratch.length < wanted.length) scratch = new Int32Array(wanted.length);
    const out = scratch.subarray(0, wanted.length);
    for (let r = 0; r < wanted.length; r++) out[r] = map[wanted[r]!]!;
    return out;
  };
  const subset: Dataset = {
    ...source,
    name,
    count: map.length,
    labels: source.labels ? map.map((i) => source.labels![i]!) : undefined,
    storedU8: source.storedU8 ? { data: source.storedU8.data, row: (i: number) => source.storedU8!.row(map[i]!) } : undefined,
    gatherInputs: (wanted: ArrayLike<number>, out: Floats) => source.gatherInputs(translate(wanted), out),
    gatherTargets: (wanted: ArrayLike<number>, out: Floats) => source.gatherTargets(translate(wanted), out),
  };
  return ds.scaling ? applyScaling(subset, ds.scaling) : subset;
}

/** Options of `splitDataset`. */
export interface SplitOptions {
  /** Pick the held-out samples at random with the seed (default true); false holds out the last rows, in file order. */
  shuffle?: boolean;
  /** Hold out the same fraction of every class (default true for labelled data). */
  stratify?: boolean;
}

/**
 * Splits `ds` into a training set and a held-out test set of `round(fraction · count)` samples,
 * chosen by the seeded RNG (stratified by class when there are labels) or, with shuffle false,
 * the last rows; both keep file order. Fraction 0 trains on every row, and the test set is empty.
 *
 * @example
 * const { train, test } = splitDataset(loadEmbedded('digits'), 0.2, 1); // 1,438 + 359 samples
 */
export function splitDataset(ds: Dataset, fraction: number, seed: number, options: SplitOptions = {}): { train: Dataset; test: Dataset } {
  if (!(fraction >= 0 && fraction < 1)) throw new NablaError('ARGUMENT', `split fraction ${fraction}: expected a number in [0, 1)`);
  const n = ds.count;
  const testCount = Math.round(fraction * n);
  const isTest = new Uint8Array(n);
  if (options.shuffle === false) {
    isTest.fill(1, n - testCount);
  } else if (testCount > 0) {
    const rng = new Rng(seed);
    const groups = ds.labels && options.stratify !== false ? groupByLabel(ds.labels) : [Int32Array.from({ length: n }, (_, i) => i)];
    const quotas = largestRemainder(
      groups.map((g) => g.length),
      testCount,
    );
    groups.forEach((g, k) => {
      rng.shuffle(g);
      for (let i = 0; i < quotas[k]!; i++) isTest[g[i]!] = 1;
    });
  }
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? testIdx : trainIdx).push(i);
  const base = ds.name ?? 'data';
  return {
    train: testCount === 0 ? ds : subsetDataset(ds, trainIdx, `${base} (train)`),
    test: subsetDataset(ds, testIdx, `${base} (test)`),
  };
}

/** The sample indices of each class, classes in label order (empty classes left out). */
function groupByLabel(labels: Int32Array): Int32Array[] {
  const groups = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const g = groups.get(l);
    if (g) g.push(i);
    else groups.set(l, [i]);
  });
  return [...groups.keys()].sort((a, b) => a - b).map((l) => Int32Array.from(groups.get(l)!));
}

/**
 * Shares `total` among groups in proportion to their sizes, whole numbers summing exactly to
 * `total` (Hamilton's largest-remainder method; ties go to the earlier group).
 */
function largestRemainder(sizes: number[], total: number): number[] {
  const all = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * total) / all);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of order) {
    if (left === 0) break;
    quotas[k]!++;
    left--;
  }
  return quotas;
}
