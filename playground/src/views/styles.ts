/** The views' style sheet, scoped under .nabla-views, added once per document. */
const CSS = `
.nabla-views { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 1rem; align-items: start; font: 15px/1.45 system-ui, sans-serif; color: #1b1f24; }
.nabla-views .nv-view { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.75rem 1rem; min-width: 0; }
.nabla-views .nv-view-inspector { grid-column: 1 / -1; }
.nabla-views h2 { font-size: 1.1rem; margin: 0 0 0.25rem; }
.nabla-views h3 { font-size: 0.95rem; margin: 0 0 0.25rem; }
.nabla-views .nv-intro { margin: 0 0 0.5rem; color: #57606a; font-size: 0.9rem; }
.nabla-views .nv-note, .nabla-views .nv-top { color: #57606a; font-size: 0.85rem; margin: 0.25rem 0; overflow-wrap: anywhere; }
.nabla-views button, .nabla-views input { font: inherit; min-height: 2.5rem; padding: 0.25rem 0.75rem; border: 1px solid #8c959f; border-radius: 6px; background: #f6f8fa; color: inherit; }
.nabla-views input[type=number] { width: 6rem; background: #fff; }
.nabla-views button:disabled { opacity: 0.45; }
.nabla-views :focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
.nabla-views .nv-controls { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
.nabla-views canvas.nv-pixels { image-rendering: pixelated; display: block; }
.nabla-views .nv-grid { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(60px, 1fr)); gap: 6px; }
.nabla-views .nv-grid li { text-align: center; font-size: 0.75rem; color: #57606a; }
.nabla-views .nv-grid canvas { width: 100%; aspect-ratio: 1; border: 1px solid #d0d7de; }
.nabla-views .nv-regions { width: 100%; max-width: 480px; aspect-ratio: 1; display: block; border: 1px solid #d0d7de; }
.nabla-views .nv-legend { list-style: none; padding: 0; margin: 0.5rem 0 0; display: flex; flex-wrap: wrap; gap: 0.75rem; font-size: 0.9rem; }
.nabla-views .nv-swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 50%; margin-right: 0.3em; vertical-align: -0.1em; border: 1px solid #0003; }
.nabla-views .nv-scroll { overflow-x: auto; }
.nabla-views .nv-confusion { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.9rem; }
.nabla-views .nv-confusion caption { caption-side: bottom; color: #57606a; font-size: 0.8rem; padding-top: 0.25rem; text-align: left; }
.nabla-views .nv-confusion th, .nabla-views .nv-confusion td { border: 1px solid #d0d7de; padding: 0.2rem 0.45rem; text-align: center; min-width: 1.8rem; }
.nabla-views .nv-confusion thead th:first-child { font-weight: normal; font-size: 0.75rem; color: #57606a; }
.nabla-views .nv-miss-item { display: flex; flex-direction: column; align-items: center; gap: 2px; width: 100%; padding: 4px; min-height: 0; }
.nabla-views .nv-miss-item canvas { width: 100%; aspect-ratio: 1; }
.nabla-views .nv-caption { font-size: 0.75rem; font-weight: 600; text-align: center; overflow-wrap: anywhere; line-height: 1.2; }
.nabla-views .nv-grid.nv-miss { grid-template-columns: repeat(auto-fill, minmax(76px, 1fr)); }
.nabla-views .nv-prob { font-size: 0.7rem; color: #57606a; }
.nabla-views .nv-miss-rows { list-style: none; padding: 0; margin: 0; display: grid; gap: 4px; }
.nabla-views .nv-miss-rows .nv-miss-item { flex-direction: row; flex-wrap: wrap; justify-content: flex-start; gap: 0.25rem 1rem; text-align: left; }
.nabla-views .nv-miss-rows .nv-prob { margin-left: auto; }
.nabla-views .nv-draw-layout { display: flex; flex-wrap: wrap; gap: 1rem; }
.nabla-views .nv-draw-pad { flex: 0 1 280px; min-width: 0; }
.nabla-views .nv-draw { width: 100%; max-width: 280px; aspect-ratio: 1; display: block; background: #fff; border: 2px solid #57606a; border-radius: 6px; touch-action: none; cursor: crosshair; }
.nabla-views .nv-draw-result { flex: 1 1 180px; min-width: 0; }
.nabla-views .nv-draw-result p { margin: 0 0 0.5rem; }
.nabla-views .nv-prediction { font-size: 2rem; font-weight: 700; vertical-align: middle; margin-left: 0.25rem; }
.nabla-views .nv-seen { display: flex; align-items: center; gap: 0.5rem; font-size: 0.8rem; color: #57606a; margin-bottom: 0.5rem; }
.nabla-views .nv-seen canvas { border: 1px solid #d0d7de; }
.nabla-views .nv-bars { list-style: none; padding: 0; margin: 0; display: grid; gap: 2px; font-variant-numeric: tabular-nums; font-size: 0.85rem; }
.nabla-views .nv-bars li { display: grid; grid-template-columns: var(--nv-label, 2ch) 1fr 3.6rem; gap: 0.4rem; align-items: center; }
.nabla-views .nv-bar-track { background: #eaeef2; height: 0.8rem; border-radius: 3px; overflow: hidden; }
.nabla-views .nv-bar { display: block; height: 100%; background: #8c959f; }
.nabla-views .nv-best .nv-bar { background: #0969da; }
.nabla-views .nv-best .nv-bar-label, .nabla-views .nv-best .nv-bar-value { font-weight: 700; }
.nabla-views .nv-bar-value { text-align: right; }
.nabla-views .nv-status { font-weight: 600; margin: 0.25rem 0; }
.nabla-views .nv-summary { margin: 0.25rem 0; }
.nabla-views .nv-steps { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.5rem; }
.nabla-views .nv-step { border-left: 4px solid #d0d7de; padding: 0.4rem 0.75rem; background: #f6f8fa; border-radius: 4px; min-width: 0; }
.nabla-views .nv-step.nv-backward { border-left-color: #cf8a2e; }
.nabla-views .nv-step.nv-forward { border-left-color: #3b82c4; }
.nabla-views .nv-step.nv-current { background: #eef6ff; box-shadow: 0 0 0 1px #0969da55; }
.nabla-views .nv-shapes { color: #57606a; font-size: 0.8rem; margin: -0.35rem 0 0.4rem; overflow-wrap: anywhere; }
.nabla-views .nv-formula { font-family: 'STIX Two Math', 'Cambria Math', 'Latin Modern Math', Georgia, serif; font-size: 1.1rem; margin: 0.25rem 0 0.5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.nabla-views .nv-q { margin: 0.4rem 0; min-width: 0; }
.nabla-views .nv-qhead { display: flex; gap: 0.5rem; align-items: baseline; }
.nabla-views .nv-qname { font-weight: 600; font-family: Georgia, serif; }
.nabla-views .nv-shape { color: #57606a; font-size: 0.8rem; }
.nabla-views canvas.nv-strip { width: 100%; max-width: 640px; height: 14px; border: 1px solid #d0d7de; margin: 0.2rem 0; }
.nabla-views canvas.nv-heat { max-width: 100%; height: auto; border: 1px solid #d0d7de; margin: 0.2rem 0; }
.nabla-views .nv-sample canvas { width: 84px; height: 84px; border: 1px solid #d0d7de; }
.nabla-views .nv-vec { list-style: none; padding: 0; margin: 0.2rem 0; display: flex; flex-wrap: wrap; gap: 0.2rem 0.75rem; font-variant-numeric: tabular-nums; font-size: 0.85rem; }
.nabla-views .nv-vec li::before { content: attr(data-index) ': '; color: #8c959f; }
.nabla-views .nv-matrix { max-height: 16rem; overflow-y: auto; }
.nabla-views details summary { cursor: pointer; font-size: 0.85rem; color: #0969da; min-height: 1.8rem; }
.nabla-views .nv-scalar { font-family: Georgia, serif; font-weight: 600; }
@media (max-width: 600px) {
  .nabla-views { font-size: 14px; }
  .nabla-views .nv-confusion { width: 100%; table-layout: fixed; font-size: 0.8rem; }
  .nabla-views .nv-confusion th, .nabla-views .nv-confusion td { min-width: 0; padding: 0.25rem 0; }
  .nabla-views .nv-view { padding: 0.6rem; }
  .nabla-views .nv-shapes { color: #57606a; font-size: 0.8rem; margin: -0.35rem 0 0.4rem; overflow-wrap: anywhere; }
.nabla-views .nv-formula { font-size: 1rem; }
}
`;

/** Adds the style sheet to `doc` unless it is there already. */
export function injectStyles(doc: Document): void {
  if (doc.getElementById('nabla-views-style')) return;
  const style = doc.createElement('style');
  style.id = 'nabla-views-style';
  style.textContent = CSS;
  doc.head.append(style);
}
