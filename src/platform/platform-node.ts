// The platform services in Node: worker_threads and os. Reached only through `#platform` under the
// `node` condition (package.json `imports`), so browsers never load it.
import { availableParallelism, cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { sharedMemoryUnavailable, type Platform, type PoolWorker } from './platform.js';

/** Starts a worker_threads Worker running `source`; once `unref()`ed it no longer keeps the process alive. */
function spawnNodeWorker(source: string): PoolWorker {
  const code =
    `const { parentPort } = require('node:worker_threads');\n${source}\n` +
    `parentPort.once('message', (data) => nablaWorkerMain(data, (m) => parentPort.postMessage(m)));`;
  const worker = new Worker(code, { eval: true, execArgv: [], stdout: false, stderr: false });
  return {
    postMessage: (m) => worker.postMessage(m),
    onMessage: (cb) => void worker.on('message', cb),
    onError: (cb) => void worker.on('error', cb),
    unref: () => worker.unref(),
    terminate: () => void worker.terminate(),
  };
}

/**
 * Node 20's V8 (11.3) has relaxed SIMD behind --experimental-wasm-relaxed-simd (on by default from
 * V8 11.4: Node 21). The flag only decides what the validator accepts, so setting it before the kernels are
 * compiled is enough; it is set only after the engine has rejected them without it.
 */
function enableRelaxedSimd(): boolean {
  if (!/^v20\./.test(process.version)) return false;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return true;
}

/** Node: worker_threads, and the logical CPUs available to this process. */
export const platform: Platform = {
  name: 'node',
  cpuCount: () => (typeof availableParallelism === 'function' ? availableParallelism() : cpus().length),
  threadsUnavailable: sharedMemoryUnavailable,
  spawnWorker: spawnNodeWorker,
  enableRelaxedSimd,
};
