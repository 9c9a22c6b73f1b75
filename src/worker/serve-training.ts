import type { Dataset } from '../data/dataset.js';
import { encodeModel } from '../io/model-format.js';
import { networkToRecord, type ModelExtras } from '../io/network-record.js';
import type { Kernels } from '../kernels/kernels.js';
import { selectKernels } from '../kernels/select.js';
import type { Network } from '../nn/network.js';
import { finalEvaluation } from '../report/final-evaluation.js';
import { fit, type BatchInfo } from '../train/fit.js';
import { yieldToEventLoop } from '../train/yield.js';
import { chooseScaling, createNetwork, createOptimizerFromSettings, fitOptionsFromSettings, scaled, splitForTraining } from '../train/plan.js';
import type { BackendInfo, FromWorker, ToWorker, TrainRequest } from './protocol.js';
import { datasetFromTransfer } from './transfer.js';

/** The worker's side of a message port: `self` in a Web Worker. */
export interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
}

/** Batch records are sent, and messages read, at most this often (ms) while training runs. */
const YIELD_EVERY_MS = 20;

/**
 * Runs in a Web Worker: trains on `start` with the same split, scaling, network, optimizer and
 * fit options as `nabla train`, streams batch records (every ~20 ms) and epoch records with the
 * weights, and obeys pause, resume, step (one mini-batch) and stop between mini-batches.
 *
 * @example
 * // worker.ts, bundled as its own file
 * import { serveTraining } from 'nabla/worker';
 * serveTraining(self as unknown as WorkerScope);
 */
export function serveTraining(scope: WorkerScope): void {
  let run: ReturnType<typeof control> | null = null;
  scope.onmessage = (event) => {
    const m = event.data;
    if (m.type === 'start') {
      if (run) return scope.postMessage({ type: 'error', message: 'this worker is already training; start a new worker for a new run' });
      run = control(m.request.paused === true);
      void train(scope, m.request, run).catch((e: unknown) => scope.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
    } else if (run) {
      run.command(m.type);
    }
  };
}

/**
 * Pause, resume, step and stop as state the training loop reads between mini-batches. A step that
 * arrives before the loop waits (e.g. right after start) is kept and spent at the next wait.
 */
function control(startPaused: boolean) {
  let paused = startPaused;
  let stopped = false;
  let steps = 0;
  let release: (() => void) | null = null;
  return {
    get paused() {
      return paused;
    },
    get stopped() {
      return stopped;
    },
    command(type: 'pause' | 'resume' | 'step' | 'stop'): void {
      if (type === 'pause' || type === 'step') paused = true;
      if (type === 'resume') paused = false;
      if (type === 'stop') stopped = true;
      if (type === 'step' && !release) steps++;
      if (type !== 'pause') release?.();
    },
    /** True when a step was asked for before the loop came to wait: spend it and run one mini-batch. */
    takeStep(): boolean {
      if (steps === 0) return false;
      steps--;
      return true;
    },
    /** Waits for resume, step or stop. */
    wait(): Promise<void> {
      return new Promise((resolve) => {
        release = () => {
          release = null;
          resolve();
        };
      });
    },
  };
}

/** Why the kernels run as they do when it is not wasm on several threads: the selection's own reason (nothing falls back silently). */
function threadReason(kernels: Kernels): string | undefined {
  if (kernels.threads > 1) return undefined;
  return kernels.reason ?? 'one thread: this machine reports one core';
}

async function train(scope: WorkerScope, req: TrainRequest, run: ReturnType<typeof control>): Promise<void> {
  const s = req.settings;
  const raw = datasetFromTransfer(req.data);
  const rawTest = req.test ? datasetFromTransfer(req.test) : null;
  const parts = splitForTraining(raw, rawTest, s, req.dataName);
  const scaling = chooseScaling(parts.train, s.scale);
  const trainSet = scaled(parts.train, scaling, 'training data');
  const testSet: Dataset | null = parts.test ? scaled(parts.test, scaling, 'test data') : null;
  const kernels = await selectKernels(req.threads !== undefined ? { threads: req.threads } : {});
  try {
    const info: BackendInfo = { backend: kernels.name, threads: kernels.threads };
    const reason = threadReason(kernels);
    if (reason) info.reason = reason;
    scope.postMessage({ type: 'ready', trainCount: trainSet.count, testCount: testSet?.count ?? 0, ...info });
    const net = createNetwork(s, trainSet, kernels, `the data (${req.dataName})`);
    const extras: ModelExtras = { scaling, task: trainSet.task, ...(trainSet.classNames ? { classNames: trainSet.classNames } : {}) };
    const model = (n: Network): Uint8Array => encodeModel(networkToRecord(n, extras));
    const optimizer = createOptimizerFromSettings(s);
    let pending: BatchInfo[] = [];
    let last: BatchInfo | null = null;
    let lastYield = performance.now();
    const flush = (): void => {
      if (pending.length > 0) scope.postMessage({ type: 'batches', batches: pending });
      pending = [];
    };
    const holdWhilePaused = async (): Promise<void> => {
      if (!run.paused || run.stopped || run.takeStep()) return;
      flush();
      const bytes = model(net);
      scope.postMessage({ type: 'paused', at: last, model: bytes }, [bytes.buffer]);
      await run.wait(); // resume, stop, or a step: one more mini-batch, after which it pauses again
    };
    await holdWhilePaused();
    const { history } = await fit(net, trainSet, {
      ...fitOptionsFromSettings(s, optimizer, testSet),
      onBatchEnd: async (b) => {
        last = b;
        pending.push(b);
        if (run.stopped) return false;
        if (run.paused) {
          await holdWhilePaused();
        } else if (performance.now() - lastYield >= YIELD_EVERY_MS) {
          flush();
          await yieldToEventLoop();
          lastYield = performance.now();
          if (run.paused) await holdWhilePaused();
        }
        return run.stopped ? false : undefined;
      },
      onEpochEnd: (record) => {
        flush();
        const bytes = model(net);
        scope.postMessage({ type: 'epoch', record, model: bytes }, [bytes.buffer]);
      },
      meta: { dataset: req.dataName, scaling: scaling.kind, ...(s.schedule ? { schedule: s.schedule } : {}), ...req.meta },
    });
    flush();
    if (testSet && testSet.count > 0) history.final = finalEvaluation(net, testSet, { split: 'test' });
    const bytes = model(net);
    scope.postMessage({ type: 'done', history, model: bytes }, [bytes.buffer]);
  } finally {
    kernels.dispose?.();
  }
}
