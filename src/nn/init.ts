import { lookup } from '../errors.js';
import type { Floats } from '../tensor/matrix.js';
import type { Rng } from '../tensor/rng.js';

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

/** Each scheme's draw for a layer of fanIn inputs and fanOut outputs. */
const schemes: Record<InitName, (fanIn: number, fanOut: number, rng: Rng) => () => number> = {
  normal: (_fanIn, _fanOut, rng) => () => rng.normal(0, 1),
  nielsen: (fanIn, _fanOut, rng) => () => rng.normal(0, 1 / Math.sqrt(fanIn)),
  'glorot-uniform': (fanIn, fanOut, rng) => {
    const r = Math.sqrt(6 / (fanIn + fanOut));
    return () => rng.uniformIn(-r, r);
  },
  'glorot-normal': (fanIn, fanOut, rng) => () => rng.normal(0, Math.sqrt(2 / (fanIn + fanOut))),
  'he-uniform': (fanIn, _fanOut, rng) => {
    const r = Math.sqrt(6 / fanIn);
    return () => rng.uniformIn(-r, r);
  },
  'he-normal': (fanIn, _fanOut, rng) => () => rng.normal(0, Math.sqrt(2 / fanIn)),
};

export const initNames = Object.keys(schemes) as InitName[];

/** `name` as an initialisation scheme, or a NablaError listing the schemes. */
export function initScheme(name: string): InitName {
  lookup(schemes, name, 'initialisation');
  return name as InitName;
}

/** The activation's own choice (its `init`: He for the ReLU family, Glorot for the rest); Glorot for none. */
export function defaultInit(f: { readonly init?: InitName } | null | undefined): InitName {
  return f?.init ?? 'glorot-uniform';
}

/** Fills `w` (fanOut × fanIn) with draws of `scheme` from `rng`. */
export function initWeights(w: Floats, fanIn: number, fanOut: number, scheme: InitName, rng: Rng): void {
  const draw = lookup(schemes, scheme, 'initialisation')(fanIn, fanOut, rng);
  for (let i = 0; i < fanIn * fanOut; i++) {
    let v = 0;
    while (v === 0 || Math.fround(v) === 0) v = draw();
    w[i] = v;
  }
}
