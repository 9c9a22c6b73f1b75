import { el, formatNumber } from './dom.js';
import { imageCanvas, maxAbs } from './images.js';

/** Vectors longer than this are summarised (largest entries) with the full list in a <details>. */
const INLINE_LIMIT = 12;
/** How many of the largest |values| a summary names. */
const TOP = 6;
/** Matrices with more entries than this list only their largest entries (the rest follow from the vectors shown). */
const FULL_MATRIX_LIMIT = 4096;

/** The indices of the k largest |values[i]|, largest first. */
export function topIndices(values: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((p, q) => Math.abs(values[q]!) - Math.abs(values[p]!) || p - q);
  return idx.slice(0, k);
}

/** An <ol> of every value, each <li> holding only the printed number; its index (or name) is in data-index. */
function valueList(key: string, values: ArrayLike<number>, indexName: (i: number) => string, cols?: number): HTMLOListElement {
  const ol = el('ol', { class: 'nv-vec', attrs: { 'data-quantity': key } });
  if (cols !== undefined) ol.dataset.cols = String(cols);
  for (let i = 0; i < values.length; i++) ol.append(el('li', { text: formatNumber(values[i]!), attrs: { 'data-index': indexName(i) } }));
  return ol;
}

/** A strip of n cells in the diverging colour map (v / max |v|), so a long vector reads at a glance. */
function strip(values: ArrayLike<number>, label: string): HTMLCanvasElement {
  const c = imageCanvas(values, 1, values.length, 'signed', maxAbs(values), label);
  c.classList.add('nv-strip');
  return c;
}

export interface VectorOptions {
  /** Names of the entries (class names for the output layer); default the index. */
  names?: readonly string[];
}

/** A vector quantity of one sample: its name and shape, a colour strip, and its numbers (summarised when long). */
export function vectorBlock(name: string, values: ArrayLike<number>, options: VectorOptions = {}): HTMLElement {
  const n = values.length;
  const indexName = (i: number): string => options.names?.[i] ?? String(i);
  const block = el('div', { class: 'nv-q' }, el('div', { class: 'nv-qhead' }, el('span', { class: 'nv-qname', text: name }), el('span', { class: 'nv-shape', text: `1 × ${n}` })));
  if (n > 1) block.append(strip(values, `${name} as colours: blue negative, red positive`));
  if (n <= INLINE_LIMIT) {
    block.append(valueList(name, values, indexName));
    return block;
  }
  const top = topIndices(values, TOP).map((i) => `[${indexName(i)}] ${formatNumber(values[i]!)}`);
  block.append(
    el('p', { class: 'nv-top', text: `largest |${name}|: ${top.join(', ')}` }),
    el('details', {}, el('summary', { text: `all ${n} values of ${name}` }), valueList(name, values, indexName)),
  );
  return block;
}

/** A matrix quantity (rows × cols, row-major): a heat map, its largest entries, and all entries when it is small enough. */
export function matrixBlock(name: string, values: ArrayLike<number>, rows: number, cols: number, note: string): HTMLElement {
  const block = el('div', { class: 'nv-q' }, el('div', { class: 'nv-qhead' }, el('span', { class: 'nv-qname', text: name }), el('span', { class: 'nv-shape', text: `${rows} × ${cols}` })));
  const heat = imageCanvas(values, rows, cols, 'signed', maxAbs(values), `${name} as a heat map, ${rows} rows by ${cols} columns: blue negative, red positive`);
  heat.classList.add('nv-heat');
  // square cells of at most 16 px, the whole map within 640 × 320 px (and the screen's width)
  const cell = Math.min(16, 640 / cols, 320 / rows);
  heat.style.width = `${cols * cell}px`;
  heat.style.aspectRatio = `${cols} / ${rows}`;
  const top = topIndices(values, TOP).map((i) => `[${Math.floor(i / cols)},${i % cols}] ${formatNumber(values[i]!)}`);
  block.append(heat, el('p', { class: 'nv-top', text: `largest |${name}|: ${top.join(', ')}` }));
  if (rows * cols <= FULL_MATRIX_LIMIT) {
    const list = valueList(name, values, (i) => `${Math.floor(i / cols)},${i % cols}`, cols);
    list.classList.add('nv-matrix');
    block.append(el('details', {}, el('summary', { text: `all ${rows * cols} entries of ${name} (row, column)` }), list));
  } else {
    block.append(el('p', { class: 'nv-note', text: note }));
  }
  return block;
}
