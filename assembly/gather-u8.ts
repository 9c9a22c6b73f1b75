// Input scaling: uint8 rows to float32, per feature (the gather of a data set kept as bytes).
import { imin, part, storeN } from './common';

/** (x − shift[j..j+3]) · scale[j..j+3] stored at out + 4j, for the 4 byte values widened to i32 in `x`. */
@inline function scaleStore4(x: v128, shift: usize, scale: usize, o: usize, j: i32, w: i32): void {
  const jo = <usize>j << 2;
  // convert_s, not convert_u: exact for 0..255, and one instruction on x86 where the unsigned one is a sequence
  storeN(o + jo, f32x4.mul(f32x4.sub(f32x4.convert_i32x4_s(x), v128.load(shift + jo)), v128.load(scale + jo)), w);
}

/** Where thread t converts to: `out`, or with copies (rep ≠ 0) thread t ≥ 1's own, at rep + (t − 1)·rows·cols floats. */
@inline function destination(rows: i32, cols: i32, out: usize, rep: usize, t: i32): usize {
  return rep && t > 0 ? rep + <usize>(t - 1) * ((<usize>rows * <usize>cols) << 2) : out;
}

/**
 * out[r][j] = (src[r][j] − shift[j]) · scale[j] for rows × cols uint8 values, rows split between
 * threads; or, with rep ≠ 0, every thread the whole matrix: thread 0 into out, thread t ≥ 1 into
 * its own copy at rep + (t − 1)·rows·cols floats, which the products then read instead of out
 * (each core keeps the batch in its own cache: no lines of X cross between cores at every step).
 */
export function scaleU8(rows: i32, cols: i32, src: usize, shift: usize, scale: usize, out: usize, rep: usize, t: i32, T: i32): void {
  const r0 = rep ? 0 : part(rows, 1, t, T);
  const r1 = rep ? rows : part(rows, 1, t + 1, T);
  out = destination(rows, cols, out, rep, t);
  for (let r = r0; r < r1; r++) {
    const s = src + <usize>r * <usize>cols;
    const o = out + ((<usize>r * <usize>cols) << 2);
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      const bytes = v128.load(s + <usize>j);
      const lo = i16x8.extend_low_i8x16_u(bytes);
      const hi = i16x8.extend_high_i8x16_u(bytes);
      scaleStore4(i32x4.extend_low_i16x8_u(lo), shift, scale, o, j, 4);
      scaleStore4(i32x4.extend_high_i16x8_u(lo), shift, scale, o, j + 4, 4);
      scaleStore4(i32x4.extend_low_i16x8_u(hi), shift, scale, o, j + 8, 4);
      scaleStore4(i32x4.extend_high_i16x8_u(hi), shift, scale, o, j + 12, 4);
    }
    for (; j < cols; j += 4) {
      scaleStore4(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(s + <usize>j))), shift, scale, o, j, imin(4, cols - j));
    }
  }
}

/**
 * scaleU8 where every shift is 0 and every scale is k (pixels as x/255): x · k, the bits of
 * (x − 0) · k, without loading shift and scale — about half scaleU8's time.
 */
export function scaleU8Uniform(rows: i32, cols: i32, src: usize, k: f32, out: usize, rep: usize, t: i32, T: i32): void {
  const r0 = rep ? 0 : part(rows, 1, t, T);
  const r1 = rep ? rows : part(rows, 1, t + 1, T);
  out = destination(rows, cols, out, rep, t);
  const vk = f32x4.splat(k);
  for (let r = r0; r < r1; r++) {
    const s = src + <usize>r * <usize>cols;
    const o = out + ((<usize>r * <usize>cols) << 2);
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      const bytes = v128.load(s + <usize>j);
      const lo = i16x8.extend_low_i8x16_u(bytes);
      const hi = i16x8.extend_high_i8x16_u(bytes);
      const oj = o + (<usize>j << 2);
      v128.store(oj, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(lo)), vk));
      v128.store(oj, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(lo)), vk), 16);
      v128.store(oj, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(hi)), vk), 32);
      v128.store(oj, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(hi)), vk), 48);
    }
    for (; j < cols; j += 4) {
      const x = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(s + <usize>j))));
      storeN(o + (<usize>j << 2), f32x4.mul(x, vk), imin(4, cols - j));
    }
  }
}
