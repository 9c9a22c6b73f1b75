import { identityScaling } from '../data/scaling.js';
import { NablaError } from '../errors.js';
import { readModelFile } from '../io/model-file.js';
import { networkFromRecord } from '../io/network-record.js';
import { Network } from '../nn/network.js';
import { gradientCheck } from '../train/gradcheck.js';
import { describeGradientCheck } from '../train/gradcheck-text.js';
import { Matrix } from '../tensor/matrix.js';
import { Rng } from '../tensor/rng.js';
import { scaled } from '../train/plan.js';
import { loadDataset } from '../data/load.js';
import { checkLeakySlope } from './take-effect.js';

export interface GradcheckFlags {
  layers?: number[];
  hiddenActivation: string;
  leakySlope?: number;
  outputActivation?: string;
  cost?: string;
  model?: string;
  data?: string;
  label?: string;
  batch: number;
  seed: number;
  json: boolean;
}

/** The network-shaping flags a saved --model brings itself. */
const NETWORK_FLAGS = ['layers', 'hiddenActivation', 'leakySlope', 'outputActivation', 'cost'] as const;
const MAX_PARAMS = 200_000;
/** The largest random batch: finite differences need no more samples, and each costs 4 passes per parameter. */
const MAX_BATCH = 1000;

interface Problem {
  net: Network;
  x: Matrix;
  t: Matrix;
  /** What the batch is, for the heading. */
  batch: string;
}

/**
 * `nabla gradcheck`: backprop against float64 finite differences, per layer, either of a random
 * network on a random batch or (`--model`, `--data`) of a saved network on real samples scaled as
 * the model records. `explicit` lists the flags the user typed (not defaults).
 */
export function gradcheckCommand(flags: GradcheckFlags, explicit: ReadonlySet<string> = new Set()): void {
  const problem = flags.model !== undefined || flags.data !== undefined ? savedModelProblem(flags, explicit) : randomProblem(flags);
  const { net, x, t } = problem;
  if (net.numParams > MAX_PARAMS) {
    throw new NablaError('ARGUMENT', `${net.architecture} has ${net.numParams.toLocaleString('en-US')} parameters; the check makes 4 passes per parameter: use a smaller network (≤ ${MAX_PARAMS.toLocaleString('en-US')})`);
  }
  const result = gradientCheck(net, x, t);
  const hidden = net.hidden.map((h) => h.name);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ architecture: net.architecture, hidden, output: net.output.name, cost: net.cost.name, batch: x.rows, source: problem.batch, ...result })}\n`);
  } else {
    const heading = `Gradient check of ${net.architecture} (${[...new Set(hidden)].join(', ') || 'no hidden layer'}, ${net.output.name} + ${net.cost.name}) on ${problem.batch}, float64:`;
    process.stdout.write(`${describeGradientCheck(result, heading).join('\n')}\n`);
  }
  if (!result.ok) process.exitCode = 1;
}

/** A network made from the flags and a random batch: inputs uniform in [−1, 1], targets suited to the output. */
function randomProblem(flags: GradcheckFlags): Problem {
  const sizes = flags.layers ?? [8, 6, 5, 3];
  if (sizes.length < 2) throw new NablaError('ARGUMENT', `--layers ${sizes.join('/')}: give the full form N0/.../NL`);
  checkLeakySlope(flags.leakySlope, flags.hiddenActivation);
  if (flags.batch > MAX_BATCH) {
    throw new NablaError('ARGUMENT', `--batch ${flags.batch}: the check makes 4 passes over the batch per parameter; use a batch of at most ${MAX_BATCH}`);
  }
  const net = Network.create(sizes, {
    hidden: flags.hiddenActivation,
    ...(flags.leakySlope !== undefined ? { leakySlope: flags.leakySlope } : {}),
    ...(flags.outputActivation ? { output: flags.outputActivation } : {}),
    ...(flags.cost ? { cost: flags.cost } : {}),
    seed: flags.seed,
  });
  const rng = new Rng(flags.seed + 1);
  const m = flags.batch;
  const nL = sizes[sizes.length - 1]!;
  const x = Matrix.zeros(m, sizes[0]!, 'float64');
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniformIn(-1, 1);
  const t = Matrix.zeros(m, nL, 'float64');
  for (let r = 0; r < m; r++) {
    if (net.output.name === 'softmax') t.set(r, rng.int(nL), 1);
    else for (let j = 0; j < nL; j++) t.set(r, j, net.output.name === 'sigmoid' ? rng.int(2) : rng.normal());
  }
  return { net, x, t, batch: `a random batch of ${m}` };
}

/** The network of `--model` and `--batch` samples of `--data` drawn with `--seed`, scaled as the model records. */
function savedModelProblem(flags: GradcheckFlags, explicit: ReadonlySet<string>): Problem {
  if (flags.model === undefined || flags.data === undefined) {
    throw new NablaError('ARGUMENT', `${flags.model === undefined ? '--data' : '--model'} needs ${flags.model === undefined ? '--model' : '--data'}: the check of a saved network runs on samples of a data set`);
  }
  const clash = NETWORK_FLAGS.filter((f) => explicit.has(f));
  if (clash.length) {
    const names = clash.map((f) => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
    throw new NablaError('ARGUMENT', `${names} shape${clash.length === 1 ? 's' : ''} a random network; --model ${flags.model} brings its own`);
  }
  const record = readModelFile(flags.model);
  const net = networkFromRecord(record);
  const raw = loadDataset(flags.data, { ...(flags.label !== undefined ? { label: flags.label } : {}), ...(record.classNames ? { classNames: record.classNames } : {}) }).train;
  const data = scaled(raw, record.scaling ?? identityScaling(record.sizes[0]!), 'data');
  const nL = net.sizes[net.sizes.length - 1]!;
  if (data.outputSize !== nL) {
    throw new NablaError('SHAPE', `${flags.data} has ${data.outputSize} targets per sample, the model ${flags.model} (${net.architecture}) has ${nL} outputs`);
  }
  const m = Math.min(flags.batch, data.count);
  const rng = new Rng(flags.seed);
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(data.count - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const rows = order.slice(0, m).sort();
  const x = Matrix.zeros(m, net.sizes[0]!, 'float64');
  const t = Matrix.zeros(m, nL, 'float64');
  data.gatherInputs(rows, x.data);
  data.gatherTargets(rows, t.data);
  const scaling = record.scaling ? `${record.scaling.kind} scaling` : 'no scaling';
  return { net, x, t, batch: `${m} samples of ${flags.data} (rows ${[...rows].join(', ')}; ${scaling}, as the model records)` };
}
