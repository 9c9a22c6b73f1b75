/**
 * The playground's views in headless Chromium (playwright-core), through their own harness page
 * (playground/src/views/harness/, bundled here with esbuild and served by a node:http server on
 * 127.0.0.1 that serves only its three files). The harness trains a small network in the page on
 * data this test serialises (the embedded digits; a 2-D circle set), then mounts the views.
 *
 * What is checked, each against a truth computed here, not by the views:
 * - the backprop inspector's numbers (Z, A, T, C, Δ, f′(Z), ∂C/∂b, ∂C/∂W of one sample) equal an
 *   independent float64 forward and backward pass written out below from the notes' equations, and
 *   print exactly as the library's own forwardBatch/backwardBatch values in Node;
 * - drawing strokes with the mouse changes the prediction, and the probabilities shown are the
 *   library's for the image the drawing downsamples to;
 * - the first-layer weight tiles use the diverging map's ends at each unit's largest ±|w|;
 * - the confusion matrix and the misclassified list match predictions recomputed here;
 * - the decision-region heat map shows, at grid cells away from the data points and the boundary,
 *   the class an independent forward pass predicts there;
 * - no console error, no failed request, no request outside the server; no horizontal scrolling at
 *   phone width; the inspector can be stepped by keyboard.
 * Screenshots at desktop and phone sizes go to test-artifacts/playground-views/.
 */
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { browserPlatform } from '../../scripts/browser-platform.mjs';
import type { BrowserContext, Page } from 'playwright-core';
import { loadEmbedded } from '../../src/data/embedded.js';
import { FASHION_MNIST_CLASSES } from '../../src/data/idx.js';
import { FASHION_MNIST_DIR, readIdx } from '../../src/data/idx-node.js';
import { JsKernels } from '../../src/kernels/js.js';
import { Network } from '../../src/nn/network.js';
import { Matrix } from '../../src/tensor/matrix.js';
import { Rng } from '../../src/tensor/rng.js';
import { formatNumber } from '../../playground/src/views/dom.js';
import { drawingToImage } from '../../playground/src/views/downsample.js';
import type { HarnessInput } from '../../playground/src/views/harness/main.js';
import { launchChromium } from '../report/chromium.js';

const HARNESS = resolve('playground/src/views/harness');
const ARTIFACTS = resolve('test-artifacts/playground-views');
const work = mkdtempSync(join(tmpdir(), 'nabla-views-'));
let context: BrowserContext | undefined;
let server: Server | undefined;
let origin = '';
let bundle = '';
const inputs = new Map<string, HarnessInput>();

/**
 * An embedded data set as harness input (raw values): every `testEvery`-th sample is a test
 * sample, the rest train; `rest` is the page's scaling, network and training.
 */
function embeddedInput(name: string, testEvery: number, rest: Omit<HarnessInput, 'name' | 'cols' | 'trainX' | 'trainLabels' | 'testX' | 'testLabels' | 'classes'>): HarnessInput {
  const ds = loadEmbedded(name);
  const cols = ds.inputSize;
  const x = new Float32Array(ds.count * cols);
  ds.gatherInputs(Int32Array.from({ length: ds.count }, (_, i) => i), x);
  const out: HarnessInput = { name, cols, trainX: [], trainLabels: [], testX: [], testLabels: [], classes: ds.outputSize, ...rest };
  for (let i = 0; i < ds.count; i++) {
    const [xs, ys] = i % testEvery === 0 ? [out.testX, out.testLabels] : [out.trainX, out.trainLabels];
    xs.push(...x.subarray(i * cols, (i + 1) * cols));
    ys.push(ds.labels![i]!);
  }
  return out;
}

/** The embedded digits (raw 0..16): every fifth sample is a test sample; 64/32/10 ReLU, 25 epochs. */
function digitsInput(): HarnessInput {
  return embeddedInput('digits', 5, { scale: 1 / 16, layers: [64, 32, 10], epochs: 25, lr: 0.01, imageShape: [8, 8] });
}

