// Placeholder until the views branch (helper "viz") is merged: this file is replaced by theirs.
import type { Dataset, Network } from '../../../src/index.js';

export interface ViewData {
  name: string;
  train: Dataset;
  test: Dataset;
  imageShape?: readonly [number, number];
  classNames?: readonly string[];
  rawTestInput(i: number): Float32Array;
  scaleInput(raw: Float32Array): Float32Array;
  extent?: { xmin: number; xmax: number; ymin: number; ymax: number };
}

export interface Views {
  update(net: Network): void;
  dispose(): void;
}

export function mountViews(root: HTMLElement, _data: ViewData, _net: Network): Views {
  const section = document.createElement('div');
  section.dataset.testid = 'views';
  root.append(section);
  return { update: () => {}, dispose: () => section.remove() };
}
