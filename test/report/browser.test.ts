/**
 * End to end: a training history → `writeHistory` + `writeReport` → the report opened from disk in
 * Debian's headless Chromium (driven by playwright-core). Every request is routed through the test,
 * so any that leaves the page fails it; console errors fail it; every chart must be drawn with data;
 * the numbers on the page must be the ones in the history JSON. Screenshots go to test-artifacts/.
 *
 * The histories come from real training: a 64/16/10 ReLU network on the embedded digits (80/20
 * split, 3 epochs, < 1 s) and a 1/16/1 tanh network fitting sin x.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`; `.ci/run` installs it). Without it the
 * test fails at once and says so: it is never skipped.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { arrayDataset } from '../../src/data/array-dataset.js';
import { loadEmbedded } from '../../src/data/embedded.js';
import { applyScaling, fitScaling } from '../../src/data/scaling.js';
import { splitDataset } from '../../src/data/split.js';
import { Network } from '../../src/nn/network.js';
import { adam } from '../../src/optim/adam.js';
import { buildCharts } from '../../src/report/charts.js';
import { finalEvaluation } from '../../src/report/final-evaluation.js';
import { readHistory, writeHistory } from '../../src/report/history-file.js';
import { formatNumber, formatPercent } from '../../src/report/html.js';
import { writeReport } from '../../src/report/write-report.js';
import { fit } from '../../src/train/fit.js';
import type { History } from '../../src/train/history.js';
import { launchChromium } from './chromium.js';

const ARTIFACTS = resolve('test-artifacts');
const work = mkdtempSync(join(tmpdir(), 'nabla-report-browser-'));
let context: BrowserContext | undefined;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  context = await launchChromium(join(work, 'profile'));
});

after(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Trains 64/16/10 on digits for 3 epochs, validating on the held-out fifth, which is also the report's test set. */
async function digitsHistory(): Promise<History> {
  const digits = loadEmbedded('digits');
  const { train, test: held } = splitDataset(digits, 0.2, 1);
  const scaling = fitScaling(train, 'minmax');
  const test = applyScaling(held, scaling);
  const net = Network.create([64, 16, 10], { hidden: 'relu', output: 'softmax', cost: 'cross-entropy', seed: 1 });
  const { history } = await fit(net, applyScaling(train, scaling), {
    epochs: 3,
    batchSize: 32,
    optimizer: adam({ lr: 0.01 }),
    validation: test,
    // a command line with every character HTML cares about, as a user might type it
    meta: { command: `nabla train digits --layers 16 --epochs 3 --lr 0.01 --name "<b>&'test'</b>"` },
  });
  history.final = finalEvaluation(net, test);
  return history;
}

/** Fits sin x on [−3, 3] with a 1/16/1 tanh network (60 points, 40 epochs). */
async function sinHistory(): Promise<History> {
  const xs = Array.from({ length: 60 }, (_, i) => -3 + (6 * i) / 59);
  const data = arrayDataset(
    xs.map((x) => [x]),
    { targets: xs.map((x) => [Math.sin(x)]) },
    'sin',
  );
  const net = Network.create([1, 16, 1], { hidden: 'tanh', output: 'identity', cost: 'quadratic', seed: 3 });
  const { history } = await fit(net, data, { epochs: 40, batchSize: 10, optimizer: adam({ lr: 0.02 }) });
  history.final = finalEvaluation(net, data, { split: 'validation' });
  return history;
}

/** What the page did while loading: every request it made, the ones refused, console errors. */
interface PageLog {
  requests: string[];
  blocked: string[];
  failed: string[];
  errors: string[];
}

/**
 * Opens `url` in a fresh page with every request routed through the test: only `url` itself may
 * load; anything else (http, https, a file beside it) is refused and recorded.
 */
