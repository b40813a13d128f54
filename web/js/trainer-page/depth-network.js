// One network's column of the depth view: against depth (uPlot line
// charts, x = hidden layer from 1) the gradient norm of each layer's
// weights, the spread (std) of its activation's input and output, and the
// share of saturated units; over time (heat strips, layer × frame) the
// gradient norm and the activation's input std. Its figures are also
// attributes of the section (data-depth-panel="bn" | "plain"):
// data-layers, data-grad-first / data-grad-last (gradient norm of layer 1
// and of the last layer), data-grad-ratio (first / last),
// data-std-first / data-std-last, data-max-saturation (0–1), data-steps.
import { h, setText } from "../dom.js";
import { createHeatStrip } from "./heat-strip.js";
import { createLineChart, formatValue } from "./line-chart.js";

const positiveOrNull = (values) => Array.from(values, (v) => (v > 0 && Number.isFinite(v) ? v : null));
const percentText = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : "–");

export function createDepthNetwork({ key, title, who, onPick, selectedLayer, headingLevel }) {
  const section = h("section", { class: `bnt-depth-net bnt-depth-${key}`, "data-depth-panel": key,
    "aria-label": `Depth view of the ${who}` });
  const selectedText = h("p", { class: "bnt-depth-selected", "data-layer-selected": "" });
  const layerRange = (min, max) => [1, Math.max(2, max ?? 2)];
  const chart = (label, options) => {
    const host = h("div", { class: "bnt-depth-chart" });
    const figure = h("figure", { class: "bnt-depth-figure" }, h("figcaption", { class: "bnt-chart-title" }, label), host);
    section.append(figure);
    return Object.assign(createLineChart(host, { label: `${label}, ${who}`, xLabel: "layer", height: 150, xRange: layerRange,
      marker: selectedLayer, onPick, ...options }), { figure });
  };
  const heading = h(`h${headingLevel}`, { class: "bnt-depth-title" }, title);
  section.append(heading, selectedText);
  const charts = {
    grad: chart("Gradient norm of each layer's weights ‖∂L/∂W‖", { log: true, yLabel: "norm",
      series: [{ key: "gradNorm", label: "‖∂L/∂W‖", colour: "loss", width: 2 }] }),
    std: chart("Spread (std) of each layer's activation input and output", { log: true, yLabel: "std",
      series: [{ key: "preStd", label: "input", colour: "loss", width: 2 },
        { key: "actStd", label: "output", colour: "testLoss", width: 1.5, dash: [5, 3] }] }),
    saturation: chart("Saturated units (activation's flat part)", { yLabel: "%", range: () => [0, 100],
      series: [{ key: "saturation", label: "saturated %", colour: "testLoss", width: 2 }] }),
  };
  const strips = [];
  const strip = (source, caption) => {
    const canvas = h("canvas", { width: 320, height: 100, role: "img", class: "bnt-strip bnt-heat-strip",
      "aria-label": `${who}: ${caption} of every layer over time (layer 1 at the bottom), stronger colour is larger` });
    const scaleText = h("span", { class: "bnt-strip-stats" });
    const hoverText = h("span", { class: "bnt-strip-stats", "aria-live": "off" });
    const top = h("span", {}, "");
    const heat = createHeatStrip(canvas, { onPick, onHover: (at) => {
      hoverText.textContent = at ? `layer ${at.layer}, step ${at.step}: ${formatValue(at.value)}` : "";
    } });
    const figure = h("figure", { class: "bnt-strip-figure" },
      h("div", { class: "bnt-strip-row" },
        h("div", { class: "bnt-strip-axis", "aria-hidden": "true" }, top, h("span", {}, "1")), canvas),
      h("figcaption", {}, `${caption} over time, layer × frame; `, scaleText, " ", hoverText));
    strips.push({ source, heat, scaleText, top, figure });
    section.append(figure);
  };
  strip("gradNorm", "Gradient norm");
  strip("preStd", "Activation input std");

  let stats = null;
  let layers = 0;


  function showSelected(layer) {
    // The charts' dashed line moves.
    if (selectedText.dataset.layerSelected !== String(layer)) for (const c of Object.values(charts)) c.invalidate();
    for (const s of strips) s.heat.setLayer(layer);
    if (!stats) { setText(selectedText, `Layer ${layer}`); return; }
    const i = layer - 1;
    setText(selectedText, `Layer ${layer} (the histograms' layer): gradient norm ${formatValue(stats.gradNorm[i])}, ` +
      `input std ${formatValue(stats.preStd[i])}, saturated ${percentText(stats.saturation[i])}`);
    selectedText.dataset.layerSelected = String(layer);
    selectedText.dataset.gradNorm = String(stats.gradNorm[i]);
  }

  return {
    element: section,
    // shownTitle: the panel's title where the pair is not "with / without
    // batch norm" (a preset's, e.g. "Batch norm after the activation").
    reset(layerCount, layer, shownTitle = null) {
      heading.textContent = shownTitle ?? title;
      layers = layerCount;
      stats = null;
      for (const c of Object.values(charts)) c.clear();
      for (const s of strips) { s.heat.clear(); s.top.textContent = String(layerCount); s.scaleText.textContent = ""; }
      for (const name of ["gradFirst", "gradLast", "gradRatio", "stdFirst", "stdLast", "maxSaturation"]) delete section.dataset[name];
      section.dataset.layers = String(layerCount);
      showSelected(layer);
    },
    setLayer: showSelected,
    // A frame's layers (depth-figures.js packLayerStats) at its step.
    update(steps, layerStats, layer) {
      if (!layerStats) return;
      stats = layerStats;
      const xs = Array.from({ length: layers }, (_, i) => i + 1);
      charts.grad.set(xs, [positiveOrNull(stats.gradNorm)]);
      charts.std.set(xs, [positiveOrNull(stats.preStd), positiveOrNull(stats.actStd)]);
      charts.saturation.set(xs, [Array.from(stats.saturation, (v) => v * 100)]);
      for (const s of strips) s.heat.add(steps, stats[s.source]);
      const first = stats.gradNorm[0], last = stats.gradNorm[layers - 1];
      Object.assign(section.dataset, { steps: String(steps), gradFirst: String(first), gradLast: String(last),
        gradRatio: String(first / last), stdFirst: String(stats.preStd[0]), stdLast: String(stats.preStd[layers - 1]),
        maxSaturation: String(Math.max(...stats.saturation)) });
      showSelected(layer);
    },
    // Its figures as frame-scheduler.js jobs, each with its figure element:
    // paint({ palette }) -> whether it painted; unbuilt(): a chart not built
    // yet (built even far from the screen, so that the page has its parts).
    jobs: [
      ...Object.values(charts).map((c) => ({ element: c.figure, paint: ({ palette }) => c.draw(palette), unbuilt: () => !c.built })),
      ...strips.map((s) => ({ element: s.figure, paint: ({ palette }) => {
        if (!s.heat.draw(palette)) return false;
        const { lo, hi } = s.heat.range();
        setText(s.scaleText, `colour from ${formatValue(10 ** lo)} (faint) to ${formatValue(10 ** hi)} (strong)`);
        return true;
      } })),
    ],
    destroy() { for (const c of Object.values(charts)) c.destroy(); },
  };
}
