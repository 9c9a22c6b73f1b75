import type { BatchInfo } from '../train/fit.js';
import type { EpochRecord, History, HistoryMeta } from '../train/history.js';
import type { TrainSettings } from '../train/plan.js';
import type { DatasetTransfer } from './transfer.js';

/** What the page asks the training worker to do: the raw data and the settings, as `nabla train` takes them. */
export interface TrainRequest {
  /** The data as read, before the split and the scaling (the worker does both, as the CLI does). */
  data: DatasetTransfer;
  /** The source's own test split, when it has one (then `settings.split` is not used). */
  test?: DatasetTransfer | null;
  settings: TrainSettings;
  /** The data set's name for messages and the history. */
  dataName: string;
  /** Threads of the wasm backend (default: every core where the page is cross-origin isolated). */
  threads?: number;
  /** Start paused: nothing runs until `resume` or `step`. */
  paused?: boolean;
  meta?: Partial<HistoryMeta>;
}

/** Messages to the worker. */
export type ToWorker = { type: 'start'; request: TrainRequest } | { type: 'pause' } | { type: 'resume' } | { type: 'step' } | { type: 'stop' };

/** The backend training runs on, and why it has one thread when it does. */
export interface BackendInfo {
  backend: string;
  threads: number;
  /** Why training runs on one thread, or on the pure-JS kernels; absent when it has every core. */
  reason?: string;
}

/** Messages from the worker; `model` is a safetensors file of the current weights (encodeModel). */
export type FromWorker =
  | ({ type: 'ready'; trainCount: number; testCount: number } & BackendInfo)
  | { type: 'batches'; batches: BatchInfo[] }
  | { type: 'epoch'; record: EpochRecord; model: Uint8Array }
  | { type: 'paused'; at: BatchInfo | null; model: Uint8Array }
  | { type: 'done'; history: History; model: Uint8Array }
  | { type: 'error'; message: string };
