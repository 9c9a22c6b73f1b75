/**
 * The page's side of the live charts: the figures and their canvases, handed to the chart worker
 * (chart-worker.ts) as OffscreenCanvases; records are forwarded, sizes followed.
 */
import { CHART_NAMES, type ChartMessage, type ChartName } from './chart-protocol.js';
import type { BatchInfo, EpochRecord } from './nabla.js';

const TITLES: Record<ChartName, string> = {
  'chart-cost': 'Cost per epoch',
  'chart-accuracy': 'Accuracy per epoch',
  'chart-batch-cost': 'Cost per mini-batch',
  'chart-batch-lr': 'Learning rate',
  'chart-grad-norms': 'Gradient norm ‖∂C/∂W[ℓ]‖ per layer (log scale)',
  'chart-units': 'Dead or saturated units per hidden layer',
};

export class LiveCharts {
  private readonly worker: Worker;

  constructor(root: HTMLElement) {
    this.worker = new Worker(new URL('chart-worker.js', document.baseURI), { type: 'module', name: 'nabla-charts' });
    const canvases = {} as Record<ChartName, OffscreenCanvas>;
    const observer = new ResizeObserver((entries) => {
      for (const e of entries) {
        const name = (e.target as HTMLElement).dataset.chart as ChartName;
        this.post({ type: 'resize', name, width: Math.round(e.contentRect.width), height: Math.round(e.contentRect.height) });
      }
    });
    root.replaceChildren();
    for (const name of CHART_NAMES) {
      const figure = document.createElement('figure');
      figure.className = 'chart';
      figure.dataset.testid = name;
      const caption = document.createElement('figcaption');
      caption.textContent = TITLES[name];
      const box = document.createElement('div');
      box.className = 'chart-box';
      box.dataset.chart = name;
      const canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', TITLES[name]);
      box.append(canvas);
      figure.append(caption, box);
      root.append(figure);
      canvases[name] = canvas.transferControlToOffscreen();
      observer.observe(box);
    }
    this.worker.postMessage({ type: 'init', canvases, ratio: devicePixelRatio } satisfies ChartMessage, Object.values(canvases));
  }

  private post(m: ChartMessage): void {
    this.worker.postMessage(m);
  }

  /** Clears every series (a new run). */
  reset(): void {
    this.post({ type: 'reset' });
  }

  addBatches(batches: BatchInfo[]): void {
    this.post({ type: 'batches', batches });
  }

  addEpoch(record: EpochRecord, hiddenNames: string[]): void {
    this.post({ type: 'epoch', record, hiddenNames });
  }
}
