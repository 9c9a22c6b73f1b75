/** The report's stylesheet: one column on phones, a two-column chart grid on wider screens, plain black-on-white in print. */
export const REPORT_CSS = `
:root {
  --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #f4f5f8; --card: #ffffff;
  --accent: #2563eb; --good: #15803d; --warn: #b45309; --bad: #b91c1c;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 20px; }

header.hero { background: linear-gradient(135deg, #0f172a 0%, #1e3a8a 100%); color: #f8fafc; padding: 28px 0 26px; }
.brand { font-size: 13px; letter-spacing: .08em; text-transform: uppercase; color: #93c5fd; font-weight: 600; }
.brand b { font-size: 16px; color: #fff; margin-right: 4px; }
header h1 { margin: 6px 0 4px; font-size: 28px; font-weight: 650; letter-spacing: -.01em; }
header .sub { margin: 0; color: #cbd5e1; font-size: 14px; }
header .sub .stop-warn { color: #fdba74; font-weight: 600; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 20px; }
.kpi { background: rgba(255,255,255,.08); border: 1px solid rgba(255,255,255,.14); border-radius: 10px; padding: 12px 14px; }
.kpi .label { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: #cbd5e1; }
.kpi .value { font-size: 26px; font-weight: 700; margin-top: 2px; font-variant-numeric: tabular-nums; }
.kpi .detail { font-size: 12.5px; color: #cbd5e1; }
.kpi.primary { background: #f8fafc; color: var(--ink); border-color: #f8fafc; }
.kpi.primary .label, .kpi.primary .detail { color: var(--muted); }
.kpi.primary .value { color: var(--good); font-size: 34px; }

main { padding: 22px 0 40px; }
section { margin-bottom: 22px; }
h2 { font-size: 19px; margin: 0 0 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 18px 20px; box-shadow: 0 1px 2px rgba(15,23,42,.05); }
pre.command { margin: 0 0 16px; padding: 10px 12px; background: #0f172a; color: #e2e8f0; border-radius: 8px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; }
pre.command .prompt { color: #64748b; user-select: none; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 6px 28px; }
.facts h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 4px 0 6px; }
.facts dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; font-size: 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }

.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 18px; }
figure.chart { margin: 0; display: flex; flex-direction: column; }
figure.chart h3 { margin: 0; font-size: 16px; }
figure.chart .caption { margin: 2px 0 10px; color: var(--muted); font-size: 13px; }
.chart-box { position: relative; height: 290px; width: 100%; }
.chart-error { color: var(--bad); font-weight: 600; }
.note { color: var(--muted); font-size: 13px; margin: 8px 0 0; }

.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13.5px; }
table.confusion th, table.confusion td { padding: 0; text-align: center; }
table.confusion td.cm { width: 44px; height: 34px; min-width: 38px; border: 1px solid #fff; }
table.confusion td.zero { color: #cbd5e1; }
table.confusion th { color: var(--muted); font-weight: 600; padding: 4px 8px; white-space: nowrap; }
table.confusion th.row { text-align: right; }
table.confusion td.rate { padding: 0 3px; color: var(--muted); font-size: 11.5px; }
table.confusion th.axis { white-space: normal; max-width: 96px; font-size: 12px; line-height: 1.2; }
table.confusion .axis { color: var(--ink); font-weight: 700; }
.nowrap { white-space: nowrap; }
.legend-bar { display: inline-block; width: 90px; height: 10px; vertical-align: middle; border-radius: 2px; margin: 0 6px; }

.pair { display: grid; grid-template-columns: fit-content(62%) minmax(0, 1fr); gap: 18px; align-items: start; margin-bottom: 22px; }
.pair > section { margin-bottom: 0; height: 100%; }
/* the note under the confusion matrix wraps to the table's width instead of widening the column */
.pair #confusion .note { width: 0; min-width: 100%; }
@media (max-width: 1100px) { .pair { grid-template-columns: minmax(0, 1fr); } }
.samples { display: grid; grid-template-columns: repeat(auto-fill, minmax(84px, 1fr)); gap: 10px; }
figure.sample { margin: 0; text-align: center; font-size: 12.5px; }
figure.sample canvas { width: 64px; height: 64px; image-rendering: pixelated; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
.truth { color: var(--good); font-weight: 650; }
.pred { color: var(--bad); font-weight: 650; }
ul.misclassified { list-style: none; padding: 0; margin: 0; columns: 19em; column-gap: 24px; font-size: 13.5px; }
ul.misclassified li { padding: 2px 0; break-inside: avoid; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
ul.misclassified .idx { color: var(--muted); font-variant-numeric: tabular-nums; display: inline-block; min-width: 3.2em; }
figure.sample .idx { display: block; color: var(--muted); font-size: 11px; }

table.epochs { width: 100%; }
table.epochs th, table.epochs td { padding: 5px 10px; text-align: right; border-bottom: 1px solid var(--line); white-space: nowrap; }
table.epochs th { color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); }
table.epochs tr.best td { background: #ecfdf5; font-weight: 600; }
footer { color: var(--muted); font-size: 12.5px; padding: 8px 0 30px; }

@media (max-width: 600px) {
  header h1 { font-size: 22px; }
  .kpi .value { font-size: 22px; }
  .kpi.primary .value { font-size: 28px; }
  .chart-box { height: 240px; }
}
@page { margin: 12mm; }
@media print {
  :root { background: #fff; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  header.hero { background: #fff; color: var(--ink); padding: 0 0 8px; border-bottom: 2px solid var(--ink); }
  .brand, header .sub, .kpi .label, .kpi .detail { color: var(--muted); }
  .brand b { color: var(--ink); }
  .kpi { background: #fff; border-color: var(--line); }
  .card { box-shadow: none; border-color: #d1d5db; break-inside: avoid; }
  .charts { grid-template-columns: 1fr 1fr; gap: 10px; }
  .chart-box { height: 220px; }
  pre.command { background: #f3f4f6; color: var(--ink); }
  main { padding-top: 12px; }
}
`;
