/**
 * Golden test against PyTorch: `scripts/torch-fixtures.py` (run by hand with Debian's
 * python3-torch) evaluated every hidden activation's torch module — nn.Identity, Sigmoid, Tanh,
 * ReLU, LeakyReLU(0.01) and (0.2), Softplus, SiLU, GELU(approximate='tanh') — and its derivative
 * by autograd on a grid of float32 z, and the cost and all gradients of the 3/5/3 softmax +
 * cross-entropy network of optim-golden.json with each of them as the hidden activation, in
 * float64. Errors are scaled, |ours − torch| / max(1, |torch|):
 *   f and f′ of the activation objects (float64): ≤ 1e-9 (the fixture keeps 12 significant digits;
 *     Softplus differs by design above z = 20, where torch returns z and Nabla z + ln(1 + e^−z),
 *     2e-9 apart at 20 — inside the bound);
 *   the network on float64 reference kernels: ≤ 1e-9; on the float32 js and wasm kernels (the
 *     SIMD activation kernels): ≤ 1e-5, float32's ~1e-7 per operation compounded over two layers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Kernels } from '../../src/kernels/kernels.js';
import { JsKernels } from '../../src/kernels/js.js';
import { ReferenceKernels } from '../../src/kernels/reference.js';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';
import { activation, activationNames } from '../../src/nn/activations.js';
import { Network } from '../../src/nn/network.js';
import { Matrix } from '../../src/tensor/matrix.js';
import { maxScaledError } from '../helpers/approx.js';

interface ActivationFixture {
  torch: string;
  f: number[];
  df: number[];
  network: { cost: number; grads: number[][] };
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch/activations-golden.json', import.meta.url), 'utf8')) as {
  z: number[];
  activations: Record<string, ActivationFixture>;
};
const optim = JSON.parse(readFileSync(new URL('../fixtures/torch/optim-golden.json', import.meta.url), 'utf8')) as {
  networks: Record<string, { sizes: number[]; output: string; cost: string; weights: number[][]; biases: number[][]; x: number[][]; t: number[][] }>;
};

/** 'leaky-relu:0.2' → leaky ReLU of slope 0.2; other keys are activation names. */
function activationOf(key: string): ReturnType<typeof activation> {
  const [name, alpha] = key.split(':');
  return activation(name!, alpha === undefined ? undefined : Number(alpha));
}

test('the fixture covers every hidden activation', () => {
  for (const name of activationNames) assert.ok(name in fixture.activations, `${name} is missing from activations-golden.json: rerun scripts/torch-fixtures.py`);
});

for (const [key, want] of Object.entries(fixture.activations)) {
  test(`${key}: f and f′ match PyTorch's ${want.torch} on ${fixture.z.length} points`, () => {
    const f = activationOf(key);
    const a = fixture.z.map((z) => f.f(z));
    const da = fixture.z.map((z, i) => f.df(z, a[i]!));
    assert.ok(maxScaledError(a, want.f) <= 1e-9, `f: worst scaled error ${maxScaledError(a, want.f).toExponential(2)}`);
    assert.ok(maxScaledError(da, want.df) <= 1e-9, `f′: worst scaled error ${maxScaledError(da, want.df).toExponential(2)}`);
  });
}

const wasm = await WasmKernels.create({ threads: 1, memoryMB: 16 });
after(() => wasm.dispose());
const backends: { name: string; kernels: Kernels; dtype: 'float32' | 'float64'; tol: number }[] = [
  { name: 'float64 reference kernels', kernels: new ReferenceKernels('float64'), dtype: 'float64', tol: 1e-9 },
  { name: 'float32 js kernels', kernels: new JsKernels(), dtype: 'float32', tol: 1e-5 },
  { name: 'float32 wasm kernels', kernels: wasm, dtype: 'float32', tol: 1e-5 },
];

for (const { name, kernels, dtype, tol } of backends) {
  test(`every hidden activation: the 3/5/3 network's cost and gradients match PyTorch (${name})`, () => {
    const spec = optim.networks['cross-entropy']!;
    for (const [key, want] of Object.entries(fixture.activations)) {
      const net = Network.create(spec.sizes, { hidden: activationOf(key), output: spec.output, cost: spec.cost, kernels });
      net.setParams(spec.weights, spec.biases);
      const c = net.computeGradients(Matrix.from(spec.x, dtype), Matrix.from(spec.t, dtype));
      assert.ok(Math.abs(c - want.network.cost) <= tol * Math.max(1, Math.abs(want.network.cost)), `${key}: cost ${c} vs ${want.network.cost}`);
      net.grads().forEach((g, i) => {
        const e = maxScaledError(Array.from(g), want.network.grads[i]!);
        assert.ok(e <= tol, `${key}: gradient ${i} worst scaled error ${e.toExponential(2)} > ${tol}`);
      });
    }
  });
}
