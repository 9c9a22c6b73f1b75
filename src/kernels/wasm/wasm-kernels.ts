import { platform } from '#platform';
import { NablaError } from '../../errors.js';
import { kernelOf, type Activation } from '../../nn/activations.js';
import type { DType, Floats } from '../../tensor/matrix.js';
import { activateByCalls, activateGradByCalls, KernelsBase, type AdamStepConstants } from '../kernels.js';
import { WasmMemory } from './memory.js';
import { instantiate, kernelModule, relaxedSimdAvailable, type WasmExports } from './module.js';
import { ThreadPool } from './pool.js';

const NO_ROWS = new Uint8Array(0);

/** The elementwise passes over a gradient-sized array (WasmKernels.threaded). */
type PassOp = 'sgdUpdate' | 'adamUpdate' | 'momentumUpdate' | 'adagradUpdate' | 'rmspropUpdate' | 'addScaled' | 'clampValues' | 'scaleValues';

/**
 * The one scale when every shift is 0 and every scale is that same number (pixels as x/255): the
 * kernel then multiplies without loading them, with the bits of (x − 0) · scale. Else NaN.
 */
function uniformScale(shift: Float32Array, scale: Float32Array): number {
  if (scale.length === 0) return NaN;
  const k = scale[0]!;
  for (let j = 0; j < scale.length; j++) if (shift[j] !== 0 || !Object.is(scale[j], k)) return NaN;
  return k;
}

/** Row index i of a matrix of `count` rows, or a NablaError naming the call. */
function checkedRow(i: number, count: number, what: string): number {
  if (!(i >= 0 && i < count)) throw new NablaError('ARGUMENT', `${what}: row index ${i} is outside 0..${count - 1}`);
  return i;
}

/** Options of the wasm backend. */
export interface WasmKernelsOptions {
  /** Threads including the calling one (default 1); > 1 needs SharedArrayBuffer. */
  threads?: number;
  /** Initial memory in MB for threads > 1 (it grows); the fixed reservation for threads = 1 (default 512). */
  memoryMB?: number;
  /** Multiply-adds (or elementwise operations) per thread below which a call uses fewer threads (default 32768). */
  minWorkPerThread?: number;
  /**
   * Fused multiply-add in the GEMMs (relaxed SIMD) where the engine has it (default true): about
   * 10–15% faster products, with results that are the same for any thread count but may differ in
   * the last bit from a machine or engine without it. false: the plain kernels, the same bits everywhere.
   */
  fma?: boolean;
  /** Milliseconds an idle worker polls for the next call before it sleeps until notified (default 2: covers the JavaScript between two training steps). */
  spin?: number;
}

/**
 * The WebAssembly SIMD backend: f32x4 register- and cache-blocked GEMMs with fused bias,
 * activation and derivative, on a persistent worker pool sharing one memory. Arrays must come
 * from `alloc` (views of that memory); results are bit-identical for any thread count.
 *
 * @example
 * const k = await WasmKernels.create({ threads: 2 });
 * const x = k.alloc(64 * 784); // ... k.denseForward(...); k.dispose();
 */
export class WasmKernels extends KernelsBase {
  readonly name = 'wasm';
  readonly dtype: DType = 'float32';
  override readonly threads: number;
  /** Whether the GEMMs use relaxed SIMD's fused multiply-add (see WasmKernelsOptions.fma). */
  readonly fma: boolean;
  /** The memory every array of this backend lives in. */
  readonly memory: WasmMemory;
  private readonly ex: WasmExports;
  private readonly pool: ThreadPool | null;
  private readonly minWork: number;
  private disposed = false;
  /** Staging for gatherScaledU8: uint8 rows, and the scaling last used (copied in once). */
  private staging: Uint8Array | null = null;
  /** The rows announced by prefetchRowsU8, copied into their own staging while the caller waits for the workers. */
  private ahead: { src: Uint8Array; cols: number; rows: Int32Array; count: number; done: number; staging: Uint8Array } | null = null;
  /** The scaling last used, copied into the memory; `uniform`: the one scale when every shift is 0 and every scale the same (else NaN). */
  private scaling: { shift: Floats; scale: Floats; wShift: Float32Array; wScale: Float32Array; uniform: number } | null = null;
  /**
   * The workers' copies of the last replicated gather (gatherScaledU8 with replicate): `out` at
   * byte offset `at`, `floats` long; worker t's copy at base + (t − 1)·floats·4, for t < threads.
   * They serve one product reading `out` as A (the forward pass) and one reading it as B (∂W), the
   * training step that follows the gather, and no more: a later writer of `out` that bypasses this
   * backend (a JavaScript copy into the same buffer) cannot leave the workers reading old rows.
   * Dropped sooner when anything of this backend writes over `out`.
   */
  private replica: { at: number; floats: number; base: number; threads: number; asA: boolean; asB: boolean } | null = null;
  /** Bytes reserved for the copies (grows to the largest gather). */
  private replicaBytes = 0;
  private replicaBase = 0;
  /**
   * Row length of each array gemmTN last wrote as an output split by rows (∂W), by byte offset: an
   * update of that array splits it between threads at the same rows (see updateGrain).
   */
  private readonly rowLengths = new Map<number, number>();
  /** The per-row squares of denseBackwardParamsMeasured (float64, in the wasm memory; grows to the widest layer). */
  private rowSquareBuffer: Float64Array | null = null;

