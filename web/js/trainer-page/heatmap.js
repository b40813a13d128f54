// Decision boundary: the network's class-1 probability on a res×res grid
// drawn as a heat map (orange = class 0, blue = class 1, white = 0.5), with
// the data points on top.
const CLASS0 = [245, 147, 34];
const CLASS1 = [8, 119, 189];
const WHITE = [255, 255, 255];
// The map uses lighter tints so the points stay visible on it.
const MAP0 = [248, 196, 140];
const MAP1 = [128, 184, 222];

// p in [0,1] -> RGB: lerp(MAP0 -> WHITE) below 0.5, lerp(WHITE -> MAP1) above.
function colour(p) {
  const t = Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0.5;
  const [from, to, u] = t < 0.5 ? [MAP0, WHITE, t * 2] : [WHITE, MAP1, t * 2 - 1];
  return from.map((c, i) => Math.round(c + (to[i] - c) * u));
}

export function createHeatmap(canvas) {
  const context = canvas.getContext("2d");
  const scratch = document.createElement("canvas");
  const scratchContext = scratch.getContext("2d");
  // The points never move, so they are drawn once into their own layer.
  const pointLayer = document.createElement("canvas");
  let hasPoints = false;

  return {
    setPoints(points, extent) {
      pointLayer.width = canvas.width;
      pointLayer.height = canvas.height;
      drawPoints(pointLayer.getContext("2d"), points, extent, canvas.width, canvas.height);
      hasPoints = true;
    },
    // grid[row * res + col], row 0 at the top (ymax), as Trainer.predictGrid returns it.
    draw(grid, res) {
      if (scratch.width !== res) { scratch.width = res; scratch.height = res; }
      const image = scratchContext.createImageData(res, res);
      for (let row = 0; row < res; row++) {
        for (let col = 0; col < res; col++) {
          const [r, g, b] = colour(grid[row * res + col]);
          const o = (row * res + col) * 4;
          image.data[o] = r; image.data[o + 1] = g; image.data[o + 2] = b; image.data[o + 3] = 255;
        }
      }
      scratchContext.putImageData(image, 0, 0);
      const { width, height } = canvas;
      context.imageSmoothingEnabled = true;
      context.drawImage(scratch, 0, 0, width, height);
      if (hasPoints) context.drawImage(pointLayer, 0, 0);
    },
  };
}

// Training points filled, held-out test points (test[i] = 1) as rings.
function drawPoints(context, { x, y, test }, extent, width, height) {
  const sx = width / (extent.xmax - extent.xmin);
  const sy = height / (extent.ymax - extent.ymin);
  const radius = Math.max(2, width / 110);
  for (const held of [0, 1]) {
    for (const label of [0, 1]) {
      const [r, g, b] = label ? CLASS1 : CLASS0;
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
        context.strokeStyle = `rgb(${r},${g},${b})`;
        context.stroke();
      } else {
        context.fillStyle = `rgb(${r},${g},${b})`;
        context.fill();
        context.lineWidth = 1;
        context.strokeStyle = "rgba(255,255,255,0.9)";
        context.stroke();
      }
    }
  }
}
