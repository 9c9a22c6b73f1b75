import cliProgress from 'cli-progress';
import type { BatchInfo } from '../train/fit.js';
import type { EpochRecord } from '../train/history.js';

/** How a run talks: a progress bar and epoch lines on a terminal, plain lines in pipes and CI, or JSON lines. */
export interface Reporter {
  batch(info: BatchInfo): void;
  epoch(record: EpochRecord, epochs: number): void;
  line(text: string): void;
  json(value: unknown): void;
  close(): void;
}

export function formatEpoch(r: EpochRecord, epochs: number): string {
  const width = String(epochs).length;
  const head = `Epoch ${String(r.epoch).padStart(width)}:`;
  const parts: string[] = [];
  if (r.valCorrect !== undefined && r.valCount !== undefined) parts.push(`${r.valCorrect} / ${r.valCount} correct`);
  else if (r.valMse !== undefined) parts.push(`test MSE ${r.valMse.toPrecision(4)}`);
  parts.push(`cost ${r.trainCost.toFixed(4)}${r.valCost !== undefined ? ` (test ${r.valCost.toFixed(4)})` : ''}`);
  if (r.trainAccuracy !== undefined) parts.push(`train acc ${(100 * r.trainAccuracy).toFixed(1)}%`);
  if (r.trainMse !== undefined && r.valMse === undefined) parts.push(`MSE ${r.trainMse.toPrecision(4)}`);
  parts.push(r.seconds < 1 ? `${Math.max(1, Math.round(r.seconds * 1000))} ms` : `${r.seconds.toFixed(2)} s`);
  return `${head} ${parts.join(', ')}`;
}

/**
 * Whether an epoch gets its own line: every one of a run of at most 50 epochs; in longer runs
 * (trained until converged, the budget is hundreds of epochs) epochs 1–10, then every 10th to 100,
 * every 100th to 1,000 and so on, and the last (printed by `close`).
 */
export function epochShown(epoch: number, epochs: number): boolean {
  if (epochs <= 50 || epoch <= 10) return true;
  return epoch % 10 ** Math.floor(Math.log10(epoch)) === 0;
}

/** The reporter for this process's stdout: `--json`, terminal, or plain. */
export function makeReporter(json: boolean, out: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Reporter {
  if (json) {
    return {
      batch() {},
      epoch(record) {
        out.write(`${JSON.stringify({ type: 'epoch', ...record })}\n`);
      },
      line() {},
      json(value) {
        out.write(`${JSON.stringify(value)}\n`);
      },
      close() {},
    };
  }
  const tty = Boolean(err.isTTY) && process.env.CI === undefined;
  let bar: cliProgress.SingleBar | null = null;
  let barEpoch = 0;
  // The bar shows the epoch's running mean cost: single batch costs jump too much to read.
  let costSum = 0;
  let rows = 0;
  let unshown: string | null = null;
  return {
    batch(info) {
      if (!tty) return;
      if (!bar || barEpoch !== info.epoch) {
        bar?.stop();
        bar = new cliProgress.SingleBar(
          { stream: err, format: `epoch ${info.epoch} |{bar}| {value}/{total} batches | cost {cost} | {eta_formatted}`, clearOnComplete: true, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(info.batches, 0, { cost: '…' });
        barEpoch = info.epoch;
        costSum = 0;
        rows = 0;
      }
      costSum += info.cost * info.rows;
      rows += info.rows;
      bar.update(info.batch + 1, { cost: (costSum / rows).toFixed(4) });
    },
    epoch(record, epochs) {
      bar?.stop();
      bar = null;
      const line = formatEpoch(record, epochs);
      unshown = epochShown(record.epoch, epochs) ? null : line;
      if (unshown === null) out.write(`${line}\n`);
    },
    line(text) {
      out.write(`${text}\n`);
    },
    json() {},
    close() {
      bar?.stop();
      bar = null;
      if (unshown !== null) out.write(`${unshown}\n`);
      unshown = null;
    },
  };
}
