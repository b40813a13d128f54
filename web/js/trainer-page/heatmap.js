// Decision boundary: the network's class-1 probability on a res×res grid
// drawn as a heat map (class-0 tint, the middle colour at 0.5, class-1 tint),
// with the data points on top. Colours come from the palette (palette.js),
// so the map follows the page's theme.
import { toRgb } from "./palette.js";

// p in [0,1] -> RGB: lerp(class0 -> middle) below 0.5, lerp(middle -> class1) above.
function colour(p, class0, middle, class1) {
  const t = Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0.5;
  const [from, to, u] = t < 0.5 ? [class0, middle, t * 2] : [middle, class1, t * 2 - 1];
  return from.map((c, i) => Math.round(c + (to[i] - c) * u));
}

export function createHeatmap(canvas) {
  const context = canvas.getContext("2d");
  const scratch = document.createElement("canvas");
  const scratchContext = scratch.getContext("2d");
  // The points never move, so they are drawn into their own layer, again
  // only when the palette changes.
  const pointLayer = document.createElement("canvas");
  let points = null;
  let layerColours = "";

  function drawPointLayer(palette) {
    const colours = [palette.class0, palette.class1, palette.pointEdge].join(" ");
    if (!points || colours === layerColours) return;
    pointLayer.width = canvas.width;
    pointLayer.height = canvas.height;
    drawPoints(pointLayer.getContext("2d"), points.points, points.extent, canvas.width, canvas.height, palette);
    layerColours = colours;
  }

  return {
    setPoints(newPoints, extent) {
      points = { points: newPoints, extent };
      layerColours = "";
    },
    // grid[row * res + col], row 0 at the top (ymax), as Trainer.predictGrid returns it.
    draw(grid, res, palette) {
      if (scratch.width !== res) { scratch.width = res; scratch.height = res; }
      const [class0, middle, class1] = [palette.heatClass0, palette.heatMiddle, palette.heatClass1].map(toRgb);
      const image = scratchContext.createImageData(res, res);
      for (let row = 0; row < res; row++) {
        for (let col = 0; col < res; col++) {
          const [r, g, b] = colour(grid[row * res + col], class0, middle, class1);
          const o = (row * res + col) * 4;
          image.data[o] = r; image.data[o + 1] = g; image.data[o + 2] = b; image.data[o + 3] = 255;
        }
      }
      scratchContext.putImageData(image, 0, 0);
      const { width, height } = canvas;
      context.imageSmoothingEnabled = true;
      context.drawImage(scratch, 0, 0, width, height);
      drawPointLayer(palette);
      if (points) context.drawImage(pointLayer, 0, 0);
    },
  };
}

// Training points filled, held-out test points (test[i] = 1) as rings.
function drawPoints(context, { x, y, test }, extent, width, height, palette) {
  const sx = width / (extent.xmax - extent.xmin);
  const sy = height / (extent.ymax - extent.ymin);
  const radius = Math.max(2, width / 110);
  for (const held of [0, 1]) {
    for (const label of [0, 1]) {
      const fill = label ? palette.class1 : palette.class0;
      context.beginPath();
      for (let i = 0; i < y.length; i++) {
        if (y[i] !== label || (test?.[i] ?? 0) !== held) continue;
        const px = (x[2 * i] - extent.xmin) * sx;
        const py = height - (x[2 * i + 1] - extent.ymin) * sy;
        context.moveTo(px + radius, py);
        context.arc(px, py, radius, 0, 2 * Math.PI);
      }
      if (held) {
        context.lineWidth = 1.6;
        context.strokeStyle = fill;
        context.stroke();
      } else {
        context.fillStyle = fill;
        context.fill();
        context.lineWidth = 1;
        context.strokeStyle = palette.pointEdge;
        context.stroke();
      }
    }
  }
}