async function loadPage(url: string): Promise<{ page: Page; log: PageLog }> {
  assert.ok(context, 'the browser did not start');
  const page = await context.newPage();
  const log: PageLog = { requests: [], blocked: [], failed: [], errors: [] };
  await page.route('**/*', async (route) => {
    if (route.request().url() === url) return route.continue();
    log.blocked.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('requestfailed', (r) => log.failed.push(`${r.url()}: ${r.failure()?.errorText ?? '?'}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(`uncaught: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  return { page, log };
}

/**
 * Writes `history` as JSON and renders the report from the JSON read back (as `nabla report
 * run.json` does), opens it with `loadPage` and waits for its script to finish.
 */
async function openReport(name: string, history: History): Promise<{ page: Page; log: PageLog; json: History }> {
  const jsonPath = join(work, `${name}.json`);
  const htmlPath = join(work, `${name}.html`);
  writeHistory(jsonPath, history);
  const json = readHistory(jsonPath);
  writeReport(htmlPath, json);
  const { page, log } = await loadPage(pathToFileURL(htmlPath).href);
  await page.waitForSelector('html[data-report-ready]', { timeout: 10_000 });
  assert.equal(await page.getAttribute('html', 'data-report-ready'), 'true', `the report's script failed: ${log.errors.join('; ')}`);
  return { page, log, json };
}

function assertOffline(log: PageLog, name: string): void {
  assert.deepEqual(log.errors, [], `${name}: console errors`);
  assert.deepEqual(log.blocked, [], `${name}: the report tried to reach the network`);
  assert.deepEqual(log.failed, [], `${name}: failed requests`);
  assert.equal(log.requests.length, 1, `${name}: requests besides the page itself: ${log.requests.join(', ')}`);
}

/** Per chart canvas on the page: its Chart.js data (label → y values), y scale type and how many pixels are painted. */
interface DrawnChart {
  id: string;
  points: number;
  series: Record<string, (number | null)[]>;
  yType: string;
  painted: number;
  width: number;
}

async function drawnCharts(page: Page): Promise<DrawnChart[]> {
  return page.evaluate(() => {
    type ChartLike = {
      data: { datasets: { label?: string; data: { y: number | null }[] }[] };
      scales: Record<string, { type: string }>;
    };
    const g = globalThis as unknown as { Chart: { getChart(c: HTMLCanvasElement): ChartLike | undefined } };
    return Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-testid^="chart-"]')).map((canvas) => {
      const chart = g.Chart.getChart(canvas);
      const ctx = canvas.getContext('2d')!;
      const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
      const series: Record<string, (number | null)[]> = {};
      for (const d of chart?.data.datasets ?? []) series[d.label ?? '?'] = d.data.map((p) => p.y);
      return {
        id: canvas.id,
        points: (chart?.data.datasets ?? []).reduce((s, d) => s + d.data.filter((p) => p.y !== null).length, 0),
        series,
        yType: chart?.scales.y?.type ?? 'none',
        painted,
        width: canvas.getBoundingClientRect().width,
      };
    });
  });
}

async function text(page: Page, testid: string): Promise<string> {
  return (await page.getByTestId(testid).first().textContent())?.trim() ?? '';
}

async function dataValue(page: Page, testid: string): Promise<number> {
  const el = page.locator(`[data-testid="${testid}"] [data-value], [data-testid="${testid}"][data-value]`).first();
  return Number(await el.getAttribute('data-value'));
}

function assertClose(actual: readonly (number | null)[] | undefined, expected: readonly number[], what: string): void {
  assert.ok(actual, `${what}: series missing`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => assert.ok(a !== null && Math.abs(a - expected[i]!) <= 1e-9 * Math.max(1, Math.abs(expected[i]!)), `${what}[${i}]: ${a} ≠ ${expected[i]}`));
}

test('classification report in headless Chromium: offline, every chart drawn, numbers match the JSON', { timeout: 60_000 }, async () => {
  const history = await digitsHistory();
  assert.equal(history.final!.count, 359, 'the held-out fifth of 1,797 digits (stratified)');
  const { page, log, json } = await openReport('classification', history);
  assertOffline(log, 'classification');

  // Every chart the history calls for is on the page, drawn, with data points.
  const expected = buildCharts(json).map((s) => s.id);
  for (const id of ['chart-cost', 'chart-accuracy', 'chart-batch-cost', 'chart-lr', 'chart-grad-norms', 'chart-saturation']) assert.ok(expected.includes(id), id);
  const charts = await drawnCharts(page);
  assert.deepEqual(
    charts.map((c) => c.id),
    expected,
  );
  for (const c of charts) {
    assert.ok(c.points > 0, `${c.id}: no data points`);
    assert.ok(c.painted > 2000, `${c.id}: canvas is blank (${c.painted} painted pixels)`);
    assert.ok(c.width > 300, `${c.id}: drawn only ${c.width}px wide`);
  }
  const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
  assert.equal(byId['chart-grad-norms']!.yType, 'logarithmic');
  assert.deepEqual(Object.keys(byId['chart-grad-norms']!.series), ['W[1]', 'W[2]']);
  assertClose(byId['chart-grad-norms']!.series['W[1]'], json.epochs.map((e) => e.gradNorms[0]!), 'W[1] gradient norms');
  assertClose(byId['chart-cost']!.series.training, json.epochs.map((e) => e.trainCost), 'training cost');
  assertClose(byId['chart-cost']!.series.validation, json.epochs.map((e) => e.valCost!), 'validation cost');
  assertClose(byId['chart-accuracy']!.series.validation, json.epochs.map((e) => e.valAccuracy! * 100), 'validation accuracy');
  assertClose(byId['chart-lr']!.series['η'], json.batches.map((b) => b.lr), 'learning rate');
  assertClose(byId['chart-batch-cost']!.series.raw, json.batches.map((b) => b.cost), 'per-batch cost');

  // The confusion matrix's cells add up to the test set.
  const final = json.final!;
  const cells = await page.locator('[data-testid="confusion-matrix"] td[data-count]').allTextContents();
  const k = final.confusion!.length;
  assert.equal(cells.length, k * k);
  assert.equal(
    cells.reduce((s, c) => s + Number(c), 0),
    final.count,
  );
  assert.deepEqual(cells.map(Number), final.confusion!.flat());

  // The numbers shown are the JSON's.
  const last = json.epochs[json.epochs.length - 1]!;
  assert.equal(await dataValue(page, 'kpi-final-accuracy'), final.accuracy);
  assert.match(await text(page, 'kpi-final-accuracy'), new RegExp(`^Test accuracy${formatPercent(final.accuracy).replace('.', '\\.')}`));
  assert.equal(await text(page, 'architecture'), json.meta.sizes.join('/'));
  assert.equal(await dataValue(page, 'num-biases'), json.meta.numBiases);
  assert.equal(await dataValue(page, 'num-weights'), json.meta.numWeights);
  assert.equal(await dataValue(page, 'kpi-train-cost'), last.trainCost);
  assert.ok((await text(page, 'kpi-train-cost')).includes(formatNumber(last.trainCost)));
  assert.equal(await text(page, 'backend'), json.meta.backend);
  assert.equal(await text(page, 'dataset'), json.meta.dataset);
  if (json.meta.command) assert.equal(await text(page, 'command'), `$ ${json.meta.command}`);
  const lastRow = await page.locator(`[data-testid="epoch-table"] tr[data-epoch="${last.epoch}"] td`).allTextContents();
  assert.equal(lastRow[1], formatNumber(last.trainCost));

  // The misclassified images are painted, each with its true and predicted class.
  const shown = Math.min(48, final.misclassified!.length);
  const painted = await page.$$eval('canvas[data-testid="misclassified-image"]', (cs) =>
    (cs as HTMLCanvasElement[]).map((c) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! < 200) ink++;
      return ink;
    }),
  );
  assert.equal(painted.length, shown);
  for (const [i, ink] of painted.entries()) assert.ok(ink > 0, `misclassified image ${i} is blank`);
  const captions = await page.locator('[data-testid="misclassified-grid"] figcaption').allTextContents();
  const first = final.misclassified![0]!;
  const names = json.meta.classNames!;
  assert.equal(captions[0], `${names[first.label]} → ${names[first.predicted]}#${first.index}`);

  await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  copyFileSync(join(work, 'classification.html'), join(ARTIFACTS, 'report.html'));
  await page.close();
});

