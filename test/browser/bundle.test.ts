/**
 * The library as a web developer gets it: test/browser/app.js (the README's ten lines) and
 * readers-app.js import 'nabla' and 'nabla/data/…', are bundled by esbuild for the browser through
 * package.json's exports and imports conditions (the package as published: src/ transpiled to
 * dist/src/, no externals, no plugins), served by node:http on 127.0.0.1 with and without the
 * cross-origin isolation headers and behind content security policies, and run in headless
 * Chromium. The truth is Node: the same seeded run gives the same model bytes, bit for bit; the
 * readers give what the file readers give.
 *
 * Needs /usr/bin/chromium (`.ci/run` installs it); without it the test fails and says so.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import { readCsv } from '../../src/data/csv-node.js';
import type { Dataset } from '../../src/data/dataset.js';
import { readIdxPair } from '../../src/data/idx-node.js';
import { breastCancer } from '../../src/data/sets/breast-cancer.js';
import { digits } from '../../src/data/sets/digits.js';
import { iris } from '../../src/data/sets/iris.js';
import { applyScaling, fitScaling } from '../../src/data/scaling.js';
import { splitDataset } from '../../src/data/split.js';
import { encodeModel } from '../../src/io/model-format.js';
import { networkToRecord } from '../../src/io/network-record.js';
import { JsKernels } from '../../src/kernels/js.js';
import type { Kernels } from '../../src/kernels/kernels.js';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';
import { Network } from '../../src/nn/network.js';
import { fit } from '../../src/train/fit.js';
import { evaluate } from '../../src/train/metrics.js';
import { repo } from '../cli/run-cli.js';
import { idxBytes } from '../data/helpers.js';
import { launchChromium } from '../report/chromium.js';

const work = mkdtempSync(join(tmpdir(), 'nabla-bundle-'));
let context: BrowserContext | undefined;
const bundles: Record<string, string> = {};
let metafile: Metafile | undefined;

/** Every .ts file under `dir`. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

before(async () => {
  // The package as npm would ship it: dist/src/**/*.js beside package.json (transpiled, not bundled).
  const pkg = join(work, 'node_modules', 'nabla');
  await build({ entryPoints: tsFiles(join(repo, 'src')), outbase: join(repo, 'src'), outdir: join(pkg, 'dist', 'src'), format: 'esm', platform: 'neutral', logLevel: 'error' });
  cpSync(join(repo, 'package.json'), join(pkg, 'package.json'));
  // Beside it, its dependencies as npm would install them.
  const { dependencies = {} } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(dependencies)) symlinkSync(join(repo, 'node_modules', dep), join(work, 'node_modules', dep));
  const app = join(work, 'app');
  mkdirSync(app);
  symlinkSync(join(work, 'node_modules'), join(app, 'node_modules'));
  for (const f of ['app.js', 'readers-app.js']) cpSync(join(repo, 'test', 'browser', f), join(app, f));
  const result = await build({
    entryPoints: [join(app, 'app.js'), join(app, 'readers-app.js')],
    absWorkingDir: app,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: join(app, 'out'),
    metafile: true,
    logLevel: 'error',
  });
  metafile = result.metafile;
  for (const f of ['app.js', 'readers-app.js']) bundles[f] = readFileSync(join(app, 'out', f), 'utf8');
  context = await launchChromium(join(work, 'profile'));
});

