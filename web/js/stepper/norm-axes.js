// Which cells of an N×C×H×W input share one statistic, for each of the five
// normalizations of the lab (pure axis logic, no DOM, no core):
//   BatchNorm1d on [N, C, L = H·W] and BatchNorm2d: per channel c over n, h, w  -> statsShape [C]
//   LayerNorm over [C, H, W]:                       per sample n over c, h, w   -> [N]
//   GroupNorm with G groups of C/G channels:        per sample n and group g    -> [N, G]
//   InstanceNorm2d:                                 per sample n and channel c  -> [N, C]
// x is row-major NCHW: cell (n, c, h, w) is element ((n·C + c)·H + h)·W + w.
// Statistics are listed in the row-major order of their statsShape, so a
// statistic's position here is its index in trace().mean.

export const NORMS = {
  batch1d: { label: "BatchNorm1d", torch: "BatchNorm1d", reduces: "n, l: each channel across the batch and its length L = H·W" },
  batch2d: { label: "BatchNorm2d", torch: "BatchNorm2d", reduces: "n, h, w: each channel across the batch and the image" },
  layer: { label: "LayerNorm", torch: "LayerNorm", reduces: "c, h, w: each sample across its channels and pixels" },
  group: { label: "GroupNorm", torch: "GroupNorm", reduces: "c in the group, h, w: each sample and group of channels" },
  instance: { label: "InstanceNorm", torch: "InstanceNorm2d", reduces: "h, w: each sample and channel across its pixels" },
};
export const NORM_KEYS = Object.keys(NORMS);

// PyTorch's words where it refuses an input in training.
export const MESSAGES = {
  perChannel: "Expected more than 1 value per channel when training",
  spatial: "Expected more than 1 spatial element when training",
  groups: "num_channels must be divisible by num_groups",
};

export const index = ([, C, H, W], n, c, h, w) => ((n * C + c) * H + h) * W + w;

// (n, c, h, w) of element j, all from 0.
export function coordsOf([, C, H, W], j) {
  const w = j % W, h = Math.floor(j / W) % H, c = Math.floor(j / (W * H)) % C, n = Math.floor(j / (W * H * C));
  return { n, c, h, w };
}

const isBatch = (norm) => norm === "batch1d" || norm === "batch2d";

export function statsShape(norm, [N, C], groups) {
  if (isBatch(norm)) return [C];
  if (norm === "layer") return [N];
  if (norm === "group") return [N, groups];
  if (norm === "instance") return [N, C];
  throw new Error(`norm must be one of ${NORM_KEYS.join(", ")}, got ${String(norm)}`);
}

// The shape of gamma/beta (PyTorch's weight/bias): per channel, or per
// element of the normalized shape [C, H, W] for LayerNorm.
export const paramShape = (norm, [, C, H, W]) => (norm === "layer" ? [C, H, W] : [C]);

// Index into gamma/beta of element j.
export function paramIndex(norm, shape, j) {
  const [, C, H, W] = shape;
  return norm === "layer" ? j % (C * H * W) : coordsOf(shape, j).c;
}

// The group (from 0) channel c belongs to, for GroupNorm.
export const groupOf = (c, C, groups) => Math.floor(c / (C / groups));

// Which statistic element j is normalized with (its index in statsShape order).
export function statOf(norm, shape, groups, j) {
  const { n, c } = coordsOf(shape, j);
  const C = shape[1];
  if (isBatch(norm)) return c;
  if (norm === "layer") return n;
  if (norm === "group") return n * groups + groupOf(c, C, groups);
  return n * C + c;
}

// Every statistic: { stat, coords: { sample?, channel?, group? } (from 1),
// label, cells: [element indices it reduces over] }. [] where PyTorch
// refuses the grouping (C not divisible by G).
export function statistics(norm, shape, groups) {
  if (norm === "group" && !groupsDivide(shape[1], groups)) return [];
  const sShape = statsShape(norm, shape, groups);
  const count = sShape.reduce((a, b) => a * b, 1);
  const stats = Array.from({ length: count }, (_, stat) => ({ stat, coords: statCoords(norm, sShape, stat), cells: [] }));
  const total = shape.reduce((a, b) => a * b, 1);
  for (let j = 0; j < total; j++) stats[statOf(norm, shape, groups, j)].cells.push(j);
  for (const s of stats) s.label = statLabel(s.coords);
  return stats;
}

function statCoords(norm, sShape, stat) {
  if (isBatch(norm)) return { channel: stat + 1 };
  if (norm === "layer") return { sample: stat + 1 };
  const inner = sShape[1];
  const sample = Math.floor(stat / inner) + 1, other = (stat % inner) + 1;
  return norm === "group" ? { sample, group: other } : { sample, channel: other };
}

// "channel 2", "sample 1", "sample 1 group 2", "sample 2 channel 3".
export function statLabel({ sample, channel, group }) {
  return [sample && `sample ${sample}`, group && `group ${group}`, channel && `channel ${channel}`].filter(Boolean).join(" ");
}

export const groupsDivide = (C, groups) => Number.isInteger(groups) && groups >= 1 && C % groups === 0;

// How many elements one statistic reduces over.
export function reducedCount(norm, [N, C, H, W], groups) {
  if (isBatch(norm)) return N * H * W;
  if (norm === "layer") return C * H * W;
  if (norm === "group") return (C / groups) * H * W;
  return H * W;
}

// Why PyTorch refuses this input in training (its message), or null.
export function trainingProblem(norm, shape, groups) {
  const [N, C, H, W] = shape;
  if (norm === "group" && !groupsDivide(C, groups)) return MESSAGES.groups;
  if (isBatch(norm) && N * H * W === 1) return MESSAGES.perChannel;
  if (norm === "instance" && H * W === 1) return MESSAGES.spatial;
  return null;
}

// True when sample n's output depends on the other samples' values: only
// BatchNorm reduces over the batch axis (given N > 1).
export const mixesSamples = (norm) => isBatch(norm);

// The statistics' shape as written in the docs: "[C] = [4]", "[N, G] = [2, 2]".
export function shapeText(norm, shape, groups) {
  const names = isBatch(norm) ? ["C"] : norm === "layer" ? ["N"] : norm === "group" ? ["N", "G"] : ["N", "C"];
  return `[${names.join(", ")}] = [${statsShape(norm, shape, groups).join(", ")}]`;
}
