import type { Dataset } from '../data/dataset.js';
import type { Network } from '../nn/network.js';
import type { Floats } from '../tensor/matrix.js';
import { addBatch, emptyTotals, epochRecord } from './epoch-record.js';
import type { FitOptions, FitResult } from './fit-options.js';
import { resumeLoop, setUpRun, snapshot, startLoop } from './run-setup.js';
import { TrainingStep } from './step.js';
import { ThreadTuner } from './thread-tuner.js';
import { yieldToEventLoop } from './yield.js';

export type { EarlyStoppingOptions } from './early-stopping.js';
export type { BatchInfo, FitOptions, FitResult } from './fit-options.js';

/**
 * Mini-batch gradient descent, the notes' loop: for each epoch, the batches of a reshuffled
 * order; for each batch, forward, backward (the four equations), one update by the optimizer
 * with clipping chained before it. After each epoch: training and validation cost and accuracy
 * (or MSE), the per-layer gradient norms and the saturated or dead unit fractions; early stopping
 * and reduce-on-plateau act on the validation cost. A NaN or infinite cost or gradient stops
 * training at once with a clear reason in `history.stopMessage`, and the network keeps its last
 * finite weights. The whole loop state is plain data (`FitResult.state`, `onCheckpoint`), and
 * `resume` continues from it exactly. On a threaded backend the steps run on all its threads or on
 * one, whichever is faster on the machine as it is (`ThreadTuner`, re-checked every second);
 * the results are the same bits either way.
 *
 * @example
 * const { history } = await fit(net, train, { epochs: 10, batchSize: 64, optimizer: adam({ lr: 1e-3 }), validation: test });
 */
