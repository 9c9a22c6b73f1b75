/**
 * The live charts, drawn in their own worker on OffscreenCanvases: cost and accuracy per epoch
 * (training and test) and per mini-batch, the learning rate, each layer's gradient norm on a log
 * scale, and each hidden layer's dead or saturated units. Chart.js runs here, so however fast the
 * records come the page's main thread only forwards them.
 */
import { Chart, registerables, type ChartDataset, type Point } from 'chart.js';
import { PALETTE, saturationKind, type BatchInfo, type EpochRecord } from './nabla.js';
import type { ChartMessage, ChartName } from './chart-protocol.js';

Chart.register(...registerables);

/** Most points kept per batch series: older points are thinned to every other one past this. */
const MAX_BATCH_POINTS = 1500;
/** Least time between two redraws of one chart (ms). */
const MIN_REDRAW_MS = 100;

const Y_TITLES: Record<ChartName, string> = {
  'chart-cost': 'cost',
  'chart-accuracy': 'accuracy',
  'chart-batch-cost': 'cost',
  'chart-batch-lr': 'learning rate',
  'chart-grad-norms': '‖∂C/∂W[ℓ]‖',
  'chart-units': 'fraction of units',
};

const charts = new Map<ChartName, Chart<'line', Point[]>>();
const dirty = new Set<ChartName>();
let timer: ReturnType<typeof setTimeout> | null = null;

function create(name: ChartName, canvas: OffscreenCanvas, ratio: number): void {
  charts.set(
    name,
    new Chart<'line', Point[]>(canvas as unknown as HTMLCanvasElement, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: false,
        devicePixelRatio: ratio,
        parsing: false,
        normalized: true,
        spanGaps: true,
        events: [],
        elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
        plugins: { legend: { labels: { boxWidth: 12 } }, tooltip: { enabled: false } },
        scales: {
          x: { type: 'linear', title: { display: true, text: name.startsWith('chart-batch') ? 'step' : 'epoch' } },
          y: {
            type: name === 'chart-grad-norms' ? 'logarithmic' : 'linear',
            title: { display: true, text: Y_TITLES[name] },
            ...(name === 'chart-units' || name === 'chart-accuracy' ? { min: 0, max: 1 } : {}),
            ...(name === 'chart-batch-lr' ? { beginAtZero: true } : {}),
          },
        },
      },
    }),
  );
}

function series(name: ChartName, label: string, i: number, dashed = false): Point[] {
  const chart = charts.get(name)!;
  let ds = chart.data.datasets.find((d) => d.label === label) as ChartDataset<'line', Point[]> | undefined;
  if (!ds) {
    ds = { label, data: [], borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], ...(dashed ? { borderDash: [5, 3] } : {}) };
    chart.data.datasets.push(ds);
  }
  dirty.add(name);
  return ds.data;
}

function addBatches(batches: readonly BatchInfo[]): void {
  const cost = series('chart-batch-cost', 'training (batch)', 0);
  const lr = series('chart-batch-lr', 'learning rate', 4);
  for (const b of batches) {
    cost.push({ x: b.step, y: b.cost });
    lr.push({ x: b.step, y: b.lr });
  }
  for (const d of [cost, lr]) if (d.length > MAX_BATCH_POINTS) thin(d);
}

function addEpoch(r: EpochRecord, hiddenNames: readonly string[]): void {
  series('chart-cost', 'training', 0).push({ x: r.epoch, y: r.trainCost });
  if (r.valCost !== undefined) series('chart-cost', 'test', 1, true).push({ x: r.epoch, y: r.valCost });
  if (r.trainAccuracy !== undefined) series('chart-accuracy', 'training', 0).push({ x: r.epoch, y: r.trainAccuracy });
  if (r.valAccuracy !== undefined) series('chart-accuracy', 'test', 1, true).push({ x: r.epoch, y: r.valAccuracy });
  r.gradNorms.forEach((g, l) => series('chart-grad-norms', `layer ${l + 1}`, l).push({ x: r.epoch, y: g > 0 ? g : NaN }));
  r.saturation.forEach((f, l) => {
    const name = hiddenNames[l] ?? '';
    if (f !== null) series('chart-units', `layer ${l + 1} (${name}, ${saturationKind(name)})`, l).push({ x: r.epoch, y: f });
  });
}

/** Keeps every other point (in place). */
function thin(points: Point[]): void {
  let w = 0;
  for (let i = 0; i < points.length; i += 2) points[w++] = points[i]!;
  points.length = w;
}

function redrawSoon(): void {
  if (timer !== null) return;
  timer = setTimeout(() => {
    timer = null;
    for (const name of dirty) charts.get(name)?.update('none');
    dirty.clear();
  }, MIN_REDRAW_MS);
}

self.onmessage = (event: MessageEvent<ChartMessage>) => {
  const m = event.data;
  if (m.type === 'init') {
    for (const [name, canvas] of Object.entries(m.canvases) as [ChartName, OffscreenCanvas][]) create(name, canvas, m.ratio);
  } else if (m.type === 'resize') {
    const chart = charts.get(m.name);
    if (chart && m.width > 0 && m.height > 0) chart.resize(m.width, m.height);
  } else if (m.type === 'reset') {
    for (const [name, chart] of charts) {
      chart.data.datasets = [];
      dirty.add(name);
    }
  } else if (m.type === 'batches') {
    addBatches(m.batches);
  } else if (m.type === 'epoch') {
    addEpoch(m.record, m.hiddenNames);
  }
  redrawSoon();
};