test('1-D regression report: the fitted curve over the data points, offline', { timeout: 30_000 }, async () => {
  const { page, log, json } = await openReport('regression', await sinHistory());
  assertOffline(log, 'regression');
  const charts = await drawnCharts(page);
  const curve = charts.find((c) => c.id === 'chart-curve');
  assert.ok(curve, 'no chart-curve');
  assert.ok(curve.painted > 2000, 'chart-curve is blank');
  assertClose(curve.series.network, json.final!.curve!.gridY, 'fitted curve');
  assertClose(curve.series.data, json.final!.curve!.y, 'data points');
  for (const c of charts) assert.ok(c.points > 0 && c.painted > 2000, `${c.id}: empty`);
  assert.equal(await page.locator('[data-testid="confusion-matrix"]').count(), 0);
  assert.equal(await dataValue(page, 'kpi-final-mse'), json.final!.mse);
  await page.screenshot({ path: join(ARTIFACTS, 'report-regression.png'), fullPage: true });
  await page.close();
});

test('the offline check itself catches a page that reaches out or logs errors', { timeout: 20_000 }, async () => {
  const file = join(work, 'leaky.html');
  writeFileSync(file, '<!DOCTYPE html><img src="http://example.com/a.png"><script src="beside.js"></script><script>console.error("boom")</script>');
  const { page, log } = await loadPage(pathToFileURL(file).href);
  await page.close();
  assert.deepEqual(log.blocked.sort(), ['http://example.com/a.png', pathToFileURL(join(work, 'beside.js')).href].sort());
  assert.ok(log.errors.includes('console.error: boom'), log.errors.join('; '));
  assert.throws(() => assertOffline(log, 'leaky'), assert.AssertionError);
});
