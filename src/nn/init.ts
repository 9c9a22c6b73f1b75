import { NablaError } from '../errors.js';
import type { Floats } from '../tensor/matrix.js';
import type { Rng } from '../tensor/rng.js';
import type { ActivationName } from './activations.js';

/**
 * Weight initialisation for W[ℓ] (N_ℓ × N_(ℓ−1)), with fan_in = N_(ℓ−1), fan_out = N_ℓ:
 * - 'normal':         N(0, 1), the notes' first choice (saturates sigmoid layers of many inputs)
 * - 'nielsen':        N(0, 1/fan_in)
 * - 'glorot-uniform': U(−r, r), r = √(6 / (fan_in + fan_out))   (Glorot & Bengio, 2010)
 * - 'glorot-normal':  N(0, 2 / (fan_in + fan_out))
 * - 'he-uniform':     U(−r, r), r = √(6 / fan_in)               (He et al., 2015)
 * - 'he-normal':      N(0, 2 / fan_in)
 * Never zero: with W = 0 every Δ and so every gradient is zero (the notes), so an exact 0 draw
 * is redrawn.
 */
export type InitName = 'normal' | 'nielsen' | 'glorot-uniform' | 'glorot-normal' | 'he-uniform' | 'he-normal';
export const initNames: InitName[] = ['normal', 'nielsen', 'glorot-uniform', 'glorot-normal', 'he-uniform', 'he-normal'];

/** He for the ReLU family, Glorot for the rest (sigmoid, tanh, identity, softplus, swish). */
export function defaultInit(f: ActivationName | 'softmax'): InitName {
  return f === 'relu' || f === 'leaky-relu' ? 'he-normal' : 'glorot-uniform';
}

/** Fills `w` (fanOut × fanIn) with draws of `scheme` from `rng`. */
export function initWeights(w: Floats, fanIn: number, fanOut: number, scheme: InitName, rng: Rng): void {
  let draw: () => number;
  switch (scheme) {
    case 'normal':
      draw = () => rng.normal(0, 1);
      break;
    case 'nielsen':
      draw = () => rng.normal(0, 1 / Math.sqrt(fanIn));
      break;
    case 'glorot-uniform': {
      const r = Math.sqrt(6 / (fanIn + fanOut));
      draw = () => rng.uniformIn(-r, r);
      break;
    }
    case 'glorot-normal':
      draw = () => rng.normal(0, Math.sqrt(2 / (fanIn + fanOut)));
      break;
    case 'he-uniform': {
      const r = Math.sqrt(6 / fanIn);
      draw = () => rng.uniformIn(-r, r);
      break;
    }
    case 'he-normal':
      draw = () => rng.normal(0, Math.sqrt(2 / fanIn));
      break;
    default:
      throw new NablaError('UNKNOWN_NAME', `unknown initialisation '${scheme as string}': expected one of ${initNames.join(', ')}`);
  }
  for (let i = 0; i < fanIn * fanOut; i++) {
    let v = 0;
    while (v === 0 || Math.fround(v) === 0) v = draw();
    w[i] = v;
  }
}
