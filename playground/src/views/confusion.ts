import { forwardInChunks } from './chunked.js';
import { el, formatNumber, nextTask, viewSection } from './dom.js';
import { imageCanvas } from './images.js';
import { predictedClass, type Network } from './lib.js';
import type { View, ViewContext } from './types.js';

/** At most this many misclassified samples are listed. */
const MAX_SHOWN = 60;

/** confusion[true][predicted] counts and the predicted class of every test sample. */
export interface TestPredictions {
  confusion: number[][];
  predicted: Int32Array;
  /** The predicted class's probability per sample. */
  confidence: Float32Array;
}

/** The confusion matrix of the test set, and the misclassified test samples (as images for image sets); two sections. */
export function mountConfusion(parent: HTMLElement, ctx: ViewContext): View {
  const { data, classNames } = ctx;
  const test = data.test;
  const K = classNames.length;
  const { body } = viewSection(
    parent,
    'confusion',
    'Confusion matrix',
    'Test samples counted by true class (rows) and predicted class (columns); the diagonal is correct. Shading is the share of the row.',
    'confusion',
  );
  const accuracy = el('p', { class: 'nv-summary', attrs: { 'aria-live': 'polite' } });
  const table = el('table', { class: 'nv-confusion' });
  body.append(accuracy, el('div', { class: 'nv-scroll' }, table));
  const { body: missBody } = viewSection(
    parent,
    'misclassified',
    'Misclassified test samples',
    'Each shows the true class → the predicted one (and the network’s probability for it). Select one to open it in the backprop inspector.',
    'misclassified',
  );
  const missNote = el('p', { class: 'nv-note' });
  const missList = el('ol', { class: data.imageShape ? 'nv-grid nv-miss' : 'nv-miss-rows' });
  missBody.append(missNote, missList);
  let generation = 0;

  async function render(p: TestPredictions, mine: number): Promise<void> {
    const labels = test.labels!;
    let correct = 0;
    for (let k = 0; k < K; k++) correct += p.confusion[k]![k]!;
    accuracy.textContent = `Test accuracy ${test.count ? ((100 * correct) / test.count).toFixed(1) : '—'}% (${correct} of ${test.count}).`;
    // long names (Fashion-MNIST's) head the rows in full and the columns by their number
    const short = classNames.every((c) => c.length <= 3);
    const colName = (k: number): string => (short ? classNames[k]! : String(k));
    const rowName = (k: number): string => (short ? classNames[k]! : `${k} ${classNames[k]}`);
    const head = el(
      'tr',
      {},
      el('th', { text: 'T \\ P', attrs: { scope: 'col', title: 'rows: true class (T); columns: predicted class (P)' } }),
      ...classNames.map((c, k) => el('th', { text: colName(k), attrs: { scope: 'col', title: c, 'aria-label': c } })),
    );
    const rows = p.confusion.map((row, t) => {
      const total = row.reduce((s, v) => s + v, 0);
      return el(
        'tr',
        {},
        el('th', { text: rowName(t), attrs: { scope: 'row' } }),
        ...row.map((v, q) => {
          const share = total ? v / total : 0;
          const td = el('td', { text: String(v), attrs: { title: `true ${classNames[t]}, predicted ${classNames[q]}: ${v}` } });
          if (v > 0) td.style.background = t === q ? `rgba(44, 140, 80, ${0.15 + 0.85 * share})` : `rgba(200, 50, 50, ${0.2 + 0.8 * share})`;
          if (share > 0.55) td.style.color = '#fff';
          return td;
        }),
      );
    });
    table.replaceChildren(el('caption', { text: 'rows: true class (T); columns: predicted class (P)' }), el('thead', {}, head), el('tbody', {}, ...rows));

    const wrong: number[] = [];
    for (let i = 0; i < test.count; i++) if (p.predicted[i] !== labels[i]) wrong.push(i);
    missNote.textContent = wrong.length === 0 ? 'None: every test sample is classified correctly.' : `${wrong.length} misclassified${wrong.length > MAX_SHOWN ? `; the first ${MAX_SHOWN} shown` : ''}.`;
    const item = (i: number): HTMLElement => {
        const caption = `${classNames[labels[i]!]} → ${classNames[p.predicted[i]!]}`;
        const prob = `${(100 * p.confidence[i]!).toFixed(0)}%`;
        const button = el('button', { class: 'nv-miss-item', attrs: { type: 'button', 'aria-label': `test sample ${i}: true ${classNames[labels[i]!]}, predicted ${classNames[p.predicted[i]!]} (${prob}); open in the inspector`, 'data-sample': String(i) } });
        const raw = data.rawTestInput(i);
        if (data.imageShape) button.append(imageCanvas(raw, data.imageShape[0], data.imageShape[1], 'ink', ctx.rawMax, `test sample ${i}`));
        else button.append(el('span', { class: 'nv-features', text: `#${i}: ${Array.from(raw.subarray(0, 6), formatNumber).join(', ')}${raw.length > 6 ? ', …' : ''}` }));
        button.append(el('span', { class: 'nv-caption', text: caption }), el('span', { class: 'nv-prob', text: prob }));
        button.addEventListener('click', () => ctx.inspect(i));
        return el('li', {}, button);
    };
    // A dozen images a task: each new canvas costs the browser a 2-D context, and 60 at once would hold the page.
    missList.replaceChildren();
    const shown = wrong.slice(0, MAX_SHOWN);
    for (let k = 0; k < shown.length; k += 12) {
      if (k > 0) {
        await nextTask();
        if (mine !== generation) return;
      }
      missList.append(...shown.slice(k, k + 12).map(item));
    }
  }

  return {
    update(net: Network) {
      const mine = ++generation;
      const n = net.sizes[net.sizes.length - 1]!;
      const result: TestPredictions = {
        confusion: Array.from({ length: K }, () => new Array<number>(K).fill(0)),
        predicted: new Int32Array(test.count),
        confidence: new Float32Array(test.count),
      };
      const ids = new Int32Array(256);
      const fill = (start: number, m: number, x: Float32Array | Float64Array): void => {
        for (let r = 0; r < m; r++) ids[r] = start + r;
        test.gatherInputs(ids.subarray(0, m), x);
      };
      const take = (start: number, m: number, yhat: Float32Array | Float64Array): void => {
        for (let r = 0; r < m; r++) {
          const k = predictedClass(yhat, r, n);
          result.predicted[start + r] = k;
          result.confidence[start + r] = n === 1 ? (k === 1 ? yhat[r]! : 1 - yhat[r]!) : yhat[r * n + k]!;
          const row = result.confusion[test.labels![start + r]!];
          if (row && k < K) row[k]!++;
        }
      };
      void forwardInChunks(net, test.count, fill, take, () => mine === generation, 256).then((done) => {
        if (done) return render(result, mine);
      });
    },
    dispose() {
      generation++;
    },
  };
}
