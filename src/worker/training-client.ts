import type { BatchInfo } from '../train/fit.js';
import type { EpochRecord, History } from '../train/history.js';
import type { BackendInfo, FromWorker, ToWorker, TrainRequest } from './protocol.js';

/** The page's side of a worker: a Web Worker, or anything with the same three members. */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  terminate(): void;
}

/** What the page hears from a training worker; `model` is a safetensors file of the current weights. */
export interface TrainingEvents {
  onReady?(info: BackendInfo & { trainCount: number; testCount: number }): void;
  onBatches?(batches: BatchInfo[]): void;
  onEpoch?(record: EpochRecord, model: Uint8Array): void;
  onPaused?(at: BatchInfo | null, model: Uint8Array): void;
  onDone?(history: History, model: Uint8Array): void;
  onError?(message: string): void;
}

/**
 * Drives `fit` in a Web Worker (one that calls `serveTraining(self)`), so the page's main thread
 * never trains: start, pause, resume, one mini-batch step, stop.
 *
 * @example
 * const client = new TrainingClient(new Worker('worker.js', { type: 'module' }), { onEpoch: (r) => plot(r) });
 * client.start({ data: datasetToTransfer(digits), settings: defaultSettings(), dataName: 'digits' });
 */
export class TrainingClient {
  private finished = false;

  constructor(
    private readonly worker: WorkerLike,
    private readonly events: TrainingEvents,
  ) {
    worker.onmessage = (event) => this.receive(event.data);
  }

  /**
   * Starts training. The request's typed arrays are moved to the worker, not copied (they are
   * unusable here afterwards): `datasetToTransfer` makes fresh ones for the purpose.
   */
  start(request: TrainRequest): void {
    const buffers = new Set<ArrayBuffer>();
    for (const t of [request.data, request.test]) {
      if (!t) continue;
      const targets = t.spec.targets;
      for (const a of [t.spec.inputs, targets && ('labels' in targets ? targets.labels : targets.values)]) {
        if (a && a.buffer instanceof ArrayBuffer && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer);
      }
    }
    this.worker.postMessage({ type: 'start', request }, [...buffers]);
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  resume(): void {
    this.send({ type: 'resume' });
  }

  /** Runs one mini-batch and pauses again. */
  step(): void {
    this.send({ type: 'step' });
  }

  /** Ends training after the current mini-batch; `onDone` follows with the history so far. */
  stop(): void {
    this.send({ type: 'stop' });
  }

  /** Ends the worker at once (no `onDone`). */
  terminate(): void {
    this.finished = true;
    this.worker.terminate();
  }

  private send(message: ToWorker): void {
    if (!this.finished) this.worker.postMessage(message);
  }

  private receive(m: FromWorker): void {
    const e = this.events;
    switch (m.type) {
      case 'ready':
        e.onReady?.(m);
        break;
      case 'batches':
        e.onBatches?.(m.batches);
        break;
      case 'epoch':
        e.onEpoch?.(m.record, m.model);
        break;
      case 'paused':
        e.onPaused?.(m.at, m.model);
        break;
      case 'done':
        this.finished = true;
        e.onDone?.(m.history, m.model);
        break;
      case 'error':
        this.finished = true;
        e.onError?.(m.message);
        break;
    }
  }
}
