/**
 * The one door from the playground into the library: its browser entry (the main entry, bytes in
 * and bytes out, with the wasm backend), the worker helper, and the shared training plan and
 * defaults that `nabla train` uses too.
 */
export * from '../../src/index.js';
export { digits } from '../../src/data/sets/digits.js';
export { iris } from '../../src/data/sets/iris.js';
export { breastCancer } from '../../src/data/sets/breast-cancer.js';
export { TrainingClient, datasetToTransfer, serveTraining, type TrainingEvents, type WorkerScope, type TrainRequest, type BackendInfo } from '../../src/worker/index.js';
export { TRAIN_DEFAULTS } from '../../src/train/defaults.js';
export { CONVERGENCE } from '../../src/train/run-setup.js';
export { defaultSettings, chooseScaling, createNetwork, scaled, splitForTraining, resolveLayers, type TrainSettings } from '../../src/train/plan.js';
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
