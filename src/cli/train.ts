import * as path from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { NablaError } from '../errors.js';
import { readModelFile, writeModelFile } from '../io/model-file.js';
import { networkFromRecord, networkToRecord } from '../io/network-record.js';
import { selectKernels, type BackendName } from '../kernels/select.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Network } from '../nn/network.js';
import { writeHistory } from '../report/history-file.js';
import { writeReport } from '../report/write-report.js';
import { fit } from '../train/fit.js';
import { finalEvaluation } from '../report/final-evaluation.js';
import { chooseScaling, createNetwork, createOptimizerFromSettings, fitOptionsFromSettings, resolveLayers, scaled, type TrainSettings } from '../train/plan.js';
import { loadSplits } from './data.js';
import { makeReporter } from './progress.js';

export interface TrainFlags extends TrainSettings {
  data: string;
  test?: string;
  label?: string;
  task?: string;
  hiddenActivation: string;
  init?: string;
  out?: string;
  report?: string | boolean;
  history?: string;
  json: boolean;
  threads?: number;
  backend?: BackendName;
}

/** `nabla train`: data on disk (or embedded) to a trained, evaluated and saved model. */
export async function train(flags: TrainFlags, argv: readonly string[]): Promise<void> {
  const reporter = makeReporter(flags.json);
  const { train: rawTrain, test: rawTest, testSource } = loadSplits(flags);
  const initRecord = flags.init ? readModelFile(flags.init) : null;
  if (initRecord) {
    const [n0, nL] = [initRecord.sizes[0]!, initRecord.sizes[initRecord.sizes.length - 1]!];
    if (n0 !== rawTrain.inputSize || nL !== rawTrain.outputSize) {
      throw new NablaError(
        'SHAPE',
        `--init ${flags.init} is a ${initRecord.sizes.join('/')} network, but ${rawTrain.name ?? flags.data} has ${rawTrain.inputSize} inputs and ${rawTrain.outputSize} targets per sample`,
      );
    }
  }
  const scaling = initRecord?.scaling && flags.scale === 'auto' ? initRecord.scaling : chooseScaling(rawTrain, flags.scale);
  const trainSet = scaled(rawTrain, scaling, 'training data');
  const testSet = rawTest ? scaled(rawTest, scaling, 'test data') : null;

  let kernels: Kernels | null = null;
  try {
    kernels = await selectKernels({ ...(flags.backend ? { backend: flags.backend } : {}), ...(flags.threads ? { threads: flags.threads } : {}) });
    const net = buildNetwork(flags, trainSet, initRecord, kernels);
    const optimizer = createOptimizerFromSettings(flags);

    reporter.line(
      `Training ${net.architecture} (${net.hidden.map((h) => h.name)[0] ?? 'no hidden layer'}, ${net.output.name} + ${net.cost.name}; ` +
        `N_b ${net.numBiases.toLocaleString('en-US')}, N_w ${net.numWeights.toLocaleString('en-US')}) on ${rawTrain.name ?? flags.data}: ` +
        `${trainSet.count.toLocaleString('en-US')} training samples, test on ${testSet ? `${testSet.count.toLocaleString('en-US')} (${testSource})` : 'none'}; ` +
        `${optimizer.name} lr ${flags.schedule ?? optimizer.learningRate(0)}, batch ${flags.batch}, ${kernels.name}${kernels.threads > 1 ? ` × ${kernels.threads} threads` : ''}`,
    );
    const { history } = await fit(net, trainSet, {
      ...fitOptionsFromSettings(flags, optimizer, testSet),
      onBatchEnd: (info) => reporter.batch(info),
      onEpochEnd: (record) => reporter.epoch(record, flags.epochs),
      meta: {
        command: ['nabla', ...argv].map(shellQuote).join(' '),
        dataset: rawTrain.name ?? flags.data,
        scaling: scaling.kind,
        ...(flags.schedule ? { schedule: flags.schedule } : {}),
        ...(flags.init ? { initFrom: flags.init } : {}),
      },
    });
    reporter.close();
    if (history.stopMessage) reporter.line(history.stopMessage);
    if (testSet && testSet.count > 0) history.final = finalEvaluation(net, testSet, { split: 'test' });

    const outputs: Record<string, string> = {};
    if (flags.out) {
      writeModelFile(flags.out, networkToRecord(net, { scaling, task: trainSet.task, ...(trainSet.classNames ? { classNames: trainSet.classNames } : {}) }));
      outputs.model = flags.out;
    }
    if (flags.history) {
      writeHistory(flags.history, history);
      outputs.history = flags.history;
    }
    const reportPath = flags.report === false ? null : typeof flags.report === 'string' ? flags.report : flags.out ? replaceExtension(flags.out, '.html') : 'nabla-report.html';
    if (reportPath) {
      writeReport(reportPath, history);
      outputs.report = reportPath;
    }

    const f = history.final;
    if (flags.json) {
      reporter.json({ type: 'summary', stopReason: history.stopReason, stopMessage: history.stopMessage, epochs: history.epochs.length, seconds: history.totalSeconds, test: f ? { count: f.count, cost: f.cost, accuracy: f.accuracy, mse: f.mse } : null, files: outputs });
    } else {
      if (f?.accuracy !== undefined) {
        const correct = Math.round(f.accuracy * f.count);
        reporter.line(`Test: ${correct} / ${f.count} correct (${(100 * f.accuracy).toFixed(2)}%), cost ${f.cost.toFixed(4)}; ${history.totalSeconds.toFixed(1)} s in all`);
      } else if (f?.mse !== undefined) {
        reporter.line(`Test: MSE ${f.mse.toPrecision(4)}, cost ${f.cost.toFixed(4)}; ${history.totalSeconds.toFixed(1)} s in all`);
      }
      for (const [what, file] of Object.entries(outputs)) reporter.line(`Wrote ${what}: ${file}`);
    }
    if (history.stopReason === 'non-finite') process.exitCode = 3;
  } finally {
    kernels?.dispose?.();
  }
}

function buildNetwork(flags: TrainFlags, data: Dataset, initRecord: ReturnType<typeof readModelFile> | null, kernels: Kernels): Network {
  if (initRecord) {
    const net = networkFromRecord(initRecord, kernels);
    const sizes = resolveLayers(flags.layers, data.inputSize, data.outputSize, `the data (${data.name ?? flags.data})`);
    if (flags.layers && sizes.join('/') !== net.architecture) {
      throw new NablaError('SHAPE', `--layers ${sizes.join('/')} does not match the model ${flags.init} (${net.architecture})`);
    }
    return net;
  }
  return createNetwork(flags, data, kernels, `the data (${data.name ?? flags.data})`);
}


function replaceExtension(file: string, ext: string): string {
  const parsed = path.parse(file);
  return path.join(parsed.dir, `${parsed.name}${ext}`);
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
