import { platform } from '#platform';
import { NablaError } from '../../errors.js';
import type { PoolWorker } from '../../platform/platform.js';
import { opNames, type OpName } from './module.js';
import type { WasmMemory } from './memory.js';
import { workerSource } from './worker-source.js';

// Control block layout (Int32 words; worker-source.ts reads the same offsets).
const SEQ = 0;
const OP = 1;
const ARGC = 2;
const DONE = 3;
const EXIT = 4;
const ERROR = 5;
const CALL = 6;
const NT = 7;
const SLEEPING = 8;
const CALLER_WAITS = 9;
const ARGS_BYTE = 64;
const MAX_ARGS = 16;
const CLAIMS = 48; // word index: 192 bytes in, one claim word per share
const MAX_THREADS = 255;
/** Polls of DONE before the calling thread sleeps on it (where it may: not a browser's main thread). */
const WAIT_SPINS = 20000;


/**
 * A persistent pool of T − 1 workers sharing the kernels' memory; the calling thread is thread 0.
 *
 * A call of T shares: the caller publishes the operation and its arguments, bumps the call number
 * and a notification word, runs share 0, then claims and runs every share no worker has claimed
 * yet, and waits for the shares workers did claim. Worker t claims share t (so it keeps touching
 * the same rows of the same arrays, call after call) with a compare-and-swap of the call number
 * into claim word t; whoever wins runs it. A worker that is descheduled — another process on a
 * busy machine — therefore delays nothing: its share is done by the caller. Which thread runs a
 * share never changes what the share computes, so results stay bit-identical.
 */
export class ThreadPool {
  readonly size: number;
  private readonly workers: PoolWorker[];
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private call = 0;
  /** The count DONE reaches when every worker share claimed so far is finished (DONE only grows). */
  private doneTarget = 0;
  private disposed = false;
  private canWait = true;
  /**
   * Work the calling thread may do while it waits for the workers' shares, one small unit a call
   * (true: did one, call again; false: none left). It must not throw, nor depend on the shares.
   */
  idle: (() => boolean) | null = null;

  private constructor(size: number, workers: PoolWorker[], i32: Int32Array, f64: Float64Array) {
    this.size = size;
    this.workers = workers;
    this.i32 = i32;
    this.f64 = f64;
  }

  /** Starts `threads − 1` workers on `module` and `mem` (shared), and waits until all are ready. */
  static async start(threads: number, module: WebAssembly.Module, mem: WasmMemory, spin: number): Promise<ThreadPool> {
    if (threads > MAX_THREADS) throw new NablaError('ARGUMENT', `threads = ${threads}: at most ${MAX_THREADS}`);
    const ctrl = mem.allocBytes(4 * (CLAIMS + MAX_THREADS));
    const i32 = new Int32Array(mem.memory.buffer, ctrl, CLAIMS + MAX_THREADS);
    const f64 = new Float64Array(mem.memory.buffer, ctrl + ARGS_BYTE, MAX_ARGS);
    const workers: PoolWorker[] = [];
    const ready: Promise<void>[] = [];
    for (let tid = 1; tid < threads; tid++) {
      let w: PoolWorker;
      try {
        w = platform.spawnWorker(workerSource);
      } catch (e) {
        for (const started of workers) started.terminate();
        throw e;
      }
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

  /** Runs `op(...args, t, T)` for t = 0..T−1 (T ≤ size), spread over the pool; `share(t)` runs share t on this thread. */
  run(op: OpName, T: number, args: ArrayLike<number>, share: (t: number) => void): void {
    if (this.disposed) throw new NablaError('BACKEND', 'wasm backend: used after dispose()');
    const i32 = this.i32;
    for (let i = 0; i < args.length; i++) this.f64[i] = args[i]!;
    i32[OP] = opNames.indexOf(op);
    i32[ARGC] = args.length;
    i32[NT] = T;
    const K = (this.call = this.call >= 0x7ffffffe ? 1 : this.call + 1);
    if (K === 1) for (let t = 0; t < this.size; t++) Atomics.store(i32, CLAIMS + t, 0);
    // Shares this call does not have are marked taken: a late worker cannot claim one and count it in DONE.
    for (let t = T; t < this.size; t++) Atomics.store(i32, CLAIMS + t, K);
    // Two atomic stores publish the call (and the plain writes before them); share 0 is ours
    // without a claim, and DONE is never reset: the workers' shares are counted on from doneTarget.
    Atomics.store(i32, CALL, K);
    Atomics.store(i32, SEQ, ((K & 0x7fffff) << 8) | T);
    if (Atomics.load(i32, SLEEPING) !== 0) Atomics.notify(i32, SEQ); // polling workers need none: it costs a system call

    share(0);
    let theirs = T - 1;
    for (let t = 1; t < T; t++) {
      if (claim(i32, t, K)) {
        share(t);
        theirs--;
      }
    }
    this.doneTarget = (this.doneTarget + theirs) | 0;
    this.waitDone(this.doneTarget);
    const failed = Atomics.load(i32, ERROR);
    if (failed !== 0) {
      Atomics.store(i32, ERROR, 0);
      throw new NablaError('BACKEND', `wasm backend: ${op} failed in worker ${failed}`);
    }
  }

  /**
   * Waits until DONE reaches `target` (every claimed worker share finished): doing `idle` work while
   * there is some, spinning (they started when we did), then sleeping where allowed. CALLER_WAITS
   * is raised before DONE is read for the sleep and a worker adds to DONE before it reads
   * CALLER_WAITS, so a worker that finishes then notifies, and one that finished before is seen.
   */
  private waitDone(target: number): void {
    const i32 = this.i32;
    let polls = 0;
    for (let done = Atomics.load(i32, DONE); ((done - target) | 0) < 0; done = Atomics.load(i32, DONE)) {
      if (this.idle !== null && this.idle()) continue;
      if (++polls < WAIT_SPINS || !this.canWait) continue;
      Atomics.store(i32, CALLER_WAITS, 1);
      try {
        Atomics.wait(i32, DONE, done, 1);
      } catch {
        this.canWait = false; // a browser's main thread may not block
      }
      Atomics.store(i32, CALLER_WAITS, 0);
    }
  }

  /** Stops and terminates the workers; the pool cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.i32, EXIT, 1);
    this.call++;
    Atomics.store(this.i32, SEQ, (this.call & 0x7fffff) << 8);
    Atomics.notify(this.i32, SEQ);
    for (const w of this.workers) w.terminate();
  }
}

/** Claims share t of call K: true for the one thread whose compare-and-swap moves claim word t up to K. */
function claim(i32: Int32Array, t: number, K: number): boolean {
  let v = Atomics.load(i32, CLAIMS + t);
  while (v < K) {
    const old = Atomics.compareExchange(i32, CLAIMS + t, v, K);
    if (old === v) return true;
    v = old;
  }
  return false;
}
