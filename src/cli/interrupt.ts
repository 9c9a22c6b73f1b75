/** What `onInterrupt` hands back: the signal `fit` watches, and a way to stop listening. */
export interface Interruption {
  readonly signal: AbortSignal;
  /** The name of the first signal received ('SIGINT' or 'SIGTERM'), once one has arrived. */
  readonly received: string | null;
  dispose(): void;
}

/**
 * Ctrl-C, the polite way: the first SIGINT or SIGTERM aborts `signal` (training stops after the
 * current step and the run's files are written), and `notice` says so; a second one exits at once
 * with status 130. Writes are atomic, so exiting mid-write leaves every file whole.
 *
 * @example
 * const stop = onInterrupt((sig) => process.stderr.write(`${sig}: stopping after this step\n`));
 * await fit(net, data, { epochs, signal: stop.signal, yieldEveryMs: 100 });
 */
export function onInterrupt(notice: (signal: string) => void): Interruption {
  const controller = new AbortController();
  let received: string | null = null;
  const handler = (signal: NodeJS.Signals): void => {
    if (received !== null) process.exit(130);
    received = signal;
    controller.abort();
    notice(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
