// The stepper's stylesheet as a string, inserted by mountStepper() as a
// <style> element into whatever root it renders in (light DOM or a shadow
// root). Colours are custom properties on .bns: light by default, dark when
// the system prefers it, and forced by data-theme="light" | "dark" on .bns.
// Layout adapts to the container's width (container queries), from 320 px up.
export const STEPPER_CSS = String.raw`
.bns {
  --bg: #ffffff; --fg: #1b1d21; --muted: #5a5f69; --card: #f6f7f9; --line: #d5d9e0;
  --accent: #1f5fbf; --accent-fg: #ffffff; --use: #fff1c2; --use-line: #b58a00;
  --bad: #b3261e; --bad-bg: #fde8e6; --note-bg: #eef4ff; --num: #0b4a8b;
  --s1: #1f77b4; --s2: #d62728; --s3: #2ca02c; --s4: #9467bd; --s5: #8c564b; --s6: #e377c2; --s7: #6b6b6b; --s8: #bcbd22;
  color: var(--fg); background: var(--bg); container-type: inline-size;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
@media (prefers-color-scheme: dark) {
  .bns:not([data-theme="light"]) {
    --bg: #15171b; --fg: #e8eaee; --muted: #a6adba; --card: #1f2228; --line: #3a3f49;
    --accent: #7ab0ff; --accent-fg: #0b1220; --use: #4a3d12; --use-line: #e0b43a;
    --bad: #ff8a80; --bad-bg: #3d1c1a; --note-bg: #1c2638; --num: #9cc8ff;
    --s1: #6aaef0; --s2: #ff7b7b; --s3: #6fd36f; --s4: #c3a0f0; --s5: #d9a38f; --s6: #f5a3da; --s7: #b8b8b8; --s8: #dede5a;
  }
}
.bns[data-theme="dark"] {
  --bg: #15171b; --fg: #e8eaee; --muted: #a6adba; --card: #1f2228; --line: #3a3f49;
  --accent: #7ab0ff; --accent-fg: #0b1220; --use: #4a3d12; --use-line: #e0b43a;
  --bad: #ff8a80; --bad-bg: #3d1c1a; --note-bg: #1c2638; --num: #9cc8ff;
  --s1: #6aaef0; --s2: #ff7b7b; --s3: #6fd36f; --s4: #c3a0f0; --s5: #d9a38f; --s6: #f5a3da; --s7: #b8b8b8; --s8: #dede5a;
}
.bns *, .bns *::before, .bns *::after { box-sizing: border-box; }
.bns-layout { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
@container (min-width: 900px) {
  .bns-layout { grid-template-columns: minmax(320px, 5fr) minmax(0, 7fr); align-items: start; }
  .card-running, .card-inference, .card-export, .card-lab { grid-column: 1 / -1; }
}
.bns .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 0.9rem 1rem; min-width: 0; }
@container (max-width: 420px) {
  .bns .card { padding: 0.7rem 0.6rem; border-radius: 8px; }
  .bns .feat { padding: 0.4rem 0.5rem; }
}
.bns h2 { font-size: 1.15rem; margin: 0 0 0.6rem; }
.bns h3 { font-size: 1.05rem; margin: 0.4rem 0; }
.bns h4 { font-size: 0.9rem; margin: 0 0 0.3rem; color: var(--muted); font-weight: 600; }
.bns p { margin: 0.4rem 0; }
.bns .hint, .bns .aside, .bns caption, .bns figcaption { color: var(--muted); font-size: 0.875rem; }
.bns caption { text-align: left; padding: 0.2rem 0; caption-side: top; }
.bns .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.bns .row-controls { display: flex; flex-wrap: wrap; gap: 0.4rem 0.6rem; align-items: center; margin: 0.5rem 0; }
.bns input, .bns button { font: inherit; color: inherit; }
.bns .pair { display: inline-flex; align-items: center; gap: 0.4rem; white-space: nowrap; }
.bns input[type="text"], .bns input[type="number"] {
  background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 0.25rem 0.4rem; min-height: 2rem;
}
.bns input.small { width: 4.5rem; }
.bns input.cell { width: 5rem; text-align: right; font-variant-numeric: tabular-nums; }
.bns input.cell[readonly] { background: transparent; border-style: dashed; }
.bns input.in-use { background: var(--use); border-color: var(--use-line); box-shadow: 0 0 0 1px var(--use-line); }
.bns input[aria-invalid="true"] { border: 2px solid var(--bad); background: var(--bad-bg); }
.bns input:focus-visible, .bns button:focus-visible, .bns summary:focus-visible, .bns [tabindex]:focus-visible {
  outline: 3px solid var(--accent); outline-offset: 2px;
}
.bns button {
  background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 0.35rem 0.75rem; min-height: 2.25rem; cursor: pointer;
}
.bns button:hover:not(:disabled) { border-color: var(--accent); }
.bns button.primary, .bns button[aria-pressed="true"] { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
.bns button:disabled { opacity: 0.5; cursor: not-allowed; }
.bns .toolbar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
.bns .seg { display: inline-flex; }
.bns .seg button { border-radius: 0; }
.bns .seg button:first-child { border-radius: 6px 0 0 6px; }
.bns .seg button:last-child { border-radius: 0 6px 6px 0; }
.bns .nav { display: flex; flex-wrap: wrap; gap: 0.4rem; }
.bns .progress { color: var(--muted); font-size: 0.875rem; margin: 0.6rem 0 0; }
.bns .scroll { overflow-x: auto; max-width: 100%; }
.bns table { border-collapse: collapse; }
.bns .grid th { font-size: 0.8rem; color: var(--muted); font-weight: 600; padding: 0.15rem 0.3rem; text-align: left; white-space: nowrap; }
.bns .grid td { padding: 0.15rem; vertical-align: top; }
.bns .grid .param-row th, .bns .grid .param-row td { border-top: 1px solid var(--line); }
.bns .msg { display: block; color: var(--bad); font-size: 0.75rem; max-width: 8rem; line-height: 1.2; }
.bns .msg:empty { display: none; }
.bns .row-controls .msg { display: inline; max-width: none; }
.bns fieldset.conv { border: 1px solid var(--line); border-radius: 8px; margin: 0.5rem 0; padding: 0.3rem 0.7rem 0.5rem; }
.bns .radio { margin-right: 1rem; white-space: nowrap; }
.bns .panel { border-top: 1px solid var(--line); margin-top: 0.4rem; padding-top: 0.4rem; }
.bns .tex-display { overflow-x: auto; overflow-y: hidden; padding: 0.3rem 0; text-align: center; font-size: 1.05rem; }
.bns .feats { display: flex; flex-wrap: wrap; gap: 0.6rem; margin-top: 0.5rem; }
.bns .feat { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 0.7rem; flex: 1 1 14rem; min-width: 0; }
.bns .conv-fold .kernels { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.3rem 0; }
.bns .conv-fold .kernel-grid { border-collapse: collapse; }
.bns .conv-fold .kernel-grid caption { font-size: 0.8em; color: var(--muted); text-align: left; }
.bns .conv-fold .kernel-grid td { border: 1px solid var(--line); padding: 0.1rem 0.35rem; text-align: right; }
.bns .conv-fold .conv-paths th, .bns .conv-fold .conv-paths td { padding: 0.1rem 0.6rem; text-align: right; white-space: nowrap; }
.bns .eq { margin: 0.2rem 0; overflow-wrap: anywhere; }
.bns .rowtable th { font-weight: 400; color: var(--muted); font-size: 0.8rem; padding: 0.1rem 0.5rem 0.1rem 0; white-space: nowrap; vertical-align: top; }
.bns .rowtable td { padding: 0.1rem 0; overflow-wrap: anywhere; }
.bns .num { color: var(--num); font-weight: 600; font-variant-numeric: tabular-nums; }
.bns .given { font-variant-numeric: tabular-nums; }
.bns .sym { font-family: "KaTeX_Math", "Times New Roman", serif; font-style: italic; }
.bns .op { white-space: pre; }
.bns .note { background: var(--note-bg); border-left: 3px solid var(--accent); padding: 0.35rem 0.6rem; border-radius: 4px; }
.bns .why { background: var(--note-bg); padding: 0.5rem 0.7rem; border-radius: 6px; }
.bns .problem { color: var(--bad); font-weight: 600; }
.bns .problem-list { color: var(--bad); }
.bns details { margin-top: 0.8rem; }
.bns summary { cursor: pointer; font-weight: 600; }
.bns .earlier-step { border-top: 1px dashed var(--line); margin-top: 0.6rem; }
.bns .charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.bns figure { margin: 0; flex: 1 1 280px; max-width: 460px; }
.bns .chart { width: 100%; height: auto; display: block; }
.bns .chart .axis { stroke: var(--muted); stroke-width: 1; }
.bns .chart .tick { fill: var(--muted); font-size: 11px; }
.bns .chart .series { fill: none; stroke-width: 2; }
.bns .chart .reference { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 5 4; }
.bns .legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; width: 100%; }
.bns .key::before { content: ""; display: inline-block; width: 1.2em; height: 3px; margin-right: 0.35em; vertical-align: middle; background: currentColor; }
${[1, 2, 3, 4, 5, 6, 7, 8].map((k) => `.bns .s${k} { stroke: var(--s${k}); color: var(--s${k}); fill: var(--s${k}); } .bns .series.s${k} { fill: none; }`).join("\n")}
.bns .key { color: var(--fg); }
${[1, 2, 3, 4, 5, 6, 7, 8].map((k) => `.bns .key.s${k}::before { background: var(--s${k}); }`).join("\n")}
.bns .cmp th, .bns .cmp td { border-bottom: 1px solid var(--line); padding: 0.25rem 0.6rem; text-align: right; }
.bns .cmp th:first-child { text-align: left; }
.bns .snippet { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem; overflow-x: auto; font-size: 0.8rem; }
.bns .status { min-height: 1.2em; color: var(--muted); font-size: 0.875rem; }
.bns .check { margin-top: 0.6rem; }
.bns .col-stats { border-top: 1px dashed var(--line); margin-top: 0.3rem; padding-top: 0.2rem; font-size: 0.9em; }
.bns .leftover .why-zero { color: var(--muted); font-weight: 400; }
.bns .keys { margin-top: 0.8rem; }
.bns .toolbar .presenter-toggle { margin-left: auto; }
/* A box wider than its content: shaded edges that scroll with it, and a line under it. */
.bns .scroll.overflows {
  background: linear-gradient(to right, var(--card) 30%, transparent) left / 2rem 100% no-repeat local,
    linear-gradient(to left, var(--card) 30%, transparent) right / 2rem 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, rgb(0 0 0 / 0.25), transparent) left / 0.8rem 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, rgb(0 0 0 / 0.25), transparent) right / 0.8rem 100% no-repeat scroll;
}
.bns .scroll-cue { color: var(--muted); font-size: 0.8rem; margin: 0.1rem 0 0; text-align: right; }
.bns .print-steps { display: none; }

/* Presenter mode: the whole window, type that grows with it, the grid beside the step. */
.bns[data-presenter="true"] {
  position: fixed; inset: 0; z-index: 2147483000; overflow: auto; padding: 0.5rem;
  font-size: clamp(16px, calc(0.9vw + 0.6vh + 6px), 34px);
}
.bns[data-presenter="true"] .bns-layout { grid-template-columns: auto minmax(0, 1fr); align-items: start; gap: 0.6rem; }
.bns[data-presenter="true"] .card-running, .bns[data-presenter="true"] .card-export, .bns[data-presenter="true"] .card-inference,
.bns[data-presenter="true"] .card-lab,
.bns[data-presenter="true"] .presenter-hide,
.bns[data-presenter="true"] .scroll-cue, .bns[data-presenter="true"] .keys { display: none; }
/* the cards' headings stay for screen readers (and the heading order) */
.bns[data-presenter="true"] .card h2 { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; margin: 0; }
.bns[data-presenter="true"] .card { padding: 0.5rem 0.7rem; }
.bns[data-presenter="true"] input.cell { width: 4.6em; min-height: 1.8em; padding: 0.1em 0.3em; }
.bns[data-presenter="true"] input.small { width: 4em; }
.bns[data-presenter="true"] button { min-height: 1.9em; padding: 0.2em 0.6em; }
.bns[data-presenter="true"] .grid th { font-size: 0.75em; }
.bns[data-presenter="true"] .progress { margin-top: 0.3rem; }
.bns[data-presenter="true"] .panel h3 { margin: 0.2rem 0; }
.bns[data-presenter="true"] .feats { margin-top: 0.3rem; }
.bns[data-presenter="true"] .tex-display { font-size: 1.15em; padding: 0.1rem 0; }
.bns[data-presenter="true"] .dy-panel fieldset { padding: 0 0.5rem 0.2rem; margin: 0.2rem 0; }
.bns[data-presenter="true"] details.earlier { display: none; }

/* The normalization lab (lab-view.js): N×C grids, the chosen statistic's cells, the five layers' drawings. */
.bns .image-batch, .bns .mini-batch { display: flex; flex-direction: column; gap: 0.4rem; }
.bns .sample-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-start; }
.bns .sample-name { font-size: 0.8rem; color: var(--muted); min-width: 4.5rem; padding-top: 1.3rem; }
.bns .image-grid caption { font-size: 0.8rem; color: var(--muted); text-align: left; }
.bns input.image-cell { width: 3.6rem; }
.bns input.in-stat { background: var(--use); border-color: var(--use-line); box-shadow: 0 0 0 2px var(--use-line); }
.bns .five-norms { display: grid; gap: 0.8rem; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); }
.bns .mini-batch .sample-row { flex-wrap: nowrap; gap: 0.3rem; }
.bns .one-norm { overflow-x: auto; margin: 0; padding: 0.5rem; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); }
.bns .one-norm figcaption { font-size: 0.85rem; margin-bottom: 0.3rem; }
.bns table.mini { border-collapse: collapse; }
.bns table.mini td { width: 1.3rem; height: 1.3rem; text-align: center; font-size: 0.7rem; border: 1px solid var(--line); padding: 0; }
.bns .mini td.stat-0 { box-shadow: inset 0 -4px var(--s1); } .bns .mini td.stat-1 { box-shadow: inset 0 -4px var(--s2); }
.bns .mini td.stat-2 { box-shadow: inset 0 -4px var(--s3); } .bns .mini td.stat-3 { box-shadow: inset 0 -4px var(--s4); }
.bns .mini td.stat-4 { box-shadow: inset 0 -4px var(--s5); } .bns .mini td.stat-5 { box-shadow: inset 0 -4px var(--s6); }
.bns .mini td.stat-6 { box-shadow: inset 0 -4px var(--s7); } .bns .mini td.stat-7 { box-shadow: inset 0 -4px var(--s8); }
.bns .lab-cells td, .bns .lab-cells th { padding: 0.1rem 0.5rem; text-align: right; }
.bns .dependence td, .bns .dependence th { padding: 0.15rem 0.6rem; text-align: left; }
.bns .lab-steps .eq { overflow-wrap: anywhere; }

/* Paper: every step (print-view.js fills .print-steps), no buttons, no live step. */
@media print {
  .bns, .bns[data-presenter="true"] { font-size: 11pt; background: #fff; color: #000; position: static; overflow: visible; }
  .bns button, .bns .toolbar, .bns .progress, .bns .panel, .bns .check, .bns .notes, .bns details.earlier,
  .bns .keys, .bns .hint, .bns .scroll-cue, .bns .card-export { display: none !important; }
  /* (its own rule: a browser without :has() drops only this one) */
  .bns .row-controls:has(button) { display: none; }
  .bns .print-steps { display: block; }
  .bns .print-step { break-inside: avoid; border-top: 1px solid #999; margin-top: 0.5rem; }
  .bns .bns-layout { display: block; }
  .bns .card { border: none; background: none; padding: 0; margin-bottom: 0.6rem; }
  .bns .scroll { overflow: visible; }
  .bns .scroll.overflows { background: none; }
  .bns input[type] { border: 1px solid #bbb; background: none; }
  .bns .num { color: #000; }
  .bns .feat { break-inside: avoid; }
}
`;
