import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NablaError } from '../../src/errors.js';
import { selectKernels } from '../../src/kernels/select.js';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';

test('selectKernels picks threaded wasm in Node and honours backend and threads', async () => {
  const auto = await selectKernels();
  assert.equal(auto.name, 'wasm');
  assert.ok(auto.threads >= 1);
  (auto as WasmKernels).dispose();
  const two = await selectKernels({ threads: 2 });
  assert.equal(two.name, 'wasm');
  assert.equal(two.threads, 2);
  (two as WasmKernels).dispose();
  assert.equal((await selectKernels({ backend: 'js' })).name, 'js');
  assert.equal((await selectKernels({ backend: 'reference' })).name, 'reference');
  const one = await selectKernels({ backend: 'wasm', threads: 1 });
  assert.equal(one.threads, 1);
});

test('selectKernels rejects bad names and thread counts', async () => {
  await assert.rejects(selectKernels({ threads: 0 }), (e: unknown) => e instanceof NablaError && e.code === 'ARGUMENT');
  await assert.rejects(selectKernels({ backend: 'gpu' as 'js' }), (e: unknown) => e instanceof NablaError && e.code === 'UNKNOWN_NAME' && /gpu/.test(e.message));
});
