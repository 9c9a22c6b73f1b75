// Not run in CI (needs Debian's python3-torch): proves a model file written here loads into
// PyTorch with load_state_dict and gives the same outputs, and that one written by PyTorch loads here.
//   node --import tsx test/io/torch-interop.ts
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModelFile, writeModelFile } from '../../src/io/model-file.js';
import type { ModelRecord } from '../../src/io/model-format.js';
import { Rng } from '../../src/tensor/rng.js';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch-interop.py');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nabla-torch-'));

/** Forward pass written out plainly in float64 (independent of src/nn): Z = A·Wᵀ + b, A = f(Z). */
function forward(m: ModelRecord, x: number[]): number[] {
  const slope = (l: number): number => (Array.isArray(m.hiddenAlpha) ? m.hiddenAlpha[l]! : (m.hiddenAlpha ?? 0.01));
  const act: Record<string, (z: number[], l: number) => number[]> = {
    'leaky-relu': (z, l) => z.map((v) => (v > 0 ? v : slope(l) * v)),
    tanh: (z) => z.map(Math.tanh),
    softmax: (z) => {
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      return e.map((v) => v / e.reduce((a, b) => a + b, 0));
    },
  };
  let a = m.scaling ? x.map((v, j) => (v - m.scaling!.shift[j]!) * m.scaling!.scale[j]!) : x;
  for (let l = 0; l < m.sizes.length - 1; l++) {
    const [rows, cols] = [m.sizes[l + 1]!, m.sizes[l]!];
    const z = Array.from({ length: rows }, (_, i) => m.biases[l]![i]! + a.reduce((s, v, j) => s + v * m.weights[l]![i * cols + j]!, 0));
    const hidden = Array.isArray(m.hidden) ? m.hidden[l]! : m.hidden;
    a = act[l === m.sizes.length - 2 ? m.output : hidden]!(z, l);
  }
  return a;
}

function worst(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.abs(v - b[i]![j]!))));
}

const rng = new Rng(5);
const sizes = [6, 8, 5, 4];
const model: ModelRecord = {
  sizes,
  hidden: ['leaky-relu', 'tanh'],
  hiddenAlpha: 0.1,
  output: 'softmax',
  cost: 'cross-entropy',
  weights: sizes.slice(1).map((n, l) => Float32Array.from({ length: n * sizes[l]! }, () => rng.normal())),
  biases: sizes.slice(1).map((n) => Float32Array.from({ length: n }, () => rng.normal())),
  scaling: { kind: 'standard', shift: Float32Array.from({ length: 6 }, () => rng.normal()), scale: Float32Array.from({ length: 6 }, () => rng.uniformIn(0.5, 2)) },
};
const inputs = Array.from({ length: 5 }, () => Array.from({ length: 6 }, () => rng.normal()));
const file = path.join(dir, 'nabla.safetensors');
writeModelFile(file, model);
const torchOut: number[][] = JSON.parse(execFileSync('/usr/bin/python3', [script, 'load', file], { input: JSON.stringify(inputs) }).toString());
const e1 = worst(torchOut, inputs.map((x) => forward(model, x)));
console.log(`Nabla → PyTorch: load_state_dict(strict=True) accepted ${file}; max |output difference| = ${e1.toExponential(2)}`);
assert.ok(e1 < 1e-5);

const torchFile = path.join(dir, 'torch.safetensors');
const in5 = inputs.map((r) => r.slice(0, 5));
const torchOut2: number[][] = JSON.parse(execFileSync('/usr/bin/python3', [script, 'save', torchFile], { input: JSON.stringify(in5) }).toString());
const fromTorch = readModelFile(torchFile);
const e2 = worst(torchOut2, in5.map((x) => forward(fromTorch, x)));
console.log(`PyTorch → Nabla: readModelFile read ${fromTorch.sizes.join('/')} ${fromTorch.hidden}/${fromTorch.output}; max |output difference| = ${e2.toExponential(2)}`);
assert.ok(e2 < 1e-5);
fs.rmSync(dir, { recursive: true });
