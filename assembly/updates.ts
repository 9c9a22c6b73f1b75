// Optimizer updates, elementwise over one parameter array (the PyTorch rules of src/optim/).
import { imin, MIN_NORMAL, part, storeN } from './common';
import { lanes } from './reductions';

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
 * sgdUpdate of a weight matrix with rows of k, measuring as it reads the gradient: sq[r] = Σ_j g[r][j]²
 * for each row r of the share, added as reductions.ts rowSquaresOf adds them (four f32x4 partial
 * sums over 16-column groups, their lanes in float64, then the last k mod 16 squares in float64),
 * so the same bits as the gradient-norm pass over ∂W; the update's own bits are sgdUpdate's. The
 * share must be whole rows: gran a multiple of k, or T = 1. One pass, not rowSquaresOf then
 * sgdUpdate row by row: that took 5.1 µs for C2's 30 × 784 gradient against 2.6.
 */
export function sgdUpdateRows(n: i32, p: usize, g: usize, lr: f32, k: i32, sq: usize, gran: i32, t: i32, T: i32): void {
  const r0 = part(n, gran, t, T) / k;
  const r1 = part(n, gran, t + 1, T) / k;
  const vlr = f32x4.splat(lr);
  for (let r = r0; r < r1; r++) {
    const row = (<usize>r * <usize>k) << 2;
    const pr = p + row;
    const gr = g + row;
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let s2 = f32x4.splat(0);
    let s3 = f32x4.splat(0);
    let j = 0;
    for (; j + 16 <= k; j += 16) {
      const o = <usize>j << 2;
      const x0 = v128.load(gr + o);
      const x1 = v128.load(gr + o, 16);
      const x2 = v128.load(gr + o, 32);
      const x3 = v128.load(gr + o, 48);
      s0 = f32x4.add(s0, f32x4.mul(x0, x0));
      s1 = f32x4.add(s1, f32x4.mul(x1, x1));
      s2 = f32x4.add(s2, f32x4.mul(x2, x2));
      s3 = f32x4.add(s3, f32x4.mul(x3, x3));
      v128.store(pr + o, f32x4.sub(v128.load(pr + o), f32x4.mul(vlr, x0)));
      v128.store(pr + o, f32x4.sub(v128.load(pr + o, 16), f32x4.mul(vlr, x1)), 16);
      v128.store(pr + o, f32x4.sub(v128.load(pr + o, 32), f32x4.mul(vlr, x2)), 32);
      v128.store(pr + o, f32x4.sub(v128.load(pr + o, 48), f32x4.mul(vlr, x3)), 48);
    }
    let s = lanes(s0) + lanes(s1) + lanes(s2) + lanes(s3);
    for (; j < k; j++) {
      const o = <usize>j << 2;
      const x = load<f32>(gr + o);
      s += <f64>x * <f64>x;
      store<f32>(pr + o, load<f32>(pr + o) - lr * x);
    }
    store<f64>(sq + (<usize>r << 3), s);
  }
}

/** x with the lanes below the smallest normal float32 in magnitude set to 0 (running averages never go subnormal: see adamUpdate). */
@inline function flushTiny(x: v128): v128 {
  return v128.and(x, f32x4.ge(f32x4.abs(x), f32x4.splat(MIN_NORMAL)));
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
      const mj = flushTiny(m1);
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
    const mj = flushTiny(m1);
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

/**
 * SGD with momentum (PyTorch's rule, src/optim/sgd.ts) over n elements: b ← keep·b + take·g (keep = 0,
 * take = 1 on the first update: b = g; else μ and 1 − τ), flushed below the normal range;
 * θ ← θ − lr · (g + μ·b with Nesterov, else b).
 */
export function momentumUpdate(n: i32, p: usize, g: usize, buf: usize, lr: f32, momentum: f32, dampening: f32, nesterov: i32, first: i32, gran: i32, t: i32, T: i32): void {
  const s = part(n, gran, t, T);
  const e = part(n, gran, t + 1, T);
  const keep = f32x4.splat(first ? <f32>0 : momentum);
  const take = f32x4.splat(first ? <f32>1 : <f32>1 - dampening);
  const mu = f32x4.splat(momentum);
  const vlr = f32x4.splat(lr);
  let i = s;
  for (; i + 4 <= e; i += 4) momentumAt(<usize>i << 2, 4, p, g, buf, keep, take, mu, vlr, nesterov);
  if (i < e) momentumAt(<usize>i << 2, e - i, p, g, buf, keep, take, mu, vlr, nesterov);
}

/** momentumUpdate's w ≤ 4 elements at byte offset o. */
@inline function momentumAt(o: usize, w: i32, p: usize, g: usize, buf: usize, keep: v128, take: v128, mu: v128, vlr: v128, nesterov: i32): void {
  const d = v128.load(g + o);
  const b = flushTiny(f32x4.add(f32x4.mul(keep, v128.load(buf + o)), f32x4.mul(take, d)));
  const step = nesterov ? f32x4.add(d, f32x4.mul(mu, b)) : b;
  storeN(buf + o, b, w);
  storeN(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(vlr, step)), w);
}

/** Adagrad (PyTorch's rule, src/optim/adagrad.ts) over n elements at the decayed rate clr: s ← s + g²; θ ← θ − clr·g / (√s + ε). */
export function adagradUpdate(n: i32, p: usize, g: usize, sum: usize, clr: f32, eps: f32, gran: i32, t: i32, T: i32): void {
  const s = part(n, gran, t, T);
  const e = part(n, gran, t + 1, T);
  const vclr = f32x4.splat(clr);
  const veps = f32x4.splat(eps);
  let i = s;
  for (; i + 4 <= e; i += 4) adagradAt(<usize>i << 2, 4, p, g, sum, vclr, veps);
  if (i < e) adagradAt(<usize>i << 2, e - i, p, g, sum, vclr, veps);
}

