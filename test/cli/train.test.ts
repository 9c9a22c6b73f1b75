import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readModelFile } from '../../src/io/model-file.js';
import { nabla, repo, tempDir } from './run-cli.js';

test('`nabla train` with no arguments trains the embedded digits until converged, to ≥ 0.96 on the held-out fifth, and says why it stopped', () => {
  const dir = tempDir();
  const r = nabla(['train'], dir);
  assert.equal(r.status, 0, r.stderr);
  const epochs = r.stdout.split('\n').filter((l) => /^Epoch\s+\d+: \d+ \/ 359 correct, cost [\d.]+ \(test [\d.]+\)/.test(l));
  const stop = /^converged after (\d+) epochs: training cost flat for 10 \(no improvement over 0\.0001\); best was epoch (\d+) .*; weights restored from epoch \2$/m.exec(r.stdout);
  assert.ok(stop, r.stdout);
  // Epoch lines 1–10, every 10th to 100, every 100th after, and the last.
  const last = Number(stop[1]);
  assert.ok(last > 30, `more than the old 30 epochs: ${last}`);
  assert.equal(epochs.length, Math.min(10, last) + Math.min(9, Math.floor(last / 10) - 1) + Math.max(0, Math.floor(last / 100) - 1) + (last % 10 === 0 ? 0 : 1), r.stdout);
  const m = /Test: (\d+) \/ 359 correct/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.ok(Number(m[1]) / 359 >= 0.96, `test accuracy ${Number(m[1]) / 359}`);
  assert.ok(existsSync(join(dir, 'nabla-report.html')), 'the report is written by default');
  assert.equal(r.stderr, '', 'no progress bar when output is not a terminal');
});

