import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOptimizer, type AnyOptimizerOptions, type OptimizerName } from '../../src/optim/index.js';

/**
 * One table runs every optimizer (and each of its options) on two problems and asserts the loss
 * falls substantially. The gradients are written out by hand; the parameters are Float32Arrays,
 * as in training.
 *
 *   bowl:        f(x, y) = ½(x² + 10y²),              ∇f = (x, 10y),   minimum 0 at (0, 0)
 *   Rosenbrock:  f(x, y) = (1 − x)² + 100(y − x²)²,   ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²)),
 *                minimum 0 at (1, 1), reached along a curved, flat valley
 */
interface Problem {
  name: string;
  start: [number, number];
  loss(p: Float32Array): number;
  grad(p: Float32Array, g: Float32Array): void;
}

const bowl: Problem = {
  name: 'bowl',
  start: [1, 1],
  loss: (p) => 0.5 * (p[0]! ** 2 + 10 * p[1]! ** 2),
  grad(p, g) {
    g[0] = p[0]!;
    g[1] = 10 * p[1]!;
  },
};

const rosenbrock: Problem = {
  name: 'rosenbrock',
  start: [-1.2, 1],
  loss: (p) => (1 - p[0]!) ** 2 + 100 * (p[1]! - p[0]! ** 2) ** 2,
  grad(p, g) {
    const [x, y] = [p[0]!, p[1]!];
    g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    g[1] = 200 * (y - x * x);
  },
};

interface Case {
  label: string;
  name: OptimizerName;
  options: AnyOptimizerOptions;
  /** learning rate on the bowl and on Rosenbrock */
  lr: [number, number];
}

const cases: Case[] = [
  { label: 'sgd', name: 'sgd', options: {}, lr: [0.1, 1e-3] },
  { label: 'sgd + weight decay', name: 'sgd', options: { weightDecay: 1e-3 }, lr: [0.1, 1e-3] },
  { label: 'momentum', name: 'momentum', options: {}, lr: [0.02, 2e-4] },
  { label: 'momentum + dampening', name: 'momentum', options: { dampening: 0.5 }, lr: [0.02, 4e-4] },
  { label: 'nesterov', name: 'nesterov', options: {}, lr: [0.02, 2e-4] },
  { label: 'nesterov + weight decay', name: 'nesterov', options: { weightDecay: 1e-3 }, lr: [0.02, 2e-4] },
  { label: 'adagrad', name: 'adagrad', options: {}, lr: [0.5, 0.5] },
  { label: 'adagrad + lrDecay', name: 'adagrad', options: { lrDecay: 1e-3, initialAccumulatorValue: 0.1 }, lr: [0.5, 0.5] },
  { label: 'rmsprop', name: 'rmsprop', options: {}, lr: [0.01, 1e-3] },
  { label: 'rmsprop + momentum', name: 'rmsprop', options: { momentum: 0.9 }, lr: [1e-3, 1e-4] },
  { label: 'rmsprop centered', name: 'rmsprop', options: { centered: true }, lr: [0.01, 1e-3] },
  { label: 'rmsprop centered + momentum + wd', name: 'rmsprop', options: { centered: true, momentum: 0.9, weightDecay: 1e-3 }, lr: [1e-3, 1e-4] },
  { label: 'adam', name: 'adam', options: {}, lr: [0.05, 0.02] },
  { label: 'adam amsgrad', name: 'adam', options: { amsgrad: true }, lr: [0.05, 0.02] },
  { label: 'adam + weight decay', name: 'adam', options: { weightDecay: 1e-3 }, lr: [0.05, 0.02] },
  { label: 'adamw', name: 'adamw', options: {}, lr: [0.05, 0.02] },
  { label: 'adamw amsgrad', name: 'adamw', options: { amsgrad: true }, lr: [0.05, 0.02] },
];

const STEPS = 2000;

function minimise(problem: Problem, c: Case, lr: number): { first: number; last: number } {
  const p = Float32Array.from(problem.start);
  const g = new Float32Array(2);
  const opt = createOptimizer(c.name, { ...c.options, lr });
  const state = opt.init([p]);
  const first = problem.loss(p);
  for (let k = 0; k < STEPS; k++) {
    problem.grad(p, g);
    opt.step([p], [g], state);
  }
  assert.equal(state.step, STEPS);
  return { first, last: problem.loss(p) };
}

for (const c of cases) {
  test(`${c.label} descends the quadratic bowl and the Rosenbrock valley`, () => {
    const b = minimise(bowl, c, c.lr[0]);
    // ½(1 + 10) = 5.5 at the start; at least a millionfold lower after 2000 steps.
    assert.ok(b.last < 1e-6 * b.first, `bowl: ${b.first} → ${b.last}`);
    const r = minimise(rosenbrock, c, c.lr[1]);
    // 24.2 at (−1.2, 1); at least twentyfold lower (the valley floor is flat: slow for everyone).
    assert.ok(r.last < 0.05 * r.first, `rosenbrock: ${r.first} → ${r.last}`);
  });
}
