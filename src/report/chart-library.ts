import { chartJsUmd } from './chart-source.gen.js';

/**
 * The source of Chart.js's UMD build (`chart.js/dist/chart.umd.js`), for inlining into the report:
 * embedded at build time by scripts/build-embedded.mjs, so the report renders without fs (in a
 * browser as in Node) and from `src/` under tsx and `dist/` alike.
 *
 * @example
 * chartJsSource().slice(0, 40); // '/*!\n * Chart.js v4.…'
 */
export function chartJsSource(): string {
  return chartJsUmd;
}
