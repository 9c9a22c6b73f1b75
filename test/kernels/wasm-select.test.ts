import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { NablaError } from '../../src/errors.js';
import { describeKernels, selectKernels } from '../../src/kernels/select.js';
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

test('without SharedArrayBuffer: selectKernels falls back to wasm × 1 and says why; a forced 2 threads is an error, in the library and the CLI', () => {
  const module = new URL('../../src/kernels/select.ts', import.meta.url).href;
  const script = `const { selectKernels, describeKernels } = await import(${JSON.stringify(module)});
    console.log(describeKernels(await selectKernels()));
    await selectKernels({ threads: 2 }).then(describeKernels, (e) => console.log(e.code, e.message));`;
  // An engine without SharedArrayBuffer (as a page without cross-origin isolation): the global is removed after tsx's loader starts (it needs one).
  const flags = ['--import', 'tsx', '--import', 'data:text/javascript,delete globalThis.SharedArrayBuffer'];
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'wasm × 1 thread (SharedArrayBuffer is not available)',
    'BACKEND wasm backend: 2 threads cannot start: SharedArrayBuffer is not available',
  ]);
  const cli = (args: string[]) => spawnSync(process.execPath, [...flags, 'src/cli/run.ts', 'train', '--data', 'iris', '--epochs', '1', ...args], { encoding: 'utf8', timeout: 60000 });
  const auto = cli([]);
  assert.equal(auto.status, 0, auto.stderr);
  assert.match(auto.stdout, /, wasm × 1 thread \(SharedArrayBuffer is not available\)\n/);
  const forced = cli(['--threads', '2']);
  assert.equal(forced.status, 2); // a user error, as every NablaError the CLI prints
  assert.equal(forced.stderr.trim(), 'nabla: wasm backend: 2 threads cannot start: SharedArrayBuffer is not available');
});

test('describeKernels states backend, threads and reason; threads are the wasm backend’s alone', async () => {
  const two = await selectKernels({ threads: 2 });
  assert.equal(describeKernels(two), 'wasm × 2 threads');
  assert.equal(two.reason, undefined);
  two.dispose?.();
  assert.equal(describeKernels(await selectKernels({ backend: 'js' })), 'js');
  await assert.rejects(selectKernels({ backend: 'js', threads: 2 }), (e: unknown) => e instanceof NablaError && e.code === 'ARGUMENT' && /only the wasm backend runs on threads/.test(e.message));
});
