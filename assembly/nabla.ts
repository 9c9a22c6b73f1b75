// Nabla's WebAssembly SIMD kernels (AssemblyScript, f32x4).
//
// Every pointer is a byte offset into the one memory the JavaScript side allocates from. Every
// exported kernel takes (t, T) last: thread t of T computes a fixed share of the output, and each
// output element is computed by exactly one thread with exactly the same sequence of float32
// operations whatever the share boundaries are, so results are bit-identical for any T:
// - a GEMM element is Σ_p in order p = 0..k−1 (NN, TN: one lane per element; NT: lane l sums
//   p ≡ l mod 4, reduced as (l0 + l2) + (l1 + l3), then the tail p ≥ 4⌊k/4⌋ in order, then bias);
// - an elementwise result always goes through the same vector function (tails use partial vectors).
// Partial vectors may read up to 12 bytes past the end of an array; the allocator leaves slack at
// the end of memory, and the extra lanes are never stored.

import { GELU_TANH, LEAKY_RELU, RELU, SIGMOID, SOFTPLUS, SWISH, TANH } from './activation-kernels.gen';

const ONE: f32 = 1.0;

/** Start of share t of T over `total` items counted in units of `gran` (share ends: part(t + 1)). */
@inline function part(total: i32, gran: i32, t: i32, T: i32): i32 {
  const units = (total + gran - 1) / gran;
  const s = <i32>((<i64>units * <i64>t) / <i64>T) * gran;
  return s < total ? s : total;
}

