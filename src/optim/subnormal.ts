import type { Floats } from '../tensor/matrix.js';

/** The smallest normal float32, 2⁻¹²⁶ ≈ 1.18·10⁻³⁸. */
export const MIN_NORMAL_F32 = 2 ** -126;

/**
 * The magnitude below which an optimizer's running average, stored in `a`, is flushed to zero:
 * 2⁻¹²⁶ for float32 arrays, 0 (never) for float64 ones. A running average decays toward zero on a
 * weight whose gradient stays 0 (a dead unit, an input that is always blank) and would spend
 * hundreds of steps subnormal, where x86 handles every load, store and operation on it in a
 * microcode assist: 3× slower in these JavaScript loops, 40× in the SIMD kernel (assembly/updates.ts
 * flushes the same way). An update from a value that small vanishes beside any weight above 10⁻²³.
 *
 * @example
 * const tiny = flushBelow(m); // then: m[j] = flushed(x, tiny)
 */
export function flushBelow(a: Floats): number {
  return a instanceof Float32Array ? MIN_NORMAL_F32 : 0;
}

/** x, or 0 when |x| < tiny (`flushBelow` of the array it goes to). */
export function flushed(x: number, tiny: number): number {
  return Math.abs(x) < tiny ? 0 : x;
}
