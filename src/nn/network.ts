/*
 * Notation (DESIGN.md, batch-major, one sample per row):
 *   layers ℓ = 1..L, N_ℓ nodes each, N_0 inputs;  W[ℓ] is N_ℓ × N_(ℓ−1), b[ℓ] has N_ℓ entries.
 *   forward:   A[0] = X (m × N_0),  Z[ℓ] = A[ℓ−1] · W[ℓ]ᵀ + b[ℓ],  A[ℓ] = f(Z[ℓ]),  Ŷ = A[L] = g(Z[L])
 *   backward, the four equations, C the mean of the m per-sample costs:
 *     (1) Δ[L]   = ∂C/∂Z[L]                          (fused (Ŷ − T)/m for the canonical pairs)
 *     (2) Δ[ℓ−1] = (Δ[ℓ] · W[ℓ]) ⊙ f′(Z[ℓ−1])
 *     (3) ∂C/∂b[ℓ] = column sums of Δ[ℓ]
 *     (4) ∂C/∂W[ℓ] = Δ[ℓ]ᵀ · A[ℓ−1]
 * The 1/m of the mean lives in Δ[L], so (3) and (4) are plain sums.
 */
import { NablaError } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import { JsKernels } from '../kernels/js.js';
import type { ModelRecord } from '../io/model-format.js';
import { Matrix, type Floats } from '../tensor/matrix.js';
import { Rng } from '../tensor/rng.js';
import { activation, type Activation } from './activations.js';
import { cost as costByName, type Cost } from './costs.js';
import { defaultInit, initScheme, initWeights, type InitName } from './init.js';
import { checkOutputLayer, pairOutput, type OutputPairing } from './output-layer.js';
import { outputActivation, type OutputActivation } from './outputs.js';

export interface NetworkOptions {
  /** Hidden activation, one for all hidden layers or one per hidden layer. Default 'relu'. */
  hidden?: string | Activation | readonly (string | Activation)[];
  /** Leaky ReLU's negative slope (default 0.01). */
  leakySlope?: number;
  /** Output activation g: identity, sigmoid or softmax. Default: softmax for N_L > 1, sigmoid for N_L = 1. */
  output?: string;
  /** Cost: quadratic, binary-cross-entropy or cross-entropy. Default: the natural pair of the output. */
  cost?: string;
  /** Weight initialisation; default He for the ReLU family, Glorot otherwise. Biases start at 0. */
  init?: InitName;
  /** Seed of the weight initialisation (default 1). */
  seed?: number;
  /** Kernel backend (default: the pure-JS kernels). */
  kernels?: Kernels;
}

/** One dense layer: its parameters and their gradients, as arrays of the network's backend. */
export interface Layer {
  readonly inputs: number;
  readonly outputs: number;
  /** W[ℓ], outputs × inputs, row-major (PyTorch's nn.Linear.weight layout). */
  readonly w: Floats;
  readonly b: Floats;
  /** ∂C/∂W[ℓ] and ∂C/∂b[ℓ] of the last backward pass. */
  readonly dw: Floats;
  readonly db: Floats;
  /** f of a hidden layer; null on the output layer, where g applies. */
  readonly activation: Activation | null;
}

/** Buffers for one batch capacity, made once and reused by every step (no allocation per step). */
interface Workspace {
  capacity: number;
  /** a[0] is the input X; a[ℓ] = f(Z[ℓ]); z[0] unused. */
  z: Floats[];
  a: Floats[];
  delta: Floats[];
  target: Floats;
  scratch: Floats;
  /** Inverted-dropout masks (0 or 1/(1 − p)) and masked activations, per hidden layer, when dropout is on. */
  mask: (Floats | null)[];
  dropped: (Floats | null)[];
  /** What `batchBuffers` hands out: made once, so the training step allocates nothing. */
  buffers: { x: Floats; t: Floats };
}

/**
 * A feed-forward network N0/N1/.../NL of dense layers, trained by backpropagation.
 *
 * @example
 * const net = Network.create([784, 100, 10], { hidden: 'relu', output: 'softmax', cost: 'cross-entropy', seed: 1 });
 * net.numBiases; // 110    net.numWeights; // 79,400
 */
