import type { FinalEvaluation, History } from '../train/history.js';
import { buildCharts, type ChartSpec, hiddenActivation } from './charts.js';
import { chartJsSource } from './chart-library.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { escapeHtml as esc, formatCount, formatNumber, formatPercent, formatSeconds, formatTimestamp, jsonForScript, scriptSafe } from './html.js';
import { REPORT_CSS } from './styles.js';

/** Most misclassified samples drawn in the grid. */
const MAX_SAMPLES = 48;

/** `N0/N1/.../NL`, the notes' way of writing a network. */
export function architecture(sizes: readonly number[]): string {
  return sizes.join('/');
}

function className(history: History, k: number): string {
  return history.meta.classNames?.[k] ?? String(k);
}

/** The headline number: test (or validation) accuracy, else its MSE, else the last epoch's. */
interface Headline {
  label: string;
  value: number;
  text: string;
  detail: string;
  testid: string;
}

function headline(history: History): Headline | undefined {
  const f = history.final;
  const last = history.epochs[history.epochs.length - 1];
  const splitName = f?.split === 'validation' ? 'Validation' : 'Test';
  if (f?.accuracy !== undefined) {
    const correct = Math.round(f.accuracy * f.count);
    return {
      label: `${splitName} accuracy`,
      value: f.accuracy,
      text: formatPercent(f.accuracy),
      detail: `${formatCount(correct)} / ${formatCount(f.count)} correct`,
      testid: 'kpi-final-accuracy',
    };
  }
  if (f?.mse !== undefined)
    return { label: `${splitName} MSE`, value: f.mse, text: formatNumber(f.mse), detail: `on ${formatCount(f.count)} samples`, testid: 'kpi-final-mse' };
  if (last?.valAccuracy !== undefined)
    return { label: 'Validation accuracy', value: last.valAccuracy, text: formatPercent(last.valAccuracy), detail: `after epoch ${last.epoch}`, testid: 'kpi-final-accuracy' };
  if (last?.trainAccuracy !== undefined)
    return { label: 'Training accuracy', value: last.trainAccuracy, text: formatPercent(last.trainAccuracy), detail: `after epoch ${last.epoch}`, testid: 'kpi-final-accuracy' };
  return undefined;
}

function kpi(label: string, valueText: string, detail: string, testid: string, value: number | undefined, primary = false): string {
  const dataValue = value === undefined || !Number.isFinite(value) ? '' : ` data-value="${value}"`;
  return `<div class="kpi${primary ? ' primary' : ''}" data-testid="${testid}"><div class="label">${esc(label)}</div><div class="value"${dataValue}>${esc(valueText)}</div><div class="detail">${esc(detail)}</div></div>`;
}

function stopText(history: History): { text: string; warn: boolean } {
  const ran = history.epochs.length;
  const planned = history.meta.epochs;
  switch (history.stopReason) {
    case 'completed':
      return { text: `completed ${ran} of ${planned} epochs`, warn: false };
    case 'early-stopping':
      return { text: `stopped early after ${ran} of ${planned} epochs${history.bestEpoch ? `; best epoch ${history.bestEpoch}` : ''}`, warn: false };
    case 'converged':
      return { text: history.stopMessage ?? `converged after ${ran} epochs`, warn: false };
    case 'budget':
      return { text: history.stopMessage ?? `stopped at the budget of ${history.meta.maxSteps} steps`, warn: true };
    default:
      return { text: `stopped after ${ran} of ${planned} epochs: ${history.stopReason}${history.stopMessage ? ` (${history.stopMessage})` : ''}`, warn: true };
  }
}

