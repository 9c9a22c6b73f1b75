import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadEmbedded } from '../../src/data/embedded.js';
import type { Kernels } from '../../src/kernels/kernels.js';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';
import { Network } from '../../src/nn/network.js';
import { adam } from '../../src/optim/adam.js';
import { BatchOrder } from '../../src/train/batches.js';
import { fit } from '../../src/train/fit.js';
import { chooseThreads, ThreadTuner } from '../../src/train/thread-tuner.js';
import { Rng } from '../../src/tensor/rng.js';

const made: WasmKernels[] = [];
after(() => made.forEach((k) => k.dispose()));

/** A stand-in backend with 2 threads whose steps take `msPerStep(activeThreads)` on a fake clock. */
function machine(msPerStep: (threads: number) => number): { kernels: Kernels; clock: { t: number }; step: (tuner: ThreadTuner) => void; counts: Map<number, number> } {
  const clock = { t: 0 };
  const kernels = { threads: 2, activeThreads: 2 } as unknown as Kernels;
  const counts = new Map<number, number>();
  const step = (tuner: ThreadTuner): void => {
    const n = kernels.activeThreads!;
    counts.set(n, (counts.get(n) ?? 0) + 1);
    clock.t += msPerStep(n);
    tuner.afterStep();
  };
  return { kernels, clock, step, counts };
}

const timing = { warmupMs: 10, blockMs: 5, runMs: 100 };

test('chooseThreads: one thread only when its steps are faster on average than all threads by the margin (3%, or as given)', () => {
  assert.equal(chooseThreads([2, 1, 1, 2], [2e-3, 1e-3, 1e-3, 2e-3], 2), 1);
  assert.equal(chooseThreads([2, 1, 1, 2], [1e-3, 0.98e-3, 0.98e-3, 1e-3], 2), 2, 'within 3%: all threads');
  assert.equal(chooseThreads([2, 1, 1, 2], [1e-3, 0.96e-3, 0.96e-3, 1e-3], 2), 1, 'beyond it: one');
  assert.equal(chooseThreads([2, 1, 1, 2], [1e-3, 0.92e-3, 0.92e-3, 1e-3], 2, 0.9), 2, 'within a 10% margin: all threads');
  assert.equal(chooseThreads([2, 1, 1, 2], [1e-3, 0.88e-3, 0.88e-3, 1e-3], 2, 0.9), 1, 'beyond it: one');
  assert.equal(chooseThreads([4, 1, 1, 4], [1e-3, 0.5e-3, 0.7e-3, 1.1e-3], 4), 1, 'means 0.6 against 1.05');
  assert.equal(chooseThreads([2, 1], [1e-3, 3e-3], 2), 2, 'a probe cut short after one block each');
});

test('the tuner trains on all threads through the warm-up, probes all, one, one, all, and keeps the faster', () => {
  for (const [fast, slow] of [[1, 2], [2, 1]] as const) {
    const m = machine((n) => (n === fast ? 1 : 1.25));
    const tuner = ThreadTuner.for(m.kernels, () => m.clock.t, timing)!;
    while (m.clock.t < timing.warmupMs) m.step(tuner);
    assert.equal(m.counts.get(1), undefined, 'no step on one thread during the warm-up');
    // a probe: 4 blocks of ≥ 5 ms; then the run on the faster count
    const probed = timing.warmupMs + 4 * timing.blockMs;
    while (m.clock.t < probed + 4) m.step(tuner);
    assert.equal(m.kernels.activeThreads, fast, `${fast} thread(s) chosen when they are faster than ${slow}`);
    let before = m.counts.get(slow) ?? 0;
    while (m.clock.t < probed + timing.runMs / 4 - 2) m.step(tuner);
    assert.equal(m.counts.get(slow) ?? 0, before, 'no step on the slower count until the second probe, runMs / 4 later');
    // the second probe confirms the choice; then runMs without probing
    const confirmed = probed + timing.runMs / 4 + 4 * timing.blockMs;
    while (m.clock.t < confirmed + 4) m.step(tuner);
    assert.ok((m.counts.get(slow) ?? 0) > before, 'the second probe ran steps on the slower count');
    assert.equal(m.kernels.activeThreads, fast, 'and kept the faster');
    before = m.counts.get(slow) ?? 0;
    while (m.clock.t < confirmed + timing.runMs - 10) m.step(tuner);
    assert.equal(m.counts.get(slow) ?? 0, before, 'no step on the slower count until the next probe');
    tuner.finish();
    assert.equal(m.kernels.activeThreads, 2, 'finish() gives back every thread');
  }
});

