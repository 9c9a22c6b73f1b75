/**
 * The ONNX export runs in a browser: the main entry point bundled for the browser by esbuild (which
 * fails on any Node built-in) and loaded into Debian's headless Chromium encodes a model to the
 * same bytes as Node does, and those bytes run in ONNX Runtime like `nabla predict`.
 *
 * Needs /usr/bin/chromium (`.ci/run` installs it); without it the test fails and says so.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { browserPlatform } from '../../scripts/browser-platform.mjs';
import { networkFromRecord, networkToRecord } from '../../src/io/network-record.js';
import { encodeOnnx } from '../../src/io/onnx.js';
import { Network } from '../../src/nn/network.js';
import { Matrix } from '../../src/tensor/matrix.js';
import { maxScaledError } from '../helpers/approx.js';
import { runOnnx } from '../helpers/onnx-runtime.js';
import { launchChromium } from '../report/chromium.js';

test('encodeOnnx in Chromium gives the bytes it gives in Node, and they run in ONNX Runtime', async () => {
  const bundle = await build({ entryPoints: [resolve('src/index.ts')], bundle: true, platform: 'browser', format: 'iife', globalName: 'nabla', write: false, logLevel: 'silent', plugins: [browserPlatform] });
  const record = networkToRecord(Network.create([5, 8, 3], { hidden: 'swish', output: 'softmax', seed: 4 }), {
    scaling: { kind: 'standard', shift: Float32Array.from([1, -2, 3, 0.5, 10]), scale: Float32Array.from([0.5, 2, 0.25, 1, 0.1]) },
    task: 'classification',
    classNames: ['a', 'b', 'c'],
  });
  const plain = JSON.parse(JSON.stringify(record, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v))) as Record<string, unknown>;

  const work = mkdtempSync(join(tmpdir(), 'nabla-onnx-browser-'));
  const context = await launchChromium(join(work, 'profile'));
  let fromBrowser: number[];
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!doctype html><title>onnx</title>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    // (no named functions inside: tsx would wrap them in a helper the page does not have)
    fromBrowser = await page.evaluate((r) => {
      const g = globalThis as unknown as { nabla: { encodeOnnx(m: unknown, o: unknown): Uint8Array } };
      const scaling = r.scaling as { kind: string; shift: number[]; scale: number[] };
      const model = {
        ...r,
        weights: (r.weights as number[][]).map((a) => Float32Array.from(a)),
        biases: (r.biases as number[][]).map((a) => Float32Array.from(a)),
        scaling: { kind: scaling.kind, shift: Float32Array.from(scaling.shift), scale: Float32Array.from(scaling.scale) },
      };
      return Array.from(g.nabla.encodeOnnx(model, { producerVersion: 'browser-test' }));
    }, plain);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], 'the page made no request');
  } finally {
    await context.close();
    rmSync(work, { recursive: true, force: true });
  }
  const fromNode = encodeOnnx(record, { producerVersion: 'browser-test' });
  assert.ok(fromNode.length > 200);
  assert.deepEqual(Uint8Array.from(fromBrowser), fromNode);

  const rows = Array.from({ length: 100 }, (_, i) => [i % 3, -(i % 5), (i * 7) % 11, 0.5, 10 + (i % 4)]);
  const x = Float32Array.from(rows.flat());
  const { data } = await runOnnx(Uint8Array.from(fromBrowser), x, 100, 5);
  const scaled = x.map((v, i) => (v - record.scaling!.shift[i % 5]!) * record.scaling!.scale[i % 5]!);
  const expected = networkFromRecord(record).predict(new Matrix(100, 5, scaled)).data;
  assert.ok(maxScaledError(data, expected) <= 1e-5);
});
