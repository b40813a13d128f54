// Loss curves of one network against training steps (a uPlot line chart,
// line-chart.js): the minibatch loss of the steps (train mode, noisy), the
// loss on the training split and on the test split (both eval mode). Both
// panels share one y range so their curves can be compared by eye.
import { createLineChart } from "./line-chart.js";

export const SERIES = [
  { key: "batchLoss", label: "minibatch", colour: "batchLoss", width: 1 },
  { key: "loss", label: "train", colour: "loss", width: 2 },
  { key: "testLoss", label: "test", colour: "testLoss", width: 2, dash: [5, 3] },
];

export function createLossChart(host, who) {
  const chart = createLineChart(host, { label: `Loss curves of the ${who}`, series: SERIES, xLabel: "step", yLabel: "loss" });
  let top = 0;
  return {
    clear: () => chart.clear(),
    add: (frame) => chart.add(frame.steps, frame),
    rows: () => chart.rows(),
    maxLoss: () => Math.max(0, chart.max()),
    draw(yMax, palette) {
      const ceiling = yMax > 0 ? niceCeiling(yMax) : 1;
      if (ceiling !== top) { top = ceiling; chart.setRange(() => [0, ceiling]); }
      return chart.draw(palette);
    },
    get canvas() { return chart.canvas; },
    destroy: () => chart.destroy(),
  };
}

function niceCeiling(v) {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 3, 5, 7.5, 10]) if (m * power >= v) return m * power;
  return 10 * power;
}
