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
  const args = [];
  let seen = Atomics.load(i32, 0);
  post('ready');
  for (;;) {
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
    seen = s;
    if (Atomics.load(i32, 4) !== 0) return;
    const T = s & 255;
    if (tid >= T) continue;
    const argc = i32[2];
    args.length = argc + 2;
    for (let i = 0; i < argc; i++) args[i] = f64[i];
    args[argc] = tid;
    args[argc + 1] = T;
    try {
      fns[i32[1]].apply(null, args);
    } catch (e) {
      Atomics.store(i32, 5, tid);
    }
    Atomics.add(i32, 3, 1);
  }
}
`;
