/**
 * The playground end to end in Debian's headless Chromium (playwright-core): built with
 * scripts/build-playground.mjs, served by `nabla playground` (cross-origin isolated) and by a plain
 * static server without the isolation headers. Every request must stay on the local server and
 * succeed, with no console error. The digits run's model must be byte for byte the one
 * `nabla train` writes with the same flags, and its test accuracy the one the CLI prints; the
 * page's main thread must never run a task over 50 ms while training (Long Tasks, measured in
 * the page; a run with one is repeated once, and the repeat must have none). Screenshots at desktop and phone sizes go to test-artifacts/.
 *
 * Needs /usr/bin/chromium (`.ci/run` installs it); without it the test fails and says so.
 *
 * Named *.alone.test.ts: `npm test` runs it after the rest, by itself. The stall bound is about the
 * page, and a page whose two training threads and main thread share two cores with another test
 * file's Chromium measures that file's load (tasks stretched to 60–75 ms), not its own work.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { nabla, repo, tempDir } from '../cli/run-cli.js';
import { launchChromium } from '../report/chromium.js';

const ARTIFACTS = resolve(repo, 'test-artifacts');
const work = mkdtempSync(join(tmpdir(), 'nabla-playground-'));
const built = join(repo, 'dist', 'playground');
const tsx = import.meta.resolve('tsx');
let context: BrowserContext | undefined;
let cli: ChildProcess | undefined;
let isolatedUrl = '';
let plain: Server | undefined;
let plainUrl = '';

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const b = spawnSync(process.execPath, [join(repo, 'scripts', 'build-playground.mjs'), built], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  cli = spawn(process.execPath, ['--import', tsx, join(repo, 'src', 'cli', 'run.ts'), 'playground'], { cwd: work });
  isolatedUrl = await new Promise<string>((res, rej) => {
    let out = '';
    cli!.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) res(m[0]);
    });
    cli!.once('exit', (code) => rej(new Error(`nabla playground exited with ${code}: ${out}`)));
  });
  // A static host: the same files, no isolation headers.
  plain = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(built, path === '/' ? 'index.html' : path);
    try {
      const type = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' }[extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => plain!.listen(0, '127.0.0.1', r));
  const address = plain.address();
  plainUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  context = await launchChromium(join(work, 'profile'));
});

after(async () => {
  await context?.close();
  cli?.kill();
  plain?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Opens `url`, failing on any request off `origin`, any failed request or response ≥ 400, and any console error. */