test('the first probe keeps all threads unless one is 10% faster; the second, runMs / 4 later, takes one thread that is 5% faster', () => {
  const m = machine((n) => (n === 1 ? 0.95 : 1));
  const tuner = ThreadTuner.for(m.kernels, () => m.clock.t, timing)!;
  const probed = timing.warmupMs + 4 * timing.blockMs;
  while (m.clock.t < probed + 2) m.step(tuner);
  assert.equal(m.kernels.activeThreads, 2, 'the first probe: 5% is within its 10% margin');
  while (m.clock.t < probed + timing.runMs / 4 + 4 * timing.blockMs + 2) m.step(tuner);
  assert.equal(m.kernels.activeThreads, 1, 'the second probe: 5% is beyond its 3% margin');
});

test('the tuner probes one thread only once a round when it is hopeless, again after each run, and at growing intervals', () => {
  const m = machine((n) => (n === 1 ? 3 : 1));
  const tuner = ThreadTuner.for(m.kernels, () => m.clock.t, timing)!;
  while (m.clock.t < timing.warmupMs + 2 * timing.blockMs + 10) m.step(tuner);
  assert.equal(m.kernels.activeThreads, 2);
  const oneThreadSteps = m.counts.get(1)!;
  assert.ok(oneThreadSteps <= Math.ceil(timing.blockMs / 3) + 1, `one block on one thread (${oneThreadSteps} steps of 3 ms), not two`);
  while (m.clock.t < timing.warmupMs + timing.runMs + 40) m.step(tuner);
  assert.ok(m.counts.get(1)! > oneThreadSteps, 'probed again after the run');
  // and less and less often: runs of 20, 40 … up to 800 ms, not a probe every 100 ms (30 of them)
  while (m.clock.t < 3000) m.step(tuner);
  const probes = m.counts.get(1)! / oneThreadSteps;
  assert.ok(probes >= 6 && probes <= 12, `${probes} probes of one thread in 3 s`);
});

test('between probes, two blocks of steps in a row on the chosen count 25% slower than the probe measured start a probe at once', () => {
  let slowState = false;
  const m = machine((n) => (n === 1 ? 1.5 : slowState ? 2 : 1));
  const tuner = ThreadTuner.for(m.kernels, () => m.clock.t, timing)!;
  while (m.clock.t < 40) m.step(tuner);
  assert.equal(m.kernels.activeThreads, 2, 'two threads while they are faster');
  slowState = true; // two threads now take 2 ms a step, one thread 1.5
  while (m.clock.t < 85) m.step(tuner); // the run would last until ~125 without the check
  assert.equal(m.kernels.activeThreads, 1, 'one thread after the slowdown, before the run was over');
});

test('restart() leaves the time since the last step (an evaluation, not a step) out of the block under way', () => {
  // one thread is faster; 500 ms of evaluation fall inside a one-thread block
  for (const restart of [true, false]) {
    const m = machine((n) => (n === 1 ? 1 : 2));
    const tuner = ThreadTuner.for(m.kernels, () => m.clock.t, timing)!;
    while (m.kernels.activeThreads !== 1) m.step(tuner);
    m.step(tuner);
    m.clock.t += 500;
    if (restart) tuner.restart();
    while (m.clock.t < 545) m.step(tuner); // the probe's end, before the next one (runMs / 4 later)
    assert.equal(m.kernels.activeThreads, restart ? 1 : 2, `restart ${restart}`);
  }
});

