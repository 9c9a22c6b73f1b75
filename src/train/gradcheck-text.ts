import { roundingError, type GradientCheckResult, type LayerCheck } from './gradcheck.js';

const e2 = (v: number): string => v.toExponential(1);
/** 0.001 as it is, 0.000001 as 1e-6. */
const num = (v: number): string => (v >= 1e-3 ? String(v) : v.toExponential());
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The result of `gradientCheck` as lines a learner can read: per layer the worst relative error
 * of ∂C/∂W and ∂C/∂b, what the limit means, what kinks did, and one verdict line naming the
 * layers that fail.
 *
 * @example
 * console.log(describeGradientCheck(gradientCheck(net, x, t), 'Gradient check of 4/3/2').join('\n'));
 */
export function describeGradientCheck(r: GradientCheckResult, heading: string): string[] {
  const lines = [heading];
  lines.push('  Worst relative error per layer:', '  layer   ∂C/∂W     ∂C/∂b     verdict  parameters checked');
  for (const l of r.layers) {
    const checked = `${l.checked} of ${l.checked + l.leftOut}${l.smallerStep ? ` (${l.smallerStep} with a smaller step)` : ''}`;
    lines.push(`  ${String(l.layer).padStart(5)}   ${e2(l.weights).padEnd(8)}  ${e2(l.biases).padEnd(8)}  ${(l.ok ? 'ok' : 'FAILED').padEnd(7)}  ${checked}`);
  }
  lines.push(
    '',
    `Each entry compares backprop's ∂C/∂θ with the fourth-order central difference (−C(θ+2h) + 8C(θ+h) − 8C(θ−h) + C(θ−2h)) / 12h, h = ${num(r.step)},`,
    `as |backprop − difference| / max(|backprop|, |difference|, floor). In float64 the difference is off only by its truncation error (~h⁴ = ${e2(r.step ** 4)})`,
    `and its rounding error (~16ε·S/h = ${e2(roundingError(r.costScale, r.step))}, ε = 2.2e-16, S = ${e2(r.costScale)} the size of the cost and logits), so a right gradient agrees to`,
    `1e-7 or better, below the limit ${num(r.limit)}, while a wrong one (a wrong f′, a transposed ∂W, a missing 1/m or ⊙ f′) is off by 1e-3 to 1.`,
    `Gradients smaller than floor = max(${num(r.floor)}, rounding error / limit) = ${e2(Math.max(r.floor, roundingError(r.costScale, r.step) / r.limit))} are compared on that scale: to a difference quotient they are all zero.`,
  );
  if (r.firstCrossing || r.leftOut.length) lines.push('', ...kinkLines(r));
  lines.push('', verdict(r));
  return lines;
}

function kinkLines(r: GradientCheckResult): string[] {
  const c = r.firstCrossing!;
  const out = [
    `Kinks: ${c.activation} is not differentiable at z = ${c.kink}; a stencil that pushes a unit's z across it averages two slopes, so a right backprop would read wrong`,
    `(at h = ${num(r.step)}, unit ${c.node} of layer ${c.layer} on sample ${c.sample} has z = ${c.z.toExponential(2)}). Such parameters are checked again with h divided by 10 until no z crosses:`,
  ];
  const byLayer = (count: (l: LayerCheck) => number): string =>
    r.layers
      .filter((l) => count(l) > 0)
      .map((l) => `layer ${l.layer}: ${count(l)}`)
      .join(', ');
  if (r.smallerStep) out.push(`  ${plural(r.smallerStep, 'parameter')} checked with a smaller step (${byLayer((l) => l.smallerStep)}; smallest h = ${num(r.smallestStep)}).`);
  if (r.leftOut.length) {
    out.push(`  ${plural(r.leftOut.length, 'parameter')} left out (${byLayer((l) => l.leftOut)}): even at h = ${num(r.minStep)} the stencil crosses a kink, where the derivative is one-sided and no difference quotient can check it:`);
    for (const p of r.leftOut.slice(0, 5)) {
      const entry = p.tensor === 'W' ? `W[${p.layer}][${p.row},${p.col}]` : `b[${p.layer}][${p.row}]`;
      out.push(`    ${entry}: unit ${p.crossing.node} of layer ${p.crossing.layer}, sample ${p.crossing.sample}, z = ${p.crossing.z.toExponential(2)}`);
    }
    if (r.leftOut.length > 5) out.push(`    ... and ${r.leftOut.length - 5} more`);
  }
  return out;
}

function verdict(r: GradientCheckResult): string {
  const counts = `${r.checked} of ${r.total} parameters checked, ${r.smallerStep} with a smaller step, ${r.leftOut.length} left out`;
  if (r.ok) return `OK: worst relative error ${e2(r.worst)} < ${num(r.limit)} (${counts})`;
  const failing = r.layers.filter((l) => !l.ok);
  const named = failing.map((l) => `layer ${l.layer} (∂C/∂W ${e2(l.weights)}, ∂C/∂b ${e2(l.biases)})`).join(', ');
  const top = failing[failing.length - 1]!.layer;
  return (
    `FAILED in ${named}: above the limit ${num(r.limit)} (${counts}).\n` +
    `Backprop runs from layer ${r.layers.length} down, so look first at layer ${top}, the highest that fails: its ∂W = Δᵀ·A[ℓ−1] and ∂b, or the Δ[${top}] it received from above (the ⊙ f′, the 1/m).`
  );
}
