import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { NablaError } from '../errors.js';
import { activationNames } from '../nn/activations.js';
import { costNames } from '../nn/costs.js';
import { initNames } from '../nn/init.js';
import { outputNames } from '../nn/outputs.js';
import { scheduleSyntax } from '../optim/parse-schedule.js';
import { optimizerNames } from '../optim/registry.js';
import { readHistory } from '../report/history-file.js';
import { writeReport } from '../report/write-report.js';
import { backendNames } from '../kernels/select.js';
import { evalCommand } from './evaluate.js';
import { exportCommand, exportFormats, type ExportFlags } from './export.js';
import { gradcheckCommand, type GradcheckFlags } from './gradcheck.js';
import { infoCommand } from './info.js';
import { fraction, layerList, nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber, seed, threadCount } from './options.js';
import { predictCommand } from './predict.js';
import { train, type TrainFlags } from './train.js';
import { checkWritable } from './writable.js';
import { checkTrainFlagsTakeEffect } from './take-effect.js';
import { playgroundCommand } from './playground.js';
import { TRAIN_DEFAULTS as D } from '../train/defaults.js';

/** The package's version: package.json is two folders up from src/cli, three from dist/src/cli. */
function packageVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'nabla' && pkg.version) return pkg.version;
    } catch {
      // not this level
    }
  }
  return 'unknown';
}
const version = packageVersion();

function earlyStop(value: string): number {
  return positiveInt(value);
}

