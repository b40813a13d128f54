// "One tensor, five normalizations": the same N×C×H×W shape drawn once per
// layer, every cell showing which statistic it shares (numbered, and
// coloured), with the statistics' shape ([C], [N], [N, G], [N, C]) and how
// many cells each one averages. Pure axis logic (norm-axes.js): no numbers
// from the core are needed.
import { h } from "../dom.js";
import { miniGrids } from "./lab-grid-view.js";
import { NORMS, NORM_KEYS, groupsDivide, reducedCount, shapeText, statOf } from "./norm-axes.js";

export function fiveNormsView(shape, groups) {
  const [N, C, H, W] = shape;
  return h("div", { class: "five-norms" }, NORM_KEYS.map((norm) => {
    const { label, reduces } = NORMS[norm];
    if (norm === "group" && !groupsDivide(C, groups)) {
      return h("figure", { class: "one-norm", "data-norm": norm },
        h("figcaption", {}, h("strong", {}, `${label} (G = ${groups})`), `: none. num_channels must be divisible by num_groups (${C} channels, ${groups} groups).`));
    }
    const count = reducedCount(norm, shape, groups);
    const name = norm === "group" ? `${label} (G = ${groups})` : label;
    return h("figure", { class: "one-norm", "data-norm": norm, "data-stats-shape": shapeText(norm, shape, groups) },
      h("figcaption", {}, h("strong", {}, name), ": statistics ", h("code", { "data-shape-of": norm }, shapeText(norm, shape, groups)),
        `, each over ${count} ${count === 1 ? "cell" : "cells"}; over ${reduces}.`),
      miniGrids(name, shape, (j) => statOf(norm, shape, groups, j)));
  }), h("p", { class: "aside" }, `Shape N×C×H×W = ${N}×${C}×${H}×${W}. Cells with the same number share one mean and one variance. `,
    "Only BatchNorm's statistics cross samples: LayerNorm, GroupNorm and InstanceNorm normalize each sample on its own, which is why they behave the same at batch size 1 and in eval."));
}
