/**
 * The code every pool worker runs, as plain JavaScript source (no imports), so the same text
 * starts a Node worker_threads Worker (`eval: true`) or a browser Web Worker (a Blob URL) with no
 * file to locate and no TypeScript loader. The platform wrapper calls `nablaWorkerMain(data, post)`
 * with the first message: { module, memory, ctrl, tid, names, spin }.
 *
 * Control block (Int32 words at byte offset `ctrl`; pool.ts owns the layout):
 *   [0] SEQ  = (call counter << 8) | T  — one word, so a worker never pairs a new T with an old call
 *   [1] OP   index into `names`;  [2] ARGC;  [3] DONE (workers finished);  [4] EXIT;  [5] ERROR
 *   byte ctrl + 64: ARGC float64 arguments.
 * Worker tid (1..) runs share tid of T when tid < T, then adds 1 to DONE. It spins on SEQ for
 * `spin` milliseconds (calls come back to back during training) and then sleeps in Atomics.wait.
 */
export const workerSource = `
function nablaWorkerMain(data, post) {
  const { module, memory, ctrl, tid, names, spin } = data;
  const instance = new WebAssembly.Instance(module, { env: { memory, abort() {} } });
  const fns = names.map((n) => instance.exports[n]);
  const i32 = new Int32Array(memory.buffer, ctrl, 16);
  const f64 = new Float64Array(memory.buffer, ctrl + 64, 16);
  // Small functions rather than one long loop: V8 optimizes a function called thousands of times
  // quickly, while a hot loop inside a never-returning function waits for on-stack replacement.
  function next(seen) {
    let s = Atomics.load(i32, 0);
    let polls = 0;
    let since = 0;
    while (s === seen) {
      if ((++polls & 1023) === 0) {
        const now = performance.now();
        if (since === 0) since = now;
        else if (now - since > spin) {
          Atomics.wait(i32, 0, seen);
          since = 0;
        }
      }
      s = Atomics.load(i32, 0);
    }
    return s;
  }
  function run(T) {
    const f = fns[i32[1]];
    const a = f64;
    switch (i32[2]) {
      case 4: f(a[0], a[1], a[2], a[3], tid, T); break;
      case 5: f(a[0], a[1], a[2], a[3], a[4], tid, T); break;
      case 6: f(a[0], a[1], a[2], a[3], a[4], a[5], tid, T); break;
      case 7: f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], tid, T); break;
      case 8: f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], tid, T); break;
      case 10: f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], tid, T); break;
      default: {
        const args = Array.from(a.subarray(0, i32[2]));
        args.push(tid, T);
        f.apply(null, args);
      }
    }
  }
  let seen = Atomics.load(i32, 0);
  post('ready');
  for (;;) {
    seen = next(seen);
    if (Atomics.load(i32, 4) !== 0) return;
    const T = seen & 255;
    if (tid >= T) continue;
    try {
      run(T);
    } catch (e) {
      Atomics.store(i32, 5, tid);
    }
    Atomics.add(i32, 3, 1);
  }
}
`;
