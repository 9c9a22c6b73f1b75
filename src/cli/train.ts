import * as os from 'node:os';
import * as path from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { NablaError } from '../errors.js';
import { readCheckpointFile, writeCheckpointFile } from '../io/checkpoint-file.js';
import type { Checkpoint } from '../io/checkpoint-format.js';
import { exists, formatBytes } from '../io/files.js';
import { readModelFile, writeModelFile } from '../io/model-file.js';
import { networkFromRecord, networkToRecord } from '../io/network-record.js';
import { describeKernels, selectKernels, type BackendName } from '../kernels/select.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Network } from '../nn/network.js';
import { writeHistory } from '../report/history-file.js';
import { writeReport } from '../report/write-report.js';
import { fit } from '../train/fit.js';
import { finalEvaluation } from '../report/final-evaluation.js';
import { checkTrainingSet } from '../data/check-training-set.js';
import { chooseScaling, createNetwork, createOptimizerFromSettings, fitOptionsFromSettings, resolveLayers, scaled, type TrainSettings } from '../train/plan.js';
import { loadSplits } from './data.js';
import { onInterrupt, type Interruption } from './interrupt.js';
import { makeReporter } from './progress.js';
import { resumedFlags, settingsToSave } from './resume.js';
import { checkWritable } from './writable.js';

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
  /** Where checkpoints go (default beside --out, else nabla-checkpoint.safetensors); false: none. */
  checkpoint?: string | boolean;
  checkpointEvery?: number;
  resume?: string;
  json: boolean;
  threads?: number;
  backend?: BackendName;
}

/**
 * `nabla train`: data on disk (or embedded) to a trained, evaluated and saved model, with a
 * checkpoint at every epoch's end (and every --checkpoint-every steps) that --resume continues
 * exactly. `explicit` names the flags given on the command line (the rest are defaults), which a
 * resumed run takes from its checkpoint instead.
 */
