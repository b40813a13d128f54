// The image behind a strip of columns over time (heat-strip.js,
// histogram-strip.js): `columnCount` columns, one per frame, the newest at
// the right; each cell's colour = empty + shade · (full − empty), shade in
// [0, 1] (NaN: empty). When only new columns came and nothing else changed,
// the pixels already there move left (copyWithin) and only the new columns
// are shaded; otherwise every cell is. Either way the image is the same.
export function createColumnImage(columnCount) {
  const scratch = document.createElement("canvas");
  const scratchContext = scratch.getContext("2d");
  let image = null;
  let paintedKey = "";

  // Paints `rows` rows (row 0 at the top) of the last `filled` columns;
  // fresh: how many of them are new since the last paint; key: whatever
  // else the colours depend on (palette, scale): a change repaints all.
  // shadeAt(c, row): c counts the filled columns from 0 (the oldest).
  function paint({ rows, filled, fresh, key, empty, full, shadeAt }) {
    const fullKey = `${rows} ${key} ${empty} ${full}`;
    let start = 0;   // the first pixel column to shade
    if (image && fullKey === paintedKey && fresh < columnCount && fresh <= filled) {
      const data = image.data;
      const shift = fresh * 4, rowBytes = columnCount * 4;
      for (let o = 0; o < data.length; o += rowBytes) data.copyWithin(o, o + shift, o + rowBytes);
      start = columnCount - fresh;
    } else {
      scratch.width = columnCount;
      scratch.height = rows;
      image = scratchContext.createImageData(columnCount, rows);
      paintedKey = fullKey;
    }
    const data = image.data;
    const offset = columnCount - filled;
    for (let x = start; x < columnCount; x++) {
      const c = x - offset;
      for (let row = 0; row < rows; row++) {
        const shade = c >= 0 ? shadeAt(c, row) : NaN;
        const s = Number.isNaN(shade) ? 0 : shade;
        const o = (row * columnCount + x) * 4;
        data[o] = empty[0] + s * (full[0] - empty[0]);
        data[o + 1] = empty[1] + s * (full[1] - empty[1]);
        data[o + 2] = empty[2] + s * (full[2] - empty[2]);
        data[o + 3] = 255;
      }
    }
    scratchContext.putImageData(image, 0, 0);
  }

  return {
    paint,
    // Draws the image over the whole of `context`'s canvas, cells as blocks.
    drawTo(context) {
      const { width, height } = context.canvas;
      context.clearRect(0, 0, width, height);
      context.imageSmoothingEnabled = false;
      context.drawImage(scratch, 0, 0, width, height);
    },
    // The next paint shades every cell.
    invalidate() { paintedKey = ""; },
  };
}
