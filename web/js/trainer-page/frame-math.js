// Small numeric helpers shared by the worker and the page: the plotting
// extent of a data set and histograms of a layer's values.

// A square box around the points (x is interleaved x0,y0,x1,y1,...) with a
// 10% margin, so the decision-boundary heat map keeps its aspect ratio.
export function dataExtent(x) {
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (let i = 0; i + 1 < x.length; i += 2) {
    xmin = Math.min(xmin, x[i]); xmax = Math.max(xmax, x[i]);
    ymin = Math.min(ymin, x[i + 1]); ymax = Math.max(ymax, x[i + 1]);
  }
  if (!Number.isFinite(xmin)) return { xmin: -1, xmax: 1, ymin: -1, ymax: 1 };
  const half = Math.max(xmax - xmin, ymax - ymin, 1e-6) * 0.55;
  const cx = (xmin + xmax) / 2, cy = (ymin + ymax) / 2;
  return { xmin: cx - half, xmax: cx + half, ymin: cy - half, ymax: cy + half };
}

// Counts of `values` in `bins` equal bins over [-range, range]; values
// outside land in the end bins (and are counted in `clipped`). Also the
// mean and standard deviation of all values: mean = Σv/n, std = √(Σ(v−mean)²/n).
export function histogram(values, range, bins) {
  const counts = new Array(bins).fill(0);
  let sum = 0, clipped = 0, finite = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) { clipped++; continue; }
    finite++;
    sum += v;
    let bin = Math.floor(((v + range) / (2 * range)) * bins);
    if (bin < 0 || bin >= bins) { clipped++; bin = bin < 0 ? 0 : bins - 1; }
    counts[bin]++;
  }
  const mean = finite ? sum / finite : NaN;
  let squares = 0;
  for (const v of values) if (Number.isFinite(v)) squares += (v - mean) ** 2;
  return { counts, total: values.length, clipped, mean, std: finite ? Math.sqrt(squares / finite) : NaN };
}