test('--json prints one object per epoch and a summary; --out saves a model that eval and predict read back', () => {
  const dir = tempDir();
  const r = nabla(['train', '--data', 'iris', '--layers', '8', '--epochs', '40', '--batch', '8', '--lr', '0.01', '--json', '--out', 'iris.safetensors', '--history', 'run.json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; valAccuracy?: number; test?: { accuracy: number; count: number } });
  assert.equal(lines.filter((l) => l.type === 'epoch').length, 40);
  const summary = lines.at(-1)!;
  assert.equal(summary.type, 'summary');
  assert.equal(summary.test!.count, 30);
  assert.ok(summary.test!.accuracy >= 0.9, `iris accuracy ${summary.test!.accuracy}`);
  const model = readModelFile(join(dir, 'iris.safetensors'));
  assert.deepEqual(model.sizes, [4, 8, 3]);
  assert.deepEqual(model.classNames, ['setosa', 'versicolor', 'virginica']);
  // eval, with the same default split and seed, sees the same 30 held-out flowers and the same accuracy.
  const e = nabla(['eval', '--model', 'iris.safetensors', '--data', 'iris', '--json'], dir);
  assert.equal(e.status, 0, e.stderr);
  const ev = JSON.parse(e.stdout) as { count: number; accuracy: number; confusion: number[][] };
  assert.equal(ev.count, 30);
  assert.equal(ev.accuracy, summary.test!.accuracy);
  assert.equal(ev.confusion.flat().reduce((s, v) => s + v, 0), 30);
  const text = nabla(['eval', '--model', 'iris.safetensors', '--data', 'iris'], dir);
  assert.match(text.stdout, /confusion matrix \(rows: true class, columns: predicted\)/);
  assert.match(text.stdout, /setosa/);
  // predict: one line per row of the CSV (its label column is ignored), class names out.
  const pred = nabla(['predict', '--model', 'iris.safetensors', '--input', join(repo, 'data', 'iris.csv')], dir);
  assert.equal(pred.status, 0, pred.stderr);
  const rows = pred.stdout.trim().split('\n');
  assert.equal(rows.length, 150);
  assert.ok(rows.every((l) => ['setosa', 'versicolor', 'virginica'].includes(l)));
  // the history re-renders into a report
  const rep = nabla(['report', 'run.json', '--out', 'again.html'], dir);
  assert.equal(rep.status, 0, rep.stderr);
  assert.ok(readFileSync(join(dir, 'again.html'), 'utf8').includes('<html'));
});

test('predict --json gives probabilities that sum to 1 per row', () => {
  const dir = tempDir();
  assert.equal(nabla(['train', '--data', 'breast-cancer', '--layers', '8', '--epochs', '5', '--out', 'bc.safetensors', '--no-report'], dir).status, 0);
  const r = nabla(['predict', '--model', 'bc.safetensors', '--input', 'breast-cancer', '--json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { probabilities: number[]; label: string });
  assert.ok(rows.length > 100);
  for (const row of rows) {
    assert.equal(row.probabilities.length, 2);
    assert.ok(Math.abs(row.probabilities[0]! + row.probabilities[1]! - 1) < 1e-5);
    assert.ok(['malignant', 'benign'].includes(row.label));
  }
});

test('`nabla info` gives the notes\' counts and `nabla gradcheck` passes', () => {
  const r = nabla(['info', '--layers', '784/100/10']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /N_b = 100 \+ 10 = 110/);
  assert.match(r.stdout, /N_w = 784·100 \+ 100·10 = 79,400/);
  assert.match(r.stdout, /N_b \+ N_w = 79,510 parameters/);
  const g = nabla(['gradcheck', '--layers', '6/5/4/3', '--hidden-activation', 'softplus', '--json']);
  assert.equal(g.status, 0, g.stderr);
  const res = JSON.parse(g.stdout) as { ok: boolean; worst: number; layers: unknown[] };
  assert.equal(res.ok, true);
  assert.ok(res.worst < 1e-6);
  assert.equal(res.layers.length, 3);
});

test('--init continues from saved weights; --split 0 trains on every row; a CSV regression reports its MSE', () => {
  const dir = tempDir();
  const first = nabla(['train', '--data', 'iris', '--layers', '8', '--epochs', '20', '--lr', '0.01', '--json', '--out', 'a.safetensors', '--no-report'], dir);
  assert.equal(first.status, 0, first.stderr);
  const cost = (out: string, i: number): number => (JSON.parse(out.trim().split('\n')[i]!) as { trainCost: number }).trainCost;
  const again = nabla(['train', '--data', 'iris', '--init', 'a.safetensors', '--epochs', '1', '--lr', '0.01', '--json', '--no-report'], dir);
  assert.equal(again.status, 0, again.stderr);
  assert.ok(cost(again.stdout, 0) < 0.5 * cost(first.stdout, 0), `continued cost ${cost(again.stdout, 0)} vs fresh ${cost(first.stdout, 0)}`);
  const mismatch = nabla(['train', '--data', 'digits', '--init', 'a.safetensors', '--epochs', '1', '--no-report'], dir);
  assert.notEqual(mismatch.status, 0);
  assert.match(mismatch.stderr, /^nabla: .*a\.safetensors/);

  const all = nabla(['train', '--data', 'iris', '--split', '0', '--no-shuffle', '--epochs', '2', '--no-report'], dir);
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /150 training samples, test on none/);

  const rows = Array.from({ length: 120 }, (_, i) => {
    const x = -Math.PI + (2 * Math.PI * i) / 119;
    return `${x},${Math.sin(x)}`;
  });
  writeFileSync(join(dir, 'sin.csv'), `x,y\n${rows.join('\n')}\n`);
  const reg = nabla(['train', '--data', 'sin.csv', '--task', 'regression', '--layers', '16', '--hidden-activation', 'tanh', '--epochs', '200', '--batch', '10', '--lr', '0.01', '--report', 'sin.html'], dir);
  assert.equal(reg.status, 0, reg.stderr);
  const mse = /Test: MSE ([\d.e-]+)/.exec(reg.stdout);
  assert.ok(mse && Number(mse[1]) < 0.01, reg.stdout.split('\n').slice(-4).join('\n'));
  assert.match(reg.stdout, /Training 1\/16\/1 \(tanh, identity \+ quadratic/);
});

test('`--epochs` is honoured exactly; without it the JSON summary says the run converged and why', () => {
  const dir = tempDir();
  const exact = nabla(['train', '--data', 'iris', '--epochs', '3', '--lr', '1e-9', '--json', '--no-report'], dir);
  assert.equal(exact.status, 0, exact.stderr);
  const lines = exact.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; stopReason?: string; epochs?: number });
  assert.equal(lines.filter((l) => l.type === 'epoch').length, 3);
  assert.equal(lines.at(-1)!.stopReason, 'completed');
  const free = nabla(['train', '--data', 'iris', '--lr', '1e-9', '--json', '--no-report'], dir);
  const summary = JSON.parse(free.stdout.trim().split('\n').at(-1)!) as { stopReason: string; stopMessage: string; epochs: number };
  assert.equal(summary.stopReason, 'converged');
  assert.equal(summary.epochs, 11, 'lr 1e-9 leaves the cost flat: epoch 1, then 10 without improvement');
  assert.match(summary.stopMessage, /^converged after 11 epochs: training cost flat for 10/);
  const budget = nabla(['train', '--data', 'iris', '--max-steps', '8', '--json', '--no-report'], dir);
  const b = JSON.parse(budget.stdout.trim().split('\n').at(-1)!) as { stopReason: string; epochs: number };
  assert.deepEqual([b.stopReason, b.epochs], ['budget', 2], '8 steps of 4 batches (120 samples in 32s) are 2 epochs');
});
