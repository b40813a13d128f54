// One side of the comparison: a network's figures (also exposed as
// data-loss / data-accuracy / data-steps, data-train-mode-accuracy, ... on
// the data-panel element), a line saying what the network is, its decision
// boundary, loss curves, accuracy in eval and train mode, layer histograms
// (for some presets) each layer's statistics, and with batch norm the
// running statistics against the population (running-stats-view.js); or, when the core refused
// its options, the core's message and the fixes it allows.
import { h, setText, uniqueId } from "../dom.js";
import { createHeatmap } from "./heatmap.js";
import { createLossChart } from "./loss-chart.js";
import { createHistogramStrip } from "./histogram-strip.js";
import { createSeriesHistory } from "./series-history.js";
import { createModeChart } from "./mode-chart.js";
import { createLayerStatsView } from "./layer-stats-view.js";
import { createRunningStatsView } from "./running-stats-view.js";
import { describeNetwork } from "./presets.js";

export const HISTOGRAM_RANGE = 5;
// The figures kept per frame for the CSV of the curves (export-view.js).
export const CURVE_KEYS = ["epoch", "batchLoss", "loss", "testLoss", "accuracy", "testAccuracy", "trainModeLoss",
  "trainModeAccuracy"];
// Frame figure -> data- attribute of the panel.
const ATTRIBUTES = { loss: "loss", accuracy: "accuracy", testLoss: "testLoss", testAccuracy: "testAccuracy",
  steps: "steps", epoch: "epoch", trainModeLoss: "trainModeLoss", trainModeAccuracy: "trainModeAccuracy",
  allAccuracy: "allPointsAccuracy", trainModeAllAccuracy: "trainModeAllPointsAccuracy" };

const percent = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : "–");
const lossText = (v) => (Number.isFinite(v) ? v.toFixed(3) : v === undefined ? "–" : "diverged");

