import type { Activation } from '../nn/activations.js';
import type { DType, Floats } from '../tensor/matrix.js';
import { activateByCalls, activateGradByCalls, KernelsBase } from './kernels.js';

/**
 * The ground truth: naive triple loops that accumulate in float64, one element at a time, in
 * the order the formula is written. Every other backend is tested against this one. With
 * dtype 'float64' it stores float64 too (the gradient check runs on it).
 */
export class ReferenceKernels extends KernelsBase {
  readonly name = 'reference';
  readonly dtype: DType;

  constructor(dtype: DType = 'float64') {
    super();
    this.dtype = dtype;
  }

  alloc(n: number): Floats {
    return this.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  }

  gemmNT(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats, bias?: Floats | null): void {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = bias ? bias[j]! : 0;
        for (let p = 0; p < k; p++) s += a[i * k + p]! * b[j * k + p]!;
        c[i * n + j] = s;
      }
    }
  }

  gemmTN(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats): void {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[p * m + i]! * b[p * n + j]!;
        c[i * n + j] = s;
      }
    }
  }

  gemmNN(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats): void {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
        c[i * n + j] = s;
      }
    }
  }

  colSums(m: number, n: number, a: Floats, out: Floats): void {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += a[i * n + j]!;
      out[j] = s;
    }
  }

  activate(f: Activation, n: number, z: Floats, a: Floats): void {
    activateByCalls(f, n, z, a);
  }

  activateGrad(f: Activation, n: number, z: Floats, a: Floats, d: Floats): void {
    activateGradByCalls(f, n, z, a, d);
  }
}
