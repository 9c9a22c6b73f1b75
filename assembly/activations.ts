// The hidden activations on f32x4, selected by kernel id: the ids are generated from
// assembly/activation-kernels.json, the one list the TypeScript reads too. f and d·f′ of each.
import { GELU_TANH, LEAKY_RELU, RELU, SIGMOID, SOFTPLUS, SWISH, TANH } from './activation-kernels.gen';
import { ONE, part, storeN } from './common';
import { vexp, vlog, vsigmoid, vtanh } from './vmath';

/** √(2/π) and the cubic coefficient of GELU's tanh approximation. */
const GELU_C: f32 = 0.7978845608028654;
const GELU_K: f32 = 0.044715;

/** tanh(√(2/π)(z + 0.044715 z³)), the inner term of GELU's tanh approximation. */
@inline function vgeluTanh(z: v128): v128 {
  const z3 = f32x4.mul(f32x4.mul(z, z), z);
  return vtanh(f32x4.mul(f32x4.splat(GELU_C), f32x4.add(z, f32x4.mul(f32x4.splat(GELU_K), z3))));
}

/** f(z) lane by lane for the activation of kernel id `code` (assembly/activation-kernels.json). */
@inline function activationOf(code: i32, alpha: v128, z: v128): v128 {
  switch (code) {
    case SIGMOID:
      return vsigmoid(z);
    case TANH:
      return vtanh(z);
    case RELU:
      return v128.and(z, f32x4.gt(z, f32x4.splat(0)));
    case LEAKY_RELU:
      return v128.bitselect(z, f32x4.mul(z, alpha), f32x4.gt(z, f32x4.splat(0)));
    case SOFTPLUS: {
      // max(z, 0) + ln(1 + e^−|z|)
      const e = vexp(f32x4.neg(f32x4.abs(z)));
      return f32x4.add(f32x4.max(z, f32x4.splat(0)), vlog(f32x4.add(f32x4.splat(ONE), e)));
    }
    case SWISH:
      return f32x4.mul(z, vsigmoid(z));
    case GELU_TANH:
      // ½ z (1 + t)
      return f32x4.mul(f32x4.mul(f32x4.splat(<f32>0.5), z), f32x4.add(f32x4.splat(ONE), vgeluTanh(z)));
    default:
      return z;
  }
}

/** d · f′(z) lane by lane, where a = f(z). */
@inline function activationGradOf(code: i32, alpha: v128, z: v128, a: v128, d: v128): v128 {
  switch (code) {
    case SIGMOID:
      return f32x4.mul(d, f32x4.mul(a, f32x4.sub(f32x4.splat(ONE), a)));
    case TANH:
      return f32x4.mul(d, f32x4.sub(f32x4.splat(ONE), f32x4.mul(a, a)));
    case RELU:
      return v128.and(d, f32x4.gt(z, f32x4.splat(0)));
    case LEAKY_RELU:
      return v128.bitselect(d, f32x4.mul(d, alpha), f32x4.gt(z, f32x4.splat(0)));
    case SOFTPLUS:
      return f32x4.mul(d, vsigmoid(z));
    case SWISH: {
      // σ(z)(1 + z(1 − σ(z)))
      const s = vsigmoid(z);
      return f32x4.mul(d, f32x4.mul(s, f32x4.add(f32x4.splat(ONE), f32x4.mul(z, f32x4.sub(f32x4.splat(ONE), s)))));
    }
    case GELU_TANH: {
      // ½ (1 + t) + ½ z (1 − t²) √(2/π)(1 + 3 · 0.044715 z²)
      const t = vgeluTanh(z);
      const half = f32x4.splat(<f32>0.5);
      const du = f32x4.mul(f32x4.splat(GELU_C), f32x4.add(f32x4.splat(ONE), f32x4.mul(f32x4.splat(<f32>3.0 * GELU_K), f32x4.mul(z, z))));
      const g = f32x4.add(f32x4.mul(half, f32x4.add(f32x4.splat(ONE), t)), f32x4.mul(f32x4.mul(half, z), f32x4.mul(f32x4.sub(f32x4.splat(ONE), f32x4.mul(t, t)), du)));
      return f32x4.mul(d, g);
    }
    default:
      return d;
  }
}

/** dst[i] = f(src[i]) for i < cnt. */
export function activateSpan(code: i32, alphaS: f32, src: usize, dst: usize, cnt: i32): void {
  const alpha = f32x4.splat(alphaS);
  const end = src + (<usize>cnt << 2);
  let s = src;
  let d = dst;
  for (; s + 16 <= end; s += 16, d += 16) v128.store(d, activationOf(code, alpha, v128.load(s)));
  if (s < end) storeN(d, activationOf(code, alpha, v128.load(s)), <i32>(end - s) >> 2);
}

/** d[i] *= f′(z[i]) for i < cnt, where a = f(z). */
export function activateGradSpan(code: i32, alphaS: f32, z: usize, a: usize, d: usize, cnt: i32): void {
  const alpha = f32x4.splat(alphaS);
  const end = d + (<usize>cnt << 2);
  for (; d + 16 <= end; d += 16, z += 16, a += 16) v128.store(d, activationGradOf(code, alpha, v128.load(z), v128.load(a), v128.load(d)));
  if (d < end) storeN(d, activationGradOf(code, alpha, v128.load(z), v128.load(a), v128.load(d)), <i32>(end - d) >> 2);
}

/** a = f(z) over n elements. */
export function activate(code: i32, alpha: f32, n: i32, z: usize, a: usize, t: i32, T: i32): void {
  const s = part(n, 64, t, T);
  const e = part(n, 64, t + 1, T);
  if (e > s) activateSpan(code, alpha, z + (<usize>s << 2), a + (<usize>s << 2), e - s);
}

/** d ⊙= f′(z) over n elements, where a = f(z). */
export function activateGrad(code: i32, alpha: f32, n: i32, z: usize, a: usize, d: usize, t: i32, T: i32): void {
  const s = part(n, 64, t, T);
  const e = part(n, 64, t + 1, T);
  const o = <usize>s << 2;
  if (e > s) activateGradSpan(code, alpha, z + o, a + o, d + o, e - s);
}
