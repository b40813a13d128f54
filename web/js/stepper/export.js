// Share and export: a PyTorch snippet that reproduces the view's numbers in
// torch, and every intermediate as CSV.
import { visible } from "./state.js";
import { foldSnippetLines } from "./fold-export.js";
import { labSnippetLines } from "./lab-export.js";
import { convFoldSnippetLines } from "./conv-fold-export.js";
import { csvLines } from "./csv.js";

const pyNum = (v) => {
  const s = String(Number(v));
  return /[.e]/.test(s) || s.includes("Infinity") ? s : `${s}.`;
};
const pyRows = (rows) => `[${rows.map((r) => `[${r.map(pyNum).join(", ")}]`).join(",\n     ")}]`;
const pyList = (list) => `[${Array.from(list, pyNum).join(", ")}]`;

export function pytorchSnippet(state, inputs) {
  const { rows, features, x, gamma, beta, eps, momentum } = inputs;
  const grid = Array.from({ length: rows }, (_, i) => Array.from(x.subarray(i * features, (i + 1) * features)));
  const keras = state.convention === "keras";
  const torchMomentum = keras ? 1 - momentum : momentum;
  const lines = [
    "import torch",
    "",
    `x = torch.tensor(${pyRows(grid)}, dtype=torch.float32, requires_grad=True)`,
    `bn = torch.nn.BatchNorm1d(${features}, eps=${pyNum(eps)}, momentum=${pyNum(torchMomentum)})`,
  ];
  if (keras) {
    lines.push(`# Keras convention: momentum ${pyNum(momentum)} is Keras's decay, so torch momentum = 1 - ${pyNum(momentum)}.`,
      "# torch's running_var uses the unbiased batch variance; Keras's moving_variance the biased one.");
  }
  lines.push("with torch.no_grad():",
    `    bn.weight.copy_(torch.tensor(${pyList(gamma)}))`,
    `    bn.bias.copy_(torch.tensor(${pyList(beta)}))`);
  if (state.history.length) {
    lines.push("", "# earlier batches fed in training (running statistics)", "bn.train()", "with torch.no_grad():");
    for (const b of state.history) lines.push(`    bn(torch.tensor(${pyRows(b)}))`);
  }
  const feedsCurrent = rows >= 2;
  if (state.mode === "train") {
    lines.push("", "bn.train()", "y = bn(x)");
  } else {
    if (feedsCurrent) lines.push("", "bn.train()", "with torch.no_grad():", "    bn(x)   # this batch, fed once in training");
    lines.push("", "bn.eval()", "y = bn(x)");
  }
  if (state.dySource === "loss") {
    const t = visible(state).target.map((r) => r.map(Number));
    lines.push(`target = torch.tensor(${pyRows(t)})`, "loss = 0.5 * ((y - target) ** 2).sum()", "loss.backward()");
  } else {
    const dy = visible(state).dy.map((r) => r.map(Number));
    lines.push(`dy = torch.tensor(${pyRows(dy)})`, "y.backward(dy)");
  }
  lines.push("", "torch.set_printoptions(precision=6)",
    "print('y', y)", "print('running_mean', bn.running_mean)", "print('running_var', bn.running_var)",
    "print('dx', x.grad)", "print('dgamma', bn.weight.grad)", "print('dbeta', bn.bias.grad)");
  lines.push(...foldSnippetLines(state, { pyRows, pyList }));
  lines.push(...labSnippetLines(state, { pyList, pyNum }));
  lines.push(...convFoldSnippetLines(state, { pyList, pyNum }));
  return lines.join("\n") + "\n";
}

// One line per shown number: quantity, feature, row, value (full precision).
export function intermediatesCsv(view) {
  const out = ["quantity,feature,row,value"];
  const { rows, features } = view;
  const perFeature = (name, arr) => csvLines(out, name, arr, (k) => `${k + 1},`);
  const perElement = (name, arr) => csvLines(out, name, arr, (j) => `${j % features + 1},${Math.floor(j / features) + 1}`);
  perElement("x", Float32Array.from(view.x));
  perFeature("mean", view.trace.mean);
  perElement("xCentered", view.trace.xCentered);
  perFeature("var", view.trace.var);
  perFeature("std", view.trace.std);
  perFeature("invStd", view.trace.invStd);
  perElement("xhat", view.trace.xhat);
  perElement("y", view.trace.y);
  perFeature("runningMean", view.after.mean);
  perFeature("runningVar", view.after.var);
  perElement("dy", view.dy);
  perFeature("dbeta", view.dbeta);
  perFeature("dgamma", view.dgamma);
  perElement("dxhat", view.dxhat);
  perFeature("dvar", view.dvar);
  perFeature("dmean", view.dmean);
  perElement("dx", view.dx);
  void rows;
  return out.join("\n") + "\n";
}
