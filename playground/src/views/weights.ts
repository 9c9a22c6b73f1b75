import { el, formatNumber, viewSection } from './dom.js';
import { imageCanvas, maxAbs, paintImage } from './images.js';
import type { Network } from './lib.js';
import type { View, ViewContext } from './types.js';

/** At most this many first-layer units are drawn (the first ones). */
const MAX_UNITS = 100;

/** The first layer's weights W[1] drawn as images: row j of W[1] (N_0 = h·w inputs) is unit j's picture. */
export function mountWeightImages(parent: HTMLElement, ctx: ViewContext): View {
  const [h, w] = ctx.data.imageShape!;
  const { body } = viewSection(
    parent,
    'weights',
    'First-layer weights as images',
    `Each tile is one unit of layer 1: its ${h * w} incoming weights W[1] laid out as the ${h} × ${w} image they multiply. Red positive, blue negative, white 0; each tile scaled to its own largest |w|.`,
    'weights-images',
  );
  const note = el('p', { class: 'nv-note' });
  const grid = el('ol', { class: 'nv-grid' });
  body.append(note, grid);
  let tiles: HTMLCanvasElement[] = [];

  return {
    update(net: Network) {
      const layer = net.layers[0]!;
      const units = Math.min(layer.outputs, MAX_UNITS);
      if (layer.inputs !== h * w) {
        note.textContent = `Layer 1 has ${layer.inputs} inputs, not the ${h} × ${w} = ${h * w} pixels of an image.`;
        grid.replaceChildren();
        tiles = [];
        return;
      }
      if (tiles.length !== units) {
        tiles = [];
        grid.replaceChildren(
          ...Array.from({ length: units }, (_, j) => {
            const c = imageCanvas(new Float32Array(h * w), h, w, 'signed', 1, `unit ${j}`);
            tiles.push(c);
            return el('li', {}, c, el('span', { text: String(j) }));
          }),
        );
      }
      let overall = 0;
      for (let j = 0; j < units; j++) {
        const row = layer.w.subarray(j * layer.inputs, (j + 1) * layer.inputs);
        const m = maxAbs(row);
        overall = Math.max(overall, m);
        paintImage(tiles[j]!, row, h, w, 'signed', m);
        tiles[j]!.setAttribute('aria-label', `unit ${j}: weights from ${formatNumber(-m)} (blue) to ${formatNumber(m)} (red)`);
      }
      note.textContent =
        `${units === layer.outputs ? `All ${units}` : `The first ${units} of ${layer.outputs}`} units of layer 1; ` + `largest |w| ${formatNumber(overall)}.`;
    },
  };
}
