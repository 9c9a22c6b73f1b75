import * as path from 'node:path';
import { NablaError } from '../errors.js';
import { exists } from '../io/files.js';
import { TRAIN_DEFAULTS } from '../train/defaults.js';
import type { TrainFlags } from './train.js';

/** Flags that may differ when a run is resumed: where files go, how it is shown, how long it runs, how many threads (not the result). */
const FREE_ON_RESUME: ReadonlySet<string> = new Set(['epochs', 'out', 'report', 'history', 'checkpoint', 'checkpointEvery', 'json', 'threads', 'resume', 'init']);
const PATH_FLAGS = ['out', 'report', 'history', 'checkpoint', 'init'] as const;

/**
 * The flags a checkpoint stores to resume from: every setting of the run, with file paths made
 * absolute (data and test only when they name a file or folder, not an embedded data set).
 */
export function settingsToSave(flags: TrainFlags): Record<string, unknown> {
  const saved: Record<string, unknown> = { ...flags };
  delete saved.resume;
  for (const key of ['data', 'test'] as const) if (flags[key] !== undefined && exists(flags[key])) saved[key] = path.resolve(flags[key]);
  for (const key of PATH_FLAGS) if (typeof flags[key] === 'string') saved[key] = path.resolve(flags[key]);
  return saved;
}

/**
 * The flags of a resumed run: the checkpoint's saved settings, with the flags given on this
 * command line on top. A given flag that would change the result (anything but the epochs, the
 * output files, --json and --threads) must equal the saved one, else NablaError('RESUME') names it.
 */
export function resumedFlags(given: TrainFlags, explicit: ReadonlySet<string>, saved: Record<string, unknown>, file: string): TrainFlags {
  const merged: Record<string, unknown> = { ...saved };
  // Compared as the checkpoint stored them (paths absolute), a default left out equal to the default given.
  const normalised = settingsToSave(given);
  const defaults: Record<string, unknown> = { split: TRAIN_DEFAULTS.split };
  for (const key of explicit) {
    const value = (given as unknown as Record<string, unknown>)[key];
    const before = saved[key] ?? defaults[key];
    if (!FREE_ON_RESUME.has(key) && JSON.stringify(normalised[key]) !== JSON.stringify(before)) {
      throw new NablaError(
        'RESUME',
        `--resume ${file}: ${flagText(key, value)} differs from the run's ${before === undefined ? 'default' : flagText(key, before)}; a resumed run keeps the settings it started with (only --epochs and the output files may change)`,
      );
    }
    merged[key] = value;
  }
  merged.resume = given.resume;
  return merged as unknown as TrainFlags;
}

function flagText(key: string, value: unknown): string {
  const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (value === false) return `--no-${flag.slice(2)}`;
  if (value === true) return flag;
  return `${flag} ${Array.isArray(value) ? value.join('/') : String(value)}`;
}
