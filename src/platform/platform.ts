/**
 * What differs between Node and a browser, behind one interface. `#platform` (package.json
 * `imports`) resolves to platform-node.ts under the `node` condition and to platform-browser.ts
 * otherwise, so a bundler building for the web never sees a Node built-in.
 */

/** The little the wasm backend's thread pool needs of a worker, on either platform. */
export interface PoolWorker {
  postMessage(message: unknown): void;
  onMessage(cb: (message: unknown) => void): void;
  onError(cb: (error: unknown) => void): void;
  /** Lets the process exit while the worker idles (Node); a no-op in browsers. */
  unref(): void;
  terminate(): void;
}

/** The platform-specific services of the library. */
export interface Platform {
  /** 'node' or 'browser'. */
  readonly name: 'node' | 'browser';
  /** Logical CPUs: os.availableParallelism() in Node, navigator.hardwareConcurrency in a browser. */
  cpuCount(): number;
  /** Why worker threads sharing a WebAssembly.Memory cannot run here, or null when they can. */
  threadsUnavailable(): string | null;
  /** Starts a worker running `source` (which defines `nablaWorkerMain`); a NablaError('BACKEND') saying why when none can start. */
  spawnWorker(source: string): PoolWorker;
  /**
   * Turns on WebAssembly relaxed SIMD where the engine has it behind a switch (Node 20: a V8 flag);
   * true when it did something worth validating again, false where there is nothing to turn on.
   */
  enableRelaxedSimd(): boolean;
}

/**
 * Why a shared WebAssembly.Memory cannot be created in this engine, or null when it can: the
 * check both platforms start from.
 *
 * @example
 * sharedMemoryUnavailable(); // null in Node 20
 */
export function sharedMemoryUnavailable(): string | null {
  if (typeof WebAssembly === 'undefined') return 'WebAssembly is not available';
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is not available';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return null;
  } catch (e) {
    return `this engine cannot create a shared WebAssembly.Memory (${e instanceof Error ? e.message : String(e)})`;
  }
}
