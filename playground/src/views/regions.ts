import { forwardInChunks } from './chunked.js';
import { classColour, css } from './colours.js';
import { el, formatNumber, viewSection } from './dom.js';
import { predictedClass, type Dataset, type Network } from './lib.js';
import type { View, ViewContext, ViewData } from './types.js';

/** Grid cells per side of the heat map, and canvas pixels per side. */
const GRID = 100;
const SIZE = 480;

interface Points {
  x: Float32Array;
  labels: Int32Array;
}

/**
 * The raw 2-D coordinates and labels of a data set's samples: through `raw(i)` when given, else
 * the set's `unscaled` view, else the set itself when the page's scaling is the identity; null
 * when the raw values cannot be had.
 */
function rawPoints(ds: Dataset, raw: ((i: number) => Float32Array) | null, identity: boolean): Points | null {
  if (!ds.labels) return null;
  const x = new Float32Array(ds.count * 2);
  if (raw) for (let i = 0; i < ds.count; i++) x.set(raw(i).subarray(0, 2), 2 * i);
  else {
    const src = ds.unscaled ?? (identity ? ds : null);
    if (!src) return null;
    src.gatherInputs(Int32Array.from({ length: ds.count }, (_, i) => i), x);
  }
  return { x, labels: ds.labels };
}

/** Whether `scaleInput` leaves test sample 0 as the network sees it unchanged (the inputs are not scaled). */
function scalingIsIdentity(data: ViewData): boolean {
  if (data.test.count === 0) return false;
  const seen = new Float32Array(data.test.inputSize);
  data.test.gatherInputs([0], seen);
  const raw = data.rawTestInput(0);
  return raw.every((v, j) => v === seen[j]);
}

/** The heat map's colour of a prediction: the class's colour, stronger the surer the network is. */
function regionColour(yhat: ArrayLike<number>, row: number, n: number): [number, number, number] {
  const k = predictedClass(yhat as Float32Array, row, n);
  const classes = n === 1 ? 2 : n;
  const p = n === 1 ? Math.abs(2 * yhat[row]! - 1) : (yhat[row * n + k]! - 1 / classes) / (1 - 1 / classes);
  const t = 0.15 + 0.55 * Math.max(0, Math.min(1, p));
  const c = classColour(k);
  return [255 + (c[0] - 255) * t, 255 + (c[1] - 255) * t, 255 + (c[2] - 255) * t];
}

/** Decision regions of a 2-D data set: the predicted class over the plane as a heat map, under the training and test points. */
export function mountDecisionRegions(parent: HTMLElement, ctx: ViewContext): View {
  const { data } = ctx;
  const { body } = viewSection(
    parent,
    'regions',
    'Decision regions',
    'The class the network predicts at every point of the plane (paler where it is less sure), under the data: training points with a white edge, test points with a black edge.',
    'decision-regions',
  );
  const canvas = el('canvas', { class: 'nv-regions', attrs: { width: String(SIZE), height: String(SIZE), role: 'img', 'aria-label': 'decision regions' } });
  const legend = el(
    'ul',
    { class: 'nv-legend' },
    ...ctx.classNames.map((name, k) => el('li', {}, el('span', { class: 'nv-swatch', attrs: { style: `background:${css(classColour(k))}` } }), `class ${name}`)),
  );
  body.append(canvas, legend);
  const train = rawPoints(data.train, null, scalingIsIdentity(data));
  const test = rawPoints(data.test, (i) => data.rawTestInput(i), false);
  const box = data.extent ?? extentOf([train, test]);
  const span = (a: number, b: number): string => `[${formatNumber(a)}, ${formatNumber(b)}]`;
  body.append(el('p', { class: 'nv-note', text: `x₁ ∈ ${span(box.xmin, box.xmax)} left to right, x₂ ∈ ${span(box.ymin, box.ymax)} bottom to top (raw coordinates).` }));
  canvas.setAttribute('aria-label', `decision regions over x₁ ∈ ${span(box.xmin, box.xmax)}, x₂ ∈ ${span(box.ymin, box.ymax)}, with ${data.test.count} test points`);
  const g = canvas.getContext('2d')!;
  const heat = document.createElement('canvas');
  heat.width = GRID;
  heat.height = GRID;
  const hg = heat.getContext('2d')!;
  const image = hg.createImageData(GRID, GRID);
  let generation = 0;

  const toX = (x: number): number => ((x - box.xmin) / (box.xmax - box.xmin)) * SIZE;
  const toY = (y: number): number => ((box.ymax - y) / (box.ymax - box.ymin)) * SIZE;

  function drawPoints(points: Points | null, edge: string): void {
    if (!points) return;
    g.lineWidth = 1.5;
    for (let i = 0; i < points.labels.length; i++) {
      g.beginPath();
      g.arc(toX(points.x[2 * i]!), toY(points.x[2 * i + 1]!), 4, 0, 2 * Math.PI);
      g.fillStyle = css(classColour(points.labels[i]!));
      g.fill();
      g.strokeStyle = edge;
      g.stroke();
    }
  }

  return {
    update(net: Network) {
      const mine = ++generation;
      const n = net.sizes[net.sizes.length - 1]!;
      const raw = new Float32Array(2);
      const fill = (start: number, m: number, x: Float32Array | Float64Array): void => {
        for (let r = 0; r < m; r++) {
          const cell = start + r;
          raw[0] = box.xmin + (((cell % GRID) + 0.5) / GRID) * (box.xmax - box.xmin);
          raw[1] = box.ymax - ((Math.floor(cell / GRID) + 0.5) / GRID) * (box.ymax - box.ymin);
          x.set(data.scaleInput(raw).subarray(0, 2), 2 * r);
        }
      };
      const take = (start: number, m: number, yhat: ArrayLike<number>): void => {
        for (let r = 0; r < m; r++) {
          const [cr, cg, cb] = regionColour(yhat, r, n);
          const o = 4 * (start + r);
          image.data[o] = cr;
          image.data[o + 1] = cg;
          image.data[o + 2] = cb;
          image.data[o + 3] = 255;
        }
      };
      void forwardInChunks(net, GRID * GRID, fill, take, () => mine === generation, 1000).then((done) => {
        if (!done) return;
        hg.putImageData(image, 0, 0);
        g.imageSmoothingEnabled = true;
        g.drawImage(heat, 0, 0, SIZE, SIZE);
        drawPoints(train, '#fff');
        drawPoints(test, '#000');
        canvas.dataset.ready = String(mine);
      });
    },
    dispose() {
      generation++;
    },
  };
}

/** The box around all points, with a 5 % margin. */
function extentOf(sets: (Points | null)[]): { xmin: number; xmax: number; ymin: number; ymax: number } {
  let [xmin, xmax, ymin, ymax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const s of sets) {
    if (!s) continue;
    for (let i = 0; i < s.labels.length; i++) {
      xmin = Math.min(xmin, s.x[2 * i]!);
      xmax = Math.max(xmax, s.x[2 * i]!);
      ymin = Math.min(ymin, s.x[2 * i + 1]!);
      ymax = Math.max(ymax, s.x[2 * i + 1]!);
    }
  }
  if (!(xmax > xmin)) [xmin, xmax] = [xmin - 1 || -1, xmax + 1 || 1];
  if (!(ymax > ymin)) [ymin, ymax] = [ymin - 1 || -1, ymax + 1 || 1];
  const mx = 0.05 * (xmax - xmin);
  const my = 0.05 * (ymax - ymin);
  return { xmin: xmin - mx, xmax: xmax + mx, ymin: ymin - my, ymax: ymax + my };
}
