import type { Dataset, Scaling } from '../data/dataset.js';
import { applyScaling } from '../data/scaling.js';
import { tableDataset, type TableSpec } from '../data/table.js';

/** A data set as plain data (typed arrays and strings) that `postMessage` can carry to a worker. */
export interface DatasetTransfer {
  spec: TableSpec;
  /** The scaling the data set carries from its reader (x/255 for IDX pixels), if any. */
  scaling?: Scaling;
}

/**
 * The stored values of `ds` as plain data: uint8 pixels stay uint8 (so a worker gathers them as
 * the reader's data set does), other inputs are gathered once as float32 rows.
 *
 * @example
 * worker.postMessage({ train: datasetToTransfer(digits) });
 */
export function datasetToTransfer(ds: Dataset): DatasetTransfer {
  const source = ds.unscaled ?? ds;
  const n = source.count;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const u8 = source.storedU8;
  let inputs: Uint8Array | Float32Array;
  if (u8 && all.every((i) => u8.row(i) === i)) {
    inputs = u8.data.slice(0, n * source.inputSize);
  } else {
    inputs = new Float32Array(n * source.inputSize);
    source.gatherInputs(all, inputs);
  }
  let targets: TableSpec['targets'];
  if (source.outputSize === 0) {
    targets = null;
  } else if (source.labels && source.task !== 'regression') {
    targets = { labels: source.labels.slice(), task: source.task, classes: source.task === 'binary' ? 2 : source.outputSize };
  } else {
    const values = new Float32Array(n * source.outputSize);
    source.gatherTargets(all, values);
    targets = { values, size: source.outputSize };
  }
  const spec: TableSpec = {
    name: source.name ?? 'data',
    inputs,
    inputSize: source.inputSize,
    targets,
    ...(source.classNames ? { classNames: [...source.classNames] } : {}),
    ...(source.imageShape ? { imageShape: [source.imageShape[0], source.imageShape[1]] as const } : {}),
  };
  return { spec, ...(ds.scaling ? { scaling: ds.scaling } : {}) };
}

/** The data set a `DatasetTransfer` describes, gathering exactly the values the original did. */
export function datasetFromTransfer(t: DatasetTransfer): Dataset {
  const ds = tableDataset(t.spec);
  return t.scaling ? applyScaling(ds, t.scaling) : ds;
}
