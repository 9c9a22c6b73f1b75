import * as fs from 'node:fs';
import * as path from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { kMaxLength } from 'node:buffer';
import { NablaError } from '../errors.js';
import { isGzipped } from './gzip.js';

/** A cap on the bytes a reader takes in, and why it is there, for the message that refuses more. */
export interface SizeLimit {
  bytes: number;
  /** Follows "FILE: inflates to more than N MiB; …", e.g. 'Nabla reads CSV text of up to 256 MiB'. */
  why: string;
}

/**
 * A byte count in words: '3.0 GiB', '47 MiB', '812 bytes'.
 *
 * @example
 * formatBytes(3 * 2 ** 30); // '3.0 GiB'
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

function tooLarge(file: string, size: string, limit: SizeLimit): NablaError {
  return new NablaError('DATA', `${file}: ${size}; ${limit.why}`);
}

/**
 * Reads a whole file as bytes, turning the system's errors into one-line NablaErrors that name
 * the file ("cannot read FILE: no such file"); a file larger than `limit` is refused before it is read.
 *
 * @example
 * const bytes = readBytes('data/iris.csv');
 */
export function readBytes(file: string, limit?: SizeLimit): Uint8Array {
  try {
    if (limit) {
      const stat = fs.statSync(file);
      if (stat.size > limit.bytes) throw tooLarge(file, formatBytes(stat.size), limit);
      // A pipe or device (/dev/stdin, /dev/zero) has no size to check: read it up to the limit.
      if (!stat.isFile() && !stat.isDirectory()) return readUpTo(file, limit);
    }
    const buffer = fs.readFileSync(file);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (e) {
    throw fileError('read', file, e);
  }
}

/** The bytes of a stream-like file, refused as soon as they pass `limit`. */
function readUpTo(file: string, limit: SizeLimit): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(1 << 20);
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit.bytes) throw tooLarge(file, `more than ${formatBytes(limit.bytes)}`, limit);
      chunks.push(chunk.subarray(0, n));
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The first `n` bytes of `file` (fewer when it is shorter), without reading the rest; none for a
 * pipe or device, whose bytes cannot be peeked at without taking them from the reader after.
 *
 * @example
 * const magic = readStart('train-images-idx3-ubyte', 4); // 00 00 08 03
 */
export function readStart(file: string, n: number): Uint8Array {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    if (!fs.fstatSync(fd).isFile()) return new Uint8Array(0);
    const out = new Uint8Array(n);
    return out.subarray(0, fs.readSync(fd, out, 0, n, 0));
  } catch (e) {
    throw fileError('read', file, e);
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}


/**
 * `bytes` gunzipped when they start with 1f 8b, else unchanged; a corrupt stream is a FORMAT error
 * naming `file`. With a `limit`, a stream that inflates to more is refused (DATA) as soon as the
 * gzip trailer or the inflated bytes show it, so memory stays within the limit, whatever it claims.
 *
 * @example
 * const raw = gunzipIfGzipped(bytes, 'train-images-idx3-ubyte.gz');
 */
export function gunzipIfGzipped(bytes: Uint8Array, file: string, limit?: SizeLimit): Uint8Array {
  if (!isGzipped(bytes)) return bytes;
  if (limit && bytes.length >= 18) {
    // ISIZE, the last member's length mod 2^32, is a lower bound of the whole: refuse before inflating.
    const isize = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true);
    if (isize > limit.bytes) throw tooLarge(file, `inflates to ${formatBytes(isize)} (its gzip trailer says)`, limit);
  }
  try {
    const out = gunzipSync(bytes, limit ? { maxOutputLength: Math.max(1, Math.min(limit.bytes, kMaxLength)) } : {});
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    if (limit && (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(file, `inflates to more than ${formatBytes(limit.bytes)} (${formatBytes(bytes.length)} gzipped)`, limit);
    }
    const why = e instanceof Error ? e.message : String(e);
    throw new NablaError('FORMAT', `${file}: corrupt gzip stream (${why})`);
  }
}

/**
 * At least the first `n` bytes of what `bytes` hold, gunzipped when they are gzip (fewer when the
 * whole holds fewer), inflating only a small part of the stream: a header read without inflating
 * a whole file; a corrupt stream is a FORMAT error naming `file`.
 *
 * @example
 * const head = gunzippedPrefix(bytes, 16, 'train-images-idx3-ubyte.gz'); // the IDX magic and the first dimensions
 */
