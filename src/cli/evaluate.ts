import { readModelFile } from '../io/model-file.js';
import { networkFromRecord } from '../io/network-record.js';
import { identityScaling } from '../data/scaling.js';
import { evaluate } from '../train/metrics.js';
import { scaled } from '../train/plan.js';
import { loadSplits } from './data.js';
import { NablaError } from '../errors.js';

export interface EvalFlags {
  model: string;
  data: string;
  split?: number;
  seed: number;
  shuffle: boolean;
  label?: string;
  json: boolean;
}

/** `nabla eval`: cost, accuracy, per-class accuracy and the confusion matrix of a saved model on a data set's test part. */
export function evalCommand(flags: EvalFlags): void {
  const record = readModelFile(flags.model);
  const net = networkFromRecord(record);
  const { train, test, testSource } = loadSplits(flags, record.classNames);
  const raw = test ?? train;
  const source = test ? testSource : `all of ${flags.data}`;
  const data = scaled(raw, record.scaling ?? identityScaling(record.sizes[0]!), 'data');
  if (data.outputSize !== net.sizes[net.sizes.length - 1]) {
    throw new NablaError('SHAPE', `${flags.data} has ${data.outputSize} targets per sample, the model ${flags.model} (${net.architecture}) has ${net.sizes[net.sizes.length - 1]} outputs`);
  }
  const e = evaluate(net, data);
  const names = record.classNames ?? data.classNames ?? (e.confusion ? e.confusion.map((_, i) => String(i)) : []);
  const perClass = e.confusion?.map((row, k) => {
    const n = row.reduce((s, v) => s + v, 0);
    return { class: names[k] ?? String(k), count: n, accuracy: n ? row[k]! / n : null };
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ model: flags.model, data: source, count: e.count, cost: e.cost, accuracy: e.accuracy, correct: e.correct, mse: e.mse, perClass, confusion: e.confusion })}\n`);
    return;
  }
  const lines = [`Model ${flags.model} (${net.architecture}) on ${source}: ${e.count} samples`, `cost ${e.cost.toFixed(4)}`];
  if (e.accuracy !== undefined) lines.push(`accuracy ${(100 * e.accuracy).toFixed(2)}% (${e.correct} / ${e.count} correct)`);
  if (e.mse !== undefined) lines.push(`mean squared error ${e.mse.toPrecision(4)}`);
  if (perClass && e.confusion) {
    lines.push('', 'per class:');
    const w = Math.max(5, ...perClass.map((p) => p.class.length));
    for (const p of perClass) lines.push(`  ${p.class.padEnd(w)}  ${p.accuracy === null ? '   -  ' : `${(100 * p.accuracy).toFixed(1).padStart(5)}%`}  of ${p.count}`);
    lines.push('', 'confusion matrix (rows: true class, columns: predicted):');
    const cw = Math.max(4, ...e.confusion.flat().map((v) => String(v).length)) + 1;
    lines.push(`  ${''.padEnd(w)} ${e.confusion.map((_, j) => String(j).padStart(cw)).join('')}`);
    e.confusion.forEach((row, i) => lines.push(`  ${(names[i] ?? String(i)).padEnd(w)} ${row.map((v) => String(v).padStart(cw)).join('')}`));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
