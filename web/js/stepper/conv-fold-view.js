// "Fold a Conv2d into this BatchNorm2d", a part of the normalization lab
// card shown while BatchNorm2d is chosen: a small Conv2d (seeded weights,
// kernel 1×1 or 3×3, 1–4 output channels) on the lab's image batch in front
// of a BatchNorm2d, the per-channel a, b, the folded W′ = a_o·W[o] and
// b′ = a·(b − μ_run) + β with numbers, and both paths on the batch (conv then
// batch norm, and the fused conv), which agree to float32 rounding in eval
// mode and not in train mode (the stepper's Mode). Numbers from
// conv-fold-compute.js; CSV from conv-fold-export.js.
// createConvFoldView({ prefix, bn, state, update }) returns { section, show(state, how) }.
import { h, download } from "../dom.js";
import { num, given, sym } from "./numbers.js";
import { eq } from "./step-parts.js";
import { apart, derived, verdict } from "./eval-map-view.js";
import { CONV_FORWARDS, CONV_MOMENTUM, KERNEL_SIZES, computeConvFold, convOf } from "./conv-fold-compute.js";
import { LAB_EPS, layersAvailable, readImage } from "./lab-compute.js";
import { convFoldCsv } from "./conv-fold-export.js";
import { normalize } from "./state.js";
import { setMode } from "./transitions.js";
import { nextSeed } from "./random.js";

const ch = (o) => ({ channel: o + 1 });

// W[o, c] (or W′[o, c]) as a k×k grid: each cell `cell(value, at)`.
function kernelGrid(values, conv, o, c, cell) {
  const { inC, k } = conv;
  return h("table", { class: "image-grid kernel-grid", "data-out": o + 1, "data-in": c + 1 },
    h("caption", {}, `in ${c + 1}`),
    h("tbody", {}, Array.from({ length: k }, (_, u) => h("tr", {}, Array.from({ length: k }, (_, v) => {
      const e = ((o * inC + c) * k + u) * k + v;
      return h("td", {}, cell(values[e], { out: o + 1, in: c + 1, kh: u + 1, kw: v + 1 }));
    })))));
}

const perOut = (conv, fn) => h("div", { class: "feats" }, Array.from({ length: conv.outC }, (_, o) =>
  h("div", { class: "feat", "data-channel-block": o + 1 }, h("h4", {}, `output channel ${o + 1}`), ...fn(o))));

function renderParams(conv) {
  return perOut(conv, (o) => [
    h("div", { class: "kernels" }, Array.from({ length: conv.inC }, (_, c) =>
      kernelGrid(conv.weight, conv, o, c, (v, at) => drawn(v, "weight", at)))),
    eq("b = ", drawn(conv.bias[o], "bias", ch(o)), ", γ = ", drawn(conv.gamma[o], "gamma", ch(o)), ", β = ", drawn(conv.beta[o], "beta", ch(o))),
  ]);
}

// A drawn parameter (not computed): shown as given, with data-conv="<name>", its place and its float32 value.
function drawn(value, name, at) {
  const el = given(value);
  el.setAttribute("data-conv", name);
  el.setAttribute("data-value", String(Math.fround(value)));
  for (const [k, v] of Object.entries(at)) el.setAttribute(`data-${k}`, String(v));
  return el;
}

function renderFold(r) {
  const { conv, running, scale: a, shift: b } = r;
  return perOut(conv, (o) => [
    eq(sym("μ", "run"), " = ", num(running.mean[o], { quantity: "runningMean", at: ch(o) }), ", ", sym("σ", "run", "2"), " = ",
      num(running.var[o], { quantity: "runningVar", at: ch(o) })),
    eq("a = γ / √(σ²_run + ε) = ", given(conv.gamma[o]), " / √(", num(running.var[o], { quantity: "runningVar", at: ch(o) }), " + ",
      given(LAB_EPS), ") = ", num(a[o], { quantity: "scale", at: ch(o) })),
    eq("b = β − a · μ_run = ", given(conv.beta[o], { paren: true }), " − ", num(a[o], { quantity: "scale", at: ch(o), paren: true }), " · ",
      num(running.mean[o], { quantity: "runningMean", at: ch(o), paren: true }), " = ", num(b[o], { quantity: "shift", at: ch(o) })),
    eq("W′[", String(o + 1), ", 1, 1, 1] = a · W = ", num(a[o], { quantity: "scale", at: ch(o), paren: true }), " · ",
      given(conv.weight[o * conv.inC * conv.k * conv.k], { paren: true, stored: true }), " = ",
      num(r.fusedWeight[o * conv.inC * conv.k * conv.k], { attr: "data-fold", quantity: "fusedWeightExample", at: ch(o) })),
    h("p", { class: "hint" }, `W′[${o + 1}], every kernel of output channel ${o + 1} times a:`),
    h("div", { class: "kernels" }, Array.from({ length: conv.inC }, (_, c) =>
      kernelGrid(r.fusedWeight, conv, o, c, (v, at) => num(v, { quantity: "fusedWeight", at })))),
    eq("b′ = a · (b − μ_run) + β = ", num(a[o], { quantity: "scale", at: ch(o), paren: true }), " · (", given(conv.bias[o], { stored: true }), " − ",
      num(running.mean[o], { quantity: "runningMean", at: ch(o), paren: true }), ") + ", given(conv.beta[o], { paren: true, stored: true }), " = ",
      num(r.fusedBias[o], { quantity: "fusedBias", at: ch(o) })),
  ]);
}

