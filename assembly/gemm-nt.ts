// NT GEMM: C[m × n] = A[m × k] · B[n × k]ᵀ (+ bias), then f(C): dot products along k, both
// operands k-contiguous — the forward pass Z = X · Wᵀ + b, A = f(Z).
import { activateSpan } from './activations';
import { imin, madd, part } from './common';

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
function dotTile4x2(k: i32, a0: usize, b0: usize, c: usize, ldc: usize, bias: usize): void {
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
    c00 = madd(x0, y0, c00);
    c01 = madd(x0, y1, c01);
    const x1 = v128.load(a1 + p);
    c10 = madd(x1, y0, c10);
    c11 = madd(x1, y1, c11);
    const x2 = v128.load(a2 + p);
    c20 = madd(x2, y0, c20);
    c21 = madd(x2, y1, c21);
    const x3 = v128.load(a3 + p);
    c30 = madd(x3, y0, c30);
    c31 = madd(x3, y1, c31);
  }
  let s0 = hsum4(c00, c10, c20, c30);
  let s1 = hsum4(c01, c11, c21, c31);
  for (let p = e; p < lda; p += 4) {
    const x = vec4(load<f32>(a0 + p), load<f32>(a1 + p), load<f32>(a2 + p), load<f32>(a3 + p));
    s0 = madd(x, f32x4.splat(load<f32>(b0 + p)), s0);
    s1 = madd(x, f32x4.splat(load<f32>(b1 + p)), s1);
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

/** c + x · y on one float with the kernels' multiply-add (fused where the build is): the k-tails of the 1-wide tiles round as the 4-wide ones do. */
@inline function madd1(x: f32, y: f32, c: f32): f32 {
  return f32x4.extract_lane(madd(f32x4.splat(x), f32x4.splat(y), f32x4.splat(c)), 0);
}

/** 2 rows × 4 columns of C (the 2 or 3 rows a share has beyond multiples of 4): a = &A[i][0], b = &B[j][0], c = &C[i][j]. */
function dotTile2x4(k: i32, a0: usize, b0: usize, c: usize, ldc: usize, bias: usize): void {
  const lda = <usize>k << 2;
  const a1 = a0 + lda;
  const b1 = b0 + lda;
  const b2 = b1 + lda;
  const b3 = b2 + lda;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  const e = <usize>(k & ~3) << 2;
  for (let p: usize = 0; p < e; p += 16) {
    const x0 = v128.load(a0 + p);
    const x1 = v128.load(a1 + p);
    const y0 = v128.load(b0 + p);
    c00 = madd(x0, y0, c00);
    c10 = madd(x1, y0, c10);
    const y1 = v128.load(b1 + p);
    c01 = madd(x0, y1, c01);
    c11 = madd(x1, y1, c11);
    const y2 = v128.load(b2 + p);
    c02 = madd(x0, y2, c02);
    c12 = madd(x1, y2, c12);
    const y3 = v128.load(b3 + p);
    c03 = madd(x0, y3, c03);
    c13 = madd(x1, y3, c13);
  }
  let s0 = hsum4(c00, c01, c02, c03);
  let s1 = hsum4(c10, c11, c12, c13);
  for (let p = e; p < lda; p += 4) {
    const y = vec4(load<f32>(b0 + p), load<f32>(b1 + p), load<f32>(b2 + p), load<f32>(b3 + p));
    s0 = madd(f32x4.splat(load<f32>(a0 + p)), y, s0);
    s1 = madd(f32x4.splat(load<f32>(a1 + p)), y, s1);
  }
  if (bias) {
    const bv = v128.load(bias);
    s0 = f32x4.add(s0, bv);
    s1 = f32x4.add(s1, bv);
  }
  v128.store(c, s0);
  v128.store(c + ldc, s1);
}

/** 1 row × 4 columns of C (a share's last row beyond multiples of 2). */
function dotTile1x4(k: i32, a0: usize, b0: usize, c: usize, bias: usize): void {
  const lda = <usize>k << 2;
  const b1 = b0 + lda;
  const b2 = b1 + lda;
  const b3 = b2 + lda;
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  const e = <usize>(k & ~3) << 2;
  for (let p: usize = 0; p < e; p += 16) {
    const x = v128.load(a0 + p);
    c0 = madd(x, v128.load(b0 + p), c0);
    c1 = madd(x, v128.load(b1 + p), c1);
    c2 = madd(x, v128.load(b2 + p), c2);
    c3 = madd(x, v128.load(b3 + p), c3);
  }
  let s = hsum4(c0, c1, c2, c3);
  for (let p = e; p < lda; p += 4) {
    s = madd(f32x4.splat(load<f32>(a0 + p)), vec4(load<f32>(b0 + p), load<f32>(b1 + p), load<f32>(b2 + p), load<f32>(b3 + p)), s);
  }
  if (bias) s = f32x4.add(s, v128.load(bias));
  v128.store(c, s);
}

/** 1 row × 2 columns of C (row and column edges). */
function dotTile1x2(k: i32, a0: usize, b0: usize, c: usize, bias: usize): void {
  const lda = <usize>k << 2;
  const b1 = b0 + lda;
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  const e = <usize>(k & ~3) << 2;
  for (let p: usize = 0; p < e; p += 16) {
    const x = v128.load(a0 + p);
    c0 = madd(x, v128.load(b0 + p), c0);
    c1 = madd(x, v128.load(b1 + p), c1);
  }
  let s0 = hsum1(c0);
  let s1 = hsum1(c1);
  for (let p = e; p < lda; p += 4) {
    const x = load<f32>(a0 + p);
    s0 = madd1(x, load<f32>(b0 + p), s0);
    s1 = madd1(x, load<f32>(b1 + p), s1);
  }
  if (bias) {
    s0 += load<f32>(bias);
    s1 += load<f32>(bias, 4);
  }
  store<f32>(c, s0);
  store<f32>(c, s1, 4);
}

/** 1 row × 1 column of C (column edges). */
function dotTile1x1(k: i32, a0: usize, b0: usize, c: usize, bias: usize): void {
  const lda = <usize>k << 2;
  let c0 = f32x4.splat(0);
  const e = <usize>(k & ~3) << 2;
  for (let p: usize = 0; p < e; p += 16) c0 = madd(v128.load(a0 + p), v128.load(b0 + p), c0);
  let s0 = hsum1(c0);
  for (let p = e; p < lda; p += 4) s0 = madd1(load<f32>(a0 + p), load<f32>(b0 + p), s0);
  if (bias) s0 += load<f32>(bias);
  store<f32>(c, s0);
}

/** Rows [i, i + rows) (rows ≤ 2) × columns [j, je) of C, 4 columns at a time, then pairs, then one. */
function dotRowsNarrow(rows: i32, k: i32, ai: usize, b: usize, ci: usize, ldc: usize, bias: usize, j: i32, je: i32): void {
  const lda = <usize>k << 2;
  for (; j + 4 <= je; j += 4) {
    const bj = b + <usize>j * lda;
    const biasJ = bias ? bias + (<usize>j << 2) : 0;
    if (rows == 2) dotTile2x4(k, ai, bj, ci + (<usize>j << 2), ldc, biasJ);
    else dotTile1x4(k, ai, bj, ci + (<usize>j << 2), biasJ);
  }
  for (let r = 0; r < rows; r++) {
    const ar = ai + <usize>r * lda;
    const cr = ci + <usize>r * ldc;
    let jj = j;
    for (; jj + 2 <= je; jj += 2) dotTile1x2(k, ar, b + <usize>jj * lda, cr + (<usize>jj << 2), bias ? bias + (<usize>jj << 2) : 0);
    if (jj < je) dotTile1x1(k, ar, b + <usize>jj * lda, cr + (<usize>jj << 2), bias ? bias + (<usize>jj << 2) : 0);
  }
}

/**
 * Z[m × n] = X[m × k] · W[n × k]ᵀ + bias (bias = 0: none), then A = f(Z) when out ≠ 0. Threads
 * split W's rows (the columns of Z, 2 at a time) when there are enough of them, as gemmTN splits
 * ∂W's rows: each thread then keeps touching the same rows of W and ∂W, with no cross-core
 * traffic between the forward pass, the backward pass and the update. Otherwise X's rows.
 * ar ≠ 0: copies of A, one per thread t ≥ 1 (m·k floats each, in order), identical to A.
 */
export function gemmNT(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, bias: usize, act: i32, alpha: f32, out: usize, ar: usize, t: i32, T: i32): void {
  // thread t ≥ 1 reads its own copy of X where the gather left one (scaleU8 with replicas)
  if (ar && t > 0) a = ar + <usize>(t - 1) * ((<usize>m * <usize>k) << 2);
  let i0 = 0, i1 = m, j0 = 0, j1 = n;
  const rowUnits = (m + 3) >> 2;
  const colUnits = (n + 3) >> 2;
  if (colUnits >= 2 * T || colUnits >= rowUnits) {
    j0 = part(n, 2, t, T); // 2 columns at a time, the tile's width: halves as even as can be
    j1 = part(n, 2, t + 1, T);
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
      for (; j + 2 <= je; j += 2) dotTile4x2(k, ai, b + <usize>j * lda, ci + (<usize>j << 2), ldc, bias ? bias + (<usize>j << 2) : 0);
      if (j < je) {
        const bj = b + <usize>j * lda;
        const biasJ = bias ? bias + (<usize>j << 2) : 0;
        for (let r = 0; r < 4; r++) dotTile1x1(k, ai + <usize>r * lda, bj, ci + <usize>r * ldc + (<usize>j << 2), biasJ);
      }
    }
    // every tile sums an element the same way (lanes over p, then (l0 + l2) + (l1 + l3), then the
    // k-tail by multiply-adds), so which tile a row falls in never changes its bits
    for (; i + 2 <= i1; i += 2) dotRowsNarrow(2, k, a + <usize>i * lda, b, c + <usize>i * ldc, ldc, bias, jb, je);
    if (i < i1) dotRowsNarrow(1, k, a + <usize>i * lda, b, c + <usize>i * ldc, ldc, bias, jb, je);
    if (out) {
      for (let r = i0; r < i1; r++) {
        const o = <usize>r * ldc + (<usize>jb << 2);
        activateSpan(act, alpha, c + o, out + o, je - jb);
      }
    }
  }
}
