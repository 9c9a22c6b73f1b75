import { NablaError } from '../../errors.js';
import { decodeBase64 } from '../../io/base64.js';
import { platform } from '#platform';
import { sharedRelaxedWasm, sharedWasm, singleRelaxedWasm, singleWasm } from './binary.gen.js';

/** The exports of assembly/nabla.ts (one file per kernel family behind it); pointers are byte offsets into the imported memory, (t, T) the thread share. */
export interface WasmExports {
  heapBase(): number;
  scratchBytes(): number;
  gemmNT(m: number, n: number, k: number, a: number, b: number, c: number, bias: number, act: number, alpha: number, out: number, ar: number, t: number, T: number): void;
  gemmTN(m: number, n: number, k: number, a: number, b: number, c: number, db: number, scratch: number, sq: number, br: number, t: number, T: number): void;
  tnMeasuresRows(m: number, n: number, T: number): number;
  rowSquares(m: number, n: number, c: number, out: number, t: number, T: number): void;
  gemmNN(m: number, n: number, k: number, a: number, b: number, c: number, act: number, alpha: number, z: number, aPrev: number, t: number, T: number): void;
  colSums(m: number, n: number, a: number, out: number, t: number, T: number): void;
  activate(code: number, alpha: number, n: number, z: number, a: number, t: number, T: number): void;
  activateGrad(code: number, alpha: number, n: number, z: number, a: number, d: number, t: number, T: number): void;
  sgdUpdate(n: number, p: number, g: number, lr: number, gran: number, t: number, T: number): void;
  sgdUpdateRows(n: number, p: number, g: number, lr: number, k: number, sq: number, gran: number, t: number, T: number): void;
  momentumUpdate(n: number, p: number, g: number, buf: number, lr: number, momentum: number, dampening: number, nesterov: number, first: number, gran: number, t: number, T: number): void;
  adagradUpdate(n: number, p: number, g: number, sum: number, clr: number, eps: number, gran: number, t: number, T: number): void;
  rmspropUpdate(n: number, p: number, g: number, v: number, gAvg: number, buf: number, lr: number, alpha: number, eps: number, momentum: number, gran: number, t: number, T: number): void;
  adamUpdate(
    n: number, p: number, g: number, m: number, v: number, vmax: number,
    stepSize: number, sqrtCorrection2: number, beta1: number, beta2: number, eps: number, shrink: number, gran: number, t: number, T: number,
  ): void;
  addScaled(n: number, y: number, x: number, a: number, gran: number, t: number, T: number): void;
  clampValues(n: number, g: number, v: number, gran: number, t: number, T: number): void;
  scaleValues(n: number, g: number, c: number, gran: number, t: number, T: number): void;
  sumSquares(n: number, a: number): number;
  weightSquares(m: number, n: number, c: number): number;
  maxAbs(n: number, a: number): number;
  scaleU8(rows: number, cols: number, src: number, shift: number, scale: number, out: number, rep: number, t: number, T: number): void;
  scaleU8Uniform(rows: number, cols: number, src: number, k: number, out: number, rep: number, t: number, T: number): void;
  softmaxRows(m: number, n: number, z: number, a: number, t: number, T: number): void;
  dropoutMask(n: number, a: number, mask: number, out: number, p: number, keep: number, state: number): void;
  maskMultiply(n: number, d: number, mask: number): void;
}

/** Export names in dispatch order: the worker pool sends the index, not the name. */
export const opNames = ['gemmNT', 'gemmTN', 'gemmNN', 'colSums', 'activate', 'activateGrad', 'sgdUpdate', 'sgdUpdateRows', 'momentumUpdate', 'adagradUpdate', 'rmspropUpdate', 'adamUpdate', 'addScaled', 'clampValues', 'scaleValues', 'scaleU8', 'scaleU8Uniform'] as const satisfies readonly (keyof WasmExports)[];
export type OpName = (typeof opNames)[number];

const compiled = new Map<string, Promise<WebAssembly.Module>>();
let relaxed: boolean | undefined;

/**
 * Whether this engine runs relaxed SIMD (the fused multiply-add kernels): on in Chrome and Edge 114+,
 * Firefox 146+ and Node 21+ (not Safari); Node 20 has it behind a V8 flag, which the Node platform turns on
 * (`platform.enableRelaxedSimd`). Checked once, by validating the kernels built with it.
 */
export function relaxedSimdAvailable(): boolean {
  if (relaxed === undefined) {
    if (typeof WebAssembly === 'undefined' || typeof WebAssembly.validate !== 'function') return (relaxed = false);
    const bytes = decodeBase64(singleRelaxedWasm);
    relaxed = WebAssembly.validate(bytes);
    if (!relaxed && platform.enableRelaxedSimd()) relaxed = WebAssembly.validate(bytes);
  }
  return relaxed;
}

/** The compiled kernels for a shared (threads) or plain memory, with or without relaxed SIMD, compiled once per process. */
export function kernelModule(shared: boolean, fma: boolean): Promise<WebAssembly.Module> {
  const key = `${shared ? 'shared' : 'single'}${fma ? ' relaxed' : ''}`;
  let module = compiled.get(key);
  if (module) return module;
  module = (async () => {
    if (typeof WebAssembly === 'undefined' || typeof WebAssembly.validate !== 'function') {
      throw new NablaError('BACKEND', 'wasm backend: WebAssembly is not available in this environment');
    }
    const bytes = decodeBase64(fma ? (shared ? sharedRelaxedWasm : singleRelaxedWasm) : shared ? sharedWasm : singleWasm);
    if (!WebAssembly.validate(bytes)) {
      throw new NablaError('BACKEND', `wasm backend: this engine rejects the ${key}-memory kernels (it needs WebAssembly SIMD${shared ? ' and threads' : ''}${fma ? ' and relaxed SIMD' : ''})`);
    }
    try {
      return await WebAssembly.compile(bytes);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new NablaError(
        'BACKEND',
        /unsafe-eval|content security policy|\bCSP\b/i.test(why) // Chromium, Safari; Firefox says "blocked by CSP"
          ? "wasm backend: the page's content security policy blocks WebAssembly (script-src needs 'wasm-unsafe-eval')"
          : `wasm backend: cannot compile the kernels (${why})`,
      );
    }
  })();
  compiled.set(key, module);
  return module;
}

/** Instantiates the kernels on `memory` (imported as env.memory). */
export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): WasmExports {
  const instance = new WebAssembly.Instance(module, { env: { memory, abort: () => {} } });
  return instance.exports as unknown as WasmExports;
}
