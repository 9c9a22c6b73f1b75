import { InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';

/** Commander argument parsers: each rejects a bad value with a one-line reason. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got '${value}'.`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a whole number ≥ 0, got '${value}'.`);
  return n;
}

/** A seed: the random generators take 32 bits, so a larger number would silently repeat another seed's run. */
export function seed(value: string): number {
  const n = nonNegativeInt(value);
  if (n > 0xffffffff) throw new InvalidArgumentError(`expected a whole number from 0 to 4294967295 (32 bits), got '${value}'.`);
  return n;
}

/** A thread count this machine can give: 1 to its number of logical cores. */
export function threadCount(value: string): number {
  const n = positiveInt(value);
  const cores = availableParallelism();
  if (n > cores) throw new InvalidArgumentError(`expected at most ${cores}, the logical cores of this machine, got '${value}'.`);
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number > 0, got '${value}'.`);
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number ≥ 0, got '${value}'.`);
  return n;
}

/** A fraction in [0, 1). */
export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a fraction in [0, 1), got '${value}'.`);
  return n;
}

/** `784/100/10` (or `100`, `100/50`): the sizes as numbers. */
export function layerList(value: string): number[] {
  const parts = value.split('/').map((s) => s.trim());
  const sizes = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || sizes.some((n) => n < 1)) {
    throw new InvalidArgumentError(`expected sizes like 784/100/10 (positive whole numbers separated by '/'), got '${value}'.`);
  }
  return sizes;
}