/** Fashion-MNIST's test file (raw 0..255): its first 3,000 images train, the next 600 test; 784/32/10 ReLU, 5 epochs. */
function fashionInput(): HarnessInput {
  const images = readIdx(join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz')).data;
  const labels = readIdx(join(FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz')).data;
  const part = (from: number, to: number) => Array.from(images.subarray(from * 784, to * 784), Number);
  return {
    name: 'fashion-mnist',
    cols: 784,
    trainX: part(0, 3000),
    trainLabels: Array.from(labels.subarray(0, 3000), Number),
    testX: part(3000, 3600),
    testLabels: Array.from(labels.subarray(3000, 3600), Number),
    classes: 10,
    scale: 1 / 255,
    layers: [784, 32, 10],
    epochs: 5,
    lr: 0.003,
    imageShape: [28, 28],
    classNames: [...FASHION_MNIST_CLASSES],
  };
}

/** Fisher's iris (4 raw features in cm): every third sample tests; inputs scaled by 1/8; 4/6/3 ReLU, a deliberately short 15 epochs so some are misclassified. */
function irisInput(): HarnessInput {
  return embeddedInput('iris', 3, { scale: 1 / 8, layers: [4, 6, 3], epochs: 15, lr: 0.01, classNames: [...loadEmbedded('iris').classNames!] });
}

/** TensorFlow Playground's circle: class 0 within radius 2, class 1 on the ring 3.5..5; inputs scaled by 1/2. */
function circleInput(): HarnessInput {
  const rng = new Rng(7);
  const out: HarnessInput = { name: 'circle', cols: 2, trainX: [], trainLabels: [], testX: [], testLabels: [], classes: 2, scale: 0.5, layers: [2, 8, 8, 2], epochs: 80, lr: 0.03, extent: { xmin: -6, xmax: 6, ymin: -6, ymax: 6 } };
  for (let i = 0; i < 300; i++) {
    const label = i % 2;
    const r = label === 0 ? 2 * rng.uniform() : 3.5 + 1.5 * rng.uniform();
    const angle = 2 * Math.PI * rng.uniform();
    const [xs, ys] = Math.floor(i / 2) % 4 === 0 ? [out.testX, out.testLabels] : [out.trainX, out.trainLabels];
    xs.push(Math.fround(r * Math.cos(angle)), Math.fround(r * Math.sin(angle)));
    ys.push(label);
  }
  return out;
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const result = await build({ entryPoints: [join(HARNESS, 'main.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent', plugins: [browserPlatform] });
  bundle = result.outputFiles[0]!.text;
  inputs.set('digits', digitsInput());
  inputs.set('circle', circleInput());
  inputs.set('fashion-mnist', fashionInput());
  inputs.set('iris', irisInput());
  const html = readFileSync(join(HARNESS, 'index.html'), 'utf8');
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const data = inputs.get(url.pathname.split('/')[1] ?? '');
    const file = url.pathname.split('/')[2];
    const body = !data ? null : file === '' || file === 'index.html' ? html : file === 'main.js' ? bundle : file === 'data.json' ? JSON.stringify(data) : null;
    if (body === null) {
      res.writeHead(404).end();
      return;
    }
    const type = file === 'main.js' ? 'text/javascript' : file === 'data.json' ? 'application/json' : 'text/html';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  context = await launchChromium(join(work, 'profile'));
});

after(async () => {
  await context?.close();
  await new Promise((ok) => server?.close(ok));
  rmSync(work, { recursive: true, force: true });
});

interface Problems {
  errors: string[];
  outside: string[];
  failed: string[];
}

/** Opens the harness for data set `name`, waits for training and the views; records errors and requests. */
async function openHarness(name: string): Promise<{ page: Page; problems: Problems; weights: number[][]; biases: number[][] }> {
  const page = await context!.newPage();
  const problems: Problems = { errors: [], outside: [], failed: [] };
  page.on('request', (r) => {
    if (!r.url().startsWith(`${origin}/`)) problems.outside.push(r.url());
  });
  page.on('requestfailed', (r) => problems.failed.push(`${r.url()}: ${r.failure()?.errorText ?? '?'}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.errors.push(`uncaught: ${e.message}`));
  await page.goto(`${origin}/${name}/`);
  await page.waitForFunction(() => window.harness !== undefined, undefined, { timeout: 60_000 });
  const h = await page.evaluate(() => window.harness);
  assert.ok(h.ready, `the harness failed: ${h.error}`);
  return { page, problems, weights: h.weights, biases: h.biases };
}

/** Full-page screenshots at desktop and phone sizes, and the page no wider than the phone. */
async function screenshots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  await page.screenshot({ path: join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
  const wide = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    culprits: Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > 391).map((e) => `${e.tagName}.${e.className}`),
  }));
  assert.ok(wide.width <= 390, `${name}: the page is ${wide.width} px wide on a 390 px phone (${wide.culprits.join(', ')})`);
}

function assertClean(problems: Problems): void {
  assert.deepEqual(problems.errors, [], 'console errors');
  assert.deepEqual(problems.failed, [], 'failed requests');
  assert.deepEqual(problems.outside, [], 'requests outside the server');
}

/** The float64 forward and backward pass of one sample, written out from the notes (ReLU hidden, softmax output, cross-entropy). */
function referencePass(weights: number[][], biases: number[][], x: number[], t: number[]) {
  const L = weights.length;
  const a: number[][] = [x];
  const z: number[][] = [[]];
  for (let l = 1; l <= L; l++) {
    const W = weights[l - 1]!;
    const b = biases[l - 1]!;
    const n = b.length;
    const prev = a[l - 1]!;
    const zl = Array.from({ length: n }, (_, j) => b[j]! + prev.reduce((s, v, k) => s + W[j * prev.length + k]! * v, 0));
    z.push(zl);
    if (l < L) a.push(zl.map((v) => Math.max(0, v)));
    else {
      const max = Math.max(...zl);
      const e = zl.map((v) => Math.exp(v - max));
      const sum = e.reduce((s, v) => s + v, 0);
      a.push(e.map((v) => v / sum));
    }
  }
  const yhat = a[L]!;
  const cost = -t.reduce((s, tk, k) => s + (tk ? tk * Math.log(yhat[k]!) : 0), 0);
  const delta: number[][] = new Array(L + 1);
  const db: number[][] = new Array(L + 1);
  const dw: number[][] = new Array(L + 1);
  const fprime: number[][] = new Array(L + 1);
  delta[L] = yhat.map((v, k) => v - t[k]!); // (1), m = 1
  for (let l = L; l >= 1; l--) {
    const d = delta[l]!;
    const prev = a[l - 1]!;
    db[l] = [...d]; // (3): the column sums of one row
    dw[l] = d.flatMap((dj) => prev.map((ak) => dj * ak)); // (4): Δᵀ·A, an outer product for one sample
    if (l > 1) {
      const W = weights[l - 1]!;
      fprime[l - 1] = z[l - 1]!.map((v) => (v > 0 ? 1 : 0));
      delta[l - 1] = prev.map((_, k) => d.reduce((s, dj, j) => s + dj * W[j * prev.length + k]!, 0) * fprime[l - 1]![k]!); // (2)
    }
  }
  return { a, z, delta, db, dw, fprime, cost, yhat };
}

/** Checks the page's confusion matrix against float64 predictions of the test set; returns the misclassified samples. */
async function assertConfusion(page: Page, input: HarnessInput, weights: number[][], biases: number[][]): Promise<number[]> {
  const K = input.classes;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const wrong: number[] = [];
  for (let i = 0; i < input.testLabels.length; i++) {
    const x = input.testX.slice(i * input.cols, (i + 1) * input.cols).map((v) => Math.fround(v * input.scale));
    const y = referencePass(weights, biases, x, new Array<number>(K).fill(0)).yhat;
    const p = y.indexOf(Math.max(...y));
    confusion[input.testLabels[i]!]![p]!++;
    if (p !== input.testLabels[i]) wrong.push(i);
  }
  const table = await page.$$eval('[data-testid=confusion] tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => Number(td.textContent))));
  assert.deepEqual(table, confusion, 'the confusion matrix');
  return wrong;
}

/** Every quantity the inspector prints: data-quantity → the numbers as printed. */
async function inspectorQuantities(page: Page): Promise<Map<string, string[]>> {
  const rows = await page.$$eval('[data-testid=inspector] [data-quantity]', (els) =>
    els.map((e) => [e.getAttribute('data-quantity')!, e.tagName === 'OL' ? Array.from(e.children, (li) => li.textContent ?? '') : [(e.textContent ?? '').split('= ').pop()!]] as const),
  );
  const map = new Map<string, string[]>();
  for (const [k, v] of rows) {
    assert.ok(!map.has(k), `quantity ${k} printed twice`);
    map.set(k, [...v]);
  }
  return map;
}

interface Drawn {
  predicted: string;
  p: string[];
}

/**
 * The draw-a-digit canvas driven by the mouse: `stroke` draws through points (page coordinates
 * from `at(u, v)`, u and v in 0..1 across the canvas), `shown` reads the prediction and the
 * probabilities the page prints, `library` recomputes them in Node from the canvas's ink: the
 * downsampled image through the library's predict.
 */
async function drawingPad(page: Page, lib: Network, input: HarnessInput) {
  const canvas = page.getByTestId('draw-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const at = (u: number, v: number): [number, number] => [box.x + u * box.width, box.y + v * box.height];
  const shape = input.imageShape!;
  const rawMax = input.testX.reduce((m, v) => Math.max(m, v), 0) > 16 ? 255 : 16;
  return {
    at,
    ring: (cx: number, cy: number, rx: number, ry: number): [number, number][] =>
      Array.from({ length: 25 }, (_, i) => at(cx + rx * Math.sin((2 * Math.PI * i) / 24), cy - ry * Math.cos((2 * Math.PI * i) / 24))),
    async stroke(points: [number, number][]): Promise<void> {
      await page.mouse.move(...points[0]!);
      await page.mouse.down();
      for (const p of points.slice(1)) await page.mouse.move(...p, { steps: 4 });
      await page.mouse.up();
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    },
    async shown(): Promise<Drawn> {
      const predicted = (await page.getByTestId('draw-prediction').textContent()) ?? '';
      const p = await page.$$eval('[data-testid=draw-probabilities] li', (lis) => lis.map((li) => li.getAttribute('data-p') ?? ''));
      return { predicted, p };
    },
    async library(): Promise<Drawn> {
      const alpha = await canvas.evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        return Array.from({ length: d.length / 4 }, (_, i) => d[4 * i + 3]! / 255);
      });
      const raw = drawingToImage(alpha, 280, 280, shape, rawMax)!;
      const y = lib.predict(new Matrix(1, input.cols, raw.map((v) => v * input.scale))).data;
      const best = Array.from(y).indexOf(Math.max(...y));
      return { predicted: input.classNames?.[best] ?? String(best), p: Array.from(y, formatNumber) };
    },
  };
}

test('views on digits: inspector, drawing, weights, confusion, misclassified', async () => {
  const input = inputs.get('digits')!;
  const { page, problems, weights, biases } = await openHarness('digits');
  await page.waitForSelector('[data-testid=confusion] tbody tr');
  for (const id of ['views', 'weights-images', 'confusion', 'misclassified', 'inspector', 'inspector-sample', 'inspector-step-forward', 'inspector-step-backward', 'draw-canvas', 'draw-clear', 'draw-prediction', 'draw-probabilities']) {
    assert.equal(await page.locator(`[data-testid=${id}]`).count(), 1, `data-testid ${id}`);
  }
  assert.equal(await page.locator('[data-testid=decision-regions]').count(), 0, 'no decision regions for 64 inputs');
  const record = { sizes: input.layers, hidden: 'relu', output: 'softmax', cost: 'cross-entropy', weights: weights.map((w) => Float32Array.from(w)), biases: biases.map((b) => Float32Array.from(b)) };
  const lib = Network.fromRecord(record, new JsKernels());
  const testCount = input.testLabels.length;
  const scaledTest = (i: number) => Float32Array.from(input.testX.slice(i * 64, (i + 1) * 64), (v) => v * input.scale);

  // --- the inspector, stepped by keyboard, then shown in full for sample 17 ---
  const steps = page.locator('[data-testid=inspector] .nv-step');
  assert.equal(await steps.count(), 1);
  await page.getByTestId('inspector-step-forward').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  assert.equal(await steps.count(), 3, 'Enter on "Next step" reveals the next equations');
  await page.getByTestId('inspector-step-backward').click();
  assert.equal(await steps.count(), 2);
  await page.keyboard.press('Enter');
  assert.equal(await steps.count(), 1, 'back at the first step');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'inspector-step-forward', 'the focus moves to "Next step" when "Previous step" is disabled');
  const sample = 17;
  await page.getByTestId('inspector-sample').fill(String(sample));
  await page.getByTestId('inspector-sample').press('Enter');
  await page.getByRole('button', { name: 'Show all steps' }).click();
  assert.equal(await steps.count(), 1 + 2 + 1 + 1 + 2 + 1, 'X, 2 forward layers, C, Δ[2], 2 gradient steps, Δ[1]');
  const shown = await inspectorQuantities(page);
  const t = Array.from({ length: 10 }, (_, k) => (k === input.testLabels[sample] ? 1 : 0));
  const ref = referencePass(weights, biases, Array.from(scaledTest(sample)), t);
  // the library's own values in Node for the same sample, batch of one
  const { x, t: tb } = lib.batchBuffers(1);
  x.set(scaledTest(sample));
  tb.set(t);
  lib.forwardBatch(1, false);
  const libCost = lib.backwardBatch();
  const expected = new Map<string, { truth: number[]; library: ArrayLike<number> }>([
    ['A[0]', { truth: ref.a[0]!, library: x.subarray(0, 64) }],
    ['T', { truth: t, library: t }],
    ['C', { truth: [ref.cost], library: [libCost] }],
  ]);
  for (const l of [1, 2]) {
    const s = lib.layerState(l);
    expected.set(`Z[${l}]`, { truth: ref.z[l]!, library: s.z.data });
    expected.set(`A[${l}]`, { truth: ref.a[l]!, library: s.a.data });
    expected.set(`Δ[${l}]`, { truth: ref.delta[l]!, library: s.delta.data });
    expected.set(`∂C/∂b[${l}]`, { truth: ref.db[l]!, library: lib.layers[l - 1]!.db });
    expected.set(`∂C/∂W[${l}]`, { truth: ref.dw[l]!, library: lib.layers[l - 1]!.dw });
  }
  expected.set('relu′(Z[1])', { truth: ref.fprime[1]!, library: ref.fprime[1]! });
  assert.deepEqual([...shown.keys()].sort(), [...expected.keys()].sort(), 'the quantities the inspector prints');
  let compared = 0;
  for (const [key, { truth, library }] of expected) {
    const printed = shown.get(key)!;
    assert.equal(printed.length, truth.length, `${key}: ${printed.length} numbers printed, expected ${truth.length}`);
    printed.forEach((p, i) => {
      const v = Number(p);
      // 4 significant digits printed; float32 against float64
      assert.ok(Math.abs(v - truth[i]!) <= 6e-4 * Math.abs(truth[i]!) + 2e-6, `${key}[${i}] printed ${p}, the float64 reference gives ${truth[i]}`);
      assert.equal(p, formatNumber(library[i]!), `${key}[${i}] printed ${p}, the library's value is ${library[i]}`);
      compared++;
    });
  }
  assert.ok(compared > 64 + 32 * 64 + 10 * 32, `${compared} numbers compared`);
  const summary = await page.locator('[data-testid=inspector] .nv-summary').textContent();
  assert.match(summary ?? '', new RegExp(`label ${input.testLabels[sample]}, predicted ${ref.yhat.indexOf(Math.max(...ref.yhat))}`));

  // --- the first layer's weights as images: each tile's most positive weight is the map's red end, its most negative the blue end ---
  const tiles = page.locator('[data-testid=weights-images] canvas');
  assert.equal(await tiles.count(), 32);
  for (const unit of [0, 13, 31]) {
    const row = weights[0]!.slice(unit * 64, (unit + 1) * 64);
    const maxAbs = Math.max(...row.map(Math.abs));
    const pixels = await tiles.nth(unit).evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, 8, 8).data));
    const at = (i: number) => pixels.slice(4 * i, 4 * i + 3);
    const big = row.findIndex((w) => Math.abs(w) === maxAbs);
    assert.deepEqual(at(big), row[big]! > 0 ? [178, 24, 43] : [33, 102, 172], `unit ${unit}: weight ${big} (${row[big]}) should have the map's end colour`);
    const small = row.reduce((best, w, i) => (Math.abs(w) < Math.abs(row[best]!) ? i : best), 0);
    assert.ok(at(small).every((c) => c > 200), `unit ${unit}: its smallest |w| is near white`);
  }

  // --- confusion matrix and misclassified samples against predictions recomputed in float64 ---
  const wrong = await assertConfusion(page, input, weights, biases);
  const listed = await page.$$eval('[data-testid=misclassified] [data-sample]', (els) => els.map((e) => Number(e.getAttribute('data-sample'))));
  assert.deepEqual(listed, wrong.slice(0, 60));
  console.log(`# digits harness: test accuracy ${(100 * (1 - wrong.length / testCount)).toFixed(1)}% (${testCount} samples), ${compared} inspector numbers compared`);
  if (wrong.length > 0) {
    await page.locator('[data-testid=misclassified] [data-sample]').first().click();
    assert.equal(await page.getByTestId('inspector-sample').inputValue(), String(wrong[0]), 'a misclassified sample opens in the inspector');
  }

  // --- draw: strokes change the prediction, and the probabilities are the library's for the downsampled drawing ---
  const pad = await drawingPad(page, lib, input);
  assert.equal(await pad.shown().then((d) => d.predicted), '—', 'an empty drawing predicts nothing');
  await pad.stroke([pad.at(0.5, 0.15), pad.at(0.5, 0.85)]);
  const one = await pad.shown();
  assert.deepEqual(one, await pad.library(), 'a vertical stroke: the page shows the library’s probabilities');
  assert.ok(Math.abs(one.p.reduce((s, v) => s + Number(v), 0) - 1) < 0.01, 'the probabilities sum to 1');
  await page.getByTestId('draw').screenshot({ path: join(ARTIFACTS, 'draw-one-stroke.png') });
  await page.getByTestId('draw-clear').click();
  assert.equal(await pad.shown().then((d) => d.predicted), '—');
  await pad.stroke(pad.ring(0.5, 0.5, 0.25, 0.35));
  const zero = await pad.shown();
  assert.deepEqual(zero, await pad.library(), 'a ring: the page shows the library’s probabilities');
  assert.notEqual(zero.predicted, one.predicted, `a ring and a vertical stroke are told apart (both ${one.predicted})`);
  await pad.stroke([pad.at(0.2, 0.5), pad.at(0.8, 0.5)]);
  const crossed = await pad.shown();
  assert.notDeepEqual(crossed.p, zero.p, 'another stroke changes the probabilities');
  const ms = await page.evaluate(() => Array.from({ length: 5 }, () => window.harness.timeUpdate!()));
  console.log(`# views.update with every inspector step shown: ${ms.map((t) => t.toFixed(1)).join(', ')} ms (synchronous part; machine shared)`);
  console.log(`# drawing: vertical stroke → ${one.predicted}, ring → ${zero.predicted}, ring crossed → ${crossed.predicted}`);
  await page.getByTestId('draw').screenshot({ path: join(ARTIFACTS, 'draw-ring.png') });

  // --- screenshots, desktop and phone; nothing wider than a phone ---
  for (const id of ['draw', 'weights-images', 'confusion', 'misclassified', 'inspector']) await page.getByTestId(id).screenshot({ path: join(ARTIFACTS, `digits-${id}.png`) });
  await screenshots(page, 'digits');
  // on the phone, by touch (CDP touch events, as a finger gives them): a stroke draws and predicts, and the page does not scroll under it
  await page.getByTestId('draw-clear').click();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
  const touchPad = await drawingPad(page, lib, input);
  const scrollBefore = await page.evaluate(() => window.scrollY);
  const touchPoints = [touchPad.at(0.5, 0.15), touchPad.at(0.5, 0.4), touchPad.at(0.5, 0.6), touchPad.at(0.5, 0.85)].map(([x, y]) => ({ x, y }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [touchPoints[0]!] });
  for (const p of touchPoints.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const touched = await touchPad.shown();
  assert.notEqual(touched.predicted, '—', 'a finger stroke draws');
  assert.deepEqual(touched, await touchPad.library(), 'a finger stroke: the page shows the library’s probabilities');
  assert.equal(await page.evaluate(() => window.scrollY), scrollBefore, 'the page did not scroll under the finger');
  console.log(`# touch stroke on a phone → ${touched.predicted}`);
  for (const id of ['draw', 'confusion', 'misclassified']) await page.getByTestId(id).screenshot({ path: join(ARTIFACTS, `digits-phone-${id}.png`) });
  const top = await page.getByTestId('inspector').evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
  await page.screenshot({ path: join(ARTIFACTS, 'digits-phone-inspector-top.png'), fullPage: true, clip: { x: 0, y: top, width: 390, height: 1400 } });
  assertClean(problems);
  await page.close();
});

