import { NablaError } from '../errors.js';
import type { BatchRecord, EpochRecord, FinalEvaluation, History, HistoryMeta } from '../train/history.js';
import { formatBytes, readBytes, writeFileAtomic } from '../io/files.js';

/** The largest history file read: a run of 10,000 epochs with every batch recorded is a few MB. */
const MAX_HISTORY_BYTES = 64 * 2 ** 20;

/** The `format` tag `writeHistory` puts first in the file, so a history is recognisable at a glance. */
export const HISTORY_FORMAT = 'nabla-history';
export const HISTORY_VERSION = 1;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** Reads fields of parsed JSON, throwing a NablaError that names the file and the field's path. */
class Reader {
  constructor(private readonly source: string) {}

  fail(path: string, expected: string, got: Json | undefined): never {
    const seen = got === undefined ? 'it is missing' : `found ${describe(got)}`;
    throw new NablaError('FORMAT', `${this.source}: not a Nabla training history: '${path}' should be ${expected}, but ${seen}`);
  }

  obj(v: Json | undefined, path: string): Obj {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'an object', v);
    return v;
  }

  arr(v: Json | undefined, path: string): Json[] {
    if (!Array.isArray(v)) this.fail(path, 'an array', v);
    return v;
  }

  num(v: Json | undefined, path: string): number {
    if (typeof v !== 'number') this.fail(path, 'a number', v);
    return v;
  }

  int(v: Json | undefined, path: string, min = 0): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(path, `an integer ≥ ${min}`, v);
    return v;
  }

  /** A measured value: JSON has no NaN or ∞, so a non-finite measurement is written as null and read back as NaN. */
  measure(v: Json | undefined, path: string): number {
    if (v === null) return NaN;
    return this.num(v, path);
  }

  str(v: Json | undefined, path: string): string {
    if (typeof v !== 'string') this.fail(path, 'a string', v);
    return v;
  }

  optional<T>(o: Obj, key: string, path: string, read: (v: Json, path: string) => T): T | undefined {
    const v = o[key];
    return v === undefined ? undefined : read(v, path ? `${path}.${key}` : key);
  }
}

function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * The checked `fields` over the `source` object: fields this version does not know (added by a
 * newer Nabla, say) pass through unchanged, and optional fields that are absent stay absent.
 */
function checked<T extends object>(source: Obj, fields: T): T {
  const known = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { ...source, ...known } as T;
}

const TASKS = ['classification', 'binary', 'regression'] as const;

function readMeta(r: Reader, v: Json | undefined): HistoryMeta {
  const o = r.obj(v, 'meta');
  const sizes = r.arr(o.sizes, 'meta.sizes').map((s, i) => r.int(s, `meta.sizes[${i}]`, 1));
  if (sizes.length < 2) r.fail('meta.sizes', 'at least two layer sizes (N0/.../NL)', o.sizes);
  const task = r.str(o.task, 'meta.task');
  if (!(TASKS as readonly string[]).includes(task)) r.fail('meta.task', `one of ${TASKS.join(', ')}`, o.task);
  const opt = r.obj(o.optimizer, 'meta.optimizer');
  const optimizer: HistoryMeta['optimizer'] = { name: r.str(opt.name, 'meta.optimizer.name') };
  for (const [k, x] of Object.entries(opt)) {
    if (k === 'name') continue;
    if (typeof x !== 'number' && typeof x !== 'boolean' && typeof x !== 'string') r.fail(`meta.optimizer.${k}`, 'a number, boolean or string', x);
    optimizer[k] = x;
  }
  return checked<HistoryMeta>(o, {
    command: r.optional(o, 'command', 'meta', (x, p) => r.str(x, p)),
    dataset: r.optional(o, 'dataset', 'meta', (x, p) => r.str(x, p)),
    sizes,
    hidden: r.arr(o.hidden, 'meta.hidden').map((h, i) => r.str(h, `meta.hidden[${i}]`)),
    output: r.str(o.output, 'meta.output'),
    cost: r.str(o.cost, 'meta.cost'),
    task: task as HistoryMeta['task'],
    classNames: r.optional(o, 'classNames', 'meta', (x, p) => r.arr(x, p).map((n, i) => r.str(n, `${p}[${i}]`))),
    optimizer,
    schedule: r.optional(o, 'schedule', 'meta', (x, p) => r.str(x, p)),
    batchSize: r.int(o.batchSize, 'meta.batchSize', 1),
    epochs: r.int(o.epochs, 'meta.epochs'),
    maxSteps: r.optional(o, 'maxSteps', 'meta', (x, p) => r.int(x, p, 1)),
    seed: r.num(o.seed, 'meta.seed'),
    backend: r.str(o.backend, 'meta.backend'),
    threads: r.int(o.threads, 'meta.threads'),
    backendReason: r.optional(o, 'backendReason', 'meta', (x, p) => r.str(x, p)),
    numBiases: r.int(o.numBiases, 'meta.numBiases'),
    numWeights: r.int(o.numWeights, 'meta.numWeights'),
    trainCount: r.int(o.trainCount, 'meta.trainCount'),
    valCount: r.optional(o, 'valCount', 'meta', (x, p) => r.int(x, p)),
    startedAt: r.str(o.startedAt, 'meta.startedAt'),
  });
}

