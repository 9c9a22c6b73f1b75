// Input scaling: uint8 rows to float32, per feature (the gather of a data set kept as bytes).
import { imin, part, storeN } from './common';

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
