// The platform services in browsers (and any engine that is not Node): Web Workers started from a
// Blob URL, navigator.hardwareConcurrency. No Node built-in is reachable from here.
import { NablaError } from '../errors.js';
import { sharedMemoryUnavailable, type Platform, type PoolWorker } from './platform.js';

/** The headers that make a page cross-origin isolated, as users must type them. */
export const ISOLATION_HEADERS = 'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';

/** What a CSP must allow for the pool's workers, named in the error when it does not. */
const BLOCKED_WORKER = "workers from blob: URLs are blocked (the page's content security policy needs worker-src blob:)";

function threadsUnavailable(): string | null {
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (g.crossOriginIsolated === false) return `the page is not cross-origin isolated (serve it with ${ISOLATION_HEADERS})`;
  const memory = sharedMemoryUnavailable();
  if (memory !== null) return memory;
  if (typeof Worker !== 'function') return 'Web Workers are not available here';
  if (typeof Blob !== 'function' || typeof URL.createObjectURL !== 'function') return 'Blob URLs are not available here (workers start from one)';
  return null;
}

let blobUrl: string | undefined;

/** Starts a Web Worker from a Blob URL holding `source` and the message handler that calls it. */
function spawnWebWorker(source: string): PoolWorker {
  blobUrl ??= URL.createObjectURL(
    new Blob([`${source}\nself.onmessage = (e) => { self.onmessage = null; nablaWorkerMain(e.data, (m) => self.postMessage(m)); };`], { type: 'text/javascript' }),
  );
  let w: Worker;
  try {
    w = new Worker(blobUrl);
  } catch (e) {
    const securityError = e instanceof Error && e.name === 'SecurityError';
    throw new NablaError('BACKEND', `wasm backend: ${securityError ? BLOCKED_WORKER : `a Web Worker cannot start (${String(e)})`}`);
  }
  return {
    postMessage: (m) => w.postMessage(m),
    onMessage: (cb) => w.addEventListener('message', (e) => cb(e.data)),
    // A worker blocked by a content security policy fails with an error event without a message.
    onError: (cb) => w.addEventListener('error', (e) => cb(e.message || BLOCKED_WORKER)),
    unref: () => {},
    terminate: () => w.terminate(),
  };
}

/** Browsers (and other engines): Web Workers and navigator.hardwareConcurrency. */
export const platform: Platform = {
  name: 'browser',
  cpuCount: () => Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1),
  threadsUnavailable,
  spawnWorker: spawnWebWorker,
  enableRelaxedSimd: () => false, // a page cannot turn engine features on
};
