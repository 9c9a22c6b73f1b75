/**
 * Nabla: feed-forward neural networks trained by backpropagation, in TypeScript.
 * This entry point runs anywhere (Node and browsers; bundlers resolve it without a Node built-in):
 * bytes in, bytes out. Readers and writers of paths are in `nabla/node`; the shipped data sets are
 * `nabla/data/digits`, `nabla/data/iris` and `nabla/data/breast-cancer`.
 */
export { NablaError, type NablaErrorCode } from './errors.js';
export { Matrix, type DType, type Floats } from './tensor/matrix.js';
export { Rng, type RngState } from './tensor/rng.js';
export type { Kernels } from './kernels/kernels.js';
export { KernelsBase } from './kernels/kernels.js';
export { ReferenceKernels } from './kernels/reference.js';
export { JsKernels } from './kernels/js.js';
export { WasmKernels, type WasmKernelsOptions } from './kernels/wasm/wasm-kernels.js';
export { selectKernels, describeKernels, cpuCount, backendNames, type BackendName, type SelectKernelsOptions } from './kernels/select.js';
export { activation, activationNames, leakyRelu, sigmoid, softplus, type Activation, type ActivationName } from './nn/activations.js';
export { outputActivation, outputNames, type OutputActivation, type OutputName } from './nn/outputs.js';
export { cost, costNames, type Cost, type CostName } from './nn/costs.js';
export { pairOutput, type OutputPairing } from './nn/output-layer.js';
export { defaultInit, initNames, initWeights, type InitName } from './nn/init.js';
export { Network, type Layer, type NetworkOptions } from './nn/network.js';
export * from './optim/index.js';
export { arrayDataset } from './data/array-dataset.js';
export type { Dataset, Scaling, Task } from './data/dataset.js';
export { splitDataset, subsetDataset, type SplitOptions } from './data/split.js';
export { applyScaling, fitScaling } from './data/scaling.js';
export { tableDataset, type TableSpec } from './data/table.js';
export { parseCsv, decodeCsv, type CsvOptions } from './data/csv.js';
export { decodeIdx, decodeIdxPair, idxDataset, pixelScaling, FASHION_MNIST_CLASSES, type IdxArray, type IdxNames, type IdxOptions } from './data/idx.js';
export { decompressIfGzipped, isGzipped } from './io/gzip.js';
export { fit, type FitOptions, type FitResult, type BatchInfo, type EarlyStoppingOptions } from './train/fit.js';
export { earlyStopping, type EarlyStoppingController, type EarlyStoppingDecision, type EarlyStoppingState } from './train/early-stopping.js';
export type { EpochTotals, TrainingConfig, TrainingState } from './train/training-state.js';
export { yieldToEventLoop } from './train/yield.js';
export { datasetFingerprint } from './data/fingerprint.js';
export { evaluate, predictedClass, type Evaluation } from './train/metrics.js';
export {
  gradientCheck,
  relativeError,
  roundingError,
  GRADIENT_CHECK_LIMIT,
  type GradientCheckResult,
  type GradientCheckOptions,
  type LayerCheck,
  type KinkCrossing,
  type LeftOutParameter,
} from './train/gradcheck.js';
export { describeGradientCheck } from './train/gradcheck-text.js';
export { BatchOrder } from './train/batches.js';
export { unitHealth } from './train/diagnostics.js';
export type { History, EpochRecord, BatchRecord, HistoryMeta, FinalEvaluation } from './train/history.js';
export { encodeModel, decodeModel, type ModelRecord } from './io/model-format.js';
export { encodeSafetensors, decodeSafetensors } from './io/safetensors.js';
export { encodeCheckpoint, decodeCheckpoint, type Checkpoint } from './io/checkpoint-format.js';
export { networkToRecord, networkFromRecord, type ModelExtras } from './io/network-record.js';
export { encodeOnnx, onnxIrVersion, onnxHiddenActivations, ONNX_OPSET, ONNX_INPUT, ONNX_OUTPUT, type OnnxExportOptions } from './io/onnx.js';
export { renderReport, architecture } from './report/render.js';
export { finalEvaluation, type FinalEvaluationOptions } from './report/final-evaluation.js';
