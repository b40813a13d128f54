// "Running statistics vs the truth", in a panel whose network has batch
// norm: hidden layer 1's running mean and variance (what eval mode
// normalizes with) against the population statistics of that layer's input
// over the training split, computed with the current weights
// (tr.runningStats(0)), for its first two units, as training goes on; below,
// the gap over all its units (running-gap.js). A <details>: the worker
// computes the figures only while it is open (view.runningStats), and
// Recalibrate statistics shows as the running curves snapping onto the
// population ones. The gap is also on the panel as data-running-mean-gap and
// data-running-var-gap, with data-running-points (the frames recorded).
import { h } from "../dom.js";
import { createLineChart, formatValue } from "./line-chart.js";
import { runningGap } from "./running-gap.js";

export const UNITS_SHOWN = 2;
const series = (what) => Array.from({ length: UNITS_SHOWN }, (_, k) => [
  { key: `running${k}`, label: `unit ${k + 1} running ${what}`, colour: `layer${k + 1}`, width: 2 },
  { key: `population${k}`, label: `unit ${k + 1} population`, colour: `layer${k + 1}`, width: 1.5, dash: [5, 3] },
]).flat();

export function createRunningStatsView(panelElement, who, onToggle) {
  const meanHost = h("div", { class: "bnt-chart" });
  const varHost = h("div", { class: "bnt-chart" });
  const gapText = h("p", { class: "bnt-running-gap", "aria-live": "off" }, "–");
  const element = h("details", { class: "bnt-running-stats", hidden: true },
    h("summary", {}, "Running statistics vs the truth (hidden layer 1)"),
    h("p", { class: "bnt-running-intro" }, "Solid: the running mean and variance of units 1 and 2, which eval mode ",
      "normalizes with. Dashed: the mean and variance of the same units' input over the whole training split, with ",
      "the current weights (the population the running statistics estimate; the variance unbiased, as theirs)."),
    h("figure", {}, h("figcaption", { class: "bnt-chart-title" }, "Mean: running vs population"), meanHost),
    h("figure", {}, h("figcaption", { class: "bnt-chart-title" }, "Variance: running vs population"), varHost),
    gapText);
  // A hidden view (a network without batch norm) closing by reset() says nothing.
  element.addEventListener("toggle", () => { if (!element.hidden) onToggle(element.open); });
  let charts = null;
  let points = 0, lastStep = -1;   // frames recorded (a frame at the same step replaces the one before)

  const build = () => ({
    mean: createLineChart(meanHost, { label: `Running mean against the population mean of hidden layer 1's units 1 and 2, ${who}`,
      series: series("mean"), yLabel: "mean", height: 110 }),
    var: createLineChart(varHost, { label: `Running variance against the population variance of hidden layer 1's units 1 and 2, ${who}`,
      series: series("var"), yLabel: "variance", height: 110, range: (min, max) => [0, Math.max(max ?? 1, 1e-6) * 1.1] }),
  });
  const clearFigures = () => {
    for (const name of ["runningMeanGap", "runningVarGap", "runningPoints"]) delete panelElement.dataset[name];
    gapText.textContent = "–";
  };

  return {
    element,
    // shown: the network has batch norm; open: the view is open (on every panel at once).
    reset({ shown, open }) {
      charts?.mean.destroy(); charts?.var.destroy(); charts = null;
      points = 0;
      lastStep = -1;
      element.hidden = !shown;
      element.open = shown && open;
      clearFigures();
    },
    setOpen(open) { if (!element.hidden) element.open = open; },
    // frame.runningStats: { features, runningMean, runningVar, populationMean, populationVar } or null.
    add(frame) {
      const s = frame.runningStats;
      if (!s || element.hidden) return;
      charts ??= build();
      const means = {}, vars = {};
      for (let k = 0; k < Math.min(UNITS_SHOWN, s.features); k++) {
        means[`running${k}`] = s.runningMean[k]; means[`population${k}`] = s.populationMean[k];
        vars[`running${k}`] = s.runningVar[k]; vars[`population${k}`] = s.populationVar[k];
      }
      charts.mean.add(frame.steps, means);
      charts.var.add(frame.steps, vars);
      if (frame.steps !== lastStep) points += 1;
      lastStep = frame.steps;
      const gap = runningGap(s);
      panelElement.dataset.runningMeanGap = String(gap.mean);
      panelElement.dataset.runningVarGap = String(gap.var);
      panelElement.dataset.runningPoints = String(points);
      gapText.textContent = `Over all ${s.features} units of layer 1 at step ${frame.steps}, the running mean is ` +
        `${formatValue(gap.mean)} population standard deviations from the population mean, and the running variance ` +
        `${formatValue(100 * gap.var)} % off the population variance (averages of |running − population|).`;
    },
    // frame-scheduler.js jobs ({ palette }) -> whether it painted.
    jobs: ["mean", "var"].map((name) => ({ palette }) => element.open && charts !== null && charts[name].draw(palette)),
    destroy() { charts?.mean.destroy(); charts?.var.destroy(); },
  };
}
