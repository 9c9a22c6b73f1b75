import { pairOutput, type Dataset, type Network } from './lib.js';

/** Everything the backprop inspector shows for one sample: the library's own forward and backward values. */
export interface InspectorTrace {
  sample: number;
  label: number | undefined;
  sizes: readonly number[];
  /** A[0] = X (the scaled input), then A[ℓ] = f(Z[ℓ]); index ℓ = 0..L. */
  a: Float32Array[];
  /** Z[ℓ], Δ[ℓ], ∂C/∂b[ℓ], ∂C/∂W[ℓ] (row-major N_ℓ × N_(ℓ−1)) and f′(Z[ℓ]) of the hidden layers; index ℓ = 1..L, [0] empty. */
  z: Float32Array[];
  delta: Float32Array[];
  db: Float32Array[];
  dw: Float32Array[];
  fprime: Float32Array[];
  /** T, the one-hot (or 0/1) target row. */
  target: Float32Array;
  cost: number;
  /** Hidden activation names f per layer 1..L−1, and the output g. */
  hidden: string[];
  output: string;
  costName: string;
  /** Whether Δ[L] is the fused (Ŷ − T)/m of softmax + cross-entropy or sigmoid + binary cross-entropy. */
  fused: boolean;
}

/**
 * Runs the network's own `forwardBatch` and `backwardBatch` on a batch of one (test sample i) and
 * copies out Z, A, Δ and the gradients. It overwrites `net`'s gradients and buffers: pass a clone.
 */
export function traceSample(net: Network, data: Dataset, i: number): InspectorTrace {
  const L = net.layers.length;
  const { x, t } = net.batchBuffers(1);
  data.gatherInputs([i], x);
  data.gatherTargets([i], t);
  net.forwardBatch(1, false);
  const cost = net.backwardBatch();
  const empty = new Float32Array(0);
  const trace: InspectorTrace = {
    sample: i,
    label: data.labels?.[i],
    sizes: net.sizes,
    a: [Float32Array.from(x.subarray(0, net.sizes[0]!))],
    z: [empty],
    delta: [empty],
    db: [empty],
    dw: [empty],
    fprime: [empty],
    target: Float32Array.from(t.subarray(0, net.sizes[L]!)),
    cost,
    hidden: net.hidden.map((h) => h.name),
    output: net.output.name,
    costName: net.cost.name,
    fused: pairOutput(net.output, net.cost).fused,
  };
  for (let l = 1; l <= L; l++) {
    const state = net.layerState(l);
    const layer = net.layers[l - 1]!;
    const z = Float32Array.from(state.z.data);
    const a = Float32Array.from(state.a.data);
    trace.z.push(z);
    trace.a.push(a);
    trace.delta.push(Float32Array.from(state.delta.data));
    trace.db.push(Float32Array.from(layer.db));
    trace.dw.push(Float32Array.from(layer.dw));
    const f = layer.activation;
    trace.fprime.push(f ? z.map((v, j) => f.df(v, a[j]!)) : empty);
  }
  return trace;
}
