import { NablaError } from '../errors.js';

/**
 * True when `bytes` start with the gzip magic number 1f 8b.
 *
 * @example
 * isGzipped(Uint8Array.of(0x1f, 0x8b, 8)); // true
 */
export function isGzipped(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * `bytes` gunzipped through the platform's DecompressionStream (browsers, Node ≥ 18) when they
 * start with 1f 8b, else unchanged; a corrupt stream is a FORMAT error naming `file`.
 *
 * @example
 * const csv = new TextDecoder().decode(await decompressIfGzipped(bytes, 'digits.csv.gz'));
 */
export async function decompressIfGzipped(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzipped(bytes)) return bytes;
  if (typeof DecompressionStream !== 'function') {
    throw new NablaError('FORMAT', `${file}: gzipped, and this engine has no DecompressionStream to unpack it (unpack the file first)`);
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new NablaError('FORMAT', `${file}: corrupt gzip stream (${why})`);
  }
}
