/**
 * Fashion-MNIST (Debian's dataset-fashion-mnist, which .ci/run installs): the notes' MNIST-shaped
 * 784/100/10 network with ReLU and Adam reaches at least 0.87 test accuracy.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { FASHION_MNIST_DIR } from '../../src/data/idx-node.js';
import { nabla } from './run-cli.js';

test('Fashion-MNIST: 784/100/10 ReLU + Adam reaches ≥ 0.87 test accuracy', (t) => {
  assert.ok(existsSync(`${FASHION_MNIST_DIR}/train-images-idx3-ubyte.gz`), `Fashion-MNIST is missing: apt-get install dataset-fashion-mnist (expected in ${FASHION_MNIST_DIR})`);
  const r = nabla(['train', '--data', 'fashion-mnist', '--layers', '784/100/10', '--hidden-activation', 'relu', '--optimizer', 'adam', '--epochs', '10', '--batch', '64', '--json', '--no-report'], undefined, 1_200_000);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; valAccuracy?: number; test?: { accuracy: number; count: number } });
  const summary = lines.at(-1)!;
  assert.equal(summary.type, 'summary');
  assert.equal(summary.test!.count, 10000);
  const curve = lines.filter((l) => l.type === 'epoch').map((l) => l.valAccuracy!.toFixed(4));
  t.diagnostic(`Fashion-MNIST test accuracy by epoch: ${curve.join(' ')}`);
  assert.ok(summary.test!.accuracy >= 0.87, `test accuracy ${summary.test!.accuracy}`);
});
