/**
 * The wasm SIMD ceiling of this machine: a multiply-add microkernel (a 4 × 8 register tile,
 * 8 independent f32x4 accumulators, acc ← acc + x · y with x broadcast and y loaded
 * from L1, 64 flops an iteration, no other memory traffic) run on every core at
 * once, each in its own worker. Its GFLOP/s, summed over the cores, is what a kernel of that shape
 * could reach (not the machine's last word: a 6 × 8 tile, twelve accumulators, measured about 10%
 * more on one core here); the table prints each configuration's GFLOP/s beside it. Measured with the
 * instruction the kernels use: relaxed SIMD's fused multiply-add when they use it (about 13% more
 * than a multiply then an add on the Xeons seen here), else the plain pair.
 */
import { Worker } from 'node:worker_threads';

const source = (fma: boolean): string => `
@inline function madd(a: v128, b: v128, c: v128): v128 {
  return ${fma ? 'f32x4.relaxed_madd(a, b, c)' : 'f32x4.add(c, f32x4.mul(a, b))'};
}
export function multiplyAdd(iterations: i32, seed: f32): f32 {
  const b = memory.data(512);
  for (let q = 0; q < 128; q++) store<f32>(b + (<usize>q << 2), seed + <f32>q * 1e-3);
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
  for (let i = 0; i < iterations; i++) {
    const o = b + (<usize>(i & 7) << 5);
    const y0 = v128.load(o), y1 = v128.load(o, 16);
    const x0 = v128.load32_splat(o, 256), x1 = v128.load32_splat(o, 260), x2 = v128.load32_splat(o, 264), x3 = v128.load32_splat(o, 268);
    a0 = madd(x0, y0, a0); a1 = madd(x0, y1, a1);
    a2 = madd(x1, y0, a2); a3 = madd(x1, y1, a3);
    a4 = madd(x2, y0, a4); a5 = madd(x2, y1, a5);
    a6 = madd(x3, y0, a6); a7 = madd(x3, y1, a7);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 3);
}
`;

/** Flops of one iteration of multiplyAdd: 8 accumulators × 4 lanes × (1 multiply + 1 add). */
const FLOPS_PER_ITERATION = 64;

const workerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const { instance } = { instance: new WebAssembly.Instance(new WebAssembly.Module(workerData.binary), {}) };
const f = instance.exports.multiplyAdd;
f(100000, 1); // compile and warm up
parentPort.once('message', (seconds) => {
  let iterations = 0, sink = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) { sink += f(1000000, 1); iterations += 1000000; }
  parentPort.postMessage({ flops: iterations * ${FLOPS_PER_ITERATION}, seconds: (performance.now() - t0) / 1000, sink });
});
parentPort.postMessage('ready');
`;

/** The microkernel's binary; the compiler is imported only here (binaryen alone takes about 1 GB of resident memory). */
async function compile(fma: boolean): Promise<Uint8Array> {
  const { default: asc } = await import('assemblyscript/asc');
  const enable = fma ? ['simd', 'relaxed-simd'] : ['simd'];
  const { binary, error, stderr } = await asc.compileString(source(fma), { optimizeLevel: 3, runtime: 'stub', enable, noAssert: true });
  if (error || !binary) throw new Error(`bench ceiling: asc failed: ${error?.message ?? ''} ${stderr.toString()}`);
  return binary;
}

/**
 * GFLOP/s of the multiply-add microkernel (fused when `fma`) on `threads` workers running together
 * for `seconds`: the best of `repeats` tries (the machine may be shared), the sum over the workers.
 */
export async function simdCeiling(threads: number, fma: boolean, seconds = 0.5, repeats = 3): Promise<number> {
  const binary = await compile(fma);
  let best = 0;
  for (let r = 0; r < repeats; r++) {
    const workers = Array.from({ length: threads }, () => new Worker(workerCode, { eval: true, workerData: { binary } }));
    try {
      await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
      const results = await Promise.all(
        workers.map(
          (w) =>
            new Promise<{ flops: number; seconds: number }>((resolve, reject) => {
              w.once('message', resolve);
              w.once('error', reject);
              w.postMessage(seconds);
            }),
        ),
      );
      best = Math.max(best, results.reduce((s, x) => s + x.flops / x.seconds, 0) / 1e9);
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }
  return best;
}
