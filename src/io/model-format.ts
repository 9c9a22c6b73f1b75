/**
 * A trained network as safetensors bytes, laid out as PyTorch's
 * `nn.Sequential(Linear(N0, N1), act, Linear(N1, N2), act, ..., Linear(N(L-1), NL))`: tensors
 * `0.weight` (N1 × N0), `0.bias` (N1), `2.weight`, `2.bias`, ... in F32, so `load_state_dict`
 * takes them as they are. The architecture and the input scaling ride in `__metadata__`
 * (strings only: lists and objects are JSON text). No Node imports: this runs in browsers.
 */
import { NablaError, excerpt, listExcerpt } from '../errors.js';
import type { Scaling, Task } from '../data/dataset.js';
import { scalingFromJson, scalingToJson } from '../data/scaling.js';
import { checkModelMetadata } from './model-check.js';
import { decodeSafetensors, encodeSafetensors, float32Values, type SafetensorsContent, type SafetensorsTensor } from './safetensors.js';

/**
 * Everything a model file holds, independent of the Network class: weights[ℓ] is N(ℓ+1) × N(ℓ)
 * row-major (PyTorch's Linear.weight), biases[ℓ] has N(ℓ+1) values, for ℓ = 0 .. L−1.
 */
export interface ModelRecord {
  /** N0 / N1 / ... / NL. */
  sizes: number[];
  /** The hidden activation's name ('relu', 'leaky-relu', ...), or one name per hidden layer. */
  hidden: string | string[];
  /** The slope of 'leaky-relu' for negative inputs, when it has one; one per hidden layer when they differ. */
  hiddenAlpha?: number | number[];
  /** The output activation's name ('softmax', 'sigmoid', 'identity', ...). */
  output: string;
  /** The cost's name ('cross-entropy', 'binary-cross-entropy', 'quadratic'). */
  cost: string;
  weights: Float32Array[];
  biases: Float32Array[];
  /** The input scaling fitted on the training data, applied to the stored values before the network. */
  scaling?: Scaling;
  task?: Task;
  classNames?: string[];
  /** Set when training was interrupted (Ctrl-C) before it finished: the optimizer steps made. */
  interruptedAfterSteps?: number;
}

/** The version of the metadata layout below; a reader refuses a newer one. */
const FORMAT_VERSION = '1';

/**
 * The `nn.Sequential` index of the Linear module of layer ℓ + 1 (ℓ from 0): 0, 2, 4, ... (an activation module between).
 *
 * @example
 * `${linearIndex(1)}.weight`; // '2.weight', W[2]
 */
export const linearIndex = (layer: number): number => 2 * layer;

/**
 * Checks that a record's sizes, weight and bias arrays and hidden activations fit together
 * (NablaError 'SHAPE' naming the layer and the lengths expected).
 *
 * @example
 * checkModelRecord(record); // throws when weights[0] does not hold N1 × N0 values
 */
export function checkModelRecord(model: ModelRecord): void {
  const { sizes, weights, biases } = model;
  if (sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    throw new NablaError('SHAPE', `model sizes ${sizes.join('/')}: expected at least two positive integers`);
  }
  const layers = sizes.length - 1;
  if (weights.length !== layers || biases.length !== layers) {
    throw new NablaError('SHAPE', `model ${sizes.join('/')} has ${layers} layers, got ${weights.length} weight and ${biases.length} bias arrays`);
  }
  for (let l = 0; l < layers; l++) {
    const [rows, cols] = [sizes[l + 1]!, sizes[l]!];
    if (weights[l]!.length !== rows * cols) throw new NablaError('SHAPE', `model layer ${l + 1}: weights hold ${weights[l]!.length} values, expected ${rows} × ${cols}`);
    if (biases[l]!.length !== rows) throw new NablaError('SHAPE', `model layer ${l + 1}: biases hold ${biases[l]!.length} values, expected ${rows}`);
  }
  if (Array.isArray(model.hidden) && model.hidden.length !== layers - 1) {
    throw new NablaError('SHAPE', `model ${sizes.join('/')} has ${layers - 1} hidden layers, got ${model.hidden.length} hidden activations`);
  }
  if (Array.isArray(model.hiddenAlpha) && model.hiddenAlpha.length !== layers - 1) {
    throw new NablaError('SHAPE', `model ${sizes.join('/')} has ${layers - 1} hidden layers, got ${model.hiddenAlpha.length} leaky-relu slopes`);
  }
}

