// The only Node-specific file of the wasm backend, imported dynamically by pool.ts so browsers never load it.
import { Worker } from 'node:worker_threads';
import type { PoolWorker } from './pool-worker.js';

/** Starts a worker_threads Worker running `source`; once `unref()`ed it no longer keeps the process alive. */
export function spawnNodeWorker(source: string): PoolWorker {
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

/** Logical CPUs available to this process. */
export async function nodeCpuCount(): Promise<number> {
  const os = await import('node:os');
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