@inline function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/** First free byte after the module's static data: the JavaScript allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// exp, log and the activations on f32x4

/** e^x to ~1 ulp (Cephes expf): x = n ln2 + r, |r| ≤ ln2/2, degree-6 polynomial, times 2^n. Clamped to ±87.3 so it never overflows. */
@inline function vexp(x: v128): v128 {
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
@inline function vlog(y: v128): v128 {
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
@inline function vsigmoid(z: v128): v128 {
  return f32x4.div(f32x4.splat(ONE), f32x4.add(f32x4.splat(ONE), vexp(f32x4.neg(z))));
}

/** tanh z = 1 − 2 / (e^2z + 1). */
@inline function vtanh(z: v128): v128 {
  const e = vexp(f32x4.add(z, z));
  return f32x4.sub(f32x4.splat(ONE), f32x4.div(f32x4.splat(<f32>2.0), f32x4.add(e, f32x4.splat(ONE))));
}

/** √(2/π) and the cubic coefficient of GELU's tanh approximation. */
const GELU_C: f32 = 0.7978845608028654;
const GELU_K: f32 = 0.044715;

/** tanh(√(2/π)(z + 0.044715 z³)), the inner term of GELU's tanh approximation. */
@inline function vgeluTanh(z: v128): v128 {
  const z3 = f32x4.mul(f32x4.mul(z, z), z);
  return vtanh(f32x4.mul(f32x4.splat(GELU_C), f32x4.add(z, f32x4.mul(f32x4.splat(GELU_K), z3))));
}

/** f(z) lane by lane. */
@inline function vact(code: i32, alpha: v128, z: v128): v128 {
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
@inline function vgrad(code: i32, alpha: v128, z: v128, a: v128, d: v128): v128 {
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

/** Stores the first w (1..4) lanes of v at p. */
@inline function storeN(p: usize, v: v128, w: i32): void {
  if (w >= 4) {
    v128.store(p, v);
    return;
  }
  v128.store32_lane(p, v, 0);
  if (w > 1) v128.store32_lane(p, v, 1, 4);
  if (w > 2) v128.store32_lane(p, v, 2, 8);
}

/** dst[i] = f(src[i]) for i < cnt. */
function actSeg(code: i32, alphaS: f32, src: usize, dst: usize, cnt: i32): void {
  const alpha = f32x4.splat(alphaS);
  const end = src + (<usize>cnt << 2);
  let s = src;
  let d = dst;
  for (; s + 16 <= end; s += 16, d += 16) v128.store(d, vact(code, alpha, v128.load(s)));
  if (s < end) storeN(d, vact(code, alpha, v128.load(s)), <i32>(end - s) >> 2);
}

/** d[i] *= f′(z[i]) for i < cnt, where a = f(z). */
function gradSeg(code: i32, alphaS: f32, z: usize, a: usize, d: usize, cnt: i32): void {
  const alpha = f32x4.splat(alphaS);
  const end = d + (<usize>cnt << 2);
  for (; d + 16 <= end; d += 16, z += 16, a += 16) v128.store(d, vgrad(code, alpha, v128.load(z), v128.load(a), v128.load(d)));
  if (d < end) storeN(d, vgrad(code, alpha, v128.load(z), v128.load(a), v128.load(d)), <i32>(end - d) >> 2);
}

/** a = f(z) over n elements. */
export function activate(code: i32, alpha: f32, n: i32, z: usize, a: usize, t: i32, T: i32): void {
  const s = part(n, 64, t, T);
  const e = part(n, 64, t + 1, T);
  if (e > s) actSeg(code, alpha, z + (<usize>s << 2), a + (<usize>s << 2), e - s);
}

/** d ⊙= f′(z) over n elements, where a = f(z). */
export function activateGrad(code: i32, alpha: f32, n: i32, z: usize, a: usize, d: usize, t: i32, T: i32): void {
  const s = part(n, 64, t, T);
  const e = part(n, 64, t + 1, T);
  const o = <usize>s << 2;
  if (e > s) gradSeg(code, alpha, z + o, a + o, d + o, e - s);
}

/** out[j] = Σ_i A[i][j] for j in [j0, j1), summed in row order; A is m × n. */
function colSumsRange(m: i32, n: i32, a: usize, out: usize, j0: i32, j1: i32): void {
  const ld = <usize>n << 2;
  for (let j = j0; j < j1; j += 4) {
    let s = f32x4.splat(0);
    let p = a + (<usize>j << 2);
    for (let i = 0; i < m; i++, p += ld) s = f32x4.add(s, v128.load(p));
    storeN(out + (<usize>j << 2), s, imin(4, j1 - j));
  }
}

/** out[n] = column sums of A[m × n]. */
export function colSums(m: i32, n: i32, a: usize, out: usize, t: i32, T: i32): void {
  colSumsRange(m, n, a, out, part(n, 4, t, T), part(n, 4, t + 1, T));
}

// ---------------------------------------------------------------------------------------------
// NT: C[m × n] = A[m × k] · B[n × k]ᵀ (+ bias), dot products along k (both operands k-contiguous)

@inline function vec4(a: f32, b: f32, c: f32, d: f32): v128 {
  return f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(a), 1, b), 2, c), 3, d);
}

/** [Σx, Σy, Σz, Σw], each lane sum taken as (l0 + l2) + (l1 + l3). */
@inline function hsum4(x: v128, y: v128, z: v128, w: v128): v128 {
  const u = f32x4.add(v128.shuffle<f32>(x, y, 0, 1, 4, 5), v128.shuffle<f32>(x, y, 2, 3, 6, 7));
  const v = f32x4.add(v128.shuffle<f32>(z, w, 0, 1, 4, 5), v128.shuffle<f32>(z, w, 2, 3, 6, 7));
  return f32x4.add(v128.shuffle<f32>(u, v, 0, 2, 4, 6), v128.shuffle<f32>(u, v, 1, 3, 5, 7));
}

/** Σ lanes as (l0 + l2) + (l1 + l3), the same order as hsum4. */
@inline function hsum1(x: v128): f32 {
  const s = f32x4.add(x, v128.shuffle<f32>(x, x, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}

/** 4 rows × 2 columns of C: a = &A[i][0], b = &B[j][0], c = &C[i][j]; ldc in bytes. */
function nt4x2(k: i32, a0: usize, b0: usize, c: usize, ldc: usize, bias: usize): void {
  const lda = <usize>k << 2;
  const a1 = a0 + lda;
  const a2 = a1 + lda;
  const a3 = a2 + lda;
  const b1 = b0 + lda;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const e = <usize>(k & ~3) << 2;
  for (let p: usize = 0; p < e; p += 16) {
    const y0 = v128.load(b0 + p);
    const y1 = v128.load(b1 + p);
    const x0 = v128.load(a0 + p);
    c00 = f32x4.add(c00, f32x4.mul(x0, y0));
    c01 = f32x4.add(c01, f32x4.mul(x0, y1));
    const x1 = v128.load(a1 + p);
    c10 = f32x4.add(c10, f32x4.mul(x1, y0));
    c11 = f32x4.add(c11, f32x4.mul(x1, y1));
    const x2 = v128.load(a2 + p);
    c20 = f32x4.add(c20, f32x4.mul(x2, y0));
    c21 = f32x4.add(c21, f32x4.mul(x2, y1));
    const x3 = v128.load(a3 + p);
    c30 = f32x4.add(c30, f32x4.mul(x3, y0));
    c31 = f32x4.add(c31, f32x4.mul(x3, y1));
  }
  let s0 = hsum4(c00, c10, c20, c30);
  let s1 = hsum4(c01, c11, c21, c31);
  for (let p = e; p < lda; p += 4) {
    const x = vec4(load<f32>(a0 + p), load<f32>(a1 + p), load<f32>(a2 + p), load<f32>(a3 + p));
    s0 = f32x4.add(s0, f32x4.mul(x, f32x4.splat(load<f32>(b0 + p))));
    s1 = f32x4.add(s1, f32x4.mul(x, f32x4.splat(load<f32>(b1 + p))));
  }
  if (bias) {
    s0 = f32x4.add(s0, f32x4.splat(load<f32>(bias)));
    s1 = f32x4.add(s1, f32x4.splat(load<f32>(bias, 4)));
  }
  store<f32>(c, f32x4.extract_lane(s0, 0));
  store<f32>(c, f32x4.extract_lane(s1, 0), 4);
  store<f32>(c + ldc, f32x4.extract_lane(s0, 1));
  store<f32>(c + ldc, f32x4.extract_lane(s1, 1), 4);
  store<f32>(c + 2 * ldc, f32x4.extract_lane(s0, 2));
  store<f32>(c + 2 * ldc, f32x4.extract_lane(s1, 2), 4);
  store<f32>(c + 3 * ldc, f32x4.extract_lane(s0, 3));
  store<f32>(c + 3 * ldc, f32x4.extract_lane(s1, 3), 4);
}

/** 1 row × 2 columns of C (row edges). */
function nt1x2(k: i32, a0: usize, b0: usize, c: usize, bias: usize): void {
  const lda = <usize>k << 2;
  const b1 = b0 + lda;
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  const e = <usize>(k & ~3) << 2;
  for (let p: usize = 0; p < e; p += 16) {
    const x = v128.load(a0 + p);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b0 + p)));
    c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b1 + p)));
  }
  let s0 = hsum1(c0);
  let s1 = hsum1(c1);
  for (let p = e; p < lda; p += 4) {
    const x = load<f32>(a0 + p);
    s0 += x * load<f32>(b0 + p);
    s1 += x * load<f32>(b1 + p);
  }
  if (bias) {
    s0 += load<f32>(bias);
    s1 += load<f32>(bias, 4);
  }
  store<f32>(c, s0);
  store<f32>(c, s1, 4);
}

