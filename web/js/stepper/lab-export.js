// The normalization lab in the "Copy as PyTorch" snippet (export.js): the
// lab's image batch through the chosen layer in torch (BatchNorm2d, LayerNorm([C, H, W]), GroupNorm(G, C),
// InstanceNorm2d(C, affine=True)), in training, backward with the lab's
// fixed dy, printing y, the statistics, dx, dgamma and dbeta. Nothing when
// the lab is closed (BatchNorm1d on the batch above).
import { LAB_EPS, labDy, readImage } from "./lab-compute.js";
import { NORMS } from "./norm-axes.js";

// The torch constructor of `norm` for shape [N, C, H, W] (GroupNorm: G groups).
export function torchLayer(norm, [, C, H, W], groups, pyNum) {
  const eps = `eps=${pyNum(LAB_EPS)}`;
  if (norm === "batch2d") return `torch.nn.BatchNorm2d(${C}, ${eps})`;
  if (norm === "layer") return `torch.nn.LayerNorm([${C}, ${H}, ${W}], ${eps})`;
  if (norm === "group") return `torch.nn.GroupNorm(${groups}, ${C}, ${eps})`;
  return `torch.nn.InstanceNorm2d(${C}, ${eps}, affine=True)`;
}

// The axes of [N, C, H, W] each statistic reduces over, as a Python tuple.
const DIMS = { batch2d: "(0, 2, 3)", layer: "(1, 2, 3)", instance: "(2, 3)" };

// Lines appended to the snippet; pyList is export.js's number format.
export function labSnippetLines(state, { pyList, pyNum }) {
  if (state.norm === "batch1d") return [];
  const input = readImage(state);
  if (!input.ok) return ["", "# (the normalization lab's image has bad cells: fix them to export it)"];
  const [N, C, H, W] = state.imageShape;
  const seen = `${N}, ${C}, ${H}, ${W}`;
  const stats = state.norm === "group"
    ? [`xg = x_img.detach().reshape(${N}, ${state.groups}, -1)`, "mean = xg.mean(dim=2)", "var = xg.var(dim=2, unbiased=False)"]
    : [`mean = x_img.detach().mean(dim=${DIMS[state.norm]})`, `var = x_img.detach().var(dim=${DIMS[state.norm]}, unbiased=False)`];
  return [
    "",
    `# The normalization lab: ${NORMS[state.norm].torch}${state.norm === "group" ? ` with ${state.groups} groups` : ""} on an N×C×H×W = ${N}×${C}×${H}×${W} batch, in training.`,
    `x_img = torch.tensor(${pyList(input.x)}, dtype=torch.float32).reshape(${seen}).requires_grad_()`,
    `norm = ${torchLayer(state.norm, state.imageShape, state.groups, pyNum)}`,
    "norm.train()",
    "y_img = norm(x_img)",
    `dy_img = torch.tensor(${pyList(labDy(input.x.length))}, dtype=torch.float32).reshape(${seen})`,
    "y_img.backward(dy_img)",
    ...stats,
    "print('lab mean', mean)", "print('lab var (biased)', var)", "print('lab y', y_img)",
    "print('lab dx', x_img.grad)", "print('lab dgamma', norm.weight.grad)", "print('lab dbeta', norm.bias.grad)",
  ];
}