export function gunzippedPrefix(bytes: Uint8Array, n: number, file: string): Uint8Array {
  if (!isGzipped(bytes)) return bytes.subarray(0, n);
  // Deflate expands at most ~1032:1, so each try inflates a bounded amount; the whole stream is
  // inflated (and its checksum checked) only when its start held fewer than n bytes.
  for (let take = 1024; take < bytes.length; take *= 4) {
    let out: Buffer;
    try {
      out = gunzipSync(bytes.subarray(0, take), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch {
      break; // the full read below names the fault
    }
    if (out.length >= n) return new Uint8Array(out.buffer, out.byteOffset, n);
  }
  return gunzipIfGzipped(bytes, file).subarray(0, n);
}

/**
 * True when `p` names an existing folder.
 *
 * @example
 * isDirectory('/usr/share/datasets/fashion-mnist'); // true once dataset-fashion-mnist is installed
 */
export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * True when `p` names an existing file or folder.
 *
 * @example
 * exists('data/iris.csv'); // true in the package folder
 */
export function exists(p: string): boolean {
  return fs.existsSync(p);
}

/** The file system calls `writeFileAtomic` makes; tests pass their own to simulate a crash mid-write. */
export interface AtomicWriteIo {
  openSync(file: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
}

/** The real file system calls of `writeFileAtomic` (tests replace one of them to simulate a crash). */
export const nodeAtomicIo: AtomicWriteIo = {
  openSync: (f, flags, mode) => fs.openSync(f, flags, mode),
  writeSync: (fd, data, offset, length) => fs.writeSync(fd, data, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (f) => fs.unlinkSync(f),
};

/** Bytes written per write call: a crash can interrupt a large file between two of them. */
const WRITE_CHUNK = 1 << 20;

/**
 * Writes `bytes` to `file` so that a reader sees the old file or the new one, never a part: the
 * bytes go to a temporary file in the same folder, are flushed to disk (fsync), then renamed over
 * `file` (rename is atomic within one file system).
 *
 * @example
 * writeFileAtomic('model.safetensors', encodeModel(record));
 */
export function writeFileAtomic(file: string, bytes: Uint8Array, io: AtomicWriteIo = nodeAtomicIo): void {
  const dir = path.dirname(path.resolve(file));
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | null = null;
  try {
    fd = io.openSync(temp, 'wx', 0o644);
    for (let at = 0; at < bytes.length; ) at += io.writeSync(fd, bytes, at, Math.min(WRITE_CHUNK, bytes.length - at));
    io.fsyncSync(fd);
    io.closeSync(fd);
    fd = null;
    io.renameSync(temp, file);
  } catch (e) {
    if (fd !== null) {
      try {
        io.closeSync(fd);
      } catch {
        // already failing: the first error is the one to report
      }
    }
    try {
      io.unlinkSync(temp);
    } catch {
      // the temporary file may never have been created
    }
    throw fileError('write', file, e);
  }
  syncFolder(dir);
}

/** Flushes the folder entry of a rename to disk where the platform allows it (not on Windows). */
function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort: some platforms cannot open or fsync a folder
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * A NablaError('FILE') naming `file` and the reason in words, from a Node file system error.
 *
 * @example
 * fileError('read', 'x.csv', enoent).message; // 'cannot read x.csv: no such file'
 */
export function fileError(verb: 'read' | 'write', file: string, e: unknown): NablaError {
  if (e instanceof NablaError) return e;
  return new NablaError('FILE', `cannot ${verb} ${file}: ${fileErrorReason(verb, e)}`);
}

/**
 * The reason of a Node file system error in words ('no such file', 'permission denied' ...).
 *
 * @example
 * fileErrorReason('write', eacces); // 'permission denied'
 */
export function fileErrorReason(verb: 'read' | 'write', e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const reasons: Record<string, string> = {
    ENOENT: verb === 'read' ? 'no such file' : 'no such folder',
    EISDIR: 'it is a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a part of the path is not a folder',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
  };
  return reasons[code] ?? (e instanceof Error ? e.message : String(e));
}
