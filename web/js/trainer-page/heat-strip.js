// A per-layer quantity over time: each column one frame, each row one hidden
// layer (layer 1 at the bottom, the last at the top), colour from
// palette.stripEmpty (the smallest value shown) to palette.stripFull (the
// largest) on a log scale, so values that differ by orders of magnitude
// (vanishing gradients) stay apart. The scale spans the values on screen,
// at least one decade; the strip reports it (range()) for its caption.
// A click picks the layer under the pointer; hovering reports the layer,
// the step and the value (onHover).
import { toRgb } from "./palette.js";

const COLUMNS = 160;

export function createHeatStrip(canvas, { onPick = null, onHover = null } = {}) {
  const context = canvas.getContext("2d");
  const scratch = document.createElement("canvas");
  const scratchContext = scratch.getContext("2d");
  let columns = [];   // [{ step, values: Float64Array }]
  let selected = 1;
  let scale = { lo: 0, hi: 1 };   // log10 range of the colours

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
    for (const { values } of columns) {
      for (const v of values) if (v > 0 && Number.isFinite(v)) { const l = Math.log10(v); if (l < lo) lo = l; if (l > hi) hi = l; }
    }
    if (!Number.isFinite(lo)) { scale = { lo: 0, hi: 1 }; return; }
    lo = Math.floor(lo);
    hi = Math.max(lo + 1, Math.ceil(hi));
    scale = { lo, hi };
  }

  return {
    clear() { columns = []; },
    add(step, values) {
      columns.push({ step, values });
      if (columns.length > COLUMNS) columns.shift();
    },
    setLayer(layer) { selected = layer; },
    // { lo, hi }: the colours span 10^lo .. 10^hi.
    range: () => ({ ...scale }),
    draw(palette) {
      updateScale();
      const n = Math.max(1, rows());
      const empty = toRgb(palette.stripEmpty);
      const full = toRgb(palette.stripFull);
      scratch.width = COLUMNS;
      scratch.height = n;
      const image = scratchContext.createImageData(COLUMNS, n);
      for (let o = 0; o < image.data.length; o += 4) {
        image.data[o] = empty[0]; image.data[o + 1] = empty[1]; image.data[o + 2] = empty[2]; image.data[o + 3] = 255;
      }
      const offset = COLUMNS - columns.length;
      const span = scale.hi - scale.lo;
      columns.forEach(({ values }, c) => {
        for (let l = 0; l < values.length && l < n; l++) {
          const v = values[l];
          // shade = (log10 v − lo) / (hi − lo); zero, NaN and ∞ stay empty.
          if (!(v > 0) || !Number.isFinite(v)) continue;
          const shade = Math.min(1, Math.max(0, (Math.log10(v) - scale.lo) / span));
          const o = ((n - 1 - l) * COLUMNS + offset + c) * 4;
          image.data[o] = empty[0] + shade * (full[0] - empty[0]);
          image.data[o + 1] = empty[1] + shade * (full[1] - empty[1]);
          image.data[o + 2] = empty[2] + shade * (full[2] - empty[2]);
        }
      });
      scratchContext.putImageData(image, 0, 0);
      const { width, height } = canvas;
      context.clearRect(0, 0, width, height);
      context.imageSmoothingEnabled = false;
      context.drawImage(scratch, 0, 0, width, height);
      // The layer the histograms show: a dashed line through its row.
      const y = (n - selected + 0.5) * (height / n);
      context.strokeStyle = palette.label;
      context.setLineDash([3, 3]);
      context.beginPath();
      context.moveTo(0, y); context.lineTo(width, y);
      context.stroke();
      context.setLineDash([]);
    },
  };
}
