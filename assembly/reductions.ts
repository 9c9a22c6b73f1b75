// Sums over one array: column sums (∂b) and sums of squares (gradient norms): whole arrays in float64, per row with float32 partial sums.
import { imin, part, storeN } from './common';

/** out[j] = Σ_i A[i][j] for j in [j0, j1), summed in row order; A is m × n. */
export function colSumsRange(m: i32, n: i32, a: usize, out: usize, j0: i32, j1: i32): void {
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

/** (x0², x1²) of the two float32 values at p, in float64. */
@inline function squares2(p: usize): v128 {
  // a 64-bit load rather than a load and a shuffle: the shuffle shares the promotes' port on x86
  const x = f64x2.promote_low_f32x4(v128.load64_zero(p));
  return f64x2.mul(x, x);
}

/**
 * Σ a[i]² over n elements, squared and accumulated in float64, single-threaded. Four accumulators
 * (eight elements an iteration): the float64 adds' latency, not their throughput, bounded two.
 */
export function sumSquares(n: i32, a: usize): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let s2 = f64x2.splat(0);
  let s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = a + (<usize>i << 2);
    s0 = f64x2.add(s0, squares2(p));
    s1 = f64x2.add(s1, squares2(p + 8));
    s2 = f64x2.add(s2, squares2(p + 16));
    s3 = f64x2.add(s3, squares2(p + 24));
  }
  for (; i + 4 <= n; i += 4) {
    const p = a + (<usize>i << 2);
    s0 = f64x2.add(s0, squares2(p));
    s1 = f64x2.add(s1, squares2(p + 8));
  }
  s0 = f64x2.add(s0, s2);
  s1 = f64x2.add(s1, s3);
  let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1) + f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
  for (; i < n; i++) {
    const x = <f64>load<f32>(a + (<usize>i << 2));
    s += x * x;
  }
  return s;
}

/**
 * Σ a[j]² over one row of n values, for the gradient-norm diagnostic: sixteen float32 partial
 * sums (four f32x4 accumulators, each lane at most ⌈n/16⌉ squares), added in float64 in a fixed
 * order, then the tail in float64. Relative error below ⌈n/16⌉·2⁻²⁴ (3·10⁻⁶ for 784 columns), at
 * a third of the float64 pass's cost; the same bits for a row whichever thread measures it.
 */
function rowSquaresOf(n: i32, a: usize): f64 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const p = a + (<usize>j << 2);
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    const x2 = v128.load(p, 32);
    const x3 = v128.load(p, 48);
    s0 = f32x4.add(s0, f32x4.mul(x0, x0));
    s1 = f32x4.add(s1, f32x4.mul(x1, x1));
    s2 = f32x4.add(s2, f32x4.mul(x2, x2));
    s3 = f32x4.add(s3, f32x4.mul(x3, x3));
  }
  let s = lanes(s0) + lanes(s1) + lanes(s2) + lanes(s3);
  for (; j < n; j++) {
    const x = <f64>load<f32>(a + (<usize>j << 2));
    s += x * x;
  }
  return s;
}

/** The four lanes of v added in float64, in order. */
@inline export function lanes(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/** out[i] = Σ_j C[i][j]² (rowSquaresOf, float64 result) for rows [i0, i1) of C with n columns. */
export function rowSquaresRange(n: i32, c: usize, out: usize, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) store<f64>(out + (<usize>i << 3), rowSquaresOf(n, c + ((<usize>i * <usize>n) << 2)));
}

/** Σ_i Σ_j C[i][j]² over the m rows of C[m × n]: each row's rowSquaresOf, added in row order in float64. */
export function weightSquares(m: i32, n: i32, c: usize): f64 {
  let s: f64 = 0;
  for (let i = 0; i < m; i++) s += rowSquaresOf(n, c + ((<usize>i * <usize>n) << 2));
  return s;
}

/**
 * max |a[i]| over n elements (NaN when any is NaN), single-threaded. pmax (one x86 maxps) rather
 * than max, whose NaN rules cost V8 a sequence of instructions on the loop's critical path (6 µs
 * for 7,840 values against well under one); NaNs are caught by a separate x ≠ x mask.
 */
export function maxAbs(n: i32, a: usize): f32 {
  let m0 = f32x4.splat(0);
  let m1 = f32x4.splat(0);
  let nan = v128.splat<i32>(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = a + (<usize>i << 2);
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    m0 = f32x4.pmax(m0, f32x4.abs(x0));
    m1 = f32x4.pmax(m1, f32x4.abs(x1));
    nan = v128.or(nan, v128.or(f32x4.ne(x0, x0), f32x4.ne(x1, x1)));
  }
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(a + (<usize>i << 2));
    m0 = f32x4.pmax(m0, f32x4.abs(x));
    nan = v128.or(nan, f32x4.ne(x, x));
  }
  const v = f32x4.pmax(m0, m1);
  let r = max<f32>(max<f32>(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max<f32>(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
  if (v128.any_true(nan)) r = NaN;
  for (; i < n; i++) r = max<f32>(r, abs<f32>(load<f32>(a + (<usize>i << 2))));
  return r;
}

/** out[i] = Σ_j C[i][j]² for the m rows of C[m × n] (rows split between threads). */
export function rowSquares(m: i32, n: i32, c: usize, out: usize, t: i32, T: i32): void {
  rowSquaresRange(n, c, out, part(m, 1, t, T), part(m, 1, t + 1, T));
}