  /** Per-thread scratch of the kernels (threads × ex.scratchBytes()). */
  private readonly scratch: number;

  private constructor(memory: WasmMemory, ex: WasmExports, pool: ThreadPool | null, minWork: number, fma: boolean) {
    super();
    this.fma = fma;
    this.memory = memory;
    this.ex = ex;
    this.pool = pool;
    this.threads = pool ? pool.size : 1;
    this.active = this.threads;
    this.minWork = minWork;
    this.scratch = memory.allocBytes(this.threads * ex.scratchBytes());
  }

  /** Compiles the kernels (once per process), creates the memory and starts threads − 1 workers. */
  static async create(options: WasmKernelsOptions = {}): Promise<WasmKernels> {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new NablaError('ARGUMENT', `threads = ${threads}: expected an integer ≥ 1`);
    const shared = threads > 1;
    const unavailable = shared ? platform.threadsUnavailable() : null;
    if (unavailable !== null) throw new NablaError('BACKEND', `wasm backend: ${threads} threads cannot start: ${unavailable}`);
    const fma = (options.fma ?? true) && relaxedSimdAvailable();
    const module = await kernelModule(shared, fma);
    const memory = new WasmMemory(shared, options.memoryMB ?? (shared ? 16 : 512));
    const ex = instantiate(module, memory.memory);
    memory.reserveStatic(ex.heapBase());
    const pool = shared ? await ThreadPool.start(threads, module, memory, options.spin ?? 2) : null;
    return new WasmKernels(memory, ex, pool, options.minWorkPerThread ?? 32768, fma);
  }

  alloc(n: number): Float32Array {
    return this.memory.allocFloats(n);
  }

  /** Stops the worker threads (idempotent); the kernels keep working on the calling thread alone. */
  dispose(): void {
    this.pool?.dispose();
    this.disposed = true;
  }

  /** The byte offset of `a` in the memory, after checking it is ours and holds at least `n` elements. */
  private ptr(a: Floats, n: number, what: string): number {
    if (!this.memory.owns(a)) {
      throw new NablaError('BACKEND', `wasm backend: ${what} is not an array from this backend's alloc() (got a ${a.constructor.name} of ${a.length})`);
    }
    if (a.length < n) throw new NablaError('SHAPE', `wasm backend: ${what} has ${a.length} elements, needs ${n}`);
    return a.byteOffset;
  }

  /** ptr for an array a call writes `n` elements of: the workers' copies of a gather it overlaps are dropped. */
  private outPtr(a: Floats, n: number, what: string): number {
    const p = this.ptr(a, n, what);
    const r = this.replica;
    if (r && p < r.at + 4 * r.floats && r.at < p + 4 * n) this.replica = null;
    return p;
  }

  /** The workers' copies of the `floats` elements at byte offset p, read as operand A or B by a call on T threads (0: none); used up. */
  private replicaOf(p: number, floats: number, T: number, operand: 'asA' | 'asB'): number {
    const r = this.replica;
    if (!r || r.at !== p || r.floats !== floats || T > r.threads || !r[operand]) return 0;
    r[operand] = false;
    if (!r.asA && !r.asB) this.replica = null;
    return r.base;
  }

  private active: number;

  /** Threads the calls may use (1..threads, default all): see Kernels.activeThreads. */
  get activeThreads(): number {
    return this.active;
  }

