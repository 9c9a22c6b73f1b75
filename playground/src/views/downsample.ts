/**
 * Turns a drawing into an image like the data's, the way each set was made:
 * - 28 × 28 (MNIST, Fashion-MNIST): the ink's bounding box scaled (aspect kept) to fit 20 × 20,
 *   placed so that its centre of mass sits at the centre of the 28 × 28 field (LeCun et al.);
 * - smaller (the UCI 8 × 8 digits): the bounding box scaled to fill the whole image, centred, each
 *   pixel the ink fraction of its block (the UCI set counts the set bits of 4 × 4 blocks of a
 *   normalised 32 × 32 bitmap, 0..16).
 * Each image pixel is the area-weighted mean ink of the drawing pixels falling in it, times `rawMax`
 * (the raw value of a full pixel: 16 for the digits, 255 for MNIST). An empty drawing gives null.
 */
export function drawingToImage(
  ink: ArrayLike<number>,
  height: number,
  width: number,
  shape: readonly [number, number],
  rawMax: number,
): Float32Array | null {
  const [h, w] = shape;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ink[y * width + x]!;
      if (v <= 0) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  if (x1 < 0) return null;
  const mnistLike = Math.min(h, w) >= 20;
  const boxH = mnistLike ? (h * 20) / 28 : h;
  const boxW = mnistLike ? (w * 20) / 28 : w;
  // image pixels per drawing pixel, the same along both axes
  const s = Math.min(boxH / (y1 + 1 - y0), boxW / (x1 + 1 - x0));
  // image coordinate = offset + drawing coordinate · s: bounding box centred, or centre of mass at the centre
  const ox = mnistLike ? w / 2 - (mx / mass) * s : (w - (x1 + 1 - x0) * s) / 2 - x0 * s;
  const oy = mnistLike ? h / 2 - (my / mass) * s : (h - (y1 + 1 - y0) * s) / 2 - y0 * s;
  const out = new Float32Array(h * w);
  const area = s * s;
  for (let y = y0; y <= y1; y++) {
    const ty = Math.floor(oy + (y + 0.5) * s);
    if (ty < 0 || ty >= h) continue;
    for (let x = x0; x <= x1; x++) {
      const v = ink[y * width + x]!;
      if (v <= 0) continue;
      const tx = Math.floor(ox + (x + 0.5) * s);
      if (tx >= 0 && tx < w) out[ty * w + tx]! += v * area;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, out[i]!) * rawMax;
  return out;
}
