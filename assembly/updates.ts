// Optimizer updates, elementwise over one parameter array (the PyTorch rules of src/optim/).
import { imin, MIN_NORMAL, part, storeN } from './common';

// Each update splits its n elements between threads `gran` at a time (part(n, gran, t, T)): for a
// weight matrix with rows of k, gran = 2k gives thread t the rows gemmNT and gemmTN give it, so the
// update stays in that core's cache; 64 elsewhere.

/** θ ← θ − lr · g over n elements (plain SGD). */
export function sgdUpdate(n: i32, p: usize, g: usize, lr: f32, gran: i32, t: i32, T: i32): void {
  const s = part(n, gran, t, T);
  const e = part(n, gran, t + 1, T);
  const vlr = f32x4.splat(lr);
  let i = s;
  for (; i + 4 <= e; i += 4) {
    const o = <usize>i << 2;
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(vlr, v128.load(g + o))));
  }
  for (; i < e; i++) {
    const o = <usize>i << 2;
    store<f32>(p + o, load<f32>(p + o) - lr * load<f32>(g + o));
  }
}

/**
 * Adam / AdamW over n elements, PyTorch's rule (src/optim/adam.ts; Adam's L2 term is already in g):
 * θ ← θ·shrink (AdamW's decoupled decay, when shrink ≠ 1); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
 * v̂ = max(v̂max, v) when vmax ≠ 0, else v; θ ← θ − stepSize · m / (√v̂ · (1/sqrtCorrection2) + ε).
 * One division and one square root a vector: √v̂ is scaled by the reciprocal of sqrtCorrection2
 * rather than divided by it, which moves a result by an ulp at most.
 *
 * m and v are flushed to zero when they fall below the smallest normal float32 (1.2·10⁻³⁸): a
 * weight whose gradient has stayed zero (a dead unit, a pixel that is always blank in a batch)
 * sees m shrink by β₁ every step and spend hundreds of steps subnormal, and every x86 operation on
 * a subnormal costs a microcode assist — 40 times slower on this array (2.2% of C1's first-layer m
 * subnormal after two epochs made its Adam step 72 µs instead of 33). What the flush changes, an
 * update below 10⁻³⁰, vanishes when added to any weight above 10⁻²³.
 */
export function adamUpdate(
  n: i32, p: usize, g: usize, m: usize, v: usize, vmax: usize,
  stepSize: f32, sqrtCorrection2: f32, beta1: f32, beta2: f32, eps: f32, shrink: f32, gran: i32, t: i32, T: i32,
): void {
  const s = part(n, gran, t, T);
  const e = part(n, gran, t + 1, T);
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(<f32>1.0 - beta1);
  const b2 = f32x4.splat(beta2), c2 = f32x4.splat(<f32>1.0 - beta2);
  const vshrink = f32x4.splat(shrink), vstep = f32x4.splat(stepSize);
  const vinv = f32x4.splat(<f32>1.0 / sqrtCorrection2), veps = f32x4.splat(eps);
  const tiny = f32x4.splat(MIN_NORMAL);
  const shrinking = shrink != 1;
  // whole vectors without a max second moment (Adam, AdamW): full stores, no per-vector branches
  let i = s;
  if (!vmax && !shrinking) {
    for (; i + 4 <= e; i += 4) {
      const o = <usize>i << 2;
      const d = v128.load(g + o);
      const m1 = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, d));
      const v1 = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(d, d)));
      const mj = v128.and(m1, f32x4.ge(f32x4.abs(m1), tiny));
      const vj = v128.and(v1, f32x4.ge(v1, tiny));
      const upd = f32x4.div(f32x4.mul(vstep, mj), f32x4.add(f32x4.mul(f32x4.sqrt(vj), vinv), veps));
      v128.store(m + o, mj);
      v128.store(v + o, vj);
      v128.store(p + o, f32x4.sub(v128.load(p + o), upd));
    }
  }
  for (; i < e; i += 4) {
    const o = <usize>i << 2;
    const theta = shrinking ? f32x4.mul(v128.load(p + o), vshrink) : v128.load(p + o);
    const d = v128.load(g + o);
    const m1 = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, d));
    const v1 = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(d, d)));
    const mj = v128.and(m1, f32x4.ge(f32x4.abs(m1), tiny));
    const vj = v128.and(v1, f32x4.ge(v1, tiny));
    let vhat = vj;
    const w = imin(4, e - i);
    if (vmax) {
      vhat = f32x4.max(v128.load(vmax + o), vj);
      storeN(vmax + o, vhat, w);
    }
    const upd = f32x4.div(f32x4.mul(vstep, mj), f32x4.add(f32x4.mul(f32x4.sqrt(vhat), vinv), veps));
    storeN(m + o, mj, w);
    storeN(v + o, vj, w);
    storeN(p + o, f32x4.sub(theta, upd), w);
  }
}
