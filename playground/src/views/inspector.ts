import { el, formatNumber, viewSection } from './dom.js';
import { imageCanvas } from './images.js';
import { traceSample, type InspectorTrace } from './inspector-trace.js';
import { predictedClass, type Network } from './lib.js';
import { matrixBlock, vectorBlock } from './quantities.js';
import type { View, ViewContext } from './types.js';

/** One equation of the walk-through: a title, the formula, and the sample's numbers. */
interface Step {
  phase: 'forward' | 'backward';
  title: string;
  formula: string;
  /** The shapes of the formula's terms for one sample. */
  shapes?: string;
  body(trace: InspectorTrace): HTMLElement[];
}

/**
 * The steps of one forward and backward pass in the notes' order: X; Z[ℓ], A[ℓ] for ℓ = 1..L; the
 * cost; Δ[L]; then for ℓ = L..1 the gradients ∂C/∂b[ℓ], ∂C/∂W[ℓ] and, below the first layer, Δ[ℓ−1].
 */
function stepsOf(trace: InspectorTrace, ctx: ViewContext): Step[] {
  const L = trace.sizes.length - 1;
  const outNames = ctx.classNames.length === trace.sizes[L] ? ctx.classNames : undefined;
  const names = (l: number) => (l === L && outNames ? { names: outNames } : {});
  const f = (l: number) => (l === L ? trace.output : trace.hidden[l - 1]!);
  const steps: Step[] = [
    {
      phase: 'forward',
      title: 'Input',
      formula: `A[0] = X, one row: test sample ${trace.sample}`,
      body: (t) => {
        const out: HTMLElement[] = [];
        const shape = ctx.data.imageShape;
        if (shape) {
          const raw = ctx.data.rawTestInput(t.sample);
          out.push(el('div', { class: 'nv-sample' }, imageCanvas(raw, shape[0], shape[1], 'ink', ctx.rawMax, `test sample ${t.sample} as an image`)));
        }
        out.push(vectorBlock('A[0]', t.a[0]!));
        return out;
      },
    },
  ];
  for (let l = 1; l <= L; l++) {
    const a = l === L ? `Ŷ = A[${l}]` : `A[${l}]`;
    steps.push({
      phase: 'forward',
      title: `Forward, layer ${l}`,
      formula: `Z[${l}] = A[${l - 1}] · W[${l}]ᵀ + b[${l}]    ${a} = ${f(l)}(Z[${l}])`,
      shapes: `(1 × ${trace.sizes[l]}) = (1 × ${trace.sizes[l - 1]}) · (${trace.sizes[l - 1]} × ${trace.sizes[l]}) + (1 × ${trace.sizes[l]})`,
      body: (t) => [vectorBlock(`Z[${l}]`, t.z[l]!, names(l)), vectorBlock(`A[${l}]`, t.a[l]!, names(l))],
    });
  }
  steps.push({
    phase: 'forward',
    title: 'Cost',
    formula: `C = ${trace.costName}(Ŷ, T)`,
    body: (t) => [vectorBlock('T', t.target, names(L)), el('p', { class: 'nv-scalar', text: `C = ${formatNumber(t.cost)}`, attrs: { 'data-quantity': 'C' } })],
  });
  steps.push({
    phase: 'backward',
    title: `Backward: the output error Δ[${L}]`,
    formula: trace.fused
      ? `Δ[${L}] = ∂C/∂Z[${L}] = (Ŷ − T) / m,  m = 1   (${trace.output} with ${trace.costName}, fused)`
      : `Δ[${L}] = ∂C/∂Z[${L}] = ∂C/∂Ŷ through ${trace.output}′(Z[${L}])  (m = 1)`,
    body: (t) => [vectorBlock(`Δ[${L}]`, t.delta[L]!, names(L))],
  });
  for (let l = L; l >= 1; l--) {
    const [rows, cols] = [trace.sizes[l]!, trace.sizes[l - 1]!];
    steps.push({
      phase: 'backward',
      title: `Backward, gradients of layer ${l}`,
      formula: `∂C/∂b[${l}] = column sums of Δ[${l}]    ∂C/∂W[${l}] = Δ[${l}]ᵀ · A[${l - 1}]`,
      shapes: `(${rows} × ${cols}) = (${rows} × 1) · (1 × ${cols}): for one sample an outer product`,
      body: (t) => [
        vectorBlock(`∂C/∂b[${l}]`, t.db[l]!, names(l)),
        matrixBlock(`∂C/∂W[${l}]`, t.dw[l]!, rows, cols, `Entry [j,k] is Δ[${l}]_j · A[${l - 1}]_k: every entry follows from the two vectors above.`),
      ],
    });
    if (l > 1) {
      steps.push({
        phase: 'backward',
        title: `Backward: the error Δ[${l - 1}]`,
        formula: `Δ[${l - 1}] = (Δ[${l}] · W[${l}]) ⊙ ${f(l - 1)}′(Z[${l - 1}])`,
        shapes: `(1 × ${cols}) = ((1 × ${rows}) · (${rows} × ${cols})) ⊙ (1 × ${cols})`,
        body: (t) => [vectorBlock(`${f(l - 1)}′(Z[${l - 1}])`, t.fprime[l - 1]!), vectorBlock(`Δ[${l - 1}]`, t.delta[l - 1]!)],
      });
    }
  }
  return steps;
}

