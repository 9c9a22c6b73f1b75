import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { NablaError } from '../../src/errors.js';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';
import { Rng } from '../../src/tensor/rng.js';
import { assertClose } from '../helpers/approx.js';

const made: WasmKernels[] = [];
after(() => made.forEach((k) => k.dispose()));

test('wasm gatherScaledU8 gathers uint8 rows as (x − shift) · scale, any width', async () => {
  const k = await WasmKernels.create({ threads: 1, memoryMB: 16 });
  made.push(k);
  const rng = new Rng(21);
  for (const cols of [1, 3, 4, 5, 19, 784]) {
    const count = 50;
    const src = Uint8Array.from({ length: count * cols }, () => Math.floor(rng.uniformIn(0, 256)));
    for (const [shift, scale] of [
      [new Float32Array(cols), new Float32Array(cols).fill(1 / 255)], // IDX pixels: x/255
      [Float32Array.from({ length: cols }, () => rng.uniformIn(0, 100)), Float32Array.from({ length: cols }, () => rng.uniformIn(0.001, 0.1))],
    ] as const) {
      const indices = [7, 0, 49, 7, 23];
      const out = k.alloc(indices.length * cols);
      k.gatherScaledU8(src, cols, indices, shift, scale, out);
      const want = new Float64Array(indices.length * cols);
      indices.forEach((i, r) => {
        for (let j = 0; j < cols; j++) want[r * cols + j] = (src[i * cols + j]! - shift[j]!) * scale[j]!;
      });
      assertClose(out, want, 1e-6, `gather cols=${cols}`);
    }
  }
  // x/255 is exact to float32 rounding: the same bits as the JavaScript formula
  const src = Uint8Array.from({ length: 256 }, (_, i) => i);
  const out = k.alloc(256);
  k.gatherScaledU8(src, 256, [0], new Float32Array(256), new Float32Array(256).fill(1 / 255), out);
  assert.deepEqual(Array.from(out), Array.from(Float32Array.from(src, (x) => x * Math.fround(1 / 255))));
  assert.throws(() => k.gatherScaledU8(src, 256, [1], new Float32Array(256), new Float32Array(256), out), (e: unknown) => e instanceof NablaError && /row index 1/.test(e.message));
});
