import { NablaError } from '../errors.js';
import type { Floats } from '../tensor/matrix.js';
import { softplus } from './activations.js';
import type { Cost } from './costs.js';
import type { OutputActivation } from './outputs.js';

/**
 * Equation 1 of backprop: Δ[L] = ∂C/∂Z[L], and the cost itself, for an output activation g
 * paired with a cost C.
 *
 * The two canonical pairs are fused: softmax + cross-entropy and sigmoid + binary cross-entropy
 * both give Δ[L] = (Ŷ − T)/m, and their cost is computed from the logits Z (log-sum-exp and
 * softplus), so saturated outputs (logits of ±1000) give finite costs and exact gradients.
 * Every other pairing goes through the general chain rule ∂C/∂Ŷ · ∂Ŷ/∂Z (including the
 * softmax Jacobian for softmax + quadratic).
 */
export interface OutputPairing {
  readonly fused: boolean;
  cost(m: number, n: number, z: Floats, yhat: Floats, t: Floats): number;
  /** Writes Δ[L]; `scratch` (m × n) holds ∂C/∂Ŷ for the unfused path. */
  delta(m: number, n: number, z: Floats, yhat: Floats, t: Floats, out: Floats, scratch: Floats): void;
}

function fusedDelta(m: number, n: number, _z: Floats, yhat: Floats, t: Floats, out: Floats): void {
  for (let i = 0; i < m * n; i++) out[i] = (yhat[i]! - t[i]!) / m;
}

/**
 * Σ_k t_k (logsumexp(z) − z_k) per row, averaged: −Σ t ln softmax(z). A row whose target classes
 * all have a probability ŷ_k ≥ 2⁻¹⁰⁰ takes −Σ t_k ln ŷ_k from the forward pass's ŷ (ln ŷ_k =
 * z_k − logsumexp(z), as exact as ŷ is: one float32 rounding, 6·10⁻⁸ of the cost); a row with a
 * smaller one, where ŷ has lost its digits or underflowed to 0, is computed from the logits with
 * log-sum-exp, so a saturated output still gives a finite cost.
 */
function softmaxCrossEntropyFromLogits(m: number, n: number, z: Floats, yhat: Floats, t: Floats): number {
  let total = 0;
  for (let r = 0; r < m; r++) {
    const o = r * n;
    let fromProbabilities = 0;
    let usable = true;
    for (let j = 0; j < n && usable; j++) {
      const tj = t[o + j]!;
      if (tj === 0) continue;
      const p = yhat[o + j]!;
      if (p >= TRUSTED_PROBABILITY) fromProbabilities -= tj * Math.log(p);
      else usable = false;
    }
    if (usable) {
      total += fromProbabilities;
      continue;
    }
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (z[o + j]! > max) max = z[o + j]!;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(z[o + j]! - max);
    const lse = max + Math.log(sum);
    for (let j = 0; j < n; j++) if (t[o + j]! !== 0) total += t[o + j]! * (lse - z[o + j]!);
  }
  return total / m;
}

/** The smallest probability whose logarithm softmaxCrossEntropyFromLogits takes from ŷ rather than the logits. */
const TRUSTED_PROBABILITY = 2 ** -100;

/** −t ln σ(z) − (1 − t) ln(1 − σ(z)) = softplus(z) − t z, averaged over rows. */
function sigmoidBinaryCrossEntropyFromLogits(m: number, n: number, z: Floats, _yhat: Floats, t: Floats): number {
  let total = 0;
  for (let i = 0; i < m * n; i++) total += softplus(z[i]!) - t[i]! * z[i]!;
  return total / m;
}

const fusedPairs: Record<string, OutputPairing> = {
  'softmax+cross-entropy': { fused: true, cost: softmaxCrossEntropyFromLogits, delta: fusedDelta },
  'sigmoid+binary-cross-entropy': { fused: true, cost: sigmoidBinaryCrossEntropyFromLogits, delta: fusedDelta },
};

/**
 * Throws NablaError('ARGUMENT') for an output layer that cannot learn: softmax over one output
 * (always 1, so the cost never changes), or a cross-entropy cost on outputs that are not
 * probabilities (log of a negative output is NaN).
 *
 * @example
 * checkOutputLayer('softmax', 'cross-entropy', 1); // throws: softmax over 1 output is always 1
 */
export function checkOutputLayer(output: string, cost: string, outputs: number): void {
  if (output === 'softmax' && outputs === 1) {
    throw new NablaError('ARGUMENT', `output softmax over 1 output is always 1, so nothing can be learned: use sigmoid for two classes, identity for regression`);
  }
  if ((cost === 'cross-entropy' || cost === 'binary-cross-entropy') && output !== 'softmax' && output !== 'sigmoid') {
    throw new NablaError('ARGUMENT', `cost ${cost} takes the log of the outputs, which must be probabilities: use output softmax or sigmoid, not ${output}`);
  }
}

/** The pairing of `g` and `c`: fused where a canonical pair, the chain rule otherwise. */
export function pairOutput(g: OutputActivation, c: Cost): OutputPairing {
  return (
    fusedPairs[`${g.name}+${c.name}`] ?? {
      fused: false,
      cost: (m, n, _z, yhat, t) => c.value(m, n, yhat, t),
      delta(m, n, z, yhat, t, out, scratch) {
        c.gradient(m, n, yhat, t, scratch);
        g.backward(m, n, z, yhat, scratch, out);
      },
    }
  );
}
