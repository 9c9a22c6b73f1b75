/**
 * Renders a training history (run.json) or takes a report (run.html) and screenshots it in
 * headless Chromium: desktop, phone width and print media, so a person (or an agent's image
 * viewer) can look at the report. Needs /usr/bin/chromium or CHROMIUM_PATH.
 *
 *   npx tsx scripts/report-screenshot.ts run.json [test-artifacts/run]
 *   → test-artifacts/run.png, test-artifacts/run-phone.png, test-artifacts/run-print.png
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readHistory } from '../src/report/history-file.js';
import { writeReport } from '../src/report/write-report.js';
import { launchChromium } from '../test/report/chromium.js';

const [input, prefixArg] = process.argv.slice(2);
if (!input) {
  console.error('usage: tsx scripts/report-screenshot.ts run.json|run.html [output-prefix]');
  process.exit(2);
}
const prefix = resolve(prefixArg ?? join('test-artifacts', basename(input).replace(/\.(json|html)$/, '')));
mkdirSync(dirname(prefix), { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'nabla-report-shot-'));
let html = resolve(input);
if (input.endsWith('.json')) {
  html = join(work, 'report.html');
  writeReport(html, readHistory(input));
}

const views: { name: string; width: number; print?: boolean }[] = [
  { name: '', width: 1280 },
  { name: '-phone', width: 390 },
  { name: '-print', width: 1024, print: true },
];
const context = await launchChromium(join(work, 'profile'));
try {
  for (const view of views) {
    const page = await context.newPage();
    await page.setViewportSize({ width: view.width, height: 900 });
    page.on('console', (m) => m.type() === 'error' && console.error(`console.error: ${m.text()}`));
    if (view.print) await page.emulateMedia({ media: 'print' });
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('html[data-report-ready]');
    await page.screenshot({ path: `${prefix}${view.name}.png`, fullPage: true });
    console.log(`${prefix}${view.name}.png`);
    await page.close();
  }
} finally {
  await context.close();
  rmSync(work, { recursive: true, force: true });
}
