import { diverging } from './colours.js';
import { el } from './dom.js';

/**
 * A canvas of h × w pixels drawn from `values` (row-major): grey ink (0 white … `max` black) for
 * input images, or the diverging map of v / max for signed values. CSS scales it up, pixelated.
 */
export function imageCanvas(values: ArrayLike<number>, h: number, w: number, mode: 'ink' | 'signed', max: number, label: string): HTMLCanvasElement {
  const canvas = el('canvas', { class: 'nv-pixels', attrs: { width: String(w), height: String(h), role: 'img', 'aria-label': label } });
  paintImage(canvas, values, h, w, mode, max);
  return canvas;
}

/** Repaints an `imageCanvas` with new values. */
export function paintImage(canvas: HTMLCanvasElement, values: ArrayLike<number>, h: number, w: number, mode: 'ink' | 'signed', max: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(w, h);
  const scale = max > 0 ? 1 / max : 0;
  for (let i = 0; i < h * w; i++) {
    const v = values[i]! * scale;
    const [r, g, b] = mode === 'signed' ? diverging(v) : ink(v);
    img.data[4 * i] = r;
    img.data[4 * i + 1] = g;
    img.data[4 * i + 2] = b;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

function ink(v: number): [number, number, number] {
  const g = 255 * (1 - Math.max(0, Math.min(1, v)));
  return [g, g, g];
}

/** max |v| over the values (0 for none). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}
