import { InvalidArgumentError } from 'commander';

/** Commander argument parsers: each rejects a bad value with a one-line reason. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got '${value}'.`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n)) throw new InvalidArgumentError(`expected a whole number ≥ 0, got '${value}'.`);
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
