import type { ChartConfiguration, ChartDataset, Point } from 'chart.js';
import { activation, activationNames } from '../nn/activations.js';
import type { EpochRecord, History } from '../train/history.js';

/**
 * The report's charts as plain, JSON-serialisable Chart.js configurations, built here (typed and
 * unit-tested) and only instantiated by the page's small script. Every series is a list of
 * `{x, y}` points on a linear x axis; a missing or non-finite value becomes `y: null`, which
 * Chart.js draws as a gap.
 */
export interface ChartSpec {
  /** DOM id and `data-testid` of the chart's canvas, stable across versions: tests find charts by it. */
  id: string;
  title: string;
  /** One sentence on how to read the chart. */
  caption: string;
  /** How the page formats y tick labels and tooltips (functions cannot travel in JSON). */
  yFormat: 'number' | 'percent' | 'log';
  config: ChartConfiguration<'line', Point[]>;
}

/** Tableau 10: distinct, colour-blind-tolerable hues for per-layer series. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const TRAIN = '#2563eb';
const VALIDATION = '#ea580c';

/** `null` for a missing or non-finite number (JSON has no NaN), else the number. */
function finiteOrNull(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

/** `null` for values a log axis cannot show (≤ 0, missing or non-finite). */
function positiveOrNull(v: number | null | undefined): number | null {
  const f = finiteOrNull(v);
  return f !== null && f > 0 ? f : null;
}

function epochSeries(epochs: readonly EpochRecord[], pick: (e: EpochRecord) => number | null | undefined, scale = 1): Point[] {
  return epochs.map((e) => {
    const v = finiteOrNull(pick(e));
    return { x: e.epoch, y: v === null ? null : v * scale };
  });
}

function hasAny(points: readonly Point[]): boolean {
  return points.some((p) => p.y !== null);
}

function line(label: string, color: string, data: Point[], extra: Partial<ChartDataset<'line', Point[]>> = {}): ChartDataset<'line', Point[]> {
  return { label, data, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 2.5, tension: 0, ...extra };
}

function lineChart(
  datasets: ChartDataset<'line', Point[]>[],
  xTitle: string,
  yTitle: string,
  opts: { integerX?: boolean; logY?: boolean; decimate?: boolean; percent?: boolean; zeroY?: boolean; suggestedMax?: number; legend?: boolean } = {},
): ChartConfiguration<'line', Point[]> {
  return {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      // Decimation needs pre-parsed {x, y} data sorted by x: the step series are exactly that.
      ...(opts.decimate ? { parsing: false, normalized: true } : {}),
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: xTitle },
          // skip crowded labels rather than tilt them
          ticks: { maxRotation: 0, ...(opts.integerX ? { precision: 0, stepSize: 1 } : {}) },
          grid: { color: '#eef0f3' },
        },
        y: {
          type: opts.logY ? 'logarithmic' : 'linear',
          title: { display: true, text: yTitle },
          grid: { color: '#e5e7eb' },
          ...(opts.percent ? { suggestedMax: 100 } : {}),
          ...(opts.suggestedMax !== undefined ? { suggestedMax: opts.suggestedMax } : {}),
          ...(opts.zeroY ? { min: 0, grace: '5%' } : {}),
        },
      },
      plugins: {
        legend: { display: opts.legend ?? true, position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
        ...(opts.decimate ? { decimation: { enabled: true, algorithm: 'min-max' as const } } : {}),
      },
    },
  };
}

/** Most points a per-step series keeps in the file (Chart.js's decimation then fits them to the canvas). */
export const MAX_STEP_POINTS = 2000;

/**
 * At most about `max` points of a series sorted by x: of each run of consecutive points, the ones
 * with the smallest and the largest y, in x order, so a spike in the cost survives the thinning.
 *
 * @example
 * thinMinMax(points, 2000); // 18,760 steps → 1,996 points
 */
export function thinMinMax(points: readonly Point[], max: number): Point[] {
  if (points.length <= max) return [...points];
  const size = Math.ceil(points.length / Math.max(1, Math.floor(max / 2)));
  const out: Point[] = [];
  for (let start = 0; start < points.length; start += size) {
    const end = Math.min(points.length, start + size);
    let lo = start;
    let hi = start;
    for (let j = start + 1; j < end; j++) {
      if ((points[j]!.y ?? 0) < (points[lo]!.y ?? 0)) lo = j;
      if ((points[j]!.y ?? 0) > (points[hi]!.y ?? 0)) hi = j;
    }
    out.push(points[Math.min(lo, hi)]!);
    if (lo !== hi) out.push(points[Math.max(lo, hi)]!);
  }
  return out;
}

