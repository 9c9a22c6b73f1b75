import type { Network } from '../nn/network.js';

/**
 * Per hidden layer, after a forward pass over a probe batch, the share of unhealthy units as its
 * activation defines them (`Activation.health`): the fraction of dead units (never alive on the
 * batch) or of saturated activations (f′ in its flat tails); null where the activation defines
 * neither.
 */
export function unitHealth(net: Network): (number | null)[] {
  const m = net.batchRows;
  return net.layers.slice(0, -1).map((layer, i) => {
    const n = layer.outputs;
    const { z, a } = net.layerState(i + 1);
    const health = layer.activation!.health;
    if (health?.kind === 'saturated') {
      let s = 0;
      for (let k = 0; k < m * n; k++) if (health.saturated(z.data[k]!, a.data[k]!)) s++;
      return s / (m * n);
    }
    if (health?.kind === 'dead') {
      let dead = 0;
      for (let j = 0; j < n; j++) {
        let alive = false;
        for (let r = 0; r < m && !alive; r++) alive = health.alive(z.data[r * n + j]!);
        if (!alive) dead++;
      }
      return dead / n;
    }
    return null;
  });
}