test('training whose thread count the tuner switches every few steps gives the same weights as one thread', async () => {
  const digits = loadEmbedded('digits');
  const run = async (kernels: WasmKernels, tune: boolean): Promise<{ weights: Float32Array[]; switches: number }> => {
    const net = Network.create([64, 32, 10], { hidden: 'relu', output: 'softmax', cost: 'cross-entropy', seed: 1, kernels });
    const params = net.params();
    const grads = net.grads();
    const optimizer = adam({ lr: 1e-2 });
    const state = optimizer.init(params, kernels);
    const order = new BatchOrder(digits.count, 32, new Rng(1));
    // a clock on which one thread looks faster in every other round: the tuner keeps switching
    let t = 0;
    let round = 0;
    const tuner = tune ? ThreadTuner.for(kernels, () => t, { warmupMs: 3, blockMs: 2, runMs: 5 }) : null;
    let switches = 0;
    let last = kernels.activeThreads;
    for (let epoch = 0; epoch < 3; epoch++) {
      order.newEpoch();
      for (let b = 0; b < order.count; b++) {
        const ids = order.batch(b);
        const { x, t: targets } = net.batchBuffers(ids.length);
        digits.gatherInputs(ids, x);
        digits.gatherTargets(ids, targets);
        net.forwardBatch(ids.length, true);
        net.backwardBatch();
        optimizer.step(params, grads, state, 1, kernels);
        t += kernels.activeThreads === 1 ? (round % 2 ? 0.5 : 2) : 1;
        tuner?.afterStep();
        if (kernels.activeThreads !== last) {
          switches++;
          last = kernels.activeThreads;
          if (kernels.activeThreads === 2) round++;
        }
      }
    }
    tuner?.finish();
    return { weights: params.map((p) => Float32Array.from(p)), switches };
  };
  const one = await WasmKernels.create({ threads: 1, memoryMB: 32 });
  const two = await WasmKernels.create({ threads: 2, minWorkPerThread: 1 });
  made.push(one, two);
  const reference = await run(one, false);
  const tuned = await run(two, true);
  assert.ok(tuned.switches >= 10, `the thread count changed ${tuned.switches} times`);
  reference.weights.forEach((w, i) => assert.deepEqual(tuned.weights[i], w, `parameter ${i} differs from the one-thread run`));
});

test('fit tunes a threaded backend unless tuneThreads is false, puts its threads back, and rejects a non-boolean', async () => {
  const digits = loadEmbedded('digits');
  const kernels = await WasmKernels.create({ threads: 2, minWorkPerThread: 1 });
  made.push(kernels);
  // count what fit sets the backend's thread count to
  const proto = Object.getPrototypeOf(kernels) as object;
  const accessor = Object.getOwnPropertyDescriptor(proto, 'activeThreads')!;
  const sets: number[] = [];
  Object.defineProperty(kernels, 'activeThreads', {
    get: () => accessor.get!.call(kernels) as number,
    set: (n: number) => {
      sets.push(n);
      accessor.set!.call(kernels, n);
    },
    configurable: true,
  });
  const net = Network.create([64, 16, 10], { hidden: 'relu', output: 'softmax', cost: 'cross-entropy', seed: 1, kernels });
  await fit(net, digits, { epochs: 1, batchSize: 32, optimizer: adam({ lr: 1e-2 }), tuneThreads: false });
  assert.deepEqual(sets, [], 'tuneThreads false: the thread count is never set');
  await fit(net, digits, { epochs: 1, batchSize: 32, optimizer: adam({ lr: 1e-2 }) });
  assert.ok(sets.length >= 1 && sets.at(-1) === 2, `tuned: the last setting gives back both threads (${sets.join(', ')})`);
  assert.equal(kernels.activeThreads, 2);
  await assert.rejects(
    fit(net, digits, { epochs: 1, batchSize: 32, optimizer: adam({ lr: 1e-2 }), tuneThreads: 'no' as unknown as boolean }),
    /tuneThreads/,
  );
});

test('a wasm backend takes activeThreads from 1 to its own thread count, and names anything else', async () => {
  const kernels = await WasmKernels.create({ threads: 2 });
  made.push(kernels);
  assert.equal(kernels.activeThreads, 2, 'all threads at first');
  kernels.activeThreads = 1;
  assert.equal(kernels.activeThreads, 1);
  for (const bad of [0, 3, 1.5, Number.NaN]) {
    assert.throws(
      () => {
        kernels.activeThreads = bad;
      },
      (e: unknown) => e instanceof Error && /activeThreads = .*: expected an integer from 1 to the backend's 2 threads/.test(e.message),
      String(bad),
    );
  }
  assert.equal(kernels.activeThreads, 1, 'a rejected value changes nothing');
});