test('views on a 2-D set: decision regions under the data points', async () => {
  const input = inputs.get('circle')!;
  const { page, problems, weights, biases } = await openHarness('circle');
  const regions = page.locator('[data-testid=decision-regions] canvas');
  await page.waitForFunction(() => document.querySelector('[data-testid=decision-regions] canvas[data-ready]') !== null);
  assert.equal(await page.locator('[data-testid=weights-images]').count(), 0, 'no weight images for a 2-D set');
  assert.equal(await page.locator('[data-testid=draw-canvas]').count(), 0, 'no drawing for a 2-D set');
  const size = 480;
  const pixels = await regions.evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data));
  const { xmin, xmax, ymin, ymax } = input.extent!;
  const points = [...input.trainX, ...input.testX];
  const palette = [
    [78, 121, 167],
    [242, 142, 43],
  ];
  const classAt = (u: number, v: number) => {
    const y = referencePass(weights, biases, [u * input.scale, v * input.scale].map(Math.fround), [0, 0]).yhat;
    return { k: y[1]! > y[0]! ? 1 : 0, margin: Math.abs(y[1]! - y[0]!) };
  };
  let checked = 0;
  const seen = new Set<number>();
  for (let gy = 2; gy < 100; gy += 5) {
    for (let gx = 2; gx < 100; gx += 5) {
      const u = xmin + ((gx + 0.5) / 100) * (xmax - xmin);
      const v = ymax - ((gy + 0.5) / 100) * (ymax - ymin);
      const [px, py] = [Math.floor(((gx + 0.5) / 100) * size), Math.floor(((gy + 0.5) / 100) * size)];
      let nearPoint = false;
      for (let i = 0; i < points.length; i += 2) {
        const qx = ((points[i]! - xmin) / (xmax - xmin)) * size;
        const qy = ((ymax - points[i + 1]!) / (ymax - ymin)) * size;
        if (Math.hypot(qx - px, qy - py) < 8) nearPoint = true;
      }
      const here = classAt(u, v);
      // a cell whose neighbours differ in class is blended by the smoothing: skip it, and cells where the network is unsure
      const step = (xmax - xmin) / 100;
      const uniform = [[-1, 0], [1, 0], [0, -1], [0, 1]].every(([dx, dy]) => classAt(u + dx! * step, v + dy! * step).k === here.k);
      if (nearPoint || !uniform || here.margin < 0.1) continue;
      const o = 4 * (py * size + px);
      const rgb = [pixels[o]!, pixels[o + 1]!, pixels[o + 2]!].map((c) => c - 255);
      const cos = palette.map((c) => {
        const d = c.map((x) => x - 255);
        return rgb.reduce((s, x, i) => s + x * d[i]!, 0) / (Math.hypot(...rgb) * Math.hypot(...d) || 1);
      });
      const shownClass = cos[1]! > cos[0]! ? 1 : 0;
      assert.equal(shownClass, here.k, `cell (${gx}, ${gy}) at (${u.toFixed(2)}, ${v.toFixed(2)}): the heat map shows class ${shownClass}, the network predicts ${here.k}`);
      seen.add(here.k);
      checked++;
    }
  }
  assert.ok(checked > 100, `${checked} cells checked`);
  assert.deepEqual([...seen].sort(), [0, 1], 'both classes appear in the heat map');
  // data points are drawn over the heat map: the centre of a test point has its class colour
  const [tx, ty] = [input.testX[0]!, input.testX[1]!];
  const o = 4 * (Math.floor(((ymax - ty) / (ymax - ymin)) * size) * size + Math.floor(((tx - xmin) / (xmax - xmin)) * size));
  const centre = [pixels[o]!, pixels[o + 1]!, pixels[o + 2]!];
  assert.ok(centre.every((c, i) => Math.abs(c - palette[input.testLabels[0]!]![i]!) < 40), `the first test point is drawn in its class colour (got ${centre})`);
  console.log(`# circle harness: ${checked} heat-map cells agree with the float64 forward pass`);
  await screenshots(page, 'circle');
  assertClean(problems);
  await page.close();
});

