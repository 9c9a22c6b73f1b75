import { NablaError } from '../../errors.js';
import { opNames, type OpName } from './module.js';
import type { WasmMemory } from './memory.js';
import { workerSource } from './worker-source.js';

/** The little a pool needs of a worker, on either platform. */
export interface PoolWorker {
  postMessage(message: unknown): void;
  onMessage(cb: (message: unknown) => void): void;
  onError(cb: (error: unknown) => void): void;
  /** Lets the process exit while the worker idles (Node); a no-op in browsers. */
  unref(): void;
  terminate(): void;
}

const SEQ = 0;
const OP = 1;
const ARGC = 2;
const DONE = 3;
const EXIT = 4;
const ERROR = 5;
const MAX_ARGS = 16;

/**
 * A persistent pool of T − 1 workers sharing the kernels' memory; the calling thread is thread 0.
 * `run` publishes one call in the control block with a single Atomics store, runs share 0 itself,
 * then waits (spinning: shares are equal, so the wait is short) until every worker is done.
 */
export class ThreadPool {
  readonly size: number;
  private readonly workers: PoolWorker[];
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private counter = 0;
  private disposed = false;

  private constructor(size: number, workers: PoolWorker[], i32: Int32Array, f64: Float64Array) {
    this.size = size;
    this.workers = workers;
    this.i32 = i32;
    this.f64 = f64;
  }

  /** Starts `threads − 1` workers on `module` and `mem` (shared), and waits until all are ready. */
  static async start(threads: number, module: WebAssembly.Module, mem: WasmMemory, spin: number): Promise<ThreadPool> {
    if (threads > 255) throw new NablaError('ARGUMENT', `threads = ${threads}: at most 255`);
    const ctrl = mem.allocBytes(64 + 8 * MAX_ARGS);
    const i32 = new Int32Array(mem.memory.buffer, ctrl, 16);
    const f64 = new Float64Array(mem.memory.buffer, ctrl + 64, MAX_ARGS);
    const spawn = await workerSpawner();
    const workers: PoolWorker[] = [];
    const ready: Promise<void>[] = [];
    for (let tid = 1; tid < threads; tid++) {
      const w = spawn(workerSource);
      workers.push(w);
      ready.push(
        new Promise<void>((resolve, reject) => {
          w.onMessage((m) => (m === 'ready' ? resolve() : undefined));
          w.onError((e) => reject(new NablaError('BACKEND', `wasm backend: worker ${tid} failed to start: ${String(e)}`)));
        }),
      );
      w.postMessage({ module, memory: mem.memory, ctrl, tid, names: opNames, spin });
    }
    const pool = new ThreadPool(threads, workers, i32, f64);
    try {
      await Promise.all(ready); // the workers stay referenced until then, or Node would exit mid-start
    } catch (e) {
      pool.dispose();
      throw e;
    }
    for (const w of workers) w.unref();
    return pool;
  }

  /** Runs `op(...args, t, T)` on threads 0..T−1 (T ≤ size); `own` runs share 0 on this thread. */
  run(op: OpName, T: number, args: ArrayLike<number>, own: () => void): void {
    if (this.disposed) throw new NablaError('BACKEND', 'wasm backend: used after dispose()');
    const i32 = this.i32;
    for (let i = 0; i < args.length; i++) this.f64[i] = args[i]!;
    i32[OP] = opNames.indexOf(op);
    i32[ARGC] = args.length;
    Atomics.store(i32, DONE, 0);
    this.counter = (this.counter + 1) & 0x7fffff;
    Atomics.store(i32, SEQ, (this.counter << 8) | T);
    Atomics.notify(i32, SEQ);
    own();
    const want = T - 1;
    while (Atomics.load(i32, DONE) !== want) {
      // spin: the other shares are as large as ours
    }
    const failed = Atomics.load(i32, ERROR);
    if (failed !== 0) {
      Atomics.store(i32, ERROR, 0);
      throw new NablaError('BACKEND', `wasm backend: ${op} failed in worker ${failed}`);
    }
  }

  /** Stops and terminates the workers; the pool cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.i32, EXIT, 1);
    this.counter = (this.counter + 1) & 0x7fffff;
    Atomics.store(this.i32, SEQ, this.counter << 8);
    Atomics.notify(this.i32, SEQ);
    for (const w of this.workers) w.terminate();
  }
}

type Spawner = (source: string) => PoolWorker;

/** worker_threads in Node (loaded dynamically), Web Workers from a Blob URL in a browser. */
async function workerSpawner(): Promise<Spawner> {
  const g = globalThis as { process?: { versions?: { node?: string } }; Worker?: unknown };
  if (g.process?.versions?.node) {
    const { spawnNodeWorker } = await import('./spawn-node.js');
    return spawnNodeWorker;
  }
  if (typeof Worker === 'function' && typeof Blob === 'function' && typeof URL.createObjectURL === 'function') {
    const url = URL.createObjectURL(
      new Blob([`${workerSource}\nself.onmessage = (e) => { self.onmessage = null; nablaWorkerMain(e.data, (m) => self.postMessage(m)); };`], {
        type: 'text/javascript',
      }),
    );
    return () => {
      const w = new Worker(url);
      return {
        postMessage: (m) => w.postMessage(m),
        onMessage: (cb) => w.addEventListener('message', (e) => cb(e.data)),
        onError: (cb) => w.addEventListener('error', (e) => cb(e.message)),
        unref: () => {},
        terminate: () => w.terminate(),
      };
    };
  }
  throw new NablaError('BACKEND', 'wasm backend: no worker threads in this environment (use threads: 1)');
}