/**
 * The architecture and the meaning of the outputs as string pairs (sizes, hidden, hidden_alpha,
 * output, cost, task, class_names; lists as JSON text): the model file's `__metadata__` and the
 * ONNX export's metadata_props.
 *
 * @example
 * architectureMetadata(record).sizes; // '[784,100,10]'
 */
export function architectureMetadata(model: ModelRecord): Record<string, string> {
  const metadata: Record<string, string> = {
    sizes: JSON.stringify(model.sizes),
    hidden: Array.isArray(model.hidden) ? JSON.stringify(model.hidden) : model.hidden,
    output: model.output,
    cost: model.cost,
  };
  if (model.hiddenAlpha !== undefined) metadata.hidden_alpha = JSON.stringify(model.hiddenAlpha);
  if (model.task) metadata.task = model.task;
  if (model.classNames) metadata.class_names = JSON.stringify(model.classNames);
  return metadata;
}

/**
 * Encodes a model as safetensors bytes in the layout of a PyTorch `nn.Sequential` of Linear and
 * activation modules, with the architecture and scaling in `__metadata__`.
 *
 * @example
 * const bytes = encodeModel({ sizes: [2, 3, 1], hidden: 'tanh', output: 'sigmoid', cost: 'binary-cross-entropy', weights, biases });
 */
export function encodeModel(model: ModelRecord): Uint8Array {
  const { tensors, metadata } = modelContent(model);
  return encodeSafetensors(tensors, metadata);
}

/**
 * The tensors (`0.weight`, `0.bias`, `2.weight` ...) and the `__metadata__` strings of a model,
 * for a file that holds more (a checkpoint).
 *
 * @example
 * const { tensors, metadata } = modelContent(record);
 */
export function modelContent(model: ModelRecord): { tensors: [string, number[], Float32Array][]; metadata: Record<string, string> } {
  checkModelRecord(model);
  const { sizes } = model;
  const metadata: Record<string, string> = { format: 'pt', nabla_format: FORMAT_VERSION, ...architectureMetadata(model) };
  if (model.scaling) metadata.scaling = JSON.stringify(scalingToJson(model.scaling));
  if (model.interruptedAfterSteps !== undefined) Object.assign(metadata, { interrupted: 'true', steps: String(model.interruptedAfterSteps) });
  const tensors: [string, number[], Float32Array][] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    tensors.push([`${linearIndex(l)}.weight`, [sizes[l + 1]!, sizes[l]!], model.weights[l]!]);
    tensors.push([`${linearIndex(l)}.bias`, [sizes[l + 1]!], model.biases[l]!]);
  }
  return { tensors, metadata };
}

/**
 * Decodes a model from safetensors bytes, checking every name, dtype and shape against the
 * architecture in `__metadata__`; `file` names the source in FORMAT errors.
 *
 * @example
 * const model = decodeModel(bytes, 'model.safetensors'); // model.sizes, model.weights ...
 */
export function decodeModel(bytes: Uint8Array, file: string): ModelRecord {
  const content = decodeSafetensors(bytes, file);
  return modelFromContent(content, file, content.metadata.nabla_checkpoint !== undefined ? isCheckpointState : undefined);
}

/** The tensors a checkpoint holds beside the model's (see checkpoint-format.ts): a checkpoint reads as a model file too. */
export function isCheckpointState(name: string): boolean {
  return name === 'order' || /^(optimizer|best|epoch_start|exact)\./.test(name);
}

/**
 * The model in decoded safetensors content, checked as `decodeModel` does; tensors for which
 * `isOther(name)` holds belong to something else in the file (a checkpoint's optimizer state).
 *
 * @example
 * const model = modelFromContent(decodeSafetensors(bytes, file), file, (name) => name.startsWith('optimizer.'));
 */
