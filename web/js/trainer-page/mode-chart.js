// Accuracy of one network against training steps, in both modes: eval mode
// (running statistics, what the network predicts at inference) and train
// mode (each batch normalized with its own statistics). The gap between the
// two curves is the train/eval gap; Recalibrate statistics moves the eval
// curve (a frame at the same step replaces the point before it).
import { createLineChart } from "./line-chart.js";

export const MODE_SERIES = [
  { key: "accuracy", label: "eval mode", colour: "loss", width: 2 },
  { key: "trainModeAccuracy", label: "train mode", colour: "trainMode", width: 2, dash: [5, 3] },
];

export function createModeChart(host, who) {
  const chart = createLineChart(host, { label: `Training-split accuracy of the ${who} in eval mode and in train mode`,
    series: MODE_SERIES, xLabel: "step", yLabel: "accuracy", height: 120, range: () => [0, 1] });
  return {
    clear: () => chart.clear(),
    add: (frame) => chart.add(frame.steps, frame),
    draw: (palette) => chart.draw(palette),
    destroy: () => chart.destroy(),
  };
}
