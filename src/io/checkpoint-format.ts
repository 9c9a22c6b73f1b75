/**
 * A checkpoint: a model file with more in it (DESIGN.md, "Checkpoints"). The same safetensors
 * container as `model-format.ts`, so PyTorch and `decodeModel`'s checks read its weights:
 *
 *   0.weight, 0.bias, 2.weight ...        the network's parameters, F32, as in a model file
 *   optimizer.<slot>.<name>               the optimizer's state, e.g. optimizer.expAvg.0.weight
 *   best.<name>                           early stopping's best parameters (when it restores them)
 *   epoch_start.<name>                    the parameters at the start of the epoch in progress
 *   exact.<name>                          the parameters in F64, when training ran in float64
 *   order                                 I32, the sample order of the epoch in progress
 *
 * and in `__metadata__`, beside the model's keys: `nabla_checkpoint` (the version), `state` (JSON:
 * position, step, the schedule's and controllers' states, the generators' states, the epoch's
 * running totals, the history so far, the configuration with the data's fingerprints) and
 * `settings` (JSON: how the caller started the run, e.g. the CLI's flags). Non-finite numbers in
 * the JSON are written as {"$number": "NaN"}. No Node imports: this runs in browsers.
 */
import { NablaError } from '../errors.js';
import type { OptimizerState } from '../optim/optimizer.js';
import type { Floats } from '../tensor/matrix.js';
import type { TrainingState } from '../train/training-state.js';
import { isCheckpointState, linearIndex, modelContent, modelFromContent, type ModelRecord } from './model-format.js';
import { decodeSafetensors, encodeSafetensors, tensorValues, type TensorData } from './safetensors.js';

/** What a checkpoint file holds. */
export interface Checkpoint {
  /** The architecture, scaling, task and class names; the weights are `state.params`. */
  model: Omit<ModelRecord, 'weights' | 'biases'>;
  state: TrainingState;
  /** How the caller started the run (the CLI's flags), plain JSON. */
  settings?: Record<string, unknown>;
}

const CHECKPOINT_VERSION = '1';

/** `0.weight`, `0.bias`, `2.weight` ...: the model-file name of parameter array k of `Network.params()`. */
function paramName(k: number): string {
  return `${linearIndex(Math.floor(k / 2))}.${k % 2 === 0 ? 'weight' : 'bias'}`;
}

/**
 * Encodes a checkpoint as safetensors bytes (layout above).
 *
 * @example
 * const bytes = encodeCheckpoint({ model: { sizes, hidden: 'relu', output: 'softmax', cost: 'cross-entropy' }, state: result.state });
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const { state } = checkpoint;
  const f32 = (a: Floats): Float32Array => (a instanceof Float32Array ? a : Float32Array.from(a));
  const params = state.params;
  const { tensors, metadata } = modelContent({
    ...checkpoint.model,
    weights: params.filter((_, k) => k % 2 === 0).map(f32),
    biases: params.filter((_, k) => k % 2 === 1).map(f32),
  });
  const all: [string, number[], TensorData][] = [...tensors];
  const shapeOf = (k: number): number[] => tensors[k]![1];
  const add = (prefix: string, arrays: readonly Floats[]): void => arrays.forEach((a, k) => all.push([`${prefix}${paramName(k)}`, shapeOf(k), a]));
  for (const [slot, arrays] of Object.entries(state.optimizer.slots)) add(`optimizer.${slot}.`, arrays);
  if (state.bestParams) add('best.', state.bestParams);
  add('epoch_start.', state.epochStartParams);
  if (params.some((p) => !(p instanceof Float32Array))) add('exact.', params);
  all.push(['order', [state.order.length], state.order]);
  const { params: _p, optimizer, bestParams, epochStartParams: _e, order: _o, ...rest } = state;
  const saved = { ...rest, step: optimizer.step, slots: Object.keys(optimizer.slots), transforms: optimizer.transforms ?? null, hasBest: bestParams !== null };
  return encodeSafetensors(all, {
    ...metadata,
    nabla_checkpoint: CHECKPOINT_VERSION,
    state: jsonWithNonFinite(saved),
    ...(checkpoint.settings ? { settings: jsonWithNonFinite(checkpoint.settings) } : {}),
  });
}

/**
 * Decodes a checkpoint, checking the model part as `decodeModel` does and every state tensor's
 * name, dtype and shape; `file` names the source in FORMAT errors.
 *
 * @example
 * const { model, state, settings } = decodeCheckpoint(bytes, 'run.ckpt.safetensors');
 */
