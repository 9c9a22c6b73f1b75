/**
 * The one door from the playground into the library. Until the package's browser entry gives the
 * wasm backend and fs-free readers, these come from the source files; then this file re-exports
 * from 'nabla', 'nabla/worker' and the package's data modules, and nothing else changes.
 */
export * from '../../src/index.js';
export { TrainingClient, datasetToTransfer, serveTraining, type TrainingEvents, type WorkerScope, type TrainRequest, type BackendInfo } from '../../src/worker/index.js';
export { TRAIN_DEFAULTS } from '../../src/train/defaults.js';
export { defaultSettings, chooseScaling, createNetwork, scaled, splitForTraining, resolveLayers, type TrainSettings } from '../../src/train/plan.js';
export { parseCsv, type CsvOptions } from '../../src/data/csv.js';
export { decodeIdx, idxImagesDataset, FASHION_MNIST_CLASSES } from '../../src/data/idx.js';
export { tableDataset } from '../../src/data/table.js';
/** The HTML report's renderer (it inlines Chart.js, ~200 KiB), loaded only when a report is downloaded. */
export const loadReportRenderer = (): Promise<typeof import('../../src/report/render.js')> => import('../../src/report/render.js');
export { PALETTE, saturationKind } from '../../src/report/charts.js';
export { activationNames } from '../../src/nn/activations.js';
export { outputNames } from '../../src/nn/outputs.js';
export { costNames } from '../../src/nn/costs.js';
export { initNames } from '../../src/nn/init.js';
export { optimizerNames } from '../../src/optim/registry.js';
export { scheduleSyntax } from '../../src/optim/parse-schedule.js';
export { SCALING_KINDS } from '../../src/data/scaling.js';