/**
 * Exponential moving average with bias correction (as TensorBoard's smoothing), skipping
 * non-finite values: s_t = β s_(t−1) + (1 − β) x_t, shown as s_t / (1 − β^t), with β = 1 − 2/(span + 1).
 *
 * @example
 * ema([1, 1, 1], 5); // [1, 1, 1] — bias correction keeps a constant series constant
 */
export function ema(values: readonly number[], span: number): number[] {
  const beta = 1 - 2 / (span + 1);
  let s = 0;
  let weight = 0;
  return values.map((v) => {
    if (Number.isFinite(v)) {
      s = beta * s + (1 - beta) * v;
      weight = beta * weight + (1 - beta);
    }
    return weight > 0 ? s / weight : NaN;
  });
}

/** The EMA span used for `steps` per-batch costs: about a thirtieth of the run, between 3 and 200 steps. */
export function emaSpan(steps: number): number {
  return Math.min(200, Math.max(3, Math.round(steps / 30)));
}

/** Layer ℓ's hidden activation name (`hidden` may list one name for all hidden layers). */
export function hiddenActivation(history: History, layer: number): string {
  const h = history.meta.hidden;
  return h[layer - 1] ?? h[h.length - 1] ?? 'unknown';
}

/** What the activation named `name` counts as unhealthy ('dead' or 'saturated', see `Activation.health`); 'saturated' for a name it does not know. */
export function saturationKind(name: string): 'dead' | 'saturated' {
  return (activationNames as readonly string[]).includes(name) ? (activation(name).health?.kind ?? 'saturated') : 'saturated';
}

/**
 * The charts of a report, in page order; a chart whose data the history lacks is left out
 * (no per-batch costs, no gradient norms, no 1-D curve ...), never drawn empty.
 */
