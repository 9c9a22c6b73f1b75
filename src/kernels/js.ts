import { kernelOf, type Activation } from '../nn/activations.js';
import type { DType, Floats } from '../tensor/matrix.js';
import { activationKernels } from './activation-kernels.gen.js';
import { activateByCalls, activateGradByCalls, KernelsBase } from './kernels.js';

/**
 * Pure TypeScript kernels: float32 storage, float64 accumulation, rows blocked in pairs so each
 * loaded value is used twice, and no allocation per call (one float64 scratch row, grown when a
 * wider matrix arrives). The last resort where WebAssembly is missing, and the readable version
 * of what the wasm backend does.
 */
export class JsKernels extends KernelsBase {
  readonly name = 'js';
  readonly dtype: DType = 'float32';
  private scratch = new Float64Array(1024);

  alloc(n: number): Float32Array {
    return new Float32Array(n);
  }

  private rowScratch(n: number): Float64Array {
    if (this.scratch.length < 2 * n) this.scratch = new Float64Array(2 * n);
    return this.scratch;
  }

  gemmNT(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats, bias?: Floats | null): void {
    // C[i][j] = Σ_p A[i][p] B[j][p]: both operands read along contiguous rows; a 2 × 2 block of
    // dot products shares every load.
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const a0 = i * k;
      const a1 = a0 + k;
      let j = 0;
      for (; j + 1 < n; j += 2) {
        const b0 = j * k;
        const b1 = b0 + k;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let p = 0; p < k; p++) {
          const x0 = a[a0 + p]!;
          const x1 = a[a1 + p]!;
          const y0 = b[b0 + p]!;
          const y1 = b[b1 + p]!;
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
        }
        const c0 = bias ? bias[j]! : 0;
        const c1 = bias ? bias[j + 1]! : 0;
        c[i * n + j] = s00 + c0;
        c[i * n + j + 1] = s01 + c1;
        c[(i + 1) * n + j] = s10 + c0;
        c[(i + 1) * n + j + 1] = s11 + c1;
      }
      if (j < n) {
        const b0 = j * k;
        let s0 = 0;
        let s1 = 0;
        for (let p = 0; p < k; p++) {
          s0 += a[a0 + p]! * b[b0 + p]!;
          s1 += a[a1 + p]! * b[b0 + p]!;
        }
        const c0 = bias ? bias[j]! : 0;
        c[i * n + j] = s0 + c0;
        c[(i + 1) * n + j] = s1 + c0;
      }
    }
    if (i < m) {
      const a0 = i * k;
      for (let j = 0; j < n; j++) {
        const b0 = j * k;
        let s = bias ? bias[j]! : 0;
        for (let p = 0; p < k; p++) s += a[a0 + p]! * b[b0 + p]!;
        c[i * n + j] = s;
      }
    }
  }

  gemmTN(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats): void {
    // A is k × m: A(i, p) = a[p·m + i].
    this.rowsTimesB(m, n, k, a, 1, m, b, c);
  }

  gemmNN(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats): void {
    // A is m × k: A(i, p) = a[i·k + p].
    this.rowsTimesB(m, n, k, a, k, 1, b, c);
  }

  /**
   * C[i][j] = Σ_p A(i, p) B[p][j] with A(i, p) = a[i·rowStride + p·colStride]: i-p-j order, two
   * rows of C accumulated in float64 scratch per pass over B (read by rows), skipping the zeros
   * ReLU and dropout leave in A.
   */
  private rowsTimesB(m: number, n: number, k: number, a: Floats, rowStride: number, colStride: number, b: Floats, c: Floats): void {
    const acc = this.rowScratch(n);
    for (let i = 0; i < m; i += 2) {
      const two = i + 1 < m;
      acc.fill(0, 0, 2 * n);
      for (let p = 0; p < k; p++) {
        const x0 = a[i * rowStride + p * colStride]!;
        const x1 = two ? a[(i + 1) * rowStride + p * colStride]! : 0;
        if (x0 === 0 && x1 === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) {
          const y = b[bp + j]!;
          acc[j] = acc[j]! + x0 * y;
          acc[n + j] = acc[n + j]! + x1 * y;
        }
      }
      for (let j = 0; j < n; j++) c[i * n + j] = acc[j]!;
      if (two) for (let j = 0; j < n; j++) c[(i + 1) * n + j] = acc[n + j]!;
    }
  }

  colSums(m: number, n: number, a: Floats, out: Floats): void {
    const acc = this.rowScratch(n);
    acc.fill(0, 0, n);
    for (let i = 0; i < m; i++) {
      const r = i * n;
      for (let j = 0; j < n; j++) acc[j] = acc[j]! + a[r + j]!;
    }
    for (let j = 0; j < n; j++) out[j] = acc[j]!;
  }

  activate(f: Activation, n: number, z: Floats, a: Floats): void {
    // One specialised loop per kernel id where it pays (each loop stays monomorphic); any other
    // activation, a user's own included, calls its f.
    switch (kernelOf(f)) {
      case activationKernels.relu:
        for (let i = 0; i < n; i++) {
          const v = z[i]!;
          a[i] = v > 0 ? v : 0;
        }
        return;
      case activationKernels['leaky-relu']: {
        const s = f.alpha;
        for (let i = 0; i < n; i++) {
          const v = z[i]!;
          a[i] = v > 0 ? v : s * v;
        }
        return;
      }
      case activationKernels.identity:
        if (a !== z) for (let i = 0; i < n; i++) a[i] = z[i]!;
        return;
      default:
        activateByCalls(f, n, z, a);
    }
  }

  activateGrad(f: Activation, n: number, z: Floats, a: Floats, d: Floats): void {
    switch (kernelOf(f)) {
      case activationKernels.relu:
        for (let i = 0; i < n; i++) if (!(z[i]! > 0)) d[i] = 0;
        return;
      case activationKernels['leaky-relu']: {
        const s = f.alpha;
        for (let i = 0; i < n; i++) if (!(z[i]! > 0)) d[i] = d[i]! * s;
        return;
      }
      case activationKernels.identity:
        return;
      case activationKernels.sigmoid:
        for (let i = 0; i < n; i++) {
          const y = a[i]!;
          d[i] = d[i]! * y * (1 - y);
        }
        return;
      case activationKernels.tanh:
        for (let i = 0; i < n; i++) {
          const y = a[i]!;
          d[i] = d[i]! * (1 - y * y);
        }
        return;
      default:
        activateGradByCalls(f, n, z, a, d);
    }
  }
}
