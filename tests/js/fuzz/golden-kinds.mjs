// The golden cases of tests/data/golden_{batchnorm,layernorm,groupnorm,
// instancenorm}.json replayed through the fuzz suite's own layer kinds
// (their layouts, statsShape and running-statistics rules) and the float64
// reference (norm-reference.mjs), for checking both against PyTorch's
// float64 truth.
import { loadLayerGolden, expectedStatsShape } from "../../reference/golden-layers.mjs";
import { BatchNorm1d } from "./layers.mjs";
import { BatchNorm2d, GroupNorm, LayerNorm, InstanceNorm2d } from "./shaped-layers.mjs";

const KINDS = { BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm, InstanceNorm2d };
// The fuzz spec of a golden case's constructor arguments.
const SPECS = {
  BatchNorm1d: (a) => ({ features: a.num_features, eps: a.eps, momentum: a.momentum, affine: a.affine, bad: null }),
  BatchNorm2d: (a) => ({ features: a.num_features, eps: a.eps, momentum: a.momentum, affine: a.affine, bad: null }),
  GroupNorm: (a) => ({ pair: [a.num_groups, a.num_channels], eps: a.eps, affine: a.affine, bad: null }),
  LayerNorm: (a) => ({ shape: a.normalized_shape, badShape: null, eps: a.eps, affine: a.elementwise_affine, bad: null }),
  InstanceNorm2d: (a) => ({ features: a.num_features, eps: a.eps, momentum: a.momentum, affine: a.affine, track: a.track_running_stats, bad: null }),
};

// Each step of each case: what the reference gives, and torch's float64 truth.
export function* goldenSteps() {
  for (const c of loadLayerGolden()) {
    const kind = KINDS[c.layer], a = { eps: 1e-5, momentum: 0.1, affine: c.affine, elementwise_affine: c.affine, track_running_stats: c.tracks, ...c.args };
    const entry = { kind, ...kind.config(SPECS[c.layer](a)) };
    const init = kind.initialState(SPECS[c.layer](a));
    let state = { ...init, ...c.init };
    for (const [k, s] of c.steps.entries()) {
      if (k > 0 && c.tracks) state = { ...state, runningMean: c.steps[k - 1].torch.runningMean, runningVar: c.steps[k - 1].torch.runningVar };
      state = { ...state, training: s.training };
      const f = kind.forwardRef(entry, Float64Array.from(s.x), s.shape, state);
      const b = kind.backwardRef(f.saved, Float64Array.from(s.dy));
      yield { name: `${c.layer} ${c.name} step ${k}`, c, s, f, b, statsShape: expectedStatsShape(c, s.shape) };
      state = { ...state, numBatchesTracked: s.truth.numBatchesTracked ?? state.numBatchesTracked };
    }
  }
}
