// The Conv2d fold of the normalization lab (conv-fold-view.js) in the
// "Copy as PyTorch" snippet (export.js): the lab's image batch, the conv,
// a BatchNorm2d given the same running statistics (the same training
// forwards on z), folded with torch.nn.utils.fusion.fuse_conv_bn_eval, and
// both paths; and its numbers as CSV ("Download the conv fold as CSV").
import { csvLines } from "./csv.js";
import { CONV_FORWARDS, CONV_MOMENTUM, convOf } from "./conv-fold-compute.js";
import { LAB_EPS, readImage } from "./lab-compute.js";

// Lines appended to the snippet while the lab shows BatchNorm2d; pyList / pyNum are export.js's.
export function convFoldSnippetLines(state, { pyList, pyNum }) {
  if (state.norm !== "batch2d") return [];
  const input = readImage(state);
  if (!input.ok) return [];
  const conv = convOf(state);
  const [N, C, H, W] = state.imageShape;
  const lines = [
    "",
    `# A Conv2d(${C}, ${conv.outC}, ${conv.k}) folded into a BatchNorm2d after it (the lab's "Fold a Conv2d into this BatchNorm2d").`,
    "import copy",
    "from torch.nn.utils.fusion import fuse_conv_bn_eval",
    `xc = torch.tensor(${pyList(input.x)}, dtype=torch.float32).reshape(${N}, ${C}, ${H}, ${W})`,
    `conv = torch.nn.Conv2d(${C}, ${conv.outC}, ${conv.k}, padding=${(conv.k - 1) / 2})`,
    `bn2 = torch.nn.BatchNorm2d(${conv.outC}, eps=${pyNum(LAB_EPS)}, momentum=${pyNum(CONV_MOMENTUM)})`,
    "with torch.no_grad():",
    `    conv.weight.copy_(torch.tensor(${pyList(conv.weight)}).reshape(${conv.outC}, ${C}, ${conv.k}, ${conv.k}))`,
    `    conv.bias.copy_(torch.tensor(${pyList(conv.bias)}))`,
    `    bn2.weight.copy_(torch.tensor(${pyList(conv.gamma)}))`,
    `    bn2.bias.copy_(torch.tensor(${pyList(conv.beta)}))`,
    `    bn2.train()`,
    `    for _ in range(${CONV_FORWARDS}):   # the running statistics: training forwards on this batch's z`,
    "        bn2(conv(xc))",
    "conv.eval()",
    "bn2.eval()   # fusion is for eval only",
    "fused_conv = fuse_conv_bn_eval(conv, bn2)",
    "with torch.no_grad():",
    "    print('conv running_mean', bn2.running_mean, 'running_var', bn2.running_var)",
    "    print('conv scale a', bn2.weight / torch.sqrt(bn2.running_var + bn2.eps))",
    "    print('conv fused weight', fused_conv.weight)",
    "    print('conv fused bias', fused_conv.bias)",
    "    unfused = bn2(conv(xc))",
    "    fused_out = fused_conv(xc)",
    "    print('conv unfused, eval', unfused)",
    "    print('conv fused', fused_out)",
    "    print('largest |fused - unfused|, eval', (fused_out - unfused).abs().max().item())",
  ];
  if (state.mode === "train") {
    lines.push("    print('largest |fused - unfused|, train mode (batch statistics)', (fused_out - copy.deepcopy(bn2).train()(conv(xc))).abs().max().item())");
  }
  return lines;
}

export const CONV_FOLD_CSV_HEADER = "quantity,out,in,kh,kw,sample,h,w,value";

// One line per number (full precision), CONV_FOLD_CSV_HEADER's columns (each
// from 1; empty where the quantity has no such axis):
//   weight, bias, gamma, beta        the conv's W[o, c, u, v], b_o and the batch norm's γ_o, β_o
//   runningMean, runningVar          after the training forwards on z
//   scale, shift                     a_o, b_o of the eval map
//   fusedWeight, fusedBias           W′ = a_o·W[o], b′_o = a_o·(b_o − μ_run,o) + β_o
//   z, unfusedY, fusedY, ulpsApart   per element (out = channel o, sample, h, w): the conv, the batch
//                                    norm of z in the view's mode, the fused conv, their distance in ulps
// r: computeConvFold's result with both paths.
export function convFoldCsv(r) {
  const { conv } = r;
  const [, C, H, W] = r.shape, k = conv.k;
  const out = [CONV_FOLD_CSV_HEADER];
  const perOut = (name, arr) => csvLines(out, name, arr, (o) => `${o + 1},,,,,,`);
  const perWeight = (name, arr) => csvLines(out, name, arr, (e) =>
    `${Math.floor(e / (conv.inC * k * k)) + 1},${Math.floor(e / (k * k)) % conv.inC + 1},${Math.floor(e / k) % k + 1},${e % k + 1},,,`);
  const perElement = (name, arr) => csvLines(out, name, arr, (e) =>
    `${Math.floor(e / (H * W)) % C + 1},,,,${Math.floor(e / (C * H * W)) + 1},${Math.floor(e / W) % H + 1},${e % W + 1}`);
  perWeight("weight", Float32Array.from(conv.weight));
  perOut("bias", Float32Array.from(conv.bias));
  perOut("gamma", Float32Array.from(conv.gamma));
  perOut("beta", Float32Array.from(conv.beta));
  perOut("runningMean", r.running.mean);
  perOut("runningVar", r.running.var);
  perOut("scale", r.scale);
  perOut("shift", r.shift);
  perWeight("fusedWeight", r.fusedWeight);
  perOut("fusedBias", r.fusedBias);
  perElement("z", r.z);
  perElement("unfusedY", r.unfusedY);
  perElement("fusedY", r.fusedY);
  perElement("ulpsApart", r.ulps);
  return out.join("\n") + "\n";
}
