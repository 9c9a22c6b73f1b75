import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCharts, ema, emaSpan, MAX_STEP_POINTS, thinMinMax } from '../../src/report/charts.js';
import { escapeHtml, formatNumber, formatPercent, formatSeconds, formatTimestamp, jsonForScript } from '../../src/report/html.js';
import { renderReport } from '../../src/report/render.js';
import type { History } from '../../src/train/history.js';
import { syntheticClassification, syntheticRegression } from './fixture.js';

/** The parsed content of `<script type="application/json" id="…">` in `html`. */
function embeddedJson(html: string, id: string): unknown {
  const m = new RegExp(`<script type="application/json" id="${id}">([^]*?)</script>`).exec(html);
  assert.ok(m, `no #${id} script block`);
  return JSON.parse(m[1]!);
}

const HOSTILE = `nabla train "my data.csv" --name '<img src=x onerror=alert(1)>' </script><script>alert(2)</script> & <!-- x`;

test('command lines and class names with < & " \' are escaped in the markup and the embedded JSON', () => {
  const history = syntheticClassification({ command: HOSTILE, classNames: ['<b>zero</b>', 'a & b', '"quoted"', "it's", '4', '5', '6', '7', '8', '</script>'] });
  const html = renderReport(history);
  // The only script elements are the four the report writes: two JSON blocks, Chart.js, the page script.
  assert.equal((html.match(/<script\b/gi) ?? []).length, 4);
  assert.equal((html.match(/<\/script/gi) ?? []).length, 4);
  assert.ok(!html.includes('<img src=x'), 'raw <img> from the command line reached the page');
  assert.ok(!html.includes('<b>zero</b>'), 'raw <b> from a class name reached the page');
  assert.ok(!html.includes('<!-- x'), 'a comment opener from the command line reached the page');
  assert.ok(html.includes(escapeHtml(HOSTILE)), 'the command line is shown, escaped');
  assert.ok(html.includes('&lt;b&gt;zero&lt;/b&gt;'));
  assert.ok(html.includes('a &amp; b'));
  // The embedded history reads back exactly, hostile strings included.
  assert.deepEqual(embeddedJson(html, 'nabla-history'), JSON.parse(JSON.stringify(history)));
});

test('jsonForScript escapes what could end a script element and round-trips through JSON.parse', () => {
  const value = { s: '</script><!-- & \u2028\u2029 >', n: [1.5, -2, 1e-300] };
  const text = jsonForScript(value);
  assert.ok(!/[<>&\u2028\u2029]/.test(text), text);
  assert.deepEqual(JSON.parse(text), value);
});

test('the report shows the run: architecture, N_b, N_w, accuracy, last cost, hyperparameters, backend', () => {
  const history = syntheticClassification();
  const html = renderReport(history);
  const last = history.epochs[history.epochs.length - 1]!;
  // 64/16/10: N_b = 16 + 10 = 26, N_w = 64·16 + 16·10 = 1184; accuracy 347/360 = 96.39%.
  assert.equal(history.meta.numBiases, 26);
  assert.equal(history.meta.numWeights, 1184);
  assert.match(html, /data-testid="architecture"><code>64\/16\/10<\/code>/);
  assert.match(html, /data-testid="num-biases" data-value="26">26</);
  assert.match(html, /data-testid="num-weights" data-value="1184">1\u2009184</);
  assert.match(html, /data-testid="kpi-final-accuracy">.*?data-value="0\.963888\d*">96\.39%</);
  assert.ok(html.includes('347 / 360 correct'));
  assert.ok(html.includes(`data-value="${last.trainCost}">${formatNumber(last.trainCost)}<`));
  assert.ok(html.includes('adam (lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8)'));
  assert.ok(html.includes('data-testid="backend">js<'));
  assert.ok(html.includes('<title>Nabla · digits · 64/16/10</title>'));
  // one row per epoch in the epoch table
  assert.equal((html.match(/<tr data-epoch=|<tr class="best" data-epoch=/g) ?? []).length, history.epochs.length);
});

test('meta fields without a row of their own (dropout, clipping ...) are listed with the hyperparameters', () => {
  const history = syntheticClassification();
  Object.assign(history.meta, { dropout: 0.25, clipNorm: 1, earlyStopping: true, layerNames: ['a<b', 'c'], nested: { x: 1 } });
  const html = renderReport(history);
  assert.ok(html.includes('<dt>dropout</dt><dd>0.25</dd>'));
  assert.ok(html.includes('<dt>clipNorm</dt><dd>1</dd>'));
  assert.ok(html.includes('<dt>earlyStopping</dt><dd>true</dd>'));
  assert.ok(html.includes('<dt>layerNames</dt><dd>a&lt;b, c</dd>'));
  assert.ok(!html.includes('<dt>nested</dt>'));
});

