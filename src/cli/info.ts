import { NablaError } from '../errors.js';

export interface InfoFlags {
  layers: number[];
  json: boolean;
}

/** `nabla info`: the notes' parameter counts N_b and N_w and the shape of every layer. */
export function infoCommand(flags: InfoFlags): void {
  const sizes = flags.layers;
  if (sizes.length < 2) throw new NablaError('ARGUMENT', `--layers ${sizes.join('/')}: give the full form N0/.../NL (at least two sizes)`);
  const layers = sizes.slice(1).map((n, i) => ({ layer: i + 1, weight: [n, sizes[i]!], bias: n, params: n * sizes[i]! + n }));
  const nb = layers.reduce((s, l) => s + l.bias, 0);
  const nw = layers.reduce((s, l) => s + l.weight[0]! * l.weight[1]!, 0);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ architecture: sizes.join('/'), numBiases: nb, numWeights: nw, numParams: nb + nw, layers })}\n`);
    return;
  }
  const f = (n: number): string => n.toLocaleString('en-US');
  const lines = [`${sizes.join('/')}: ${sizes.length - 1} weight layer${sizes.length === 2 ? '' : 's'}, ${sizes.length - 2} hidden`];
  for (const l of layers) lines.push(`  W[${l.layer}] ${l.weight[0]} × ${l.weight[1]}, b[${l.layer}] ${l.bias}: ${f(l.params)} parameters`);
  lines.push(`N_b = ${sizes.slice(1).join(' + ')} = ${f(nb)}`);
  lines.push(`N_w = ${sizes.slice(1).map((n, i) => `${sizes[i]}·${n}`).join(' + ')} = ${f(nw)}`);
  lines.push(`N_b + N_w = ${f(nb + nw)} parameters`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
