import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NablaError } from '../../src/errors.js';
import {
  constant,
  cosineDecay,
  exponentialDecay,
  inverseTimeDecay,
  parseSchedule,
  stepDecay,
  warmup,
  type Schedule,
} from '../../src/optim/index.js';
import { assertNear } from '../helpers/approx.js';

const TOL = 1e-15;

function values(s: Schedule, steps: number[]): number[] {
  return steps.map((t) => s(t));
}

function near(actual: number[], expected: number[], what: string): void {
  expected.forEach((e, i) => assertNear(actual[i]!, e, TOL, `${what}[${i}]`));
}

test('constant: γ(t) = γ', () => {
  near(values(constant(0.1), [0, 1, 1000]), [0.1, 0.1, 0.1], 'constant');
});

test('step decay: γ·factor^⌊t/every⌋', () => {
  // every 10, factor 0.5: t = 0, 9 → 0.1; 10, 19 → 0.05; 25 → 0.1·0.25 = 0.025
  near(values(stepDecay(0.1, 10, 0.5), [0, 9, 10, 19, 25]), [0.1, 0.1, 0.05, 0.05, 0.025], 'step');
  // PyTorch's default factor 0.1: t = 30 → 0.1·0.1³ = 1e-4
  assertNear(stepDecay(0.1, 10)(30), 1e-4, 1e-18, 'step default factor');
});

test('exponential decay: γ·rate^(t/every)', () => {
  // rate 0.5: t = 0 → 0.1, t = 1 → 0.05, t = 3 → 0.0125
  near(values(exponentialDecay(0.1, 0.5), [0, 1, 3]), [0.1, 0.05, 0.0125], 'exp');
  // every 100: t = 50 → 0.1·√0.5 = 0.0707106781186548, t = 200 → 0.025
  near(values(exponentialDecay(0.1, 0.5, 100), [50, 200]), [0.1 * Math.SQRT1_2, 0.025], 'exp every 100');
});

test('inverse-time decay: γ/(1 + rate·t/every)', () => {
  // rate 0.5: t = 0 → 0.1, t = 2 → 0.1/2 = 0.05, t = 4 → 0.1/3
  near(values(inverseTimeDecay(0.1, 0.5), [0, 2, 4]), [0.1, 0.05, 0.1 / 3], 'invtime');
  // every 10: t = 20 → 0.1/(1 + 1) = 0.05
  assertNear(inverseTimeDecay(0.1, 0.5, 10)(20), 0.05, TOL, 'invtime every 10');
});

test('cosine decay: γ_min + (γ − γ_min)(1 + cos(π·min(t, T)/T))/2, then γ_min', () => {
  // T = 100: t = 0 → 0.1; t = 50 → cos(π/2) = 0 → 0.05; t = 100 → cos π = −1 → 0; t = 150 → 0 (held)
  near(values(cosineDecay(0.1, 100), [0, 50, 100, 150]), [0.1, 0.05, 0, 0], 'cosine');
  // t = 25: (1 + cos(π/4))/2 = (1 + 0.7071067811865476)/2 = 0.8535533905932737 → 0.08535533905932737
  assertNear(cosineDecay(0.1, 100)(25), 0.0853553390593274, TOL, 'cosine t = 25');
  // γ_min = 0.01: t = 50 → 0.01 + 0.09·0.5 = 0.055; t = 200 → 0.01
  near(values(cosineDecay(0.1, 100, 0.01), [50, 200]), [0.055, 0.01], 'cosine with floor');
});

test('warm-up: s(0)·(t + 1)/W for t < W, then s(t − W)', () => {
  // W = 4 before constant 0.1: 0.025, 0.05, 0.075, 0.1, then 0.1
  near(values(warmup(4, constant(0.1)), [0, 1, 2, 3, 4, 100]), [0.025, 0.05, 0.075, 0.1, 0.1, 0.1], 'warmup');
  // W = 2 before step decay (every 1, factor 0.5): 0.05, 0.1, then s(0) = 0.1, s(1) = 0.05, s(2) = 0.025
  near(values(warmup(2, stepDecay(0.1, 1, 0.5)), [0, 1, 2, 3, 4]), [0.05, 0.1, 0.1, 0.05, 0.025], 'warmup + step');
});

