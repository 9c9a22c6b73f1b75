/**
 * Resolves on the event loop's next turn, without the ≥ 4 ms clamping of nested `setTimeout`s:
 * by `setImmediate` in Node (timers, I/O and signal handlers run first), by a `MessageChannel`
 * message in browsers and workers, and by `setTimeout(0)` where there is neither.
 *
 * @example
 * await yieldToEventLoop(); // lets a page paint, or a pause button's click arrive
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}

const schedule: (run: () => void) => void = pickScheduler();

function pickScheduler(): (run: () => void) => void {
  if (typeof setImmediate === 'function') return (run) => setImmediate(run);
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return (run) => {
      waiting.push(run);
      channel.port2.postMessage(null);
    };
  }
  return (run) => setTimeout(run, 0);
}
