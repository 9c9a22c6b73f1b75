import { identityScaling } from '../data/scaling.js';
import { loadInputs } from '../data/load.js';
import { readModelFile } from '../io/model-file.js';
import { networkFromRecord } from '../io/network-record.js';
import { predictedClass } from '../train/metrics.js';
import { scaled } from '../train/plan.js';

export interface PredictFlags {
  model: string;
  input: string;
  json: boolean;
}

/** `nabla predict`: one prediction per input row (CSV or IDX), with probabilities under --json. */
export function predictCommand(flags: PredictFlags): void {
  const record = readModelFile(flags.model);
  const net = networkFromRecord(record);
  const n0 = record.sizes[0]!;
  const raw = loadInputs(flags.input, n0, record.classNames ? { classNames: record.classNames } : {});
  const data = scaled(raw, record.scaling ?? identityScaling(n0), 'input');
  const nL = record.sizes[record.sizes.length - 1]!;
  const classify = record.task !== 'regression' && (record.output === 'softmax' || record.output === 'sigmoid');
  const names = record.classNames;
  const chunk = 256;
  const out: string[] = [];
  for (let start = 0; start < data.count; start += chunk) {
    const m = Math.min(chunk, data.count - start);
    const { x } = net.batchBuffers(m);
    data.gatherInputs(Int32Array.from({ length: m }, (_, i) => start + i), x);
    net.forwardBatch(m, false);
    const yhat = net.outputBuffer();
    for (let r = 0; r < m; r++) {
      const row = Array.from(yhat.subarray(r * nL, (r + 1) * nL));
      if (classify) {
        const k = predictedClass(yhat, r, nL);
        const label = names?.[k] ?? String(k);
        const probabilities = nL === 1 ? [1 - row[0]!, row[0]!] : row;
        out.push(flags.json ? JSON.stringify({ row: start + r, class: k, label, probabilities: probabilities.map((p) => Number(p.toPrecision(6))) }) : label);
      } else {
        out.push(flags.json ? JSON.stringify({ row: start + r, values: row }) : row.map((v) => v.toPrecision(6)).join(','));
      }
    }
    if (out.length >= 4096) process.stdout.write(`${out.splice(0).join('\n')}\n`);
  }
  if (out.length) process.stdout.write(`${out.join('\n')}\n`);
}
