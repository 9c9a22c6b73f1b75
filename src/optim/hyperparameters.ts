import { NablaError } from '../errors.js';

/** Bounds of a numeric hyperparameter; each bound is inclusive unless its `…Exclusive` twin is set. */
export interface Bounds {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
  /** Why the bounds are what they are, added to the message (e.g. what happens beyond them). */
  why?: string;
}

function describe(b: Bounds): string {
  const kind = b.integer ? 'an integer' : 'a finite number';
  const lo = b.min === undefined ? '' : `${b.minExclusive ? '(' : '['}${b.min}`;
  const hi = b.max === undefined ? '' : `${b.max}${b.maxExclusive ? ')' : ']'}`;
  if (lo && hi) return `${kind} in ${lo}, ${hi}`;
  if (lo) return `${kind} ${b.minExclusive ? '>' : '≥'} ${b.min}`;
  if (hi) return `${kind} ${b.maxExclusive ? '<' : '≤'} ${b.max}`;
  return kind;
}

/**
 * Bounds of a momentum μ (SGD's, RMSprop's): the velocity b ← μb + g sums μᵏ times the past
 * gradients, a series that diverges for μ ≥ 1, so the run would diverge whatever the learning
 * rate (PyTorch accepts such a μ and produces NaN).
 */
export const MOMENTUM_BOUNDS: Bounds = {
  min: 0,
  max: 1,
  maxExclusive: true,
  why: 'momentum ≥ 1 makes the velocity grow without bound: the run diverges at any learning rate',
};

/**
 * Returns `value` if it is a finite number within `bounds`, else throws NablaError('ARGUMENT')
 * naming the owner and field: `adam beta1 1.5: expected a finite number in [0, 1)`.
 *
 * @example
 * const lr = checkNumber('sgd', 'lr', options.lr ?? 1e-3, { min: 0, minExclusive: true });
 */
export function checkNumber(owner: string, field: string, value: unknown, bounds: Bounds = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!bounds.integer || Number.isInteger(value)) &&
    (bounds.min === undefined || (bounds.minExclusive ? value > bounds.min : value >= bounds.min)) &&
    (bounds.max === undefined || (bounds.maxExclusive ? value < bounds.max : value <= bounds.max));
  if (!ok) throw new NablaError('ARGUMENT', `${owner} ${field} ${String(value)}: expected ${describe(bounds)}${bounds.why ? ` (${bounds.why})` : ''}`);
  return value;
}

/** Returns `value` if it is a boolean, else throws NablaError('ARGUMENT') naming the owner and field. */
export function checkBoolean(owner: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new NablaError('ARGUMENT', `${owner} ${field} ${String(value)}: expected true or false`);
  }
  return value;
}

/**
 * Throws NablaError('ARGUMENT') when `options` holds a key not in `allowed`, so that a CLI flag
 * meant for another optimizer (`--momentum` given to adam) is an error rather than silently ignored.
 */
export function checkOptionNames(owner: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] === undefined) continue;
    if (!allowed.includes(key)) {
      throw new NablaError('ARGUMENT', `${owner} has no option '${key}': expected one of ${allowed.join(', ')}`);
    }
  }
}
