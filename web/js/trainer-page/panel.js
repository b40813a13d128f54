// One side of the comparison: a network's figures (also exposed as
// data-loss / data-accuracy / data-steps on the data-panel element), its
// decision boundary, loss curves and layer histograms.
import { h, uniqueId } from "../dom.js";
import { createHeatmap } from "./heatmap.js";
import { createLossChart } from "./loss-chart.js";
import { createHistogramStrip } from "./histogram-strip.js";
import { createSeriesHistory } from "./series-history.js";

export const HISTOGRAM_RANGE = 5;
// The figures kept per frame for the CSV of the curves (export-view.js).
export const CURVE_KEYS = ["epoch", "batchLoss", "loss", "testLoss", "accuracy", "testAccuracy"];

const percent = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : "–");
const lossText = (v) => (Number.isFinite(v) ? v.toFixed(3) : v === undefined ? "–" : "diverged");

export function createPanel({ key, title, normalized, headingLevel = 3 }) {
  const who = normalized ? "batch-norm network" : "plain network";
  const titleId = uniqueId(`bnt-${key}-title`);
  const figure = (name) => h("dd", { "data-figure": name }, "–");
  const cells = {
    steps: figure("steps"), epoch: figure("epoch"),
    loss: figure("loss"), testLoss: figure("testLoss"),
    accuracy: figure("accuracy"), testAccuracy: figure("testAccuracy"),
  };
  const heatCanvas = h("canvas", { width: 240, height: 240, role: "img", class: "bnt-heatmap",
    "aria-label": `Decision boundary of the ${who}: class-1 probability over the plane, with the training points ` +
      "(filled) and the held-out test points (rings)" });
  const lossHost = h("div", { class: "bnt-loss" });
  const strips = [];
  const stripFigure = (source, caption) => {
    const canvas = h("canvas", { width: 300, height: 64, role: "img", class: "bnt-strip",
      "aria-label": `${who}, ${caption}: histograms over time` });
    const stats = h("span", { class: "bnt-strip-stats", "aria-live": "off" });
    strips.push({ source, strip: createHistogramStrip(canvas), stats });
    return h("figure", { class: "bnt-strip-figure" },
      h("div", { class: "bnt-strip-row" },
        h("div", { class: "bnt-strip-axis", "aria-hidden": "true" },
          h("span", {}, `+${HISTOGRAM_RANGE}`), h("span", {}, "0"), h("span", {}, `−${HISTOGRAM_RANGE}`)),
        canvas),
      h("figcaption", {}, caption, " ", stats));
  };
  const layerLabel = h("span", { class: "bnt-layer-label" }, "1");
  const element = h("section", { class: `bnt-panel bnt-panel-${key}`, "data-panel": key,
      "aria-labelledby": titleId, "data-steps": 0 },
    h(`h${headingLevel}`, { id: titleId, class: "bnt-panel-title" }, title),
    h("dl", { class: "bnt-figures" },
      h("div", {}, h("dt", {}, "Steps"), cells.steps), h("div", {}, h("dt", {}, "Epoch"), cells.epoch),
      h("div", {}, h("dt", {}, "Train loss"), cells.loss), h("div", {}, h("dt", {}, "Test loss"), cells.testLoss),
      h("div", {}, h("dt", {}, "Train accuracy"), cells.accuracy),
      h("div", {}, h("dt", {}, "Test accuracy"), cells.testAccuracy)),
    h("div", { class: "bnt-plots" },
      h("figure", { class: "bnt-heatmap-figure" }, heatCanvas,
        h("figcaption", { class: "bnt-point-key" },
          h("span", { class: "bnt-point bnt-point-train", "aria-hidden": "true" }), "training point ",
          h("span", { class: "bnt-point bnt-point-test", "aria-hidden": "true" }), "test point (held out); ",
          h("span", { class: "bnt-swatch bnt-swatch-0", "aria-hidden": "true" }), "class 0 ",
          h("span", { class: "bnt-swatch bnt-swatch-1", "aria-hidden": "true" }), "class 1")),
      h("div", { class: "bnt-side" },
        h("figure", { class: "bnt-loss-figure" }, h("figcaption", { class: "bnt-chart-title" }, "Loss"), lossHost),
        h("p", { class: "bnt-strip-title" }, "Hidden layer ", layerLabel, ", values per frame"),
        stripFigure("pre", normalized ? "before batch norm (Wx + b)" : "input to the activation (Wx + b)"),
        normalized ? stripFigure("xhat", "after batch norm: x̂, before γ and β") : null)));

  const heatmap = createHeatmap(heatCanvas);
  const lossChart = createLossChart(lossHost, who);
  const curves = createSeriesHistory(CURVE_KEYS, 2000);

  return {
    element,
    title,
    reset(layer) {
      lossChart.clear();
      curves.clear();
      this.setLayer(layer);
    },
    // Another layer for the histograms, same run: the strips start again.
    setLayer(layer) {
      for (const s of strips) { s.strip.clear(); s.stats.textContent = ""; }
      layerLabel.textContent = String(layer);
    },
    setPoints(points, extent) { heatmap.setPoints(points, extent); },
    // Records a frame (cheap); draw() paints it.
    update(frame, gridResolution) {
      lossChart.add(frame);
      curves.add(frame.steps, frame);
      for (const s of strips) {
        const hist = frame[s.source];
        if (!hist) continue;   // before the first step
        s.strip.add(hist);
        s.stats.textContent = `mean ${fixed(hist.mean)}, std ${fixed(hist.std)}`;
      }
      this.frame = frame;
      this.gridResolution = gridResolution;
      element.dataset.loss = String(frame.loss);
      element.dataset.accuracy = String(frame.accuracy);
      element.dataset.testLoss = String(frame.testLoss);
      element.dataset.testAccuracy = String(frame.testAccuracy);
      element.dataset.steps = String(frame.steps);
      element.dataset.epoch = String(frame.epoch);
      cells.steps.textContent = String(frame.steps);
      cells.epoch.textContent = String(frame.epoch);
      cells.loss.textContent = lossText(frame.loss);
      cells.testLoss.textContent = lossText(frame.testLoss);
      cells.accuracy.textContent = percent(frame.accuracy);
      cells.testAccuracy.textContent = percent(frame.testAccuracy);
    },
    maxLoss: () => lossChart.maxLoss(),
    // The curves so far: [{ x: step, epoch, batchLoss, ... }] (CURVE_KEYS).
    curveRows: () => curves.rows(),
    // palette: the canvas colours (palette.js readPalette).
    draw(yMax, palette) {
      if (!this.frame) return;
      heatmap.draw(this.frame.grid, this.gridResolution, palette);
      lossChart.draw(yMax, palette);
      for (const s of strips) s.strip.draw(palette);
    },
    destroy() { lossChart.destroy(); },
  };
}

function fixed(v) {
  return Number.isFinite(v) ? v.toFixed(2) : "–";
}
