import type { History } from '../train/history.js';
import { writeFileAtomic } from '../io/files.js';
import { renderReport } from './render.js';

/**
 * Renders the HTML report of `history` and writes it to `path` atomically (temporary file, then
 * rename). The file is self-contained: it can be mailed, archived or opened offline.
 *
 * @throws NablaError('FILE') when `path` cannot be written.
 * @example
 * writeReport('run.html', await fit(net, train, { epochs: 10 }));
 */
export function writeReport(path: string, history: History): void {
  writeFileAtomic(path, new TextEncoder().encode(renderReport(history)));
}
