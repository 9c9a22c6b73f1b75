// Elementwise math on f32x4: e^x, ln y, σ and tanh, the building blocks of the activations.
import { ONE } from './common';

/** e^x to ~1 ulp (Cephes expf): x = n ln2 + r, |r| ≤ ln2/2, degree-6 polynomial, times 2^n. Clamped to ±87.3 so it never overflows. */
@inline export function vexp(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(<f32>-87.3)), f32x4.splat(<f32>88.3));
  const fx = f32x4.nearest(f32x4.mul(x, f32x4.splat(<f32>1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(<f32>0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(<f32>-2.12194440e-4)));
  const z = f32x4.mul(r, r);
  let p = f32x4.splat(<f32>1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, z), r), f32x4.splat(ONE));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23);
  return f32x4.mul(p, pow2n);
}

/** ln y for normal y > 0 (Cephes logf): y = 2^e · m with m ∈ [√½, √2), degree-9 polynomial in m − 1. */
@inline export function vlog(y: v128): v128 {
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(y, 23), i32x4.splat(127)));
  let m = v128.or(v128.and(y, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  const big = f32x4.gt(m, f32x4.splat(<f32>1.41421356237));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(<f32>0.5)), m, big);
  e = f32x4.add(e, v128.and(big, f32x4.splat(ONE)));
  const x = f32x4.sub(m, f32x4.splat(ONE));
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(<f32>7.0376836292e-2);
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>-1.1514610310e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>1.1676998740e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>-1.2420140846e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>1.4249322787e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>-1.6668057665e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>2.0000714765e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>-2.4999993993e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(<f32>3.3333331174e-1));
  let r = f32x4.mul(f32x4.mul(p, x), z);
  r = f32x4.add(r, f32x4.mul(e, f32x4.splat(<f32>-2.12194440e-4)));
  r = f32x4.sub(r, f32x4.mul(z, f32x4.splat(<f32>0.5)));
  return f32x4.add(f32x4.add(x, r), f32x4.mul(e, f32x4.splat(<f32>0.693359375)));
}

/** σ(z) = 1 / (1 + e^−z); e^−z is clamped, so ±∞-ish inputs give 0 or 1, never NaN. */
@inline export function vsigmoid(z: v128): v128 {
  return f32x4.div(f32x4.splat(ONE), f32x4.add(f32x4.splat(ONE), vexp(f32x4.neg(z))));
}

/** tanh z = 1 − 2 / (e^2z + 1). */
@inline export function vtanh(z: v128): v128 {
  const e = vexp(f32x4.add(z, z));
  return f32x4.sub(f32x4.splat(ONE), f32x4.div(f32x4.splat(<f32>2.0), f32x4.add(e, f32x4.splat(ONE))));
}
