/**
 * `npm run compare`: Nabla's defaults against scikit-learn's MLPClassifier defaults on the same five
 * stratified 80/20 splits of digits, breast-cancer and iris (issue 15). The splits are made and
 * written by scripts/compare_sklearn.py with Debian's python3-sklearn; each is then trained by
 * `nabla train --data TRAIN --test TEST --seed S` with no other flag. Not a test: it prints a table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

interface SklearnRow {
  data: string;
  seed: number;
  train: string;
  test: string;
  accuracy: number;
  seconds: number;
  epochs: number;
}

interface Summary {
  type: 'summary';
  stopMessage?: string;
  epochs: number;
  seconds: number;
  test: { accuracy: number } | null;
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const python = process.env.PYTHON ?? '/usr/bin/python3';

function fail(message: string): never {
  console.error(`compare: ${message}`);
  process.exit(1);
}

const probe = spawnSync(python, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
if (probe.status !== 0) fail(`${python} cannot import scikit-learn (apt-get install python3-sklearn, or set PYTHON)`);
const sklearnVersion = probe.stdout.trim();

const dir = mkdtempSync(path.join(tmpdir(), 'nabla-compare-'));
try {
  console.log(`Splits and scikit-learn ${sklearnVersion} MLPClassifier() runs (in ${dir}) ...`);
  const py = spawnSync(python, [path.join(root, 'scripts', 'compare_sklearn.py'), path.join(root, 'data'), dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (py.status !== 0) fail(`compare_sklearn.py failed:\n${py.stderr}`);
  const rows = py.stdout.trim().split('\n').map((line) => JSON.parse(line) as SklearnRow);

  const results = new Map<string, { nabla: number[]; sk: number[]; nablaSeconds: number; skSeconds: number; nablaEpochs: number[]; skEpochs: number[] }>();
  for (const row of rows) {
    const args = ['--import', 'tsx', path.join(root, 'src', 'cli', 'run.ts'), 'train', '--data', row.train, '--test', row.test, '--seed', String(row.seed), '--json', '--no-report'];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root, maxBuffer: 1 << 26 });
    if (run.status !== 0) fail(`nabla train on ${row.train} failed:\n${run.stderr}`);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Summary;
    if (!summary.test) fail(`nabla train on ${row.train} reported no test accuracy`);
    const r = results.get(row.data) ?? { nabla: [], sk: [], nablaSeconds: 0, skSeconds: 0, nablaEpochs: [], skEpochs: [] };
    r.nabla.push(summary.test.accuracy);
    r.sk.push(row.accuracy);
    r.nablaSeconds += summary.seconds;
    r.skSeconds += row.seconds;
    r.nablaEpochs.push(summary.epochs);
    r.skEpochs.push(row.epochs);
    results.set(row.data, r);
    console.log(`  ${row.data} seed ${row.seed}: nabla ${summary.test.accuracy.toFixed(4)} (${summary.epochs} epochs${summary.stopMessage ? `; ${summary.stopMessage}` : ''}), scikit-learn ${row.accuracy.toFixed(4)} (${row.epochs} epochs)`);
  }

  const cell = (xs: number[]): string => `${mean(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)})`;
  console.log('\nMean test accuracy over seeds 1–5, stratified 80/20 splits, no flags but --data/--test/--seed; time to train all five:\n');
  console.log('| data | Nabla defaults | scikit-learn defaults | Nabla time | scikit-learn time | Nabla epochs | scikit-learn epochs |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  let allAtLeast = true;
  for (const [name, r] of results) {
    if (mean(r.nabla) < mean(r.sk)) allAtLeast = false;
    console.log(`| ${name} | ${cell(r.nabla)} | ${cell(r.sk)} | ${r.nablaSeconds.toFixed(1)} s | ${r.skSeconds.toFixed(1)} s | ${r.nablaEpochs.join(', ')} | ${r.skEpochs.join(', ')} |`);
  }
  console.log(`\nNabla's mean ${allAtLeast ? 'is at least' : 'is not at least'} scikit-learn's on every data set.`);
  process.exitCode = allAtLeast ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