export async function train(given: TrainFlags, argv: readonly string[], explicit: ReadonlySet<string> = new Set(Object.keys(given))): Promise<void> {
  const resumeFrom = given.resume ? readCheckpointFile(given.resume) : null;
  if (resumeFrom && !resumeFrom.settings) {
    throw new NablaError('RESUME', `--resume ${given.resume}: the checkpoint holds no command-line settings (it was written by the library, not by nabla train)`);
  }
  const flags = resumeFrom ? resumedFlags(given, explicit, resumeFrom.settings!, given.resume!) : given;
  const reportPath = flags.report === false ? null : typeof flags.report === 'string' ? flags.report : flags.out ? replaceExtension(flags.out, '.html') : 'nabla-report.html';
  const checkpointFile = checkpointPath(flags);
  checkWritable(
    [
      ...(flags.out ? [{ flag: '--out', path: flags.out }] : []),
      ...(reportPath ? [{ flag: '--report', path: reportPath }] : []),
      ...(flags.history ? [{ flag: '--history', path: flags.history }] : []),
      ...(checkpointFile && checkpointFile !== flags.resume ? [{ flag: '--checkpoint', path: checkpointFile }] : []),
    ],
    [{ flag: '--data', path: flags.data }, ...(flags.test ? [{ flag: '--test', path: flags.test }] : [])].filter((i) => exists(i.path)),
  );
  const reporter = makeReporter(flags.json);
  const initRecord = resumeFrom ? null : flags.init ? readModelFile(flags.init) : null;
  const { train: rawTrain, test: rawTest, testSource } = loadSplits(flags, initRecord?.classNames);
  checkTrainingSet(rawTrain);
  if (initRecord) {
    const [n0, nL] = [initRecord.sizes[0]!, initRecord.sizes[initRecord.sizes.length - 1]!];
    if (n0 !== rawTrain.inputSize || nL !== rawTrain.outputSize) {
      throw new NablaError(
        'SHAPE',
        `--init ${flags.init} is a ${initRecord.sizes.join('/')} network, but ${rawTrain.name ?? flags.data} has ${rawTrain.inputSize} inputs and ${rawTrain.outputSize} targets per sample`,
      );
    }
  }
  const startScaling = resumeFrom?.model.scaling ?? initRecord?.scaling;
  const scaling = startScaling && (resumeFrom || flags.scale === 'auto') ? startScaling : chooseScaling(rawTrain, flags.scale);
  const trainSet = scaled(rawTrain, scaling, 'training data');
  const testSet = rawTest ? scaled(rawTest, scaling, 'test data') : null;

  let kernels: Kernels | null = null;
  let interruption: Interruption | null = null;
  try {
    kernels = await selectKernels({ ...(flags.backend ? { backend: flags.backend } : {}), ...(flags.threads ? { threads: flags.threads } : {}) });
    const net = buildNetwork(flags, trainSet, resumeFrom ? checkpointModel(resumeFrom) : initRecord, kernels);
    const extras = { scaling, task: trainSet.task, ...(trainSet.classNames ? { classNames: trainSet.classNames } : {}) };
    const { weights: _w, biases: _b, ...description } = networkToRecord(net, extras);
    const settings = settingsToSave(flags);
    const saveCheckpoint = (state: Checkpoint['state']): void => writeCheckpointFile(checkpointFile!, { model: description, state, settings });
    const optimizer = createOptimizerFromSettings(flags);

    reporter.line(
      `Training ${net.architecture} (${net.hidden.map((h) => h.name)[0] ?? 'no hidden layer'}, ${net.output.name} + ${net.cost.name}; ` +
        `N_b ${net.numBiases.toLocaleString('en-US')}, N_w ${net.numWeights.toLocaleString('en-US')}) on ${rawTrain.name ?? flags.data}: ` +
        `${trainSet.count.toLocaleString('en-US')} training samples, test on ${testSet ? `${testSet.count.toLocaleString('en-US')} (${testSource})` : 'none'}; ` +
        `${optimizer.name} lr ${flags.schedule ?? optimizer.learningRate(0)}, batch ${flags.batch}, ${describeKernels(kernels)}`,
    );
    if (resumeFrom) {
      const { epoch, batch, optimizer: o } = resumeFrom.state;
      reporter.line(`Resuming from ${flags.resume}: epoch ${epoch}, ${batch} batches of it done, ${o.step} steps in all`);
    }
    interruption = onInterrupt((sig) => {
      reporter.close(); // the progress bar first, or its redraw garbles the lines that follow on a terminal
      process.stderr.write(`nabla: ${sig}: stopping after this step and saving the run (again to quit at once)\n`);
    });
    const { history, state } = await fit(net, trainSet, {
      ...fitOptionsFromSettings(flags, optimizer, testSet),
      onBatchEnd: (info) => reporter.batch(info),
      onEpochEnd: (record, h) => reporter.epoch(record, h.meta.epochs),
      signal: interruption.signal,
      yieldEveryMs: 100, // so that a Ctrl-C is heard within a long epoch
      // Every epoch's end, at most one a second (a 1 ms epoch would otherwise spend its time in fsync), every --checkpoint-every steps, and the last state.
      ...(checkpointFile ? { onCheckpoint: saveCheckpoint, checkpointSeconds: 1, ...(flags.checkpointEvery ? { checkpointEvery: flags.checkpointEvery } : {}) } : {}),
      ...(resumeFrom ? { resume: resumeFrom.state } : {}),
      meta: {
        command: ['nabla', ...argv].map(shellQuote).join(' '),
        dataset: rawTrain.name ?? flags.data,
        scaling: scaling.kind,
        ...(flags.schedule ? { schedule: flags.schedule } : {}),
        ...(flags.init ? { initFrom: flags.init } : {}),
      },
    });
    reporter.close();
    const interrupted = history.stopReason === 'interrupted';
    const steps = state.optimizer.step;
    const resumeCommand = checkpointFile ? `nabla train --resume ${shellQuote(checkpointFile)}` : null;
    if (interrupted) {
      const where = state.batch > 0 ? `epoch ${state.epoch}, batch ${state.batch}` : `the end of epoch ${state.epoch - 1}`;
      history.stopMessage = `interrupted (${interruption.received}) after ${steps} steps, at ${where}; ${resumeCommand ? `resume with: ${resumeCommand}` : 'no checkpoint was written (--no-checkpoint)'}`;
    }
    if (history.stopMessage) reporter.line(history.stopMessage);
    if (testSet && testSet.count > 0 && !interrupted) history.final = finalEvaluation(net, testSet, { split: 'test' });

    const outputs: Record<string, string> = {};
    if (checkpointFile) outputs.checkpoint = checkpointFile;
    if (flags.out) {
      writeModelFile(flags.out, { ...networkToRecord(net, extras), ...(interrupted ? { interruptedAfterSteps: steps } : {}) });
      outputs.model = flags.out;
    }
    if (flags.history) {
      writeHistory(flags.history, history);
      outputs.history = flags.history;
    }
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
    if (interrupted) {
      process.stderr.write(`nabla: interrupted after ${steps} steps${resumeCommand ? `; resume with:\n  ${resumeCommand}` : ''}\n`);
      process.exitCode = 130;
    }
  } finally {
    interruption?.dispose();
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
  checkFitsInMemory(resolveLayers(flags.layers, data.inputSize, data.outputSize, `the data (${data.name ?? flags.data})`));
  return createNetwork(flags, data, kernels, `the data (${data.name ?? flags.data})`);
}


/** The checkpoint file: --checkpoint, else beside --out (model.safetensors → model.ckpt.safetensors), else nabla-checkpoint.safetensors; null with --no-checkpoint. */
function checkpointPath(flags: TrainFlags): string | null {
  if (flags.checkpoint === false) return null;
  if (typeof flags.checkpoint === 'string') return flags.checkpoint;
  return flags.out ? replaceExtension(flags.out, '.ckpt.safetensors') : 'nabla-checkpoint.safetensors';
}

/** The model record a checkpoint describes, with its weights (float32) from the training state. */
function checkpointModel(checkpoint: Checkpoint): ReturnType<typeof readModelFile> {
  const f32 = (a: ArrayLike<number>): Float32Array => Float32Array.from(a);
  const params = checkpoint.state.params;
  return { ...checkpoint.model, weights: params.filter((_, k) => k % 2 === 0).map(f32), biases: params.filter((_, k) => k % 2 === 1).map(f32) };
}

/** Float32 copies of the parameters training holds: weights, gradients, two optimizer moments and the best weights so far. */
const PARAMETER_COPIES = 5;

/** Throws NablaError('ARGUMENT') when training a network of `sizes` needs more memory than this machine has. */
function checkFitsInMemory(sizes: readonly number[]): void {
  const params = sizes.slice(1).reduce((s, n, i) => s + n * sizes[i]! + n, 0);
  const bytes = params * 4 * PARAMETER_COPIES;
  if (bytes > os.totalmem()) {
    throw new NablaError(
      'ARGUMENT',
      `--layers ${sizes.join('/')} has ${params.toLocaleString('en-US')} parameters: training holds ${formatBytes(bytes)} of them, more than this machine's ${formatBytes(os.totalmem())} of memory`,
    );
  }
}

function replaceExtension(file: string, ext: string): string {
  const parsed = path.parse(file);
  return path.join(parsed.dir, `${parsed.name}${ext}`);
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