function readEpoch(r: Reader, v: Json, p: string): EpochRecord {
  const o = r.obj(v, p);
  const m = (key: string) => r.optional(o, key, p, (x, q) => r.measure(x, q));
  return checked<EpochRecord>(o, {
    epoch: r.int(o.epoch, `${p}.epoch`, 1),
    trainCost: r.measure(o.trainCost, `${p}.trainCost`),
    trainAccuracy: m('trainAccuracy'),
    trainMse: m('trainMse'),
    valCost: m('valCost'),
    valAccuracy: m('valAccuracy'),
    valMse: m('valMse'),
    valCorrect: r.optional(o, 'valCorrect', p, (x, q) => r.int(x, q)),
    valCount: r.optional(o, 'valCount', p, (x, q) => r.int(x, q)),
    lr: r.measure(o.lr, `${p}.lr`),
    seconds: r.num(o.seconds, `${p}.seconds`),
    gradNorms: r.arr(o.gradNorms, `${p}.gradNorms`).map((g, i) => r.measure(g, `${p}.gradNorms[${i}]`)),
    saturation: r.arr(o.saturation, `${p}.saturation`).map((s, i) => (s === null ? null : r.num(s, `${p}.saturation[${i}]`))),
  });
}

function readBatch(r: Reader, v: Json, p: string): BatchRecord {
  const o = r.obj(v, p);
  return checked<BatchRecord>(o, { step: r.int(o.step, `${p}.step`), cost: r.measure(o.cost, `${p}.cost`), lr: r.measure(o.lr, `${p}.lr`) });
}

function readFinal(r: Reader, v: Json, p: string): FinalEvaluation {
  const o = r.obj(v, p);
  const split = r.str(o.split, `${p}.split`);
  if (split !== 'test' && split !== 'validation') r.fail(`${p}.split`, "'test' or 'validation'", o.split);
  const nums = (x: Json, q: string) => r.arr(x, q).map((n, i) => r.measure(n, `${q}[${i}]`));
  const shape = r.optional(o, 'imageShape', p, (x, q) => {
    const a = r.arr(x, q);
    if (a.length !== 2) r.fail(q, '[height, width]', x);
    return [r.int(a[0], `${q}[0]`, 1), r.int(a[1], `${q}[1]`, 1)] as [number, number];
  });
  return checked<FinalEvaluation>(o, {
    split,
    count: r.int(o.count, `${p}.count`),
    cost: r.measure(o.cost, `${p}.cost`),
    accuracy: r.optional(o, 'accuracy', p, (x, q) => r.measure(x, q)),
    mse: r.optional(o, 'mse', p, (x, q) => r.measure(x, q)),
    confusion: r.optional(o, 'confusion', p, (x, q) => r.arr(x, q).map((row, i) => r.arr(row, `${q}[${i}]`).map((c, j) => r.int(c, `${q}[${i}][${j}]`)))),
    misclassified: r.optional(o, 'misclassified', p, (x, q) =>
      r.arr(x, q).map((s, i) => {
        const so = r.obj(s, `${q}[${i}]`);
        return checked(so, {
          index: r.int(so.index, `${q}[${i}].index`),
          label: r.int(so.label, `${q}[${i}].label`),
          predicted: r.int(so.predicted, `${q}[${i}].predicted`),
          pixels: r.optional(so, 'pixels', `${q}[${i}]`, nums),
        });
      }),
    ),
    imageShape: shape,
    curve: r.optional(o, 'curve', p, (x, q) => {
      const c = r.obj(x, q);
      return { x: nums(c.x ?? null, `${q}.x`), y: nums(c.y ?? null, `${q}.y`), gridX: nums(c.gridX ?? null, `${q}.gridX`), gridY: nums(c.gridY ?? null, `${q}.gridY`) };
    }),
  });
}

