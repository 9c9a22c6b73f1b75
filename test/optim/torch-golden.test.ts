import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Kernels } from '../../src/kernels/kernels.js';
import { JsKernels } from '../../src/kernels/js.js';
import { ReferenceKernels } from '../../src/kernels/reference.js';
import { Network } from '../../src/nn/network.js';
import { createOptimizer, parseSchedule, type AnyOptimizerOptions, type OptimizerName } from '../../src/optim/index.js';
import { Matrix } from '../../src/tensor/matrix.js';
import { wasmBackend } from '../helpers/wasm-backend.js';

/**
 * Golden test against PyTorch: `scripts/torch-fixtures.py` (run by hand with Debian's python3-torch)
 * trained three small networks — 3/4/2 tanh + identity + quadratic, 3/4/1 relu + sigmoid + binary
 * cross-entropy, 3/5/3 sigmoid + softmax + cross-entropy — from fixed weights on fixed batches
 * (4, 4, 2 samples, then again reshuffled) for 6 updates of every optimizer configuration and every
 * schedule, in float64, and stored every weight after every update. Here the same networks, data
 * and updates run through Nabla's Network and optimizers, and every weight after every update must
 * match PyTorch's, in the scaled error
 *
 *   e = |ours − torch| / max(floor, |torch|):
 *     float64 reference kernels: floor 1e-3, e ≤ 1e-9 — the formulas agree exactly (the fixture
 *       stores 12 significant digits; the worst seen is ~3e-10);
 *     float32 JS kernels (the training backend): floor 1e-2, e ≤ 1e-5. The weights are O(0.1–1),
 *       so float32 rounds each update by ~1 ulp ≈ 6e-8 absolute; a weight that passes near zero
 *       (|w| ~ 1e-3) keeps that absolute error, which is a relative 3e-5 there. The floor of 1e-2
 *       makes the bound relative for |w| ≥ 0.01 and an absolute 1e-7 (≈ 2 ulp of 0.5) below.
 */

interface NetworkFixture {
  sizes: number[];
  hidden: string;
  output: string;
  cost: string;
  weights: number[][];
  biases: number[][];
  x: number[][];
  t: number[][];
}

interface RunFixture {
  network: string;
  optimizer: OptimizerName;
  options: AnyOptimizerOptions & { lr: number };
  schedule: string | null;
  torch: string;
  lr: number[];
  loss: number[];
  params: number[][][];
}

interface Fixture {
  batches: number[][];
  networks: Record<string, NetworkFixture>;
  runs: RunFixture[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch/optim-golden.json', import.meta.url), 'utf8')) as Fixture;

function scaledError(ours: number, torch: number, floor: number): number {
  return Math.abs(ours - torch) / Math.max(floor, Math.abs(torch));
}

function rows(values: number[][], batch: number[], dtype: 'float32' | 'float64'): Matrix {
  return Matrix.from(
    batch.map((i) => values[i]!),
    dtype,
  );
}

/** Replays one run; returns the worst scaled error over every weight after every update. */
function replay(run: RunFixture, kernels: Kernels, dtype: 'float32' | 'float64', floor: number): number {
  const spec = fixture.networks[run.network]!;
  const net = Network.create(spec.sizes, { hidden: spec.hidden, output: spec.output, cost: spec.cost, kernels });
  net.setParams(spec.weights, spec.biases);
  const lr = run.schedule === null ? run.options.lr : parseSchedule(run.schedule, run.options.lr);
  const opt = createOptimizer(run.optimizer, { ...run.options, lr });
  const state = opt.init(net.params(), kernels);
  let worst = 0;
  fixture.batches.forEach((batch, k) => {
    const label = `${run.network} ${run.torch} ${run.schedule ?? ''} update ${k + 1}`;
    assert.ok(Math.abs(opt.learningRate(k) - run.lr[k]!) <= 1e-9 * run.lr[k]!, `${label}: lr ${opt.learningRate(k)} vs ${run.lr[k]}`);
    const loss = net.computeGradients(rows(spec.x, batch, dtype), rows(spec.t, batch, dtype));
    assert.ok(scaledError(loss, run.loss[k]!, 1e-3) <= 1e-5, `${label}: cost ${loss} vs ${run.loss[k]}`);
    opt.step(net.params(), net.grads(), state, 1, kernels);
    net.params().forEach((p, i) => {
      const expected = run.params[k]![i]!;
      assert.equal(p.length, expected.length, `${label}: parameter ${i} length`);
      for (let j = 0; j < p.length; j++) worst = Math.max(worst, scaledError(p[j]!, expected[j]!, floor));
    });
  });
  assert.equal(state.step, fixture.batches.length);
  return worst;
}

test('the fixture covers every optimizer and schedule on every cost', () => {
  assert.ok(fixture.batches.length >= 5);
  const names = new Set(fixture.runs.map((r) => r.optimizer));
  assert.deepEqual([...names].sort(), ['adagrad', 'adam', 'adamw', 'momentum', 'nesterov', 'rmsprop', 'sgd']);
  const schedules = new Set(fixture.runs.map((r) => r.schedule?.split(':')[0]));
  for (const s of ['constant', 'step', 'exp', 'invtime', 'cosine', 'warmup']) assert.ok(schedules.has(s), s);
  assert.deepEqual(Object.values(fixture.networks).map((n) => n.cost).sort(), ['binary-cross-entropy', 'cross-entropy', 'quadratic']);
});


const backends: { name: string; make: () => Kernels | Promise<Kernels>; dtype: 'float32' | 'float64'; floor: number; tol: number }[] = [
  { name: 'float32 js kernels', make: () => new JsKernels(), dtype: 'float32', floor: 1e-2, tol: 1e-5 },
  { name: 'float64 reference kernels', make: () => new ReferenceKernels('float64'), dtype: 'float64', floor: 1e-3, tol: 1e-9 },
  // the wasm backend runs each optimizer's own SIMD loop (on 2 threads split however small), with
  // float32 sums in SIMD lanes (and fused multiply-adds) rather than the js kernels' float64 sums:
  // near-zero gradients come out with a larger relative error, which Adam's and RMSprop's division
  // by √v carries into the step (SGD, momentum and Adagrad stay within 5·10⁻⁶ here; Adam reaches 8·10⁻⁵)
  { name: 'wasm kernels, 1 thread', make: () => wasmBackend(1), dtype: 'float32', floor: 1e-2, tol: 1e-4 },
  { name: 'wasm kernels, 2 threads', make: () => wasmBackend(2), dtype: 'float32', floor: 1e-2, tol: 1e-4 },
];

for (const backend of backends) {
  for (const network of Object.keys(fixture.networks)) {
    test(`${network}: every optimizer and schedule matches PyTorch after every update (${backend.name})`, async () => {
      const worst: string[] = [];
      let overall = 0;
      for (const run of fixture.runs.filter((r) => r.network === network)) {
        const e = replay(run, await backend.make(), backend.dtype, backend.floor);
        overall = Math.max(overall, e);
        assert.ok(e <= backend.tol, `${run.torch} ${run.schedule ?? ''}: worst scaled error ${e.toExponential(2)} > ${backend.tol}`);
        worst.push(`${run.optimizer}${run.schedule ? '+' + run.schedule : ''} ${e.toExponential(1)}`);
      }
      if (process.env.NABLA_GOLDEN_VERBOSE) console.log(`${network} ${backend.name}: worst ${overall.toExponential(2)}\n  ${worst.join('\n  ')}`);
    });
  }
}
