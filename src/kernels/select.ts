import { NablaError } from '../errors.js';
import { JsKernels } from './js.js';
import type { Kernels } from './kernels.js';
import { ReferenceKernels } from './reference.js';
import { WasmKernels } from './wasm/wasm-kernels.js';

/** The kernel backends a user can force (`--backend`). */
export type BackendName = 'js' | 'wasm' | 'reference';
export const backendNames: readonly BackendName[] = ['wasm', 'js', 'reference'];

export interface SelectKernelsOptions {
  /** Force one backend; by default the fastest that works here. */
  backend?: BackendName;
  /** Threads for the wasm backend (default: all cores where SharedArrayBuffer works, else 1). */
  threads?: number;
}

/** Logical CPUs: os.availableParallelism() in Node, navigator.hardwareConcurrency in a browser. */
export async function cpuCount(): Promise<number> {
  const g = globalThis as { process?: { versions?: { node?: string } }; navigator?: { hardwareConcurrency?: number } };
  if (g.process?.versions?.node) {
    const { nodeCpuCount } = await import('./wasm/spawn-node.js');
    return nodeCpuCount();
  }
  return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
}

/** True where a shared WebAssembly.Memory can be created (threads > 1 possible). */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof WebAssembly === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean; process?: unknown };
  if (g.process === undefined && g.crossOriginIsolated === false) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Picks the backend, once per run: wasm on every core where SharedArrayBuffer works, wasm on one
 * thread otherwise, the pure-TypeScript kernels as the last resort. A forced backend or thread
 * count that cannot start is an error rather than a silent fallback.
 *
 * @example
 * const kernels = await selectKernels({ threads: 2 }); // WasmKernels with 2 threads on this machine
 */
export async function selectKernels(options: SelectKernelsOptions = {}): Promise<Kernels> {
  const { backend, threads } = options;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new NablaError('ARGUMENT', `threads = ${threads}: expected an integer ≥ 1`);
  }
  if (threads !== undefined && threads > 1 && (backend === 'js' || backend === 'reference')) {
    throw new NablaError('ARGUMENT', `threads = ${threads} cannot take effect: the ${backend} backend runs on one thread (threads are the wasm backend's)`);
  }
  if (backend === 'js') return new JsKernels();
  if (backend === 'reference') return new ReferenceKernels();
  if (backend !== undefined && backend !== 'wasm') {
    throw new NablaError('UNKNOWN_NAME', `unknown backend '${String(backend)}': expected one of ${backendNames.join(', ')}`);
  }
  const shared = sharedMemoryAvailable();
  const want = threads ?? (shared ? await cpuCount() : 1);
  if (backend === 'wasm') return WasmKernels.create({ threads: want });
  try {
    return await WasmKernels.create({ threads: shared ? want : 1 });
  } catch {
    try {
      return await WasmKernels.create({ threads: 1 });
    } catch {
      return new JsKernels();
    }
  }
}