  set activeThreads(n: number) {
    if (!Number.isInteger(n) || n < 1 || n > this.threads) {
      throw new NablaError('ARGUMENT', `activeThreads = ${n}: expected an integer from 1 to the backend's ${this.threads} thread${this.threads > 1 ? 's' : ''}`);
    }
    this.active = n;
  }

  /** Threads for a call of `work` units: 1 below the threshold, never more than the active ones. */
  private plan(work: number): number {
    if (!this.pool || this.disposed) return 1;
    return Math.max(1, Math.min(this.activeThreads, Math.floor(work / this.minWork)));
  }

  gemmNT(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats, bias?: Floats | null): void {
    this.nt(m, n, k, a, b, c, bias ?? null, null, null);
  }

  gemmTN(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats): void {
    this.tn(m, n, k, a, b, c, null, null);
  }

  gemmNN(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats): void {
    this.nn(m, n, k, a, b, c, null, null, null);
  }

  colSums(m: number, n: number, a: Floats, out: Floats): void {
    const pa = this.ptr(a, m * n, 'colSums input');
    const po = this.outPtr(out, n, 'colSums output');
    const T = this.plan(m * n);
    if (T === 1) this.ex.colSums(m, n, pa, po, 0, 1);
    else this.pool!.run('colSums', T, [m, n, pa, po], (t) => this.ex.colSums(m, n, pa, po, t, T));
  }

  activate(f: Activation, n: number, z: Floats, a: Floats): void {
    const code = kernelOf(f);
    if (code === undefined) {
      activateByCalls(f, n, z, a);
      return;
    }
    const pz = this.ptr(z, n, 'activate input');
    const pa = this.outPtr(a, n, 'activate output');
    const T = this.plan(n * 8);
    if (T === 1) this.ex.activate(code, f.alpha, n, pz, pa, 0, 1);
    else this.pool!.run('activate', T, [code, f.alpha, n, pz, pa], (t) => this.ex.activate(code, f.alpha, n, pz, pa, t, T));
  }

  activateGrad(f: Activation, n: number, z: Floats, a: Floats, d: Floats): void {
    const code = kernelOf(f);
    if (code === undefined) {
      activateGradByCalls(f, n, z, a, d);
      return;
    }
    const pz = this.ptr(z, n, 'activateGrad z');
    const pa = this.ptr(a, n, 'activateGrad a');
    const pd = this.outPtr(d, n, 'activateGrad delta');
    const T = this.plan(n * 8);
    if (T === 1) this.ex.activateGrad(code, f.alpha, n, pz, pa, pd, 0, 1);
    else this.pool!.run('activateGrad', T, [code, f.alpha, n, pz, pa, pd], (t) => this.ex.activateGrad(code, f.alpha, n, pz, pa, pd, t, T));
  }

  // An activation without a kernel id is not fused: the GEMM runs alone, then f or f′ is called
  // element by element on the same memory.

  override denseForward(m: number, n: number, k: number, x: Floats, w: Floats, b: Floats, z: Floats, a: Floats | null, f: Activation | null): void {
    if (f && a && kernelOf(f) === undefined) super.denseForward(m, n, k, x, w, b, z, a, f);
    else this.nt(m, n, k, x, w, z, b, f && a ? f : null, f && a ? a : null);
  }

  override denseBackwardInput(m: number, n: number, k: number, d: Floats, w: Floats, zPrev: Floats, aPrev: Floats, f: Activation | null, out: Floats): void {
    if (f && kernelOf(f) === undefined) super.denseBackwardInput(m, n, k, d, w, zPrev, aPrev, f, out);
    else this.nn(m, k, n, d, w, out, f, f ? zPrev : null, f ? aPrev : null);
  }

  override denseBackwardParams(m: number, n: number, k: number, d: Floats, x: Floats, dw: Floats, db: Floats): void {
    this.tn(n, k, m, d, x, dw, db, null);
  }

  /**
   * denseBackwardParams, returning ‖∂W‖₂²: each row's Σ ∂W[i][j]² (float32 partial sums added in
   * float64, assembly/reductions.ts rowSquaresOf) computed by the thread that wrote the row, in the
   * same call, then the rows summed in order in float64 (the same bits for any thread count).
   */
  denseBackwardParamsMeasured(m: number, n: number, k: number, d: Floats, x: Floats, dw: Floats, db: Floats): number {
    const sq = this.rowSquareSums(n);
    this.tn(n, k, m, d, x, dw, db, sq);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sq[i]!;
    return sum;
  }