export class Network {
  readonly sizes: readonly number[];
  readonly layers: readonly Layer[];
  readonly output: OutputActivation;
  readonly cost: Cost;
  readonly kernels: Kernels;
  private readonly pairing: OutputPairing;
  private ws: Workspace | null = null;
  private rows = 0;
  private dropoutRates: number[];
  private hasDropout = false;
  private dropoutRng: Rng | null = null;
  /** Whether the last forward pass applied dropout (then layer inputs and Δ use the masks). */
  private dropping = false;

  private constructor(sizes: readonly number[], hidden: Activation[], output: OutputActivation, cost: Cost, kernels: Kernels) {
    this.sizes = Object.freeze([...sizes]);
    this.output = output;
    this.cost = cost;
    this.kernels = kernels;
    checkOutputLayer(output.name, cost.name, sizes[sizes.length - 1]!);
    this.pairing = pairOutput(output, cost);
    const layers: Layer[] = [];
    for (let l = 1; l < sizes.length; l++) {
      const inputs = sizes[l - 1]!;
      const outputs = sizes[l]!;
      layers.push({
        inputs,
        outputs,
        w: kernels.alloc(outputs * inputs),
        b: kernels.alloc(outputs),
        dw: kernels.alloc(outputs * inputs),
        db: kernels.alloc(outputs),
        activation: l < sizes.length - 1 ? hidden[l - 1]! : null,
      });
    }
    this.layers = layers;
    this.dropoutRates = new Array<number>(layers.length - 1).fill(0);
  }

  /** A new network with freshly initialised weights (seeded) and zero biases. */
  static create(sizes: readonly number[], options: NetworkOptions = {}): Network {
    validateSizes(sizes);
    const L = sizes.length - 1;
    const hidden = resolveHidden(options.hidden ?? 'relu', L - 1, options.leakySlope);
    const output = outputActivation(options.output ?? (sizes[L]! > 1 ? 'softmax' : 'sigmoid'));
    const c = costByName(options.cost ?? output.defaultCost);
    const net = new Network(sizes, hidden, output, c, options.kernels ?? new JsKernels());
    const init = options.init === undefined ? undefined : initScheme(options.init);
    const rng = new Rng(options.seed ?? 1);
    net.layers.forEach((layer, i) => {
      // the output layer (no f of its own) takes the choice of the activation feeding it
      const scheme = init ?? defaultInit(layer.activation ?? hidden[i - 1]);
      initWeights(layer.w, layer.inputs, layer.outputs, scheme, rng);
    });
    return net;
  }

  /** A network with the architecture and weights of `record` (a model file's content; its scaling and labels are not the network's). */
  static fromRecord(record: ModelRecord, kernels: Kernels = new JsKernels()): Network {
    validateSizes(record.sizes);
    const hiddenLayers = record.sizes.length - 2;
    const names = record.hidden;
    const alphas = record.hiddenAlpha;
    for (const [what, list] of [['activations', names], ['leaky-relu slopes', alphas]] as const) {
      if (Array.isArray(list) && list.length !== hiddenLayers) {
        throw new NablaError('SHAPE', `${hiddenLayers} hidden layers need ${hiddenLayers} hidden ${what}, got ${list.length}`);
      }
    }
    const hidden = Array.from({ length: hiddenLayers }, (_, i) =>
      activation(Array.isArray(names) ? names[i]! : names, Array.isArray(alphas) ? alphas[i] : alphas),
    );
    const net = new Network(record.sizes, hidden, outputActivation(record.output), costByName(record.cost), kernels);
    net.setParams(record.weights, record.biases);
    return net;
  }

  /**
   * The architecture and a float32 copy of the weights, as a model file holds them: one hidden
   * name when all layers share it, else one per layer; leaky ReLU's slope once when the network
   * has one, else one per hidden layer (each layer's `alpha`).
   */
  toRecord(): ModelRecord {
    const hidden = this.hidden;
    const names = hidden.map((h) => h.name);
    const slopes = new Set(hidden.filter((h) => h.name === 'leaky-relu').map((h) => h.alpha));
    return {
      sizes: [...this.sizes],
      hidden: new Set(names).size <= 1 ? (names[0] ?? 'relu') : names,
      ...(slopes.size === 1 ? { hiddenAlpha: [...slopes][0]! } : slopes.size > 1 ? { hiddenAlpha: hidden.map((h) => h.alpha) } : {}),
      output: this.output.name,
      cost: this.cost.name,
      weights: this.layers.map((l) => Float32Array.from(l.w)),
      biases: this.layers.map((l) => Float32Array.from(l.b)),
    };
  }

