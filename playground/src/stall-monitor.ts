/**
 * Measures how long the main thread is kept from its event loop: the Long Tasks the browser
 * reports (every task over 50 ms, with its duration), and, as a second opinion, the largest gap
 * between beats of a 10 ms timer (which also counts time the OS gave the CPU to another process).
 */
export interface StallWatch {
  /** The longest Long Task since the last reset, in ms (0: none over 50 ms). */
  longestTask(): number;
  /** The largest timer gap beyond its period since the last reset, in ms. */
  longestGap(): number;
  /** Starts measuring afresh (e.g. when a run starts). */
  reset(): void;
}

export function watchMainThread(onChange: (longestTaskMs: number) => void): StallWatch {
  let longestTask = 0;
  let longestGap = 0;
  let since = 0;
  if (typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.startTime >= since && entry.duration > longestTask) {
          longestTask = entry.duration;
          onChange(longestTask);
        }
      }
    }).observe({ type: 'longtask' });
  }
  const period = 10;
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (document.visibilityState === 'visible') longestGap = Math.max(longestGap, now - last - period);
    last = now;
  }, period);
  return {
    longestTask: () => longestTask,
    longestGap: () => longestGap,
    reset: () => {
      longestTask = 0;
      longestGap = 0;
      since = last = performance.now();
      onChange(0);
    },
  };
}
