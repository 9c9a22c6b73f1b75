/**
 * `nabla/worker`: train in a Web Worker so a page never freezes. The worker script calls
 * `serveTraining(self)`; the page drives it with a `TrainingClient`.
 */
export { serveTraining, type WorkerScope } from './serve-training.js';
export { TrainingClient, type TrainingEvents, type WorkerLike } from './training-client.js';
export { datasetToTransfer, datasetFromTransfer, type DatasetTransfer } from './transfer.js';
export type { TrainRequest, ToWorker, FromWorker, BackendInfo } from './protocol.js';
export { defaultSettings, type TrainSettings } from '../train/plan.js';
export { TRAIN_DEFAULTS } from '../train/defaults.js';
