// Each hidden layer's pre-activation statistics over training (from
// tr.layerStats(): the activation's input, its mean and std over the batch),
// one line per layer, and the figures the claim presets are judged by, as
// data- attributes of the panel (docs/page-hooks.md):
//   data-pre-std-range  per layer, largest / smallest preStd over the
//                       checkpoint frames (the preset's checkpoints, or every
//                       frame without them); the worst layer's
//   data-max-saturation the largest share of saturated activations over the layers, now
//   data-grad-ratio     gradNorm of layer 1 / gradNorm of the last layer, now
// The same measures as scripts/preset-claims.mjs.
import { h } from "../dom.js";
import { createLineChart } from "./line-chart.js";

export const MAX_LINES = 8;   // layers drawn (the first ones); the figures use every layer

export function createLayerStatsView(panelElement, who) {
  const stdHost = h("div", { class: "bnt-chart" });
  const meanHost = h("div", { class: "bnt-chart" });
  const element = h("div", { class: "bnt-layer-stats", hidden: true },
    h("figure", {}, h("figcaption", { class: "bnt-chart-title" }, "Std of each layer's activation input"), stdHost),
    h("figure", {}, h("figcaption", { class: "bnt-chart-title" }, "Mean of each layer's activation input"), meanHost));
  let charts = null;
  let checkpoints = [];
  let recorded = [];   // preStd per layer at each checkpoint frame

  function build(layers) {
    const shown = Math.min(MAX_LINES, layers);
    const series = (what) => Array.from({ length: shown }, (_, l) => ({ key: `${what}${l + 1}`, label: `layer ${l + 1}`,
      colour: `layer${l + 1}`, width: 1.5 }));
    charts = {
      std: createLineChart(stdHost, { label: `Standard deviation of each hidden layer's activation input, ${who}`,
        series: series("std"), yLabel: "std", height: 120 }),
      mean: createLineChart(meanHost, { label: `Mean of each hidden layer's activation input, ${who}`,
        series: series("mean"), yLabel: "mean", height: 120 }),
    };
  }

  return {
    element,
    // shown: whether this view is on; points: the steps where the range is measured.
    reset({ shown, points = [] }) {
      charts?.std.destroy(); charts?.mean.destroy(); charts = null;
      element.hidden = !shown;
      checkpoints = points;
      recorded = [];
      for (const name of ["preStdRange", "maxSaturation", "gradRatio"]) delete panelElement.dataset[name];
    },
    add(frame) {
      const layers = frame.layers;
      if (!layers) return;
      if (!charts) build(layers.length);
      const values = {};
      layers.forEach((l, i) => { values[`std${i + 1}`] = l.preStd; values[`mean${i + 1}`] = l.preMean; });
      charts.std.add(frame.steps, values);
      charts.mean.add(frame.steps, values);
      if (!checkpoints.length || checkpoints.includes(frame.steps)) {
        if (recorded.at(-1)?.steps === frame.steps) recorded.pop();
        recorded.push({ steps: frame.steps, std: layers.map((l) => l.preStd) });
      }
      const range = Math.max(...layers.map((_, i) => Math.max(...recorded.map((r) => r.std[i])) /
        Math.min(...recorded.map((r) => r.std[i]))));
      panelElement.dataset.preStdRange = String(range);
      panelElement.dataset.maxSaturation = String(Math.max(...layers.map((l) => l.saturation)));
      panelElement.dataset.gradRatio = String(layers[0].gradNorm / layers.at(-1).gradNorm);
    },
    // frame-scheduler.js jobs ({ palette }) -> whether it painted.
    jobs: ["std", "mean"].map((name) => ({ palette }) => !element.hidden && charts !== null && charts[name].draw(palette)),
    destroy() { charts?.std.destroy(); charts?.mean.destroy(); },
  };
}