  /** The same architecture and weights on another backend (e.g. float64 reference kernels for the gradient check). */
  clone(kernels: Kernels = this.kernels): Network {
    const net = new Network(this.sizes, this.hidden, this.output, this.cost, kernels);
    net.setParams(this.layers.map((l) => l.w), this.layers.map((l) => l.b));
    return net;
  }

  /** Copies weights and biases in (shapes checked). */
  setParams(weights: readonly ArrayLike<number>[], biases: readonly ArrayLike<number>[]): void {
    if (weights.length !== this.layers.length || biases.length !== this.layers.length) {
      throw new NablaError('SHAPE', `expected ${this.layers.length} weight and bias arrays, got ${weights.length} and ${biases.length}`);
    }
    this.layers.forEach((layer, i) => {
      if (weights[i]!.length !== layer.w.length) {
        throw new NablaError('SHAPE', `W[${i + 1}] has ${weights[i]!.length} values, expected ${layer.outputs} × ${layer.inputs} = ${layer.w.length}`);
      }
      if (biases[i]!.length !== layer.b.length) {
        throw new NablaError('SHAPE', `b[${i + 1}] has ${biases[i]!.length} values, expected ${layer.b.length}`);
      }
      layer.w.set(weights[i]!);
      layer.b.set(biases[i]!);
    });
  }

  /** Hidden activations, one per hidden layer. */
  get hidden(): Activation[] {
    return this.layers.slice(0, -1).map((l) => l.activation!);
  }

  /** N_b = N_1 + ... + N_L. */
  get numBiases(): number {
    return this.layers.reduce((s, l) => s + l.outputs, 0);
  }

  /** N_w = N_0 N_1 + N_1 N_2 + ... + N_(L−1) N_L. */
  get numWeights(): number {
    return this.layers.reduce((s, l) => s + l.outputs * l.inputs, 0);
  }

  get numParams(): number {
    return this.numBiases + this.numWeights;
  }

  /** `N0/N1/.../NL`. */
  get architecture(): string {
    return this.sizes.join('/');
  }

  /** The parameter arrays in the order [W1, b1, W2, b2, ...] (what optimizers update). */
  params(): Floats[] {
    return this.layers.flatMap((l) => [l.w, l.b]);
  }

  /** The gradient arrays in the same order as `params()`. */
  grads(): Floats[] {
    return this.layers.flatMap((l) => [l.dw, l.db]);
  }

  /** Inverted dropout with rate p on each hidden layer during training passes (one rate, or one per hidden layer). */
  setDropout(rates: number | readonly number[], rng: Rng): void {
    if (typeof rates === 'number' && rates > 0 && this.layers.length === 1) {
      throw new NablaError('ARGUMENT', `dropout rate ${rates} cannot take effect: ${this.architecture} has no hidden layer (dropout acts on hidden layers)`);
    }
    const list = typeof rates === 'number' ? new Array<number>(this.layers.length - 1).fill(rates) : [...rates];
    if (list.length !== this.layers.length - 1) {
      throw new NablaError('ARGUMENT', `dropout: ${list.length} rates for ${this.layers.length - 1} hidden layers`);
    }
    for (const p of list) {
      if (!(p >= 0 && p < 1)) throw new NablaError('ARGUMENT', `dropout rate ${p}: expected a number in [0, 1)`);
    }
    this.dropoutRates = list;
    this.hasDropout = list.some((p) => p > 0);
    this.dropoutRng = rng;
    if (this.ws) this.ws = this.makeWorkspace(this.ws.capacity);
  }

