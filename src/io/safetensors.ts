/**
 * The safetensors format (Hugging Face), in memory, free of Node imports so it runs in browsers:
 *
 *   8 bytes   N, the header length, an unsigned little-endian 64-bit integer
 *   N bytes   the header: UTF-8 JSON, starting with '{' and possibly padded with spaces,
 *             { "NAME": { "dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end] }, ...,
 *               "__metadata__": { "key": "value", ... } }     (metadata: strings to strings only)
 *   the rest  the byte buffer: each tensor's little-endian, row-major bytes at [begin, end)
 *             relative to the buffer's start; the buffer is entirely indexed, without holes.
 *
 * Every number read from a file is checked before it is used: the header length against the
 * file, each dtype and shape against its byte range, the ranges against the buffer and each other.
 */
import { NablaError, excerpt } from '../errors.js';

/** Bytes per element of each safetensors dtype. */
export const DTYPE_SIZES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** One tensor as stored: its dtype name, its shape and its raw little-endian bytes. */
export interface SafetensorsTensor {
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

/** The decoded content of a safetensors file. */
export interface SafetensorsContent {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** The largest header accepted, as in the reference implementation: a guard against absurd lengths. */
const MAX_HEADER = 100_000_000;

/** The arrays `encodeSafetensors` writes, and their dtypes. */
export type TensorData = Float32Array | Float64Array | Int32Array;

function dtypeOf(data: TensorData): 'F32' | 'F64' | 'I32' {
  return data instanceof Float64Array ? 'F64' : data instanceof Int32Array ? 'I32' : 'F32';
}

/**
 * Encodes tensors (F32, F64 or I32, from the array's type) and string metadata as safetensors
 * bytes, tensors in the order given; the header is padded with spaces to a multiple of 8 bytes so
 * the data stays aligned.
 *
 * @example
 * const bytes = encodeSafetensors([['0.weight', [2, 3], new Float32Array(6)]], { format: 'pt' });
 */
export function encodeSafetensors(
  tensors: ReadonlyArray<readonly [name: string, shape: readonly number[], data: TensorData]>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, shape, data] of tensors) {
    if (name === '__metadata__' || name in header) throw new NablaError('ARGUMENT', `safetensors: tensor name '${name}' is reserved or repeated`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new NablaError('SHAPE', `safetensors: tensor '${name}' of shape [${shape.join(', ')}] needs ${count} values, got ${data.length}`);
    const bytes = count * data.BYTES_PER_ELEMENT;
    header[name] = { dtype: dtypeOf(data), shape: [...shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, , data] of tensors) {
    if (data instanceof Float64Array) for (let i = 0; i < data.length; i++, at += 8) view.setFloat64(at, data[i]!, true);
    else if (data instanceof Int32Array) for (let i = 0; i < data.length; i++, at += 4) view.setInt32(at, data[i]!, true);
    else for (let i = 0; i < data.length; i++, at += 4) view.setFloat32(at, data[i]!, true);
  }
  return out;
}

/**
 * Decodes safetensors bytes, checking every length, offset, dtype and shape; `file` names the
 * source in the FORMAT errors.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(bytes, 'model.safetensors');
 */
export function decodeSafetensors(bytes: Uint8Array, file: string): SafetensorsContent {
  const fail = (what: string): never => {
    throw new NablaError('FORMAT', `${file}: ${what}`);
  };
  if (bytes.length < 8) fail(`truncated: ${bytes.length} bytes, but a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > bytes.length - 8) {
    fail(`header length ${headerLength} runs past the end of the file (${bytes.length - 8} bytes follow the length field)`);
  }
  if (headerLength > MAX_HEADER) fail(`header length ${headerLength} is over the limit of ${MAX_HEADER} bytes`);
  const headerBytes = bytes.subarray(8, 8 + headerLength);
  if (headerBytes[0] !== 0x7b) fail(`the header does not start with '{' (a JSON object)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (e) {
    fail(`the header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('the header is not a JSON object');
  const buffer = bytes.subarray(8 + headerLength);
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, SafetensorsTensor>();
  const ranges: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`__metadata__ is not an object of strings`);
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__ ${excerpt(k, "'")} is ${excerpt(JSON.stringify(v) ?? String(v), '')}, expected a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const where = `tensor ${excerpt(name, "'")}`;
    if (typeof entry !== 'object' || entry === null) return fail(`${where}: expected an object with dtype, shape and data_offsets`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_SIZES)) {
      fail(`${where}: unknown dtype ${excerpt(JSON.stringify(dtype) ?? String(dtype), '')}, expected one of ${Object.keys(DTYPE_SIZES).join(', ')}`);
    }
    const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
    if (!Array.isArray(shape) || !shape.every(isIndex)) return fail(`${where}: shape ${excerpt(JSON.stringify(shape) ?? String(shape), '')} is not a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
      return fail(`${where}: data_offsets ${excerpt(JSON.stringify(offsets) ?? String(offsets), '')} are not [begin, end] with 0 ≤ begin ≤ end`);
    }
    const [begin, end] = offsets as [number, number];
    const size = shape.reduce((a: number, b: number) => a * b, 1) * DTYPE_SIZES[dtype as string]!;
    if (size !== end - begin) fail(`${where}: shape [${shape.join(', ')}] of ${dtype} needs ${size} bytes, data_offsets [${begin}, ${end}] hold ${end - begin}`);
    if (end > buffer.length) fail(`truncated: ${where} needs bytes ${begin}..${end} of the data, which has ${buffer.length}`);
    ranges.push([begin, end, name]);
    tensors.set(name, { dtype: dtype as string, shape: shape as number[], bytes: buffer.subarray(begin, end) });
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let covered = 0;
  let previous = '';
  for (const [begin, end, name] of ranges) {
    if (begin < covered) fail(`tensors ${excerpt(previous, "'")} and ${excerpt(name, "'")} overlap (bytes ${begin}..${covered})`);
    if (begin > covered) fail(`bytes ${covered}..${begin} of the data belong to no tensor (the buffer must have no holes)`);
    covered = end;
    previous = name;
  }
  if (covered !== buffer.length) fail(`${buffer.length - covered} bytes after the last tensor belong to no tensor`);
  return { tensors, metadata };
}

/**
 * The values of an F32 tensor as a fresh Float32Array (read little-endian whatever the platform).
 *
 * @example
 * const w = float32Values(decodeSafetensors(bytes, file).tensors.get('0.weight')!);
 */
export function float32Values(tensor: SafetensorsTensor): Float32Array {
  const { bytes } = tensor;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/**
 * The values of an F32, F64 or I32 tensor as a fresh typed array of that type (read little-endian
 * whatever the platform); null for any other dtype.
 *
 * @example
 * const order = tensorValues(tensors.get('order')!); // Int32Array
 */
export function tensorValues(tensor: SafetensorsTensor): TensorData | null {
  if (tensor.dtype === 'F32') return float32Values(tensor);
  const { bytes } = tensor;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (tensor.dtype === 'F64') return Float64Array.from({ length: bytes.length / 8 }, (_, i) => view.getFloat64(8 * i, true));
  if (tensor.dtype === 'I32') return Int32Array.from({ length: bytes.length / 4 }, (_, i) => view.getInt32(4 * i, true));
  return null;
}