function renderHeader(history: History): string {
  const m = history.meta;
  const last = history.epochs[history.epochs.length - 1];
  const head = headline(history);
  const stop = stopText(history);
  const cards: string[] = [];
  if (head) cards.push(kpi(head.label, head.text, head.detail, head.testid, head.value, true));
  if (history.final) cards.push(kpi(`${history.final.split} cost`, formatNumber(history.final.cost), `${m.cost}`, 'kpi-final-cost', history.final.cost));
  if (last) cards.push(kpi('Last training cost', formatNumber(last.trainCost), `epoch ${last.epoch}`, 'kpi-train-cost', last.trainCost));
  const best = bestValidation(history);
  if (best) cards.push(kpi('Best validation accuracy', formatPercent(best.value), `epoch ${best.epoch}`, 'kpi-best-val', best.value));
  cards.push(kpi('Training time', formatSeconds(history.totalSeconds), `${history.epochs.length} epochs · ${m.backend} backend, ${m.threads} thread${m.threads === 1 ? '' : 's'}`, 'kpi-time', history.totalSeconds));
  const title = `${m.dataset ?? 'Training run'} · ${architecture(m.sizes)}`;
  return `<header class="hero"><div class="wrap">
<div class="brand"><b>∇</b> Nabla training report</div>
<h1 data-testid="title">${esc(title)}</h1>
<p class="sub">${esc(m.task)} · started ${esc(formatTimestamp(m.startedAt))} · <span class="${stop.warn ? 'stop-warn' : ''}" data-testid="stop">${esc(stop.text)}</span></p>
<div class="kpis">${cards.join('')}</div>
</div></header>`;
}

function bestValidation(history: History): { epoch: number; value: number } | undefined {
  let best: { epoch: number; value: number } | undefined;
  for (const e of history.epochs)
    if (e.valAccuracy !== undefined && Number.isFinite(e.valAccuracy) && (!best || e.valAccuracy > best.value)) best = { epoch: e.epoch, value: e.valAccuracy };
  return best;
}

function fact(name: string, value: string, testid?: string, dataValue?: number): string {
  const attrs = (testid ? ` data-testid="${testid}"` : '') + (dataValue !== undefined ? ` data-value="${dataValue}"` : '');
  return `<dt>${esc(name)}</dt><dd${attrs}>${value}</dd>`;
}

