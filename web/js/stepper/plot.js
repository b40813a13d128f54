// A small SVG line chart: one line per feature over the batches fed
// (batch 0 = the starting value). Built with DOM calls (no innerHTML), styled
// by the stepper CSS (series colours .s1 … .s8).
const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const W = 320, H = 180, L = 46, R = 10, T = 12, B = 30;

// series: array (one per feature) of arrays of values (index = batch number).
// reference: a dashed horizontal line (the value the estimates should approach).
export function lineChart(title, series, options) {
  const { start, reference, referenceLabel } = options ?? {};
  const n = Math.max(...series.map((s) => s.length));
  const all = [...series.flat(), ...(Number.isFinite(reference) ? [reference] : [])].filter(Number.isFinite);
  let lo = Math.min(...all), hi = Math.max(...all);
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const pad = (hi - lo) * 0.08;
  lo -= pad; hi += pad;
  const xAt = (i) => L + (n <= 1 ? 0 : (i / (n - 1)) * (W - L - R));
  const yAt = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const last = series.map((s, k) => `feature ${k + 1}: ${Number(s[s.length - 1]).toPrecision(4)}`).join(", ");
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "chart",
    "aria-label": `${title} after each batch (batch 0 is the start${start ? `, ${start}` : ""}); now ${last}${Number.isFinite(reference) ? `; ${referenceLabel}` : ""}` });
  root.append(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" }),
    svg("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }));
  for (const v of [lo + pad, hi - pad]) {
    root.append(svg("text", { x: L - 4, y: yAt(v) + 4, "text-anchor": "end", class: "tick" }, Number(v.toPrecision(3)).toString()));
  }
  root.append(svg("text", { x: L, y: H - 8, class: "tick" }, "0"),
    svg("text", { x: W - R, y: H - 8, "text-anchor": "end", class: "tick" }, `batch ${n - 1}`));
  if (Number.isFinite(reference)) {
    root.append(svg("line", { x1: L, y1: yAt(reference), x2: W - R, y2: yAt(reference), class: "reference" }),
      svg("text", { x: W - R, y: yAt(reference) - 4, "text-anchor": "end", class: "tick" }, referenceLabel ?? String(reference)));
  }
  series.forEach((s, k) => {
    const points = s.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join(" ");
    root.append(svg("polyline", { points, class: `series s${k + 1}` }));
    s.forEach((v, i) => { if (i === s.length - 1) root.append(svg("circle", { cx: xAt(i), cy: yAt(v), r: 3, class: `dot s${k + 1}` })); });
  });
  return root;
}
