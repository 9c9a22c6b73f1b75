/**
 * The bytes of base64 text (RFC 4648, with padding), through Buffer in Node and atob elsewhere.
 *
 * @example
 * decodeBase64('AAEC'); // Uint8Array [0, 1, 2]
 */
export function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  if (typeof Buffer !== 'undefined') {
    const b = Buffer.from(s, 'base64');
    const out = new Uint8Array(b.length);
    out.set(b);
    return out;
  }
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