function optimizerText(opt: History['meta']['optimizer']): string {
  const params = Object.entries(opt)
    .filter(([k]) => k !== 'name')
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v, 6) : String(v)}`);
  return params.length ? `${opt.name} (${params.join(', ')})` : opt.name;
}

/** The meta fields the Run section shows in their own rows; any others (from newer versions, or fit's extras) are listed after them. */
const SHOWN_META = new Set([
  'command', 'dataset', 'sizes', 'hidden', 'output', 'cost', 'task', 'classNames', 'optimizer', 'schedule',
  'batchSize', 'epochs', 'seed', 'backend', 'threads', 'backendReason', 'numBiases', 'numWeights', 'trainCount', 'valCount', 'startedAt',
]);

/** Facts for meta fields the report has no row for: `dropout 0.1`, `clipNorm 1` ... (plain values and lists of them only). */
function extraFacts(meta: History['meta']): string[] {
  const plain = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  return Object.entries(meta as unknown as Record<string, unknown>)
    .filter(([k]) => !SHOWN_META.has(k))
    .flatMap(([k, v]) => {
      if (plain(v)) return [fact(k, esc(typeof v === 'number' ? formatNumber(v, 6) : String(v)))];
      if (Array.isArray(v) && v.length > 0 && v.every(plain)) return [fact(k, esc(v.map(String).join(', ')))];
      return [];
    });
}

function renderRun(history: History): string {
  const m = history.meta;
  const L = m.sizes.length - 1;
  const hidden = Array.from({ length: Math.max(0, L - 1) }, (_, i) => hiddenActivation(history, i + 1));
  const uniqueHidden = [...new Set(hidden)];
  const epochSeconds = history.epochs.map((e) => e.seconds).filter((s) => Number.isFinite(s));
  const meanEpoch = epochSeconds.length ? epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length : undefined;
  const command = m.command
    ? `<pre class="command" data-testid="command"><span class="prompt">$ </span>${esc(m.command)}</pre>`
    : '<p class="note">No command line was recorded (the run was started from the library API).</p>';
  const model = [
    fact('architecture', `<code>${esc(architecture(m.sizes))}</code>`, 'architecture'),
    fact('layers', `L = ${L} (${Math.max(0, L - 1)} hidden)`),
    fact('biases N_b', formatCount(m.numBiases), 'num-biases', m.numBiases),
    fact('weights N_w', formatCount(m.numWeights), 'num-weights', m.numWeights),
    fact('hidden activation', esc(uniqueHidden.length ? uniqueHidden.join(', ') : 'none')),
    fact('output · cost', `${esc(m.output)} · ${esc(m.cost)}`),
    fact('task', esc(m.task) + (m.classNames ? ` (${m.classNames.length} classes)` : '')),
  ];
  const training = [
    fact('data set', esc(m.dataset ?? '–'), 'dataset'),
    fact('samples', `${formatCount(m.trainCount)} training${m.valCount !== undefined ? ` · ${formatCount(m.valCount)} validation` : ''}`),
    fact('optimizer', esc(optimizerText(m.optimizer)), 'optimizer'),
    fact('schedule', esc(m.schedule ?? 'constant')),
    fact('batch size', String(m.batchSize), 'batch-size', m.batchSize),
    fact('epochs', m.maxSteps !== undefined ? `${history.epochs.length} run, until converged (budget ${formatCount(m.maxSteps)} steps)` : `${history.epochs.length} run of ${m.epochs}`),
    fact('seed', String(m.seed)),
    ...extraFacts(m),
  ];
  const machine = [
    fact('backend', esc(m.backend), 'backend'),
    fact('threads', `${m.threads}${m.backendReason ? ` <span class="note" data-testid="backend-reason">(${esc(m.backendReason)})</span>` : ''}`, 'threads', m.threads),
    fact('total time', formatSeconds(history.totalSeconds), 'total-time', history.totalSeconds),
    fact('per epoch', meanEpoch === undefined ? '–' : `${formatSeconds(meanEpoch)} mean`),
    fact('started', esc(formatTimestamp(m.startedAt))),
    fact('stop', esc(history.stopReason)),
  ];
  const block = (title: string, rows: string[]) => `<div><h3>${title}</h3><dl>${rows.join('')}</dl></div>`;
  return `<section class="card" id="run"><h2>Run</h2>${command}
<div class="facts">${block('Model', model)}${block('Training', training)}${block('Machine', machine)}</div></section>`;
}

function renderChart(spec: ChartSpec): string {
  return `<figure class="chart card" data-chart="${esc(spec.id)}"><h3>${esc(spec.title)}</h3><p class="caption">${esc(spec.caption)}</p>
<div class="chart-box"><canvas id="${esc(spec.id)}" data-testid="${esc(spec.id)}" role="img" aria-label="${esc(spec.title)}"></canvas></div></figure>`;
}

/** Cell colour: blue by the share of the row on the diagonal, red on errors (√ so that small error rates still show). */
function cellStyle(count: number, rowTotal: number, diagonal: boolean): string {
  if (count === 0 || rowTotal === 0) return '';
  const share = count / rowTotal;
  const alpha = diagonal ? 0.12 + 0.88 * share : Math.min(1, 0.1 + 0.9 * Math.sqrt(share));
  const rgb = diagonal ? '37, 99, 235' : '220, 38, 38';
  const text = alpha > 0.55 ? ' color: #fff;' : '';
  return ` style="background: rgba(${rgb}, ${alpha.toFixed(3)});${text}"`;
}

/** A per-class rate for the confusion table's margins, short enough to keep its columns narrow: '97.3%', '100%'. */
function formatRate(count: number, total: number): string {
  if (total === 0) return '–';
  return count === total ? '100%' : `${((100 * count) / total).toFixed(1)}%`;
}

function renderConfusion(history: History, final: FinalEvaluation, confusion: number[][]): string {
  const k = confusion.length;
  const total = confusion.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const colTotals = Array.from({ length: k }, (_, j) => confusion.reduce((s, row) => s + (row[j] ?? 0), 0));
  const head = Array.from({ length: k }, (_, j) => `<th scope="col">${esc(className(history, j))}</th>`).join('');
  const rows = confusion
    .map((row, i) => {
      const rowTotal = row.reduce((a, b) => a + b, 0);
      const cells = row
        .map((c, j) => `<td class="cm${c === 0 ? ' zero' : ''}" data-count="${c}" data-true="${i}" data-pred="${j}"${cellStyle(c, rowTotal, i === j)} title="true ${esc(className(history, i))}, predicted ${esc(className(history, j))}: ${c}">${c}</td>`)
        .join('');
      const recall = formatRate(row[i] ?? 0, rowTotal);
      return `<tr><th scope="row" class="row">${esc(className(history, i))}</th>${cells}<td class="rate">${recall}</td></tr>`;
    })
    .join('\n');
  const precision = colTotals.map((t, j) => `<td class="rate">${formatRate(confusion[j]?.[j] ?? 0, t)}</td>`).join('');
  return `<section class="card" id="confusion"><h2>Confusion matrix</h2>