export function decodeCheckpoint(bytes: Uint8Array, file: string): Checkpoint {
  const fail = (what: string): never => {
    throw new NablaError('FORMAT', `${file}: ${what}`);
  };
  const content = decodeSafetensors(bytes, file);
  const { metadata, tensors } = content;
  const version = metadata.nabla_checkpoint;
  if (version === undefined) fail(`not a checkpoint: its __metadata__ has no 'nabla_checkpoint' (a model file? use it with --init)`);
  if (Number(version) > Number(CHECKPOINT_VERSION)) fail(`checkpoint format ${version} is newer than this version of Nabla reads (${CHECKPOINT_VERSION})`);
  const { weights, biases, ...model } = modelFromContent(content, file, isCheckpointState);
  const saved = parseJson(metadata.state ?? fail(`__metadata__ has no 'state'`), 'state', fail) as Record<string, unknown>;
  const settings = metadata.settings !== undefined ? (parseJson(metadata.settings, 'settings', fail) as Record<string, unknown>) : undefined;
  const check = (ok: boolean, field: string, expected: string): void => {
    if (!ok) fail(`__metadata__ 'state' field '${field}' is ${JSON.stringify(saved[field])?.slice(0, 80)}, expected ${expected}`);
  };
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  check(isCount(saved.epoch) && saved.epoch >= 1, 'epoch', 'a whole number ≥ 1');
  check(isCount(saved.batch), 'batch', 'a whole number ≥ 0');
  check(isCount(saved.step), 'step', 'a whole number ≥ 0');
  check(typeof saved.finished === 'boolean', 'finished', 'true or false');
  check(typeof saved.hasBest === 'boolean', 'hasBest', 'true or false');
  check(Array.isArray(saved.slots) && saved.slots.every((s) => typeof s === 'string'), 'slots', 'a list of slot names');
  check(isObject(saved.early), 'early', "early stopping's state");
  check(saved.plateau === null || isObject(saved.plateau), 'plateau', "reduce-on-plateau's state or null");
  check(isObject(saved.rng) && isRngState(saved.rng.shuffle) && (saved.rng.dropout === null || isRngState(saved.rng.dropout)), 'rng', 'the generators\' states');
  check(isObject(saved.totals) && Array.isArray(saved.totals.gradNorms) && saved.totals.gradNorms.length === model.sizes.length - 1, 'totals', "the epoch's running totals");
  check(isCount(saved.batchLogEvery) && saved.batchLogEvery >= 1, 'batchLogEvery', 'a whole number ≥ 1');
  check(isObject(saved.history) && isObject(saved.history.meta) && Array.isArray(saved.history.epochs) && Array.isArray(saved.history.batches), 'history', 'a training history');
  check(isObject(saved.config), 'config', 'the run\'s configuration');

  const params = weights.flatMap((w, l) => [w, biases[l]!]) as Floats[];
  const take = (name: string, length: number, dtypes: readonly string[]): TensorData => {
    const t = tensors.get(name) ?? fail(`missing tensor '${name}'`);
    const values = dtypes.includes(t.dtype) ? tensorValues(t) : null;
    if (values === null) return fail(`tensor '${name}' has dtype ${t.dtype}, expected ${dtypes.join(' or ')}`);
    if (values.length !== length) fail(`tensor '${name}' has ${values.length} values, expected ${length}`);
    return values;
  };
  const stateArrays = (prefix: string): Floats[] => params.map((p, k) => take(`${prefix}${paramName(k)}`, p.length, ['F32', 'F64']) as Floats);
  const exact = tensors.has(`exact.${paramName(0)}`) ? stateArrays('exact.') : params;
  const optimizer: OptimizerState = { step: saved.step as number, slots: Object.fromEntries((saved.slots as string[]).map((slot) => [slot, stateArrays(`optimizer.${slot}.`)])) };
  if (Array.isArray(saved.transforms)) optimizer.transforms = saved.transforms as NonNullable<OptimizerState['transforms']>;
  const trainCount = (saved.config as { train?: { count?: unknown } }).train?.count;
  if (!isCount(trainCount)) fail(`__metadata__ 'state' has no training sample count (config.train.count)`);
  const order = take('order', trainCount as number, ['I32']) as Int32Array;
  const { step: _s, slots: _l, transforms: _t, hasBest, ...rest } = saved;
  const state = {
    ...(rest as Omit<TrainingState, 'params' | 'optimizer' | 'bestParams' | 'epochStartParams' | 'order'>),
    params: exact,
    optimizer,
    bestParams: hasBest ? stateArrays('best.') : null,
    epochStartParams: stateArrays('epoch_start.'),
    order,
  };
  return { model, state, ...(settings ? { settings } : {}) };
}

function isRngState(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const { words, spare } = v as { words?: unknown; spare?: unknown };
  return Array.isArray(words) && words.length === 4 && words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32) && (spare === null || typeof spare === 'number');
}

/** JSON text in which NaN and ±Infinity survive, as {"$number": "NaN"}. */
function jsonWithNonFinite(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v));
}

function parseJson(text: string, key: string, fail: (what: string) => never): unknown {
  try {
    return JSON.parse(text, (_key, v: unknown) => {
      if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && '$number' in v) return Number((v as { $number: unknown }).$number);
      return v;
    });
  } catch {
    return fail(`__metadata__ '${key}' is not valid JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}
