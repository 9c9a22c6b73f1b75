import { platform } from '#platform';
import { NablaError } from '../errors.js';
import { JsKernels } from './js.js';
import type { Kernels, KernelsBase } from './kernels.js';
import { ReferenceKernels } from './reference.js';
import { WasmKernels } from './wasm/wasm-kernels.js';

/** The kernel backends a user can force (`--backend`). */
export type BackendName = 'js' | 'wasm' | 'reference';
export const backendNames: readonly BackendName[] = ['wasm', 'js', 'reference'];

export interface SelectKernelsOptions {
  /** Force one backend; by default the fastest that works here. */
  backend?: BackendName;
  /** Force the wasm backend's thread count; by default every core where threads can run, else 1 (and `reason` says why). */
  threads?: number;
  /**
   * The wasm backend's fused multiply-add (relaxed SIMD) where the engine has it (default true);
   * false for the plain kernels, whose results are the same bits on every machine.
   */
  fma?: boolean;
}

/**
 * Logical CPUs: os.availableParallelism() in Node, navigator.hardwareConcurrency in a browser.
 *
 * @example
 * cpuCount(); // 2 on a two-core machine
 */
export function cpuCount(): number {
  return platform.cpuCount();
}

/** The reason in a backend's error, without the 'wasm backend: N threads cannot start:' prefix. */
function reasonOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/^wasm backend: (\d+ threads cannot start: )?/, '');
}

function withReason(kernels: KernelsBase, reason: string | undefined): Kernels {
  if (reason !== undefined) kernels.reason = reason;
  return kernels;
}

/**
 * Picks the backend, once per run: wasm on every core where threads can run, wasm on one thread
 * otherwise, the pure-TypeScript kernels as the last resort; whenever it falls back, the returned
 * kernels' `reason` says why. A forced backend or thread count that cannot start is an error.
 *
 * @example
 * const kernels = await selectKernels(); // in a page without cross-origin isolation:
 * describeKernels(kernels); // 'wasm × 1 thread (the page is not cross-origin isolated (serve it with …))'
 */
export async function selectKernels(options: SelectKernelsOptions = {}): Promise<Kernels> {
  const { backend, threads, fma } = options;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new NablaError('ARGUMENT', `threads = ${threads}: expected an integer ≥ 1`);
  }
  if (backend === 'js' || backend === 'reference') {
    if (threads !== undefined && threads > 1) {
      throw new NablaError('ARGUMENT', `threads = ${threads} cannot take effect: only the wasm backend runs on threads; the ${backend} backend runs on one thread, the calling one`);
    }
    return backend === 'js' ? new JsKernels() : new ReferenceKernels();
  }
  if (backend !== undefined && backend !== 'wasm') {
    throw new NablaError('UNKNOWN_NAME', `unknown backend '${String(backend)}': expected one of ${backendNames.join(', ')}`);
  }
  if (threads !== undefined) return WasmKernels.create({ threads, fma });
  let reason = platform.threadsUnavailable() ?? undefined;
  const cores = platform.cpuCount();
  if (reason === undefined && cores > 1) {
    try {
      return await WasmKernels.create({ threads: cores, fma });
    } catch (e) {
      reason = reasonOf(e);
    }
  }
  if (backend === 'wasm') return withReason(await WasmKernels.create({ threads: 1, fma }), reason);
  try {
    return withReason(await WasmKernels.create({ threads: 1, fma }), reason);
  } catch (e) {
    return withReason(new JsKernels(), reasonOf(e));
  }
}

/**
 * The backend, its threads and the reason for any fallback, in words, as the CLI's run line shows them.
 *
 * @example
 * describeKernels(await selectKernels({ threads: 2 })); // 'wasm × 2 threads'
 */
export function describeKernels(kernels: Kernels): string {
  const threads = kernels.name === 'wasm' ? ` × ${kernels.threads} thread${kernels.threads === 1 ? '' : 's'}` : '';
  return `${kernels.name}${threads}${kernels.reason ? ` (${kernels.reason})` : ''}`;
}
