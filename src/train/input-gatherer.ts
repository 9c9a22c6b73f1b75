import type { Dataset } from '../data/dataset.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Floats } from '../tensor/matrix.js';

/**
 * The largest |x| a scaled byte can give, (x − shift[j]) · scale[j] for x in 0..255, with room for
 * float32 rounding; Infinity when a shift or scale is not finite.
 */
function u8InputBound(shift: Floats, scale: Floats): number {
  let bound = 0;
  for (let j = 0; j < shift.length; j++) bound = Math.max(bound, Math.max(Math.abs(shift[j]!), Math.abs(255 - shift[j]!)) * Math.abs(scale[j]!));
  return Number.isFinite(bound) ? bound * (1 + 2 ** -20) : Infinity;
}

/**
 * How a batch's inputs are gathered: natively by the backend from uint8 storage where it can
 * (scaled in SIMD, no float copy of the data set), else by the data set itself; and how the next
 * batch's rows are announced to a backend that copies them ahead (a no-op elsewhere); and a bound
 * on every input's |x| where the storage gives one (bytes: from the scaling), else Infinity.
 */
export function inputGatherer(
  data: Dataset,
  kernels: Kernels,
): { gather: (ids: Int32Array, out: Floats) => void; prefetch: (ids: Int32Array) => void; inputBound: number } {
  const u8 = data.storedU8;
  const scaling = data.scaling;
  if (!u8 || !scaling || !kernels.gatherScaledU8 || scaling.shift.length !== data.inputSize) {
    return { gather: (ids, out) => data.gatherInputs(ids, out), prefetch: () => {}, inputBound: Infinity };
  }
  /** Storage rows of `ids`, in `buffer` (replaced only when the batch size changes: no allocation per step). */
  const rowsOf = (ids: Int32Array, buffer: { rows: Int32Array }): Int32Array => {
    if (buffer.rows.length !== ids.length) buffer.rows = new Int32Array(ids.length);
    const r = buffer.rows;
    for (let i = 0; i < ids.length; i++) r[i] = u8.row(ids[i]!);
    return r;
  };
  const now = { rows: new Int32Array(0) };
  const next = { rows: new Int32Array(0) };
  return {
    inputBound: u8InputBound(scaling.shift, scaling.scale),
    gather: (ids, out) => kernels.gatherScaledU8!(u8.data, data.inputSize, rowsOf(ids, now), scaling.shift, scaling.scale, out, true),
    prefetch: kernels.prefetchRowsU8 ? (ids) => kernels.prefetchRowsU8!(u8.data, data.inputSize, rowsOf(ids, next)) : () => {},
  };
}