export function buildCharts(history: History): ChartSpec[] {
  const { epochs, batches } = history;
  const specs: ChartSpec[] = [];

  // Training and validation side by side, per epoch: cost, then accuracy or MSE.
  const trainVal = (
    spec: Omit<ChartSpec, 'config'>,
    pick: (e: EpochRecord) => [number | undefined, number | undefined],
    yTitle: string,
    scale = 1,
  ): void => {
    const train = epochSeries(epochs, (e) => pick(e)[0], scale);
    const val = epochSeries(epochs, (e) => pick(e)[1], scale);
    const ds: ChartDataset<'line', Point[]>[] = [];
    if (hasAny(train)) ds.push(line('training', TRAIN, train));
    if (hasAny(val)) ds.push(line('validation', VALIDATION, val));
    if (ds.length > 0) specs.push({ ...spec, config: lineChart(ds, 'epoch', yTitle, { integerX: true, percent: spec.yFormat === 'percent' }) });
  };
  trainVal(
    {
      id: 'chart-cost',
      title: 'Cost per epoch',
      caption: `Mean cost C (${history.meta.cost}) over each epoch's training batches, and on the validation set after the epoch.`,
      yFormat: 'number',
    },
    (e) => [e.trainCost, e.valCost],
    'cost C',
  );
  trainVal(
    {
      id: 'chart-accuracy',
      title: 'Accuracy per epoch',
      caption: 'Fraction of samples classified correctly; a widening gap between the lines is overfitting.',
      yFormat: 'percent',
    },
    (e) => [e.trainAccuracy, e.valAccuracy],
    'accuracy (%)',
    100,
  );
  trainVal(
    {
      id: 'chart-mse',
      title: 'Mean squared error per epoch',
      caption: 'Mean squared error of the predictions, on the training and the validation data.',
      yFormat: 'number',
    },
    (e) => [e.trainMse, e.valMse],
    'MSE',
  );

  const steps = batches.filter((b) => Number.isFinite(b.cost));
  if (steps.length > 0) {
    const span = emaSpan(steps.length);
    const smooth = ema(
      steps.map((b) => b.cost),
      span,
    );
    const raw = thinMinMax(
      steps.map((b) => ({ x: b.step, y: b.cost })),
      MAX_STEP_POINTS,
    );
    const smoothed = thinMinMax(
      steps.map((b, i) => ({ x: b.step, y: smooth[i]! })),
      MAX_STEP_POINTS,
    );
    specs.push({
      id: 'chart-batch-cost',
      title: 'Cost per mini-batch',
      caption: `Cost of each recorded mini-batch (faint) and its exponential moving average over about ${span} of them.`,
      yFormat: 'number',
      config: lineChart(
        [
          line(`EMA (span ${span})`, TRAIN, smoothed, { pointRadius: 0, borderWidth: 2 }),
          line('raw', 'rgba(37, 99, 235, 0.22)', raw, { pointRadius: 0, borderWidth: 1 }),
        ],
        'step',
        'cost C',
        { decimate: true },
      ),
    });
  }

  const lrPoints: Point[] =
    batches.length > 0
      ? thinMinMax(
          batches.filter((b) => Number.isFinite(b.lr)).map((b) => ({ x: b.step, y: b.lr })),
          MAX_STEP_POINTS,
        )
      : epochs.filter((e) => Number.isFinite(e.lr)).map((e) => ({ x: e.epoch, y: e.lr }));
  if (lrPoints.length > 0) {
    const schedule = history.meta.schedule ? ` (${history.meta.schedule})` : '';
    specs.push({
      id: 'chart-lr',
      title: 'Learning rate',
      caption: `The learning rate η the optimizer used at each ${batches.length > 0 ? 'step' : 'epoch'}${schedule}.`,
      yFormat: 'number',
      config: lineChart([line('η', '#7c3aed', lrPoints, { pointRadius: 0, stepped: false })], batches.length > 0 ? 'step' : 'epoch', 'learning rate', {
        decimate: batches.length > 0,
        integerX: batches.length === 0,
        zeroY: true,
        legend: false,
      }),
    });
  }

  const layers = Math.max(0, ...epochs.map((e) => e.gradNorms.length));
  if (layers > 0) {
    const ds = Array.from({ length: layers }, (_, i) =>
      line(
        `W[${i + 1}]`,
        PALETTE[i % PALETTE.length]!,
        epochs.map((e) => ({ x: e.epoch, y: positiveOrNull(e.gradNorms[i]) })),
      ),
    ).filter((d) => hasAny(d.data));
    if (ds.length > 0)
      specs.push({
        id: 'chart-grad-norms',
        title: 'Gradient norm per layer',
        caption:
          '‖∂C/∂W[ℓ]‖₂ averaged over each epoch, log scale: layers far below the others are vanishing, lines shooting up are exploding.',
        yFormat: 'log',
        config: lineChart(ds, 'epoch', '‖∂C/∂W[ℓ]‖₂', { integerX: true, logY: true }),
      });
  }

  const hiddenLayers = Math.max(0, ...epochs.map((e) => e.saturation.length));
  const satSets: ChartDataset<'line', Point[]>[] = [];
  for (let i = 0; i < hiddenLayers; i++) {
    const act = hiddenActivation(history, i + 1);
    const data = epochs.map((e) => {
      const v = finiteOrNull(e.saturation[i]);
      return { x: e.epoch, y: v === null ? null : v * 100 };
    });
    if (hasAny(data)) satSets.push(line(`layer ${i + 1} (${act}): ${saturationKind(act)}`, PALETTE[i % PALETTE.length]!, data));
  }
  if (satSets.length > 0)
    specs.push({
      id: 'chart-saturation',
      title: 'Saturated / dead units per hidden layer',
      caption: 'Share of each hidden layer’s units that are dead (ReLU: zero output on every sample) or saturated (sigmoid/tanh: f′ ≈ 0).',
      yFormat: 'percent',
      // at least 0–5 %, so a layer with no dead units reads as a flat line at 0, not as noise
      config: lineChart(satSets, 'epoch', 'units (%)', { integerX: true, zeroY: true, suggestedMax: 5 }),
    });

  const curve = history.final?.curve;
  if (curve && curve.x.length > 0) {
    const points: Point[] = curve.x.map((x, i) => ({ x, y: finiteOrNull(curve.y[i]) }));
    const fitted: Point[] = curve.gridX.map((x, i) => ({ x, y: finiteOrNull(curve.gridY[i]) })).sort((a, b) => a.x! - b.x!);
    specs.push({
      id: 'chart-curve',
      title: 'Fitted curve',
      caption: `The network's output over the input range, and the ${history.final!.split} data points.`,
      yFormat: 'number',
      config: lineChart(
        [
          line('network', '#dc2626', fitted, { pointRadius: 0, borderWidth: 2.5 }),
          line('data', 'rgba(71, 85, 105, 0.55)', points, { showLine: false, pointRadius: 2.5, borderWidth: 0 }),
        ],
        'x',
        'y',
      ),
    });
  }

  return specs;
}