// One table row per output element: z, the batch norm of z, the fused conv, and how far apart.
function renderPaths(r) {
  const [N, C, H, W] = r.shape;
  const rows = [];
  for (let e = 0; e < N * C * H * W; e++) {
    const at = { sample: Math.floor(e / (C * H * W)) + 1, channel: Math.floor(e / (H * W)) % C + 1, h: Math.floor(e / W) % H + 1, w: e % W + 1 };
    rows.push(h("tr", {}, h("th", { scope: "row" }, `${at.sample}, ${at.channel}, ${at.h}, ${at.w}`),
      h("td", {}, derived(r.z[e], "convZ", { at })), h("td", {}, derived(r.unfusedY[e], "convUnfusedY", { at })),
      h("td", {}, derived(r.fusedY[e], "convFusedY", { at })),
      h("td", {}, r.mode === "eval" ? apart(r.ulps[e]) : h("span", { class: "aside" }, String(Number(Math.abs(r.fusedY[e] - r.unfusedY[e]).toPrecision(3)))))));
  }
  return h("div", { class: "scroll", role: "region", tabindex: "0", "aria-label": "Both paths on the image batch" },
    h("table", { class: "check-table conv-paths" },
      h("caption", {}, "Each output element (sample, channel, row, column) through both paths"),
      h("thead", {}, h("tr", {}, ["element", "z = W ∗ x + b", "BN(z)", "W′ ∗ x + b′", r.mode === "eval" ? "apart" : "|difference|"]
        .map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows)));
}

function trainWhy(r) {
  const o = Math.floor(r.worst.at / (r.shape[2] * r.shape[3])) % r.conv.outC;
  return [
    verdict("convFold", r.worst.ulps, "The two paths agree here, by chance.", "In train mode the two paths differ, by more than rounding.", r.gap),
    h("p", { class: "note", "data-note": "conv-fold-train" }, "In train mode the BatchNorm2d normalizes z with this batch's own statistics (channel ",
      String(o + 1), ": ", sym("μ", "B"), " = ", derived(r.batchStats.mean[o], "convBatchMean", { at: ch(o) }), ", ", sym("σ", "B", "2"), " = ",
      derived(r.batchStats.var[o], "convBatchVar", { at: ch(o) }), ", over N·H·W cells), while W′ and b′ were made from the running ones (",
      sym("μ", "run"), " = ", num(r.running.mean[o], { quantity: "runningMean", at: ch(o) }), ", ", sym("σ", "run", "2"), " = ",
      num(r.running.var[o], { quantity: "runningVar", at: ch(o) }), "). Batch statistics ≠ running statistics, and they change with every batch, so no fixed conv reproduces train mode. Fold only after model.eval(); torch.nn.utils.fusion.fuse_conv_bn_eval refuses a module in training (“Fusion only for eval!”)."),
  ];
}

export function createConvFoldView({ prefix, bn, state, update }) {
  const id = (name) => `${prefix}-cf-${name}`;
  const kernel = h("select", { id: id("kernel") }, KERNEL_SIZES.map((k) => h("option", { value: k }, `${k}×${k}`)));
  const outC = h("input", { type: "number", id: id("out"), min: 1, max: 4, step: 1, class: "small" });
  const outMsg = h("span", { class: "msg", role: "status" });
  const random = h("button", { type: "button" }, "Random conv weights");
  const csv = h("button", { type: "button", disabled: true, title: "W, b, γ, β, running statistics, a, b, W′, b′ and both paths, one number a line" },
    "Download the conv fold as CSV");
  const modeLine = h("p", { class: "status" });
  const modeButton = h("button", { type: "button" });
  const area = h("div", { class: "conv-fold-numbers" });
  const labelled = (text, control) => h("span", { class: "pair" }, h("label", { for: control.id }, text), control);
  const section = h("section", { class: "conv-fold", "aria-labelledby": id("h"), hidden: true },
    h("h3", { id: id("h") }, "Fold a Conv2d into this BatchNorm2d"),
    h("p", {}, "A Conv2d z = W ∗ x + b (stride 1, zero padding (k − 1)/2, so z keeps H×W) in front of a BatchNorm2d over z's channels, on the image batch above. In eval mode the batch norm is a·z + b per channel, so the two layers are one conv with new weights: W′[o] = a_o·W[o] and b′ = a·(b − μ_run) + β."),
    h("p", { class: "hint" }, `The conv's weights and bias are drawn as torch.nn.Conv2d initializes them (U(−1/√fan_in, 1/√fan_in)), γ from U(0.5, 1.5), β from U(−0.5, 0.5), seeded. The running statistics come from ${CONV_FORWARDS} training forwards of the BatchNorm2d on this batch's z (momentum ${CONV_MOMENTUM}, from running mean 0 and running variance 1), so they lag the batch's own.`),
    h("div", { class: "row-controls" }, labelled("Conv kernel", kernel), labelled("Conv output channels", outC), outMsg, random, csv),
    h("div", { class: "row-controls" }, modeLine, modeButton), area);
  let shown = null;

  kernel.addEventListener("change", () => update(normalize({ ...state(), convKernel: Number(kernel.value) }), "lab"));
  outC.addEventListener("change", () => {
    const v = Number(outC.value);
    if (!(Number.isInteger(v) && v >= 1 && v <= 4)) {
      outC.setAttribute("aria-invalid", "true");
      outMsg.textContent = "Conv output channels: Must be a whole number from 1 to 4.";
      return;
    }
    outC.removeAttribute("aria-invalid");
    outMsg.textContent = "";
    if (v !== state().convOut) update(normalize({ ...state(), convOut: v }), "lab");
  });
  random.addEventListener("click", () => update({ ...state(), convSeed: nextSeed(state().convSeed) }, "lab"));
  modeButton.addEventListener("click", () => update(setMode(state(), state().mode === "eval" ? "train" : "eval"), "compute"));
  csv.addEventListener("click", () => {
    if (shown) download(new Blob([convFoldCsv(shown)], { type: "text/csv" }), `batchnorm-conv-fold-${shown.mode}.csv`, section);
  });

  function show(s, how) {
    section.hidden = s.norm !== "batch2d" || !layersAvailable(bn);
    if (section.hidden) { shown = null; return; }
    if (how === "navigate" || how === "presenter" || how === "lab-stat") return;
    kernel.value = String(s.convKernel);
    outC.value = String(s.convOut);
    modeLine.textContent = `Mode (the stepper's Train / Eval switch): ${s.mode}.`;
    modeButton.textContent = s.mode === "eval" ? "Show in train mode" : "Show in eval mode";
    const input = readImage(s);
    shown = null;
    csv.disabled = true;
    if (!input.ok) { area.replaceChildren(h("p", { class: "problem" }, "Nothing is folded until the marked cells of the image are numbers.")); return; }
    const conv = convOf(s);
    const r = computeConvFold(bn, { x: input.x, shape: s.imageShape, conv, mode: s.mode });
    if (r.failure) { area.replaceChildren(h("p", { class: "problem" }, `The core refused this fold: ${r.failure}`)); return; }
    const parts = [h("h4", {}, "The conv and the batch norm's γ, β"), renderParams(conv),
      r.running.error ? h("p", { class: "note", "data-note": "conv-running-refused" }, `The training forwards were refused (${r.running.error}): the running statistics stay at 0 and 1.`) : null,
      h("h4", {}, "The fold, per output channel"), renderFold(r), h("h4", {}, "Both paths on this batch"),
      h("p", {}, s.mode === "eval" ? "Unfused: the conv, then the BatchNorm2d in eval mode. Fused: the conv with W′, b′." : "Unfused: the conv, then the BatchNorm2d in train mode (now). Fused: the conv with W′, b′, made from the running statistics.")];
    if (r.unfusedError) parts.push(h("p", { class: "problem" }, r.unfusedError));
    else {
      parts.push(renderPaths(r), r.mode === "eval"
        ? verdict("convFold", r.worst.ulps, "The fused conv gives the unfused output, to float32 rounding.", "The fused and the unfused output differ by more than float32 rounding.")
        : trainWhy(r));
      shown = r;
      csv.disabled = false;
    }
    parts.push(h("p", { class: "aside" }, "Copy as PyTorch (in Share and export) reproduces this fold with torch.nn.utils.fusion.fuse_conv_bn_eval."));
    area.replaceChildren(...parts.flat().filter(Boolean));
  }

  return { section, show };
}
