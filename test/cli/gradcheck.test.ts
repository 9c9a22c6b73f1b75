import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nabla, tempDir } from './run-cli.js';

interface CheckJson {
  ok: boolean;
  worst: number;
  checked: number;
  total: number;
  smallerStep: number;
  leftOut: unknown[];
  layers: { layer: number; ok: boolean; weights: number; biases: number }[];
}

test('`nabla gradcheck` on the seeds where a kink inside the stencil used to read FAILED: OK, with the smaller steps said', () => {
  // Before kinks were handled these read FAILED with relative errors near 1 (1.87 in layer 1 for
  // the first), although backprop was right.
  const g = nabla(['gradcheck', '--layers', '5/7/4/3', '--hidden-activation', 'leaky-relu']);
  assert.equal(g.status, 0, g.stdout + g.stderr);
  assert.match(g.stdout, /^ +1 +\S+ +\S+ +ok +42 of 42 \(\d+ with a smaller step\)$/m);
  assert.match(g.stdout, /Kinks: leaky-relu is not differentiable at z = 0/);
  assert.match(g.stdout, /^OK: worst relative error \S+ < 1e-6 \(89 of 89 parameters checked, [1-9]\d* with a smaller step, 0 left out\)$/m);
  for (const [hidden, seed] of [['relu', 9], ['relu', 10], ['relu', 16], ['leaky-relu', 5], ['leaky-relu', 9], ['leaky-relu', 18]] as const) {
    const r = nabla(['gradcheck', '--hidden-activation', hidden, '--seed', String(seed), '--json']);
    assert.equal(r.status, 0, `${hidden} seed ${seed}: ${r.stdout}${r.stderr}`);
    const res = JSON.parse(r.stdout) as CheckJson;
    assert.equal(res.ok, true);
    assert.ok(res.smallerStep + res.leftOut.length > 0, `${hidden} seed ${seed} meets a kink at the default step`);
    assert.equal(res.checked + res.leftOut.length, res.total);
  }
});

test('`nabla gradcheck --model --data digits` checks a trained network on real samples, scaled as the model records', () => {
  const dir = tempDir();
  const tr = nabla(['train', '--data', 'digits', '--layers', '32', '--epochs', '3', '--out', 'digits.safetensors', '--no-report'], dir);
  assert.equal(tr.status, 0, tr.stderr);
  const g = nabla(['gradcheck', '--model', 'digits.safetensors', '--data', 'digits', '--batch', '8'], dir);
  assert.equal(g.status, 0, g.stdout + g.stderr);
  assert.match(g.stdout, /^Gradient check of 64\/32\/10 \(relu, softmax \+ cross-entropy\) on 8 samples of digits \(rows [\d, ]+; standard scaling, as the model records\), float64:$/m);
  assert.match(g.stdout, /^OK: .*\(\d+ of 2410 parameters checked/m);
  const j = nabla(['gradcheck', '--model', 'digits.safetensors', '--data', 'digits', '--seed', '2', '--json'], dir);
  assert.equal(j.status, 0, j.stderr);
  const res = JSON.parse(j.stdout) as CheckJson;
  assert.equal(res.ok, true);
  assert.equal(res.total, 64 * 32 + 32 + 32 * 10 + 10);
  assert.ok(res.worst < 1e-6);
  // Mistakes get one line each.
  const clash = nabla(['gradcheck', '--model', 'digits.safetensors', '--data', 'digits', '--layers', '64/10'], dir);
  assert.equal(clash.status, 2);
  assert.equal(clash.stderr, 'nabla: --layers shapes a random network; --model digits.safetensors brings its own\n');
  const alone = nabla(['gradcheck', '--data', 'digits'], dir);
  assert.equal(alone.stderr, 'nabla: --data needs --model: the check of a saved network runs on samples of a data set\n');
  const wrong = nabla(['gradcheck', '--model', 'digits.safetensors', '--data', 'iris'], dir);
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /^nabla: data iris has 4 inputs per sample, the model expects 64\n$/);
});
