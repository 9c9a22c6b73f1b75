import { NablaError } from '../errors.js';
import type { TrainFlags } from './train.js';

/**
 * Throws NablaError('ARGUMENT') when --leaky-slope is given for a hidden activation it cannot change.
 *
 * @example
 * checkLeakySlope(0.3, 'relu'); // throws: '… add --hidden-activation leaky-relu'
 */
export function checkLeakySlope(slope: number | undefined, hidden: string): void {
  if (slope !== undefined && hidden !== 'leaky-relu') {
    throw new NablaError('ARGUMENT', `--leaky-slope ${slope} is the slope of leaky-relu, but the hidden activation is ${hidden}: add --hidden-activation leaky-relu`);
  }
}

/**
 * Throws NablaError('ARGUMENT') for `nabla train` flags given on the command line that could not
 * change the run (a silent no-op misleads more than an error): network flags beside --init,
 * --leaky-slope without leaky-relu, --max-steps beside --epochs, --checkpoint-every without a
 * checkpoint, --threads on a single-threaded backend. `given(name)` says
 * whether the option (camelCase) was typed by the user rather than defaulted.
 *
 * @example
 * checkTrainFlagsTakeEffect(opts, (name) => cmd.getOptionValueSource(name) === 'cli');
 */
export function checkTrainFlagsTakeEffect(flags: TrainFlags, given: (name: keyof TrainFlags) => boolean): void {
  if (flags.init !== undefined) {
    const shaping: [keyof TrainFlags, string][] = [
      ['hiddenActivation', '--hidden-activation'],
      ['leakySlope', '--leaky-slope'],
      ['outputActivation', '--output-activation'],
      ['cost', '--cost'],
      ['weightInit', '--weight-init'],
    ];
    const flag = shaping.find(([name]) => given(name))?.[1];
    if (flag) throw new NablaError('ARGUMENT', `${flag} cannot take effect with --init: the network, its activations, cost and weights come from ${flags.init}`);
  } else {
    checkLeakySlope(flags.leakySlope, flags.hiddenActivation);
  }
  if (flags.maxSteps !== undefined && flags.epochs !== undefined) {
    throw new NablaError('ARGUMENT', `--max-steps ${flags.maxSteps} cannot take effect with --epochs ${flags.epochs}: the budget bounds a run trained until converged; give one or the other`);
  }
  if (flags.checkpointEvery !== undefined && flags.checkpoint === false) {
    throw new NablaError('ARGUMENT', `--checkpoint-every ${flags.checkpointEvery} cannot take effect with --no-checkpoint`);
  }
  if (flags.threads !== undefined && flags.backend !== undefined && flags.backend !== 'wasm') {
    throw new NablaError('ARGUMENT', `--threads ${flags.threads} cannot take effect: the ${flags.backend} backend runs on one thread (threads are the wasm backend's)`);
  }
}