/** 1 row × 1 column of C (column edges). */
function nt1x1(k: i32, a0: usize, b0: usize, c: usize, bias: usize): void {
  const lda = <usize>k << 2;
  let c0 = f32x4.splat(0);
  const e = <usize>(k & ~3) << 2;
  for (let p: usize = 0; p < e; p += 16) c0 = f32x4.add(c0, f32x4.mul(v128.load(a0 + p), v128.load(b0 + p)));
  let s0 = hsum1(c0);
  for (let p = e; p < lda; p += 4) s0 += load<f32>(a0 + p) * load<f32>(b0 + p);
  if (bias) s0 += load<f32>(bias);
  store<f32>(c, s0);
}

/**
 * Z[m × n] = X[m × k] · W[n × k]ᵀ + bias (bias = 0: none), then A = f(Z) when out ≠ 0. Threads
 * split W's rows (the columns of Z, 4 at a time) when there are enough of them, as gemmTN splits
 * ∂W's rows: each thread then keeps touching the same rows of W and ∂W, with no cross-core
 * traffic between the forward pass, the backward pass and the update. Otherwise X's rows.
 */
export function gemmNT(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, bias: usize, act: i32, alpha: f32, out: usize, t: i32, T: i32): void {
  let i0 = 0, i1 = m, j0 = 0, j1 = n;
  const rowUnits = (m + 3) >> 2;
  const colUnits = (n + 3) >> 2;
  if (colUnits >= 2 * T || colUnits >= rowUnits) {
    j0 = part(n, 4, t, T);
    j1 = part(n, 4, t + 1, T);
  } else {
    i0 = part(m, 4, t, T);
    i1 = part(m, 4, t + 1, T);
  }
  if (i0 >= i1 || j0 >= j1) return;
  const lda = <usize>k << 2;
  const ldc = <usize>n << 2;
  // keep a block of W's rows (≤ 128 KB) in L2 while every row block of X passes over it
  let nc = (131072 / imin(131072, k * 4 + 1)) & ~1;
  if (nc < 2) nc = 2;
  for (let jb = j0; jb < j1; jb += nc) {
    const je = imin(jb + nc, j1);
    let i = i0;
    for (; i + 4 <= i1; i += 4) {
      const ai = a + <usize>i * lda;
      const ci = c + <usize>i * ldc;
      let j = jb;
      for (; j + 2 <= je; j += 2) nt4x2(k, ai, b + <usize>j * lda, ci + (<usize>j << 2), ldc, bias ? bias + (<usize>j << 2) : 0);
      if (j < je) {
        const bj = b + <usize>j * lda;
        const bb = bias ? bias + (<usize>j << 2) : 0;
        for (let r = 0; r < 4; r++) nt1x1(k, ai + <usize>r * lda, bj, ci + <usize>r * ldc + (<usize>j << 2), bb);
      }
    }
    for (; i < i1; i++) {
      const ai = a + <usize>i * lda;
      const ci = c + <usize>i * ldc;
      let j = jb;
      for (; j + 2 <= je; j += 2) nt1x2(k, ai, b + <usize>j * lda, ci + (<usize>j << 2), bias ? bias + (<usize>j << 2) : 0);
      if (j < je) nt1x1(k, ai, b + <usize>j * lda, ci + (<usize>j << 2), bias ? bias + (<usize>j << 2) : 0);
    }
    if (out) {
      for (let r = i0; r < i1; r++) {
        const o = <usize>r * ldc + (<usize>jb << 2);
        actSeg(act, alpha, c + o, out + o, je - jb);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Broadcast GEMM: C[i][j] (+)= Σ_p A(i, p) · B[p][j], B row-major with j contiguous, A(i, p) at
// a + i·sai + p·sap (bytes). TN and NN are both this with different strides.

/** 4 rows × 8 columns. a = &A(i, p0), b = &B[p0][j], c = &C[i][j]; acc: continue from C. */
function bb4x8(a: usize, sai: usize, sap: usize, b: usize, ldb: usize, c: usize, ldc: usize, np: i32, acc: bool): void {
  const c1p = c + ldc;
  const c2p = c1p + ldc;
  const c3p = c2p + ldc;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (acc) {
    c00 = v128.load(c);
    c01 = v128.load(c, 16);
    c10 = v128.load(c1p);
    c11 = v128.load(c1p, 16);
    c20 = v128.load(c2p);
    c21 = v128.load(c2p, 16);
    c30 = v128.load(c3p);
    c31 = v128.load(c3p, 16);
  }
  const sai2 = sai + sai;
  const sai3 = sai2 + sai;
  for (let q = 0; q < np; q++) {
    const y0 = v128.load(b);
    const y1 = v128.load(b, 16);
    const x0 = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(x0, y0));
    c01 = f32x4.add(c01, f32x4.mul(x0, y1));
    const x1 = v128.load32_splat(a + sai);
    c10 = f32x4.add(c10, f32x4.mul(x1, y0));
    c11 = f32x4.add(c11, f32x4.mul(x1, y1));
    const x2 = v128.load32_splat(a + sai2);
    c20 = f32x4.add(c20, f32x4.mul(x2, y0));
    c21 = f32x4.add(c21, f32x4.mul(x2, y1));
    const x3 = v128.load32_splat(a + sai3);
    c30 = f32x4.add(c30, f32x4.mul(x3, y0));
    c31 = f32x4.add(c31, f32x4.mul(x3, y1));
    a += sap;
    b += ldb;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c1p, c10);
  v128.store(c1p, c11, 16);
  v128.store(c2p, c20);
  v128.store(c2p, c21, 16);
  v128.store(c3p, c30);
  v128.store(c3p, c31, 16);
}

/** 4 rows × w ≤ 4 columns. */
function bb4x4(a: usize, sai: usize, sap: usize, b: usize, ldb: usize, c: usize, ldc: usize, np: i32, acc: bool, w: i32): void {
  const c1p = c + ldc;
  const c2p = c1p + ldc;
  const c3p = c2p + ldc;
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  if (acc) {
    c0 = v128.load(c);
    c1 = v128.load(c1p);
    c2 = v128.load(c2p);
    c3 = v128.load(c3p);
  }
  const sai2 = sai + sai;
  const sai3 = sai2 + sai;
  for (let q = 0; q < np; q++) {
    const y = v128.load(b);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a), y));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a + sai), y));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(a + sai2), y));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(a + sai3), y));
    a += sap;
    b += ldb;
  }
  storeN(c, c0, w);
  storeN(c1p, c1, w);
  storeN(c2p, c2, w);
  storeN(c3p, c3, w);
}

