// Loss curves of one network against training steps: the minibatch loss of
// the steps (train mode, noisy), the loss on the training split and on the
// test split (both eval mode). Both panels share one y range so their
// curves can be compared by eye. Colours come from the palette (palette.js):
// palette[series.key] for each curve, palette.axis and palette.label.
const MAX_POINTS = 600;
export const SERIES = [
  { key: "batchLoss", label: "minibatch", width: 1 },
  { key: "loss", label: "train", width: 2 },
  { key: "testLoss", label: "test", width: 2, dash: [5, 3] },
];

export function createLossChart(canvas) {
  const context = canvas.getContext("2d");
  let history = [];

  return {
    clear() { history = []; },
    add(frame) {
      const last = history[history.length - 1];
      if (last && last.steps === frame.steps) history[history.length - 1] = frame;
      else history.push(frame);
      // Keep every other point once the history is long: O(1) memory per run.
      if (history.length > MAX_POINTS) history = history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
    },
    maxLoss() {
      let max = 0;
      for (const f of history) for (const { key } of SERIES) if (Number.isFinite(f[key])) max = Math.max(max, f[key]);
      return max;
    },
    draw(yMax, palette) {
      const { width, height } = canvas;
      const left = 34, bottom = 18, top = 6, right = 6;
      const plotW = width - left - right, plotH = height - top - bottom;
      context.clearRect(0, 0, width, height);
      const lastStep = Math.max(1, history.length ? history[history.length - 1].steps : 1);
      const top_ = yMax > 0 ? niceCeiling(yMax) : 1;
      const toX = (step) => left + (step / lastStep) * plotW;
      const toY = (v) => top + plotH - Math.min(1, Math.max(0, v / top_)) * plotH;
      context.strokeStyle = palette.axis;
      context.fillStyle = palette.label;
      context.font = "11px system-ui, sans-serif";
      context.lineWidth = 1;
      context.beginPath();
      context.moveTo(left, top); context.lineTo(left, top + plotH); context.lineTo(left + plotW, top + plotH);
      context.stroke();
      context.textAlign = "right";
      context.fillText(formatTick(top_), left - 4, top + 9);
      context.fillText("0", left - 4, top + plotH);
      context.textAlign = "left";
      context.fillText("0", left, height - 4);
      context.textAlign = "right";
      context.fillText(`${lastStep} steps`, left + plotW, height - 4);
      for (const series of SERIES) {
        context.strokeStyle = palette[series.key];
        context.lineWidth = series.width;
        context.setLineDash(series.dash ?? []);
        context.beginPath();
        let drawing = false;
        for (const f of history) {
          const v = f[series.key];
          if (!Number.isFinite(v)) { drawing = false; continue; }
          if (drawing) context.lineTo(toX(f.steps), toY(v));
          else context.moveTo(toX(f.steps), toY(v));
          drawing = true;
        }
        context.stroke();
      }
      context.setLineDash([]);
    },
  };
}

function niceCeiling(v) {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 3, 5, 7.5, 10]) if (m * power >= v) return m * power;
  return 10 * power;
}

function formatTick(v) {
  return v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2);
}