test('views on Fashion-MNIST: 28 × 28 weight images, misclassified images, drawing centred by mass', async () => {
  const input = inputs.get('fashion-mnist')!;
  const { page, problems, weights, biases } = await openHarness('fashion-mnist');
  await page.waitForSelector('[data-testid=confusion] tbody tr');
  const tiles = page.locator('[data-testid=weights-images] canvas');
  assert.equal(await tiles.count(), 32);
  assert.deepEqual(await tiles.first().evaluate((c: HTMLCanvasElement) => [c.width, c.height]), [28, 28]);
  const missed = page.locator('[data-testid=misclassified] [data-sample] canvas');
  assert.ok((await missed.count()) > 0, 'a 5-epoch network misclassifies some test images');
  assert.deepEqual(await missed.first().evaluate((c: HTMLCanvasElement) => [c.width, c.height]), [28, 28]);
  const head = await page.$$eval('[data-testid=confusion] thead th', (ths) => ths.slice(1).map((th) => th.getAttribute('aria-label')));
  assert.deepEqual(head, [...FASHION_MNIST_CLASSES], 'the confusion matrix’s columns are labelled with the class names');
  const rows = await page.$$eval('[data-testid=confusion] tbody th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(rows, FASHION_MNIST_CLASSES.map((c, k) => `${k} ${c}`), 'and its rows');

  // the inspector on 784 inputs: the 32 × 784 ∂C/∂W[1] is summarised (largest entries), not listed
  await page.getByRole('button', { name: 'Show all steps' }).click();
  const shown = await inspectorQuantities(page);
  assert.equal(shown.get('A[0]')!.length, 784);
  assert.equal(shown.has('∂C/∂W[1]'), false, 'no list of 25,088 numbers');
  assert.equal(shown.get('∂C/∂W[2]')!.length, 320);
  assert.match((await page.locator('[data-testid=inspector]').textContent()) ?? '', /largest \|∂C\/∂W\[1\]\|: \[\d+,\d+\]/);

  const record = { sizes: input.layers, hidden: 'relu', output: 'softmax', cost: 'cross-entropy', weights: weights.map((w) => Float32Array.from(w)), biases: biases.map((b) => Float32Array.from(b)) };
  const lib = Network.fromRecord(record, new JsKernels());
  const pad = await drawingPad(page, lib, input);
  // trousers: two long legs
  await pad.stroke([pad.at(0.35, 0.1), pad.at(0.3, 0.9)]);
  await pad.stroke([pad.at(0.65, 0.1), pad.at(0.7, 0.9)]);
  await pad.stroke([pad.at(0.35, 0.1), pad.at(0.65, 0.1)]);
  const legs = await pad.shown();
  assert.deepEqual(legs, await pad.library(), 'the page shows the library’s probabilities for the 28 × 28 image the drawing becomes');
  await page.getByTestId('draw').screenshot({ path: join(ARTIFACTS, 'fashion-draw.png') });
  await page.getByTestId('confusion').screenshot({ path: join(ARTIFACTS, 'fashion-confusion.png') });
  await pad.stroke(pad.ring(0.5, 0.5, 0.4, 0.3));
  const more = await pad.shown();
  assert.deepEqual(more, await pad.library());
  assert.notDeepEqual(more.p, legs.p, 'another stroke changes the probabilities');
  console.log(`# fashion drawing: two legs → ${legs.predicted}, with a ring → ${more.predicted}`);
  await screenshots(page, 'fashion');
  assertClean(problems);
  await page.close();
});

test('views on a table of features (iris): confusion matrix and misclassified rows, no image views', async () => {
  const input = inputs.get('iris')!;
  const { page, problems, weights, biases } = await openHarness('iris');
  await page.waitForSelector('[data-testid=confusion] tbody tr');
  for (const id of ['weights-images', 'decision-regions', 'draw-canvas']) assert.equal(await page.locator(`[data-testid=${id}]`).count(), 0, `no ${id} for 4 features`);
  const count = input.testLabels.length;
  const wrong = await assertConfusion(page, input, weights, biases);
  const rows = await page.$$eval('[data-testid=misclassified] [data-sample]', (els) => els.map((e) => [Number(e.getAttribute('data-sample')), e.textContent ?? ''] as const));
  assert.deepEqual(rows.map(([i]) => i), wrong);
  for (const [i, text] of rows) {
    const raw = input.testX.slice(i * 4, i * 4 + 4).map((v) => formatNumber(Math.fround(v)));
    assert.ok(text.includes(raw.join(', ')), `row of sample ${i} shows its raw features ${raw.join(', ')}: ${text}`);
    assert.ok(text.includes(`${input.classNames![input.testLabels[i]!]} → `), `row of sample ${i} names its true class: ${text}`);
  }
  console.log(`# iris harness: ${wrong.length} of ${count} test samples misclassified`);
  await screenshots(page, 'iris');
  assertClean(problems);
  await page.close();
});
