/** The little a pool needs of a worker, on either platform. */
export interface PoolWorker {
  postMessage(message: unknown): void;
  onMessage(cb: (message: unknown) => void): void;
  onError(cb: (error: unknown) => void): void;
  /** Lets the process exit while the worker idles (Node); a no-op in browsers. */
  unref(): void;
  terminate(): void;
}