/** 1 row × 8 columns. */
function bb1x8(a: usize, sap: usize, b: usize, ldb: usize, c: usize, np: i32, acc: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  if (acc) {
    c0 = v128.load(c);
    c1 = v128.load(c, 16);
  }
  for (let q = 0; q < np; q++) {
    const x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b)));
    c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 16)));
    a += sap;
    b += ldb;
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
}

/** 1 row × w ≤ 4 columns. */
function bb1x4(a: usize, sap: usize, b: usize, ldb: usize, c: usize, np: i32, acc: bool, w: i32): void {
  let c0 = f32x4.splat(0);
  if (acc) c0 = v128.load(c);
  for (let q = 0; q < np; q++) {
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a), v128.load(b)));
    a += sap;
    b += ldb;
  }
  storeN(c, c0, w);
}

const KC = 128;
const NC = 64;

/**
 * C rows [i0, i1) × columns [j0, j1) of the broadcast GEMM over p < k, cache-blocked (KC × NC
 * tiles of B); then, when act ≥ 0, C ⊙= f′(Z) with Z and Aprev laid out like C.
 */
function bbRange(n: i32, k: i32, a: usize, sai: usize, sap: usize, b: usize, ldb: usize, c: usize, i0: i32, i1: i32, j0: i32, j1: i32, act: i32, alpha: f32, z: usize, ap: usize, pack: usize): void {
  const ldc = <usize>n << 2;
  for (let jb = j0; jb < j1; jb += NC) {
    const je = imin(jb + NC, j1);
    if (k == 0) {
      for (let i = i0; i < i1; i++) memory.fill(c + <usize>i * ldc + (<usize>jb << 2), 0, <usize>(je - jb) << 2);
    }
    for (let pb = 0; pb < k; pb += KC) {
      const np = imin(KC, k - pb);
      const acc = pb > 0;
      const ap0 = a + <usize>pb * sap;
      const bp0 = b + <usize>pb * ldb;
      let i = i0;
      for (; i + 4 <= i1; i += 4) {
        let ai = ap0 + <usize>i * sai;
        let si = sai;
        let sp = sap;
        if (pack && je - jb >= 32) {
          // A's 4 rows are 4 adjacent floats per p (sai = 4), but p strides by a power of two
          // when m is one (512 → 2 KB): those lines share 2 L1 sets and evict each other. Copy
          // the np × 4 panel to this thread's 2 KB scratch once; the ≥ 4 column panels reuse it.
          for (let q = 0; q < np; q++) v128.store(pack + (<usize>q << 4), v128.load(ai + <usize>q * sap));
          ai = pack;
          si = 4;
          sp = 16;
        }
        const ci = c + <usize>i * ldc;
        let j = jb;
        for (; j + 8 <= je; j += 8) bb4x8(ai, si, sp, bp0 + (<usize>j << 2), ldb, ci + (<usize>j << 2), ldc, np, acc);
        for (; j < je; j += 4) bb4x4(ai, si, sp, bp0 + (<usize>j << 2), ldb, ci + (<usize>j << 2), ldc, np, acc, imin(4, je - j));
      }
      for (; i < i1; i++) {
        const ai = ap0 + <usize>i * sai;
        const ci = c + <usize>i * ldc;
        let j = jb;
        for (; j + 8 <= je; j += 8) bb1x8(ai, sap, bp0 + (<usize>j << 2), ldb, ci + (<usize>j << 2), np, acc);
        for (; j < je; j += 4) bb1x4(ai, sap, bp0 + (<usize>j << 2), ldb, ci + (<usize>j << 2), np, acc, imin(4, je - j));
      }
    }
    if (act >= 0) {
      for (let r = i0; r < i1; r++) {
        const o = <usize>r * ldc + (<usize>jb << 2);
        gradSeg(act, alpha, z + o, ap + o, c + o, je - jb);
      }
    }
  }
}