/**
 * Checks parsed JSON against the `History` shape and returns it as a History; `source` (a file
 * name) starts every error message. Non-finite measurements, written as `null` by JSON, come back
 * as NaN.
 *
 * @throws NablaError('FORMAT') naming the first missing or invalid field, e.g.
 *   "run.json: not a Nabla training history: 'epochs[2].trainCost' should be a number, but it is missing"
 */
export function parseHistory(value: unknown, source = 'history'): History {
  const r = new Reader(source);
  const o = r.obj(value as Json, '(top level)');
  if (o.format !== undefined && o.format !== HISTORY_FORMAT) r.fail('format', `'${HISTORY_FORMAT}'`, o.format);
  if (o.version !== undefined && (typeof o.version !== 'number' || o.version > HISTORY_VERSION))
    r.fail('version', `a number ≤ ${HISTORY_VERSION} (this Nabla reads history files up to version ${HISTORY_VERSION})`, o.version);
  const rest = Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'format' && k !== 'version'));
  return checked<History>(rest, {
    meta: readMeta(r, o.meta),
    epochs: r.arr(o.epochs, 'epochs').map((e, i) => readEpoch(r, e, `epochs[${i}]`)),
    batches: r.arr(o.batches, 'batches').map((b, i) => readBatch(r, b, `batches[${i}]`)),
    stopReason: r.str(o.stopReason, 'stopReason'),
    stopMessage: r.optional(o, 'stopMessage', '', (x, p) => r.str(x, p)),
    bestEpoch: r.optional(o, 'bestEpoch', '', (x, p) => r.int(x, p, 1)),
    totalSeconds: r.num(o.totalSeconds, 'totalSeconds'),
    final: r.optional(o, 'final', '', (x, p) => readFinal(r, x, p)),
  });
}

/** The JSON text of a history file: `{"format":"nabla-history","version":1, ...history}`. */
export function historyJson(history: History): string {
  return `${JSON.stringify({ format: HISTORY_FORMAT, version: HISTORY_VERSION, ...history })}\n`;
}

/**
 * Writes a training history as JSON (what `--history run.json` saves and `nabla report run.json`
 * reads), atomically: a temporary file beside `path`, then a rename.
 *
 * @example
 * const history = await fit(net, train, { epochs: 3 });
 * writeHistory('run.json', history);
 */
export function writeHistory(path: string, history: History): void {
  writeFileAtomic(path, new TextEncoder().encode(historyJson(history)));
}

/**
 * Reads and validates a history file written by `writeHistory`.
 *
 * @throws NablaError('FILE') when the file cannot be read, NablaError('FORMAT') when it is not
 *   JSON or not a Nabla history (the message names the file and the field).
 * @example
 * writeReport('run.html', readHistory('run.json'));
 */
export function readHistory(path: string): History {
  const text = new TextDecoder().decode(readBytes(path, { bytes: MAX_HISTORY_BYTES, why: `a training history is at most ${formatBytes(MAX_HISTORY_BYTES)}` }));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new NablaError('FORMAT', `${path}: not a Nabla training history: the file is not valid JSON (${(e as Error).message})`);
  }
  return parseHistory(value, path);
}