  /** The per-row squares buffer, at least `rows` long. */
  private rowSquareSums(rows: number): Float64Array {
    if (!this.rowSquareBuffer || this.rowSquareBuffer.length < rows) {
      this.rowSquareBuffer = this.memory.allocView(8 * rows, Float64Array, rows);
    }
    return this.rowSquareBuffer;
  }

  /**
   * Threads for an update of n elements. A weight matrix big enough for its GEMMs to be split is
   * split too — all threads, in about the same halves of its rows as the GEMMs — so each core
   * updates mostly the rows it just computed instead of pulling them across: even when the update
   * alone would be too small to be worth a dispatch (C2's 30 × 784 layer on 2 threads: 33 → 20 µs a step).
   */
  private planUpdate(n: number): number {
    return n >= 16384 ? this.plan(Infinity) : this.plan(n * 2);
  }

  /**
   * Elements at a time an update of gradient `pg` splits between threads: two rows when gemmTN
   * wrote the gradient split by rows — the rows of W and ∂W this thread computed in the products,
   * still in its core's cache — else 64 (a bias, a gradient from elsewhere; any split gives the same bits).
   */
  private updateGrain(pg: number, n: number): number {
    const k = this.rowLengths.get(pg);
    return k !== undefined && n % k === 0 ? 2 * k : 64;
  }

  /** ‖W‖₂² of an m × n matrix: rowSquaresOf of each row, added in row order (denseBackwardParamsMeasured's bits), on this thread. */
  weightSquares(m: number, n: number, w: Floats): number {
    return this.ex.weightSquares(m, n, this.ptr(w, m * n, 'weightSquares input'));
  }

  /** max |a[i]| over n elements (NaN when any is NaN), on this thread. */
  maxAbs(n: number, a: Floats): number {
    return this.ex.maxAbs(n, this.ptr(a, n, 'maxAbs input'));
  }

  /**
   * sgdUpdate of an m × n weight matrix returning ‖g‖₂², each row's squares taken by the thread
   * that updates the row (assembly/updates.ts sgdUpdateRows) and the rows added here in order: the
   * bits of denseBackwardParamsMeasured. Where the threads' shares would cut rows (a gradient
   * gemmTN did not write by rows), the update as sgdUpdate and the norm by weightSquares.
   */
  sgdUpdateMeasured(m: number, n: number, p: Floats, g: Floats, lr: number): number {
    const total = m * n;
    const pp = this.outPtr(p, total, 'sgd parameters');
    const pg = this.ptr(g, total, 'sgd gradient');
    const T = this.planUpdate(total);
    const gran = T === 1 ? 64 : this.updateGrain(pg, total);
    if (T > 1 && gran % n !== 0) {
      this.sgdUpdate(total, p, g, lr);
      return this.weightSquares(m, n, g);
    }
    const sq = this.rowSquareSums(m);
    const psq = sq.byteOffset;
    if (T === 1) this.ex.sgdUpdateRows(total, pp, pg, lr, n, psq, gran, 0, 1);
    else this.pool!.run('sgdUpdateRows', T, [total, pp, pg, lr, n, psq, gran], (t) => this.ex.sgdUpdateRows(total, pp, pg, lr, n, psq, gran, t, T));
    let sum = 0;
    for (let i = 0; i < m; i++) sum += sq[i]!;
    return sum;
  }

  /** Plain SGD on one parameter array in place: θ ← θ − lr · g (all arrays from `alloc`). */
  sgdUpdate(n: number, p: Floats, g: Floats, lr: number): void {
    const pp = this.outPtr(p, n, 'sgd parameters');
    const pg = this.ptr(g, n, 'sgd gradient');
    const T = this.planUpdate(n);
    if (T === 1) this.ex.sgdUpdate(n, pp, pg, lr, 64, 0, 1);
    else this.threaded('sgdUpdate', T, n, pg, [n, pp, pg, lr]);
  }

  /**
   * An elementwise pass `op` (an optimizer's update, a gradient transformation) over n elements of
   * arrays the size of gradient `pg`, on T > 1 threads: `args`, then the grain of the split — two
   * rows when gemmTN wrote the gradient by rows (updateGrain) — then (t, T). (On one thread each
   * caller calls its kernel directly with grain 64: no argument array on that path.)
   */
  private threaded(op: PassOp, T: number, n: number, pg: number, args: number[]): void {
    const kernel = this.ex[op] as (...a: number[]) => void;
    args.push(this.updateGrain(pg, n));
    this.pool!.run(op, T, args, (t) => kernel(...args, t, T));
  }

