// Broadcast GEMMs: C[i][j] (+)= Σ_p A(i, p) · B[p][j], B row-major with j contiguous, A(i, p) at
// a + i·rowStride + p·depthStride (bytes), each A(i, p) broadcast across a row of B. TN (the weight
// gradient ∂W = Δᵀ · X) and NN (the input gradient (Δ · W) ⊙ f′(Zprev)) are both this with different strides.
import { activateGradSpan } from './activations';
import { imin, madd, part, storeN } from './common';
import { colSumsRange, rowSquaresRange } from './reductions';

/**
 * 6 rows × 8 columns: a = &A(i, p0), b = &B[p0][j], c = &C[i][j]; acc: continue from C. Twelve
 * accumulators, more than the 8 a fused multiply-add's latency (4 cycles on 2 ports) needs in
 * flight, and the loop's own work spread over more of them: a 4 × 8 tile measured 50, this one 55
 * GFLOP/s on one core of the Xeon here (the C3 backward products 4–8% faster). The rows a share
 * has beyond multiples of 6 go through the 2- and 1-row tiles.
 */
function broadcastTile6x8(a: usize, rowStride: usize, depthStride: usize, b: usize, ldb: usize, c: usize, ldc: usize, np: i32, acc: bool): void {
  const c1p = c + ldc;
  const c2p = c1p + ldc;
  const c3p = c2p + ldc;
  const c4p = c3p + ldc;
  const c5p = c4p + ldc;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  if (acc) {
    c00 = v128.load(c);
    c01 = v128.load(c, 16);
    c10 = v128.load(c1p);
    c11 = v128.load(c1p, 16);
    c20 = v128.load(c2p);
    c21 = v128.load(c2p, 16);
    c30 = v128.load(c3p);
    c31 = v128.load(c3p, 16);
    c40 = v128.load(c4p);
    c41 = v128.load(c4p, 16);
    c50 = v128.load(c5p);
    c51 = v128.load(c5p, 16);
  }
  const rowStride2 = rowStride + rowStride;
  const rowStride3 = rowStride2 + rowStride;
  const rowStride4 = rowStride3 + rowStride;
  const rowStride5 = rowStride4 + rowStride;
  for (let q = 0; q < np; q++) {
    const y0 = v128.load(b);
    const y1 = v128.load(b, 16);
    const x0 = v128.load32_splat(a);
    c00 = madd(x0, y0, c00);
    c01 = madd(x0, y1, c01);
    const x1 = v128.load32_splat(a + rowStride);
    c10 = madd(x1, y0, c10);
    c11 = madd(x1, y1, c11);
    const x2 = v128.load32_splat(a + rowStride2);
    c20 = madd(x2, y0, c20);
    c21 = madd(x2, y1, c21);
    const x3 = v128.load32_splat(a + rowStride3);
    c30 = madd(x3, y0, c30);
    c31 = madd(x3, y1, c31);
    const x4 = v128.load32_splat(a + rowStride4);
    c40 = madd(x4, y0, c40);
    c41 = madd(x4, y1, c41);
    const x5 = v128.load32_splat(a + rowStride5);
    c50 = madd(x5, y0, c50);
    c51 = madd(x5, y1, c51);
    a += depthStride;
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
  v128.store(c4p, c40);
  v128.store(c4p, c41, 16);
  v128.store(c5p, c50);
  v128.store(c5p, c51, 16);
}

/**
 * 2 rows × 16 columns (the rows a share has beyond multiples of 6, two at a time): eight
 * accumulators, all the latency needs, where a 2 × 8 tile has four.
 */
function broadcastTile2x16(a: usize, rowStride: usize, depthStride: usize, b: usize, ldb: usize, c: usize, ldc: usize, np: i32, acc: bool): void {
  const c1p = c + ldc;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  if (acc) {
    c00 = v128.load(c);
    c01 = v128.load(c, 16);
    c02 = v128.load(c, 32);
    c03 = v128.load(c, 48);
    c10 = v128.load(c1p);
    c11 = v128.load(c1p, 16);
    c12 = v128.load(c1p, 32);
    c13 = v128.load(c1p, 48);
  }
  for (let q = 0; q < np; q++) {
    const x0 = v128.load32_splat(a);
    const x1 = v128.load32_splat(a + rowStride);
    const y0 = v128.load(b);
    c00 = madd(x0, y0, c00);
    c10 = madd(x1, y0, c10);
    const y1 = v128.load(b, 16);
    c01 = madd(x0, y1, c01);
    c11 = madd(x1, y1, c11);
    const y2 = v128.load(b, 32);
    c02 = madd(x0, y2, c02);
    c12 = madd(x1, y2, c12);
    const y3 = v128.load(b, 48);
    c03 = madd(x0, y3, c03);
    c13 = madd(x1, y3, c13);
    a += depthStride;
    b += ldb;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c, c02, 32);
  v128.store(c, c03, 48);
  v128.store(c1p, c10);
  v128.store(c1p, c11, 16);
  v128.store(c1p, c12, 32);
  v128.store(c1p, c13, 48);
}

/** 1 row × 16 columns (a share's last row beyond the pairs). */
function broadcastTile1x16(a: usize, depthStride: usize, b: usize, ldb: usize, c: usize, np: i32, acc: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  if (acc) {
    c0 = v128.load(c);
    c1 = v128.load(c, 16);
    c2 = v128.load(c, 32);
    c3 = v128.load(c, 48);
  }
  for (let q = 0; q < np; q++) {
    const x = v128.load32_splat(a);
    c0 = madd(x, v128.load(b), c0);
    c1 = madd(x, v128.load(b, 16), c1);
    c2 = madd(x, v128.load(b, 32), c2);
    c3 = madd(x, v128.load(b, 48), c3);
    a += depthStride;
    b += ldb;
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
  v128.store(c, c2, 32);
  v128.store(c, c3, 48);
}

/** 4 rows × w ≤ 4 columns. */
function broadcastTile4x4(a: usize, rowStride: usize, depthStride: usize, b: usize, ldb: usize, c: usize, ldc: usize, np: i32, acc: bool, w: i32): void {
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
  const rowStride2 = rowStride + rowStride;
  const rowStride3 = rowStride2 + rowStride;
  for (let q = 0; q < np; q++) {
    const y = v128.load(b);
    c0 = madd(v128.load32_splat(a), y, c0);
    c1 = madd(v128.load32_splat(a + rowStride), y, c1);
    c2 = madd(v128.load32_splat(a + rowStride2), y, c2);
    c3 = madd(v128.load32_splat(a + rowStride3), y, c3);
    a += depthStride;
    b += ldb;
  }
  storeN(c, c0, w);
  storeN(c1p, c1, w);
  storeN(c2p, c2, w);
  storeN(c3p, c3, w);
}

/** 1 row × 8 columns. */
function broadcastTile1x8(a: usize, depthStride: usize, b: usize, ldb: usize, c: usize, np: i32, acc: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  if (acc) {
    c0 = v128.load(c);
    c1 = v128.load(c, 16);
  }
  for (let q = 0; q < np; q++) {
    const x = v128.load32_splat(a);
    c0 = madd(x, v128.load(b), c0);
    c1 = madd(x, v128.load(b, 16), c1);
    a += depthStride;
    b += ldb;
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
}

/** 1 row × w ≤ 4 columns. */
function broadcastTile1x4(a: usize, depthStride: usize, b: usize, ldb: usize, c: usize, np: i32, acc: bool, w: i32): void {
  let c0 = f32x4.splat(0);
  if (acc) c0 = v128.load(c);
  for (let q = 0; q < np; q++) {
    c0 = madd(v128.load32_splat(a), v128.load(b), c0);
    a += depthStride;
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
function broadcastGemmRange(n: i32, k: i32, a: usize, rowStride: usize, depthStride: usize, b: usize, ldb: usize, c: usize, i0: i32, i1: i32, j0: i32, j1: i32, act: i32, alpha: f32, z: usize, aPrev: usize, pack: usize): void {
  const ldc = <usize>n << 2;
  for (let jb = j0; jb < j1; jb += NC) {
    const je = imin(jb + NC, j1);
    if (k == 0) {
      for (let i = i0; i < i1; i++) memory.fill(c + <usize>i * ldc + (<usize>jb << 2), 0, <usize>(je - jb) << 2);
    }
    for (let pb = 0; pb < k; pb += KC) {
      const np = imin(KC, k - pb);
      const acc = pb > 0;
      const aPanel = a + <usize>pb * depthStride;
      const bp0 = b + <usize>pb * ldb;
      let i = i0;
      for (; i + 6 <= i1; i += 6) {
        let ai = aPanel + <usize>i * rowStride;
        let tileRowStride = rowStride;
        let tileDepthStride = depthStride;
        if (pack && je - jb >= 32 && (depthStride & 255) == 0) {
          // A's rows are adjacent floats per p (rowStride = 4), but p strides by a power of two
          // when m is one (512 → 2 KB): those lines share 2 L1 sets and evict each other. Copy
          // the np × 6 panel to this thread's scratch once (8 floats a p); the ≥ 4 column panels
          // reuse it. Only for strides of a multiple of 256 bytes: for others (m = 30, 100) the
          // lines spread over the sets, and the copy cost 3% (∂W of 30 × 784 from 10 rows: 13.7 → 13.3 µs).
          for (let q = 0; q < np; q++) {
            const from = ai + <usize>q * depthStride;
            const to = pack + (<usize>q << 5);
            v128.store(to, v128.load(from));
            v128.store(to, v128.load64_zero(from, 16), 16);
          }
          ai = pack;
          tileRowStride = 4;
          tileDepthStride = 32;
        }
        const ci = c + <usize>i * ldc;
        let j = jb;
        for (; j + 8 <= je; j += 8) broadcastTile6x8(ai, tileRowStride, tileDepthStride, bp0 + (<usize>j << 2), ldb, ci + (<usize>j << 2), ldc, np, acc);
        for (; j < je; j += 4) {
          const w = imin(4, je - j);
          const bj = bp0 + (<usize>j << 2);
          const cj = ci + (<usize>j << 2);
          broadcastTile4x4(ai, tileRowStride, tileDepthStride, bj, ldb, cj, ldc, np, acc, w);
          broadcastTile1x4(ai + 4 * tileRowStride, tileDepthStride, bj, ldb, cj + 4 * ldc, np, acc, w);
          broadcastTile1x4(ai + 5 * tileRowStride, tileDepthStride, bj, ldb, cj + 5 * ldc, np, acc, w);
        }
      }
      // the rows beyond multiples of 6: two at a time, then one, 16 columns at a time, then 8,
      // then 4 (each element is summed over p in order whatever tile it falls in)
      for (; i < i1; ) {
        const rows = i + 2 <= i1 ? 2 : 1;
        const ai = aPanel + <usize>i * rowStride;
        const ci = c + <usize>i * ldc;
        let j = jb;
        for (; j + 16 <= je; j += 16) {
          const bj = bp0 + (<usize>j << 2);
          const cj = ci + (<usize>j << 2);
          if (rows == 2) broadcastTile2x16(ai, rowStride, depthStride, bj, ldb, cj, ldc, np, acc);
          else broadcastTile1x16(ai, depthStride, bj, ldb, cj, np, acc);
        }
        for (let r = 0; r < rows; r++) {
          const ar = ai + <usize>r * rowStride;
          const cr = ci + <usize>r * ldc;
          let jj = j;
          for (; jj + 8 <= je; jj += 8) broadcastTile1x8(ar, depthStride, bp0 + (<usize>jj << 2), ldb, cr + (<usize>jj << 2), np, acc);
          for (; jj < je; jj += 4) broadcastTile1x4(ar, depthStride, bp0 + (<usize>jj << 2), ldb, cr + (<usize>jj << 2), np, acc, imin(4, je - jj));
        }
        i += rows;
      }
    }
    if (act >= 0) {
      for (let r = i0; r < i1; r++) {
        const o = <usize>r * ldc + (<usize>jb << 2);
        activateGradSpan(act, alpha, z + o, aPrev + o, c + o, je - jb);
      }
    }
  }
}

/** Whether broadcastGemmShare gives each of T threads whole rows of the m × n output. */
@inline function splitsRows(m: i32, n: i32, T: i32, preferRows: bool): bool {
  const rowUnits = (m + 3) >> 2;
  return (preferRows && rowUnits >= 2 * T) || rowUnits >= (n + 7) >> 3;
}

/**
 * Splits an m × n output between threads — rows (counted 4 at a time to decide) or columns 8 at a time, whichever has
 * more pieces; rows whenever there are enough of them with `preferRows` — and calls broadcastGemmRange on share t.
 */
@inline function broadcastGemmShare(m: i32, n: i32, k: i32, a: usize, rowStride: usize, depthStride: usize, b: usize, ldb: usize, c: usize, act: i32, alpha: f32, z: usize, aPrev: usize, t: i32, T: i32, preferRows: bool, pack: usize): void {
  if (splitsRows(m, n, T, preferRows)) {
    // rows two at a time, as gemmNT splits W's rows, so a thread computes ∂W for the rows of W it
    // multiplied by (and updates: the optimizers split at the same rows); a share starting
    // mid-tile still sums each element over p in order, so the bits do not move
    const i0 = part(m, 2, t, T);
    const i1 = part(m, 2, t + 1, T);
    if (i1 > i0) broadcastGemmRange(n, k, a, rowStride, depthStride, b, ldb, c, i0, i1, 0, n, act, alpha, z, aPrev, pack);
  } else {
    const j0 = part(n, 8, t, T);
    const j1 = part(n, 8, t + 1, T);
    if (j1 > j0) broadcastGemmRange(n, k, a, rowStride, depthStride, b, ldb, c, 0, m, j0, j1, act, alpha, z, aPrev, pack);
  }
}

/** Bytes of scratch each thread needs (gemmTN's packed A panel): the JavaScript side allocates T of them. */
export function scratchBytes(): i32 {
  return KC * 32;
}

/**
 * Whether gemmTN on T threads fills its row squares itself: when each thread's share is whole rows
 * of C (or T = 1); otherwise the caller runs rowSquares once the call is over.
 */
export function tnMeasuresRows(m: i32, n: i32, T: i32): bool {
  return T == 1 || splitsRows(m, n, T, true);
}

/**
 * C[m × n] = A[k × m]ᵀ · B[k × n]; with db ≠ 0 also db[m] = column sums of A (∂b beside ∂W); with
 * sq ≠ 0 and tnMeasuresRows, also sq[i] = Σ_j C[i][j]² (float64), each row while it is in this
 * core's cache (the gradient-norm diagnostic). Splits ∂W's rows, as gemmNT splits W's.
 * `scratch`: T × scratchBytes() bytes. br ≠ 0: copies of B, one per thread t ≥ 1 (k·n floats each), identical to B.
 */
export function gemmTN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, db: usize, scratch: usize, sq: usize, br: usize, t: i32, T: i32): void {
  if (br && t > 0) b = br + <usize>(t - 1) * ((<usize>k * <usize>n) << 2);
  const pack = scratch + <usize>t * <usize>scratchBytes();
  broadcastGemmShare(m, n, k, a, 4, <usize>m << 2, b, <usize>n << 2, c, -1, 0, 0, 0, t, T, true, pack);
  if (db) colSumsRange(k, m, a, db, part(m, 4, t, T), part(m, 4, t + 1, T));
  if (sq && tnMeasuresRows(m, n, T)) rowSquaresRange(n, c, sq, part(m, 2, t, T), part(m, 2, t + 1, T));
}

/** C[m × n] = A[m × k] · B[k × n]; with act ≥ 0 then C ⊙= f′(Z) where Z, Aprev are m × n. */
export function gemmNN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, act: i32, alpha: f32, z: usize, aPrev: usize, t: i32, T: i32): void {
  broadcastGemmShare(m, n, k, a, <usize>k << 2, 4, b, <usize>n << 2, c, act, alpha, z, aPrev, t, T, false, 0);
}