async function open(url: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const page = await context!.newPage();
  await page.setViewportSize(viewport);
  const origin = new URL(url).origin;
  const problems: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`request off the local server: ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  return { page, problems };
}

const text = async (page: Page, id: string): Promise<string> => (await page.textContent(`[data-testid="${id}"]`))?.trim() ?? '';

async function waitForState(page: Page, states: string[], timeout = 240_000): Promise<string> {
  await page.waitForFunction((s) => s.includes(document.querySelector('[data-testid="state"]')?.textContent ?? ''), states, { timeout });
  return text(page, 'state');
}

function tensors(bytes: Uint8Array): Record<string, string> {
  const { tensors: t } = decodeSafetensors(bytes, 'model');
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, `${v.dtype} ${v.shape.join('x')} ${Buffer.from(v.bytes).toString('hex')}`]));
}

test('with no epochs the page trains until converged, as `nabla train` does: the same weights, the same stop message, ≥ 95% on the held-out digits', async () => {
  const dir = tempDir();
  const train = nabla(['train', '--data', 'digits', '--layers', '64/32/10', '--seed', '1', '--out', 'm.safetensors'], dir);
  assert.equal(train.status, 0, train.stderr);
  const cliAccuracy = /Test: \d+ \/ \d+ correct \(([\d.]+)%\)/.exec(train.stdout)?.[1];
  const stop = /^converged after .*$/m.exec(train.stdout)?.[0];
  assert.ok(cliAccuracy && stop, train.stdout);

  const { page, problems } = await open(`${isolatedUrl}?data=digits&layers=64/32/10&seed=1&run=1`);
  assert.equal(await waitForState(page, ['done', 'error']), 'done', await text(page, 'message'));
  assert.equal(await text(page, 'test-accuracy'), `${cliAccuracy}%`);
  assert.ok(Number(cliAccuracy) >= 95, `test accuracy ${cliAccuracy}%`);
  assert.equal(await text(page, 'message'), stop);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-model"]')]);
  const saved = join(dir, 'page.safetensors');
  await download.saveAs(saved);
  assert.deepEqual(tensors(readFileSync(saved)), tensors(readFileSync(join(dir, 'm.safetensors'))));
  assert.deepEqual(problems, []);
  await page.close();
});

test('served by `nabla playground`: isolated, wasm on every core, digits 64/32/10 trains to the CLI\'s very weights without stalling the page', async () => {
  const dir = tempDir();
  const train = nabla(['train', '--data', 'digits', '--layers', '64/32/10', '--epochs', '15', '--seed', '1', '--out', 'm.safetensors'], dir);
  assert.equal(train.status, 0, train.stderr);
  const cliAccuracy = /Test: \d+ \/ \d+ correct \(([\d.]+)%\)/.exec(train.stdout)?.[1];
  assert.ok(cliAccuracy, train.stdout);

  const url = `${isolatedUrl}?data=digits&layers=64/32/10&epochs=15&seed=1&run=1`;
  let { page, problems } = await open(url);
  assert.equal(await waitForState(page, ['done', 'error']), 'done', await text(page, 'message'));
  const longest = (): Promise<number> => page.evaluate(() => (globalThis as unknown as { nablaPage: { stalls: { longestTask(): number } } }).nablaPage.stalls.longestTask());
  let longestTask = await longest();
  if (longestTask > 50) {
    // A page that blocks its main thread while training does so on every run; a lone long task
    // can be the machine's (a 2-core VM descheduling the browser). The page runs again, fresh.
    process.stdout.write(`# playground: a ${longestTask.toFixed(0)} ms main-thread task in the first run; running it again\n`);
    await page.close();
    ({ page, problems } = await open(url));
    assert.equal(await waitForState(page, ['done', 'error']), 'done', await text(page, 'message'));
    longestTask = await longest();
  }
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.ok(cores >= 2, `this check needs ≥ 2 cores, Chromium reports ${cores}`);
  assert.equal(await text(page, 'backend'), `wasm × ${cores}`);
  assert.equal(await text(page, 'epoch'), '15 / 15');
  // The same model as the CLI's, so the same test accuracy on the same held-out 359 digits.
  assert.equal(await text(page, 'test-accuracy'), `${cliAccuracy}%`);
  assert.ok(Number(cliAccuracy) >= 94, `test accuracy ${cliAccuracy}%`);
  assert.ok(longestTask <= 50, `the main thread ran a task of ${longestTask.toFixed(0)} ms while training (in two runs)`);

  await page.waitForTimeout(300); // the chart worker redraws at most every 100 ms
  await page.screenshot({ path: join(ARTIFACTS, 'playground-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-model"]')]);
  const saved = join(dir, 'page.safetensors');
  await download.saveAs(saved);
  assert.deepEqual(tensors(readFileSync(saved)), tensors(readFileSync(join(dir, 'm.safetensors'))));
  const [report] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-report"]')]);
  const reportFile = join(dir, 'page.html');
  await report.saveAs(reportFile);
  const html = readFileSync(reportFile, 'utf8');
  assert.match(html, /<html/);
  assert.match(html, /64\/32\/10|64 → 32 → 10|64–32–10/);
  assert.ok(statSync(reportFile).size > 100_000, 'the report inlines Chart.js');

  const seconds = await page.evaluate(() => (globalThis as unknown as { nablaPage: { epochSeconds(): number[] } }).nablaPage.epochSeconds());
  process.stdout.write(`# playground digits 64/32/10: ${(seconds.reduce((a, b) => a + b, 0) / seconds.length).toFixed(4)} s per epoch in the page; longest main-thread task while training ${longestTask.toFixed(0)} ms\n`);
  // A model file trained by `nabla train` loads for inspection.
  await page.setInputFiles('[data-testid="load-model"]', join(dir, 'm.safetensors'));
  await page.waitForFunction(() => /Loaded m\.safetensors \(64\/32\/10\)/.test(document.querySelector('[data-testid="message"]')?.textContent ?? ''));

  assert.deepEqual(problems, []);
  await page.close();
});