test('parseSchedule reads the CLI syntax into the same schedules', () => {
  const steps = [0, 1, 5, 10, 99, 100, 150, 5100, 6000];
  const same = (text: string, lr: number, expected: Schedule): void =>
    near(values(parseSchedule(text, lr), steps), values(expected, steps), text);
  same('constant', 0.1, constant(0.1));
  same('step:10:0.5', 0.1, stepDecay(0.1, 10, 0.5));
  same('step:10', 0.1, stepDecay(0.1, 10, 0.1));
  same('exp:0.95', 0.1, exponentialDecay(0.1, 0.95));
  same('exp:0.5:100', 0.1, exponentialDecay(0.1, 0.5, 100));
  same('invtime:0.5', 0.1, inverseTimeDecay(0.1, 0.5));
  same('invtime:0.5:10', 0.1, inverseTimeDecay(0.1, 0.5, 10));
  same('cosine:1000', 0.1, cosineDecay(0.1, 1000));
  same('cosine:1000:0.001', 0.1, cosineDecay(0.1, 1000, 0.001));
  same('warmup:100+cosine:5000', 1e-3, warmup(100, cosineDecay(1e-3, 5000)));
  same('warmup:100', 1e-3, warmup(100, constant(1e-3)));
  same(' Warmup:10 + STEP:3:0.5 ', 0.2, warmup(10, stepDecay(0.2, 3, 0.5)));
  assert.equal(parseSchedule('warmup:100+cosine:5000', 1e-3).description, 'warmup(100) + cosine(0.001, 5000, 0)');
});

function throwsCode(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof NablaError && e.code === code && pattern.test(e.message));
}

test('parseSchedule errors name the text and the expected syntax', () => {
  throwsCode(() => parseSchedule('linear:5', 0.1), 'UNKNOWN_NAME', /unknown schedule 'linear'.*constant \| step:<every>\[:<factor>\].*warmup/);
  throwsCode(() => parseSchedule('step', 0.1), 'ARGUMENT', /schedule 'step': expected step:<every>\[:<factor>\]/);
  throwsCode(() => parseSchedule('step:10:0.5:3', 0.1), 'ARGUMENT', /expected step:<every>\[:<factor>\]/);
  throwsCode(() => parseSchedule('exp:abc', 0.1), 'ARGUMENT', /'abc' is not a number/);
  throwsCode(() => parseSchedule('cosine:', 0.1), 'ARGUMENT', /'' is not a number/);
  throwsCode(() => parseSchedule('cosine:10+step:5', 0.1), 'ARGUMENT', /only warmup:<steps> may come before a '\+'/);
  throwsCode(() => parseSchedule('step:5+warmup:10', 0.1), 'ARGUMENT', /only warmup/);
  throwsCode(() => parseSchedule('warmup:5+warmup:10', 0.1), 'UNKNOWN_NAME', /warmup may only come first/);
  throwsCode(() => parseSchedule('warmup+cosine:10', 0.1), 'ARGUMENT', /expected warmup:<steps>/);
  throwsCode(() => parseSchedule('warmup:1+cosine:1+exp:0.5', 0.1), 'ARGUMENT', /one schedule after it/);
  // values out of range are reported by the schedule itself
  throwsCode(() => parseSchedule('step:0.5', 0.1), 'ARGUMENT', /step schedule every 0.5: expected an integer ≥ 1/);
  throwsCode(() => parseSchedule('exp:1.5', 0.1), 'ARGUMENT', /exp schedule rate 1.5: expected a finite number in \(0, 1\]/);
  throwsCode(() => parseSchedule('constant', 0), 'ARGUMENT', /lr 0: expected a finite number > 0/);
  throwsCode(() => parseSchedule('constant', NaN), 'ARGUMENT', /lr NaN/);
  throwsCode(() => cosineDecay(0.1, 100, 0.5), 'ARGUMENT', /minLr 0.5: expected a finite number in \[0, 0.1\]/);
  throwsCode(() => warmup(0, constant(0.1)), 'ARGUMENT', /warmup schedule steps 0/);
});
