import assert from 'node:assert/strict';

/** Largest |a − b| / max(1, |b|) over the first n elements: relative for large values, absolute near zero. */
export function maxScaledError(a: ArrayLike<number>, b: ArrayLike<number>, n = b.length): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!));
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length >= expected.length, true, `${what}: length ${actual.length} < ${expected.length}`);
  const e = maxScaledError(actual, expected);
  assert.ok(e <= tol, `${what}: max scaled error ${e.toExponential(3)} > ${tol}`);
}

export function assertNear(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} differs from ${expected} by more than ${tol}`);
}