export function modelFromContent({ tensors, metadata }: SafetensorsContent, file: string, isOther: (name: string) => boolean = () => false): ModelRecord {
  const fail = (what: string): never => {
    throw new NablaError('FORMAT', `${file}: ${what}`);
  };
  const version = metadata.nabla_format;
  if (version !== undefined && Number(version) > Number(FORMAT_VERSION)) {
    fail(`model file format ${version} is newer than this version of Nabla reads (${FORMAT_VERSION})`);
  }
  const required = (key: string, what: string): string =>
    metadata[key] ??
    fail(
      `__metadata__ has no '${key}' (${what}); a file saved by PyTorch needs save_file(state_dict, path, metadata={'sizes': '[784, 100, 10]', 'hidden': 'relu', 'output': 'softmax', 'cost': 'cross-entropy'})`,
    );
  const json = (key: string, text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return fail(`__metadata__ '${key}' is not valid JSON: ${JSON.stringify(text.slice(0, 80))}`);
    }
  };
  const sizes = json('sizes', required('sizes', 'the layer sizes N0, N1, ..., NL'));
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    return fail(`__metadata__ 'sizes' is ${excerpt(JSON.stringify(sizes) ?? String(sizes), '')}, expected a list of at least two positive integers`);
  }
  const hiddenText = required('hidden', 'the hidden activation');
  let hidden: string | string[] = hiddenText;
  if (hiddenText.startsWith('[')) {
    const names = json('hidden', hiddenText);
    if (!Array.isArray(names) || names.length !== sizes.length - 2 || !names.every((n) => typeof n === 'string')) {
      fail(`__metadata__ 'hidden' is ${excerpt(hiddenText, '')}, expected one activation name or a list of ${sizes.length - 2} (one per hidden layer)`);
    }
    hidden = names as string[];
  }
  const output = required('output', 'the output activation');
  const cost = required('cost', 'the cost');
  const model: ModelRecord = { sizes: sizes as number[], hidden, output, cost, weights: [], biases: [] };
  if (metadata.hidden_alpha !== undefined) {
    const alpha = json('hidden_alpha', metadata.hidden_alpha);
    const slope = (a: unknown): boolean => typeof a === 'number' && Number.isFinite(a);
    if (!slope(alpha) && !(Array.isArray(alpha) && alpha.length === sizes.length - 2 && alpha.every(slope))) {
      fail(`__metadata__ 'hidden_alpha' is ${excerpt(metadata.hidden_alpha, '')}, expected a finite number or a list of ${sizes.length - 2} (one per hidden layer)`);
    }
    model.hiddenAlpha = alpha as number | number[];
  }
  if (metadata.scaling !== undefined) model.scaling = scalingFromJson(json('scaling', metadata.scaling), model.sizes[0], file);
  if (metadata.task !== undefined) {
    const tasks: Task[] = ['classification', 'binary', 'regression'];
    if (!tasks.includes(metadata.task as Task)) fail(`__metadata__ 'task' is ${excerpt(metadata.task, "'")}, expected one of ${tasks.join(', ')}`);
    model.task = metadata.task as Task;
  }
  if (metadata.class_names !== undefined) {
    const names = json('class_names', metadata.class_names);
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) fail(`__metadata__ 'class_names' is not a list of strings`);
    model.classNames = names as string[];
  }
  if (metadata.interrupted === 'true') {
    const steps = Number(metadata.steps);
    if (!Number.isSafeInteger(steps) || steps < 0) fail(`__metadata__ 'steps' is ${JSON.stringify(metadata.steps)}, expected the whole number of steps made before the interruption`);
    model.interruptedAfterSteps = steps;
  }
  const layers = model.sizes.length - 1;
  const expected = new Set<string>();
  const take = (name: string, shape: number[]): Float32Array => {
    expected.add(name);
    const t: SafetensorsTensor | undefined = tensors.get(name);
    const wanted = `F32 [${shape.join(', ')}]`;
    if (t === undefined) return fail(`missing tensor '${name}' (expected ${wanted} for the architecture ${model.sizes.join('/')})`);
    if (t.dtype !== 'F32') fail(`tensor '${name}' has dtype ${t.dtype}, expected F32`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      fail(`tensor '${name}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}] for the architecture ${model.sizes.join('/')}`);
    }
    return float32Values(t);
  };
  // Nabla writes the Linear modules at 0, 2, 4, ...; a PyTorch Sequential with more modules
  // between them (Dropout, say) has them elsewhere: take the indices of the '<i>.weight' tensors.
  const found = [...tensors.keys()].filter((k) => !isOther(k)).flatMap((k) => /^(\d+)\.weight$/.exec(k)?.[1] ?? []).map(Number);
  const indices = found.length === layers ? found.sort((a, b) => a - b) : Array.from({ length: layers }, (_, l) => linearIndex(l));
  for (let l = 0; l < layers; l++) {
    const [rows, cols] = [model.sizes[l + 1]!, model.sizes[l]!];
    model.weights.push(take(`${indices[l]}.weight`, [rows, cols]));
    model.biases.push(take(`${indices[l]}.bias`, [rows]));
  }
  for (const name of tensors.keys()) {
    if (!expected.has(name) && !isOther(name)) fail(`unexpected tensor ${excerpt(name, "'")}: a ${model.sizes.join('/')} network has ${listExcerpt([...expected])}`);
  }
  checkModelMetadata(model, file);
  return model;
}