/** The backprop inspector: one test sample's forward and backward pass, an equation at a time, with its real numbers. */
export function mountInspector(parent: HTMLElement, ctx: ViewContext): View & { show(i: number): void } {
  const { section, body } = viewSection(
    parent,
    'inspector',
    'Backprop inspector',
    'Pick a test sample and step through one forward and one backward pass with its numbers (a batch of m = 1, the library’s own values).',
    'inspector',
  );
  const count = ctx.data.test.count;
  const sampleInput = el('input', {
    testid: 'inspector-sample',
    attrs: { type: 'number', min: '0', max: String(Math.max(0, count - 1)), step: '1', value: '0', inputmode: 'numeric', id: 'nv-inspector-sample' },
  });
  const prev = el('button', { text: '◀ Previous step', testid: 'inspector-step-backward', attrs: { type: 'button' } });
  const next = el('button', { text: 'Next step ▶', testid: 'inspector-step-forward', attrs: { type: 'button' } });
  const all = el('button', { text: 'Show all steps', attrs: { type: 'button' } });
  const status = el('p', { class: 'nv-status', attrs: { 'aria-live': 'polite' } });
  const summary = el('p', { class: 'nv-summary' });
  const list = el('ol', { class: 'nv-steps' });
  body.append(
    el('div', { class: 'nv-controls' }, el('label', { text: `Test sample (0–${count - 1}) `, attrs: { for: 'nv-inspector-sample' } }), sampleInput, prev, next, all),
    status,
    summary,
    list,
  );

  let net: Network | null = null;
  let sample = 0;
  let shown = 1;
  let steps: Step[] = [];
  let trace: InspectorTrace | null = null;

  function render(focusLast = false): void {
    if (!net || count === 0) return;
    trace = traceSample(net, ctx.data.test, sample);
    steps = stepsOf(trace, ctx);
    shown = Math.max(1, Math.min(shown, steps.length));
    const L = trace.sizes.length - 1;
    const yhat = trace.a[L]!;
    const predicted = predictedClass(yhat, 0, yhat.length);
    const nameOf = (k: number | undefined) => (k === undefined ? '—' : (ctx.classNames[k] ?? String(k)));
    summary.textContent =
      ctx.classNames.length > 0
        ? `Sample ${sample}: label ${nameOf(trace.label)}, predicted ${nameOf(predicted)}, cost C = ${formatNumber(trace.cost)}.`
        : `Sample ${sample}: cost C = ${formatNumber(trace.cost)}.`;
    list.replaceChildren(
      ...steps.slice(0, shown).map((s, i) => {
        const item = el('li', { class: `nv-step nv-${s.phase}${i === shown - 1 ? ' nv-current' : ''}`, attrs: { 'data-step': String(i) } });
        item.append(el('h3', { text: `${i + 1}. ${s.title}` }), el('p', { class: 'nv-formula', text: s.formula }));
        if (s.shapes) item.append(el('p', { class: 'nv-shapes', text: `shapes: ${s.shapes}` }));
        item.append(...s.body(trace!));
        return item;
      }),
    );
    status.textContent = `Step ${shown} of ${steps.length}: ${steps[shown - 1]!.title}`;
    // a keyboard user at either end keeps the focus on a button that still works
    const focused = document.activeElement;
    prev.disabled = shown <= 1;
    next.disabled = shown >= steps.length;
    all.disabled = shown >= steps.length;
    if (next.disabled && (focused === next || focused === all)) prev.focus();
    if (prev.disabled && focused === prev) next.focus();
    if (focusLast) list.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }

  function show(i: number): void {
    sample = Math.max(0, Math.min(count - 1, Math.floor(i)));
    sampleInput.value = String(sample);
    render();
  }

  sampleInput.addEventListener('change', () => {
    const v = Number(sampleInput.value);
    if (Number.isFinite(v)) show(v);
    else sampleInput.value = String(sample);
  });
  next.addEventListener('click', () => {
    shown++;
    render(true);
  });
  prev.addEventListener('click', () => {
    shown--;
    render(true);
  });
  all.addEventListener('click', () => {
    shown = steps.length;
    render();
  });

  return {
    update(n: Network) {
      net = n;
      render();
    },
    show(i: number) {
      show(i);
      section.scrollIntoView({ block: 'start' });
    },
  };
}
