// Inverted dropout's masks drawn in wasm with the generator of src/tensor/rng.ts (xoshiro128**, a
// uniform double from two outputs): the same draws, in the same order, as Rng.uniform() would make,
// so a run is the same whichever side draws, and the generator's state goes back to the Rng after.

@inline function rotl(x: u32, k: u32): u32 {
  return (x << k) | (x >>> (32 - k));
}

/**
 * For i < n in order: u = the next uniform double of the generator whose four state words are at
 * `state` (updated in place); mask[i] = u < p ? 0 : keep; out[i] = a[i] · mask — the product taken
 * in float64 with keep's double value, as the TypeScript loop does (then rounded to float32).
 */
export function dropoutMask(n: i32, a: usize, mask: usize, out: usize, p: f64, keep: f64, state: usize): void {
  let s0 = load<u32>(state);
  let s1 = load<u32>(state, 4);
  let s2 = load<u32>(state, 8);
  let s3 = load<u32>(state, 12);
  const keep32 = <f32>keep;
  for (let i = 0; i < n; i++) {
    // two outputs of xoshiro128** (Rng.nextUint32), written out: as a loop of two the masks took
    // 47 µs for 6,400 values instead of 41; the high 27 bits of the first, 26 of the second
    let r = rotl(s1 * 5, 7) * 9;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    const hi = r >>> 5;
    r = rotl(s1 * 5, 7) * 9;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    const lo = r >>> 6;
    // (hi·2²⁶ + lo)/2⁵³ (Rng.uniform): dividing by a power of two is multiplying by its inverse, exactly
    const u = (<f64>hi * 67108864.0 + <f64>lo) * 1.1102230246251565e-16;
    const o = <usize>i << 2;
    const drop = u < p;
    store<f32>(mask + o, select<f32>(0, keep32, drop));
    store<f32>(out + o, <f32>(<f64>load<f32>(a + o) * select<f64>(0, keep, drop)));
  }
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, s3, 12);
}

/** d[i] ← d[i] · mask[i] over n elements (dropout in the backward pass). */
export function maskMultiply(n: i32, d: usize, mask: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(d + o, f32x4.mul(v128.load(d + o), v128.load(mask + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(d + o, load<f32>(d + o) * load<f32>(mask + o));
  }
}