  /**
   * The input and target buffers for a batch of m rows: fill them (row-major, m × N0 and
   * m × NL), then call `forwardBatch` and `backwardBatch`. They are views of storage that lives
   * as long as the network's batch capacity.
   */
  batchBuffers(m: number): { x: Floats; t: Floats } {
    return this.workspace(m).buffers;
  }

  /** Forward pass over the m rows already in `batchBuffers(m).x`, keeping Z[ℓ] and A[ℓ]; dropout only when training. */
  forwardBatch(m: number, training = false): void {
    const ws = this.workspace(m);
    this.rows = m;
    this.dropping = training && this.hasDropout;
    const k = this.kernels;
    const L = this.layers.length;
    for (let l = 1; l <= L; l++) {
      const layer = this.layers[l - 1]!;
      const input = this.layerInput(ws, l);
      if (l < L) {
        k.denseForward(m, layer.outputs, layer.inputs, input, layer.w, layer.b, ws.z[l]!, ws.a[l]!, layer.activation);
        if (this.dropping && ws.mask[l]) this.applyDropout(ws, l, m * layer.outputs);
      } else {
        k.denseForward(m, layer.outputs, layer.inputs, input, layer.w, layer.b, ws.z[l]!, null, null);
        this.output.forward(m, layer.outputs, ws.z[l]!, ws.a[l]!, k);
      }
    }
  }

  /** The mean cost of the last forward batch against the targets in `batchBuffers(m).t`. */
  batchCost(): number {
    const ws = this.ws!;
    const L = this.layers.length;
    return this.pairing.cost(this.rows, this.sizes[L]!, ws.z[L]!, ws.a[L]!, ws.target);
  }

  /**
   * Backward pass after `forwardBatch`: fills every layer's dw, db and Δ; returns the batch cost.
   * With `weightSquares`, on a backend that measures in its ∂W pass (`denseBackwardParamsMeasured`),
   * also weightSquares[ℓ − 1] = ‖∂C/∂W[ℓ]‖₂². With `deferBounded` too, a layer whose ∂W and ∂b
   * are certainly finite (`gradientBounded`) is not measured: its entry is −1 (no square is), for
   * the update to measure (Optimizer.measuresInStep).
   */
  backwardBatch(weightSquares?: Float64Array, deferBounded = false, inputBound = Infinity): number {
    const ws = this.ws;
    if (!ws || this.rows === 0) throw new NablaError('ARGUMENT', 'backward needs a forward pass first');
    const m = this.rows;
    const k = this.kernels;
    const L = this.layers.length;
    const nL = this.sizes[L]!;
    const c = this.pairing.cost(m, nL, ws.z[L]!, ws.a[L]!, ws.target);
    this.pairing.delta(m, nL, ws.z[L]!, ws.a[L]!, ws.target, ws.delta[L]!, ws.scratch); // (1)
    for (let l = L; l >= 1; l--) {
      const layer = this.layers[l - 1]!;
      if (weightSquares && deferBounded && this.gradientBounded(l, l === 1 ? inputBound : Infinity)) {
        weightSquares[l - 1] = -1;
        k.denseBackwardParams(m, layer.outputs, layer.inputs, ws.delta[l]!, this.layerInput(ws, l), layer.dw, layer.db); // (3), (4)
      } else if (weightSquares && k.denseBackwardParamsMeasured) {
        weightSquares[l - 1] = k.denseBackwardParamsMeasured(m, layer.outputs, layer.inputs, ws.delta[l]!, this.layerInput(ws, l), layer.dw, layer.db); // (3), (4)
      } else {
        k.denseBackwardParams(m, layer.outputs, layer.inputs, ws.delta[l]!, this.layerInput(ws, l), layer.dw, layer.db); // (3), (4)
      }
      if (l > 1) {
        const prev = this.layers[l - 2]!;
        k.denseBackwardInput(m, layer.outputs, layer.inputs, ws.delta[l]!, layer.w, ws.z[l - 1]!, ws.a[l - 1]!, prev.activation, ws.delta[l - 1]!); // (2)
        const mask = ws.mask[l - 1];
        if (this.dropping && mask) {
          const d = ws.delta[l - 1]!;
          if (k.maskMultiply) k.maskMultiply(m * prev.outputs, d, mask);
          else for (let i = 0; i < m * prev.outputs; i++) d[i] = d[i]! * mask[i]!;
        }
      }
    }
    return c;
  }

