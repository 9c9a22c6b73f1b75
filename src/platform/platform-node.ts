// The platform services in Node: worker_threads and os. Reached only through `#platform` under the
// `node` condition (package.json `imports`), so browsers never load it.
import { availableParallelism, cpus } from 'node:os';
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

/** Node: worker_threads, and the logical CPUs available to this process. */
export const platform: Platform = {
  name: 'node',
  cpuCount: () => (typeof availableParallelism === 'function' ? availableParallelism() : cpus().length),
  threadsUnavailable: sharedMemoryUnavailable,
  spawnWorker: spawnNodeWorker,
};
