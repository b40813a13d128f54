// The lab's notes on the small cases, in place: where PyTorch refuses the
// input in training (its message, which the core gives too), and where it
// allows a batch of one and why (BatchNorm2d at N = 1 with H·W > 1).
import { h } from "../dom.js";
import { MESSAGES, NORMS, trainingProblem } from "./norm-axes.js";

// Notes for this layer and shape; `coreError`: the core's message, if it refused.
export function smallCaseNotes(norm, shape, groups, coreError = null) {
  const [N, C, H, W] = shape;
  const label = NORMS[norm].label;
  const problem = trainingProblem(norm, shape, groups);
  const out = [];
  if (problem === MESSAGES.perChannel) {
    out.push(note("batch-one", problem, coreError,
      `${label} with N·H·W = 1: each channel's statistic would average one number, so x − μ = 0 and σ² = 0 for every cell; x̂ would be 0 whatever the input and no gradient could reach x. PyTorch refuses such a batch in training; eval (running statistics) would compute it.`));
  } else if (problem === MESSAGES.spatial) {
    out.push(note("spatial-one", problem, coreError,
      `InstanceNorm with H·W = 1: each sample and channel is one pixel, its own mean, so x̂ would be 0. PyTorch refuses it in training; make the image larger than 1×1.`));
  } else if (problem === MESSAGES.groups) {
    out.push(note("groups", problem, coreError,
      `GroupNorm splits the ${C} channels into ${groups} groups of equal size: ${groups} does not divide ${C}. Choose Groups = ${divisors(C).join(", ")}.`));
  }
  if (!problem && N === 1 && (norm === "batch1d" || norm === "batch2d")) {
    out.push(h("p", { class: "note", "data-note": "batch-one-allowed" },
      `A batch of one sample is allowed here: each channel still averages H·W${norm === "batch1d" ? " = L" : ""} = ${H * W} numbers of that one image, so ${label} then behaves like InstanceNorm (compare the two below). The running variance would use ÷ (N·H·W − 1) = ${N * H * W - 1}.`));
  }
  if (!problem && norm === "group" && (groups === 1 || groups === C)) {
    out.push(h("p", { class: "note", "data-note": groups === 1 ? "group-is-layer" : "group-is-instance" },
      groups === 1 ? "G = 1: one group holds every channel, so GroupNorm's statistics are LayerNorm's (its γ and β stay per channel)."
        : "G = C: one channel per group, so GroupNorm's statistics are InstanceNorm's."));
  }
  return out;
}

function note(kind, message, coreError, why) {
  return h("div", { class: "note problem-note", "data-note": kind },
    h("p", { class: "problem" }, "PyTorch: ", h("q", { "data-message": kind }, message)),
    coreError ? h("p", {}, "This page's core: ", h("q", { "data-core-message": kind }, coreError)) : null,
    h("p", {}, why));
}

const divisors = (C) => Array.from({ length: C }, (_, i) => i + 1).filter((g) => C % g === 0);
