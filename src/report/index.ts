/** The HTML training report and the history file it can be re-rendered from. */
export { renderReport, architecture } from './render.js';
export { writeReport } from './write-report.js';
export { writeHistory, readHistory, parseHistory, historyJson, HISTORY_FORMAT, HISTORY_VERSION } from './history-file.js';
export { buildCharts, ema, emaSpan, type ChartSpec } from './charts.js';
export { finalEvaluation, type FinalEvaluationOptions } from './final-evaluation.js';
