import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { NablaError } from '../errors.js';
import { isGzipped } from './gzip.js';

/**
 * Reads a whole file as bytes, turning the system's errors into one-line NablaErrors that name
 * the file ("cannot read FILE: no such file").
 *
 * @example
 * const bytes = readBytes('data/iris.csv');
 */
export function readBytes(file: string): Uint8Array {
  try {
    const buffer = fs.readFileSync(file);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (e) {
    throw fileError('read', file, e);
  }
}

/**
 * The bytes of `file`, gunzipped when they start with the gzip magic 1f 8b (whatever the name).
 *
 * @example
 * const csv = new TextDecoder().decode(readMaybeGzipped('data/digits.csv.gz'));
 */
export function readMaybeGzipped(file: string): Uint8Array {
  return gunzipIfGzipped(readBytes(file), file);
}

/**
 * `bytes` gunzipped when they start with 1f 8b, else unchanged; a corrupt stream is a FORMAT error naming `file`.
 *
 * @example
 * const raw = gunzipIfGzipped(bytes, 'train-images-idx3-ubyte.gz');
 */
export function gunzipIfGzipped(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzipped(bytes)) return bytes;
  try {
    const out = gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new NablaError('FORMAT', `${file}: corrupt gzip stream (${why})`);
  }
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
  const reason = reasons[code] ?? (e instanceof Error ? e.message : String(e));
  return new NablaError('FILE', `cannot ${verb} ${file}: ${reason}`);
}
