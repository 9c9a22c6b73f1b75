import type { Network } from '../nn/network.js';

/**
 * Per hidden layer, after a forward pass over a probe batch: for sigmoid and tanh, the fraction
 * of unit activations in the flat tails where f′ is below a tenth of its peak (σ′ < 0.025, i.e.
 * a < 0.026 or a > 0.974; tanh′ < 0.1, i.e. |a| > 0.949) — the saturation that makes gradients
 * vanish; for ReLU and leaky ReLU, the fraction of dead units (z ≤ 0 for every sample of the
 * batch); null for the others.
 */
export function unitHealth(net: Network): (number | null)[] {
  const m = net.batchRows;
  return net.layers.slice(0, -1).map((layer, i) => {
    const n = layer.outputs;
    const { z, a } = net.layerState(i + 1);
    switch (layer.activation!.name) {
      case 'sigmoid': {
        let s = 0;
        for (let k = 0; k < m * n; k++) if (a.data[k]! * (1 - a.data[k]!) < 0.025) s++;
        return s / (m * n);
      }
      case 'tanh': {
        let s = 0;
        for (let k = 0; k < m * n; k++) if (1 - a.data[k]! * a.data[k]! < 0.1) s++;
        return s / (m * n);
      }
      case 'relu':
      case 'leaky-relu': {
        let dead = 0;
        for (let j = 0; j < n; j++) {
          let alive = false;
          for (let r = 0; r < m && !alive; r++) alive = z.data[r * n + j]! > 0;
          if (!alive) dead++;
        }
        return dead / n;
      }
      default:
        return null;
    }
  });
}
