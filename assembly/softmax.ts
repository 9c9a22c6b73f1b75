// The softmax output layer: each row of Z[L] to probabilities, e^(z − max z) / Σ e^(z − max z).
import { imin, MIN_NORMAL, part, storeN } from './common';
import { vexp } from './vmath';

/**
 * a[r] = softmax(z[r]) for rows r of the m × n matrix z (rows split between threads): the row max
 * subtracted first, so no exponential exceeds 1; e^x taken as 0 below x = −87.3, where float32's
 * e^x would be subnormal, and a probability below the smallest normal float32 stored as 0. The sum
 * is taken in float64 in column order, then every e^x divided by it. A NaN logit stays NaN (the
 * masks only ever clear lanes that compare below their floor), so a diverging run is still caught.
 */
export function softmaxRows(m: i32, n: i32, z: usize, a: usize, t: i32, T: i32): void {
  const r0 = part(m, 1, t, T);
  const r1 = part(m, 1, t + 1, T);
  const floor = f32x4.splat(<f32>-87.3);
  const tiny = f32x4.splat(MIN_NORMAL);
  for (let r = r0; r < r1; r++) {
    const zr = z + ((<usize>r * <usize>n) << 2);
    const ar = a + ((<usize>r * <usize>n) << 2);
    let max = load<f32>(zr);
    for (let j = 1; j < n; j++) max = Mathf.max(max, load<f32>(zr + (<usize>j << 2)));
    const vmax = f32x4.splat(max);
    for (let j = 0; j < n; j += 4) {
      const x = f32x4.sub(v128.load(zr + (<usize>j << 2)), vmax);
      storeN(ar + (<usize>j << 2), v128.andnot(vexp(x), f32x4.lt(x, floor)), imin(4, n - j));
    }
    let sum: f64 = 0;
    for (let j = 0; j < n; j++) sum += <f64>load<f32>(ar + (<usize>j << 2));
    const vsum = f32x4.splat(<f32>sum);
    for (let j = 0; j < n; j += 4) {
      const p = f32x4.div(v128.load(ar + (<usize>j << 2)), vsum);
      storeN(ar + (<usize>j << 2), v128.andnot(p, f32x4.lt(p, tiny)), imin(4, n - j));
    }
  }
}