export async function fit(net: Network, data: Dataset, options: FitOptions): Promise<FitResult> {
  const run = setUpRun(net, data, options);
  const { train, validation, optimizer, order, early, plateau } = run;
  const loop = options.resume ? resumeLoop(run, net, options.resume) : startLoop(run, net, options);
  const { params, history } = loop;
  const trainStep = new TrainingStep(net, train, optimizer, params);
  /** The learning rate of the update at `step`: the schedule's, times reduce-on-plateau's multiplier. */
  const learningRate = (step: number): number => optimizer.learningRate(step) * (loop.plateau?.scale ?? 1);
  let checkpointed = '';
  let lastCheckpoint = -Infinity;
  /** Hands the state to onCheckpoint, once per position; an epoch's end only when checkpointSeconds have passed since the last. */
  const checkpoint = async (atEpochEnd = false): Promise<void> => {
    const where = `${loop.optimizer.step} ${loop.epoch} ${loop.batch}`;
    if (!options.onCheckpoint || where === checkpointed) return;
    if (atEpochEnd && now() - lastCheckpoint < (options.checkpointSeconds ?? 0) * 1000) return;
    checkpointed = where;
    await options.onCheckpoint(snapshot(run, loop));
    lastCheckpoint = now();
  };
  const t0 = now() - history.totalSeconds * 1000;
  let lastYield = now();

  // all of the backend's threads or one, whichever trains faster now (the same results either way)
  const tuner = options.tuneThreads === false ? null : ThreadTuner.for(net.kernels, now);
  try {
    training: while (!loop.finished && loop.epoch <= run.epochs) {
      const epochTime = now();
      if (loop.batch === 0) {
        // An update at the end of the last epoch may have overflowed: then keep the older snapshot.
        if (params.every(allFinite)) copyInto(loop.epochStartParams, params);
        order.newEpoch();
        loop.totals = emptyTotals(net.layers.length);
      }
      tuner?.restart(); // the epoch's evaluation and the callbacks between epochs are not steps
      while (loop.batch < order.count) {
        // Gather, forward, backward (the four equations), the update.
        const ids = order.batch(loop.batch);
        const lr = learningRate(loop.optimizer.step);
        const cost = trainStep.run(ids, loop.batch + 1 < order.count ? order.batch(loop.batch + 1) : null, loop.optimizer, loop.plateau?.scale ?? 1);
        if (!trainStep.updated) {
          const what = !Number.isFinite(cost) ? `the cost became ${cost}` : 'a gradient became NaN or infinite';
          const restored = params.every(allFinite) ? 'the weights before this batch are kept' : `the weights from the start of epoch ${loop.epoch} are restored`;
          if (!params.every(allFinite)) copyInto(params, loop.epochStartParams);
          history.stopReason = 'non-finite';
          history.stopMessage = `training stopped at epoch ${loop.epoch}, batch ${loop.batch + 1} of ${order.count}: ${what} (learning rate ${lr}); ${restored}. Try a smaller learning rate, gradient clipping (--clip-norm) or input scaling.`;
          loop.finished = true;
          break training;
        }
        loop.batch++;
        tuner?.afterStep();

        const step = loop.optimizer.step;
        addBatch(loop.totals, net, train, ids, net.batchBuffers(ids.length).t, cost, trainStep.layerSquares);
        if (step % loop.batchLogEvery === 0 || loop.batch === order.count) history.batches.push({ step, cost, lr });
        let verdict = options.onBatchEnd?.({ epoch: loop.epoch, batch: loop.batch - 1, batches: order.count, step, cost, lr, rows: ids.length });
        if (isPromise(verdict)) verdict = await verdict;
        if (verdict === false || options.signal?.aborted) {
          history.stopReason = verdict === false ? 'callback' : 'interrupted';
          break training;
        }
        if (options.checkpointEvery && step % options.checkpointEvery === 0 && loop.batch < order.count) await checkpoint();
        if (options.yieldEveryMs !== undefined && now() - lastYield >= options.yieldEveryMs) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }

      // End of the epoch: its record, then the controllers decide on the monitored cost.
      const record = epochRecord(net, train, validation, loop.epoch, loop.totals, order.count, learningRate(loop.optimizer.step - 1), (now() - epochTime) / 1000);
      history.epochs.push(record);
      history.totalSeconds = (now() - t0) / 1000;
      loop.epoch++;
      loop.batch = 0;
      const watchTraining = early.config.monitor === 'training' || record.valCost === undefined;
      const monitored = watchTraining ? record.trainCost : record.valCost!;
      const which = watchTraining ? 'training' : 'validation';
      if (!Number.isFinite(monitored)) {
        history.stopReason = 'non-finite';
        history.stopMessage = `training stopped after epoch ${record.epoch}: the ${which} cost is ${monitored}`;
        loop.finished = true;
        break;
      }
      const { improved, stop } = early.update(loop.early, monitored);
      if (improved && loop.bestParams) copyInto(loop.bestParams, params);
      history.bestEpoch = loop.early.bestEpoch;
      if (plateau && loop.plateau) plateau.update(loop.plateau, monitored); // the cost early stopping watches: never the test split when it must stay unseen
      if ((await options.onEpochEnd?.(record, history)) === false) {
        history.stopReason = 'callback';
        break;
      }
      if (run.stopEarly && stop) {
        const { patience, minDelta } = early.config;
        const best = `best was epoch ${loop.early.bestEpoch} (${loop.early.best.toPrecision(4)})`;
        history.stopReason = run.maxSteps !== null ? 'converged' : 'early-stopping';
        history.stopMessage =
          run.maxSteps !== null
            ? `converged after ${record.epoch} epochs: ${which} cost flat for ${patience} (no improvement over ${minDelta}); ${best}`
            : `no improvement of the ${which} cost for ${patience} epochs; ${best}`;
        loop.finished = true;
        break;
      }
      if (run.maxSteps !== null && loop.epoch > run.epochs) {
        history.stopReason = 'budget';
        history.stopMessage = `stopped at the budget of ${run.maxSteps.toLocaleString('en-US')} steps (${record.epoch} epochs) before the ${which} cost flattened; raise maxSteps (--max-steps) or give epochs (--epochs) to train longer`;
      }
      await checkpoint(true);
      await yieldToEventLoop(); // let progress output, timers and signals run between epochs
      lastYield = now();
    }
  } finally {
    tuner?.finish();
  }

  history.totalSeconds = (now() - t0) / 1000;
  await checkpoint();
  const state = snapshot(run, loop);
  const bestEpoch = loop.early.bestEpoch;
  if (loop.bestParams && history.stopReason !== 'interrupted' && bestEpoch > 0 && bestEpoch !== history.epochs.length) {
    copyInto(params, loop.bestParams);
    history.stopMessage = `${history.stopMessage ?? 'finished'}; weights restored from epoch ${bestEpoch}`;
  }
  return { history, optimizerState: loop.optimizer, state };
}

/** Whether a callback answered with a promise (awaited then; a plain answer costs no microtask). */
function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function allFinite(a: Floats): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

function copyInto(dst: readonly Floats[], src: readonly Floats[]): void {
  dst.forEach((d, i) => d.set(src[i]!));
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
