import { NablaError, lookup } from '../errors.js';
import type { Floats } from '../tensor/matrix.js';
import type { Dataset, Scaling } from './dataset.js';

export type ScalingKind = Scaling['kind'];

/**
 * The scaling that changes nothing: x′ = x.
 *
 * @example
 * const data = applyScaling(ds, model.scaling ?? identityScaling(ds.inputSize));
 */
export function identityScaling(inputSize: number): Scaling {
  return { kind: 'none', shift: new Float32Array(inputSize), scale: new Float32Array(inputSize).fill(1) };
}

/** Rows gathered at once while fitting: bounds the memory of a fit on 60,000 images to one chunk. */
const FIT_CHUNK = 1024;

/**
 * Calls `visit(row)` with every sample's stored (unscaled) inputs, a chunk of rows at a time.
 */
function forEachRow(ds: Dataset, visit: (row: Float64Array) => void): void {
  const source = ds.unscaled ?? ds;
  const n = source.inputSize;
  const buffer = new Float64Array(FIT_CHUNK * n);
  const indices = new Int32Array(FIT_CHUNK);
  for (let start = 0; start < source.count; start += FIT_CHUNK) {
    const rows = Math.min(FIT_CHUNK, source.count - start);
    for (let r = 0; r < rows; r++) indices[r] = start + r;
    source.gatherInputs(indices.subarray(0, rows), buffer);
    for (let r = 0; r < rows; r++) visit(buffer.subarray(r * n, (r + 1) * n));
  }
}

/** 1/spread, or 1 where the column is constant (spread 0) or 1/spread overflows float32: never NaN or ∞. */
function safeInverse(spread: number): number {
  const inv = Math.fround(1 / spread);
  return spread > 0 && Number.isFinite(inv) && inv !== 0 ? inv : 1;
}

const fitters: Record<ScalingKind, (ds: Dataset) => Scaling> = {
  /** No fitted scaling: the data's own (x/255 for IDX pixels), else the identity. */
  none: (ds) => ds.scaling ?? identityScaling(ds.inputSize),
  /** x′ = (x − min) / (max − min), per feature: the training split lands in [0, 1]. */
  minmax: (ds) => {
    const n = ds.inputSize;
    const lo = new Float64Array(n).fill(Infinity);
    const hi = new Float64Array(n).fill(-Infinity);
    forEachRow(ds, (row) => {
      for (let j = 0; j < n; j++) {
        const v = row[j]!;
        if (v < lo[j]!) lo[j] = v;
        if (v > hi[j]!) hi[j] = v;
      }
    });
    const scaling: Scaling = { kind: 'minmax', shift: new Float32Array(n), scale: new Float32Array(n) };
    for (let j = 0; j < n; j++) {
      scaling.shift[j] = ds.count > 0 ? lo[j]! : 0;
      scaling.scale[j] = ds.count > 0 ? safeInverse(hi[j]! - lo[j]!) : 1;
    }
    return scaling;
  },
  /** x′ = (x − mean) / std, per feature, with the population std (divide by m), as sklearn's StandardScaler. */
  standard: (ds) => {
    const n = ds.inputSize;
    const sum = new Float64Array(n);
    forEachRow(ds, (row) => {
      for (let j = 0; j < n; j++) sum[j]! += row[j]!;
    });
    const mean = sum.map((s) => (ds.count > 0 ? s / ds.count : 0));
    // Two passes, not Σx² − (Σx)²/m: the one-pass form cancels catastrophically when |mean| ≫ std.
    const squares = new Float64Array(n);
    forEachRow(ds, (row) => {
      for (let j = 0; j < n; j++) squares[j]! += (row[j]! - mean[j]!) ** 2;
    });
    const scaling: Scaling = { kind: 'standard', shift: Float32Array.from(mean), scale: new Float32Array(n) };
    for (let j = 0; j < n; j++) scaling.scale[j] = safeInverse(ds.count > 0 ? Math.sqrt(squares[j]! / ds.count) : 0);
    return scaling;
  },
};

