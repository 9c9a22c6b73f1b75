/**
 * Test harness for the views: reads a data set the test serialises (data.json), trains a small
 * network on it in the page for a few epochs, and mounts the views. Exposes the trained weights on
 * `window.harness` so the test can recompute everything independently.
 */
import { Network, adam, applyScaling, arrayDataset, fit } from '../../../../src/index.js';
import { mountViews, type ViewData } from '../index.js';

/** What the test writes into data.json. */
export interface HarnessInput {
  name: string;
  cols: number;
  trainX: number[];
  trainLabels: number[];
  testX: number[];
  testLabels: number[];
  classes: number;
  /** The page's input scaling x′ = x · scale. */
  scale: number;
  layers: number[];
  epochs: number;
  lr: number;
  imageShape?: [number, number];
  classNames?: string[];
  extent?: { xmin: number; xmax: number; ymin: number; ymax: number };
}

declare global {
  interface Window {
    harness: { ready: boolean; weights: number[][]; biases: number[][]; error?: string; timeUpdate?: () => number };
  }
}

async function main(): Promise<void> {
  const input = (await (await fetch('./data.json')).json()) as HarnessInput;
  const { cols, scale } = input;
  // the page's input scaling x′ = (x − 0) · scale, applied as the library applies a fitted one (so `unscaled` holds the raw values)
  const scaling = { kind: 'minmax' as const, shift: new Float32Array(cols), scale: new Float32Array(cols).fill(scale) };
  const dataset = (x: number[], labels: number[], part: string) =>
    applyScaling(arrayDataset({ rows: x.length / cols, cols, data: x }, { labels, task: 'classification', classes: input.classes }, `${input.name}-${part}`), scaling);
  const train = dataset(input.trainX, input.trainLabels, 'train');
  const test = dataset(input.testX, input.testLabels, 'test');
  const net = Network.create(input.layers, { seed: 1 });
  await fit(net, train, { epochs: input.epochs, batchSize: 32, optimizer: adam({ lr: input.lr }), seed: 1 });
  const data: ViewData = {
    name: input.name,
    train,
    test,
    rawTestInput: (i) => Float32Array.from(input.testX.slice(i * cols, (i + 1) * cols)),
    scaleInput: (raw) => raw.map((v) => v * scale),
    ...(input.imageShape ? { imageShape: input.imageShape } : {}),
    ...(input.classNames ? { classNames: input.classNames } : {}),
    ...(input.extent ? { extent: input.extent } : {}),
  };
  const views = mountViews(document.getElementById('root')!, data, net);
  window.harness = {
    ready: true,
    weights: net.layers.map((l) => Array.from(l.w)),
    biases: net.layers.map((l) => Array.from(l.b)),
    // milliseconds of main-thread work one views.update takes (its synchronous part), for the report
    timeUpdate: () => {
      const t0 = performance.now();
      views.update(net);
      return performance.now() - t0;
    },
  };
  document.getElementById('status')!.textContent = 'done';
}

main().catch((e: unknown) => {
  window.harness = { ready: false, weights: [], biases: [], error: String(e) };
  document.getElementById('status')!.textContent = `error: ${String(e)}`;
});
