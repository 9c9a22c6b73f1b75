import { el, formatNumber, viewSection } from './dom.js';
import { drawingToImage } from './downsample.js';
import { imageCanvas, paintImage } from './images.js';
import type { Network } from './lib.js';
import type { View, ViewContext } from './types.js';

/** The drawing surface, in canvas pixels (CSS scales it to the screen). */
const SIZE = 280;
const PEN = 22;

/** The network's class probabilities for one raw image: softmax outputs, or [1 − ŷ, ŷ] for one sigmoid output. */
function probabilities(net: Network, x: Float32Array): number[] {
  const { x: buf } = net.batchBuffers(1);
  buf.set(x);
  net.forwardBatch(1, false);
  const n = net.sizes[net.sizes.length - 1]!;
  const y = Array.from(net.outputBuffer().subarray(0, n));
  return n === 1 ? [1 - y[0]!, y[0]!] : y;
}

/** Draw a digit (mouse, touch or pen) and watch the network's softmax outputs change as you draw. */
export function mountDraw(parent: HTMLElement, ctx: ViewContext): View {
  const shape = ctx.data.imageShape!;
  const { body } = viewSection(
    parent,
    'draw',
    /mnist|digit/i.test(ctx.data.name) && !/fashion/i.test(ctx.data.name) ? 'Draw a digit' : 'Draw an image',
    `Draw with a mouse, finger or pen (or copy a test sample in below); the drawing is scaled down to ${shape[0]} × ${shape[1]} like the data’s images and classified as you draw.`,
    'draw',
  );
  const canvas = el('canvas', {
    class: 'nv-draw',
    testid: 'draw-canvas',
    attrs: { width: String(SIZE), height: String(SIZE), role: 'img', 'aria-label': 'drawing area: draw a digit here with a mouse, finger or pen' },
  });
  const clear = el('button', { text: 'Clear', testid: 'draw-clear', attrs: { type: 'button' } });
  const count = ctx.data.test.count;
  const sampleInput = el('input', { attrs: { type: 'number', min: '0', max: String(Math.max(0, count - 1)), value: '0', id: 'nv-draw-sample', inputmode: 'numeric' } });
  const copy = el('button', { text: 'Copy into the drawing', attrs: { type: 'button' } });
  const preview = imageCanvas(new Float32Array(shape[0] * shape[1]), shape[0], shape[1], 'ink', ctx.rawMax, 'what the network sees');
  const prediction = el('output', { class: 'nv-prediction', testid: 'draw-prediction', text: '—', attrs: { 'aria-live': 'polite' } });
  const bars = el('ol', { class: 'nv-bars', testid: 'draw-probabilities', attrs: { 'aria-label': 'class probabilities' } });
  // one label column for every bar, as wide as the longest class name
  bars.style.setProperty('--nv-label', `${Math.max(2, ...ctx.classNames.map((c) => c.length)) + 1}ch`);
  preview.style.width = preview.style.height = `${Math.max(56, 3 * shape[1])}px`;
  body.append(
    el(
      'div',
      { class: 'nv-draw-layout' },
      el('div', { class: 'nv-draw-pad' }, canvas, el('div', { class: 'nv-controls' }, clear)),
      el(
        'div',
        { class: 'nv-draw-result' },
        el('p', {}, 'Prediction: ', prediction),
        el('div', { class: 'nv-seen' }, preview, el('span', { text: `what the network sees (${shape[0]} × ${shape[1]})` })),
        bars,
      ),
    ),
    el('div', { class: 'nv-controls' }, el('label', { text: 'Or start from test sample ', attrs: { for: 'nv-draw-sample' } }), sampleInput, copy),
  );

  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  g.lineCap = 'round';
  g.lineJoin = 'round';
  g.lineWidth = PEN;
  g.strokeStyle = '#000';
  g.fillStyle = '#000';
  let net: Network | null = null;
  let last: { x: number; y: number } | null = null;
  let pending = false;

  function point(e: PointerEvent): { x: number; y: number } {
    const r = canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * SIZE, y: ((e.clientY - r.top) / r.height) * SIZE };
  }

  function predictSoon(): void {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      predict();
    });
  }

  function predict(): void {
    const rgba = g.getImageData(0, 0, SIZE, SIZE).data;
    const ink = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3]! / 255;
    const raw = drawingToImage(ink, SIZE, SIZE, shape, ctx.rawMax);
    paintImage(preview, raw ?? new Float32Array(shape[0] * shape[1]), shape[0], shape[1], 'ink', ctx.rawMax);
    if (!raw || !net) {
      prediction.textContent = '—';
      bars.replaceChildren();
      return;
    }
    const p = probabilities(net, ctx.data.scaleInput(raw));
    let best = 0;
    p.forEach((v, k) => {
      if (v > p[best]!) best = k;
    });
    prediction.textContent = ctx.classNames[best] ?? String(best);
    bars.replaceChildren(
      ...p.map((v, k) => {
        const name = ctx.classNames[k] ?? String(k);
        const pct = `${(100 * v).toFixed(1)}%`;
        const bar = el('span', { class: 'nv-bar' });
        bar.style.width = `${Math.max(0, Math.min(100, 100 * v))}%`;
        return el(
          'li',
          { class: k === best ? 'nv-best' : '', attrs: { 'data-class': name, 'data-p': formatNumber(v) } },
          el('span', { class: 'nv-bar-label', text: name }),
          el('span', { class: 'nv-bar-track' }, bar),
          el('span', { class: 'nv-bar-value', text: pct }),
        );
      }),
    );
  }

  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = point(e);
    g.beginPath();
    g.arc(last.x, last.y, PEN / 2, 0, 2 * Math.PI);
    g.fill();
    predictSoon();
    e.preventDefault();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = point(e);
    g.beginPath();
    g.moveTo(last.x, last.y);
    g.lineTo(p.x, p.y);
    g.stroke();
    last = p;
    predictSoon();
  });
  const end = (): void => {
    last = null;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  // Touch: keep the page from scrolling under the finger (pointer events carry the strokes).
  const noScroll = (e: TouchEvent): void => e.preventDefault();
  canvas.addEventListener('touchstart', noScroll, { passive: false });
  canvas.addEventListener('touchmove', noScroll, { passive: false });

  clear.addEventListener('click', () => {
    g.clearRect(0, 0, SIZE, SIZE);
    predict();
  });
  copy.addEventListener('click', () => {
    const i = Math.max(0, Math.min(count - 1, Math.floor(Number(sampleInput.value) || 0)));
    sampleInput.value = String(i);
    const raw = ctx.data.rawTestInput(i);
    const [h, w] = shape;
    g.clearRect(0, 0, SIZE, SIZE);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        g.globalAlpha = Math.max(0, Math.min(1, raw[y * w + x]! / ctx.rawMax));
        g.fillRect((x * SIZE) / w, (y * SIZE) / h, SIZE / w, SIZE / h);
      }
    }
    g.globalAlpha = 1;
    predict();
  });

  return {
    update(n: Network) {
      net = n;
      predict();
    },
  };
}
