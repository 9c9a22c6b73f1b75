/**
 * The playground's views of a network and its data (PLAYGROUND-CONTRACT.md): first-layer weights
 * as images, decision regions, confusion matrix and misclassified samples, the backprop inspector
 * and draw-a-digit. The page mounts them once and calls `update` whenever the weights change.
 */
import { mountConfusion } from './confusion.js';
import { el, nextTask } from './dom.js';
import { mountDraw } from './draw.js';
import { mountInspector } from './inspector.js';
import { JsKernels, type Network } from './lib.js';
import { mountDecisionRegions } from './regions.js';
import { injectStyles } from './styles.js';
import type { View, ViewContext, ViewData, Views } from './types.js';
import { mountWeightImages } from './weights.js';

export type { ViewData, Views } from './types.js';

/** The class names of a classification set ('0', '1', ... when the data has none); empty for regression. */
function classNamesOf(data: ViewData): string[] {
  const test = data.test;
  if (test.task === 'regression' || !test.labels) return [];
  const count = test.task === 'binary' ? 2 : test.outputSize;
  const given = data.classNames ?? test.classNames ?? data.train.classNames;
  return Array.from({ length: count }, (_, k) => given?.[k] ?? String(k));
}

/** The raw value of a full pixel: the largest raw input over (up to 500) test samples, so 16 for the UCI digits, 255 for MNIST. */
function rawMaxOf(data: ViewData): number {
  let max = 0;
  for (let i = 0; i < Math.min(500, data.test.count); i++) {
    const raw = data.rawTestInput(i);
    for (let j = 0; j < raw.length; j++) max = Math.max(max, raw[j]!);
  }
  return max > 16 ? 255 : max > 1 ? 16 : 1;
}

/**
 * Mounts every view that fits the data into `root`, each a <section> with a heading and a stable
 * data-testid, and draws them for `net`. The views work on their own copy of the network (pure-JS
 * kernels), so they never touch the page's buffers or gradients.
 *
 * @example
 * const views = mountViews(document.querySelector('#views')!, data, net);
 * worker.onEpoch = (net) => views.update(net);
 */
export function mountViews(root: HTMLElement, data: ViewData, net: Network): Views {
  injectStyles(root.ownerDocument);
  const container = el('div', { class: 'nabla-views', testid: 'views' });
  root.append(container);
  const classNames = classNamesOf(data);
  const image = data.imageShape !== undefined;
  const twoD = data.test.inputSize === 2 && classNames.length > 0;
  let inspector: ReturnType<typeof mountInspector> | null = null;
  const ctx: ViewContext = { data, classNames, rawMax: image ? rawMaxOf(data) : 1, inspect: (i) => inspector?.show(i) };
  const views: View[] = [];
  if (image && classNames.length > 0) views.push(mountDraw(container, ctx));
  if (twoD) views.push(mountDecisionRegions(container, ctx));
  if (image) views.push(mountWeightImages(container, ctx));
  if (classNames.length > 0) views.push(mountConfusion(container, ctx));
  inspector = mountInspector(container, ctx);
  views.push(inspector);

  const updateAll = (n: Network): void => {
    const own = n.clone(new JsKernels());
    for (const v of views) v.update(own);
  };
  // While training, weights arrive every epoch: each view redraws in its own task (so no single
  // task holds the page's main thread long), and a newer network replaces one not yet drawn.
  let pending: Network | null = null;
  let drawing = false;
  const update = (n: Network): void => {
    pending = n;
    if (drawing) return;
    drawing = true;
    void (async () => {
      while (pending) {
        const own = pending.clone(new JsKernels());
        pending = null;
        for (const v of views) {
          v.update(own);
          await nextTask();
        }
      }
      drawing = false;
    })();
  };
  updateAll(net);
  return {
    update,
    dispose() {
      for (const v of views) v.dispose?.();
      container.remove();
    },
  };
}