/** adagradUpdate's w ≤ 4 elements at byte offset o. */
@inline function adagradAt(o: usize, w: i32, p: usize, g: usize, sum: usize, vclr: v128, veps: v128): void {
  const d = v128.load(g + o);
  const acc = f32x4.add(v128.load(sum + o), f32x4.mul(d, d));
  storeN(sum + o, acc, w);
  storeN(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(vclr, d), f32x4.add(f32x4.sqrt(acc), veps))), w);
}

/**
 * RMSprop (PyTorch's rule, src/optim/rmsprop.ts) over n elements: v ← αv + (1 − α)g²; centered (gAvg ≠ 0):
 * ḡ ← αḡ + (1 − α)g and the variance max(v − ḡ², 0); scaled = g / (√variance + ε); with momentum
 * (buf ≠ 0) b ← μb + scaled and θ ← θ − lr·b, else θ ← θ − lr·scaled. Running averages flushed below
 * the normal range.
 */
export function rmspropUpdate(n: i32, p: usize, g: usize, v: usize, gAvg: usize, buf: usize, lr: f32, alpha: f32, eps: f32, momentum: f32, gran: i32, t: i32, T: i32): void {
  const s = part(n, gran, t, T);
  const e = part(n, gran, t + 1, T);
  const va = f32x4.splat(alpha);
  const vc = f32x4.splat(<f32>1 - alpha);
  const veps = f32x4.splat(eps);
  const mu = f32x4.splat(momentum);
  const vlr = f32x4.splat(lr);
  let i = s;
  for (; i + 4 <= e; i += 4) rmspropAt(<usize>i << 2, 4, p, g, v, gAvg, buf, va, vc, veps, mu, vlr);
  if (i < e) rmspropAt(<usize>i << 2, e - i, p, g, v, gAvg, buf, va, vc, veps, mu, vlr);
}

/** rmspropUpdate's w ≤ 4 elements at byte offset o. */
@inline function rmspropAt(o: usize, w: i32, p: usize, g: usize, v: usize, gAvg: usize, buf: usize, va: v128, vc: v128, veps: v128, mu: v128, vlr: v128): void {
  const d = v128.load(g + o);
  const vj = flushTiny(f32x4.add(f32x4.mul(va, v128.load(v + o)), f32x4.mul(f32x4.mul(vc, d), d)));
  storeN(v + o, vj, w);
  let variance = vj;
  if (gAvg) {
    const a = flushTiny(f32x4.add(f32x4.mul(va, v128.load(gAvg + o)), f32x4.mul(vc, d)));
    storeN(gAvg + o, a, w);
    variance = f32x4.max(f32x4.sub(vj, f32x4.mul(a, a)), f32x4.splat(0));
  }
  const scaled = f32x4.div(d, f32x4.add(f32x4.sqrt(variance), veps));
  let step = scaled;
  if (buf) {
    step = flushTiny(f32x4.add(f32x4.mul(mu, v128.load(buf + o)), scaled));
    storeN(buf + o, step, w);
  }
  storeN(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(vlr, step)), w);
}

// Gradient transformations (src/optim/transform.ts), elementwise over n elements, split as the
// updates are: whole vectors, then the share's last 1–3 elements.

/** y ← y + a·x (L2 weight decay: g ← g + λθ). */
export function addScaled(n: i32, y: usize, x: usize, a: f32, gran: i32, t: i32, T: i32): void {
  const s = part(n, gran, t, T);
  const e = part(n, gran, t + 1, T);
  const va = f32x4.splat(a);
  let i = s;
  for (; i + 4 <= e; i += 4) addScaledAt(<usize>i << 2, 4, y, x, va);
  if (i < e) addScaledAt(<usize>i << 2, e - i, y, x, va);
}

@inline function addScaledAt(o: usize, w: i32, y: usize, x: usize, va: v128): void {
  storeN(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))), w);
}

/** g ← min(v, max(−v, g)) (clipping by value; a NaN stays NaN). */
export function clampValues(n: i32, g: usize, v: f32, gran: i32, t: i32, T: i32): void {
  const s = part(n, gran, t, T);
  const e = part(n, gran, t + 1, T);
  const hi = f32x4.splat(v);
  const lo = f32x4.splat(-v);
  let i = s;
  for (; i + 4 <= e; i += 4) clampAt(<usize>i << 2, 4, g, lo, hi);
  if (i < e) clampAt(<usize>i << 2, e - i, g, lo, hi);
}

@inline function clampAt(o: usize, w: i32, g: usize, lo: v128, hi: v128): void {
  storeN(g + o, f32x4.min(hi, f32x4.max(lo, v128.load(g + o))), w);
}

/** g ← g·c (clipping by global norm). */
export function scaleValues(n: i32, g: usize, c: f32, gran: i32, t: i32, T: i32): void {
  const s = part(n, gran, t, T);
  const e = part(n, gran, t + 1, T);
  const vc = f32x4.splat(c);
  let i = s;
  for (; i + 4 <= e; i += 4) scaleAt(<usize>i << 2, 4, g, vc);
  if (i < e) scaleAt(<usize>i << 2, e - i, g, vc);
}

@inline function scaleAt(o: usize, w: i32, g: usize, vc: v128): void {
  storeN(g + o, f32x4.mul(v128.load(g + o), vc), w);
}