test('pause, step (button and key) and resume from the page: one mini-batch per step, then on to the end; settings go to the URL by their flag names', async () => {
  const { page, problems } = await open(`${isolatedUrl}?data=iris&epochs=3`);
  await waitForState(page, ['idle']);
  await page.fill('[data-testid="setting-lr"]', '0.01');
  await page.press('[data-testid="setting-lr"]', 'Tab');
  await page.selectOption('[data-testid="setting-optimizer"]', 'nesterov');
  await page.waitForFunction(() => location.search.includes('optimizer=nesterov'));
  assert.deepEqual(Object.fromEntries(new URL(page.url()).searchParams), { data: 'iris', epochs: '3', lr: '0.01', optimizer: 'nesterov' });
  await waitForState(page, ['idle']);
  await page.click('[data-testid="step"]');
  await page.waitForFunction(() => /batch 1 of/.test(document.querySelector('[data-testid="epoch"]')?.textContent ?? ''));
  assert.equal(await text(page, 'state'), 'paused');
  await page.click('h1');
  await page.keyboard.press('s'); // the same step from the keyboard
  await page.waitForFunction(() => /batch 2 of/.test(document.querySelector('[data-testid="epoch"]')?.textContent ?? ''));
  await page.click('[data-testid="play"]');
  assert.equal(await waitForState(page, ['done', 'error']), 'done', await text(page, 'message'));
  assert.equal(await text(page, 'epoch'), '3 / 3');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the static build served without isolation headers trains on one thread and says why', async () => {
  const { page, problems } = await open(`${plainUrl}?data=iris&epochs=3&run=1`);
  assert.equal(await waitForState(page, ['done', 'error']), 'done', await text(page, 'message'));
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  assert.equal(await text(page, 'backend'), 'wasm × 1');
  assert.match(await text(page, 'backend-reason'), /not cross-origin isolated/);
  assert.deepEqual(problems, []);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(ARTIFACTS, 'playground-static-phone.png'), fullPage: false });
  await page.close();
});

test('the other data sources: 10,000 MNIST digits, a spiral with a hidden activation per layer, a CSV dropped in', async () => {
  const { page, problems } = await open(`${isolatedUrl}?data=mnist&epochs=1&run=1`);
  assert.equal(await waitForState(page, ['done', 'error']), 'done', await text(page, 'message'));
  assert.match(await text(page, 'data-summary'), /mnist: 8,000 training and 2,000 test samples of 784 inputs/);
  assert.ok(parseFloat(await text(page, 'test-accuracy')) > 80, await text(page, 'test-accuracy'));
  assert.match(await text(page, 'data-credit'), /LeCun.*CC BY-SA 3\.0/);

  await page.goto(`${isolatedUrl}?data=spiral&samples=300&noise=0.1&layers=8/8&hidden-activation=tanh,relu&epochs=5&run=1`);
  assert.equal(await waitForState(page, ['done', 'error']), 'done', await text(page, 'message'));
  assert.match(await text(page, 'data-summary'), /spiral: 240 training and 60 test samples of 2 inputs, binary/);

  // XOR of two features as a CSV file, label last: 4 corners × 10 copies.
  const rows = Array.from({ length: 40 }, (_, i) => [i % 2, (i >> 1) % 2]).map(([a, b]) => `${a},${b},${a! ^ b!}`);
  await page.setInputFiles('[data-testid="data-file"]', { name: 'xor.csv', mimeType: 'text/csv', buffer: Buffer.from(`x1,x2,y\n${rows.join('\n')}\n`) });
  await page.waitForFunction(() => /xor\.csv: 32 training and 8 test samples of 2 inputs, binary/.test(document.querySelector('[data-testid="data-summary"]')?.textContent ?? ''));
  await page.click('[data-testid="play"]');
  assert.equal(await waitForState(page, ['done', 'error']), 'done', await text(page, 'message'));
  assert.deepEqual(problems, []);
  await page.close();
});
