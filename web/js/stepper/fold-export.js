// The fold in the "Copy as PyTorch" snippet (export.js): the Linear layer of
// the inference card in front of the snippet's `bn`, folded with
// torch.nn.utils.fusion.fuse_linear_bn_eval, and both paths on x; and the
// fold's numbers as CSV (the fold view's Download the fold as CSV).
import { readLinear } from "./fold-compute.js";
import { csvLines } from "./csv.js";

// Lines appended to the snippet; `pyNum` / `pyRows` / `pyList` are export.js's number formats.
export function foldSnippetLines(state, { pyRows, pyList }) {
  const K = state.features;
  const linear = readLinear(state);
  if (!linear.ok) return ["", "# (the Linear layer of the fold view has bad cells: fix them to export the fold)"];
  const rows = Array.from({ length: K }, (_, i) => Array.from(linear.weight.subarray(i * K, (i + 1) * K)));
  const lines = [
    "",
    "# Batch norm folded into a Linear layer in front of it (the page's Inference card).",
    "import copy",
    "from torch.nn.utils.fusion import fuse_linear_bn_eval",
    `linear = torch.nn.Linear(${K}, ${K})`,
    "with torch.no_grad():",
    `    linear.weight.copy_(torch.tensor(${pyRows(rows)}))`,
    `    linear.bias.copy_(torch.tensor(${pyList(linear.bias)}))`,
    "linear.eval()",
    "bn.eval()   # fusion is for eval only: both modules must be in eval mode",
    "fused = fuse_linear_bn_eval(linear, bn)",
    ...(state.convention === "keras" ? ["# (Keras convention: torch's running_var is unbiased, so these numbers differ from the page's)"] : []),
    "with torch.no_grad():",
    "    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)   # a",
    "    print('scale a', scale)",
    "    print('shift b', bn.bias - scale * bn.running_mean)",
    "    print('fused weight', fused.weight)",
    "    print('fused bias', fused.bias)",
    "    print('unfused, eval', bn(linear(x)))",
    "    print('fused', fused(x))",
  ];
  if (state.mode === "train") {
    lines.push("    print('unfused, train mode (batch statistics)', copy.deepcopy(bn).train()(linear(x)))");
  }
  return lines;
}

export const FOLD_CSV_HEADER = "quantity,feature,input,row,value";

// One line per number of the fold (full precision), FOLD_CSV_HEADER's
// columns: feature is the output feature i, input the column j of W and W′,
// row the batch row (each from 1; empty where the quantity has no such axis).
//   scale, shift        a_i = γ_i/√(σ²_run,i + ε), b_i = β_i − a_i·μ_run,i (the eval map)
//   W, linearBias       the Linear layer: W_ij, b_lin,i
//   fusedWeight, fusedBias  W′_ij = a_i·W_ij, b′_i = a_i·(b_lin,i − μ_run,i) + β_i
//   z                   W x + b_lin per row
//   unfusedY            the batch norm on z in the view's mode (train: batch statistics)
//   fusedY              W′x + b′ per row
//   ulpsApart           |fusedY − unfusedY| in float32 ulps of the terms' size (fold-compute.js)
// view: the stepper's (compute.js), inf: computeInference's result with a fold.
export function foldCsv(view, inf) {
  const K = view.features, fold = inf.fold;
  const out = [FOLD_CSV_HEADER];
  const perFeature = (name, arr) => csvLines(out, name, arr, (i) => `${i + 1},,`);
  const perWeight = (name, arr) => csvLines(out, name, arr, (e) => `${Math.floor(e / K) + 1},${e % K + 1},`);
  const perRow = (name, arr) => csvLines(out, name, arr, (e) => `${e % K + 1},,${Math.floor(e / K) + 1}`);
  perFeature("scale", inf.scale);
  perFeature("shift", inf.shift);
  perWeight("W", Float32Array.from(fold.weight));
  perFeature("linearBias", Float32Array.from(fold.bias));
  perWeight("fusedWeight", fold.fusedWeight);
  perFeature("fusedBias", fold.fusedBias);
  perRow("z", fold.z);
  perRow("unfusedY", fold.unfusedY);
  perRow("fusedY", fold.fusedY);
  perRow("ulpsApart", fold.ulps);
  return out.join("\n") + "\n";
}
