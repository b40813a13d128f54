// A per-layer quantity over time: each column one frame, each row one hidden
// layer (layer 1 at the bottom, the last at the top), colour from
// palette.stripEmpty (the smallest value shown) to palette.stripFull (the
// largest) on a log scale, so values that differ by orders of magnitude
// (vanishing gradients) stay apart. The scale spans the values on screen,
// at least one decade; the strip reports it (range()) for its caption.
// A click picks the layer under the pointer; hovering reports the layer,
// the step and the value (onHover).
// Each column's log10 values are taken once, when it arrives, and a draw
// shades only the new columns unless the scale or the colours changed
// (column-image.js).
import { createColumnImage } from "./column-image.js";
import { toRgb } from "./palette.js";

const COLUMNS = 160;

export function createHeatStrip(canvas, { onPick = null, onHover = null } = {}) {
  const context = canvas.getContext("2d");
  const picture = createColumnImage(COLUMNS);
  // [{ step, values, logs: log10 of each value (NaN where not > 0 and finite), lo, hi }]
  let columns = [];
  let selected = 1;
  let scale = { lo: 0, hi: 1 };   // log10 range of the colours
  let fresh = 0;   // columns added since the last draw
  let dirty = true;
  let paintedPalette = null;

  const rows = () => columns.at(-1)?.values.length ?? 0;
  // The layer (from 1) and column under a pointer event.
  function locate(event) {
    const box = canvas.getBoundingClientRect();
    const n = rows();
    if (!n || !box.height) return null;
    const layer = n - Math.floor(((event.clientY - box.top) / box.height) * n);
    const column = Math.floor(((event.clientX - box.left) / box.width) * COLUMNS) - (COLUMNS - columns.length);
    return { layer: Math.min(n, Math.max(1, layer)), column: columns[column] ?? null };
  }
  if (onPick) {
    canvas.style.cursor = "pointer";
    canvas.addEventListener("click", (event) => { const at = locate(event); if (at) onPick(at.layer); });
  }
  if (onHover) {
    canvas.addEventListener("mousemove", (event) => {
      const at = locate(event);
      if (at?.column) onHover({ layer: at.layer, step: at.column.step, value: at.column.values[at.layer - 1] });
    });
    canvas.addEventListener("mouseleave", () => onHover(null));
  }

  function updateScale() {
    let lo = Infinity, hi = -Infinity;
    for (const column of columns) { if (column.lo < lo) lo = column.lo; if (column.hi > hi) hi = column.hi; }
    if (!Number.isFinite(lo)) { scale = { lo: 0, hi: 1 }; return; }
    lo = Math.floor(lo);
    hi = Math.max(lo + 1, Math.ceil(hi));
    scale = { lo, hi };
  }

  return {
    clear() { columns = []; fresh = COLUMNS; dirty = true; },
    add(step, values) {
      const logs = new Float64Array(values.length);
      let lo = Infinity, hi = -Infinity;
      for (let l = 0; l < values.length; l++) {
        const v = values[l];
        const log = v > 0 && Number.isFinite(v) ? Math.log10(v) : NaN;
        logs[l] = log;
        if (log < lo) lo = log;
        if (log > hi) hi = log;
      }
      columns.push({ step, values, logs, lo, hi });
      if (columns.length > COLUMNS) columns.shift();
      fresh += 1;
      dirty = true;
    },
    setLayer(layer) { if (layer !== selected) { selected = layer; dirty = true; } },
    // { lo, hi }: the colours span 10^lo .. 10^hi.
    range: () => ({ ...scale }),
    // Paints when something changed; returns whether it did.
    draw(palette) {
      if (!dirty && palette === paintedPalette) return false;
      updateScale();
      const n = Math.max(1, rows());
      const span = scale.hi - scale.lo;
      // shade = (log10 v − lo) / (hi − lo); zero, NaN and ∞ stay empty.
      picture.paint({ rows: n, filled: columns.length, fresh, key: `${scale.lo} ${scale.hi}`,
        empty: toRgb(palette.stripEmpty), full: toRgb(palette.stripFull),
        shadeAt: (c, row) => {
          const log = columns[c].logs[n - 1 - row];
          return log === undefined ? NaN : Math.min(1, Math.max(0, (log - scale.lo) / span));
        } });
      fresh = 0;
      dirty = false;
      paintedPalette = palette;
      picture.drawTo(context);
      // The layer the histograms show: a dashed line through its row.
      const { width, height } = canvas;
      const y = (n - selected + 0.5) * (height / n);
      context.strokeStyle = palette.label;
      context.setLineDash([3, 3]);
      context.beginPath();
      context.moveTo(0, y); context.lineTo(width, y);
      context.stroke();
      context.setLineDash([]);
      return true;
    },
  };
}