/** The scaling kinds as users type them. */
export const SCALING_KINDS: readonly ScalingKind[] = Object.keys(fitters) as ScalingKind[];

/**
 * Fits an input scaling on `ds` (give it the training split only) from its stored values:
 * 'none' keeps the data's own scale (x/255 for IDX pixels), 'minmax' maps each feature's range
 * to [0, 1], 'standard' to mean 0 and standard deviation 1; a constant feature gets scale 1.
 *
 * @example
 * const scaling = fitScaling(train, 'standard'); const scaledTrain = applyScaling(train, scaling);
 */
export function fitScaling(ds: Dataset, kind: string): Scaling {
  return lookup(fitters, kind, 'scaling')(ds);
}

/**
 * The data set `ds` gathered through `scaling` (x′ = (x − shift) · scale on the stored values,
 * replacing any scaling `ds` had); nothing is copied: each mini-batch is scaled in place as it is
 * gathered.
 *
 * @example
 * const test = applyScaling(rawTest, model.scaling);
 */
export function applyScaling(ds: Dataset, scaling: Scaling): Dataset {
  const source = ds.unscaled ?? ds;
  const n = source.inputSize;
  if (scaling.shift.length !== n || scaling.scale.length !== n) {
    throw new NablaError('SHAPE', `${source.name ?? 'data'}: the input scaling has ${scaling.shift.length} features, the data has ${n}`);
  }
  const { shift, scale } = scaling;
  return {
    ...source,
    scaling,
    unscaled: source,
    gatherInputs(indices: ArrayLike<number>, out: Floats): void {
      source.gatherInputs(indices, out);
      for (let r = 0; r < indices.length; r++) {
        const o = r * n;
        for (let j = 0; j < n; j++) out[o + j] = (out[o + j]! - shift[j]!) * scale[j]!;
      }
    },
  };
}

/** A scaling as plain data, for JSON (the model file's `__metadata__`). */
export interface ScalingJson {
  kind: ScalingKind;
  shift: number[];
  scale: number[];
}

/**
 * The scaling as plain arrays; `scalingFromJson` reads it back exactly (float32 values survive
 * the trip through JSON numbers).
 *
 * @example
 * const text = JSON.stringify(scalingToJson(scaling));
 */
export function scalingToJson(scaling: Scaling): ScalingJson {
  return { kind: scaling.kind, shift: Array.from(scaling.shift), scale: Array.from(scaling.scale) };
}

/**
 * Reads a scaling from plain data, checking its kind, that shift and scale are arrays of finite
 * numbers of one length (`inputSize` when given); `where` names the source in errors.
 *
 * @example
 * const scaling = scalingFromJson(JSON.parse(text), 784, 'model.safetensors');
 */
export function scalingFromJson(value: unknown, inputSize: number | undefined, where: string): Scaling {
  const fail = (what: string): never => {
    throw new NablaError('FORMAT', `${where}: input scaling ${what}`);
  };
  if (typeof value !== 'object' || value === null) return fail('is not an object');
  const { kind, shift, scale } = value as Record<string, unknown>;
  if (typeof kind !== 'string' || !SCALING_KINDS.includes(kind as ScalingKind)) {
    return fail(`has kind ${JSON.stringify(kind)}, expected one of ${SCALING_KINDS.join(', ')}`);
  }
  const numbers = (a: unknown, field: string): Float32Array => {
    if (!Array.isArray(a) || !a.every((v) => typeof v === 'number' && Number.isFinite(v))) return fail(`field '${field}' is not an array of finite numbers`);
    if (inputSize !== undefined && a.length !== inputSize) return fail(`field '${field}' has ${a.length} values, expected ${inputSize} (one per input)`);
    return Float32Array.from(a as number[]);
  };
  const s = { kind: kind as ScalingKind, shift: numbers(shift, 'shift'), scale: numbers(scale, 'scale') };
  if (s.shift.length !== s.scale.length) fail(`has ${s.shift.length} shifts but ${s.scale.length} scales`);
  return s;
}