/**
 * Splits an m × n output between threads — rows 4 at a time or columns 8 at a time, whichever has
 * more pieces; rows whenever there are enough of them with `preferRows` — and calls bbRange on share t.
 */
@inline function bbShare(m: i32, n: i32, k: i32, a: usize, sai: usize, sap: usize, b: usize, ldb: usize, c: usize, act: i32, alpha: f32, z: usize, ap: usize, t: i32, T: i32, preferRows: bool, pack: usize): void {
  const rowUnits = (m + 3) >> 2;
  if ((preferRows && rowUnits >= 2 * T) || rowUnits >= (n + 7) >> 3) {
    const i0 = part(m, 4, t, T);
    const i1 = part(m, 4, t + 1, T);
    if (i1 > i0) bbRange(n, k, a, sai, sap, b, ldb, c, i0, i1, 0, n, act, alpha, z, ap, pack);
  } else {
    const j0 = part(n, 8, t, T);
    const j1 = part(n, 8, t + 1, T);
    if (j1 > j0) bbRange(n, k, a, sai, sap, b, ldb, c, 0, m, j0, j1, act, alpha, z, ap, pack);
  }
}

/** Bytes of scratch each thread needs (gemmTN's packed A panel): the JavaScript side allocates T of them. */
export function scratchBytes(): i32 {
  return KC * 16;
}