after(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** Serves the bundles, a page per bundle and the data files on 127.0.0.1 with `headers` on every response. */
async function serve(headers: Record<string, string>, files: Record<string, Uint8Array> = {}): Promise<{ url: string; server: Server }> {
  const page = (script: string): string => `<!doctype html><meta charset="utf-8"><title>nabla</title><link rel="icon" href="data:,"><body><script type="module" src="/${script}"></script>`;
  const routes: Record<string, [string, string | Uint8Array]> = {
    '/': ['text/html', page('app.js')],
    '/readers.html': ['text/html', page('readers-app.js')],
    '/app.js': ['text/javascript', bundles['app.js']!],
    '/readers-app.js': ['text/javascript', bundles['readers-app.js']!],
  };
  for (const [path, bytes] of Object.entries(files)) routes[path] = ['application/octet-stream', bytes];
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': route[0], ...headers }).end(route[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface AppResult {
  backend: string;
  threads: number;
  reason: string | null;
  accuracy: number;
  model: number[];
  forced: string;
  text: string;
  epochMs: number[];
}

/** Opens `path` of a server with `headers`, waits for the page's result; console errors and failed requests are collected. */
async function run<T>(
  headers: Record<string, string>,
  path = '/',
  files: Record<string, Uint8Array> = {},
): Promise<{ result: T; errors: string[]; isolated: boolean; cores: number }> {
  const { url, server } = await serve(headers, files);
  const page = await context!.newPage();
  const errors: string[] = [];
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('request', (r) => (r.url().startsWith(`${url}/`) || /^(data|blob):/.test(r.url()) ? undefined : errors.push(`request outside the server: ${r.url()}`)));
  try {
    const threw = new Promise<never>((_, reject) => page.on('pageerror', (e) => reject(new Error(`the page threw: ${e.message}`))));
    await page.goto(url + path);
    threw.catch(() => {}); // an error after the result is in `errors` too
    await Promise.race([page.waitForFunction(() => 'nablaResult' in globalThis, undefined, { timeout: 120_000 }), threw]);
    const result = (await page.evaluate(() => (globalThis as { nablaResult?: unknown }).nablaResult)) as T;
    const [isolated, cores] = await page.evaluate(() => [crossOriginIsolated, navigator.hardwareConcurrency] as const);
    return { result, errors, isolated, cores };
  } finally {
    await page.close();
    server.close();
  }
}

/** The ten-line app's run in Node on `kernels`: the model bytes the page must reproduce. */
async function nodeRun(kernels: Kernels): Promise<{ model: number[]; accuracy: number; epochMs: number[] }> {
  const { train, test: held } = splitDataset(digits(), 0.2, 1);
  const scaling = fitScaling(train, 'minmax');
  const net = Network.create([64, 32, 10], { kernels, seed: 1 });
  const { history } = await fit(net, applyScaling(train, scaling), { epochs: 15, batchSize: 32, seed: 1 });
  const { accuracy } = evaluate(net, applyScaling(held, scaling));
  kernels.dispose?.();
  return { model: Array.from(encodeModel(networkToRecord(net, { scaling }))), accuracy: accuracy!, epochMs: history.epochs.map((e) => 1000 * e.seconds) };
}

test('the bundle reaches no Node built-in and no Node-only file: #platform resolved through the browser condition', (t) => {
  const inputs = Object.keys(metafile!.inputs);
  assert.ok(inputs.some((f) => f.endsWith('platform/platform-browser.js')), 'the browser platform is bundled');
  assert.ok(inputs.some((f) => f.endsWith('kernels/wasm/pool.js')), 'the wasm thread pool is bundled');
  assert.deepEqual(inputs.filter((f) => /-node\.js$|^node:/.test(f)), []);
  assert.ok(!/worker_threads|node:/.test(bundles['app.js']!), 'no Node module name in the bundle');
  const app = Buffer.from(bundles['app.js']!);
  t.diagnostic(`app.js (ten lines + digits + wasm kernels): ${app.length} bytes minified, ${gzipSync(app).length} gzipped`);
  const largest = Object.entries(metafile!.outputs[Object.keys(metafile!.outputs).find((o) => o.endsWith('app.js') && !o.endsWith('readers-app.js'))!]!.inputs)
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, 4)
    .map(([f, i]) => `${f.replace(/^.*node_modules\/nabla\//, '')} ${i.bytesInOutput}`);
  t.diagnostic(`app.js, its largest parts (bytes): ${largest.join(', ')}`);
  const readers = Buffer.from(bundles['readers-app.js']!);
  t.diagnostic(`readers-app.js (readers, iris, breast-cancer, model files, report with Chart.js): ${readers.length} bytes minified, ${gzipSync(readers).length} gzipped`);
});

test("the README's web-page example is test/browser/app.js, line for line", () => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const example = /## In a web page[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  const app = readFileSync(join(repo, 'test', 'browser', 'app.js'), 'utf8');
  assert.ok(example, 'the README has a js example under "In a web page"');
  assert.equal(example.trim().split('\n').length, 10, 'ten lines');
  assert.ok(app.includes(example), 'app.js holds the README example verbatim');
});

test('cross-origin isolated: the ten-line app picks wasm on every core (2 here) and trains the same model as Node, bit for bit', async (t) => {
  const { result, errors, isolated, cores } = await run<AppResult>(ISOLATION);
  assert.deepEqual(errors, []);
  assert.equal(isolated, true);
  assert.equal(result.backend, 'wasm');
  assert.equal(result.threads, cores);
  assert.ok(result.threads >= 2, `threads ${result.threads}: the machine has ${cores} cores`);
  assert.equal(result.reason, null);
  assert.equal(result.forced, 'wasm × 2 threads');
  t.diagnostic(`the page says: ${result.text}`);
  const node = await nodeRun(await WasmKernels.create({ threads: 2 }));
  assert.ok(node.accuracy > 0.9, `accuracy ${node.accuracy}`);
  assert.equal(result.accuracy, node.accuracy);
  assert.deepEqual(result.model, node.model);
  const median = (a: number[]): string => [...a].sort((x, y) => x - y)[a.length >> 1]!.toFixed(1);
  t.diagnostic(`digits 64/32/10, batch 32, median ms per epoch (a shared machine): page ${median(result.epochMs)}, Node ${median(node.epochMs)}`);
});