  /**
   * One Adam / AdamW step on one parameter array in place, PyTorch's rule as in src/optim/adam.ts
   * (θ ← θ·shrink; m, v, v̂ = max(vmax, v) when vmax is given; θ ← θ − stepSize · m / (√v̂ / sqrtCorrection2 + ε)),
   * in float32; p, g, m, v, vmax from `alloc`.
   */
  adamUpdate(
    n: number,
    p: Floats,
    g: Floats,
    m: Floats,
    v: Floats,
    vmax: Floats | null,
    h: AdamStepConstants,
  ): void {
    const pp = this.outPtr(p, n, 'adam parameters');
    const pg = this.ptr(g, n, 'adam gradient');
    const pm = this.outPtr(m, n, 'adam first moment');
    const pv = this.outPtr(v, n, 'adam second moment');
    const px = vmax ? this.outPtr(vmax, n, 'adam max second moment') : 0;
    const T = Math.max(this.planUpdate(n), this.plan(n * 8));
    if (T === 1) this.ex.adamUpdate(n, pp, pg, pm, pv, px, h.stepSize, h.sqrtCorrection2, h.beta1, h.beta2, h.eps, h.shrink, 64, 0, 1);
    else this.threaded('adamUpdate', T, n, pg, [n, pp, pg, pm, pv, px, h.stepSize, h.sqrtCorrection2, h.beta1, h.beta2, h.eps, h.shrink]);
  }

  /** SGD with momentum (or Nesterov's) in place, PyTorch's rule as in src/optim/sgd.ts, in float32; `first`: the first update (b = g). */
  momentumUpdate(n: number, p: Floats, g: Floats, buf: Floats, lr: number, momentum: number, dampening: number, nesterov: boolean, first: boolean): void {
    const pp = this.outPtr(p, n, 'momentum parameters');
    const pg = this.ptr(g, n, 'momentum gradient');
    const pb = this.outPtr(buf, n, 'momentum buffer');
    const T = Math.max(this.planUpdate(n), this.plan(n * 4));
    const nes = nesterov ? 1 : 0, one = first ? 1 : 0;
    if (T === 1) this.ex.momentumUpdate(n, pp, pg, pb, lr, momentum, dampening, nes, one, 64, 0, 1);
    else this.threaded('momentumUpdate', T, n, pg, [n, pp, pg, pb, lr, momentum, dampening, nes, one]);
  }

  /** Adagrad in place at the decayed rate `clr`, PyTorch's rule as in src/optim/adagrad.ts, in float32. */
  adagradUpdate(n: number, p: Floats, g: Floats, sum: Floats, clr: number, eps: number): void {
    const pp = this.outPtr(p, n, 'adagrad parameters');
    const pg = this.ptr(g, n, 'adagrad gradient');
    const ps = this.outPtr(sum, n, 'adagrad sum');
    const T = Math.max(this.planUpdate(n), this.plan(n * 8));
    if (T === 1) this.ex.adagradUpdate(n, pp, pg, ps, clr, eps, 64, 0, 1);
    else this.threaded('adagradUpdate', T, n, pg, [n, pp, pg, ps, clr, eps]);
  }

  /** RMSprop in place, PyTorch's rule as in src/optim/rmsprop.ts, in float32; gAvg when centered, buf with momentum. */
  rmspropUpdate(n: number, p: Floats, g: Floats, v: Floats, gAvg: Floats | null, buf: Floats | null, lr: number, alpha: number, eps: number, momentum: number): void {
    const pp = this.outPtr(p, n, 'rmsprop parameters');
    const pg = this.ptr(g, n, 'rmsprop gradient');
    const pv = this.outPtr(v, n, 'rmsprop square average');
    const pa = gAvg ? this.outPtr(gAvg, n, 'rmsprop gradient average') : 0;
    const pb = buf ? this.outPtr(buf, n, 'rmsprop momentum buffer') : 0;
    const T = Math.max(this.planUpdate(n), this.plan(n * 8));
    if (T === 1) this.ex.rmspropUpdate(n, pp, pg, pv, pa, pb, lr, alpha, eps, momentum, 64, 0, 1);
    else this.threaded('rmspropUpdate', T, n, pg, [n, pp, pg, pv, pa, pb, lr, alpha, eps, momentum]);
  }

