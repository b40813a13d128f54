// The fold in the "Copy as PyTorch" snippet (export.js): the Linear layer of
// the inference card in front of the snippet's `bn`, folded with
// torch.nn.utils.fusion.fuse_linear_bn_eval, and both paths on x.
import { readLinear } from "./fold-compute.js";

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
