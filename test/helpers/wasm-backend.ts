import { after } from 'node:test';
import { WasmKernels } from '../../src/kernels/wasm/wasm-kernels.js';

const made: WasmKernels[] = [];
after(() => made.forEach((k) => k.dispose()));

/**
 * A wasm backend of `threads` threads, disposed when the test file ends; on several threads every
 * call is split, however small (minWorkPerThread 1), so the tests' small arrays exercise the shares.
 */
export async function wasmBackend(threads: number, memoryMB = 32): Promise<WasmKernels> {
  const k = await WasmKernels.create({ threads, memoryMB, ...(threads > 1 ? { minWorkPerThread: 1 } : {}) });
  made.push(k);
  return k;
}