/** The `nabla` command line. */
export function buildProgram(): Command {
  const program = new Command('nabla')
    .description('Train feed-forward neural networks by backpropagation: exact enough to teach from, fast enough to use.')
    .version(version)
    .configureOutput({ outputError: (str, write) => write(`nabla: ${str.replace(/^error: /, '')}`) });

  const dataOptions = (cmd: Command): Command =>
    cmd
      .option('--split <fraction>', `seeded hold-out for data without its own test split (0 trains on every row; default ${D.split})`, fraction)
      .option('--label <column>', 'CSV label column: index (negative from the end) or header name', undefined)
      .option('--seed <n>', 'seed of the weights, the split, the shuffling and dropout', seed, D.seed)
      .option('--no-shuffle', 'keep the data in file order (batches and hold-out)');

  const networkOptions = (cmd: Command): Command =>
    cmd
      .addOption(new Option('--hidden-activation <name>', 'activation of the hidden layers').choices(activationNames).default(D.hiddenActivation))
      .option('--leaky-slope <a>', "leaky-relu's slope for negative inputs (0.01)", nonNegativeNumber)
      .addOption(new Option('--output-activation <name>', 'output activation (default from the task)').choices(outputNames))
      .addOption(new Option('--cost <name>', 'cost (default from the output activation)').choices([...costNames, 'mse', 'bce', 'categorical-cross-entropy']));

  const trainCmd = program
    .command('train')
    .description('train a network on a data set, evaluate it on the test split, save the model and an HTML report')
    .option('--data <name|path>', "'digits', 'breast-cancer', 'iris', 'fashion-mnist', 'mnist', a folder of IDX files or a .csv file", D.data)
    .option('--test <name|path>', 'a separate test set (default: the data set\'s own test split, or --split)')
    .option('--layers <sizes>', 'the network N0/N1/.../NL (e.g. 784/100/10), or the hidden sizes only (e.g. 100 or 128/64)', layerList)
    .addOption(new Option('--task <task>', 'how to read a CSV label column (default: inferred)').choices(['classification', 'binary', 'regression']));
  networkOptions(trainCmd)
    .addOption(new Option('--weight-init <scheme>', 'weight initialisation (default: He for ReLU, Glorot otherwise)').choices(initNames))
    .addOption(new Option('--optimizer <name>', 'optimizer (PyTorch update rules)').choices(optimizerNames).default(D.optimizer))
    .option('--lr <rate>', "learning rate (default: PyTorch's, 1e-2 for adagrad and rmsprop, 1e-3 for the others)", positiveNumber)
    .option('--momentum <mu>', 'momentum of sgd/momentum/nesterov/rmsprop', nonNegativeNumber)
    .option('--weight-decay <lambda>', 'L2 weight decay (decoupled for adamw)', nonNegativeNumber)
    .option('--schedule <spec>', `learning-rate schedule over steps: ${scheduleSyntax}`)
    .option('--batch <n>', 'mini-batch size', positiveInt, D.batch)
    .option('--epochs <n>', 'train exactly this many epochs (default: until the training cost is flat for 10 epochs, best weights restored, within --max-steps)', positiveInt)
    .option('--max-steps <n>', 'the budget of updates when --epochs is not given (60000)', positiveInt)
    .addOption(new Option('--scale <kind>', 'input scaling fitted on the training split (auto: pixels /255, other data standardised)').choices(['auto', 'none', 'minmax', 'standard']).default(D.scale))
    .option('--dropout <p>', 'inverted dropout rate on the hidden layers', fraction)
    .option('--clip-norm <c>', 'clip gradients to this global L2 norm', positiveNumber)
    .option('--clip-value <c>', 'clip every gradient entry to [−c, c]', positiveNumber)
    .option('--early-stop [patience]', 'stop when the test cost has not improved for this many epochs (5) and restore the best weights', earlyStop)
    .option('--reduce-on-plateau [patience]', "multiply the learning rate by 0.1 when the test cost has not improved for this many epochs (10), as PyTorch's ReduceLROnPlateau", earlyStop)
    .option('--init <model>', 'start from the weights of a saved model')
    .option('--out <model>', 'save the trained model (safetensors)')
    .option('--report <file>', 'write the HTML report here (default: next to --out, else nabla-report.html)')
    .option('--no-report', 'do not write the HTML report')
    .option('--history <file>', 'write the training history as JSON')
    .option('--checkpoint <file>', 'checkpoint the run here at every epoch end (at most one a second) and when it stops, atomically (default: beside --out as <name>.ckpt.safetensors, else nabla-checkpoint.safetensors)')
    .option('--no-checkpoint', 'write no checkpoint')
    .option('--checkpoint-every <steps>', 'also checkpoint every this many steps (mini-batches)', positiveInt)
    .option('--resume <checkpoint>', "continue the run that wrote this checkpoint where it stopped, with its settings (--epochs may be raised); ends as if never stopped")
    .option('--threads <n>', 'worker threads of the wasm backend (default: all cores)', threadCount)
    .addOption(new Option('--backend <name>', 'kernel backend (default: the fastest that works here)').choices(backendNames))
    .option('--json', 'print one JSON object per epoch and a final summary', false);
  dataOptions(trainCmd).action(async (opts: TrainFlags, cmd: Command) => {
    checkTrainFlagsTakeEffect(opts, (name) => cmd.getOptionValueSource(name) === 'cli');
    const explicit = new Set(Object.keys(opts).filter((key) => cmd.getOptionValueSource(key) === 'cli'));
    await train(opts, process.argv.slice(2), explicit);
  });

  dataOptions(
    program
      .command('eval')
      .description("evaluate a saved model: cost, accuracy, per-class accuracy and confusion matrix on the data set's test part")
      .requiredOption('--model <file>', 'the model (safetensors)')
      .option('--data <name|path>', 'data set (its test split, or the same seeded hold-out as training)', D.data)
      .option('--json', 'print JSON', false),
  ).action((opts) => evalCommand(opts));

  program
    .command('predict')
    .description('one prediction per input row (CSV or IDX), class names or values; probabilities with --json')
    .requiredOption('--model <file>', 'the model (safetensors)')
    .requiredOption('--input <file>', 'CSV rows of N0 inputs (a label column last is ignored) or an IDX images file')
    .option('--json', 'one JSON object per row with probabilities', false)
    .action((opts) => predictCommand(opts));

  program
    .command('export')
    .description('write a saved model as ONNX (for ONNX Runtime and other engines; the input scaling inside) or rewrite it as safetensors')
    .argument('<model>', 'the model (safetensors)')
    .requiredOption('--out <file>', 'the file to write (.onnx or .safetensors)')
    .option('--format <format>', `${exportFormats.join(' or ')} (default: from the extension of --out)`)
    .action((model: string, opts: ExportFlags) => exportCommand(model, opts, version));

  networkOptions(
    program
      .command('gradcheck')
      .description('check backprop against float64 finite differences, layer by layer: a random network, or a saved one on real samples')
      .option('--layers <sizes>', 'the random network N0/N1/.../NL (default 8/6/5/3)', layerList)
      .option('--model <file>', 'check this saved network (safetensors) instead of a random one; needs --data')
      .option('--data <name|path>', "with --model: the data set whose samples (scaled as the model records) make the batch, e.g. 'digits'")
      .option('--label <column>', 'CSV label column of --data: index (negative from the end) or header name')
      .option('--batch <n>', 'batch size', positiveInt, 4)
      .option('--seed <n>', 'seed of the weights and the batch (the samples drawn with --data)', seed, 1)
      .option('--json', 'print JSON', false),
  ).action((opts: GradcheckFlags, cmd: Command) => {
    const explicit = new Set(Object.keys(opts).filter((k) => cmd.getOptionValueSource(k) === 'cli'));
    gradcheckCommand(opts, explicit);
  });

  program
    .command('info')
    .description("parameter counts N_b and N_w and layer shapes of a network, as in the notes")
    .requiredOption('--layers <sizes>', 'the network N0/N1/.../NL', layerList)
    .option('--json', 'print JSON', false)
    .action((opts) => infoCommand(opts));

  program
    .command('playground')
    .description('serve the playground page on 127.0.0.1 (cross-origin isolated, so training uses every core) and print its URL')
    .option('--port <n>', 'port to listen on (default: a free one)', nonNegativeInt)
    .action((opts: { port?: number }) => playgroundCommand(opts));

  program
    .command('report')
    .description('render the HTML report of a training history saved with --history')
    .argument('<history.json>', 'the history file')
    .option('--out <file>', 'where to write the report (default: the history file with .html)')
    .action((file: string, opts: { out?: string }) => {
      const out = opts.out ?? file.replace(/\.json$/i, '') + '.html';
      checkWritable([{ flag: '--out', path: out }], [{ flag: '<history.json>', path: file }]);
      writeReport(out, readHistory(file));
      process.stdout.write(`Wrote report: ${out}\n`);
    });
  return program;
}

/** Runs the CLI; a user mistake prints one line `nabla: …` and exits 2, never a stack trace. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof NablaError || e instanceof InvalidArgumentError) {
      process.stderr.write(`nabla: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}
