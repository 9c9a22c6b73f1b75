import type { Activation } from '../nn/activations.js';
import type { DType, Floats } from '../tensor/matrix.js';

/**
 * The hot path of training, behind one interface (see DESIGN.md). All matrices are row-major
 * typed arrays; sizes are passed explicitly and arrays may be longer than needed (views of
 * buffers sized for the largest batch). A backend may only be given arrays it allocated with
 * `alloc` (the wasm backend needs them inside its memory); plain arrays of its dtype work on
 * `reference` and `js`.
 *
 * Naming: NT = A · Bᵀ, TN = Aᵀ · B, NN = A · B. With X = A[ℓ−1] (m × k), W (n × k), Δ (m × n):
 * - forward        Z = X · Wᵀ + b      gemmNT(m, n, k, X, W, Z, b)
 * - weight grad   ∂W = Δᵀ · X          gemmTN(n, k, m, Δ, X, ∂W)
 * - input grad   Δ′ = Δ · W            gemmNN(m, k, n, Δ, W, Δ′)
 */
export interface Kernels {
  /** 'reference' | 'js' | 'wasm' (+ thread count in `threads`). */
  readonly name: string;
  /** The element type this backend stores and computes in. */
  readonly dtype: DType;
  /** Worker threads used by the kernels (1 = the calling thread only). */
  readonly threads: number;
  /**
   * Why this backend runs instead of a faster one, or on fewer threads than the machine has
   * (set by `selectKernels` when it falls back: no cross-origin isolation, a content security
   * policy, ...); absent when nothing fell back.
   */
  readonly reason?: string;

  /** Releases worker threads and memory, where the backend holds any (optional). */
  dispose?(): void;

  /** A zero-filled array of n elements that this backend can compute on. */
  alloc(n: number): Floats;

  /** C[m×n] = A[m×k] · B[n×k]ᵀ, plus bias[n] on every row when given. */
  gemmNT(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats, bias?: Floats | null): void;
  /** C[m×n] = A[k×m]ᵀ · B[k×n]. */
  gemmTN(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats): void;
  /** C[m×n] = A[m×k] · B[k×n]. */
  gemmNN(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats): void;
  /** out[j] = Σ_i A[i][j] over the m rows of A[m×n]. */
  colSums(m: number, n: number, a: Floats, out: Floats): void;
  /** a[i] = f(z[i]) for i < n. */
  activate(f: Activation, n: number, z: Floats, a: Floats): void;
  /** d[i] *= f′(z[i]) for i < n, where a = f(z). */
  activateGrad(f: Activation, n: number, z: Floats, a: Floats, d: Floats): void;

  /** Fused forward of one dense layer: Z = X[m×k] · W[n×k]ᵀ + b; A = f(Z) (A untouched when f is null). */
  denseForward(m: number, n: number, k: number, x: Floats, w: Floats, b: Floats, z: Floats, a: Floats | null, f: Activation | null): void;
  /**
   * Fused backward to the previous layer: out[m×k] = (Δ[m×n] · W[n×k]) ⊙ f′(Zprev), where
   * aPrev = f(zPrev) (no ⊙ when f is null).
   */
  denseBackwardInput(m: number, n: number, k: number, d: Floats, w: Floats, zPrev: Floats, aPrev: Floats, f: Activation | null, out: Floats): void;
  /** Fused parameter gradients: ∂W[n×k] = Δ[m×n]ᵀ · X[m×k]; ∂b[n] = column sums of Δ. */
  denseBackwardParams(m: number, n: number, k: number, d: Floats, x: Floats, dw: Floats, db: Floats): void;

  // Optional fast paths: the training loop and the optimizers use them where a backend has them
  // (arrays from `alloc`), and plain TypeScript loops otherwise.

