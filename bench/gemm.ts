/**
 * GEMM micro-benchmark: GFLOP/s of the wasm backend's three fused products at the shapes of C1
 * and C3 (and C2), per thread count. 2·m·n·k flops per product.
 */
import { WasmKernels } from '../src/kernels/wasm/wasm-kernels.js';
import { activation } from '../src/nn/activations.js';

export interface GemmRow {
  config: string;
  op: string;
  shape: string;
  threads: number;
  gflops: number;
}

type Op = 'NT' | 'TN' | 'NN';
/** [config, op, m, n, k] in the layer's terms: NT Z = X·Wᵀ (m×n×k); TN ∂W = Δᵀ·X; NN Δ·W. */
export const gemmCases: [string, Op, number, number, number][] = [
  ['C1', 'NT', 64, 100, 784],
  ['C1', 'TN', 100, 784, 64],
  ['C1', 'NN', 64, 100, 10],
  ['C2', 'NT', 10, 30, 784],
  ['C2', 'TN', 30, 784, 10],
  ['C3', 'NT', 128, 512, 784],
  ['C3', 'NT', 128, 512, 512],
  ['C3', 'TN', 512, 784, 128],
  ['C3', 'TN', 512, 512, 128],
  ['C3', 'NN', 128, 512, 512],
];

function fill(a: Float32Array, s: number): void {
  for (let i = 0; i < a.length; i++) a[i] = (((i * 2654435761) >>> 0) / 2 ** 32 - 0.5) * s;
}

/** Runs every case on a backend with `threads` threads, ~`seconds` each (fused multiply-add where the engine has it, unless `fma` is false). */
export async function gemmBench(threadCounts: number[], seconds = 0.3, fma = true): Promise<GemmRow[]> {
  const rows: GemmRow[] = [];
  const relu = activation('relu');
  for (const threads of threadCounts) {
    const k = await WasmKernels.create({ threads, fma });
    for (const [config, op, m, n, kk] of gemmCases) {
      const a = k.alloc(Math.max(m * kk, kk * m));
      const b = k.alloc(Math.max(n * kk, kk * n));
      const c = k.alloc(m * n);
      const c2 = k.alloc(m * n);
      const bias = k.alloc(n);
      [a, b, bias].forEach((x) => fill(x, 1));
      const run = (): void => {
        if (op === 'NT') k.denseForward(m, n, kk, a, b, bias, c, c2, relu);
        else if (op === 'TN') k.denseBackwardParams(kk, m, n, a, b, c, bias);
        else k.denseBackwardInput(m, kk, n, a, b, c, c2, relu, c);
      };
      for (let i = 0; i < 5; i++) run();
      let reps = 0;
      const t0 = performance.now();
      let t = t0;
      while (t - t0 < seconds * 1000) {
        for (let i = 0; i < 10; i++) run();
        reps += 10;
        t = performance.now();
      }
      rows.push({ config, op, shape: `${m}×${n}×${kk}`, threads, gflops: (2 * m * n * kk * reps) / ((t - t0) / 1000) / 1e9 });
    }
    k.dispose();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const threads = process.argv.slice(2).map(Number).filter((x) => x > 0);
  const rows = await gemmBench(threads.length ? threads : [1, 2]);
  for (const r of rows) console.log(`${r.config} ${r.op} ${r.shape.padEnd(14)} threads ${r.threads}  ${r.gflops.toFixed(1)} GFLOP/s`);
}
