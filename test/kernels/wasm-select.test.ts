import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
  for (const backend of ['js', 'reference'] as const) {
    await assert.rejects(selectKernels({ backend, threads: 2 }), (e: unknown) => e instanceof NablaError && e.code === 'ARGUMENT' && e.message.includes(`the ${backend} backend runs on one thread`));
  }
  await assert.rejects(selectKernels({ backend: 'gpu' as 'js' }), (e: unknown) => e instanceof NablaError && e.code === 'UNKNOWN_NAME' && /gpu/.test(e.message));
});

test('a process using threaded wasm kernels exits on its own (idle workers are unref’d)', () => {
  const module = new URL('../../src/kernels/select.ts', import.meta.url).href;
  const script = `const { selectKernels } = await import(${JSON.stringify(module)});
    const k = await selectKernels({ backend: 'wasm', threads: 2 });
    const a = k.alloc(8).fill(1); const out = k.alloc(2); k.colSums(4, 2, a, out);
    console.log(k.threads, out[0]);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.signal, null, `the process had to be killed: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '2 4');
});