  /**
   * Whether layer ℓ's ∂W and ∂b, about to be computed from its Δ (m × Nℓ) and its input A (m × Nℓ₋₁),
   * are certainly finite: |∂W[i][j]| = |Σ_p Δ[p][i]·A[p][j]| ≤ m·max|Δ|·max|A| and |∂b[i]| ≤ m·max|Δ|,
   * and with both bounds finite and below 2¹²⁶ no float32 sum of those terms can overflow (the
   * rounding of m ≤ 2²⁰ additions grows a sum by less than 7%; float32's largest is 2¹²⁸). False
   * without the backend's maxAbs, or when Δ or A holds a NaN or an infinity. `inputBound`: a bound
   * on max|A| already known (the scaled bytes of the first layer's input), instead of measuring it.
   */
  gradientBounded(l: number, inputBound = Infinity): boolean {
    const k = this.kernels;
    const ws = this.ws;
    if (!k.maxAbs || !ws || l < 1 || l > this.layers.length) return false;
    const m = this.rows;
    const layer = this.layers[l - 1]!;
    const d = k.maxAbs(m * layer.outputs, ws.delta[l]!);
    const a = Number.isFinite(inputBound) ? inputBound : k.maxAbs(m * layer.inputs, this.layerInput(ws, l));
    const limit = 2 ** 126;
    return m <= 2 ** 20 && m * d * Math.max(a, 1) < limit;
  }

  /** Forward pass over X (m × N0); returns Ŷ (m × NL) as a view valid until the next pass. */
  forward(x: Matrix): Matrix {
    if (x.cols !== this.sizes[0]) {
      throw new NablaError('SHAPE', `input is ${x.shape}, expected ${x.rows} × ${this.sizes[0]} (N0 = ${this.sizes[0]} of ${this.architecture})`);
    }
    const { x: buf } = this.batchBuffers(x.rows);
    buf.set(x.data.subarray(0, x.rows * x.cols));
    this.forwardBatch(x.rows, false);
    const L = this.layers.length;
    return new Matrix(x.rows, this.sizes[L]!, this.ws!.a[L]!.subarray(0, x.rows * this.sizes[L]!));
  }

  /** Forward then backward on (X, T); returns the cost. Gradients are left in each layer's dw, db. */
  computeGradients(x: Matrix, t: Matrix): number {
    const L = this.layers.length;
    if (t.rows !== x.rows || t.cols !== this.sizes[L]) {
      throw new NablaError('SHAPE', `targets are ${t.shape}, expected ${x.rows} × ${this.sizes[L]} (NL = ${this.sizes[L]} of ${this.architecture})`);
    }
    this.forward(x);
    this.ws!.target.set(t.data.subarray(0, t.rows * t.cols));
    return this.backwardBatch();
  }

  /** The mean cost of the network on (X, T), without touching gradients. */
  evaluateCost(x: Matrix, t: Matrix): number {
    this.forward(x);
    this.ws!.target.set(t.data.subarray(0, t.rows * t.cols));
    return this.batchCost();
  }

  /** Predictions Ŷ for X, copied out (float32), processed in chunks of `batchSize` rows. */
  predict(x: Matrix, batchSize = 256): Matrix<Float32Array> {
    const nL = this.sizes[this.layers.length]!;
    const out = new Float32Array(x.rows * nL);
    for (let start = 0; start < x.rows; start += batchSize) {
      const rows = Math.min(batchSize, x.rows - start);
      const part = new Matrix(rows, x.cols, x.data.subarray(start * x.cols, (start + rows) * x.cols));
      out.set(this.forward(part).data, start * nL);
    }
    return new Matrix(x.rows, nL, out);
  }