test('not isolated: wasm × 1 thread, the reason names the missing headers, a forced 2 threads is an error; same model as Node', async () => {
  const { result, errors, isolated } = await run<AppResult>({});
  assert.deepEqual(errors, []);
  assert.equal(isolated, false);
  assert.equal(result.backend, 'wasm');
  assert.equal(result.threads, 1);
  assert.match(result.reason ?? '', /not cross-origin isolated .*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
  assert.match(result.text, /^wasm × 1 thread \(the page is not cross-origin isolated/);
  assert.match(result.forced, /^NablaError: wasm backend: 2 threads cannot start: the page is not cross-origin isolated/);
  assert.deepEqual(result.model, (await nodeRun(await WasmKernels.create({ threads: 1 }))).model);
});

test("a content security policy without 'wasm-unsafe-eval': the js backend, with that reason; same model as Node's js backend", async () => {
  const { result, isolated } = await run<AppResult>({ ...ISOLATION, 'Content-Security-Policy': "script-src 'self'" });
  assert.equal(isolated, true);
  assert.equal(result.backend, 'js');
  assert.equal(result.reason, "the page's content security policy blocks WebAssembly (script-src needs 'wasm-unsafe-eval')");
  assert.match(result.forced, /^NablaError: wasm backend: the page's content security policy blocks WebAssembly/);
  assert.deepEqual(result.model, (await nodeRun(new JsKernels())).model);
});

test('a content security policy without worker-src blob:: wasm × 1 thread, with that reason', async () => {
  const { result, isolated } = await run<AppResult>({ ...ISOLATION, 'Content-Security-Policy': "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'" });
  assert.equal(isolated, true);
  assert.equal(result.backend, 'wasm');
  assert.equal(result.threads, 1);
  assert.match(result.reason ?? '', /workers from blob: URLs are blocked \(the page's content security policy needs worker-src blob:\)/);
  assert.match(result.forced, /^NablaError: wasm backend: .*worker-src blob:/);
});

interface Contents {
  count: number;
  inputSize: number;
  classNames: string[];
  labels: number[];
  inputs: number[];
}

function contents(ds: Dataset): Contents {
  const out = new Float32Array(ds.count * ds.inputSize);
  ds.gatherInputs(Int32Array.from({ length: ds.count }, (_, i) => i), out);
  return { count: ds.count, inputSize: ds.inputSize, classNames: [...(ds.classNames ?? [])], labels: Array.from(ds.labels ?? []), inputs: Array.from(out) };
}

test('in the page: CSV and IDX bytes (gzip through DecompressionStream), the embedded data sets, model files and the report, as in Node', async () => {
  const labels = [7, 2, 1, 0, 4, 1];
  const images = idxBytes([labels.length, 5, 4], labels.flatMap((l, i) => Array.from({ length: 20 }, (_, p) => (31 * i + 11 * p + l) % 256)));
  const labelBytes = idxBytes([labels.length], labels);
  const files = { '/data/digits.csv.gz': readFileSync(join(repo, 'data', 'digits.csv.gz')), '/idx/images.gz': gzipSync(images), '/idx/labels': labelBytes };
  const { result, errors } = await run<{
    csv: Contents;
    idx: Contents;
    iris: Contents;
    breastCancer: Contents;
    model: { sizes: number[]; weights: number[][] };
    weights: number[][];
    report: { length: number; hasChart: boolean; title: string | null };
  }>(ISOLATION, '/readers.html', files);
  assert.deepEqual(errors, []);
  assert.deepEqual(result.csv, contents(readCsv(join(repo, 'data', 'digits.csv.gz'), { header: false, task: 'classification' })));
  const dir = mkdtempSync(join(work, 'idx-'));
  writeFileSync(join(dir, 'images.gz'), gzipSync(images));
  writeFileSync(join(dir, 'labels'), labelBytes);
  assert.deepEqual(result.idx, { ...contents(readIdxPair(join(dir, 'images.gz'), join(dir, 'labels'))), classNames: result.idx.classNames });
  assert.deepEqual(result.idx.labels, labels);
  assert.deepEqual(result.iris, contents(iris()));
  assert.deepEqual(result.breastCancer, contents(breastCancer()));
  assert.equal(result.iris.count, 150);
  assert.equal(result.breastCancer.count, 569);
  assert.deepEqual(result.model.sizes, [4, 5, 3]);
  assert.deepEqual(result.model.weights, result.weights, 'decodeModel(encodeModel(net)) gives the weights back');
  assert.ok(result.report.hasChart, 'the report inlines Chart.js');
  assert.ok(result.report.length > 200_000, `report of ${result.report.length} characters`);
  assert.match(result.report.title ?? '', /4\/5\/3/);
});
