import { NablaError } from '../errors.js';
import { Network } from '../nn/network.js';
import { gradientCheck } from '../train/gradcheck.js';
import { Matrix } from '../tensor/matrix.js';
import { Rng } from '../tensor/rng.js';
import { checkLeakySlope } from './take-effect.js';

export interface GradcheckFlags {
  layers: number[];
  hiddenActivation: string;
  leakySlope?: number;
  outputActivation?: string;
  cost?: string;
  batch: number;
  seed: number;
  json: boolean;
}

const LIMIT = 1e-6;
/** The largest random batch: finite differences need no more samples, and each costs 4 passes per parameter. */
const MAX_BATCH = 1000;

/** `nabla gradcheck`: backprop against float64 finite differences on a random batch, per layer. */
export function gradcheckCommand(flags: GradcheckFlags): void {
  const sizes = flags.layers;
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
  if (net.numParams > 200_000) {
    throw new NablaError('ARGUMENT', `--layers ${net.architecture} has ${net.numParams.toLocaleString('en-US')} parameters; the check makes 4 passes per parameter: use a smaller network (≤ 200,000)`);
  }
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
  const result = gradientCheck(net, x, t);
  const ok = result.worst < LIMIT;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ architecture: net.architecture, hidden: net.hidden.map((h) => h.name), output: net.output.name, cost: net.cost.name, batch: m, ...result, limit: LIMIT, ok })}\n`);
  } else {
    const lines = [`Gradient check of ${net.architecture} (${net.hidden[0]?.name ?? 'no hidden layer'}, ${net.output.name} + ${net.cost.name}) on a random batch of ${m}, float64:`];
    lines.push('  layer   worst rel. error ∂C/∂W   ∂C/∂b');
    for (const l of result.layers) lines.push(`  ${String(l.layer).padStart(5)}   ${l.weights.toExponential(2).padStart(22)}   ${l.biases.toExponential(2)}`);
    lines.push(`${ok ? 'OK' : 'FAILED'}: worst relative error ${result.worst.toExponential(2)} over ${result.checked} parameters (limit ${LIMIT})`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (!ok) process.exitCode = 1;
}