  /** Σ a[i]² over n elements, accumulated in float64 (gradient norms). */
  sumOfSquares?(n: number, a: Floats): number;
  /**
   * denseBackwardParams, also returning ‖∂W‖₂² = Σ ∂W[i][j]² from the pass that writes ∂W (the
   * gradient-norm diagnostic: each row's squares may be summed in float32 parts, relative error
   * below ⌈k/16⌉·2⁻²⁴, and the rows in float64).
   */
  denseBackwardParamsMeasured?(m: number, n: number, k: number, d: Floats, x: Floats, dw: Floats, db: Floats): number;
  /** max |a[i]| over n elements, NaN when any is NaN (a bound that proves gradients finite). */
  maxAbs?(n: number, a: Floats): number;
  /** Plain SGD in place: θ ← θ − lr · g over n elements. */
  sgdUpdate?(n: number, p: Floats, g: Floats, lr: number): void;
  /**
   * sgdUpdate of an m × n weight matrix that also returns ‖g‖₂², measured in the pass that reads g
   * with the bits of denseBackwardParamsMeasured's (so a trainer that knows g is finite measures
   * the norm in the update instead of the ∂W pass).
   */
  sgdUpdateMeasured?(m: number, n: number, p: Floats, g: Floats, lr: number): number;
  /** SGD with momentum (Nesterov's when `nesterov`) in place over n elements, PyTorch's rule (see optim/sgd.ts); `first`: its first update. */
  momentumUpdate?(n: number, p: Floats, g: Floats, buf: Floats, lr: number, momentum: number, dampening: number, nesterov: boolean, first: boolean): void;
  /** One Adagrad step in place over n elements at the decayed rate clr, PyTorch's rule (see optim/adagrad.ts). */
  adagradUpdate?(n: number, p: Floats, g: Floats, sum: Floats, clr: number, eps: number): void;
  /** One RMSprop step in place over n elements, PyTorch's rule (see optim/rmsprop.ts); gAvg when centered, buf with momentum. */
  rmspropUpdate?(n: number, p: Floats, g: Floats, v: Floats, gAvg: Floats | null, buf: Floats | null, lr: number, alpha: number, eps: number, momentum: number): void;
  /**
   * Inverted dropout over n values: for i in order, u = the next uniform double of the Rng generator
   * whose four state words are in `state` (advanced in place, as Rng.saveWords / loadWords move
   * them); mask[i] = u < p ? 0 : keep; out[i] = a[i]·keep (the product in float64) or 0.
   */
  dropoutMask?(n: number, a: Floats, mask: Floats, out: Floats, p: number, keep: number, state: Uint32Array): void;
  /** d[i] ← d[i] · mask[i] over n elements (dropout in the backward pass). */
  maskMultiply?(n: number, d: Floats, mask: Floats): void;
  /** y ← y + a·x in place over n elements (L2 weight decay added to a gradient). */
  addScaled?(n: number, y: Floats, x: Floats, a: number): void;
  /** g ← min(v, max(−v, g)) in place over n elements (clipping by value). */
  clampValues?(n: number, g: Floats, v: number): void;
  /** g ← g·c in place over n elements (clipping by global norm). */
  scaleValues?(n: number, g: Floats, c: number): void;
  /** One Adam / AdamW step in place over n elements, PyTorch's rule (see optim/adam.ts); vmax for AMSGrad. */
  adamUpdate?(n: number, p: Floats, g: Floats, m: Floats, v: Floats, vmax: Floats | null, h: AdamStepConstants): void;
  /**
   * Announces the rows of the next gatherScaledU8 (the next mini-batch), which a threaded backend
   * copies while its calling thread would wait for its workers; the results are the same without it
   * (`src` must not change until that gather).
   */
  prefetchRowsU8?(src: Uint8Array, cols: number, indices: ArrayLike<number>): void;
  /**
   * a = softmax of each row of z (m × n), max-subtracted, probabilities below float32's normal
   * range stored as 0 (the softmax output layer's forward pass).
   */
  softmaxRows?(m: number, n: number, z: Floats, a: Floats): void;
  /**
   * Gathers rows `indices` of a uint8 matrix of `cols` columns into `out` as (x − shift[j]) · scale[j].
   * replicate: a threaded backend also gives every worker a copy of the rows in its own cache,
   * which its shares of the next product reading `out` as its left operand (the forward pass) and
   * of the next reading it as its right one (∂W) use instead of pulling `out` across cores (the same
   * values, so the same results); the copies are dropped after those two, or sooner when the
   * backend writes over `out`. Between the gather and those products `out` must not be written by
   * other means (a training step's input buffer).
   */
  gatherScaledU8?(src: Uint8Array, cols: number, indices: ArrayLike<number>, shift: Floats, scale: Floats, out: Floats, replicate?: boolean): void;
  /**
   * How many of `threads` the calls use from now on (1..threads; the rest idle): results are the
   * same for any count, so a trainer may pick whichever runs fastest on the machine as it is now.
   */
  activeThreads?: number;
}

/**
 * The per-step constants of Adam at update t: stepSize = γ/(1 − β₁ᵗ), sqrtCorrection2 = √(1 − β₂ᵗ),
 * shrink = 1 − γλ for AdamW's decoupled decay (else 1). Adam's L2 term is not here: it is added to
 * the gradient before the update (optim/transform.ts addDecayedWeights).
 */
export interface AdamStepConstants {
  stepSize: number;
  sqrtCorrection2: number;
  beta1: number;
  beta2: number;
  eps: number;
  shrink: number;
}

/** a[i] = f(z[i]) for i < n, calling the activation's own f: the path of any activation without a kernel. */
export function activateByCalls(f: Activation, n: number, z: Floats, a: Floats): void {
  for (let i = 0; i < n; i++) a[i] = f.f(z[i]!);
}

/** d[i] *= f′(z[i]) for i < n, calling the activation's own df (a = f(z)). */
export function activateGradByCalls(f: Activation, n: number, z: Floats, a: Floats, d: Floats): void {
  for (let i = 0; i < n; i++) d[i] = d[i]! * f.df(z[i]!, a[i]!);
}

/** The fused operations written in terms of the primitive ones; a backend overrides them where fusing pays. */
export abstract class KernelsBase implements Kernels {
  abstract readonly name: string;
  abstract readonly dtype: DType;
  readonly threads: number = 1;
  reason?: string;
  abstract alloc(n: number): Floats;
  abstract gemmNT(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats, bias?: Floats | null): void;
  abstract gemmTN(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats): void;
  abstract gemmNN(m: number, n: number, k: number, a: Floats, b: Floats, c: Floats): void;
  abstract colSums(m: number, n: number, a: Floats, out: Floats): void;
  abstract activate(f: Activation, n: number, z: Floats, a: Floats): void;
  abstract activateGrad(f: Activation, n: number, z: Floats, a: Floats, d: Floats): void;

  denseForward(m: number, n: number, k: number, x: Floats, w: Floats, b: Floats, z: Floats, a: Floats | null, f: Activation | null): void {
    this.gemmNT(m, n, k, x, w, z, b);
    if (f && a) this.activate(f, m * n, z, a);
  }

  denseBackwardInput(m: number, n: number, k: number, d: Floats, w: Floats, zPrev: Floats, aPrev: Floats, f: Activation | null, out: Floats): void {
    this.gemmNN(m, k, n, d, w, out);
    if (f) this.activateGrad(f, m * k, zPrev, aPrev, out);
  }

  denseBackwardParams(m: number, n: number, k: number, d: Floats, x: Floats, dw: Floats, db: Floats): void {
    this.gemmTN(n, k, m, d, x, dw);
    this.colSums(m, n, d, db);
  }
}
