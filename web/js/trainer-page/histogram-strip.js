// Histograms of a hidden layer's values over time: each column is one frame,
// each row one value bin (from -range at the bottom to +range at the top),
// stronger colour = more values (palette.stripEmpty -> palette.stripFull).
// A standardized layer stays a steady band around 0; an unnormalized one
// drifts and spreads as the weights change.
import { toRgb } from "./palette.js";

const COLUMNS = 160;

export function createHistogramStrip(canvas) {
  const context = canvas.getContext("2d");
  const scratch = document.createElement("canvas");
  const scratchContext = scratch.getContext("2d");
  let columns = [];

  return {
    clear() { columns = []; },
    add(hist) {
      columns.push(hist.counts);
      if (columns.length > COLUMNS) columns.shift();
    },
    draw(palette) {
      const bins = columns[0]?.length ?? 1;
      const empty = toRgb(palette.stripEmpty);
      const full = toRgb(palette.stripFull);
      scratch.width = COLUMNS;
      scratch.height = bins;
      const image = scratchContext.createImageData(COLUMNS, bins);
      for (let o = 0; o < image.data.length; o += 4) {
        image.data[o] = empty[0]; image.data[o + 1] = empty[1]; image.data[o + 2] = empty[2]; image.data[o + 3] = 255;
      }
      const offset = COLUMNS - columns.length;
      columns.forEach((counts, c) => {
        const peak = Math.max(1, ...counts);
        for (let b = 0; b < bins; b++) {
          // intensity = √(count/peak): keeps thin tails visible.
          const shade = Math.sqrt(counts[b] / peak);
          const o = ((bins - 1 - b) * COLUMNS + offset + c) * 4;
          image.data[o] = empty[0] + shade * (full[0] - empty[0]);
          image.data[o + 1] = empty[1] + shade * (full[1] - empty[1]);
          image.data[o + 2] = empty[2] + shade * (full[2] - empty[2]);
        }
      });
      scratchContext.putImageData(image, 0, 0);
      // The value axis (+range, 0, −range) is text beside the canvas (panel.js),
      // so it stays 12 px however the canvas is scaled; the canvas only
      // carries the bins and a dashed line at 0.
      const { width, height } = canvas;
      context.clearRect(0, 0, width, height);
      context.imageSmoothingEnabled = false;
      context.drawImage(scratch, 0, 0, width, height);
      context.strokeStyle = palette.stripGuide;
      context.setLineDash([3, 3]);
      context.beginPath();
      context.moveTo(0, height / 2); context.lineTo(width, height / 2);
      context.stroke();
      context.setLineDash([]);
    },
  };
}