test('the report makes no network request: no external src, href, url() or @import', () => {
  for (const history of [syntheticClassification(), syntheticRegression()]) {
    const html = renderReport(history);
    assert.doesNotMatch(html, /\b(?:src|href|action|poster|srcset)\s*=\s*["']?\s*(?:https?:|\/\/)/i);
    assert.doesNotMatch(html, /url\(\s*["']?\s*(?:https?:|\/\/)/i);
    assert.doesNotMatch(html, /@import/i);
    assert.doesNotMatch(html, /<link\b/i);
    assert.doesNotMatch(html, /<script\b[^>]*\bsrc=/i);
    assert.doesNotMatch(html, /<(?:iframe|img|object|embed)\b/i);
    // Chart.js is inlined whole (its UMD build defines the global Chart).
    assert.ok(html.includes('Chart.js v4'), 'Chart.js is not inlined');
    assert.ok(html.length > 150_000);
  }
});

test('classification charts: cost, accuracy, per-batch cost, learning rate, gradient norms (log), saturation', () => {
  const history = syntheticClassification();
  const specs = buildCharts(history);
  assert.deepEqual(
    specs.map((s) => s.id),
    ['chart-cost', 'chart-accuracy', 'chart-batch-cost', 'chart-lr', 'chart-grad-norms', 'chart-saturation'],
  );
  const byId = Object.fromEntries(specs.map((s) => [s.id, s]));
  const grad = byId['chart-grad-norms']!;
  assert.equal(grad.config.options?.scales?.y?.type, 'logarithmic');
  assert.deepEqual(
    grad.config.data.datasets.map((d) => d.label),
    ['W[1]', 'W[2]'],
  );
  assert.deepEqual(
    grad.config.data.datasets[0]!.data.map((p) => p.y),
    history.epochs.map((e) => e.gradNorms[0]),
  );
  assert.deepEqual(
    byId['chart-accuracy']!.config.data.datasets.map((d) => d.data.map((p) => p.y)),
    [history.epochs.map((e) => e.trainAccuracy! * 100), history.epochs.map((e) => e.valAccuracy! * 100)],
  );
  assert.equal(byId['chart-saturation']!.config.data.datasets[0]!.label, 'layer 1 (relu): dead');
  const batch = byId['chart-batch-cost']!.config.data.datasets;
  assert.equal(batch.length, 2);
  assert.equal(batch[1]!.data.length, history.batches.length);
  // every chart's HTML canvas carries its id as data-testid
  const html = renderReport(history);
  for (const s of specs) assert.ok(html.includes(`<canvas id="${s.id}" data-testid="${s.id}"`), s.id);
  assert.ok(html.includes('data-testid="confusion-matrix" data-total="360"'));
  assert.equal((html.match(/data-testid="misclassified-image"/g) ?? []).length, history.final!.misclassified!.length);
});

test('misclassified samples without pixels are a list, not a grid of empty images', () => {
  const history = syntheticClassification({ classNames: ['malignant', 'benign<', '2', '3', '4', '5', '6', '7', '8', '9'] });
  delete history.final!.imageShape;
  for (const m of history.final!.misclassified!) delete m.pixels;
  const html = renderReport(history);
  assert.ok(!html.includes('data-testid="misclassified-image"'));
  assert.ok(!html.includes('data-testid="misclassified-grid"'));
  const first = history.final!.misclassified![0]!;
  assert.equal(first.label, 1);
  assert.ok(html.includes(`<li><span class="idx">#${first.index}</span> <span class="truth">benign&lt;</span> → <span class="pred">2</span></li>`));
});

test('1-D regression: MSE and fitted-curve charts, no accuracy, no confusion matrix', () => {
  const history = syntheticRegression();
  const specs = buildCharts(history);
  assert.deepEqual(
    specs.map((s) => s.id),
    ['chart-cost', 'chart-mse', 'chart-batch-cost', 'chart-lr', 'chart-grad-norms', 'chart-saturation'].concat('chart-curve'),
  );
  const curve = specs.find((s) => s.id === 'chart-curve')!;
  assert.equal(curve.config.data.datasets[0]!.data.length, history.final!.curve!.gridX.length);
  assert.equal(curve.config.data.datasets[1]!.data.length, history.final!.curve!.x.length);
  assert.equal(curve.config.data.datasets[1]!.showLine, false);
  assert.equal(specs.find((s) => s.id === 'chart-saturation')!.config.data.datasets[0]!.label, 'layer 1 (tanh): saturated');
  const html = renderReport(history);
  assert.ok(!html.includes('data-testid="confusion-matrix"'));
  assert.match(html, /data-testid="kpi-final-mse">.*?Validation MSE/);
});

test('a diverged run (NaN and ∞ costs) renders, with gaps where the numbers are not finite', () => {
  const history: History = syntheticClassification({ epochs: 3 });
  history.epochs[2]!.trainCost = NaN;
  history.epochs[2]!.gradNorms = [Infinity, NaN];
  history.batches[history.batches.length - 1]!.cost = Infinity;
  history.stopReason = 'non-finite';
  history.stopMessage = 'cost became NaN at step 119';
  const specs = buildCharts(history);
  const cost = specs.find((s) => s.id === 'chart-cost')!;
  assert.equal(cost.config.data.datasets[0]!.data[2]!.y, null);
  const grad = specs.find((s) => s.id === 'chart-grad-norms')!;
  assert.deepEqual(
    grad.config.data.datasets.map((d) => d.data[2]!.y),
    [null, null],
  );
  assert.equal(specs.find((s) => s.id === 'chart-batch-cost')!.config.data.datasets[1]!.data.length, history.batches.length - 1);
  const html = renderReport(history);
  assert.ok(html.includes('stopped after 3 of 3 epochs: non-finite (cost became NaN at step 119)'));
  assert.ok(html.includes('class="stop-warn"'));
});

test('a run stopped before its first epoch ended renders: no charts, no result, and says why', () => {
  const history = syntheticClassification({ epochs: 1 });
  history.epochs = [];
  history.batches = [];
  delete history.final;
  history.stopReason = 'non-finite';
  history.stopMessage = 'training stopped at epoch 1, batch 3 of 45: the cost became NaN';
  assert.deepEqual(buildCharts(history), []);
  const html = renderReport(history);
  assert.ok(html.includes('stopped after 0 of 1 epochs: non-finite (training stopped at epoch 1, batch 3 of 45: the cost became NaN)'));
  assert.ok(!html.includes('data-testid="kpi-final-accuracy"'));
  assert.ok(!html.includes('<canvas'));
  assert.deepEqual(embeddedJson(html, 'nabla-charts'), []);
});

test('ema: bias-corrected exponential moving average', () => {
  // constant in, constant out (the bias correction removes the pull towards 0)
  assert.deepEqual(ema([2, 2, 2, 2], 5), [2, 2, 2, 2]);
  // span 3: β = 1 − 2/4 = 0.5. s1 = 0.5·0 = 0, w1 = 0.5 → 0; s2 = 0.5·0 + 0.5·10 = 5, w2 = 0.75 → 6.667
  const [a, b] = ema([0, 10], 3);
  assert.equal(a, 0);
  assert.ok(Math.abs(b! - 20 / 3) < 1e-12);
  // non-finite values are skipped, not propagated
  assert.deepEqual(ema([NaN, 4, Infinity, 4], 3), [NaN, 4, 4, 4]);
  assert.equal(emaSpan(10), 3);
  assert.equal(emaSpan(3000), 100);
  assert.equal(emaSpan(1e6), 200);
});

test('long runs: per-step series are thinned to ≤ MAX_STEP_POINTS, keeping the spikes', () => {
  const points = Array.from({ length: 18_760 }, (_, i) => ({ x: i, y: 1 / (1 + i) + (i === 12_345 ? 5 : 0) }));
  const thin = thinMinMax(points, 2000);
  assert.ok(thin.length <= 2000 && thin.length > 1900, `${thin.length} points`);
  assert.ok(thin.some((p) => p.x === 12_345 && p.y! > 5), 'the spike at step 12,345 was dropped');
  assert.ok(thin.every((p, i) => i === 0 || p.x! > thin[i - 1]!.x!), 'not in x order');
  assert.deepEqual(thin[0], points[0]);
  assert.deepEqual(thinMinMax(points.slice(0, 10), 2000), points.slice(0, 10));
  const history = syntheticClassification({ epochs: 20, stepsPerEpoch: 938 });
  const batch = buildCharts(history).find((s) => s.id === 'chart-batch-cost')!;
  for (const d of batch.config.data.datasets) assert.ok(d.data.length <= MAX_STEP_POINTS, `${d.label}: ${d.data.length}`);
});

test('number formatting', () => {
  assert.equal(formatNumber(0.123456), '0.1235');
  assert.equal(formatNumber(1e-8, 6), '1e-8');
  assert.equal(formatNumber(2.5e-5), '2.5e-5');
  assert.equal(formatNumber(NaN), '–');
  assert.equal(formatPercent(0.96389), '96.39%');
  assert.equal(formatSeconds(0.8), '800 ms');
  assert.equal(formatSeconds(12.34), '12.3 s');
  assert.equal(formatSeconds(119.7), '2 min 00 s');
  assert.equal(formatTimestamp('2026-11-23T17:00:00.000Z'), '2026-11-23 17:00 UTC');
  assert.equal(formatTimestamp('yesterday'), 'yesterday');
});

test('a run trained until converged says why it stopped in the report; one that used its budget is flagged', () => {
  const history: History = syntheticClassification({ epochs: 3 });
  history.stopReason = 'converged';
  history.stopMessage = 'converged after 3 epochs: training cost flat for 10 (no improvement over 0.0001); best was epoch 2 (0.1234)';
  assert.match(renderReport(history), /data-testid="stop">converged after 3 epochs: training cost flat for 10 \(no improvement over 0\.0001\); best was epoch 2 \(0\.1234\)</);
  assert.ok(!renderReport(history).includes('until converged'), 'a run of given epochs says "3 run of 3"');
  history.meta.maxSteps = 300;
  assert.ok(renderReport(history).includes('3 run, until converged (budget 300 steps)'));
  history.stopReason = 'budget';
  delete history.stopMessage;
  assert.match(renderReport(history), /class="stop-warn" data-testid="stop">stopped at the budget of 300 steps</);
});