  // The gradient transformations' passes (src/optim/transform.ts): on the threads an update of the
  // same array uses, split at the same rows, so each core rewrites the rows of ∂W it computed.

  /** y ← y + a·x over n elements in place (L2 weight decay on a gradient), in float32. */
  addScaled(n: number, y: Floats, x: Floats, a: number): void {
    const py = this.outPtr(y, n, 'addScaled output');
    const px = this.ptr(x, n, 'addScaled input');
    const T = this.planUpdate(n);
    if (T === 1) this.ex.addScaled(n, py, px, a, 64, 0, 1);
    else this.threaded('addScaled', T, n, py, [n, py, px, a]);
  }

  /** g ← min(v, max(−v, g)) over n elements in place (clipping by value; exact). */
  clampValues(n: number, g: Floats, v: number): void {
    const pg = this.outPtr(g, n, 'clampValues array');
    const T = this.planUpdate(n);
    if (T === 1) this.ex.clampValues(n, pg, v, 64, 0, 1);
    else this.threaded('clampValues', T, n, pg, [n, pg, v]);
  }

  /** g ← g·c over n elements in place (clipping by global norm), in float32. */
  scaleValues(n: number, g: Floats, c: number): void {
    const pg = this.outPtr(g, n, 'scaleValues array');
    const T = this.planUpdate(n);
    if (T === 1) this.ex.scaleValues(n, pg, c, 64, 0, 1);
    else this.threaded('scaleValues', T, n, pg, [n, pg, c]);
  }

  /** The generator state words of dropoutMask, in the wasm memory. */
  private dropoutState: Uint32Array | null = null;

  /** Inverted dropout's masks, drawn on this thread with the Rng's generator (assembly/dropout.ts). */
  dropoutMask(n: number, a: Floats, mask: Floats, out: Floats, p: number, keep: number, state: Uint32Array): void {
    const pa = this.ptr(a, n, 'dropout input');
    const pm = this.outPtr(mask, n, 'dropout mask');
    const po = this.outPtr(out, n, 'dropout output');
    const words = (this.dropoutState ??= this.memory.allocView(16, Uint32Array, 4));
    words.set(state);
    this.ex.dropoutMask(n, pa, pm, po, p, keep, words.byteOffset);
    state.set(words);
  }

  /** d[i] ← d[i] · mask[i] over n elements, on this thread. */
  maskMultiply(n: number, d: Floats, mask: Floats): void {
    this.ex.maskMultiply(n, this.outPtr(d, n, 'dropout gradient'), this.ptr(mask, n, 'dropout mask'));
  }

  /** Σ a[i]² over n elements (float64 accumulation), for gradient norms. */
  sumOfSquares(n: number, a: Floats): number {
    return this.ex.sumSquares(n, this.ptr(a, n, 'sumOfSquares input'));
  }

  /** a = softmax of each row of z (m × n), in SIMD on this thread (assembly/softmax.ts). */
  softmaxRows(m: number, n: number, z: Floats, a: Floats): void {
    this.ex.softmaxRows(m, n, this.ptr(z, m * n, 'softmax input'), this.outPtr(a, m * n, 'softmax output'), 0, 1);
  }

  /**
   * Announces the rows of the next gatherScaledU8 (the next mini-batch): they are copied into a
   * staging area of their own, a row at a time, while this thread would otherwise wait for the
   * workers' shares of the calls in between, so that the next gather finds most of them there. The
   * result is the same whenever the copies happen, as long as `src` does not change in between; a
   * gather of other rows ignores them.
   */
  prefetchRowsU8(src: Uint8Array, cols: number, indices: ArrayLike<number>): void {
    if (!this.pool || this.disposed || this.activeThreads === 1) return; // nobody waits on one thread
    const n = indices.length;
    const count = src.length / cols;
    let ahead = this.ahead;
    if (!ahead || ahead.staging.length < n * cols) {
      const staging = this.memory.allocView(n * cols, Uint8Array, n * cols);
      ahead = { src, cols, rows: new Int32Array(n), count: 0, done: 0, staging };
      this.ahead = ahead;
    }
    if (ahead.rows.length < n) ahead.rows = new Int32Array(n);
    for (let r = 0; r < n; r++) ahead.rows[r] = checkedRow(indices[r]!, count, 'prefetchRowsU8');
    ahead.src = src;
    ahead.cols = cols;
    ahead.count = n;
    ahead.done = 0;
    this.pool.idle = this.copyAheadRow;
  }