<div class="table-scroll"><table class="confusion" data-testid="confusion-matrix" data-total="${total}">
<thead><tr><th class="axis">true ↓ · predicted →</th>${head}<th>recall</th></tr></thead>
<tbody>${rows}
<tr><th scope="row" class="row">precision</th>${precision}<td></td></tr></tbody></table></div>
<p class="note">${formatCount(total)} ${esc(final.split)} samples. Row i, column j counts samples of true class i predicted as j; colour shows the share of the row:
<span class="nowrap">correct <span class="legend-bar" style="background: linear-gradient(90deg, rgba(37,99,235,.12), rgb(37,99,235))"></span></span>
<span class="nowrap">wrong <span class="legend-bar" style="background: linear-gradient(90deg, rgba(220,38,38,.1), rgb(220,38,38))"></span></span></p></section>`;
}

function imageShape(final: FinalEvaluation): [number, number] | undefined {
  if (final.imageShape) return final.imageShape;
  const n = final.misclassified?.find((s) => s.pixels)?.pixels?.length;
  const side = n ? Math.round(Math.sqrt(n)) : 0;
  return side > 0 && side * side === n ? [side, side] : undefined;
}

function renderMisclassified(history: History, final: FinalEvaluation): string {
  const all = final.misclassified ?? [];
  const shown = all.slice(0, MAX_SAMPLES);
  const shape = imageShape(final);
  const wrong = Math.max(all.length, final.accuracy !== undefined ? Math.round((1 - final.accuracy) * final.count) : 0);
  const intro = `<p class="note">${shown.length} of ${formatCount(wrong)} misclassified ${esc(final.split)} samples: <span class="truth">true</span> → <span class="pred">predicted</span>.</p>`;
  if (!shape || !shown.some((s) => s.pixels)) {
    // Not images: a list in newspaper columns reads better than a grid of captions.
    const items = shown
      .map((s) => `<li><span class="idx">#${s.index}</span> <span class="truth">${esc(className(history, s.label))}</span> → <span class="pred">${esc(className(history, s.predicted))}</span></li>`)
      .join('');
    return `<section class="card" id="misclassified"><h2>Misclassified samples</h2>${intro}<ul class="misclassified" data-testid="misclassified-list">${items}</ul></section>`;
  }
  const items = shown
    .map((s, i) => {
      const img = s.pixels ? `<canvas width="${shape[1]}" height="${shape[0]}" data-sample="${i}" data-testid="misclassified-image"></canvas>` : '';
      return `<figure class="sample">${img}<figcaption><span class="truth">${esc(className(history, s.label))}</span> → <span class="pred">${esc(className(history, s.predicted))}</span><span class="idx">#${s.index}</span></figcaption></figure>`;
    })
    .join('');
  return `<section class="card" id="misclassified"><h2>Misclassified samples</h2>${intro}<div class="samples" data-testid="misclassified-grid">${items}</div></section>`;
}

