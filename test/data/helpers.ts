import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { gzipSync } from 'node:zlib';
import { NablaError, type NablaErrorCode } from '../../src/errors.js';

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nabla-test-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `bytes` to `dir/name` and returns that path. */
export function writeIn(dir: string, name: string, bytes: Uint8Array | string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

/** Asserts `fn` throws a one-line NablaError of `code` whose message contains every fragment. */
export function assertNablaError(fn: () => unknown, code: NablaErrorCode, ...fragments: string[]): NablaError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof NablaError, `expected a NablaError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  assert.equal(caught.code, code, `code of: ${caught.message}`);
  assert.ok(!caught.message.includes('\n'), `message is one line: ${caught.message}`);
  for (const f of fragments) assert.ok(caught.message.includes(f), `message ${JSON.stringify(caught.message)} names ${JSON.stringify(f)}`);
  return caught;
}

/** IDX bytes written from the format's definition: 00 00 08 rank, big-endian uint32 dims, the data. */
export function idxBytes(dims: number[], data: ArrayLike<number>, typeByte = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, typeByte, dims.length]);
  dims.forEach((d, i) => {
    out[4 + 4 * i] = (d >>> 24) & 255;
    out[5 + 4 * i] = (d >>> 16) & 255;
    out[6 + 4 * i] = (d >>> 8) & 255;
    out[7 + 4 * i] = d & 255;
  });
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

/** Gathers every sample's inputs (or targets) of a data set into rows of plain numbers. */
export function gatherAll(ds: { count: number; inputSize: number; outputSize: number; gatherInputs(i: ArrayLike<number>, o: Float64Array): void; gatherTargets(i: ArrayLike<number>, o: Float64Array): void }, what: 'inputs' | 'targets' = 'inputs'): number[][] {
  const width = what === 'inputs' ? ds.inputSize : ds.outputSize;
  const out = new Float64Array(ds.count * width);
  const indices = Array.from({ length: ds.count }, (_, i) => i);
  if (what === 'inputs') ds.gatherInputs(indices, out);
  else ds.gatherTargets(indices, out);
  return Array.from({ length: ds.count }, (_, r) => Array.from(out.subarray(r * width, (r + 1) * width)));
}

/**
 * A gzip bomb: `head` gzipped, then gzip members of zeros (concatenated members are one valid gzip
 * file) until it inflates to `head.length + zeros` bytes, a few MB on disk for gigabytes inflated;
 * an empty member last, so the trailer's length field (the last member's) says 0.
 */
export function gzipBomb(head: Uint8Array, zeros: number): Buffer {
  const memberSize = 16 << 20;
  const member = gzipSync(Buffer.alloc(memberSize), { level: 9 });
  const members = Array.from({ length: Math.ceil(zeros / memberSize) }, () => member);
  return Buffer.concat([gzipSync(head), ...members, gzipSync(Buffer.alloc(0))]);
}
