// A live line chart on uPlot (web/vendor/uplot, vendored from npm by
// scripts/build.sh; no eval, so it runs under the strict CSP): series
// against training steps (or any x), axes and legend in 12 px type, hover
// values, and a text alternative. The legend is a table of the values at
// the pointer while hovering and of the latest values otherwise; the plot
// canvas is role="img" with an aria-label.
//
// Colours come from the palette (palette.js): each series names its palette
// key; palette.axis draws the grid, palette.label the axis text. A theme
// change rebuilds the plot (rare; uPlot sets legend markers once).
import uPlot from "../../vendor/uplot/uPlot.esm.js";
import { createSeriesHistory } from "./series-history.js";

export const CHART_FONT_PX = 12;
const FONT = `${CHART_FONT_PX}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;

// Building a uPlot chart takes a few milliseconds, so at most one chart is
// built per animation frame (at the first paint and after a theme change);
// the others wait, and chartsPending() tells the caller to paint again next
// frame. Keeps every frame of the page under 16 ms of work.
let lastBuild = -Infinity;
let pending = 0;
const BUILD_GAP_MS = 8;
export const chartsPending = () => pending > 0;

// A short number for axes and legends: 3 significant digits, exponents for
// tiny or huge values.
export function formatValue(v) {
  if (!Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1).replace("-", "−");
  return String(Number(v.toPrecision(3))).replace("-", "−");
}

// series: [{ key, label, colour (palette key), width, dash }]. options:
// label (the aria-label of the plot), xLabel, yLabel, height, log (a log y
// axis), range(min, max) -> [lo, hi] for the y axis (default: from the data),
// onPick(x): called with the x under the pointer on a click, marker(): an x
// to mark with a dashed vertical line (or null), xRange(min, max) for x.
// Ticks of a log axis: powers of ten, every k-th decade so that at most
// five labels share the axis (uPlot's own log ticks crowd at many decades).
function decades(u, axisIndex, min, max) {
  const lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const every = Math.max(1, Math.ceil((hi - lo) / 4));
  const ticks = [];
  for (let d = hi; d >= lo; d -= every) ticks.unshift(10 ** d);
  return ticks.filter((t) => t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9));
}

export function createLineChart(host, { label, series, xLabel = "step", yLabel = "", height = 150, log = false, range = null,
  format = formatValue, onPick = null, marker = null,
  xRange = (min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] } = {}) {
  const history = createSeriesHistory(series.map((s) => s.key));
  host.style.minHeight = `${height}px`;   // the page keeps its place while the plot waits to be built
  let plot = null;
  let paletteText = "";
  let palette = {};
  let dirty = true;
  let yRange = range;
  let observer = null;
  let waiting = false;   // a build put off to a later frame

  const lastIndex = () => history.length - 1;
  const options = () => ({
    width: Math.max(120, host.clientWidth || 300),
    height,
    scales: {
      x: { time: false, range: (u, min, max) => xRange(min, max) },
      y: log ? { distr: 3, ...(yRange ? { range: (u, min, max) => yRange(min, max) } : {}) }
        : { range: (u, min, max) => (yRange ? yRange(min, max) : uPlot.rangeNum(min ?? 0, max ?? 1, 0.1, true)) },
    },
    axes: [
      { label: xLabel, font: FONT, labelFont: FONT, size: 30, labelSize: 16, gap: 3,
        stroke: () => palette.label, grid: { stroke: () => palette.axis, width: 1 }, ticks: { stroke: () => palette.axis, size: 4 } },
      { label: yLabel, font: FONT, labelFont: FONT, size: log ? 58 : 46, labelSize: 16, gap: 3,
        stroke: () => palette.label, grid: { stroke: () => palette.axis, width: 1 }, ticks: { stroke: () => palette.axis, size: 4 },
        values: (u, ticks) => ticks.map(format), ...(log ? { splits: decades, filter: (u, ticks) => ticks } : {}) },
    ],
    series: [
      { label: xLabel, value: (u, v) => (v == null ? "–" : String(v)) },
      ...series.map((s) => ({ label: s.label, stroke: () => palette[s.colour], width: s.width ?? 1.5, dash: s.dash,
        points: { show: false }, spanGaps: false, value: (u, v) => (v == null ? "–" : format(v)) })),
    ],
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7 } },
    legend: { live: true, markers: { dash: (u, i) => (u.series[i].dash ? "dashed" : "solid") } },
    hooks: {
      // Away from the plot, the legend shows the latest values.
      setLegend: [(u) => { if (u.legend.idx == null && lastIndex() >= 0) u.setLegend({ idx: lastIndex() }, false); }],
      draw: marker ? [drawMarker] : [],
    },
  });

  function drawMarker(u) {
    const x = marker();
    if (x == null) return;
    const left = u.valToPos(x, "x", true);
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = palette.label;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(left, bbox.top);
    ctx.lineTo(left, bbox.top + bbox.height);
    ctx.stroke();
    ctx.restore();
  }

  function build() {
    plot?.destroy();
    plot = new uPlot(options(), data(), host);
    if (onPick) {
      plot.over.style.cursor = "pointer";
      plot.over.addEventListener("click", () => { const i = plot.cursor.idx; if (i != null) onPick(history.xs[i]); });
    }
    const canvas = plot.root.querySelector("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label);
    const table = plot.root.querySelector(".u-legend");
    table?.setAttribute("aria-label", `${label}: values at the latest step, or where the pointer is`);
    observer?.disconnect();
    observer = new ResizeObserver(() => {
      const width = Math.max(120, host.clientWidth);
      if (plot && Math.abs(width - plot.width) > 1) plot.setSize({ width, height });
    });
    observer.observe(host);
  }

  const data = () => [history.xs, ...history.columns];

  return {
    // Adds a point per series at x (a later point at the same x replaces it).
    add(x, values) { history.add(x, values); dirty = true; },
    // Replaces all points: x values and one array per series.
    set(newXs, newColumns) { history.set(newXs, newColumns); dirty = true; },
    clear() { history.clear(); dirty = true; },
    // The largest finite value of the series named in `keys` (all by default).
    max: (keys) => history.max(keys),
    rows: () => history.rows(),
    setRange(newRange) { yRange = newRange; dirty = true; },
    // Paints again at the next draw (the marker moved).
    invalidate() { dirty = true; },
    // New names for the series (in order; the legend shows them): the plot is built again at the next draw.
    relabel(labels) {
      if (labels.every((l, i) => l === series[i].label)) return;
      series = series.map((s, i) => ({ ...s, label: labels[i] ?? s.label }));
      paletteText = "";
    },
    // Paints (synchronously) when the data, the range or the palette
    // changed; returns whether it painted (false: nothing to do, or the
    // build was put off to a later frame).
    draw(newPalette) {
      if (!host.isConnected) return false;
      // The same palette object: the same colours (palette.js createPaletteReader).
      const text = newPalette === palette && plot ? paletteText : JSON.stringify(newPalette);
      if (text !== paletteText || !plot) {
        const now = performance.now();
        if (now - lastBuild < BUILD_GAP_MS) {
          if (!waiting) { waiting = true; pending += 1; }
          return false;
        }
        if (waiting) { waiting = false; pending -= 1; }
        palette = newPalette;
        paletteText = text;
        build();
        lastBuild = performance.now();
        dirty = false;
        return true;
      }
      palette = newPalette;
      if (!dirty) return false;
      dirty = false;
      plot.batch(() => {
        plot.setData(data());
        if (plot.legend.idx == null || plot.cursor.left < 0) plot.setLegend({ idx: Math.max(0, lastIndex()) }, false);
      });
      return true;
    },
    get canvas() { return plot?.root.querySelector("canvas") ?? null; },
    // Whether the plot exists (its canvas, its legend); before, draw() builds it.
    get built() { return plot !== null; },
    destroy() {
      if (waiting) { waiting = false; pending -= 1; }
      observer?.disconnect();
      plot?.destroy();
      plot = null;
    },
  };
}