  /** One row of the announced gather into its staging: the pool's idle work. */
  private readonly copyAheadRow = (): boolean => {
    const a = this.ahead;
    if (!a || a.done >= a.count) {
      if (this.pool) this.pool.idle = null;
      return false;
    }
    const i = a.rows[a.done]!;
    a.staging.set(a.src.subarray(i * a.cols, i * a.cols + a.cols), a.done * a.cols);
    a.done++;
    return true;
  };

  /** The staging holding rows `indices` of `src` when they were announced (the rest copied now), else null. */
  private announced(src: Uint8Array, cols: number, indices: ArrayLike<number>): Uint8Array | null {
    const a = this.ahead;
    if (!a || a.count === 0) return null;
    let same = a.src === src && a.cols === cols && a.count === indices.length;
    for (let r = 0; same && r < a.count; r++) same = a.rows[r] === indices[r];
    if (same) while (this.copyAheadRow());
    // used or not, the announcement is over: a later gather copies its rows itself, and the
    // source (a whole data set) is no longer held
    a.count = 0;
    a.src = NO_ROWS;
    if (this.pool) this.pool.idle = null;
    return same ? a.staging : null;
  }

  /**
   * Gathers rows `indices` of a uint8 matrix with `cols` columns (pixels, anywhere in memory) into
   * `out` as float32 (x − shift[j]) · scale[j]: the rows are copied as bytes into a staging area
   * of the wasm memory and converted there with SIMD. For a data set kept as compact uint8.
   * replicate (on more than one active thread): every worker also converts them into a copy of its
   * own, which its shares of the next gemmNT reading `out` as A and the next gemmTN reading it as B
   * use (see Kernels.gatherScaledU8 and `replica`).
   */
  gatherScaledU8(src: Uint8Array, cols: number, indices: ArrayLike<number>, shift: Floats, scale: Floats, out: Floats, replicate = false): void {
    const rows = indices.length;
    const po = this.outPtr(out, rows * cols, 'gather output');
    if (shift.length < cols || scale.length < cols) {
      throw new NablaError('SHAPE', `gatherScaledU8: shift and scale need ${cols} values, got ${shift.length} and ${scale.length}`);
    }
    if (!this.staging || this.staging.length < rows * cols) {
      this.staging = this.memory.allocView(rows * cols, Uint8Array, rows * cols);
    }
    let sc = this.scaling;
    if (!sc || sc.shift !== shift || sc.scale !== scale || sc.wShift.length !== cols) {
      // the copies in the wasm memory are reused when the width is the same: callers that take
      // turns with two scalings (two data sets) do not allocate on every turn
      const reuse = sc && sc.wShift.length === cols;
      sc = { shift, scale, wShift: reuse ? sc!.wShift : this.alloc(cols), wScale: reuse ? sc!.wScale : this.alloc(cols), uniform: NaN };
      sc.wShift.set(shift.subarray(0, cols));
      sc.wScale.set(scale.subarray(0, cols));
      sc.uniform = uniformScale(sc.wShift, sc.wScale);
      this.scaling = sc;
    }
    let staging = this.announced(src, cols, indices);
    if (!staging) {
      staging = this.staging;
      const count = src.length / cols;
      for (let r = 0; r < rows; r++) {
        const i = checkedRow(indices[r]!, count, 'gatherScaledU8');
        staging.set(src.subarray(i * cols, i * cols + cols), r * cols);
      }
    }
    const ps = staging.byteOffset, psh = sc.wShift.byteOffset, psc = sc.wScale.byteOffset, k = sc.uniform;
    const uniform = !Number.isNaN(k);
    const T = replicate ? this.plan(Infinity) : 1;
    if (T === 1) {
      if (uniform) this.ex.scaleU8Uniform(rows, cols, ps, k, po, 0, 0, 1);
      else this.ex.scaleU8(rows, cols, ps, psh, psc, po, 0, 0, 1);
      return;
    }
    const bytes = 4 * rows * cols * (T - 1);
    if (this.replicaBytes < bytes) {
      this.replicaBase = this.memory.allocBytes(bytes);
      this.replicaBytes = bytes;
    }
    const rep = this.replicaBase;
    if (uniform) this.pool!.run('scaleU8Uniform', T, [rows, cols, ps, k, po, rep], (t) => this.ex.scaleU8Uniform(rows, cols, ps, k, po, rep, t, T));
    else this.pool!.run('scaleU8', T, [rows, cols, ps, psh, psc, po, rep], (t) => this.ex.scaleU8(rows, cols, ps, psh, psc, po, rep, t, T));
    this.replica = { at: po, floats: rows * cols, base: rep, threads: T, asA: true, asB: true };
  }