/**
 * C[m × n] = A[k × m]ᵀ · B[k × n]; with db ≠ 0 also db[m] = column sums of A (∂b beside ∂W).
 * Splits ∂W's rows, as gemmNT splits W's. `scratch`: T × scratchBytes() bytes.
 */
export function gemmTN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, db: usize, scratch: usize, t: i32, T: i32): void {
  const pack = scratch + <usize>t * <usize>scratchBytes();
  bbShare(m, n, k, a, 4, <usize>m << 2, b, <usize>n << 2, c, -1, 0, 0, 0, t, T, true, pack);
  if (db) colSumsRange(k, m, a, db, part(m, 4, t, T), part(m, 4, t + 1, T));
}

/** C[m × n] = A[m × k] · B[k × n]; with act ≥ 0 then C ⊙= f′(Z) where Z, Aprev are m × n. */
export function gemmNN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, act: i32, alpha: f32, z: usize, ap: usize, t: i32, T: i32): void {
  bbShare(m, n, k, a, <usize>k << 2, 4, b, <usize>n << 2, c, act, alpha, z, ap, t, T, false, 0);
}

// ---------------------------------------------------------------------------------------------
// Optimizer updates and the squared norm, elementwise over one parameter array

/**
 * Share t of T of n elements: with rowLen > 0 (a weight matrix of rows of rowLen), whole rows 4 at
 * a time — the same rows gemmNT and gemmTN give thread t, so the update stays in that core's cache.
 */
