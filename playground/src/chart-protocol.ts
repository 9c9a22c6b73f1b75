import type { BatchInfo, EpochRecord } from './nabla.js';

export const CHART_NAMES = ['chart-cost', 'chart-accuracy', 'chart-batch-cost', 'chart-batch-lr', 'chart-grad-norms', 'chart-units'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

/** Messages from the page to the chart worker. */
export type ChartMessage =
  | { type: 'init'; canvases: Record<ChartName, OffscreenCanvas>; ratio: number }
  | { type: 'resize'; name: ChartName; width: number; height: number }
  | { type: 'reset' }
  | { type: 'batches'; batches: BatchInfo[] }
  | { type: 'epoch'; record: EpochRecord; hiddenNames: string[] };
