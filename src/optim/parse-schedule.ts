import { NablaError } from '../errors.js';
import type { Schedule } from './optimizer.js';
import { constant, cosineDecay, exponentialDecay, inverseTimeDecay, stepDecay, warmup } from './schedules.js';

interface ScheduleSyntax {
  readonly usage: string;
  readonly required: number;
  readonly optional: number;
  make(lr: number, args: readonly number[]): Schedule;
}

/** One entry per schedule the CLI understands: its usage line and how to build it from the numbers. */
const syntaxes: Readonly<Record<string, ScheduleSyntax>> = {
  constant: { usage: 'constant', required: 0, optional: 0, make: (lr) => constant(lr) },
  step: {
    usage: 'step:<every>[:<factor>]',
    required: 1,
    optional: 1,
    make: (lr, [every, factor]) => stepDecay(lr, every!, factor),
  },
  exp: {
    usage: 'exp:<rate>[:<every>]',
    required: 1,
    optional: 1,
    make: (lr, [rate, every]) => exponentialDecay(lr, rate!, every),
  },
  invtime: {
    usage: 'invtime:<rate>[:<every>]',
    required: 1,
    optional: 1,
    make: (lr, [rate, every]) => inverseTimeDecay(lr, rate!, every),
  },
  cosine: {
    usage: 'cosine:<steps>[:<minLr>]',
    required: 1,
    optional: 1,
    make: (lr, [steps, minLr]) => cosineDecay(lr, steps!, minLr),
  },
};

/** The usage text of `parseSchedule`, for the CLI's help. */
export const scheduleSyntax = [
  ...Object.values(syntaxes).map((s) => s.usage),
  'warmup:<steps>[+<schedule>]',
].join(' | ');

function parseNumbers(text: string, parts: readonly string[]): number[] {
  return parts.map((part) => {
    const value = part.trim() === '' ? NaN : Number(part);
    if (!Number.isFinite(value)) {
      throw new NablaError('ARGUMENT', `schedule '${text}': '${part}' is not a number`);
    }
    return value;
  });
}

function parseOne(text: string, piece: string, lr: number): Schedule {
  const [name = '', ...rest] = piece.trim().split(':');
  const key = name.trim().toLowerCase();
  if (!Object.prototype.hasOwnProperty.call(syntaxes, key)) {
    const where = key === 'warmup' ? ' (warmup may only come first)' : '';
    throw new NablaError('UNKNOWN_NAME', `unknown schedule '${name}' in '${text}'${where}: expected ${scheduleSyntax}`);
  }
  const syntax = syntaxes[key]!;
  if (rest.length < syntax.required || rest.length > syntax.required + syntax.optional) {
    throw new NablaError('ARGUMENT', `schedule '${text}': expected ${syntax.usage}`);
  }
  return syntax.make(lr, parseNumbers(text, rest));
}

/**
 * Parses a CLI schedule string into a Schedule starting from `baseLr`. Steps count updates (batches).
 *
 *     constant                     γ
 *     step:<every>[:<factor>]      γ · factor^⌊t/every⌋            (factor default 0.1)
 *     exp:<rate>[:<every>]         γ · rate^(t/every)              (every default 1)
 *     invtime:<rate>[:<every>]     γ / (1 + rate · t/every)        (every default 1)
 *     cosine:<steps>[:<minLr>]     cosine from γ to minLr over steps (minLr default 0)
 *     warmup:<W>[+<schedule>]      linear warm-up over W steps, then the schedule (default constant)
 *
 * Errors are NablaError: 'UNKNOWN_NAME' listing the schedules, or 'ARGUMENT' quoting the text and
 * the expected usage or the bad number.
 *
 * @example
 * parseSchedule('warmup:100+cosine:5000', 1e-3); // = warmup(100, cosineDecay(1e-3, 5000))
 * parseSchedule('step:10:0.5', 0.1);             // = stepDecay(0.1, 10, 0.5)
 */
export function parseSchedule(text: string, baseLr: number): Schedule {
  const pieces = text.split('+');
  const first = pieces[0]!.trim();
  if (/^warmup(:|$)/i.test(first)) {
    if (pieces.length > 2) {
      throw new NablaError('ARGUMENT', `schedule '${text}': expected warmup:<steps>[+<schedule>] with one schedule after it`);
    }
    const parts = first.split(':');
    if (parts.length !== 2) throw new NablaError('ARGUMENT', `schedule '${text}': expected warmup:<steps>[+<schedule>]`);
    const [steps] = parseNumbers(text, parts.slice(1));
    const after = pieces.length === 2 ? parseOne(text, pieces[1]!, baseLr) : constant(baseLr);
    return warmup(steps!, after);
  }
  if (pieces.length > 1) {
    throw new NablaError('ARGUMENT', `schedule '${text}': only warmup:<steps> may come before a '+'`);
  }
  return parseOne(text, first, baseLr);
}
