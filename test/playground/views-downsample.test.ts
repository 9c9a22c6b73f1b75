/**
 * Draw-a-digit's downsampling (playground/src/views/downsample.ts) on drawings whose images are
 * worked out by hand below.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawingToImage } from '../../playground/src/views/downsample.js';

/** A 280 × 280 drawing with full ink on [x0, x1) × [y0, y1). */
function rectangle(x0: number, x1: number, y0: number, y1: number): Float32Array {
  const ink = new Float32Array(280 * 280);
  for (let y = y0; y < y1; y++) ink.fill(1, y * 280 + x0, y * 280 + x1);
  return ink;
}

test('8 × 8 (UCI digits): the ink box fills the image height, aspect kept, centred; pixels count ink 0..16', () => {
  // a 80 × 200 bar: s = min(8/200, 8/80) = 0.04 image pixels per drawing pixel, so 3.2 × 8 pixels,
  // left edge at (8 − 3.2)/2 = 2.4. Column 2 holds drawing columns 100..114 (15 of 25), columns 3
  // and 4 hold 25 each, column 5 the last 15: ink fractions 0.6, 1, 1, 0.6, times 16.
  const img = drawingToImage(rectangle(100, 180, 40, 240), 280, 280, [8, 8], 16)!;
  for (let r = 0; r < 8; r++) {
    const row = Array.from(img.subarray(r * 8, r * 8 + 8));
    [0, 0, 9.6, 16, 16, 9.6, 0, 0].forEach((v, c) => assert.ok(Math.abs(row[c]! - v) < 1e-4, `row ${r} col ${c}: ${row[c]}, expected ${v}`));
  }
});

test('28 × 28 (MNIST): the ink box scaled to 20 × 20 with its centre of mass at the centre', () => {
  // a 60 × 60 square in the top-left corner: s = 20/60, each image pixel takes 3 × 3 drawing
  // pixels; centre of mass 40 → 40/3 image pixels, moved to 14, so the square covers 4..23.
  const img = drawingToImage(rectangle(10, 70, 10, 70), 280, 280, [28, 28], 255)!;
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28; c++) {
      const inside = r >= 4 && r <= 23 && c >= 4 && c <= 23;
      assert.ok(Math.abs(img[r * 28 + c]! - (inside ? 255 : 0)) < 1e-3, `(${r}, ${c}) = ${img[r * 28 + c]}`);
    }
  }
  // an L-shaped drawing: its image's centre of mass is at the centre (14, 14) to within a pixel
  const ink = rectangle(50, 80, 20, 250);
  rectangle(50, 200, 220, 250).forEach((v, i) => (ink[i] = Math.max(ink[i]!, v)));
  const l = drawingToImage(ink, 280, 280, [28, 28], 255)!;
  let [m, mx, my] = [0, 0, 0];
  l.forEach((v, i) => {
    m += v;
    mx += v * ((i % 28) + 0.5);
    my += v * (Math.floor(i / 28) + 0.5);
  });
  assert.ok(Math.abs(mx / m - 14) < 0.5 && Math.abs(my / m - 14) < 0.5, `centre of mass (${mx / m}, ${my / m})`);
});

test('an empty drawing gives no image', () => {
  assert.equal(drawingToImage(new Float32Array(280 * 280), 280, 280, [8, 8], 16), null);
});
