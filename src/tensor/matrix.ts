import { NablaError } from '../errors.js';

/** Storage of every tensor: float32 for training, float64 for the reference and the gradient check. */
export type Floats = Float32Array | Float64Array;
export type DType = 'float32' | 'float64';

/**
 * A rows × cols matrix stored row-major in one contiguous typed array: element (i, j) is
 * `data[i * cols + j]`. A mini-batch has one sample per row.
 *
 * @example
 * const x = Matrix.from([[1, 2], [3, 4]]); // 2 × 2, x.get(1, 0) === 3
 */
export class Matrix<T extends Floats = Floats> {
  readonly rows: number;
  readonly cols: number;
  readonly data: T;

  constructor(rows: number, cols: number, data: T) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new NablaError('SHAPE', `matrix shape ${rows} × ${cols}: expected non-negative integers`);
    }
    if (data.length !== rows * cols) {
      throw new NablaError('SHAPE', `matrix ${rows} × ${cols} needs ${rows * cols} values, got ${data.length}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /** A zero matrix of the given dtype. */
  static zeros(rows: number, cols: number, dtype: DType = 'float32'): Matrix {
    const n = rows * cols;
    return new Matrix(rows, cols, dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
  }

  /** A float32 (or float64) matrix from nested arrays; every row must have the same length. */
  static from(values: readonly (readonly number[])[], dtype: DType = 'float32'): Matrix {
    const rows = values.length;
    const cols = rows === 0 ? 0 : values[0]!.length;
    const m = Matrix.zeros(rows, cols, dtype);
    values.forEach((row, i) => {
      if (row.length !== cols) throw new NablaError('SHAPE', `row ${i} has ${row.length} values, expected ${cols}`);
      m.data.set(row, i * cols);
    });
    return m;
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }

  set(i: number, j: number, v: number): void {
    this.data[i * this.cols + j] = v;
  }

  /** The first `rows` rows, sharing storage (no copy). */
  topRows(rows: number): Matrix<T> {
    if (rows > this.rows) throw new NablaError('SHAPE', `cannot view ${rows} rows of a ${this.rows}-row matrix`);
    return new Matrix(rows, this.cols, this.data.subarray(0, rows * this.cols) as T);
  }

  /** Row i as a view. */
  row(i: number): T {
    return this.data.subarray(i * this.cols, (i + 1) * this.cols) as T;
  }

  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  get shape(): string {
    return `${this.rows} × ${this.cols}`;
  }
}
