import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NablaError } from '../errors.js';

let cached: string | undefined;

/**
 * The source of Chart.js's UMD build (`chart.js/dist/chart.umd.js`), read once from the installed
 * package, for inlining into the report. Resolved through Node's module resolution from this file,
 * so it works from `src/` under tsx and from `dist/` alike. The package's `exports` map does not
 * expose `dist/chart.umd.js` itself, so the main entry is resolved and the UMD file is taken beside it.
 */
export function chartJsSource(): string {
  if (cached !== undefined) return cached;
  let path = '(unresolved)';
  try {
    const main = createRequire(import.meta.url).resolve('chart.js');
    path = join(dirname(main), 'chart.umd.js');
    cached = readFileSync(path, 'utf8');
  } catch (e) {
    throw new NablaError(
      'FILE',
      `cannot read Chart.js's UMD build at ${path} for the HTML report (${(e as Error).message}); is the 'chart.js' package installed?`,
    );
  }
  return cached;
}
