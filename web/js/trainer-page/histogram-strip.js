// Histograms of a hidden layer's values over time: each column is one frame,
// each row one value bin (from -range at the bottom to +range at the top),
// stronger colour = more values (palette.stripEmpty -> palette.stripFull).
// A standardized layer stays a steady band around 0; an unnormalized one
// drifts and spreads as the weights change.
// A draw shades only the frames that came since the last (column-image.js).
import { createColumnImage } from "./column-image.js";
import { toRgb } from "./palette.js";

const COLUMNS = 160;

export function createHistogramStrip(canvas) {
  const context = canvas.getContext("2d");
  const picture = createColumnImage(COLUMNS);
  let columns = [];   // [{ counts, peak }]
  let fresh = 0;   // columns added since the last draw
  let dirty = true;
  let paintedPalette = null;

  return {
    clear() { columns = []; fresh = COLUMNS; dirty = true; },
    add(hist) {
      columns.push({ counts: hist.counts, peak: Math.max(1, ...hist.counts) });
      if (columns.length > COLUMNS) columns.shift();
      fresh += 1;
      dirty = true;
    },
    // Paints when something changed; returns whether it did.
    draw(palette) {
      if (!dirty && palette === paintedPalette) return false;
      const bins = columns[0]?.counts.length ?? 1;
      // intensity = √(count/peak): keeps thin tails visible.
      picture.paint({ rows: bins, filled: columns.length, fresh, key: "",
        empty: toRgb(palette.stripEmpty), full: toRgb(palette.stripFull),
        shadeAt: (c, row) => {
          const { counts, peak } = columns[c];
          const b = bins - 1 - row;
          return b < counts.length ? Math.sqrt(counts[b] / peak) : NaN;
        } });
      fresh = 0;
      dirty = false;
      paintedPalette = palette;
      // The value axis (+range, 0, −range) is text beside the canvas (panel.js),
      // so it stays 12 px however the canvas is scaled; the canvas only
      // carries the bins and a dashed line at 0.
      picture.drawTo(context);
      const { width, height } = canvas;
      context.strokeStyle = palette.stripGuide;
      context.setLineDash([3, 3]);
      context.beginPath();
      context.moveTo(0, height / 2); context.lineTo(width, height / 2);
      context.stroke();
      context.setLineDash([]);
      return true;
    },
  };
}