  /**
   * Z[ℓ], A[ℓ] and Δ[ℓ] of layer ℓ (1..L) from the last pass, as m-row views; A[0] is the input.
   * (Δ is meaningful after a backward pass.)
   */
  layerState(l: number): { z: Matrix; a: Matrix; delta: Matrix } {
    if (!this.ws || l < 0 || l > this.layers.length) throw new NablaError('ARGUMENT', `no layer ${l} state (L = ${this.layers.length}; run a pass first)`);
    const n = this.sizes[l]!;
    const view = (buf: Floats): Matrix => new Matrix(this.rows, n, buf.subarray(0, this.rows * n));
    return { z: view(this.ws.z[l]!), a: view(this.ws.a[l]!), delta: view(this.ws.delta[l]!) };
  }

  /** Ŷ of the last pass as the backend's buffer (rows × NL valid), without allocating a view. */
  outputBuffer(): Floats {
    if (!this.ws) throw new NablaError('ARGUMENT', 'no output yet: run a forward pass first');
    return this.ws.a[this.layers.length]!;
  }

  /** Rows in the last pass. */
  get batchRows(): number {
    return this.rows;
  }

  private layerInput(ws: Workspace, l: number): Floats {
    return (this.dropping ? ws.dropped[l - 1] : null) ?? ws.a[l - 1]!;
  }

  /** The dropout generator's state words, handed to a backend that draws the masks itself. */
  private readonly rngWords = new Uint32Array(4);

  private applyDropout(ws: Workspace, l: number, n: number): void {
    const p = this.dropoutRates[l - 1]!;
    const mask = ws.mask[l]!;
    const out = ws.dropped[l]!;
    const a = ws.a[l]!;
    const keep = 1 / (1 - p);
    const rng = this.dropoutRng!;
    const k = this.kernels;
    if (k.dropoutMask) {
      // the same draws from the same generator, in the backend's loop
      rng.saveWords(this.rngWords);
      k.dropoutMask(n, a, mask, out, p, keep, this.rngWords);
      rng.loadWords(this.rngWords);
      return;
    }
    for (let i = 0; i < n; i++) {
      const v = rng.uniform() < p ? 0 : keep;
      mask[i] = v;
      out[i] = a[i]! * v;
    }
  }

  private workspace(m: number): Workspace {
    if (!Number.isInteger(m) || m < 1) throw new NablaError('ARGUMENT', `batch of ${m} rows: expected a positive integer`);
    if (!this.ws || this.ws.capacity < m) this.ws = this.makeWorkspace(m);
    return this.ws;
  }

  private makeWorkspace(capacity: number): Workspace {
    const k = this.kernels;
    const L = this.layers.length;
    const z: Floats[] = [k.alloc(0)];
    const a: Floats[] = [k.alloc(capacity * this.sizes[0]!)];
    const delta: Floats[] = [k.alloc(0)];
    const mask: (Floats | null)[] = [null];
    const dropped: (Floats | null)[] = [null];
    for (let l = 1; l <= L; l++) {
      const n = capacity * this.sizes[l]!;
      z.push(k.alloc(n));
      a.push(k.alloc(n));
      delta.push(k.alloc(n));
      const drop = l < L && this.dropoutRates[l - 1]! > 0;
      mask.push(drop ? k.alloc(n) : null);
      dropped.push(drop ? k.alloc(n) : null);
    }
    const nL = capacity * this.sizes[L]!;
    const target = k.alloc(nL);
    return { capacity, z, a, delta, target, scratch: k.alloc(nL), mask, dropped, buffers: { x: a[0]!, t: target } };
  }
}

function validateSizes(sizes: readonly number[]): void {
  if (sizes.length < 2) throw new NablaError('ARGUMENT', `layers ${sizes.join('/')}: expected at least N0/NL (two sizes)`);
  sizes.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1) throw new NablaError('ARGUMENT', `layers ${sizes.join('/')}: N${i} = ${s} must be a positive integer`);
  });
}

function resolveHidden(spec: NonNullable<NetworkOptions['hidden']>, count: number, slope?: number): Activation[] {
  const one = (h: string | Activation): Activation => (typeof h === 'string' ? activation(h, slope) : h);
  if (Array.isArray(spec)) {
    if (spec.length !== count) throw new NablaError('ARGUMENT', `${spec.length} hidden activations given for ${count} hidden layers`);
    return spec.map(one);
  }
  return new Array<Activation>(count).fill(one(spec as string | Activation));
}
