/**
 * The code every pool worker runs, as plain JavaScript source (no imports), so the same text
 * starts a Node worker_threads Worker (`eval: true`) or a browser Web Worker (a Blob URL) with no
 * file to locate and no TypeScript loader. The platform wrapper calls `nablaWorkerMain(data, post)`
 * with the first message: { module, memory, ctrl, tid, names, spin }.
 *
 * Control block (Int32 words at byte offset `ctrl`; pool.ts owns the layout and the protocol):
 *   [0] SEQ changes with every call (wait/notify word);  [1] OP index into `names`;  [2] ARGC;
 *   [3] DONE shares finished by workers;  [4] EXIT;  [5] ERROR;  [6] CALL number K;  [7] T;
 *   [8] SLEEPING workers (the caller notifies only when some are);  [9] the caller sleeps on DONE;
 *   byte 64: ARGC float64 arguments;  word 48 + t: the last call whose share t was claimed.
 * Worker tid claims share tid of call K by compare-and-swap of K into its claim word, runs it and
 * adds 1 to DONE (which only grows); if the caller got there first (we were slow), it does
 * nothing. Between calls it polls SEQ for `spin` milliseconds (a training step's calls come
 * microseconds apart, and waking a sleeping thread costs tens of them), then sleeps until notified.
 */
export const workerSource = `
function nablaWorkerMain(data, post) {
  const { module, memory, ctrl, tid, names, spin } = data;
  const POLLS = 4096; // polls between two looks at the clock
  const instance = new WebAssembly.Instance(module, { env: { memory, abort() {} } });
  const fns = names.map((n) => instance.exports[n]);
  const i32 = new Int32Array(memory.buffer, ctrl, 48 + 256);
  const f64 = new Float64Array(memory.buffer, ctrl + 64, 16);
  // Small functions rather than one long loop: V8 optimizes a function called thousands of times
  // quickly, while a hot loop inside a never-returning function waits for on-stack replacement.
  // Waiting for the next call: poll for spin ms (the calls of a training step, and the steps, come
  // microseconds apart), then sleep until notified (an idle pool gives the cores back).
  function next(seen) {
    let s = Atomics.load(i32, 0);
    if (s !== seen) return s;
    const since = performance.now();
    for (;;) {
      for (let polls = 0; polls < POLLS && s === seen; polls++) s = Atomics.load(i32, 0);
      if (s !== seen || performance.now() - since >= spin) break;
    }
    // Idle for spin ms: sleep until notified. SLEEPING is set before SEQ is read again, and the
    // caller stores SEQ before it reads SLEEPING, so one of us sees the other (no lost wake-up).
    while (s === seen) {
      Atomics.add(i32, 8, 1);
      Atomics.wait(i32, 0, seen);
      Atomics.sub(i32, 8, 1);
      s = Atomics.load(i32, 0);
    }
    return s;
  }
  function claim(K) {
    let v = Atomics.load(i32, 48 + tid);
    while (v < K) {
      const old = Atomics.compareExchange(i32, 48 + tid, v, K);
      if (old === v) return true;
      v = old;
    }
    return false;
  }
  // Every kernel's argument count has its case: the generic path below builds an array on each
  // call, which costs a worker close to a microsecond before its share starts (a 2-thread call of
  // C2's forward product: 7.0 µs through it, 6.2 µs through a case).
  function run(T) {
    const f = fns[i32[1]];
    const a = f64;
    switch (i32[2]) {
      case 4: f(a[0], a[1], a[2], a[3], tid, T); break;
      case 5: f(a[0], a[1], a[2], a[3], a[4], tid, T); break;
      case 6: f(a[0], a[1], a[2], a[3], a[4], a[5], tid, T); break;
      case 7: f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], tid, T); break;
      case 8: f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], tid, T); break;
      case 9: f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], tid, T); break;
      case 10: f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], tid, T); break;
      case 11: f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], tid, T); break;
      case 12: f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], tid, T); break;
      case 13: f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], tid, T); break;
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
    if (tid >= (seen & 255)) continue;
    // Claimed: the call is ours to finish, so OP, the arguments and T stay those of call K until we add to DONE.
    if (!claim(Atomics.load(i32, 6))) continue;
    try {
      run(i32[7]);
    } catch (e) {
      Atomics.store(i32, 5, tid);
    }
    Atomics.add(i32, 3, 1);
    if (Atomics.load(i32, 9) !== 0) Atomics.notify(i32, 3); // only a sleeping caller needs the system call
  }
}
`;