@inline function elemStart(n: i32, rowLen: i32, t: i32, T: i32): i32 {
  return rowLen > 0 ? part(n / rowLen, 4, t, T) * rowLen : part(n, 64, t, T);
}

/** θ ← θ − lr · g over n elements (plain SGD). */
export function sgdUpdate(n: i32, p: usize, g: usize, lr: f32, rowLen: i32, t: i32, T: i32): void {
  const s = elemStart(n, rowLen, t, T);
  const e = elemStart(n, rowLen, t + 1, T);
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
 * Adam / AdamW over n elements, PyTorch's rule (src/optim/adam.ts): θ ← θ·shrink; d = g + l2·θ;
 * m ← β₁m + (1 − β₁)d; v ← β₂v + (1 − β₂)d²; v̂ = max(v̂max, v) when vmax ≠ 0, else v;
 * θ ← θ − stepSize · m / (√v̂ / sqrtCorrection2 + ε).
 */
export function adamUpdate(
  n: i32, p: usize, g: usize, m: usize, v: usize, vmax: usize,
  stepSize: f32, sqrtCorrection2: f32, beta1: f32, beta2: f32, eps: f32, l2: f32, shrink: f32, rowLen: i32, t: i32, T: i32,
): void {
  const s = elemStart(n, rowLen, t, T);
  const e = elemStart(n, rowLen, t + 1, T);
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(<f32>1.0 - beta1);
  const b2 = f32x4.splat(beta2), c2 = f32x4.splat(<f32>1.0 - beta2);
  const vl2 = f32x4.splat(l2), vshrink = f32x4.splat(shrink), vstep = f32x4.splat(stepSize);
  const vsc = f32x4.splat(sqrtCorrection2), veps = f32x4.splat(eps);
  for (let i = s; i < e; i += 4) {
    const o = <usize>i << 2;
    const theta = f32x4.mul(v128.load(p + o), vshrink);
    const d = f32x4.add(v128.load(g + o), f32x4.mul(vl2, theta));
    const mj = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, d));
    const vj = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(d, d)));
    let vhat = vj;
    const w = imin(4, e - i);
    if (vmax) {
      vhat = f32x4.max(v128.load(vmax + o), vj);
      storeN(vmax + o, vhat, w);
    }
    const upd = f32x4.div(f32x4.mul(vstep, mj), f32x4.add(f32x4.div(f32x4.sqrt(vhat), vsc), veps));
    storeN(m + o, mj, w);
    storeN(v + o, vj, w);
    storeN(p + o, f32x4.sub(theta, upd), w);
  }
}

/** Σ a[i]² over n elements, squared and accumulated in float64, single-threaded. */
export function sumSquares(n: i32, a: usize): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(a + (<usize>i << 2));
    const x0 = f64x2.promote_low_f32x4(x);
    const x1 = f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1));
    s0 = f64x2.add(s0, f64x2.mul(x0, x0));
    s1 = f64x2.add(s1, f64x2.mul(x1, x1));
  }
  let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1) + f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
  for (; i < n; i++) {
    const x = <f64>load<f32>(a + (<usize>i << 2));
    s += x * x;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Input scaling: uint8 rows to float32, per feature

/** out[r][j] = (src[r][j] − shift[j]) · scale[j] for rows × cols uint8 values (rows split between threads). */
export function scaleU8(rows: i32, cols: i32, src: usize, shift: usize, scale: usize, out: usize, t: i32, T: i32): void {
  const r0 = part(rows, 1, t, T);
  const r1 = part(rows, 1, t + 1, T);
  for (let r = r0; r < r1; r++) {
    const s = src + <usize>r * <usize>cols;
    const o = out + ((<usize>r * <usize>cols) << 2);
    for (let j = 0; j < cols; j += 4) {
      const bytes = v128.load32_zero(s + <usize>j);
      const x = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes)));
      const jo = <usize>j << 2;
      storeN(o + jo, f32x4.mul(f32x4.sub(x, v128.load(shift + jo)), v128.load(scale + jo)), imin(4, cols - j));
    }
  }
}