  /** C = A · Bᵀ (+ bias), then out = f(C) when f is given. */
  private nt(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats, bias: Floats | null, f: Activation | null, out: Floats | null): void {
    const pa = this.ptr(a, m * k, 'gemmNT A');
    const pb = this.ptr(b, n * k, 'gemmNT B');
    const pc = this.outPtr(c, m * n, 'gemmNT C');
    const pbias = bias ? this.ptr(bias, n, 'bias') : 0;
    const code = f ? kernelOf(f)! : 0;
    const alpha = f ? f.alpha : 0;
    const pout = f && out ? this.outPtr(out, m * n, 'activation output') : 0;
    const T = this.plan(m * n * k);
    if (T === 1) this.ex.gemmNT(m, n, k, pa, pb, pc, pbias, code, alpha, pout, 0, 0, 1);
    else {
      const ar = this.replicaOf(pa, m * k, T, 'asA');
      this.pool!.run('gemmNT', T, [m, n, k, pa, pb, pc, pbias, code, alpha, pout, ar], (t) => this.ex.gemmNT(m, n, k, pa, pb, pc, pbias, code, alpha, pout, ar, t, T));
    }
  }

  /** C[m×n] = A[k×m]ᵀ · B[k×n], db = column sums of A when given, sq[i] = Σ_j C[i][j]² when given. */
  private tn(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats, db: Floats | null, sq: Float64Array | null): void {
    const pa = this.ptr(a, k * m, 'gemmTN A');
    const pb = this.ptr(b, k * n, 'gemmTN B');
    const pc = this.outPtr(c, m * n, 'gemmTN C');
    const pdb = db ? this.outPtr(db, m, 'bias gradient') : 0;
    const psq = sq ? sq.byteOffset : 0;
    const T = this.plan(m * n * k);
    const ps = this.scratch;
    const byRows = T === 1 || this.ex.tnMeasuresRows(m, n, T) !== 0;
    if (T === 1) this.ex.gemmTN(m, n, k, pa, pb, pc, pdb, ps, psq, 0, 0, 1);
    else {
      if (byRows) this.rowLengths.set(pc, n);
      else this.rowLengths.delete(pc);
      const br = this.replicaOf(pb, k * n, T, 'asB');
      this.pool!.run('gemmTN', T, [m, n, k, pa, pb, pc, pdb, ps, psq, br], (t) => this.ex.gemmTN(m, n, k, pa, pb, pc, pdb, ps, psq, br, t, T));
    }
    // Threads that each computed a slice of columns cannot sum whole rows: do it here (few rows).
    if (sq && !byRows) this.ex.rowSquares(m, n, pc, psq, 0, 1);
  }

  /** C[m×n] = A[m×k] · B[k×n], then C ⊙= f′(Z) (a = f(Z)) when f is given. */
  private nn(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats, f: Activation | null, z: Floats | null, aPrev: Floats | null): void {
    const pa = this.ptr(a, m * k, 'gemmNN A');
    const pb = this.ptr(b, k * n, 'gemmNN B');
    const pc = this.outPtr(c, m * n, 'gemmNN C');
    const code = f ? kernelOf(f)! : -1;
    const alpha = f ? f.alpha : 0;
    const pz = f && z ? this.ptr(z, m * n, 'Zprev') : 0;
    const pAPrev = f && aPrev ? this.ptr(aPrev, m * n, 'Aprev') : 0;
    const T = this.plan(m * n * k);
    if (T === 1) this.ex.gemmNN(m, n, k, pa, pb, pc, code, alpha, pz, pAPrev, 0, 1);
    else this.pool!.run('gemmNN', T, [m, n, k, pa, pb, pc, code, alpha, pz, pAPrev], (t) => this.ex.gemmNN(m, n, k, pa, pb, pc, code, alpha, pz, pAPrev, t, T));
  }
}
