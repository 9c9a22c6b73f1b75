// Helpers every kernel family shares: how a thread's share is cut, and partial-vector stores.

export const ONE: f32 = 1.0;

/** The smallest normal float32: values below it are flushed to zero where they would linger (subnormals cost x86 a microcode assist in every operation). */
export const MIN_NORMAL: f32 = 1.17549435e-38;

/** Start of share t of T over `total` items counted in units of `gran` (share ends: part(t + 1)). */
@inline export function part(total: i32, gran: i32, t: i32, T: i32): i32 {
  const units = (total + gran - 1) / gran;
  const s = <i32>((<i64>units * <i64>t) / <i64>T) * gran;
  return s < total ? s : total;
}

@inline export function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/** Stores the first w (1..4) lanes of v at p. */
@inline export function storeN(p: usize, v: v128, w: i32): void {
  if (w >= 4) {
    v128.store(p, v);
    return;
  }
  v128.store32_lane(p, v, 0);
  if (w > 1) v128.store32_lane(p, v, 1, 4);
  if (w > 2) v128.store32_lane(p, v, 2, 8);
}

/**
 * c + a · b on four lanes: one fused multiply-add where the engine has relaxed SIMD (the kernels
 * built with it: one rounding, so results differ by an ulp from the plain build's multiply then add,
 * but are the same for every thread count on a machine), else a multiply then an add.
 */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