function renderEpochTable(history: History): string {
  const has = (pick: (e: History['epochs'][number]) => number | undefined) => history.epochs.some((e) => pick(e) !== undefined);
  const cols: { name: string; cell: (e: History['epochs'][number]) => string }[] = [{ name: 'epoch', cell: (e) => String(e.epoch) }];
  cols.push({ name: 'training cost', cell: (e) => formatNumber(e.trainCost) });
  if (has((e) => e.trainAccuracy)) cols.push({ name: 'training accuracy', cell: (e) => formatPercent(e.trainAccuracy) });
  if (has((e) => e.trainMse)) cols.push({ name: 'training MSE', cell: (e) => formatNumber(e.trainMse) });
  if (has((e) => e.valCost)) cols.push({ name: 'validation cost', cell: (e) => formatNumber(e.valCost) });
  if (has((e) => e.valAccuracy)) cols.push({ name: 'validation accuracy', cell: (e) => formatPercent(e.valAccuracy) });
  if (has((e) => e.valCorrect)) cols.push({ name: 'correct', cell: (e) => (e.valCorrect === undefined ? '–' : `${e.valCorrect} / ${e.valCount ?? '?'}`) });
  if (has((e) => e.valMse)) cols.push({ name: 'validation MSE', cell: (e) => formatNumber(e.valMse) });
  cols.push({ name: 'learning rate', cell: (e) => formatNumber(e.lr) });
  cols.push({ name: 'time', cell: (e) => formatSeconds(e.seconds) });
  const head = cols.map((c) => `<th scope="col">${c.name}</th>`).join('');
  const body = history.epochs
    .map((e) => `<tr${e.epoch === history.bestEpoch ? ' class="best"' : ''} data-epoch="${e.epoch}">${cols.map((c) => `<td>${esc(c.cell(e))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<section class="card" id="epochs"><h2>Epochs</h2><div class="table-scroll"><table class="epochs" data-testid="epoch-table"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`;
}

/**
 * One self-contained HTML document showing a training run: header with the key result, the run's
 * command line, model, hyperparameters and machine, the charts (cost, accuracy, per-batch cost,
 * learning rate, per-layer gradient norms on a log scale, saturated/dead units, the fitted curve
 * of a 1-D regression), the confusion matrix as a coloured table, the misclassified images and an
 * epoch table. Chart.js, the history (JSON), the styles and the page's script are all inlined:
 * opening it makes no network request and needs no file beside it.
 *
 * @example
 * const html = renderReport(history);
 * await writeFile('run.html', html);
 */
export function renderReport(history: History): string {
  const m = history.meta;
  const specs = buildCharts(history);
  const final = history.final;
  const confusion = final?.confusion && final.confusion.length > 0 ? renderConfusion(history, final, final.confusion) : '';
  const samples = final?.misclassified && final.misclassified.length > 0 ? renderMisclassified(history, final) : '';
  const title = `Nabla · ${m.dataset ?? 'training run'} · ${architecture(m.sizes)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Nabla">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${renderHeader(history)}
<main class="wrap">
${renderRun(history)}
<section class="charts" id="charts">
${specs.map(renderChart).join('\n')}
</section>
${confusion && samples && (final?.confusion?.length ?? 0) <= 12 ? `<div class="pair">${confusion}${samples}</div>` : confusion + samples}
${renderEpochTable(history)}
</main>
<footer class="wrap">Written by Nabla. Everything this page shows is inside this one file: the training history as JSON (<code>#nabla-history</code>) and Chart.js ${esc(chartJsVersion())} (MIT licence).</footer>
<script type="application/json" id="nabla-history">${jsonForScript(history)}</script>
<script type="application/json" id="nabla-charts">${jsonForScript(specs)}</script>
<script>${scriptSafe(chartJsSource())}</script>
<script>${scriptSafe(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}

function chartJsVersion(): string {
  return /Chart\.js v([\d.]+)/.exec(chartJsSource().slice(0, 200))?.[1] ?? '';
}