export function createPanel({ key, title, normalized, headingLevel = 3, onRunningStatsToggle = () => {} }) {
  const who = normalized ? "batch-norm network" : "plain network";
  const titleId = uniqueId(`bnt-${key}-title`);
  const figure = (name) => h("dd", { "data-figure": name }, "–");
  const cells = {
    steps: figure("steps"), epoch: figure("epoch"),
    loss: figure("loss"), testLoss: figure("testLoss"),
    accuracy: figure("accuracy"), testAccuracy: figure("testAccuracy"),
    trainModeLoss: figure("trainModeLoss"), trainModeAccuracy: figure("trainModeAccuracy"),
  };
  const network = h("p", { class: "bnt-panel-network" });
  const heading = h(`h${headingLevel}`, { id: titleId, class: "bnt-panel-title" }, title);
  const gridProblem = h("p", { class: "bnt-grid-problem", hidden: true });
  const refused = h("div", { class: "bnt-refused", role: "alert", hidden: true });
  const heatCanvas = h("canvas", { width: 240, height: 240, role: "img", class: "bnt-heatmap",
    "aria-label": `Decision boundary of the ${who}: class-1 probability over the plane, with the training points ` +
      "(filled) and the held-out test points (rings)" });
  const lossHost = h("div", { class: "bnt-loss" });
  const modeHost = h("div", { class: "bnt-chart" });
  const layerStatsHolder = h("div"), runningStatsHolder = h("div");
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
    heading,
    network, refused,
    h("dl", { class: "bnt-figures" },
      ...[["steps", "Steps"], ["epoch", "Epoch"], ["loss", "Train loss"], ["testLoss", "Test loss"],
        ["accuracy", "Train accuracy"], ["testAccuracy", "Test accuracy"],
        ["trainModeLoss", "Train loss, train mode"], ["trainModeAccuracy", "Train accuracy, train mode"]]
        .map(([name, label]) => h("div", { "data-for": name }, h("dt", {}, label), cells[name]))),
    h("div", { class: "bnt-plots" },
      h("figure", { class: "bnt-heatmap-figure" }, heatCanvas, gridProblem,
        h("figcaption", { class: "bnt-point-key" },
          h("span", { class: "bnt-point bnt-point-train", "aria-hidden": "true" }), "training point ",
          h("span", { class: "bnt-point bnt-point-test", "aria-hidden": "true" }), "test point (held out); ",
          h("span", { class: "bnt-swatch bnt-swatch-0", "aria-hidden": "true" }), "class 0 ",
          h("span", { class: "bnt-swatch bnt-swatch-1", "aria-hidden": "true" }), "class 1")),
      h("div", { class: "bnt-side" },
        h("figure", { class: "bnt-loss-figure" }, h("figcaption", { class: "bnt-chart-title" }, "Loss"), lossHost),
        h("figure", { class: "bnt-mode-figure" },
          h("figcaption", { class: "bnt-chart-title" }, "Accuracy, eval mode and train mode (batch statistics)"), modeHost),
        layerStatsHolder, runningStatsHolder,
        h("p", { class: "bnt-strip-title" }, "Hidden layer ", layerLabel, ", values per frame"),
        stripFigure("pre", normalized ? "before batch norm (Wx + b)" : "input to the activation (Wx + b)"),
        normalized ? stripFigure("xhat", "after batch norm: x̂, before γ and β") : null)));

  const heatmap = createHeatmap(heatCanvas);
  const lossChart = createLossChart(lossHost, who);
  const curves = createSeriesHistory(CURVE_KEYS, 2000);
  const modeChart = createModeChart(modeHost, who);
  const layerStats = createLayerStatsView(element, who);
  layerStatsHolder.replaceWith(layerStats.element);
  const runningStats = createRunningStatsView(element, who, onRunningStatsToggle);
  runningStatsHolder.replaceWith(runningStats.element);
  let heatmapDirty = false;   // a frame's map not painted yet
  let heatmapPalette = null;

  const panel = {
    element,
    title,
    // layer: the histograms' layer; options: the network's Trainer options;
    // view: { headline (a figure's name), layerStats, checkpoints, title (else the panel's own),
    // runningStats (the running-statistics view open) }.
    reset(layer, options, view = {}) {
      heading.textContent = view.title ?? title;
      lossChart.clear();
      modeChart.clear();
      curves.clear();
      this.frame = null;
      network.textContent = options ? describeNetwork(options) : "";
      for (const div of element.querySelectorAll(".bnt-figures > div")) {
        div.classList.toggle("bnt-headline", div.dataset.for === view.headline ||
          (view.headline === "trainMode" && ["accuracy", "trainModeAccuracy"].includes(div.dataset.for)));
      }
      layerStats.reset({ shown: Boolean(view.layerStats), points: view.checkpoints });
      runningStats.reset({ shown: (options?.norm ?? "batch") === "batch", open: Boolean(view.runningStats) });
      refused.hidden = true;
      refused.replaceChildren();
      for (const name of [...Object.values(ATTRIBUTES), "diverged"]) delete element.dataset[name];
      element.dataset.steps = "0";
      this.setLayer(layer);
    },
    // Another layer for the histograms, same run: the strips start again.
    setLayer(layer) {
      for (const s of strips) { s.strip.clear(); s.stats.textContent = ""; }
      layerLabel.textContent = String(layer);
    },
    setPoints(points, extent) { heatmap.setPoints(points, extent); },
    // The core's message for options it refused, with buttons for the fixes.
    showRefused(message, fixes = []) {
      refused.hidden = false;
      refused.replaceChildren(h("p", {}, `This network cannot train: ${message}`),
        fixes.length ? h("p", {}, "Normalizations that do not use batch statistics train at batch size 1: ", ...fixes) : null);
      element.dataset.refused = message;
    },
    // Records a frame (cheap); its jobs paint it.
    update(frame, gridResolution) {
      if (frame.refused) return;
      delete element.dataset.refused;
      lossChart.add(frame);
      modeChart.add(frame);
      layerStats.add(frame);
      runningStats.add(frame);
      curves.add(frame.steps, frame);
      for (const s of strips) {
        const hist = frame[s.source];
        if (!hist) continue;   // before the first step
        s.strip.add(hist);
        setText(s.stats, `mean ${fixed(hist.mean)}, std ${fixed(hist.std)}`);
      }
      this.frame = frame;
      this.gridResolution = gridResolution;
      heatmapDirty = true;
      for (const [name, attribute] of Object.entries(ATTRIBUTES)) element.dataset[attribute] = String(frame[name]);
      gridProblem.hidden = !frame.gridProblem;
      setText(gridProblem, frame.gridProblem ? `No decision map: ${frame.gridProblem}` : "");
      setText(cells.steps, frame.diverged ? `${frame.steps} (diverged)` : String(frame.steps));
      element.dataset.diverged = String(Boolean(frame.diverged));
      setText(cells.epoch, String(frame.epoch));
      for (const name of ["loss", "testLoss", "trainModeLoss"]) setText(cells[name], lossText(frame[name]));
      for (const name of ["accuracy", "testAccuracy", "trainModeAccuracy"]) setText(cells[name], percent(frame[name]));
    },
    maxLoss: () => lossChart.maxLoss(),
    // The curves so far: [{ x: step, epoch, batchLoss, ... }] (CURVE_KEYS).
    curveRows: () => curves.rows(),
    // The panel's figures as frame-scheduler.js jobs, each ({ palette, yMax })
    // -> whether it painted; palette: the canvas colours (palette.js
    // readPalette), yMax: the loss axis shared by both panels.
    jobs: [
      ({ palette }) => {
        if (!panel.frame || (!heatmapDirty && palette === heatmapPalette)) return false;
        heatmap.draw(panel.frame.grid, panel.gridResolution, palette);
        heatmapDirty = false;
        heatmapPalette = palette;
        return true;
      },
      ({ palette, yMax }) => lossChart.draw(yMax, palette),
      ({ palette }) => modeChart.draw(palette),
      ...layerStats.jobs,
      ...runningStats.jobs,
      ...strips.map((s) => ({ palette }) => s.strip.draw(palette)),
    ],
    setRunningStatsOpen: (open) => runningStats.setOpen(open),
    destroy() { lossChart.destroy(); modeChart.destroy(); layerStats.destroy(); runningStats.destroy(); },
  };
  return panel;
}

function fixed(v) {
  return Number.isFinite(v) ? v.toFixed(2) : "–";
}
